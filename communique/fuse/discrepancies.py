"""Where the reports of one fused event disagree: date, place, status, type, the names of the people in it, and
the figures they give ("a four-hour meeting" against "four hours and 40 minutes").

Each discrepancy lists every value with the sources that gave it, so an analyst sees who said what.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from .reports import Report

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "ninety": 90, "hundred": 100, "a": 1, "an": 1, "half": 0.5,
}
_NUM = r"(\d+(?:[.,]\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_DURATION = re.compile(
    rf"\b{_NUM}[- ](hour|minute)s?\b(?:\s+and\s+(?:a\s+)?{_NUM}[- ](minute|hour)s?)?", re.I
)
_COUNT = re.compile(
    rf"\b{_NUM}\s+(?:[A-Za-z-]+\s+){{0,2}}?"
    r"(missiles?|rockets?|troops|soldiers|drones|balloons|ships|warships|aircraft|jets|people|civilians|prisoners)\b",
    re.I,
)


def _number(text: str) -> float | None:
    t = text.lower().replace(",", "")
    if t in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


def durations(text: str) -> list[int]:
    """Durations in minutes: "four-hour" -> 240, "four hours and 40 minutes" -> 280."""
    out = []
    for m in _DURATION.finditer(text):
        first, unit = _number(m.group(1)), m.group(2).lower()
        if first is None:
            continue
        minutes = first * (60 if unit == "hour" else 1)
        if m.group(3):
            second = _number(m.group(3)) or 0.0
            minutes += second * (60 if m.group(4).lower() == "hour" else 1)
        out.append(int(round(minutes)))
    return out


def counts(text: str) -> dict[str, float]:
    """Counted things: "three ballistic missiles" -> {"missiles": 3}."""
    out: dict[str, float] = {}
    for m in _COUNT.finditer(text):
        n = _number(m.group(1))
        if n is not None and m.group(1).lower() not in ("a", "an"):
            noun = m.group(2).lower()
            out.setdefault(noun if noun.endswith("s") else noun + "s", n)
    return out


@dataclass
class Discrepancy:
    """One field on which the reports of a fused event disagree."""

    fused_id: str
    field: str  # date | place | status | event_type | name:<country>/<role> | duration | count:<noun>
    values: dict[str, list[str]] = dc_field(default_factory=dict)  # value -> sources that gave it

    def to_dict(self) -> dict[str, Any]:
        return {"fused_id": self.fused_id, "field": self.field,
                "values": [{"value": v, "sources": s} for v, s in self.values.items()]}


def _collect(fused_id: str, name: str, pairs: Iterable[tuple[str | None, str]]) -> Discrepancy | None:
    values: dict[str, set[str]] = defaultdict(set)
    for value, source in pairs:
        if value:
            values[value].add(source)
    if len(values) < 2:
        return None
    return Discrepancy(fused_id, name, {v: sorted(s) for v, s in sorted(values.items())})


def find_discrepancies(
    fused_id: str,
    members: Sequence[Report],
    people: Mapping[str, Sequence[tuple[str | None, str | None, str | None]]] | None = None,
    context: Mapping[str, str] | None = None,
) -> list[Discrepancy]:
    """Disagreements among the reports of one fused event.

    ``people`` maps an event id to the named persons in it as (name, country, role); ``context`` maps an event id to
    the text around its evidence, where figures such as durations are read.
    """
    dates = {r.date for r in members if r.date}
    # "June 2024" and "18 June 2024" do not disagree: a coarser date that contains a finer one is left out
    finest = {d for d in dates if not any(o != d and o.startswith(d) for o in dates)}
    out: list[Discrepancy | None] = [
        _collect(fused_id, "date", ((r.date if r.date in finest else None, r.source) for r in members)),
        _collect(fused_id, "place", ((r.location, r.source) for r in members)),
        _collect(fused_id, "status", ((r.status, r.source) for r in members)),
        _collect(fused_id, "event_type", ((r.event_type, r.source) for r in members)),
    ]
    if people:
        # the same office in the same state, named differently: a spelling, or a mistake by one outlet
        by_office: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for r in members:
            for name, country, role in people.get(r.event_id, ()):
                if name and country and role:
                    by_office[(country, role)].append((name, r.source))
        for (country, role), named in sorted(by_office.items()):
            out.append(_collect(fused_id, f"name:{country}/{role}", named))
    if context:
        said = [(r, context.get(r.event_id) or r.evidence) for r in members]
        out.append(_collect(fused_id, "duration", ((_minutes(durations(t)), r.source) for r, t in said)))
        nouns = sorted({n for _, t in said for n in counts(t)})
        for noun in nouns:
            out.append(_collect(fused_id, f"count:{noun}", ((_fmt(counts(t).get(noun)), r.source) for r, t in said)))
    return [d for d in out if d is not None]


def _minutes(values: list[int]) -> str | None:
    if not values:
        return None
    m = max(values)
    return f"{m // 60} h {m % 60:02d} min" if m >= 60 else f"{m} min"


def _fmt(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if value == int(value) else str(value)
