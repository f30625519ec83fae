"""Several processes and a Dask cluster give exactly what one process gives; a killed worker loses nothing."""

import json
import os
import signal
from pathlib import Path

import pytest

from communique import Store, ingest
from communique.api import code_articles
from communique.read import read_paths
from communique.scale.runner import read_results, run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = [str(EXAMPLES / n) for n in ("01_vostochny_summit.txt", "04_putin_pyongyang.txt",
                                      "05_korea_china_2plus2.txt", "10_lavrov_pyongyang.txt")]


def _coded_here() -> list[str]:
    articles = [a for a in read_paths(FILES) if not isinstance(a, Exception)]
    return sorted(json.dumps(e.to_dict(), sort_keys=True) for c in code_articles(articles) for e in c.events)


def _from_results(out: Path) -> list[str]:
    return sorted(json.dumps({k: v for k, v in e.items() if k != "trigger"}, sort_keys=True)
                  for d in read_results(str(p) for p in out.glob("part-*.parquet")) for e in d.events)


def _fused(db: Path) -> list[tuple[str, str]]:
    with Store(db, read_only=True) as store:
        return store.con.execute("SELECT event_id, fused_id FROM fused_members ORDER BY event_id").fetchall()


@pytest.mark.slow
def test_two_worker_processes_store_what_one_process_stores(tmp_path):
    with Store(tmp_path / "one.duckdb") as one:
        ingest(one, FILES, workers=1)
    with Store(tmp_path / "two.duckdb") as two:
        summary = ingest(two, FILES, workers=2, batch_size=1)
    assert summary.new == len(FILES)
    assert _fused(tmp_path / "one.duckdb") == _fused(tmp_path / "two.duckdb")


@pytest.mark.slow
def test_dask_run_equals_code_survives_a_killed_worker_and_restarts(tmp_path):
    from distributed import LocalCluster

    expected = _coded_here()
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        killed = []

        def kill_one(result):
            if not killed:  # after the first partition, kill a worker process outright
                pid = next(iter(cluster.workers.values())).process.process.pid
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        summary = run(FILES, str(out), cluster.scheduler_address, files_per_partition=1, on_done=kill_one)
    assert killed and summary.coded == len(FILES) and summary.failed == 0
    assert _from_results(out) == expected
    # an interrupted run: one result lost; running again redoes only that partition
    (out / "part-00002.parquet").unlink()
    again = run(FILES, str(out), "local", workers=2)
    assert again.done_before == len(FILES) - 1 and again.coded == 1
    assert _from_results(out) == expected
    # the results load into a store as they are, fused like a local ingest
    with Store(tmp_path / "run.duckdb") as store:
        loaded = ingest(store, [str(out)])
    assert loaded.new == len(FILES) and loaded.failed == 0
    with Store(tmp_path / "local.duckdb") as store:
        ingest(store, FILES)
    assert _fused(tmp_path / "run.duckdb") == _fused(tmp_path / "local.duckdb")
