"""Analysis views over coded events: dyad time series and the state alignment network.

Library functions only: callers map their events to :class:`ViewEvent` and get back plain data, a networkx
graph, or a PNG/SVG/JSON/GraphML file::

    from communique.views import ViewEvent, dyad_series, plot_dyad, alignment_graph, write_graph

    series = dyad_series(events, "KOR", "CHN", by="month")
    plot_dyad(series, "KOR", "CHN", "kor-chn.png")
    write_graph(alignment_graph(events, since="2024-01"), "network.graphml")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .rows import QUADS, ViewEvent, date_precision

if TYPE_CHECKING:
    from .dyads import DyadPeriod, DyadSeries, dyad_series, period_of, plot_dyad
    from .network import (
        alignment_graph,
        communities,
        graph_from_json,
        graph_to_json,
        in_window,
        is_state,
        plot_graph,
        write_graph,
    )

# The dyad and network views import matplotlib and networkx (~0.6 s): loaded on first use, so the store (which
# needs only ViewEvent) and every command that does not draw start without them.
_LAZY = {
    **dict.fromkeys(("DyadPeriod", "DyadSeries", "dyad_series", "period_of", "plot_dyad"), "dyads"),
    **dict.fromkeys(("alignment_graph", "communities", "graph_from_json", "graph_to_json", "in_window", "is_state",
                     "plot_graph", "write_graph"), "network"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "QUADS", "DyadPeriod", "DyadSeries", "ViewEvent", "alignment_graph", "communities", "date_precision",
    "dyad_series", "graph_from_json", "graph_to_json", "in_window", "is_state", "period_of", "plot_dyad",
    "plot_graph", "write_graph",
]
