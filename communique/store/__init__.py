"""The DuckDB store: articles, events, their actors and entity mentions.

Writes go one article per transaction, so an interrupted ingest leaves every article either fully stored or
absent. The store never imports NLP code: it stores records the pipeline made.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from ..errors import StoreError
from ..records import Article, Event, Mention
from ..views.rows import ViewEvent
from .bulk import BatchRows, CodedRecords
from .entities import EntitySummary, entity_profile, find_entity, list_entities, name_variants
from .filters import date_window
from .fusion import fuse_pending, refuse_all
from .schema import MIGRATIONS, SCHEMA_VERSION
from .timeline import (
    TimelineFilter,
    discrepancies_of,
    fused_event,
    fused_with_several_reports,
    timeline,
    timeline_count,
    view_events,
)

logger = logging.getLogger(__name__)

DEFAULT_DB = "communique.duckdb"
DB_ENV = "COMMUNIQUE_DB"


def default_db_path() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


@dataclass
class IngestSummary:
    new: int = 0
    present: int = 0
    failed: int = 0
    events: int = 0
    fused: int = 0  # fused events written or rewritten
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True)
class EventFilter:
    actor: str | None = None  # a country code, or words of an actor's name
    event_type: str | None = None
    status: str | None = None
    since: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, compared at the event date's precision
    until: str | None = None
    article_id: str | None = None
    limit: int | None = None


MEMORY_ENV = "COMMUNIQUE_DB_MEMORY"
THREADS_ENV = "COMMUNIQUE_DB_THREADS"


def _memory_size(text: str) -> str:
    """'512MB', '2 GB', '1.5GiB' -> the same, checked (it is put into SQL, which takes no parameters here)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B)\s*", text, flags=re.IGNORECASE)
    if not m:
        raise StoreError(f"memory limit {text!r} is not a size; give one such as 512MB or 2GB")
    return f"{m.group(1)}{m.group(2).upper().replace('IB', 'iB')}"


@contextmanager
def _memory_explained(path: str, what: str) -> Iterator[None]:
    """DuckDB's out-of-memory error, said as a fix: what the rolled-back write leaves, and the limit to raise."""
    try:
        yield
    except duckdb.OutOfMemoryException as exc:
        limit = os.environ.get(MEMORY_ENV)
        how = (f"raise {MEMORY_ENV} (now {limit}; e.g. 1GB)" if limit else
               f"free memory on this machine, or set {MEMORY_ENV} (e.g. 1GB) so DuckDB spills to disk sooner")
        raise StoreError(f"{path}: the database ran out of memory {what}. To go on, {how} and run the same "
                         f"command again ({exc})") from exc


def _thread_count(text: str | None) -> int | None:
    if not text:
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise StoreError(f"{THREADS_ENV}={text!r} is not a thread count; give a whole number such as 1 or 4")
    return int(text)


