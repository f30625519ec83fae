"""The records fusion works on: a *report* (one event as one article told it) and a *fused event* (one real event
with every report of it).

Fusion runs over stored rows, not over parsed text, so it never imports NLP code; the sentence vector of each
report's evidence is computed at ingest and stored beside the event.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from typing import Any

import numpy as np

UNDATED_WINDOW = 7  # an undated report may tell of an event up to a week before its article was published
UPCOMING_WINDOW = 14  # "in the coming days": an undated planned event, up to a fortnight after
NON_STATES = frozenset({"IGO", "UNO", "EUR", "NGO", "MNC", "IMG"})


def is_state(code: str | None) -> bool:
    return bool(code) and len(code or "") == 3 and (code or "").isalpha() and (code or "").isupper() and code not in NON_STATES


def parse_day(value: str | None) -> Date | None:
    """A YYYY-MM-DD date, or None for coarser or missing dates."""
    if not value or len(value) < 10:
        return None
    try:
        return Date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_span(date: str | None, published: str | None, status: str = "occurred") -> tuple[Date, Date] | None:
    """The days an event may have happened on: its day, its month or year; undated, the week before its article
    (or, for an event the article expects, the fortnight after it)."""
    day = parse_day(date)
    if day:
        return day, day
    if date and len(date) == 7:
        first = Date.fromisoformat(date + "-01")
        nxt = Date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return first, nxt - timedelta(days=1)
    if date and len(date) == 4 and date.isdigit():
        return Date(int(date), 1, 1), Date(int(date), 12, 31)
    pub = parse_day(published)
    if pub is None:
        return None
    if status == "occurred":
        return pub - timedelta(days=UNDATED_WINDOW), pub + timedelta(days=1)
    return pub - timedelta(days=1), pub + timedelta(days=UPCOMING_WINDOW)


@dataclass(frozen=True)
class Report:
    """One stored event, as one article reported it."""

    event_id: str
    article_id: str
    source: str  # the outlet, or the article id when the outlet is unknown: what "number of sources" counts
    event_type: str
    quad: str
    date: str | None
    status: str
    confidence: float
    actors: tuple[str, ...]  # state codes of the acting side
    recipients: tuple[str, ...]
    evidence: str
    published: str | None = None
    mode: str | None = None
    intensity: float = 0.0
    location: str | None = None
    location_country: str | None = None
    people: tuple[tuple[str, str], ...] = ()  # (state, entity id) of each named person in the event
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)

    # keys, span and states are computed once per report (cached in the instance, the fields being frozen):
    # clustering asks for them for every pair it scores, hundreds of thousands of times on a big story.
    @functools.cached_property
    def keys(self) -> frozenset[frozenset[str]]:
        """Which states the event is between: every actor-recipient pair of states, or the acting states alone for
        one-sided events ("North Korea fired a missile"). Two reports can only fuse when they share a key."""
        actors = [a for a in self.actors if is_state(a)]
        recipients = [r for r in self.recipients if is_state(r)]
        # across the sides, and within a side: outlets write one meeting as "Seoul met Beijing" or as "South Korea
        # and China held talks" (both states acting, no recipient)
        pairs = {frozenset((a, r)) for a in actors for r in recipients if a != r}
        for side in (actors, recipients):
            pairs |= {frozenset((x, y)) for i, x in enumerate(side) for y in side[i + 1:] if x != y}
        if pairs:
            return frozenset(pairs)
        return frozenset(frozenset((c,)) for c in (actors or recipients))

    @functools.cached_property
    def span(self) -> tuple[Date, Date] | None:
        return date_span(self.date, self.published, self.status)

    @functools.cached_property
    def states(self) -> frozenset[str]:
        return frozenset(c for c in (*self.actors, *self.recipients) if is_state(c))


@dataclass
class FusedEvent:
    """One real event: the best-supported type, date, place and status over its reports, and every report."""

    fused_id: str
    event_type: str
    mode: str | None
    quad: str
    intensity: float
    date: str | None
    status: str
    location: str | None
    location_country: str | None
    actors: list[str]
    recipients: list[str]
    confidence: float
    num_sources: int
    num_articles: int
    num_reports: int
    evidence: str  # the evidence of the most confident report
    event_ids: list[str]
    first_published: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)
