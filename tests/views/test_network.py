import json

import networkx as nx
import pytest

from communique.views import (
    ViewEvent,
    alignment_graph,
    communities,
    graph_from_json,
    graph_to_json,
    in_window,
    is_state,
    plot_graph,
    write_graph,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _ev(date, a, b, intensity, status="occurred"):
    quad = "verbal_cooperation" if intensity > 0 else "verbal_conflict"
    actors = a if isinstance(a, tuple) else (a,)
    recipients = b if isinstance(b, tuple) else (b,)
    return ViewEvent(date, "CONSULT" if intensity > 0 else "ACCUSE", quad, intensity, actors, recipients, status)


def _world():
    """{KOR, USA, JPN} cooperate, {PRK, RUS} cooperate, and the blocs clash."""
    return [
        _ev("2024-01-10", "KOR", "USA", 4.0), _ev("2024-02-11", "USA", "KOR", 6.0), _ev("2024-03-12", "JPN", "KOR", 3.0),
        _ev("2024-03-20", "USA", "JPN", 5.0), _ev("2024-04-01", "PRK", "RUS", 7.0), _ev("2024-05", "RUS", "PRK", 3.0),
        _ev("2024-04-15", "KOR", "PRK", -6.0), _ev("2024-05-02", "PRK", "KOR", -8.0), _ev("2024-06-03", "USA", "RUS", -5.0),
        _ev("2024-06-18", "JPN", "PRK", -2.0), _ev("2024-06-20", "KOR", "PRK", 1.0),
        # never counted: organisations, self-loops, other statuses
        _ev("2024-06-21", "KOR", "UNO", 3.0), _ev("2024-06-22", "KOR", "KOR", 3.0), _ev("2024-06-23", "kor", "USA", 3.0),
        _ev("2024-06-24", "USA", "PRK", -9.0, status="speculated"),
    ]


def test_edges_and_weights():
    g = alignment_graph(_world())
    assert sorted(g.nodes) == ["JPN", "KOR", "PRK", "RUS", "USA"]
    assert g.number_of_edges() == 7
    kor_prk = g.edges["KOR", "PRK"]
    assert kor_prk == {"cooperation": 1.0, "conflict": 14.0, "net": -13.0, "events": 3}
    assert g.edges["USA", "KOR"] == {"cooperation": 10.0, "conflict": 0.0, "net": 10.0, "events": 2}
    assert not g.has_edge("USA", "PRK")  # only a speculated event
    assert g.nodes["KOR"]["events"] == 6 and g.nodes["RUS"]["events"] == 3


def test_two_blocs():
    g = alignment_graph(_world())
    assert communities(g) == [["JPN", "KOR", "USA"], ["PRK", "RUS"]]
    assert {g.nodes[n]["community"] for n in ("KOR", "USA", "JPN")} == {0}
    assert {g.nodes[n]["community"] for n in ("PRK", "RUS")} == {1}
    assert graph_to_json(alignment_graph(list(reversed(_world())))) == graph_to_json(g)  # order-independent


def test_all_conflict_states_are_their_own_community():
    g = alignment_graph([_ev("2024-01-01", "KOR", "PRK", -3.0), _ev("2024-01-02", "USA", "PRK", -3.0)])
    assert communities(g) == [["KOR"], ["PRK"], ["USA"]]
    g = alignment_graph(_world() + [_ev("2024-06-01", "UKR", "RUS", -7.0)])
    assert ["UKR"] in communities(g) and len(communities(g)) == 3


def test_multi_actor_sides_make_each_pair_once():
    g = alignment_graph([_ev("2024-01-01", ("KOR", "USA", "IGO"), ("JPN", "JPN"), 2.0)])
    assert sorted(g.edges) == [("JPN", "KOR"), ("JPN", "USA")]
    assert g.edges["JPN", "KOR"]["events"] == 1 and g.nodes["JPN"]["events"] == 1


@pytest.mark.parametrize("code,state", [("KOR", True), ("IGO", False), ("UNO", False), ("EUR", False),
                                        ("NGO", False), ("MNC", False), ("IMG", False), ("kor", False), ("KO", False)])
def test_is_state(code, state):
    assert is_state(code) is state


def test_window_prefix_semantics():
    assert in_window("2024-06-18", "2024-06", "2024-06")
    assert in_window("2024-06-30", None, "2024-06") and not in_window("2024-07-01", None, "2024-06")
    assert in_window("2024-06", "2024", "2024") and in_window("2024-06", "2024-06-01", None) is False
    assert not in_window("2024", "2024-06", None) and in_window("2025", "2024-06", None)
    assert not in_window(None, "2024", None) and in_window(None, None, None)


def test_since_until_filter():
    g = alignment_graph(_world(), since="2024-04", until="2024-05")
    assert sorted(g.edges) == [("KOR", "PRK"), ("PRK", "RUS")]
    assert g.edges["PRK", "RUS"]["events"] == 2  # "2024-05" lies inside the window
    assert (g.graph["since"], g.graph["until"]) == ("2024-04", "2024-05")
    assert alignment_graph(_world(), until="2024-01-10").number_of_edges() == 1
    with pytest.raises(ValueError, match="since"):
        alignment_graph(_world(), since="June 2024")


def test_json_round_trip(tmp_path):
    g = alignment_graph(_world(), since="2024")
    data = graph_to_json(g)
    assert data["communities"] == [["JPN", "KOR", "USA"], ["PRK", "RUS"]]
    assert data["nodes"][0] == {"id": "JPN", "events": 3, "community": 0}
    assert {"source", "target", "cooperation", "conflict", "net", "events"} == set(data["edges"][0])
    path = write_graph(g, tmp_path / "g.json", "json")
    loaded = json.loads(path.read_text())
    assert loaded == data and loaded["since"] == "2024" and loaded["until"] is None
    again = graph_from_json(loaded)
    assert nx.utils.graphs_equal(again, g)


def test_graphml_round_trip(tmp_path):
    g = alignment_graph(_world())
    path = write_graph(g, tmp_path / "g.graphml", "graphml")
    read = nx.read_graphml(path)
    assert sorted(read.nodes) == sorted(g.nodes)
    assert read.edges["KOR", "PRK"]["net"] == pytest.approx(-13.0)
    assert read.edges["KOR", "PRK"]["events"] == 3
    assert read.nodes["RUS"]["community"] == 1
    assert graph_to_json(read)["communities"] == graph_to_json(g)["communities"]


def test_write_graph_format_from_suffix_and_errors(tmp_path):
    g = alignment_graph(_world())
    assert write_graph(g, tmp_path / "g.graphml").exists()
    with pytest.raises(ValueError, match="json, graphml, png, svg"):
        write_graph(g, tmp_path / "g.gexf")
    with pytest.raises(ValueError, match=r"\.png"):
        write_graph(g, tmp_path / "g.svg", "png")


@pytest.mark.parametrize("events", [[], [_ev("2024-01-01", "KOR", "PRK", -3.0)], _world()], ids=["0", "2", "many"])
def test_plot_png_and_svg(tmp_path, events):
    g = alignment_graph(events, since="2024-01", until="2024-06")
    png = write_graph(g, tmp_path / "g.png")
    assert png.read_bytes().startswith(PNG_MAGIC)
    svg = plot_graph(g, tmp_path / "g.svg")
    assert "<svg" in svg.read_text()


def test_plot_single_node_and_bare_graph(tmp_path):
    one = nx.Graph()
    one.add_node("KOR")
    assert plot_graph(one, tmp_path / "one.png").read_bytes().startswith(PNG_MAGIC)
    bare = nx.path_graph(["KOR", "USA", "JPN"])
    assert plot_graph(bare, tmp_path / "bare.png").stat().st_size > 0


def test_plot_many_nodes(tmp_path):
    codes = [f"{a}{b}X" for a in "ABCDEFGHIJ" for b in "ABCDEFG"]  # 70 states
    events = [_ev("2024-03-01", codes[i], codes[(i * 7 + 3) % len(codes)], 3.0 if i % 2 else -3.0)
              for i in range(len(codes))]
    g = alignment_graph(events)
    assert g.number_of_nodes() == 70
    assert plot_graph(g, tmp_path / "many.png").read_bytes().startswith(PNG_MAGIC)


def test_plot_bad_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        plot_graph(alignment_graph(_world()), tmp_path / "g.jpg")


def test_json_edges_are_stable_after_graphml(tmp_path):
    g = alignment_graph(_world())
    read = nx.read_graphml(write_graph(g, tmp_path / "g.graphml"))
    assert graph_to_json(read)["edges"] == graph_to_json(g)["edges"]
