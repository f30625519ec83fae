"""Whether two reports tell of the same real event: hard rules that keep near misses apart, then a score.

Hard rules (any one keeps two reports apart):
- they come from the same article (the pipeline already merged what one article says twice);
- they share no pair of states (``Report.keys``);
- their types are in different families (a meeting and a condemnation are two events);
- their dates are more than ``MAX_DAY_GAP`` days apart, or in different months or years at coarser precision;
- one says the event happened and the other that it did not ("negated").

The score weighs type, date, place and the similarity of the evidence sentences. Outlets write the same meeting in
different words, so the similarity is one part of the evidence, never the whole.
"""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np

from .reports import Report, parse_day

# Types that outlets use for one real event: "agreed to cooperate" / "will cooperate", "condemned" / "rejected",
# "fired a missile" coded as a show of force or as a threat.
FAMILIES: dict[str, str] = {
    "CONSULT": "talks",
    "AGREE": "agreement", "COOPERATE": "agreement",
    "SUPPORT": "support", "AID": "support",
    "CONCEDE": "concession", "RETREAT": "concession",
    "REQUEST": "demand",
    "ACCUSE": "criticism", "REJECT": "criticism",
    "THREATEN": "force", "MOBILIZE": "force",
    "SANCTION": "pressure", "COERCE": "pressure",
    "PROTEST": "protest",
    "ASSAULT": "assault",
}

MAX_DAY_GAP = 1  # outlets in different time zones, or "on Tuesday" read a day off; two days apart is another event
THRESHOLD = 0.62  # average-link score at or above which two groups of reports are one event

_WORD = re.compile(r"[a-z]{4,}")


def family(event_type: str) -> str:
    return FAMILIES.get(event_type, event_type)


def date_agreement(a: Report, b: Report) -> float | None:
    """How well two reports' dates agree, from 0 to 1; None when they cannot be one event."""
    da, db = parse_day(a.date), parse_day(b.date)
    if da and db:
        gap = abs((da - db).days)
        return None if gap > MAX_DAY_GAP else (1.0 if gap == 0 else 0.6)
    if a.date and b.date:
        # month or year precision on one side: compatible when the coarser one contains the finer one
        n = min(len(a.date), len(b.date))
        if a.date[:n] != b.date[:n]:
            return None
        return 0.5 if n >= 7 else 0.2  # same month, or only the same year
    if not a.date and not b.date:
        # neither is dated: articles published within a few days of each other, weak evidence either way
        pa, pb = parse_day(a.published), parse_day(b.published)
        return 0.1 if pa and pb and abs((pa - pb).days) <= 2 else None
    sa, sb = a.span, b.span
    if sa is None or sb is None:
        return None
    slack = timedelta(days=MAX_DAY_GAP)
    return 0.3 if sa[0] - slack <= sb[1] and sb[0] - slack <= sa[1] else None


def place_agreement(a: Report, b: Report) -> float:
    if not a.location or not b.location:
        return 0.5
    if a.location.lower() == b.location.lower():
        return 1.0
    if a.location_country and a.location_country == b.location_country:
        return 0.6
    if a.location_country and b.location_country:
        return 0.0  # two different states
    return 0.5  # "Vostochny Cosmodrome" and "the Russian Far East": different words, not a contradiction


def evidence_similarity(a: Report, b: Report) -> float:
    """Cosine of the stored sentence vectors; word overlap when a report has no vector."""
    if a.vector is not None and b.vector is not None:
        return float(max(0.0, min(1.0, float(np.dot(a.vector, b.vector)))))
    wa, wb = set(_WORD.findall(a.evidence.lower())), set(_WORD.findall(b.evidence.lower()))
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def compatible(a: Report, b: Report) -> bool:
    """The hard rules: False keeps two reports apart whatever their score."""
    if a.article_id == b.article_id or not (a.keys & b.keys) or family(a.event_type) != family(b.event_type):
        return False
    if "negated" in (a.status, b.status) and a.status != b.status:
        return False
    return date_agreement(a, b) is not None


def same_event_score(a: Report, b: Report) -> float:
    """0..1, how strongly two compatible reports look like one event."""
    if not compatible(a, b):
        return 0.0
    date = date_agreement(a, b) or 0.0
    kind = 1.0 if a.event_type == b.event_type else 0.5
    states = len(a.states & b.states) / len(a.states | b.states) if a.states | b.states else 0.0
    score = 0.25 * kind + 0.3 * date + 0.1 * place_agreement(a, b) + 0.15 * states + 0.2 * evidence_similarity(a, b)
    return max(0.0, score - PEOPLE_PENALTY * people_disagree(a, b))


PEOPLE_PENALTY = 0.25


def people_disagree(a: Report, b: Report) -> bool:
    """Both reports name who spoke for one state, and no name is shared: Xi received Blinken, Wang met Blinken."""
    for state in {s for s, _ in a.people} & {s for s, _ in b.people}:
        # names as word sets: "Cho Tae-yong" (one outlet's slip) shares "cho" with "Cho Tae-yul"; Xi shares
        # nothing with Wang
        words_a = {w for s, e in a.people if s == state for w in e.removeprefix("person:").split("-")}
        words_b = {w for s, e in b.people if s == state for w in e.removeprefix("person:").split("-")}
        if not words_a & words_b:
            return True
    return False
