"""End to end on ../shared/corpus/dev: schema-valid events and an honest floor on strict F1."""

import json
import subprocess
import sys

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