class Store:
    """A communique database file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False,
                 memory_limit: str | None = None, threads: int | None = None) -> None:
        """``memory_limit`` (e.g. "512MB"; default: $COMMUNIQUE_DB_MEMORY, else DuckDB's 80% of RAM) caps DuckDB's
        buffer cache, which otherwise grows with the database file; larger work spills to a temporary folder.
        ``threads`` (default: $COMMUNIQUE_DB_THREADS, else one per core) is how many threads one query may use.
        Small lookups run faster on one (0.8 against 1.4 ms for a fused event by id on a million); scans such as a
        country's total run faster on all cores."""
        self.path = str(path or default_db_path())
        limit = memory_limit or os.environ.get(MEMORY_ENV)
        size = _memory_size(limit) if limit else None  # checked before the file is created
        query_threads = threads or _thread_count(os.environ.get(THREADS_ENV))
        self._settings = {"memory_limit": f"'{size}'" if size else None, "threads": query_threads}
        self.read_only = read_only
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database; create it with `communique ingest PATH --db {self.path}`")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(
                f"{self.path}: cannot open the database ({exc}). If another communique process is writing to it, "
                "wait for it to finish or use another --db file."
            ) from exc
        self._apply_settings()
        if not read_only:
            self._migrate()
        else:
            self._check_version()

    # -- lifecycle ---------------------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _apply_settings(self) -> None:
        for name, value in self._settings.items():
            if value:
                self.con.execute(f"SET {name} = {value}")  # checked values (see _memory_size, _thread_count)

    def refresh(self) -> None:
        """Close the connection and open the file again, with the same settings. A long ingest does this every few
        hundred articles: a long-lived writing connection keeps memory DuckDB has used and gives it back only on
        close (`benchmarks/memory.py --store-only`: 3,840 articles stored and fused in one process grew +85 MB
        without reopening, +26 MB reopening every 320). Only for a Store nothing else is reading through: cursors
        taken from it stop working."""
        self.con.close()
        try:
            self.con = duckdb.connect(self.path, read_only=self.read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database again ({exc}); everything stored so far is kept, "
                             "run the same command again to go on") from exc
        self._apply_settings()

    def cursor(self) -> Store:
        """A Store over the same open database on a cursor of its own, for one thread at a time (the web app takes
        one per request); closing it closes only the cursor."""
        view = Store.__new__(Store)
        view.path, view.read_only, view._settings = self.path, self.read_only, {}
        view.con = self.con.cursor()
        return view

    def _check_version(self) -> None:
        try:
            row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        except duckdb.Error:
            row = None
        current = row[0] if row and row[0] is not None else 0
        if current < SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database schema v{current} is older than this communique (v{SCHEMA_VERSION}); "
                f"upgrade it with `communique fuse --db {self.path}`"
            )

    def _migrate(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        current = row[0] if row and row[0] is not None else 0
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: database schema v{current} is newer than this communique (v{SCHEMA_VERSION}); upgrade communique"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(MIGRATIONS[version - 1])
                self.con.execute("INSERT INTO schema_version VALUES (?)", [version])
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            logger.info("migrated %s to schema v%d", self.path, version)

    # -- writes ------------------------------------------------------------------------------------------
    def has_content(self, content_hash: str) -> bool:
        row = self.con.execute("SELECT 1 FROM articles WHERE content_hash = ?", [content_hash]).fetchone()
        return row is not None

    def add(
        self,
        article: Article,
        events: list[Event],
        mentions: list[tuple[int, int, Mention]] | None = None,
        vectors: Sequence[Sequence[float]] | None = None,
    ) -> bool:
        """Store one coded article in one transaction. False when the same text is already stored.

        ``vectors``, one per event, are the evidence sentences' embeddings that fusion compares; events stored
        without them are compared by their words instead. New events wait for :meth:`fuse` to join fused events.
        """
        return self.add_many([(article, events, mentions, vectors)])[0]

    def add_many(self, coded: Sequence[CodedRecords]) -> list[bool]:
        """Store several coded articles in one transaction (all or none of them): per article, True when stored,
        False when its text was already there. A statement per table for the whole batch, not per article, is what
        keeps the writing process from slowing a multi-worker ingest (each statement costs ~5 ms)."""
        with _memory_explained(self.path, "while storing a batch of articles; none of the batch was stored"):
            return self._add_many(coded)

    def _add_many(self, coded: Sequence[CodedRecords]) -> list[bool]:
        con = self.con
        rows = BatchRows()
        stored: list[bool] = []
        con.execute("BEGIN TRANSACTION")
        try:
            seen: set[str] = set()
            for article, events, mentions, vectors in coded:
                if article.content_hash in seen or self.has_content(article.content_hash):
                    stored.append(False)
                    continue
                seen.add(article.content_hash)
                self._claim_id(article, events, rows.article_ids)
                rows.add(article, events, mentions, vectors)
                stored.append(True)
            rows.write(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return stored

    def _claim_id(self, article: Article, events: list[Event], taken: set[str]) -> None:
        """Give the article a free id: its own, or its id with its hash when another text holds that one."""
        article_id = article.article_id
        if article_id in taken or self.con.execute("SELECT 1 FROM articles WHERE article_id = ?", [article_id]).fetchone():
            article_id = f"{article_id}~{article.content_hash[:8]}"
            logger.warning("article id %s already used by another text; storing as %s", article.article_id, article_id)
            article.article_id = article_id
            for e in events:
                e.article_id = article_id
        taken.add(article_id)

    def fuse(self, event_ids: Sequence[str] | None = None, *, rebuild: bool = False) -> int:
        """Join events not yet fused (only ``event_ids`` when given, e.g. those an ingest batch just stored) to the
        fused events they report, or start new ones; ``rebuild`` fuses the whole store again. Returns the number of
        fused events written."""
        with _memory_explained(self.path, "while fusing events; the stored events stay as they were and wait to "
                                          "be fused (by the next ingest, or `communique fuse`)"):
            return refuse_all(self.con) if rebuild else fuse_pending(self.con, event_ids)

    # -- reads -------------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "events", "mentions", "fused_events"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608 - fixed names
            out[table] = int(row[0]) if row else 0
        return out

    def events(self, flt: EventFilter | None = None) -> list[dict[str, Any]]:
        """Stored event records (schema v1), in date order (undated last), filtered."""
        f = flt or EventFilter()
        where: list[str] = ["1=1"]
        params: list[object] = []
        if f.event_type:
            where.append("e.event_type = ?")
            params.append(f.event_type.upper())
        if f.status:
            where.append("e.status = ?")
            params.append(f.status.lower())
        if f.article_id:
            where.append("e.article_id = ?")
            params.append(f.article_id)
        clauses, values = date_window("e.date", f.since, f.until)
        where += clauses
        params += values
        if f.actor:
            where.append(
                "e.event_id IN (SELECT event_id FROM event_actors WHERE country = upper(?) "
                "OR name ILIKE '%' || ? || '%' OR text ILIKE '%' || ? || '%')"
            )
            params.extend([f.actor, f.actor, f.actor])
        sql = (
            "SELECT e.record FROM events e WHERE " + " AND ".join(where)
            + " ORDER BY e.date IS NULL, e.date, e.article_id, e.evidence_start"
        )
        if f.limit:
            sql += " LIMIT ?"
            params.append(int(f.limit))
        return [json.loads(r[0]) for r in self.con.execute(sql, params).fetchall()]

    def timeline(self, flt: TimelineFilter | None = None) -> list[dict[str, Any]]:
        """Fused events in date order (undated last): one page of ``flt.limit`` from ``flt.offset``."""
        return timeline(self.con, flt or TimelineFilter())

    def timeline_count(self, flt: TimelineFilter | None = None) -> int:
        return timeline_count(self.con, flt or TimelineFilter())

    def fused_event(self, fused_id: str) -> dict[str, Any] | None:
        """One fused event with every report of it and the disagreements between them; None if unknown."""
        return fused_event(self.con, fused_id)

    def discrepancies(self, flt: TimelineFilter | None = None) -> list[dict[str, Any]]:
        """Fused events whose reports disagree, each with its disagreements and the sources on each side."""
        out = []
        for fid in fused_with_several_reports(self.con, flt or TimelineFilter(limit=None)):
            found = discrepancies_of(self.con, fid)
            if found:
                out.append({"fused_id": fid, "discrepancies": [d.to_dict() for d in found]})
        return out

    def view_events(self, since: str | None = None, until: str | None = None) -> list[ViewEvent]:
        """Fused events as rows for the dyad and network views."""
        return view_events(self.con, since, until)

    def name_variants(self) -> list[dict[str, Any]]:
        """People who are probably one person written two ways ("Cho Tae-yong" / "Cho Tae-yul"), never merged."""
        return name_variants(self.con)

    def entities(self, kind: str | None = None, country: str | None = None, limit: int | None = None) -> list[EntitySummary]:
        """People, organisations and states mentioned, most mentioned first."""
        return list_entities(self.con, kind, country, limit)

    def entity(self, name: str) -> dict[str, Any] | None:
        """The profile of the entity best matching a name, a spelling or an id; None if nothing matches."""
        ids = find_entity(self.con, name)
        return entity_profile(self.con, ids[0]) if ids else None

    def article(self, article_id: str) -> dict[str, Any] | None:
        cur = self.con.execute("SELECT * FROM articles WHERE article_id = ?", [article_id])
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=False))
