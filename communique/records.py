"""Typed records passed between pipeline stages.

Each stage takes records and returns records; nothing here does I/O. Field names follow the event
schema (``event.schema.json`` v1) so that :meth:`Event.to_dict` is the record `communique code` prints.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["occurred", "planned", "speculated", "hypothetical", "negated"]
Quad = Literal["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
ActorKind = Literal["state", "person", "organization", "group"]


# Events the pipeline is less sure of than this are not reported (`communique code --min-confidence`).
DEFAULT_MIN_CONFIDENCE = 0.35


@dataclass
class Article:
    """One news article after reading and cleaning.

    ``text`` is the cleaned text: every character offset in an event refers to it.
    """

    article_id: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None when unknown
    published_source: str | None = None  # where the date came from: "record", "metadata", "dateline"
    outlet: str | None = None
    url: str | None = None
    source_path: str | None = None
    title_source: str | None = None  # "record", "metadata" or "first line"
    outlet_source: str | None = None  # "record", "metadata" or "contact address"
    author: str | None = None

    @property
    def content_hash(self) -> str:
        """Hash of the cleaned text: two files with the same article are stored once."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class Actor:
    """A participant in an event, coded to a state (or IGO/UNO/EUR/NGO/MNC) and a sector."""

    text: str
    country: str | None
    name: str | None = None
    kind: ActorKind | None = None
    sector: str | None = None
    role: str | None = None
    entity_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Actor:
        return cls(d["text"], d.get("country"), d.get("name"), d.get("kind"), d.get("sector"), d.get("role"),
                   d.get("entity_id"))


@dataclass
class Mention:
    """An actor mention found in an article: token span in the parsed Doc plus its coding."""

    start: int  # token index (inclusive) in the Doc
    end: int  # token index (exclusive)
    actor: Actor

    @property
    def country(self) -> str | None:
        return self.actor.country


@dataclass
class Location:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def location_from_dict(d: dict[str, Any] | None) -> Location | None:
    return Location(d["name"], d.get("country"), d.get("lat"), d.get("lon")) if d else None


@dataclass
class Evidence:
    text: str
    start: int  # character offsets into Article.text
    end: int


@dataclass
class Event:
    """One coded event, ready to print or store."""

    article_id: str
    event_type: str
    mode: str | None
    quad: Quad
    intensity: float
    actors: list[Actor]
    recipients: list[Actor]
    date: str | None
    status: Status
    confidence: float
    evidence: Evidence
    cameo: str | None = None
    context: list[str] = field(default_factory=list)
    date_text: str | None = None
    location: Location | None = None
    trigger: str | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def event_id(self) -> str:
        """Stable id: the same article, evidence span and type give the same id on every run."""
        key = f"{self.article_id}|{self.evidence.start}|{self.evidence.end}|{self.event_type}|{self.trigger}"
        return "ev_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """The schema v1 record."""
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": list(self.context),
            "cameo": self.cameo,
            "quad": self.quad,
            "intensity": self.intensity,
            "actors": [a.to_dict() for a in self.actors],
            "recipients": [a.to_dict() for a in self.recipients],
            "date": self.date,
            "date_text": self.date_text,
            "location": self.location.to_dict() if self.location else None,
            "status": self.status,
            "confidence": round(self.confidence, 3),
            "evidence": {"text": self.evidence.text, "start": self.evidence.start, "end": self.evidence.end},
            "sources": list(self.sources) or [self.article_id],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], trigger: str | None = None) -> Event:
        """An event from its schema record (plus the trigger word, which the record's id was made from)."""
        ev = d["evidence"]
        return cls(
            article_id=d["article_id"], event_type=d["event_type"], mode=d.get("mode"), quad=d["quad"],
            intensity=d["intensity"], actors=[Actor.from_dict(a) for a in d.get("actors", [])],
            recipients=[Actor.from_dict(a) for a in d.get("recipients", [])], date=d.get("date"), status=d["status"],
            confidence=d["confidence"], evidence=Evidence(ev["text"], ev["start"], ev["end"]), cameo=d.get("cameo"),
            context=list(d.get("context") or []), date_text=d.get("date_text"),
            location=location_from_dict(d.get("location")), trigger=trigger if trigger is not None else d.get("trigger"),
            sources=[s for s in d.get("sources", []) if s != d["article_id"]],
        )
