"""Fusion inside the store: which stored events are reports of one real event, kept up to date as articles arrive.

Every stored event is either a member of a fused event or *pending*. ``fuse_pending`` takes the pending events,
loads every stored event they could be fused with (same pair of states, overlapping dates, followed transitively),
clusters that closed neighbourhood again and rewrites its fused events in one transaction. Because clustering is
a deterministic function of the reports (``communique.fuse.cluster``), ingesting in any order, in one run or
many, or re-running after a crash gives the same fused events as fusing everything at once (``refuse_all``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date as Date
from typing import Any

import duckdb
import numpy as np

from ..fuse import FusedEvent, Report, cluster, fuse
from ..fuse.cluster import SAMPLE, leader_split
from ..fuse.match import MAX_DAY_GAP
from .bulk import bulk_insert
from .filters import one_of

logger = logging.getLogger(__name__)

# The columns reports_from_rows reads, in its order: from events, and from event_actors.
REPORT_COLUMNS = ("event_id, article_id, event_type, quad, date, status, confidence, evidence_text, mode, intensity, "
                  "location_name, location_country")
ACTOR_COLUMNS = "event_id, side, country, kind, entity_id"


def load_reports(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str], *, vectors: bool = True) -> dict[str, Report]:
    """The stored events as fusion Reports (with their evidence vectors unless ``vectors`` is False).

    Each table is read by its own filtered lookup (``filters.one_of``) and the rows are put together by
    :func:`reports_from_rows`, the same function the event page uses, so there is one way to build a Report.
    """
    ids = list(event_ids)
    if not ids:
        return {}
    in_ids, id_params = one_of("event_id", ids)
    events = con.execute(f"SELECT {REPORT_COLUMNS} FROM events WHERE {in_ids}", id_params).fetchall()  # noqa: S608
    in_articles, article_params = one_of("article_id", sorted({r[1] for r in events}))
    articles = {a: (outlet, published) for a, outlet, published in con.execute(
        f"SELECT article_id, outlet, published FROM articles WHERE {in_articles}", article_params).fetchall()}  # noqa: S608
    actors = con.execute(f"SELECT {ACTOR_COLUMNS} FROM event_actors WHERE {in_ids} ORDER BY event_id, position",  # noqa: S608
                         id_params).fetchall()
    vecs = _vectors(con, ids) if vectors else {}
    return reports_from_rows(events, articles, actors, vecs)


def _vectors(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, np.ndarray]:
    """Evidence vectors by event id, as float32 arrays straight from DuckDB. Not by fetchall, which makes 384
    Python floats per vector: made and dropped batch after batch, they grew the ingest process's heap (+56 MB over
    2,400 articles in a 2-worker ingest; +17 MB reading them this way)."""
    in_ids, id_params = one_of("event_id", ids)
    got = con.execute(f"SELECT event_id, vector FROM event_vectors WHERE {in_ids}", id_params).fetchnumpy()  # noqa: S608
    return dict(zip(got["event_id"].tolist(), got["vector"], strict=True))


def reports_from_rows(events: Sequence[Sequence[Any]], articles: dict[str, tuple[str | None, str | None]],
                      actors: Iterable[Sequence[Any]], vectors: dict[str, Any] | None = None) -> dict[str, Report]:
    """Reports from rows already read: ``events`` in REPORT_COLUMNS order, ``articles`` as id -> (outlet,
    published), ``actors`` in ACTOR_COLUMNS order (by event, then position), ``vectors`` by event id."""
    sides: dict[str, dict[str, list[str]]] = {}
    people: dict[str, set[tuple[str, str]]] = {}
    for event_id, side, country, kind, entity_id in actors:
        if country is None:
            continue
        sides.setdefault(event_id, {}).setdefault(side, []).append(country)
        if kind == "person" and entity_id is not None:
            people.setdefault(event_id, set()).add((country, entity_id))
    vectors = vectors or {}
    out: dict[str, Report] = {}
    for (event_id, article_id, event_type, quad, date, status, confidence, evidence, mode, intensity, location,
         location_country) in events:
        outlet, published = articles.get(article_id, (None, None))
        vector = vectors.get(event_id)
        own = sides.get(event_id, {})
        out[event_id] = Report(
            event_id=event_id, article_id=article_id, source=outlet or article_id, event_type=event_type, quad=quad,
            date=date, status=status, confidence=confidence, evidence=evidence, published=published, mode=mode,
            intensity=intensity, location=location, location_country=location_country,
            vector=np.asarray(vector, dtype=np.float32) if vector is not None else None,
            actors=tuple(dict.fromkeys(own.get("actor", []))), recipients=tuple(dict.fromkeys(own.get("recipient", []))),
            people=tuple(sorted(people.get(event_id, set()))),
        )
    return out


def _key_text(key: frozenset[str]) -> str:
    return "-".join(sorted(key))


def _write_keys(con: duckdb.DuckDBPyConnection, reports: Iterable[Report]) -> None:
    ids: list[str] = []
    keys: list[str] = []
    los: list[Date | None] = []
    his: list[Date | None] = []
    for r in reports:
        span = r.span
        for key in r.keys:
            ids.append(r.event_id)
            keys.append(_key_text(key))
            los.append(span[0] if span else None)
            his.append(span[1] if span else None)
    bulk_insert(con, "event_keys", list(zip(ids, keys, los, his, strict=True)), ["VARCHAR", "VARCHAR", "DATE", "DATE"])


def _neighbours(con: duckdb.DuckDBPyConnection, reports: Iterable[Report]) -> set[str]:
    """Stored events that share a pair of states with one of these reports and whose dates overlap its dates."""
    keys: list[str] = []
    los: list[Date | None] = []
    his: list[Date | None] = []
    for r in reports:
        span = r.span
        for k in r.keys:
            keys.append(_key_text(k))
            los.append(span[0] if span else None)
            his.append(span[1] if span else None)
    if not keys:
        return set()
    slack = MAX_DAY_GAP + 1
    rows = con.execute(
        f"""
        SELECT DISTINCT k.event_id
        FROM event_keys k
        JOIN (SELECT unnest(?::VARCHAR[]) AS key, unnest(?::DATE[]) AS lo, unnest(?::DATE[]) AS hi) f ON k.key = f.key
        WHERE k.lo IS NULL OR f.lo IS NULL OR (k.hi >= f.lo - {slack} AND k.lo <= f.hi + {slack})
        """,  # noqa: S608 - slack is an int constant
        [keys, los, his],
    ).fetchall()
    return {row[0] for row in rows}


def pending_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT event_id FROM events WHERE event_id NOT IN (SELECT event_id FROM fused_members) ORDER BY event_id"
    ).fetchall()
    return [r[0] for r in rows]


_FUSED_TYPES = ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                "VARCHAR[]", "VARCHAR[]", "DOUBLE", "INTEGER", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR"]


def _write_fused(con: duckdb.DuckDBPyConnection, fused: Sequence[FusedEvent]) -> None:
    if not fused:
        return
    fused = sorted(fused, key=lambda f: (f.date is None, f.date or "", f.fused_id))  # date order on disk: see below
    rows = [[f.fused_id, f.event_type, f.mode, f.quad, f.intensity, f.date, f.status, f.location, f.location_country,
             f.actors, f.recipients, f.confidence, f.num_sources, f.num_articles, f.num_reports, f.evidence,
             f.first_published] for f in fused]
    bulk_insert(con, "fused_events", rows, _FUSED_TYPES)
    bulk_insert(con, "fused_members", [(e, f.fused_id) for f in fused for e in f.event_ids], ["VARCHAR", "VARCHAR"])


def fuse_pending(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str] | None = None, batch: int = 5000) -> int:
    """Fuse stored events that are not yet in a fused event: the given ones (what an ingest batch just stored), or
    all of them; returns how many fused events were (re)written."""
    written = 0
    todo = sorted(event_ids) if event_ids is not None else pending_ids(con)
    for start in range(0, len(todo), batch):
        written += _fuse_ids(con, todo[start:start + batch])
    if written:
        keep_in_date_order(con)
    return written


# fused_events is kept in timeline order on disk, so that a timeline page read through a date window
# (store/timeline.py) touches only the blocks of that window. Incremental fusion appends out of order; once the
# appended rows pass this share of the table (and a floor), the table is rewritten in order (~3 s per million rows).
RESORT_SHARE = 0.05
RESORT_FLOOR = 20_000


def _mark_sorted(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS fused_order (sorted_upto BIGINT)")
    con.execute("DELETE FROM fused_order")
    con.execute("INSERT INTO fused_order SELECT coalesce(max(rowid), -1) FROM fused_events")


def keep_in_date_order(con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
    """Rewrite fused_events in date order when enough rows were appended since it last was; True if rewritten."""
    con.execute("CREATE TABLE IF NOT EXISTS fused_order (sorted_upto BIGINT)")
    row = con.execute("SELECT max(sorted_upto) FROM fused_order").fetchone()
    sorted_upto = row[0] if row and row[0] is not None else -1
    total, tail = con.execute("SELECT count(*), count(*) FILTER (WHERE rowid > ?) FROM fused_events",
                              [sorted_upto]).fetchone() or (0, 0)
    if not force and tail <= max(RESORT_FLOOR, RESORT_SHARE * total):
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE fused_sorted AS "
                    "SELECT * FROM fused_events ORDER BY date IS NULL, date, fused_id")
        con.execute("DELETE FROM fused_events")
        con.execute("INSERT INTO fused_events SELECT * FROM fused_sorted")
        con.execute("DROP TABLE fused_sorted")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    _mark_sorted(con)  # after the commit: rows inside a transaction carry provisional row ids
    logger.debug("fused_events rewritten in date order (%d rows, %d appended out of order)", total, tail)
    return True


def _fuse_ids(con: duckdb.DuckDBPyConnection, new_ids: Sequence[str]) -> int:
    con.execute("BEGIN TRANSACTION")
    try:
        new = load_reports(con, new_ids)
        con.execute("DELETE FROM event_keys WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [list(new)])
        _write_keys(con, new.values())
        loaded = dict(new)
        frontier: list[Report] = list(new.values())
        # follow shared pairs of states and overlapping dates until nothing new joins the neighbourhood
        while frontier:
            more = _neighbours(con, frontier) - loaded.keys()
            if len(loaded) - len(new) + len(more) > BIG_NEIGHBOURHOOD:  # stored reports within reach
                written = _join_big_story(con, new)
                con.execute("COMMIT")
                return written
            frontier = list(load_reports(con, sorted(more)).values()) if more else []
            loaded.update((r.event_id, r) for r in frontier)
        clusters = cluster(loaded.values())
        ids = sorted(loaded)
        old = con.execute(
            "SELECT DISTINCT fused_id FROM fused_members WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        ).fetchall()
        old_ids = [r[0] for r in old]
        con.execute("DELETE FROM fused_events WHERE fused_id IN (SELECT unnest(?::VARCHAR[]))", [old_ids])
        con.execute("DELETE FROM fused_members WHERE fused_id IN (SELECT unnest(?::VARCHAR[]))", [old_ids])
        fused = [fuse(c) for c in clusters]
        _write_fused(con, fused)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    logger.debug("fused %d new events into %d fused events (%d events considered)", len(new), len(fused), len(loaded))
    return len(fused)


# Past this many stored reports within reach of a batch (a story hundreds of outlets carried), the batch's new
# reports are not re-clustered with all of them: each joins the existing fused event whose first members it
# matches best (cluster.leader_split), or starts a new one. Linear in the batch and the story's fused events,
# where re-clustering the whole story at every batch grows with the square of the archive. Results then depend on
# batch boundaries (a rebuild may split or join a few reports differently).
BIG_NEIGHBOURHOOD = 1500


def _join_big_story(con: duckdb.DuckDBPyConnection, new: dict[str, Report]) -> int:
    """Fuse ``new`` reports into the fused events already stored around them (inside the caller's transaction)."""
    near = sorted(_neighbours(con, new.values()) - new.keys())
    members: dict[str, list[str]] = {}
    articles: dict[str, set[str]] = {}
    for fused_id, event_id, article_id in con.execute(
        "SELECT m.fused_id, m.event_id, e.article_id FROM fused_members m JOIN events e ON e.event_id = m.event_id "
        "WHERE m.fused_id IN (SELECT DISTINCT fused_id FROM fused_members WHERE event_id = ANY(?::VARCHAR[])) "
        "ORDER BY m.fused_id, m.event_id", [near]
    ).fetchall():
        members.setdefault(fused_id, []).append(event_id)
        articles.setdefault(fused_id, set()).add(article_id)
    order = sorted(members)
    sampled = load_reports(con, [e for f in order for e in members[f][:SAMPLE]])
    clusters = [[sampled[e] for e in members[f][:SAMPLE] if e in sampled] for f in order]
    sizes = [len(c) for c in clusters]
    leader_split(list(new.values()), clusters=clusters, articles=[articles[f] for f in order])
    grown = [(f, [r.event_id for r in clusters[i][sizes[i]:]]) for i, f in enumerate(order) if len(clusters[i]) > sizes[i]]
    fresh = clusters[len(order):]
    # a grown fused event is fused again from all its members (its id may change: it is its smallest member's)
    regrown = [list(load_reports(con, members[f] + added, vectors=False).values()) for f, added in grown]
    old_ids = [f for f, _ in grown]
    con.execute("DELETE FROM fused_events WHERE fused_id = ANY(?::VARCHAR[])", [old_ids])
    con.execute("DELETE FROM fused_members WHERE fused_id = ANY(?::VARCHAR[])", [old_ids])
    fused = [fuse(sorted(c, key=lambda r: r.event_id)) for c in regrown + fresh]
    _write_fused(con, fused)
    logger.debug("big story: %d new reports joined %d fused events, %d new", len(new), len(grown), len(fresh))
    return len(fused)


def refuse_all(con: duckdb.DuckDBPyConnection) -> int:
    """Throw away every fused event and fuse the whole store again (after a change of fusion rules)."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("fused_events", "fused_members", "event_keys"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    ids = [r[0] for r in con.execute("SELECT event_id FROM events ORDER BY event_id").fetchall()]
    reports = load_reports(con, ids)
    con.execute("BEGIN TRANSACTION")
    try:
        _write_keys(con, reports.values())
        fused = [fuse(c) for c in cluster(reports.values())]
        _write_fused(con, fused)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    _mark_sorted(con)  # written in date order already
    return len(fused)
