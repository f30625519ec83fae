"""The flat event record every view takes, and the date helpers the views share.

Views never read the store or the pipeline's records directly: a caller maps whatever it has (stored events,
a JSONL export, hand-built test data) to :class:`ViewEvent`, so the views stay pure functions over plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

QUADS: tuple[str, ...] = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
COOPERATION_QUADS: tuple[str, ...] = QUADS[:2]
CONFLICT_QUADS: tuple[str, ...] = QUADS[2:]

Precision = Literal["year", "month", "day"]

# Anything after the day (a time, a zone) is ignored: the views work in days at the finest.
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class ViewEvent:
    """One coded event reduced to what the analysis views need."""

    date: str | None  # "YYYY-MM-DD", "YYYY-MM" or "YYYY" (precision varies), or None
    event_type: str  # PLOVER type, e.g. "CONSULT"
    quad: str  # one of QUADS
    intensity: float  # PLOVER intensity, -10 (most conflictual) .. +10 (most cooperative)
    actors: tuple[str, ...]  # country codes of the acting side (ISO3, or IGO/UNO/EUR/NGO/MNC/...)
    recipients: tuple[str, ...]
    status: str = "occurred"  # occurred | planned | speculated | hypothetical | negated
    sources: int = 1  # number of distinct outlets that reported it (a fused event counts once)


def date_precision(date: str | None) -> Precision | None:
    """The precision of an event date string: "year", "month", "day", or None when absent or unreadable."""
    if not date:
        return None
    match = _DATE.match(date)
    if match is None:
        return None
    _, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        return None
    if day is not None:
        return "day" if 1 <= int(day) <= 31 else None
    return "month" if month is not None else "year"


def date_key(date: str | None) -> str | None:
    """The date cut to its readable part ("2024-06-18T09:00" -> "2024-06-18"), or None when unreadable."""
    precision = date_precision(date)
    if precision is None or date is None:
        return None
    return date[: {"year": 4, "month": 7, "day": 10}[precision]]
