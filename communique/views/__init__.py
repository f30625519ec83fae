"""Analysis views over coded events: dyad time series and the state alignment network.

Library functions only: callers map their events to :class:`ViewEvent` and get back plain data, a networkx
graph, or a PNG/SVG/JSON/GraphML file::

    from communique.views import ViewEvent, dyad_series, plot_dyad, alignment_graph, write_graph

    series = dyad_series(events, "KOR", "CHN", by="month")
    plot_dyad(series, "KOR", "CHN", "kor-chn.png")
    write_graph(alignment_graph(events, since="2024-01"), "network.graphml")
"""

from __future__ import annotations

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
from .rows import QUADS, ViewEvent, date_precision

__all__ = [
    "QUADS", "DyadPeriod", "DyadSeries", "ViewEvent", "alignment_graph", "communities", "date_precision",
    "dyad_series", "graph_from_json", "graph_to_json", "in_window", "is_state", "period_of", "plot_dyad",
    "plot_graph", "write_graph",
]
