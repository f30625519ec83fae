"""The alignment network: which states cooperate with which, and which blocs that makes.

Every event links each state on the acting side to each state on the receiving side; an edge sums the intensities
of all events between its two states, split into cooperation (positive) and conflict (negative). Communities are
found on cooperation alone (edges whose net is positive), so two states that fight each other a lot are never put
in one bloc just because they interact a lot.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ._figure import CONFLICT_EDGE, COOPERATION_EDGE, HALO, NOTE_COLOUR, figure_format, new_figure, save_figure
from .rows import ViewEvent, date_key, date_precision

logger = logging.getLogger(__name__)

NON_STATES = frozenset({"IGO", "UNO", "EUR", "NGO", "MNC", "IMG"})
_STATE = re.compile(r"^[A-Z]{3}$")
GRAPH_FORMATS = ("json", "graphml", "png", "svg")


def is_state(code: str) -> bool:
    """Whether an actor code names a state: three upper-case letters and not an organisation code."""
    return bool(_STATE.match(code)) and code not in NON_STATES


def _check_bound(name: str, bound: str | None) -> None:
    if bound is not None and (date_precision(bound) is None or date_key(bound) != bound):
        raise ValueError(f"{name} must look like 2024, 2024-06 or 2024-06-18, got {bound!r}")


def in_window(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether an event date lies wholly inside [since, until]; until includes the whole period it names.

    Comparison is on string prefixes. A date coarser than a bound is kept only when its whole period is on the
    right side of it: with since="2024-06" a bare "2024" might be January, so it is left out. Undated events are
    kept only when there is no window at all.
    """
    if since is None and until is None:
        return True
    key = date_key(date)
    if key is None:
        return False
    if since is not None:
        if len(key) >= len(since):
            if key[: len(since)] < since:
                return False
        elif key <= since[: len(key)]:
            return False
    if until is not None:
        if len(key) >= len(until):
            if key[: len(until)] > until:
                return False
        elif key >= until[: len(key)]:
            return False
    return True


def alignment_graph(events: Iterable[ViewEvent], since: str | None = None, until: str | None = None,
                    statuses: Sequence[str] = ("occurred",)) -> nx.Graph:
    """The undirected state network of an event set, with cooperation/conflict edge weights and community ids.

    Edge attributes: ``cooperation`` (sum of positive intensities), ``conflict`` (sum of the absolute negative
    intensities), ``net`` (cooperation - conflict), ``events`` (count). Node attributes: ``events`` (events the
    state took part in with another state) and ``community`` (int, 0 for the largest bloc). ``g.graph`` holds
    ``since`` and ``until`` (empty strings when open).
    """
    _check_bound("since", since)
    _check_bound("until", until)
    accepted = set(statuses)
    edges: dict[tuple[str, str], dict[str, float]] = {}
    node_events: dict[str, int] = {}
    for event in events:
        if event.status not in accepted or not in_window(event.date, since, until):
            continue
        # Each pair once per event, whatever the order or repetition of codes on the two sides.
        pairs = {tuple(sorted((x, y))) for x in event.actors for y in event.recipients
                 if x != y and is_state(x) and is_state(y)}
        for x, y in pairs:
            edge = edges.setdefault((x, y), {"cooperation": 0.0, "conflict": 0.0, "events": 0})
            edge["cooperation" if event.intensity > 0 else "conflict"] += abs(event.intensity)
            edge["events"] += 1
        for state in {state for pair in pairs for state in pair}:
            node_events[state] = node_events.get(state, 0) + 1
    g = nx.Graph(since=since or "", until=until or "")
    for state in sorted(node_events):
        g.add_node(state, events=node_events[state])
    for (x, y), edge in sorted(edges.items()):
        cooperation, conflict = round(edge["cooperation"], 6), round(edge["conflict"], 6)
        g.add_edge(x, y, cooperation=cooperation, conflict=conflict, net=round(cooperation - conflict, 6),
                   events=int(edge["events"]))
    for number, members in enumerate(_communities(g)):
        for state in members:
            g.nodes[state]["community"] = number
    logger.info("alignment graph: %d states, %d pairs", g.number_of_nodes(), g.number_of_edges())
    return g


def _communities(g: nx.Graph) -> list[list[str]]:
    """Blocs from the net-cooperative edges, largest first; a state with no cooperative tie is a bloc of its own."""
    positive = nx.Graph()
    # Sorted insertion keeps greedy modularity's tie-breaking, and so the numbering, stable between runs.
    positive.add_nodes_from(sorted(g.nodes))
    positive.add_weighted_edges_from(sorted((x, y, d["net"]) for x, y, d in g.edges(data=True) if d["net"] > 0))
    if positive.number_of_edges() == 0:
        groups: list[Iterable[str]] = [[state] for state in positive.nodes]
    else:
        groups = list(nx.community.greedy_modularity_communities(positive, weight="weight"))
    return sorted((sorted(group) for group in groups), key=lambda members: (-len(members), members[0]))


