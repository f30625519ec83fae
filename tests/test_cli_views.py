"""The fused-event commands (timeline, event, discrepancies, dyad, graph, export, fuse) driven in-process."""

import json

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.store import Store
from tests.store.test_fusion import ITEMS

runner = CliRunner()


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "v.duckdb"
    with Store(path) as store:
        for art, events in ITEMS:
            store.add(art, events)
    assert runner.invoke(app, ["fuse", "--db", str(path)]).exit_code == 0
    return str(path)


def test_timeline_lists_fused_events_with_sources(db):
    out = runner.invoke(app, ["timeline", "--db", db, "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [(r["date"], r["num_sources"]) for r in rows] == [("2024-06-18", 3), ("2024-06-24", 1)]
    table = runner.invoke(app, ["timeline", "--db", db, "--country", "KOR"])
    assert "2024-06-18" in table.stdout and "fused events 1-2 of 2" in table.stdout


def test_event_and_discrepancies_show_who_said_what(db):
    rows = [json.loads(x) for x in runner.invoke(app, ["timeline", "--db", db, "--format", "jsonl"]).stdout.splitlines()]
    shown = runner.invoke(app, ["event", rows[0]["fused_id"], "--db", db])
    assert shown.exit_code == 0 and "Outlet a1" in shown.stdout and "disagree on place" in shown.stdout
    listed = runner.invoke(app, ["discrepancies", "--db", db, "--format", "jsonl"])
    items = [json.loads(x) for x in listed.stdout.splitlines()]
    assert any(d["field"] == "place" for item in items if "fused_id" in item for d in item["discrepancies"])
    missing = runner.invoke(app, ["event", "fe_nope", "--db", db])
    assert missing.exit_code == 1 and "communique timeline" in missing.stderr


def test_dyad_table_and_chart(db, tmp_path):
    chart = tmp_path / "d.png"
    out = runner.invoke(app, ["dyad", "KOR", "CHN", "--db", db, "--by", "week", "--plot", str(chart)])
    assert out.exit_code == 0, out.output
    assert "2024-W25" in out.stdout and chart.read_bytes()[:4] == b"\x89PNG"
    bad = runner.invoke(app, ["dyad", "KOR", "CHN", "--db", db, "--plot", str(tmp_path / "d.gif")])
    assert bad.exit_code == 2


def test_graph_and_exports(db, tmp_path):
    out = runner.invoke(app, ["graph", "--db", db])
    assert out.exit_code == 0 and {n["id"] for n in json.loads(out.stdout)["nodes"]} == {"KOR", "CHN"}
    assert runner.invoke(app, ["graph", "--db", db, "--format", "graphml", "-o", str(tmp_path / "g.graphml")]).exit_code == 0
    parquet = tmp_path / "e.parquet"
    assert runner.invoke(app, ["export", "events", "--db", db, "--format", "parquet", "-o", str(parquet)]).exit_code == 0
    assert parquet.stat().st_size > 0
    plover = runner.invoke(app, ["export", "events", "--db", db, "--format", "plover"])
    assert json.loads(plover.stdout.splitlines()[0])["event"] == ["CONSULT"]
    wrong = runner.invoke(app, ["export", "actors", "--db", db, "--format", "plover"])
    assert wrong.exit_code == 2 and "PLOVER records are events" in wrong.stderr


def test_every_new_command_has_help_with_example():
    for cmd in ("timeline", "event", "discrepancies", "dyad", "graph", "export", "fuse"):
        result = runner.invoke(app, [cmd, "--help"])
        assert result.exit_code == 0 and "Example:" in result.stdout, cmd
