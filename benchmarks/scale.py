"""Scaling on one machine and on a Dask cluster, in one run.

usage: python benchmarks/scale.py [--articles N] [--json]

Articles of 500-800 words are made by joining two different sample articles of `examples/` (each ~320 words), so
every text is distinct and as long as the issue's target asks. The same corpus is then
1. ingested end to end (read, code, embed, store, fuse) with 1 worker process, then with 2;
2. coded by `communique run` on a local Dask cluster of 2 worker processes, then loaded with `communique ingest`.
Times are wall-clock; the 1-worker run starts with its models loaded (a 2-article warm-up loads them in this
process), and the 2-worker runs include their processes' model load, which is also measured alone (a 2-article
run) so the steady-state rate is reported too; peak memory is the largest resident set of any worker
process, sampled every 0.2 s. The projection for 1 million articles on 64 cores scales the 2-worker rate per worker
by 64 and by the measured steady-state 1 -> 2 efficiency.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

# one core per worker, the parent included: "1 worker" must mean one core, or the scaling measured is not scaling
os.environ["COMMUNIQUE_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import psutil  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from communique import Store, ingest  # noqa: E402
from communique.scale.runner import run  # noqa: E402


def make_corpus(folder: Path, n: int) -> tuple[list[str], float]:
    samples = []
    for p in sorted((ROOT / "examples").glob("*.txt")):
        lines = p.read_text(encoding="utf-8").splitlines()
        samples.append((lines[0], "\n".join(lines[1:])))
    folder.mkdir(parents=True, exist_ok=True)
    paths, words = [], []
    for i, (a, b) in enumerate(itertools.islice(itertools.permutations(samples, 2), n)):
        text = f"{a[0]}\n\n{a[1]}\n\n{b[1]}\n"
        path = folder / f"joined_{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
        words.append(len(text.split()))
    return paths, sum(words) / len(words)


class PeakWorkerMemory:
    """The largest resident set of any child process of this one, sampled in the background."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for child in me.children(recursive=True):
                try:
                    self.peak = max(self.peak, child.memory_info().rss)
                except psutil.Error:
                    pass
            time.sleep(0.2)

    def __enter__(self) -> PeakWorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed_ingest(paths: list[str], db: Path, workers: int) -> dict[str, float]:
    with PeakWorkerMemory() as mem, Store(db) as store:
        t = time.perf_counter()
        summary = ingest(store, paths, workers=workers)
        seconds = time.perf_counter() - t
    return {"seconds": round(seconds, 1), "articles_per_s": round(summary.new / seconds, 2),
            "peak_worker_mb": round(mem.peak / 2**20) if workers > 1 else round(psutil.Process().memory_info().rss / 2**20)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        paths, mean_words = make_corpus(base / "corpus", args.articles)
        # start-up: a 2-article ingest loads the models (in this process for 1 worker, in each process for 2)
        timed_ingest(paths[:2], base / "warm1.duckdb", 1)  # after this, the in-process models are loaded
        startup_two = timed_ingest(paths[:2], base / "warm2.duckdb", 2)["seconds"]
        one = timed_ingest(paths, base / "one.duckdb", 1)
        two = timed_ingest(paths, base / "two.duckdb", 2)
        # steady state: the 2-worker run minus its processes' start-up (the 1-worker run has none left)
        two["steady_articles_per_s"] = round(len(paths) / max(0.1, two["seconds"] - startup_two), 2)
        two["startup_seconds"] = startup_two
        with PeakWorkerMemory() as mem:
            t = time.perf_counter()
            summary = run(paths, str(base / "out"), "local", workers=2, files_per_partition=10)
            run_s = time.perf_counter() - t
        with Store(base / "run.duckdb") as store:
            t = time.perf_counter()
            ingest(store, [str(base / "out")])
            load_s = time.perf_counter() - t
    n = len(paths)
    efficiency = two["steady_articles_per_s"] / (2 * one["articles_per_s"])
    per_worker = two["steady_articles_per_s"] / 2
    projected_rate = per_worker * 64 * efficiency
    result = {
        "articles": n, "mean_words": round(mean_words), "one_worker": one, "two_workers": two,
        "speedup_1_to_2": round(two["articles_per_s"] / one["articles_per_s"], 2),
        "steady_speedup_1_to_2": round(two["steady_articles_per_s"] / one["articles_per_s"], 2),
        "dask_local_2_workers": {"seconds": round(run_s, 1), "articles_per_s": round(summary.articles / run_s, 2),
                                 "peak_worker_mb": round(mem.peak / 2**20), "load_into_store_s": round(load_s, 1)},
        "dask_overhead_vs_local_2": round(run_s / two["seconds"] - 1, 3),
        "projected_hours_1m_articles_64_cores": round(1_000_000 / projected_rate / 3600, 2),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{n} articles of {result['mean_words']} words on average (two samples joined)")
    print(f"  ingest, 1 worker : {one['articles_per_s']:6.2f} articles/s ({one['seconds']} s), peak {one['peak_worker_mb']} MB")
    print(f"  ingest, 2 workers: {two['articles_per_s']:6.2f} articles/s ({two['seconds']} s), peak {two['peak_worker_mb']} MB per worker")
    print(f"  speed-up 1 -> 2 workers: {result['speedup_1_to_2']}x with the workers' start-up "
          f"({two['startup_seconds']} s), {result['steady_speedup_1_to_2']}x without it "
          f"({two['steady_articles_per_s']} articles/s)")
    d = result["dask_local_2_workers"]
    print(f"  communique run, local Dask, 2 workers: {d['articles_per_s']:6.2f} articles/s ({d['seconds']} s), "
          f"peak {d['peak_worker_mb']} MB per worker; loading its results: {d['load_into_store_s']} s")
    print(f"  runner overhead against ingest --workers 2: {result['dask_overhead_vs_local_2']:+.1%}")
    print(f"  projected: 1,000,000 articles on 64 cores in {result['projected_hours_1m_articles_64_cores']} h")


if __name__ == "__main__":
    main()