def communities(g: nx.Graph) -> list[list[str]]:
    """The graph's communities as sorted member lists, indexed by community id.

    A node without a ``community`` attribute (a graph built by hand) is listed alone after the numbered ones.
    """
    out: dict[int, list[str]] = {}
    loose: list[list[str]] = []
    for state, data in sorted(g.nodes(data=True)):
        if "community" in data:
            out.setdefault(int(data["community"]), []).append(state)
        else:
            loose.append([state])
    return [out[k] for k in sorted(out)] + loose


def graph_to_json(g: nx.Graph) -> dict[str, Any]:
    """A JSON-ready dict: window, nodes (id/events/community), edges (source/target/attributes), communities."""
    return {
        "since": g.graph.get("since") or None,
        "until": g.graph.get("until") or None,
        "nodes": [{"id": n, "events": d["events"], "community": d["community"]} for n, d in sorted(g.nodes(data=True))],
        # Endpoints in code order: a graph read back from GraphML may yield an edge either way round.
        "edges": [{"source": min(x, y), "target": max(x, y), **d}
                  for x, y, d in sorted(g.edges(data=True), key=lambda e: (min(e[0], e[1]), max(e[0], e[1])))],
        "communities": communities(g),
    }


def graph_from_json(data: dict[str, Any]) -> nx.Graph:
    """Rebuild a graph from :func:`graph_to_json` output."""
    g = nx.Graph(since=data.get("since") or "", until=data.get("until") or "")
    for node in data["nodes"]:
        g.add_node(node["id"], events=node["events"], community=node["community"])
    for edge in data["edges"]:
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target")}
        g.add_edge(edge["source"], edge["target"], **attrs)
    return g


