"""The CLI driven in-process with typer's runner."""

import json

from typer.testing import CliRunner

from communique.cli import app

runner = CliRunner()

ARTICLE = (
    "Seoul and Beijing hold security talks\n\n"
    "SEOUL, June 19, 2024 - South Korea's First Vice Foreign Minister Kim Hong-kyun held talks with Chinese Vice "
    "Foreign Minister Sun Weidong in Seoul on Tuesday.\n\n"
    "Kim urged China to play a constructive role on the Korean Peninsula.\n"
)


def _write(tmp_path, name="talks.txt", text=ARTICLE):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_code_prints_schema_records(tmp_path):
    result = runner.invoke(app, ["code", str(_write(tmp_path))])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    types = {(e["event_type"], e["date"]) for e in events}
    assert ("CONSULT", "2024-06-18") in types
    assert ("REQUEST", "2024-06-19") in types or ("REQUEST", "2024-06-18") in types
    assert all(e["article_id"] == "talks" for e in events)


def test_code_reads_stdin_jsonl():
    line = json.dumps({"id": "w1", "text": ARTICLE, "published": "2024-06-19"})
    result = runner.invoke(app, ["code", "-"], input=line + "\n")
    assert result.exit_code == 0, result.output
    assert all(json.loads(x)["article_id"] == "w1" for x in result.stdout.splitlines())
    assert result.stdout.strip()


def test_code_bad_file_fails_with_message_but_codes_the_rest(tmp_path):
    good = _write(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["code", str(good), str(bad)])
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr and "binary" in result.stderr
    assert result.stdout.strip()


def test_ingest_then_events_and_idempotence(tmp_path):
    db = str(tmp_path / "t.duckdb")
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder)
    (folder / "broken.jsonl").write_text('{"id": 1, "text": "x"\n', encoding="utf-8")
    first = runner.invoke(app, ["ingest", str(folder), "--db", db, "--quiet"])
    assert first.exit_code == 1  # one bad line
    assert "1 new, 0 already present, 1 failed" in first.stderr
    assert "broken.jsonl:1" in first.stderr
    second = runner.invoke(app, ["ingest", str(folder / "talks.txt"), "--db", db, "--quiet"])
    assert second.exit_code == 0
    assert "0 new, 1 already present" in second.stderr
    listed = runner.invoke(app, ["events", "--db", db, "--format", "jsonl", "--actor", "CHN"])
    assert listed.exit_code == 0
    records = [json.loads(x) for x in listed.stdout.splitlines()]
    assert records and all(any(a["country"] == "CHN" for a in r["actors"] + r["recipients"]) for r in records)
    csv_out = runner.invoke(app, ["events", "--db", db, "--format", "csv", "--type", "CONSULT"])
    assert csv_out.stdout.splitlines()[0].startswith("event_id,")
    table = runner.invoke(app, ["events", "--db", db, "--status", "occurred"])
    assert "CONSULT" in table.stdout


def test_events_on_missing_db_says_how_to_fix(tmp_path):
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "communique ingest" in result.stderr


def test_every_command_has_help_with_example():
    for cmd in ("code", "ingest", "events", "demo"):
        result = runner.invoke(app, [cmd, "--help"])
        assert result.exit_code == 0 and "Example:" in result.stdout, cmd


def test_ingest_refuses_a_bad_memory_cap_and_leaves_no_database(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder)
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--quiet", "--db-memory", "plenty"])
    assert result.exit_code != 0
    assert "512MB" in result.stderr  # the message says what to give
    assert not db.exists()


def test_cli_starts_without_the_models_or_the_plotting_libraries():
    # `communique timeline`, `export` and `--help` must not pay for spaCy, torch or matplotlib (~3 s to import)
    import subprocess
    import sys

    code = ("import sys, communique.cli; "
            "print(sorted(m for m in ('spacy', 'torch', 'matplotlib', 'networkx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
