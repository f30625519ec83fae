"""Group reports into fused events, deterministically: the same reports give the same fused events in any order.

Reports that can be one event (``match.compatible``) are linked; each connected group is then split by
average-link agglomeration, so a chain of look-alikes (a Monday call, a Tuesday joint statement that mentions it, a
Friday meeting) does not collapse into one event. Everything is sorted by event id before it is compared, and a
fused event's id comes from its smallest member id, so ingest order never changes the result.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta

from .match import MAX_DAY_GAP, THRESHOLD, compatible, same_event_score
from .reports import FusedEvent, Report, parse_day


def candidate_groups(reports: Iterable[Report]) -> list[list[Report]]:
    """Connected groups of reports that share a pair of states and could be one event.

    Within each pair of states, reports are swept in order of the first day they could have happened on, and each
    is compared only with those whose possible days overlap its own: linear in the size of an archive, not
    quadratic in the number of reports about one pair."""
    ordered = sorted(reports, key=lambda r: r.event_id)
    spans = [r.span for r in ordered]
    by_key: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, r in enumerate(ordered):
        for key in r.keys:
            by_key[key].append(i)
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    slack = timedelta(days=MAX_DAY_GAP + 1)
    for members in by_key.values():
        undated = [i for i in members if spans[i] is None]
        dated = sorted((i for i in members if spans[i] is not None), key=lambda i: (spans[i][0], i))  # type: ignore[index]
        for x, i in enumerate(dated):
            hi = spans[i][1] + slack  # type: ignore[index]
            for j in dated[x + 1:]:
                if spans[j][0] > hi:  # type: ignore[index]
                    break
                if root(i) != root(j) and compatible(ordered[i], ordered[j]):
                    parent[root(j)] = root(i)
        for i in undated:  # no date and no publication date: rare, compared with everything about the pair
            for j in members:
                if i != j and root(i) != root(j) and compatible(ordered[i], ordered[j]):
                    parent[root(j)] = root(i)
    groups: dict[int, list[Report]] = defaultdict(list)
    for i, r in enumerate(ordered):
        groups[root(i)].append(r)
    return sorted(groups.values(), key=lambda g: g[0].event_id)


# Exact average-link costs n^2 scores and up to n^3 steps: fine for the handful of reports most events get, not
# for a story a thousand outlets carried. Past EXACT_LIMIT reports, a group is split by leader clustering in
# event-id order: each report joins the cluster whose first SAMPLE members it matches best on average (same
# threshold, same one-article rule), or starts one. Still order-free (reports are taken in id order) and linear in
# the group for a fixed number of events in it.
EXACT_LIMIT = 150
SAMPLE = 8


def split_group(group: Sequence[Report], threshold: float = THRESHOLD) -> list[list[Report]]:
    """Average-link agglomeration of one candidate group; two reports of one article never share a cluster."""
    if len(group) == 1:
        return [list(group)]
    if len(group) > EXACT_LIMIT:
        return leader_split(group, threshold)
    n = len(group)
    score = [[same_event_score(group[i], group[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    clusters: list[list[int]] = [[i] for i in range(n)]
    articles = [{group[i].article_id} for i in range(n)]  # each cluster's articles, kept beside it
    while True:
        best, pick = threshold, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                a, b = clusters[x], clusters[y]
                if not articles[x].isdisjoint(articles[y]):
                    continue
                mean = sum(score[i][j] for i in a for j in b) / (len(a) * len(b))
                if mean >= best + 1e-12 or (pick is None and mean >= best):
                    best, pick = mean, (x, y)
        if pick is None:
            break
        x, y = pick
        clusters[x] = sorted(clusters[x] + clusters[y])
        articles[x] |= articles[y]
        del clusters[y], articles[y]
    return [[group[i] for i in c] for c in sorted(clusters)]


def leader_split(group: Sequence[Report], threshold: float = THRESHOLD, clusters: list[list[Report]] | None = None,
                 articles: list[set[str]] | None = None) -> list[list[Report]]:
    """Leader clustering of ``group`` (in event-id order) onto ``clusters`` (existing ones, kept, grown in place;
    ``articles`` then gives each one's articles, when its list holds only a sample of its members).

    A report is compared with the first SAMPLE members of the clusters that have a member within its possible days,
    found through an index by day, so the cost does not grow with the number of clusters about other days."""
    out: list[list[Report]] = clusters if clusters is not None else []
    if articles is None:
        articles = [{r.article_id for r in c} for c in out]
    by_day: dict[object, list[int]] = defaultdict(list)
    undated: list[int] = []

    def index(c: int, r: Report) -> None:
        span = r.span
        if span is None:
            undated.append(c)
            return
        day = span[0]
        while day <= span[1]:
            by_day[day].append(c)
            day += timedelta(days=1)

    for c, members in enumerate(out):
        for r in members[:SAMPLE]:
            index(c, r)
    slack = timedelta(days=MAX_DAY_GAP + 1)
    for r in sorted(group, key=lambda r: r.event_id):
        span = r.span
        if span is None:
            near = set(range(len(out)))
        else:
            near = set(undated)
            day = span[0] - slack
            while day <= span[1] + slack:
                near.update(by_day.get(day, ()))
                day += timedelta(days=1)
        best, pick = threshold, None
        for c in sorted(near):
            if r.article_id in articles[c]:
                continue
            sample = out[c][:SAMPLE]
            mean = sum(same_event_score(r, m) for m in sample) / len(sample)
            if mean >= best + 1e-12 or (pick is None and mean >= best):
                best, pick = mean, c
        if pick is None:
            out.append([r])
            articles.append({r.article_id})
            index(len(out) - 1, r)
        else:
            if len(out[pick]) < SAMPLE:
                index(pick, r)
            out[pick].append(r)
            articles[pick].add(r.article_id)
    return [sorted(c, key=lambda r: r.event_id) for c in out] if clusters is None else out


def cluster(reports: Iterable[Report], threshold: float = THRESHOLD) -> list[list[Report]]:
    """All fused groups of reports, each sorted by event id, in event-id order."""
    out: list[list[Report]] = []
    for group in candidate_groups(reports):
        out.extend(split_group(group, threshold))
    return sorted(out, key=lambda c: c[0].event_id)


def fused_id(members: Sequence[Report]) -> str:
    first = min(r.event_id for r in members)
    return "fe_" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:16]


def _vote(values: Iterable[tuple[str | None, str]], prefer: Sequence[str] = ()) -> str | None:
    """The value told by the most distinct sources; ties go to ``prefer`` order, then to the smallest value."""
    support: dict[str, set[str]] = defaultdict(set)
    for value, source in values:
        if value:
            support[value].add(source)
    if not support:
        return None
    rank = {v: i for i, v in enumerate(prefer)}
    return min(support, key=lambda v: (-len(support[v]), rank.get(v, len(rank)), v))


def _best_date(members: Sequence[Report]) -> str | None:
    """Day-precision dates first: a source that gives the day outweighs one that gives only the month."""
    precise = [(r.date, r.source) for r in members if parse_day(r.date)]
    if precise:
        # reports that say the event happened know its date better than announcements of it
        happened = [(r.date, r.source) for r in members if parse_day(r.date) and r.status == "occurred"]
        return _vote(happened or precise)
    return _vote((r.date, r.source) for r in members)


def fuse(members: Sequence[Report]) -> FusedEvent:
    """One fused event from its reports."""
    best = max(members, key=lambda r: (r.confidence, r.event_id))
    event_type = _vote(((r.event_type, r.source) for r in members), prefer=[best.event_type]) or best.event_type
    typed = [r for r in members if r.event_type == event_type]
    lead = max(typed, key=lambda r: (r.confidence, r.event_id))
    status = _vote(((r.status, r.source) for r in members), prefer=["occurred", "planned"]) or lead.status
    location = _vote((r.location, r.source) for r in members)
    where = next((r for r in members if r.location == location), None)
    actor_count = Counter(a for r in members for a in r.actors)
    recipient_count = Counter(a for r in members for a in r.recipients)
    # one-minus-product of per-article confidences: independent reports make the event surer
    by_article: dict[str, float] = {}
    for r in members:
        by_article[r.article_id] = max(by_article.get(r.article_id, 0.0), r.confidence)
    doubt = 1.0
    for c in by_article.values():
        doubt *= 1.0 - min(max(c, 0.0), 0.99)
    published = sorted(r.published for r in members if r.published)
    return FusedEvent(
        fused_id=fused_id(members), event_type=event_type, mode=lead.mode, quad=lead.quad, intensity=lead.intensity,
        date=_best_date(members), status=status, location=location,
        location_country=where.location_country if where else None,
        actors=sorted((a for a in actor_count if actor_count[a] >= recipient_count[a]), key=lambda a: (-actor_count[a], a)),
        # outlets swap the sides of symmetric events ("Seoul met Beijing" / "Beijing met Seoul"): a state is a
        # recipient only when more reports put it there than on the acting side
        recipients=sorted((r for r in recipient_count if recipient_count[r] > actor_count[r]),
                          key=lambda a: (-recipient_count[a], a)),
        confidence=round(1.0 - doubt, 3), num_sources=len({r.source for r in members}),
        num_articles=len(by_article), num_reports=len(members), evidence=lead.evidence,
        event_ids=sorted(r.event_id for r in members), first_published=published[0] if published else None,
    )
