"""Dyad views: how two states have treated each other over time, as a table of periods and as a chart.

The series counts events between ``a`` and ``b`` per ISO week or calendar month, split by PLOVER quad class and by
direction, with the mean intensity of each period. Events whose date is too coarse for the period (a bare "2024"
in a monthly series, "2024-06" in a weekly one) cannot be placed: they are left out and counted in
:attr:`DyadSeries.skipped` rather than silently dropped or piled into the first period.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from pathlib import Path
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ._figure import HALO, NOTE_COLOUR, QUAD_COLOURS, QUAD_LABELS, figure_format, new_figure, save_figure
from .rows import CONFLICT_QUADS, COOPERATION_QUADS, QUADS, ViewEvent, date_key, date_precision

logger = logging.getLogger(__name__)

By = Literal["month", "week"]
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Label steps that read naturally: quarters and half-years for months, 4-week and 13-week runs for weeks.
_STEPS = {"month": (1, 2, 3, 6, 12, 24), "week": (1, 2, 4, 8, 13, 26, 52, 104)}
_MAX_LABELS = 14


@dataclass(frozen=True)
class DyadPeriod:
    """Counts and intensity of the a–b events in one week ("2024-W25") or month ("2024-06")."""

    period: str
    verbal_cooperation: int = 0
    material_cooperation: int = 0
    verbal_conflict: int = 0
    material_conflict: int = 0
    events: int = 0
    total_intensity: float = 0.0
    mean_intensity: float | None = None  # None when the period has no events
    a_to_b: int = 0  # events with a acting and b receiving
    b_to_a: int = 0

    @property
    def counts(self) -> dict[str, int]:
        """Event counts per quad class, in QUADS order."""
        return {quad: getattr(self, quad) for quad in QUADS}


class DyadSeries(list[DyadPeriod]):
    """The periods of a dyad series, oldest first, plus what was left out.

    ``skipped`` is the number of a–b events (with an accepted status) that had no date or a date coarser than
    ``by``; they are in no period. Events with another status are filtered, not skipped.
    """

    def __init__(self, periods: Iterable[DyadPeriod], *, a: str, b: str, by: By, skipped: int,
                 statuses: tuple[str, ...]) -> None:
        super().__init__(periods)
        self.a, self.b, self.by, self.skipped, self.statuses = a, b, by, skipped, statuses


@dataclass
class _Bucket:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(QUADS, 0))
    total: float = 0.0
    a_to_b: int = 0
    b_to_a: int = 0

    def freeze(self, period: str) -> DyadPeriod:
        events = sum(self.counts.values())
        mean = self.total / events if events else None
        return DyadPeriod(period, **self.counts, events=events, total_intensity=self.total, mean_intensity=mean,
                          a_to_b=self.a_to_b, b_to_a=self.b_to_a)


def period_of(date: str | None, by: By) -> str | None:
    """The week ("2024-W25", ISO, Monday-based) or month ("2024-06") of a date; None when the date is too coarse."""
    key = date_key(date)
    precision = date_precision(key)
    if key is None or precision == "year" or (by == "week" and precision != "day"):
        return None
    if by == "month":
        return key[:7]
    try:
        year, week, _ = Date.fromisoformat(key).isocalendar()
    except ValueError:  # well-formed but impossible, e.g. 2024-02-31
        return None
    return f"{year}-W{week:02d}"


def _all_periods(first: str, last: str, by: By) -> list[str]:
    """Every period label from first to last inclusive, so a chart has no gaps."""
    out: list[str] = []
    if by == "month":
        year, month = int(first[:4]), int(first[5:7])
        while f"{year}-{month:02d}" <= last:
            out.append(f"{year}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out
    day = Date.fromisocalendar(int(first[:4]), int(first[6:]), 1)
    end = Date.fromisocalendar(int(last[:4]), int(last[6:]), 1)
    while day <= end:
        year, week, _ = day.isocalendar()
        out.append(f"{year}-W{week:02d}")
        day += timedelta(days=7)
    return out


def dyad_series(events: Iterable[ViewEvent], a: str, b: str, by: By = "month",
                statuses: Sequence[str] = ("occurred",)) -> DyadSeries:
    """Per-period counts of the events between states a and b, in either direction, with empty periods filled.

    An event belongs to the dyad when one side contains a and the other contains b; a and b acting together on
    the same side is not an interaction between them. Returns a :class:`DyadSeries` (a list of
    :class:`DyadPeriod`) whose ``skipped`` attribute counts dyad events that had no usable date for ``by``.
    """
    if by not in ("month", "week"):
        raise ValueError(f"by must be 'month' or 'week', got {by!r}")
    if a == b:
        raise ValueError(f"a dyad needs two different states, got {a!r} twice")
    accepted = tuple(statuses)
    buckets: dict[str, _Bucket] = {}
    skipped = 0
    for event in events:
        forward = a in event.actors and b in event.recipients
        backward = b in event.actors and a in event.recipients
        if not (forward or backward) or event.status not in accepted:
            continue
        if event.quad not in QUADS:
            raise ValueError(f"unknown quad {event.quad!r} on a {event.event_type} event; expected one of {QUADS}")
        period = period_of(event.date, by)
        if period is None:
            skipped += 1
            continue
        bucket = buckets.setdefault(period, _Bucket())
        bucket.counts[event.quad] += 1
        bucket.total += event.intensity
        # Pipeline events never hold a state on both sides, but hand-built mutual ones count in both directions.
        bucket.a_to_b += forward
        bucket.b_to_a += backward
    if skipped:
        logger.info("%s-%s: %d events skipped, their dates are coarser than a %s", a, b, skipped, by)
    labels = _all_periods(min(buckets), max(buckets), by) if buckets else []
    periods = [buckets.get(label, _Bucket()).freeze(label) for label in labels]
    return DyadSeries(periods, a=a, b=b, by=by, skipped=skipped, statuses=accepted)


def _tick_labels(periods: Sequence[str], by: str) -> tuple[list[int], list[str]]:
    """Thinned tick positions and two-line labels; the year is shown on the first tick and when it changes."""
    step = next((s for s in _STEPS[by] if math.ceil(len(periods) / s) <= _MAX_LABELS), _STEPS[by][-1])
    positions = list(range(0, len(periods), step))
    labels, last_year = [], ""
    for i in positions:
        year, rest = periods[i][:4], periods[i][5:]
        head = _MONTHS[int(rest) - 1] if by == "month" else rest
        labels.append(f"{head}\n{year}" if year != last_year else head)
        last_year = year
    return positions, labels


def _draw_counts(ax: Axes, series: Sequence[DyadPeriod], x: np.ndarray) -> None:
    """Stacked bars: cooperation classes above the zero line, conflict classes below it."""
    above = np.zeros(len(series))
    below = np.zeros(len(series))
    for quad in COOPERATION_QUADS + CONFLICT_QUADS:
        values = np.array([getattr(p, quad) for p in series], dtype=float)
        sign = 1.0 if quad in COOPERATION_QUADS else -1.0
        base = above if sign > 0 else below
        ax.bar(x, sign * values, bottom=base, width=0.8, color=QUAD_COLOURS[quad], label=QUAD_LABELS[quad],
               edgecolor="white", linewidth=0.4)
        base += sign * values
    ax.axhline(0, color="#333333", linewidth=0.9)
    high, low = max(above.max(initial=0), 1), min(below.min(initial=0), -1)
    pad = 0.08 * (high - low)
    ax.set_ylim(low - pad, high + pad)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    # Conflict bars are drawn negative for the picture; the axis still reads as counts.
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):g}"))
    ax.set_ylabel("events")
    for y, text, va in ((0.98, "▲ cooperation", "top"), (0.02, "▼ conflict", "bottom")):
        ax.text(0.005, y, text, transform=ax.transAxes, va=va, ha="left", fontsize=8.5, color=NOTE_COLOUR,
                path_effects=HALO)
    ax.legend(ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=9, handlelength=1.2,
              borderaxespad=0.2)


def _draw_intensity(ax: Axes, series: Sequence[DyadPeriod], x: np.ndarray) -> None:
    """Mean intensity per period; gaps where a period had no events rather than a misleading zero."""
    means = np.array([np.nan if p.mean_intensity is None else p.mean_intensity for p in series], dtype=float)
    ax.axhline(0, color="#333333", linewidth=0.9)
    ax.fill_between(x, means, 0, where=list(means > 0), color=QUAD_COLOURS["material_cooperation"], alpha=0.15,
                    interpolate=True, linewidth=0)
    ax.fill_between(x, means, 0, where=list(means < 0), color=QUAD_COLOURS["material_conflict"], alpha=0.15,
                    interpolate=True, linewidth=0)
    ax.plot(x, means, color="#333333", linewidth=1.4, marker="o", markersize=3)
    finite = means[np.isfinite(means)]
    limit = min(10.5, max(2.0, float(np.abs(finite).max(initial=0)) * 1.25))
    ax.set_ylim(-limit, limit)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, symmetric=True))
    ax.set_ylabel("mean\nintensity")


def plot_dyad(series: Sequence[DyadPeriod], a: str, b: str, path: str | Path) -> Path:
    """Chart a dyad series to a PNG or SVG file (chosen by the suffix): quad-class bars over a mean-intensity line."""
    figure_format(path)  # fail on a bad suffix before doing any drawing
    periods = [p.period for p in series]
    by = getattr(series, "by", "week" if periods and "-W" in periods[0] else "month")
    fig = new_figure(max(7.5, min(15.0, 4.5 + 0.22 * len(series))), 6.0)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.3])
    fig.suptitle(f"{a} – {b}, events per {by}", x=0.01, ha="left", fontsize=14, fontweight="bold")
    for ax in (top, bottom):
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.7)
        ax.set_axisbelow(True)
    if not series:
        top.text(0.5, 0.5, f"no dated events between {a} and {b}", transform=top.transAxes, ha="center",
                 va="center", color=NOTE_COLOUR)
        for ax in (top, bottom):
            ax.set_yticks([])
        bottom.set_xticks([])
    else:
        x = np.arange(len(series))
        _draw_counts(top, series, x)
        _draw_intensity(bottom, series, x)
        positions, labels = _tick_labels(periods, by)
        bottom.set_xticks(positions, labels, fontsize=8.5)
        bottom.set_xlim(-0.6, len(series) - 0.4)
    total = sum(p.events for p in series)
    forward, backward = sum(p.a_to_b for p in series), sum(p.b_to_a for p in series)
    note = f"{total} events: {forward} {a}→{b}, {backward} {b}→{a}"
    skipped = getattr(series, "skipped", None)
    if skipped:
        note += f"; {skipped} more dated too coarsely for a {by} are not shown"
    statuses = getattr(series, "statuses", None)
    status_text = f" ({', '.join(statuses)})" if statuses else ""
    fig.supxlabel(f"Source: communique, PLOVER-coded news events{status_text}.\n{note}.", x=0.01, ha="left",
                  fontsize=8, color=NOTE_COLOUR)
    return save_figure(fig, path)
