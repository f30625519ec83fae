"""Reads for browsing a store: the overview, full-text search over articles, one article with what was found in it.

Search is a case-insensitive substring match over titles and texts, with every word required (DuckDB's full-text
extension would have to be downloaded at run time, which communique never does).
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

_NON_STATES = "('IGO', 'UNO', 'EUR', 'NGO', 'MNC', 'IMG')"
_DYADS_SQL = f"""
SELECT a AS x, r AS y, count(*) AS events,
       sum(CASE WHEN intensity > 0 THEN 1 ELSE 0 END) AS cooperative,
       sum(CASE WHEN intensity < 0 THEN 1 ELSE 0 END) AS conflictual,
       round(avg(intensity), 2) AS mean_intensity
FROM fused_events f,
     unnest(list_distinct(f.actors || f.recipients)) t1(a),
     unnest(list_distinct(f.actors || f.recipients)) t2(r)
WHERE f.status = 'occurred' AND a < r AND length(a) = 3 AND length(r) = 3
  AND a NOT IN {_NON_STATES} AND r NOT IN {_NON_STATES}
GROUP BY a, r ORDER BY events DESC, x, y LIMIT ?
"""


def top_dyads(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, Any]]:
    """The pairs of states with the most fused events (occurred), with how cooperative they were."""
    cur = con.execute(_DYADS_SQL, [limit])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def search_articles(con: duckdb.DuckDBPyConnection, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Articles whose title or text holds every word of the query, newest first, with a snippet around the first."""
    words = [w for w in query.split() if w][:8]
    if not words:
        return []
    where = " AND ".join(["(title ILIKE '%' || ? || '%' OR text ILIKE '%' || ? || '%')"] * len(words))
    params: list[object] = [p for w in words for p in (w, w)]
    rows = con.execute(
        f"SELECT article_id, title, published, outlet, text FROM articles WHERE {where} "  # noqa: S608 - fixed shape
        "ORDER BY published DESC NULLS LAST, article_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    out = []
    for article_id, title, published, outlet, text in rows:
        at = text.lower().find(words[0].lower())
        start = max(0, at - 80)
        snippet = ("…" if start else "") + text[start:at + 160].replace("\n", " ") + "…"
        out.append({"article_id": article_id, "title": title, "published": published, "outlet": outlet,
                    "snippet": snippet})
    return out


def article_view(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """One article: its cleaned text, its metadata, the events read from it (with their fused event) and the actor
    mentions found in it, each with character offsets into the text."""
    cur = con.execute(
        "SELECT article_id, title, published, published_source, outlet, url, author, text FROM articles "
        "WHERE article_id = ?", [article_id],
    )
    row = cur.fetchone()
    if row is None:
        return None
    out = dict(zip([d[0] for d in cur.description], row, strict=True))
    events = con.execute(
        "SELECT e.record, m.fused_id FROM events e LEFT JOIN fused_members m ON m.event_id = e.event_id "
        "WHERE e.article_id = ? ORDER BY e.evidence_start", [article_id],
    ).fetchall()
    out["events"] = [{**json.loads(record), "fused_id": fused} for record, fused in events]
    mentions = con.execute(
        "SELECT start_char, end_char, text, name, kind, country, sector, role, entity_id FROM mentions "
        "WHERE article_id = ? ORDER BY start_char", [article_id],
    )
    names = [d[0] for d in mentions.description]
    out["mentions"] = [dict(zip(names, r, strict=True)) for r in mentions.fetchall()]
    return out


def latest_articles(con: duckdb.DuckDBPyConnection, limit: int = 10) -> list[dict[str, Any]]:
    cur = con.execute(
        "SELECT article_id, title, published, outlet FROM articles ORDER BY ingested_at DESC, article_id LIMIT ?",
        [limit],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
