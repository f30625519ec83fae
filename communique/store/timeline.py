"""Reads over fused events: the timeline, one fused event with its reports, disagreements, and rows for the views.

Every filter reaches DuckDB as a bound parameter. The timeline reads only ``fused_events`` (indexed by date), so
a page of it answers in milliseconds on a store of millions of events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb

from ..fuse import find_discrepancies
from ..views.rows import ViewEvent
from .filters import date_window, one_of
from .fusion import ACTOR_COLUMNS, REPORT_COLUMNS, load_reports, reports_from_rows

_FUSED_COLUMNS = (
    "fused_id, event_type, mode, quad, intensity, date, status, location_name, location_country, actors, recipients, "
    "confidence, num_sources, num_articles, num_reports, evidence_text, first_published"
)
_FUSED_NAMES = [c.strip() for c in _FUSED_COLUMNS.split(",")]


CONTEXT_CHARS = 300  # characters of article text shown on each side of a report's evidence


@dataclass(frozen=True)
class TimelineFilter:
    actor: str | None = None  # a state code, or words of an actor's name or text
    country: str | None = None  # a state code on either side
    event_type: str | None = None
    status: str | None = None
    since: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    until: str | None = None  # inclusive at its own precision: "2024-06" takes all of June
    min_sources: int = 1
    limit: int | None = 100
    offset: int = 0
    newest_first: bool = False  # latest dates first (undated still last)
    after: str | None = None  # a page cursor ("DATE~FUSED_ID" of the last row seen): fast at any depth, unlike offset


def _where(f: TimelineFilter) -> tuple[str, list[object]]:
    where: list[str] = ["1=1"]
    params: list[object] = []
    if f.country:
        where.append("(list_contains(actors, upper(?)) OR list_contains(recipients, upper(?)))")
        params += [f.country, f.country]
    if f.actor:
        where.append(
            "(list_contains(actors, upper(?)) OR list_contains(recipients, upper(?)) OR fused_id IN ("
            "SELECT m.fused_id FROM fused_members m JOIN event_actors ea ON ea.event_id = m.event_id "
            "WHERE ea.name ILIKE '%' || ? || '%' OR ea.text ILIKE '%' || ? || '%'))"
        )
        params += [f.actor, f.actor, f.actor, f.actor]
    if f.event_type:
        where.append("event_type = upper(?)")
        params.append(f.event_type)
    if f.status:
        where.append("status = lower(?)")
        params.append(f.status)
    clauses, values = date_window("date", f.since, f.until)
    where += clauses
    params += values
    if f.min_sources > 1:
        where.append("num_sources >= ?")
        params.append(int(f.min_sources))
    if f.after:
        clause, values = _after(f.after, f.newest_first)
        where.append(clause)
        params += values
    return " AND ".join(where), params


def cursor_of(row: dict[str, Any]) -> str:
    """The cursor that continues a page after this row."""
    return f"{row['date'] or ''}~{row['fused_id']}"


def _after(cursor: str, newest_first: bool) -> tuple[str, list[object]]:
    """Rows after the cursor in timeline order (undated rows last): a range scan plus a top-N, where an offset
    would sort everything before it."""
    date, sep, fused_id = cursor.partition("~")
    if not sep or not fused_id:
        raise ValueError(f"bad page cursor {cursor!r}: use the 'next' value of the previous page")
    if not date:
        return "(date IS NULL AND fused_id > ?)", [fused_id]
    later = "date < ?" if newest_first else "date > ?"
    return f"((date IS NOT NULL AND ({later} OR (date = ? AND fused_id > ?))) OR date IS NULL)", [date, date, fused_id]


def _row(names: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    out = dict(zip(names, row, strict=True))
    out["actors"] = list(out["actors"] or [])
    out["recipients"] = list(out["recipients"] or [])
    return out


# Widths, in days, of the date windows a page is first looked for in (then no window at all). fused_events is kept
# in date order on disk (store/fusion.py), so DuckDB skips every block outside the window and sorts only the rows in
# it: ~3 ms for a page of a million fused events, against ~40-60 ms for a top-N over the whole table.
WINDOW_DAYS = (16, 128, 1024, 8192)


def timeline(con: duckdb.DuckDBPyConnection, f: TimelineFilter) -> list[dict[str, Any]]:
    """Fused events in date order (undated last), one page."""
    where, params = _where(f)
    order = "date IS NULL, date DESC, fused_id" if f.newest_first else "date IS NULL, date, fused_id"
    sql = f"SELECT {_FUSED_COLUMNS} FROM fused_events WHERE {where}"  # noqa: S608 - fixed pieces
    limit = int(f.limit or 0)
    start = _window_start(con, f) if limit and not f.offset else None
    if start is not None:
        for days in WINDOW_DAYS:
            bound = _shift(start, -days if f.newest_first else days)
            # both bounds stated plainly, so DuckDB prunes blocks by their min/max dates (the cursor's own bound sits
            # inside an OR and cannot be used for that)
            window = ("date IS NOT NULL AND date >= ? AND date <= ?" if f.newest_first else
                      "date IS NOT NULL AND date < ? AND date >= ?")
            rows = con.execute(f"{sql} AND {window} ORDER BY {order} LIMIT ?",
                               [*params, bound, start, limit]).fetchall()
            # every row outside the window comes later in this order than every row inside it
            if len(rows) >= limit:
                return [_row(_FUSED_NAMES, r) for r in rows]
    sql += f" ORDER BY {order}"
    if f.limit:
        sql += " LIMIT ? OFFSET ?"
        params += [int(f.limit), int(f.offset)]
    return [_row(_FUSED_NAMES, r) for r in con.execute(sql, params).fetchall()]


def _window_start(con: duckdb.DuckDBPyConnection, f: TimelineFilter) -> str | None:
    """The date the page's rows start from: the cursor's, else the filter's bound, else the store's first (last)."""
    if f.after:
        return f.after.partition("~")[0] or None  # an undated cursor: only undated rows are left
    if f.newest_first and f.until:
        return _end_of(f.until)
    if not f.newest_first and f.since:
        return f.since[:10]
    row = con.execute("SELECT max(date) FROM fused_events" if f.newest_first else
                      "SELECT min(date) FROM fused_events").fetchone()
    return str(row[0]) if row and row[0] else None


def _end_of(until: str) -> str:
    """The last day an "until" bound covers: "2024" -> "2024-12-31", "2024-06" -> "2024-06-31" (as text, enough for
    a window's start)."""
    return until[:10] + "-12-31"[len(until[:10]) - 4:] if len(until) < 10 else until[:10]


def _shift(date: str, days: int) -> str:
    """A date (YYYY, YYYY-MM or YYYY-MM-DD) moved by ``days``, as YYYY-MM-DD; clamped to years 1..9999."""
    from datetime import date as Date
    from datetime import timedelta

    parts = [int(p) for p in date[:10].split("-") if p.isdigit()] + [1, 1]
    try:
        day = Date(parts[0], max(1, min(12, parts[1])), max(1, min(28, parts[2])))
        return (day + timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return "0001-01-01" if days < 0 else "9999-12-31"


def timeline_count(con: duckdb.DuckDBPyConnection, f: TimelineFilter) -> int:
    where, params = _where(f)
    row = con.execute(f"SELECT count(*) FROM fused_events WHERE {where}", params).fetchone()  # noqa: S608
    return int(row[0]) if row else 0


def fused_event(con: duckdb.DuckDBPyConnection, fused_id: str) -> dict[str, Any] | None:
    """One fused event with each report (its article, outlet and evidence) and the disagreements between them."""
    row = con.execute(f"SELECT {_FUSED_COLUMNS} FROM fused_events WHERE fused_id = ?", [fused_id]).fetchone()  # noqa: S608
    if row is None:
        return None
    out = _row(_FUSED_NAMES, row)
    ids = _member_ids(con, fused_id)
    # each table by its own filtered lookup (milliseconds), not one join that scans events and articles
    in_ids, id_params = one_of("event_id", ids)
    # the columns a fusion Report needs come along, so the disagreements need no second read of these tables
    events = con.execute(
        f"SELECT record, evidence_start, evidence_end, evidence_text, {REPORT_COLUMNS} FROM events WHERE {in_ids}",  # noqa: S608
        id_params).fetchall()
    in_articles, article_params = one_of("article_id", sorted({e[5] for e in events}))
    articles = {r[0]: r[1:] for r in con.execute(
        f"SELECT article_id, title, outlet, url, published, text FROM articles WHERE {in_articles}",  # noqa: S608
        article_params).fetchall()}
    reports = []
    context: dict[str, str] = {}
    for rec, start, end, text, event_id, article_id, *_ in events:
        title, outlet, url, published, body = articles.get(article_id, (None, None, None, None, ""))
        body = body or ""
        lo = max(start - CONTEXT_CHARS, 0)
        excerpt = body[lo:end + CONTEXT_CHARS]
        context[event_id] = body[start:end + 400]  # the evidence and what follows it: "The talks lasted four hours."
        reports.append(((published is None, published or "", event_id), {
            **json.loads(rec), "article_id": article_id,
            "evidence": {"text": text, "start": start, "end": end},
            "article": {"title": title, "outlet": outlet, "url": url, "published": published,
                        # the text around the evidence, for a reader: its offset says where it starts in the article
                        "excerpt": {"text": excerpt, "start": lo, "whole": lo == 0 and lo + len(excerpt) >= len(body)}}}))
    out["reports"] = [r for _, r in sorted(reports, key=lambda x: x[0])]
    found = []
    if len(ids) > 1:  # one report cannot disagree with itself
        actors = _actor_rows(con, in_ids, id_params)
        members = reports_from_rows([e[4:] for e in events], {a: (r[1], r[3]) for a, r in articles.items()},
                                    [a[:5] for a in actors])
        found = find_discrepancies(fused_id, [members[i] for i in ids if i in members], _people(actors), context)
    out["discrepancies"] = [d.to_dict() for d in found]
    return out


def _actor_rows(con: duckdb.DuckDBPyConnection, in_ids: str, params: list[object]) -> list[tuple[Any, ...]]:
    """The events' actors as ACTOR_COLUMNS + name, role, by event, side and position (``in_ids`` from one_of)."""
    return con.execute(f"SELECT {ACTOR_COLUMNS}, name, role FROM event_actors WHERE {in_ids} "  # noqa: S608
                       "ORDER BY event_id, side, position", params).fetchall()


def _people(actors: list[tuple[Any, ...]]) -> dict[str, list[tuple[str | None, str | None, str | None]]]:
    """(name, country, role) of the people on each event, from rows of ACTOR_COLUMNS + name, role."""
    people: dict[str, list[tuple[str | None, str | None, str | None]]] = {}
    for event_id, _side, country, kind, _entity, name, role in actors:
        if kind == "person":
            people.setdefault(event_id, []).append((name, country, role))
    return people


def _member_ids(con: duckdb.DuckDBPyConnection, fused_id: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT event_id FROM fused_members WHERE fused_id = ? ORDER BY event_id",
                                      [fused_id]).fetchall()]


def discrepancies_of(con: duckdb.DuckDBPyConnection, fused_id: str, ids: list[str] | None = None,
                     context: dict[str, str] | None = None) -> list[Any]:
    ids = _member_ids(con, fused_id) if ids is None else sorted(ids)
    if len(ids) < 2:
        return []
    members = list(load_reports(con, ids, vectors=False).values())
    in_ids, id_params = one_of("event_id", ids)
    people = _people(_actor_rows(con, in_ids, id_params))
    if context is None:
        # the evidence sentence and what follows it in the article: "The talks lasted four hours."
        context = dict(con.execute(
            "SELECT e.event_id, substr(a.text, e.evidence_start + 1, (e.evidence_end - e.evidence_start) + 400) "
            f"FROM events e JOIN articles a ON a.article_id = e.article_id WHERE {in_ids}",  # noqa: S608
            id_params,
        ).fetchall())
    return find_discrepancies(fused_id, members, people, context)


def fused_with_several_reports(con: duckdb.DuckDBPyConnection, f: TimelineFilter) -> list[str]:
    where, params = _where(f)
    sql = f"SELECT fused_id FROM fused_events WHERE num_reports > 1 AND {where} ORDER BY date IS NULL, date, fused_id"  # noqa: S608
    if f.limit:
        sql += " LIMIT ? OFFSET ?"
        params += [int(f.limit), int(f.offset)]
    return [r[0] for r in con.execute(sql, params).fetchall()]


def view_events(con: duckdb.DuckDBPyConnection, since: str | None = None, until: str | None = None) -> list[ViewEvent]:
    """Fused events as the rows the dyad and network views take (one row per real event, however many reports)."""
    where, params = _where(TimelineFilter(since=since, until=until, limit=None))
    rows = con.execute(
        f"SELECT date, event_type, quad, intensity, actors, recipients, status, num_sources FROM fused_events WHERE {where}",  # noqa: S608
        params,
    ).fetchall()
    return [ViewEvent(date=d, event_type=t, quad=q, intensity=float(i), actors=tuple(a or ()),
                      recipients=tuple(r or ()), status=s, sources=int(n)) for d, t, q, i, a, r, s, n in rows]