def write_graph(g: nx.Graph, path: str | Path, format: str | None = None) -> Path:
    """Write the graph as "json", "graphml", "png" or "svg"; the format defaults to the path's suffix."""
    fmt = (format or Path(path).suffix.lstrip(".")).lower()
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"cannot write a graph as {fmt!r} ({str(path)!r}): choose one of {', '.join(GRAPH_FORMATS)}")
    out = Path(path)
    if fmt in ("png", "svg"):
        if out.suffix.lower() != f".{fmt}":
            raise ValueError(f"format {fmt!r} needs a .{fmt} file name, got {str(path)!r}")
        return plot_graph(g, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        out.write_text(json.dumps(graph_to_json(g), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        nx.write_graphml(g, out)
    logger.info("wrote %s", out)
    return out


# Colour-blind-safe-ish categorical colours for blocs; one-state "blocs" stay grey so colour means alignment.
_BLOC_COLOURS = ("#1f77b4", "#9467bd", "#e7ba52", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
_SINGLETON = "#c7c7c7"
_MAX_LABELS = 30


def _window_text(g: nx.Graph) -> str:
    since, until = g.graph.get("since") or "", g.graph.get("until") or ""
    if since and until:
        return f"{since} to {until}"
    if since or until:
        return f"since {since}" if since else f"until {until}"
    return "all dates"


def _clutter(pos: dict[str, np.ndarray], edges: list[tuple[str, str]]) -> float:
    """How badly a layout reads: edges passing over other nodes, plus nodes crowding each other."""
    names = list(pos)
    xy = np.array([pos[n] for n in names])
    score = 0.0
    for x, y in edges:
        start, end = pos[x], pos[y]
        span = end - start
        t = np.clip(((xy - start) @ span) / max(float(span @ span), 1e-12), 0.0, 1.0)
        gaps = np.linalg.norm(xy - (start + t[:, None] * span), axis=1)
        score += sum(1 for name, gap in zip(names, gaps, strict=True) if name not in (x, y) and gap < 0.12)
    apart = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    score += 0.5 * float(((apart < 0.2).sum() - len(names)) / 2)
    return score


def _layout(layout: nx.Graph) -> dict[str, np.ndarray]:
    """A spring layout from a few fixed seeds, keeping the least cluttered: deterministic but not arbitrary."""
    k = 1.6 / math.sqrt(max(len(layout), 1))
    # Scoring is quadratic in size; a big graph gets the first seed only, where clutter is unavoidable anyway.
    seeds = range(8) if len(layout) <= 60 else range(1)
    edges = sorted(layout.edges)
    best: tuple[float, dict[str, np.ndarray]] | None = None
    for seed in seeds:
        pos = nx.spring_layout(layout, seed=seed, weight="weight", k=k)
        score = _clutter(pos, edges)
        if best is None or score < best[0]:
            best = (score, pos)
    assert best is not None
    return best[1]


def plot_graph(g: nx.Graph, path: str | Path) -> Path:
    """Draw the alignment graph to PNG or SVG: blocs by colour, activity by size, green/red edges by net tone."""
    figure_format(path)  # fail on a bad suffix before the layout is computed
    fig = new_figure(9.5, 8.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    blocs = communities(g) if g.number_of_nodes() else []
    fig.suptitle(f"Alignment network, {_window_text(g)}", x=0.01, ha="left", fontsize=14, fontweight="bold")
    ax.set_title(f"{g.number_of_nodes()} states, {g.number_of_edges()} pairs, "
                 f"{sum(len(b) > 1 for b in blocs)} cooperating blocs", loc="left", fontsize=9.5, color=NOTE_COLOUR)
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no state-to-state events in this window", ha="center", va="center", color=NOTE_COLOUR,
                transform=ax.transAxes)
        return save_figure(fig, path)
    nets = {(x, y): float(d.get("net", 0.0)) for x, y, d in g.edges(data=True)}
    top_net = max((abs(v) for v in nets.values()), default=0.0) or 1.0
    layout = nx.Graph()
    layout.add_nodes_from(sorted(g.nodes))
    # Springs weighted by |net|, but a hostile tie pulls at a quarter strength: otherwise rivals that clash often
    # are drawn on top of each other and the blocs do not separate. The floor keeps weak ties off the rim.
    layout.add_weighted_edges_from(sorted((x, y, 0.05 + abs(v) / top_net * (1.0 if v > 0 else 0.25))
                                          for (x, y), v in nets.items()))
    pos = _layout(layout)
    if nets:
        order = sorted(nets, key=lambda e: abs(nets[e]))  # strongest drawn last, on top
        segments = [(pos[x], pos[y]) for x, y in order]
        colours = [COOPERATION_EDGE if nets[e] > 0 else CONFLICT_EDGE if nets[e] < 0 else _SINGLETON for e in order]
        # Thinner, fainter lines as edges multiply, so a dense graph stays a texture rather than a red blot.
        thin = min(1.0, 40 / len(order)) ** 0.5
        widths = [0.6 + 6.0 * thin * abs(nets[e]) / top_net for e in order]
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=widths, alpha=0.2 + 0.35 * thin, zorder=1,
                                         capstyle="round"))
    colour_of = {}
    for number, members in enumerate(blocs):
        for state in members:
            colour_of[state] = _BLOC_COLOURS[number % len(_BLOC_COLOURS)] if len(members) > 1 else _SINGLETON
    nodes = sorted(g.nodes)
    activity = np.array([g.nodes[n].get("events", 1) for n in nodes], dtype=float)
    crowd = min(1.0, 12 / len(nodes)) ** 0.8  # shrink discs as states multiply so they do not pile up
    sizes = crowd * (180 + 1600 * np.sqrt(activity / max(activity.max(), 1.0)))
    xy = np.array([pos[n] for n in nodes])
    ax.scatter(xy[:, 0], xy[:, 1], s=sizes, c=[colour_of[n] for n in nodes], edgecolors="white", linewidths=1.5,
               zorder=2)
    # On a crowded graph only the busiest states are named; the rest stay as unlabelled dots.
    labelled = set(sorted(nodes, key=lambda n: (-g.nodes[n].get("events", 1), n))[:_MAX_LABELS])
    for n, (x, y) in zip(nodes, xy, strict=True):
        if n in labelled:
            ax.text(x, y, n, ha="center", va="center", fontsize=9.5 if len(nodes) <= 30 else 7.5, fontweight="bold", color="#222222", zorder=3,
                    path_effects=HALO)
    ax.margins(0.1)
    handles: list[Line2D | Patch] = [
        Line2D([], [], color=COOPERATION_EDGE, linewidth=3, alpha=0.7, label="net cooperation"),
        Line2D([], [], color=CONFLICT_EDGE, linewidth=3, alpha=0.7, label="net conflict"),
    ]
    for number, members in enumerate(b for b in blocs if len(b) > 1):
        shown = ", ".join(members[:5]) + (f" +{len(members) - 5}" if len(members) > 5 else "")
        handles.append(Patch(color=_BLOC_COLOURS[number % len(_BLOC_COLOURS)], label=f"bloc {number + 1}: {shown}"))
        if number == 5:
            break
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    note = ("Source: communique, PLOVER-coded news events. Edge width: |cooperation - conflict| intensity; "
            "node size: events; blocs: greedy modularity on net-cooperative ties.")
    if len(nodes) > _MAX_LABELS:
        note += f"\nOnly the {_MAX_LABELS} most active of {len(nodes)} states are named."
    fig.supxlabel(note, x=0.01, ha="left",
                  fontsize=8, color=NOTE_COLOUR)
    return save_figure(fig, path)
