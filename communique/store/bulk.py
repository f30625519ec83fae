"""Many rows in one statement: DuckDB's executemany runs one INSERT per row, about 100 times slower.

:class:`BatchRows` gathers what a batch of coded articles adds to each table, then writes one statement per table.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import duckdb

from ..records import Article, Event, Mention


def bulk_insert(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[object]], types: Sequence[str],
                *, or_ignore: bool = False) -> None:
    """Insert ``rows`` (each with one value per column of ``types``) by unnesting one list parameter per column."""
    if not rows:
        return
    columns = [list(c) for c in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(?::{t}[])" for t in types)
    verb = "INSERT OR IGNORE INTO" if or_ignore else "INSERT INTO"
    con.execute(f"{verb} {table} SELECT {select}", columns)  # noqa: S608 - table and types are fixed by callers


_EVENT_TYPES = ["VARCHAR"] * 6 + ["DOUBLE", "VARCHAR", "VARCHAR", "VARCHAR", "DOUBLE", "VARCHAR", "INTEGER", "INTEGER",
                                   "VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE", "VARCHAR"]
_ACTOR_TYPES = ["VARCHAR", "VARCHAR", "INTEGER"] + ["VARCHAR"] * 7
_MENTION_TYPES = ["VARCHAR", "INTEGER", "INTEGER"] + ["VARCHAR"] * 7

# one coded article as Store.add takes it: the article, its events, its actor mentions and its events' vectors
CodedRecords = tuple[Article, list[Event], list[tuple[int, int, Mention]] | None, Sequence[Sequence[float]] | None]
_ARTICLE_COLUMNS = ("article_id, content_hash, title, published, published_source, outlet, url, source_path, text, "
                    "title_source, outlet_source, author")


class BatchRows:
    """The rows a batch of coded articles adds to each table, gathered to be written one statement per table."""

    def __init__(self) -> None:
        self.article_ids: set[str] = set()
        self.articles: list[list[object]] = []
        self.events: list[list[object]] = []
        self.actors: list[list[object]] = []
        self.vectors: list[list[object]] = []
        self.mentions: list[list[object]] = []

    def add(self, article: Article, events: list[Event], mentions: list[tuple[int, int, Mention]] | None,
            vectors: Sequence[Sequence[float]] | None) -> None:
        article_id = article.article_id
        self.articles.append([article_id, article.content_hash, article.title, article.published,
                              article.published_source, article.outlet, article.url, article.source_path,
                              article.text, article.title_source, article.outlet_source, article.author])
        event_ids = []
        for e in events:
            rec = e.to_dict()
            loc = e.location
            event_ids.append(rec["event_id"])
            self.events.append([
                rec["event_id"], article_id, e.event_type, e.mode, e.cameo, e.quad, e.intensity, e.date,
                e.date_text, e.status, e.confidence, e.evidence.text, e.evidence.start, e.evidence.end,
                loc.name if loc else None, loc.country if loc else None, loc.lat if loc else None,
                loc.lon if loc else None, json.dumps(rec, ensure_ascii=False),
            ])
            for side, members in (("actor", e.actors), ("recipient", e.recipients)):
                for pos, a in enumerate(members):
                    self.actors.append([rec["event_id"], side, pos, a.text, a.name, a.kind, a.country, a.sector, a.role, a.entity_id])
        if vectors is not None:
            self.vectors += [[eid, [float(x) for x in v]] for eid, v in zip(event_ids, vectors, strict=True)]
        self.mentions += [[article_id, s, t, m.actor.text, m.actor.name, m.actor.kind, m.actor.country, m.actor.sector,
                           m.actor.role, m.actor.entity_id] for s, t, m in mentions or []]

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        bulk_insert(con, f"articles ({_ARTICLE_COLUMNS})", self.articles, ["VARCHAR"] * 12)
        bulk_insert(con, "events", self.events, _EVENT_TYPES, or_ignore=True)
        bulk_insert(con, "event_actors", self.actors, _ACTOR_TYPES)
        bulk_insert(con, "event_vectors", self.vectors, ["VARCHAR", "FLOAT[384]"], or_ignore=True)
        bulk_insert(con, "mentions", self.mentions, _MENTION_TYPES)
