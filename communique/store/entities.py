"""Entities across articles: who was mentioned, under which spellings and roles, when, and in which events.

Two mentions share an entity when the pipeline gave them the same ``entity_id`` (a known office holder's canonical
name, or a name normalised for hyphens and spacing). Names that differ more ("Lee Seung-buhm" / "Lee Seung-bom",
or "Cho Tae-yong" written for the minister "Cho Tae-yul") are only *linked* as probable variants, with a
confidence and the evidence for it (same state, same role, overlapping time, similar spelling); never merged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import duckdb


@dataclass
class EntitySummary:
    entity_id: str
    name: str | None
    kind: str | None
    country: str | None
    sector: str | None
    mentions: int
    articles: int
    variants: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class ProbableVariant:
    entity_id: str
    name: str | None
    confidence: float
    reasons: list[str]


def list_entities(con: duckdb.DuckDBPyConnection, kind: str | None = None, country: str | None = None,
                  limit: int | None = None) -> list[EntitySummary]:
    where: list[str] = ["entity_id IS NOT NULL"]
    params: list[object] = []
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if country:
        where.append("country = upper(?)")
        params.append(country)
    sql = (
        "SELECT entity_id, mode(name), mode(kind), mode(country), mode(sector), count(*), count(DISTINCT article_id),"
        " list(DISTINCT text ORDER BY text), list(DISTINCT role ORDER BY role) FILTER (WHERE role IS NOT NULL)"
        f" FROM mentions WHERE {' AND '.join(where)} GROUP BY entity_id ORDER BY count(*) DESC, entity_id"
    )
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [EntitySummary(r[0], r[1], r[2], r[3], r[4], r[5], r[6], list(r[7] or []), list(r[8] or []))
            for r in con.execute(sql, params).fetchall()]


def find_entity(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """Entity ids whose id, canonical name or any written form matches ``name`` (case-insensitive)."""
    rows = con.execute(
        "SELECT entity_id, count(*) AS n FROM mentions WHERE entity_id IS NOT NULL AND "
        "(entity_id = ? OR name ILIKE ? OR text ILIKE ? OR replace(name, '-', ' ') ILIKE replace(?, '-', ' ')) "
        "GROUP BY entity_id ORDER BY n DESC",
        [name, name, f"%{name}%", name],
    ).fetchall()
    return [r[0] for r in rows]


def _norm(name: str) -> str:
    return " ".join(name.replace("-", " ").lower().split())


def _skeleton(token: str) -> str:
    """Consonants that survive romanisation: "buhm" and "bom" -> "bm", "sergei" and "sergey" -> "srg"."""
    head, rest = (token[:1], token[1:]) if token[:1] not in "aeiou" else ("", token)
    return head + re.sub(r"[aeiouyhw]", "", rest)


SAME_PERIOD_DAYS = 180


def _near_in_time(first: str | None, last: str | None, ofirst: str | None, olast: str | None) -> bool:
    """Two mention periods overlap or lie within half a year of each other."""
    if not (first and last and ofirst and olast):
        return False
    from datetime import date

    def d(x: str) -> date:
        return date.fromisoformat(x[:10] if len(x) >= 10 else (x + "-01-01")[:10])

    gap = max((d(ofirst) - d(last)).days, (d(first) - d(olast)).days, 0)
    return gap <= SAME_PERIOD_DAYS


def _tokens_alike(a: str, b: str) -> bool:
    return a == b or _skeleton(a) == _skeleton(b)


def probable_variants(con: duckdb.DuckDBPyConnection, entity_id: str, min_confidence: float = 0.5) -> list[ProbableVariant]:
    """Other person entities that are probably the same person, with the evidence."""
    me = con.execute(
        "SELECT mode(name), mode(country), list(DISTINCT role) FILTER (WHERE role IS NOT NULL), "
        "min(a.published), max(a.published) FROM mentions m JOIN articles a USING (article_id) WHERE entity_id = ?",
        [entity_id],
    ).fetchone()
    if me is None or me[0] is None:
        return []
    name, country, roles, first, last = me[0], me[1], set(me[2] or []), me[3], me[4]
    others = con.execute(
        "SELECT entity_id, mode(name), list(DISTINCT role) FILTER (WHERE role IS NOT NULL), min(a.published), "
        "max(a.published) FROM mentions m JOIN articles a USING (article_id) "
        "WHERE kind = 'person' AND entity_id IS NOT NULL AND entity_id <> ? AND country IS NOT DISTINCT FROM ? "
        "GROUP BY entity_id",
        [entity_id, country],
    ).fetchall()
    out = []
    for oid, oname, oroles, ofirst, olast in others:
        if not oname:
            continue
        tokens, other_tokens = _norm(name).split(), _norm(oname).split()
        if len(tokens) != len(other_tokens) or tokens[0] != other_tokens[0]:
            continue  # another family name, or another shape of name, is another person
        alike = [_tokens_alike(a, b) for a, b in zip(tokens, other_tokens, strict=True)]
        shared_roles = roles & set(oroles or [])
        overlap = _near_in_time(first, last, ofirst, olast)
        reasons = []
        if all(alike):
            # "Lee Seung-buhm" / "Lee Seung-bom": every syllable is the same up to romanisation
            confidence = 0.9
            reasons.append("same name up to romanisation")
        elif alike.count(False) == 1 and len(tokens) >= 3 and shared_roles and overlap:
            # "Cho Tae-yong" written for the minister "Cho Tae-yul": one syllable off, same office, same time
            confidence = 0.7
            reasons.append("one syllable differs")
        else:
            continue
        if shared_roles:
            reasons.append("same role: " + ", ".join(sorted(shared_roles)))
            confidence += 0.05
        if overlap:
            reasons.append("mentioned in the same period")
            confidence += 0.04
        if confidence >= min_confidence:
            out.append(ProbableVariant(oid, oname, round(confidence, 2), reasons))
    return sorted(out, key=lambda v: -v.confidence)


def entity_profile(con: duckdb.DuckDBPyConnection, entity_id: str) -> dict[str, Any]:
    """Roles over time, spellings with their sources, events as actor and as recipient, probable variants."""
    roles = con.execute(
        "SELECT role, min(a.published), max(a.published), count(*) FROM mentions m JOIN articles a USING (article_id) "
        "WHERE entity_id = ? AND role IS NOT NULL GROUP BY role ORDER BY min(a.published)",
        [entity_id],
    ).fetchall()
    spellings = con.execute(
        "SELECT text, list(DISTINCT article_id ORDER BY article_id), count(*) FROM mentions WHERE entity_id = ? "
        "GROUP BY text ORDER BY count(*) DESC",
        [entity_id],
    ).fetchall()
    head = con.execute(
        "SELECT mode(name), mode(kind), mode(country), mode(sector) FROM mentions WHERE entity_id = ?", [entity_id]
    ).fetchone()
    events = con.execute(
        "SELECT DISTINCT ea.side, e.record FROM event_actors ea JOIN events e USING (event_id) WHERE ea.entity_id = ? "
        "ORDER BY ea.side",
        [entity_id],
    ).fetchall()
    as_actor = sorted((json.loads(r[1]) for r in events if r[0] == "actor"), key=lambda e: e["date"] or "9999")
    as_recipient = sorted((json.loads(r[1]) for r in events if r[0] == "recipient"), key=lambda e: e["date"] or "9999")
    return {
        "entity_id": entity_id,
        "name": head[0] if head else None, "kind": head[1] if head else None,
        "country": head[2] if head else None, "sector": head[3] if head else None,
        "roles": [{"role": r[0], "first_seen": r[1], "last_seen": r[2], "mentions": r[3]} for r in roles],
        "spellings": [{"text": s[0], "articles": list(s[1]), "mentions": s[2]} for s in spellings],
        "events_as_actor": as_actor,
        "events_as_recipient": as_recipient,
        "probable_variants": [v.__dict__ for v in probable_variants(con, entity_id)],
    }


def name_variants(con: duckdb.DuckDBPyConnection, limit: int = 500) -> list[dict[str, Any]]:
    """Pairs of people who are probably one person written two ways, each pair once, surest first (looked for among
    the ``limit`` most mentioned people)."""
    rows = con.execute(
        "SELECT entity_id, mode(name) FROM mentions WHERE kind = 'person' AND entity_id IS NOT NULL "
        "GROUP BY entity_id ORDER BY count(*) DESC, entity_id LIMIT ?", [limit]
    ).fetchall()
    seen: set[frozenset[str]] = set()
    out = []
    for entity_id, name in rows:
        for v in probable_variants(con, entity_id):
            pair = frozenset((entity_id, v.entity_id))
            if pair in seen:
                continue
            seen.add(pair)
            out.append({"entity_id": entity_id, "name": name, "variant_id": v.entity_id, "variant": v.name,
                        "confidence": v.confidence, "reasons": v.reasons})
    return sorted(out, key=lambda x: (-x["confidence"], x["entity_id"]))
