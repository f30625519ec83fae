"""End to end on ../shared/corpus/dev: schema-valid events and an honest floor on strict F1."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from communique.api import code_articles
from communique.read import read_paths

# Measured 0.80 when this floor was set (README, "Accuracy"); the bar is 0.4.
STRICT_F1_FLOOR = 0.6


def test_dev_events_validate_and_score(shared_dir, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((shared_dir / "schema" / "event.schema.json").read_text())
    paths = sorted(str(p) for p in (shared_dir / "corpus" / "dev").glob("*.txt"))
    articles = [a for a in read_paths(paths)]
    out = tmp_path / "pred.jsonl"
    n = 0
    with open(out, "w") as fh:
        for coded in code_articles(articles):
            for e in coded.events:
                rec = e.to_dict()
                jsonschema.validate(rec, schema)
                fh.write(json.dumps(rec) + "\n")
                n += 1
    assert n > 0
    scored = subprocess.run(
        [sys.executable, str(shared_dir / "eval" / "score_docs.py"), str(shared_dir / "corpus" / "dev"), str(out), "--json"],
        capture_output=True, text=True, check=True,
    )
    result = json.loads(scored.stdout)
    assert result["strict"]["f1"] >= STRICT_F1_FLOOR, result


def test_dev_and_sample_reports_of_the_same_dialogue_fuse(shared_dir, tmp_path):
    from communique import TimelineFilter, ingest
    from communique.store import Store

    sample = Path(__file__).resolve().parent.parent / "examples" / "05_korea_china_2plus2.txt"
    with Store(tmp_path / "both.duckdb") as store:
        ingest(store, [str(sample), *sorted(str(p) for p in (shared_dir / "corpus" / "dev").glob("*.txt"))])
        rows = store.timeline(TimelineFilter(country="KOR", since="2024-06-18", until="2024-06-18", limit=None))
    dialogue = [r for r in rows if r["event_type"] == "CONSULT" and set(r["actors"] + r["recipients"]) == {"KOR", "CHN"}]
    assert dialogue and dialogue[0]["num_articles"] == 2
