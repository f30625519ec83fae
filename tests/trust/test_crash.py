"""Killed at any point, re-run: every article once, nothing half-written, the same events and fused events."""

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
# about 60 articles: a run takes long enough (~25 s) to be killed in the middle of its batches
CORPUS = [str(EXAMPLES), str(ROOT / "benchmarks" / "data" / "fusion" / "articles.jsonl")]


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
    reference = tmp_path / "ref.duckdb"
    with Store(reference) as store:
        ingest(store, CORPUS)
    want = _state(reference)
    db = tmp_path / "killed.duckdb"
    command = [sys.executable, "-m", "communique.cli", "ingest", *CORPUS, "--db", str(db), "--quiet", "--workers", "1"]
    rng = random.Random(5)
    kills = 0
    for _ in range(3):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONWARNINGS": "ignore"})
        time.sleep(rng.uniform(5.0, 11.0))  # models load in ~5 s; then batches of 16 articles are coded and stored
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 2
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
