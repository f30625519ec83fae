"""Exports of a store: events, fused events, actors and articles as JSON lines, CSV or Parquet, and events as
PLOVER JSON records (the manual's data-exchange fields: id, date, actor, recipient, event, mode, context, ...).

CSV and Parquet are written by DuckDB itself, so an export of millions of rows never passes through Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import duckdb

from ..errors import InputError

KINDS: Final = ("events", "fused", "actors", "articles")
FORMATS: Final = ("jsonl", "csv", "parquet", "plover")
QUAD_CODE: Final = {"verbal_cooperation": 1, "material_cooperation": 2, "verbal_conflict": 3, "material_conflict": 4}

_QUERIES: Final = {
    "events": """
        SELECT e.event_id, m.fused_id, e.article_id, a.outlet, a.url, a.published, e.date, e.date_text, e.event_type,
               e.mode, e.cameo, e.quad, e.intensity, e.status, e.confidence,
               (SELECT string_agg(coalesce(country, ''), ';' ORDER BY position) FROM event_actors x
                 WHERE x.event_id = e.event_id AND side = 'actor') AS actors,
               (SELECT string_agg(coalesce(name, text), ';' ORDER BY position) FROM event_actors x
                 WHERE x.event_id = e.event_id AND side = 'actor') AS actor_names,
               (SELECT string_agg(coalesce(country, ''), ';' ORDER BY position) FROM event_actors x
                 WHERE x.event_id = e.event_id AND side = 'recipient') AS recipients,
               (SELECT string_agg(coalesce(name, text), ';' ORDER BY position) FROM event_actors x
                 WHERE x.event_id = e.event_id AND side = 'recipient') AS recipient_names,
               e.location_name, e.location_country, e.lat, e.lon, e.evidence_text, e.evidence_start, e.evidence_end
        FROM events e JOIN articles a ON a.article_id = e.article_id
        LEFT JOIN fused_members m ON m.event_id = e.event_id
        ORDER BY e.date IS NULL, e.date, e.event_id
    """,
    "fused": """
        SELECT f.fused_id, f.date, f.event_type, f.mode, f.quad, f.intensity, f.status,
               array_to_string(f.actors, ';') AS actors, array_to_string(f.recipients, ';') AS recipients,
               f.location_name, f.location_country, f.confidence, f.num_sources, f.num_articles, f.num_reports,
               f.first_published, f.evidence_text,
               (SELECT string_agg(event_id, ';' ORDER BY event_id) FROM fused_members m WHERE m.fused_id = f.fused_id)
                 AS event_ids
        FROM fused_events f ORDER BY f.date IS NULL, f.date, f.fused_id
    """,
    "actors": "SELECT * FROM entities ORDER BY mentions DESC, entity_id",
    "articles": """
        SELECT article_id, title, published, published_source, outlet, outlet_source, url, author, source_path,
               content_hash, ingested_at, text
        FROM articles ORDER BY published IS NULL, published, article_id
    """,
}


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export(con: duckdb.DuckDBPyConnection, kind: str, fmt: str, path: Path | None) -> Iterator[str] | int:
    """Write ``kind`` in ``fmt`` to ``path`` and return the row count; with no path (JSON lines and PLOVER only),
    return the lines to print instead."""
    if kind not in KINDS:
        raise InputError(kind, f"unknown export {kind!r}; choose one of {', '.join(KINDS)}")
    if fmt not in FORMATS:
        raise InputError(fmt, f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "plover" and kind != "events":
        raise InputError(kind, "PLOVER records are events: use `communique export events --format plover`")
    if fmt in ("csv", "parquet"):
        if path is None:
            raise InputError(fmt, f"{fmt} needs a file: add --output FILE.{fmt}")
        options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet, COMPRESSION zstd"
        con.execute(f"COPY ({_QUERIES[kind]}) TO {_literal(path)} ({options})")
        row = con.execute(f"SELECT count(*) FROM ({_QUERIES[kind]})").fetchone()  # noqa: S608 - fixed queries
        return int(row[0]) if row else 0
    lines = plover_lines(con) if fmt == "plover" else _json_lines(con, kind)
    if path is None:
        return lines
    n = 0
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
            n += 1
    tmp.replace(path)  # a reader never sees half a file
    return n


def _json_lines(con: duckdb.DuckDBPyConnection, kind: str) -> Iterator[str]:
    cur = con.execute(_QUERIES[kind])
    names = [d[0] for d in cur.description]
    while rows := cur.fetchmany(10_000):
        for row in rows:
            yield json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str)


def plover_record(record: dict[str, Any], fused_id: str | None, outlet: str | None, url: str | None) -> dict[str, Any]:
    """One stored event as a PLOVER JSON record, with communique's extra fields kept under their own names."""

    def entity(a: dict[str, Any]) -> dict[str, Any]:
        out = {"code": a.get("country"), "sector": a.get("sector"), "text": a.get("text")}
        if a.get("name"):
            out["name"] = a["name"]
        if a.get("role"):
            out["position"] = a["role"]
        return out

    loc = record.get("location") or None
    return {
        "id": record["event_id"],
        "date": record.get("date"),
        "actor": [entity(a) for a in record.get("actors", [])],
        "recipient": [entity(a) for a in record.get("recipients", [])],
        "event": [record["event_type"]],
        "mode": [record["mode"]] if record.get("mode") else [],
        "context": list(record.get("context") or []),
        "quad_code": QUAD_CODE.get(record.get("quad", "")),
        "event_scale": record.get("intensity"),
        "event_loc": {"name": loc.get("name"), "countryCode": loc.get("country"), "lat": loc.get("lat"),
                      "lng": loc.get("lon")} if loc else None,
        "event_text": [record["evidence"]["text"]],
        "link": fused_id,
        "cite_info": {"source": outlet, "url": url, "article_id": record.get("article_id")},
        "coder": "communique",
        "cameo": record.get("cameo"),
        "status": record.get("status"),
        "confidence": record.get("confidence"),
    }


def plover_lines(con: duckdb.DuckDBPyConnection) -> Iterator[str]:
    cur = con.execute(
        "SELECT e.record, m.fused_id, a.outlet, a.url FROM events e JOIN articles a ON a.article_id = e.article_id "
        "LEFT JOIN fused_members m ON m.event_id = e.event_id ORDER BY e.date IS NULL, e.date, e.event_id"
    )
    while rows := cur.fetchmany(10_000):
        for record, fused, outlet, url in rows:
            yield json.dumps(plover_record(json.loads(record), fused, outlet, url), ensure_ascii=False)
