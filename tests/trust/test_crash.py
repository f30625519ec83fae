"""Killed at any point, re-run: every article once, nothing half-written, the same events and fused events."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique import Store, ingest
from tests.trust.figures import record

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FUSION_ARTICLES = ROOT / "benchmarks" / "data" / "fusion" / "articles.jsonl"


def _larger_corpus(folder: Path, editions: int = 3) -> list[str]:
    """The examples and ``editions`` distinct copies of the fusion articles (~140 articles): enough batches that a
    kill lands between the models loading and the last batch even on a fast machine (the 57-article corpus was
    sometimes done before the first kill)."""
    rows = [json.loads(line) for line in FUSION_ARTICLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = folder / "editions.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(1, editions + 1):
            for row in rows:
                copy = {**row, "id": f"{row['id']}_e{n}", "url": f"{row['url']}?edition={n}",
                        "text": f"{row['text']}\n\nThis is edition {n} of the report."}
                out.write(json.dumps(copy) + "\n")
    return [str(EXAMPLES), str(path)]


def _state(db: Path) -> dict[str, object]:
    with Store(db, read_only=True) as store:
        q = store.con.execute
        return {
            "articles": q("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchall(),
            "events": q("SELECT event_id FROM events ORDER BY 1").fetchall(),
            # no half-written article: every event's article is there, and every article has its mentions
            "orphans": q("SELECT count(*) FROM events WHERE article_id NOT IN (SELECT article_id FROM articles)").fetchall(),
            "fused": q("SELECT event_id, fused_id FROM fused_members ORDER BY 1").fetchall(),
            "unfused": q("SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM fused_members)").fetchall(),
        }


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun(tmp_path):
    corpus = _larger_corpus(tmp_path)

    def command(db: Path) -> list[str]:
        return [sys.executable, "-m", "communique.cli", "ingest", *corpus, "--db", str(db), "--quiet", "--workers", "1"]

    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": {**os.environ, "PYTHONWARNINGS": "ignore"}}
    reference = tmp_path / "ref.duckdb"
    started = time.monotonic()
    subprocess.run(command(reference), check=True, **quiet)
    whole_run = time.monotonic() - started  # models load in ~5 s of it; then batches of 16 articles
    want = _state(reference)
    db = tmp_path / "killed.duckdb"
    rng = random.Random(5)
    kills = 0
    for _ in range(3):
        # kill points are fractions of a whole run, so they fall among the batches on a fast machine or a slow one;
        # each re-run has fewer articles left, so the later ones may finish first
        proc = subprocess.Popen(command(db), **quiet)
        time.sleep(rng.uniform(0.35, 0.6) * whole_run)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 2
    subprocess.run(command(db), check=True, **quiet)
    got = _state(db)
    assert got["articles"][0][0] == got["articles"][0][1] == want["articles"][0][0]
    assert got["orphans"] == [(0,)] and got["unfused"] == [(0,)]
    assert got["events"] == want["events"]
    assert got["fused"] == want["fused"]
    record("crash", kills=kills, articles=want["articles"][0][0], duplicates=got["articles"][0][0] - got["articles"][0][1],
           half_written=got["orphans"][0][0], unfused=got["unfused"][0][0], same_events=True)


@pytest.mark.slow
def test_the_same_corpus_in_any_order_or_split_gives_the_same_store(tmp_path):
    files = sorted(str(p) for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html", ".jsonl"))
    stores = []
    for name, runs in (("once", [files]), ("twice", [files, files]), ("reversed", [list(reversed(files))]),
                       ("split", [files[1::2], files[::2]])):
        db = tmp_path / f"{name}.duckdb"
        with Store(db) as store:
            for run in runs:
                ingest(store, run)
        stores.append(_state(db))
    assert all(s == stores[0] for s in stores[1:])
    record("idempotence", runs=4, same_store=True, duplicates=stores[0]["articles"][0][0] - stores[0]["articles"][0][1])
