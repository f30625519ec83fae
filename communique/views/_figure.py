"""Shared plotting helpers: colours, text halos and saving a Figure by file suffix without pyplot."""

from __future__ import annotations

import logging
from pathlib import Path

from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

FORMATS = {".png": "png", ".svg": "svg"}

QUAD_COLOURS = {
    "verbal_cooperation": "#74a9cf",  # blue: words
    "material_cooperation": "#238b45",  # green: deeds
    "verbal_conflict": "#fd8d3c",  # orange: words
    "material_conflict": "#cb181d",  # red: deeds
}
QUAD_LABELS = {
    "verbal_cooperation": "verbal cooperation",
    "material_cooperation": "material cooperation",
    "verbal_conflict": "verbal conflict",
    "material_conflict": "material conflict",
}
COOPERATION_EDGE = "#238b45"
CONFLICT_EDGE = "#cb181d"
NOTE_COLOUR = "#666666"

# A white outline lets labels stay legible over bars, lines and edges.
HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


def new_figure(width: float, height: float) -> Figure:
    """A Figure bound to the Agg canvas.

    Binding the canvas here, instead of calling ``matplotlib.use("Agg")``, renders headless without changing the
    backend for the rest of the process and without registering figures in pyplot's global state.
    """
    fig = Figure(figsize=(width, height), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def figure_format(path: str | Path) -> str:
    """The output format named by the path's suffix; ValueError for anything but .png and .svg."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot write a chart to {str(path)!r}: use a .png or .svg file name (got suffix {suffix!r})")
    return FORMATS[suffix]


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Write the figure as PNG or SVG by the path's suffix, creating the parent directory."""
    fmt = figure_format(path)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format=fmt, facecolor="white")
    logger.info("wrote %s", out)
    return out
