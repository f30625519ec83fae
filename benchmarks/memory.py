"""Memory over a long ingest: does the resident memory of `communique ingest` stay flat as the corpus grows?

usage: python benchmarks/memory.py [--articles 10000] [--workers 2] [--db FILE] [--json]
       python benchmarks/memory.py --in-process [--articles N] [--json]
       python benchmarks/memory.py --store-only [--articles 320] [--rounds 12] [--refresh N] [--json]

Writes a corpus of N distinct articles (paragraphs of the bundled examples, each article with its own date, outlet and
a sentence of its own, so none is a duplicate), runs `communique ingest` on it in a subprocess, and samples the
resident memory (RSS) of the ingest process and of its worker processes twice a second. Flat means: the memory in
the last fifth of the run is within a small margin of the memory in the second fifth (the first fifth holds model
loading). Reports the peak per process kind, the growth between those fifths, and the rate.

``--in-process`` codes the same corpus in this process, exactly as one worker does (scale.coded.code_batch, one
thread, batches of 16), with no pool, pipes or database: what the coding path alone does to memory. Per fifth it
reports the RSS, Python's allocated blocks and the size of spaCy's string store, so a creep can be told apart: native
heap (RSS only), Python objects (blocks), or vocabulary (strings).

``--store-only`` is the other half: it codes N articles once, then stores and fuses them ``--rounds`` times under new
ids and texts, in one process, exactly as ingest's writing process does (a transaction per batch of 16, then fusion
of the batch), reopening the database every ``--refresh`` articles as ingest does (0: never). Per round it reports
the RSS and DuckDB's own accounting (``duckdb_memory()``), so the store's memory is seen apart from the models'.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FLAT_MARGIN_MB = 100.0


def corpus(n: int, seed: int = 3) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    paragraphs = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n\n")[1:]
        paragraphs += [p.strip() for p in body if len(p.split()) > 15]
    outlets = ["Harbor Wire", "Northern Ledger", "Capital Dispatch", "Evening Signal", "Pacific Courier"]
    out = []
    for i in range(n):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        picked = rng.sample(paragraphs, 3)
        extra = f"Officials said follow-up talks, number {i}, would be held in the spring."
        out.append({"id": f"mem-{i:05d}", "title": f"Regional briefing {i}", "published": f"2024-{month:02d}-{day:02d}",
                    "outlet": rng.choice(outlets), "text": "\n\n".join([*picked, extra])})
    return out


def tree_rss(proc: psutil.Process) -> tuple[float, list[float]]:
    """RSS in MB of the process and of each of its descendants."""
    try:
        main = proc.memory_info().rss / 2**20
        kids = []
        for child in proc.children(recursive=True):
            try:
                kids.append(child.memory_info().rss / 2**20)
            except psutil.Error:
                pass
        return main, kids
    except psutil.Error:
        return 0.0, []


def fifth(samples: list[tuple[float, float, float]], k: int, which: tuple[int, ...] = (1, 2)) -> float:
    """The highest RSS (of the parent 1, the largest worker 2, or both) in the k-th fifth (0-based) of the run."""
    n = len(samples)
    part = samples[k * n // 5 : max(k * n // 5 + 1, (k + 1) * n // 5)]
    return max(sum(s[i] for i in which) for s in part) if part else 0.0


def coding_path(n: int) -> dict[str, Any]:
    """RSS, Python blocks and spaCy strings per fifth while one process codes ``n`` articles (see the module doc)."""
    os.environ["COMMUNIQUE_THREADS"] = "1"  # as in a worker (scale/parallel.py)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import gc

    from communique.nlp import load_spacy
    from communique.records import Article
    from communique.scale.coded import code_batch
    from communique.scale.heap import bound_native_heap

    bound_native_heap()
    articles = [Article(a["id"], a["text"], a["title"], a["published"], outlet=a["outlet"]) for a in corpus(n)]
    me = psutil.Process()
    fifths: list[tuple[float, int, int]] = []
    t0 = time.perf_counter()
    for start in range(0, n, 16):
        code_batch(articles[start:start + 16])
        while len(fifths) < 5 and min(start + 16, n) >= (len(fifths) + 1) * n // 5:  # a sample at the end of each fifth
            gc.collect()
            fifths.append((me.memory_info().rss / 2**20, sys.getallocatedblocks(), len(load_spacy().vocab.strings)))
    elapsed = time.perf_counter() - t0
    return {"articles": n, "seconds": round(elapsed, 1), "articles_per_s": round(n / elapsed, 2),
            "rss_by_fifth_mb": [round(f[0]) for f in fifths], "python_blocks_by_fifth": [f[1] for f in fifths],
            "spacy_strings_by_fifth": [f[2] for f in fifths], "growth_mb": round(fifths[-1][0] - fifths[0][0])}


def _renamed(data: Any, round_no: int) -> Any:
    """A copy of a coded article under a new id, with a text of its own (so not a duplicate), events renamed."""
    import copy

    data = copy.deepcopy(data)
    old_id = data.article["article_id"]
    new_id = f"{old_id}-r{round_no}"
    data.article["article_id"] = new_id
    data.article["text"] += f" Round {round_no}."
    for event in data.events:
        event["event_id"] = event["event_id"].replace(old_id, new_id, 1)
        event["article_id"] = new_id
    return data


def store_path(n: int, rounds: int, refresh: int) -> dict[str, Any]:
    """RSS and DuckDB's memory per round while one process stores and fuses ``n`` coded articles ``rounds`` times."""
    os.environ["COMMUNIQUE_THREADS"] = "1"
    import gc

    from communique.api import _store_coded
    from communique.records import Article
    from communique.scale.coded import code_batch
    from communique.store import IngestSummary, Store

    articles = [Article(a["id"], a["text"], a["title"], a["published"], outlet=a["outlet"]) for a in corpus(n)]
    coded = [d for start in range(0, n, 16) for d in code_batch(articles[start:start + 16])]
    me = psutil.Process()
    summary = IngestSummary()
    per_round: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store.duckdb")
        since_refresh = 0
        for round_no in range(rounds):
            batch = [_renamed(d, round_no) for d in coded]
            for start in range(0, len(batch), 16):
                _store_coded(store, batch[start:start + 16], summary, None)
                since_refresh += len(batch[start:start + 16])
                if refresh and since_refresh >= refresh:
                    store.refresh()
                    since_refresh = 0
            gc.collect()
            duck = dict(store.con.execute("SELECT tag, memory_usage_bytes FROM duckdb_memory()").fetchall())
            per_round.append({"articles": summary.new, "rss_mb": round(me.memory_info().rss / 2**20),
                              "duckdb_mb": round(sum(duck.values()) / 2**20, 1)})
        store.close()
    rss = [r["rss_mb"] for r in per_round]
    return {"coded": n, "rounds": rounds, "refresh": refresh, "stored": summary.new, "events": summary.events,
            "seconds": round(time.perf_counter() - t0, 1), "per_round": per_round,
            "growth_mb": rss[-1] - rss[0], "growth_after_first_third_mb": rss[-1] - rss[len(rss) // 3]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=None, help="default: 10,000 (320 coded once with --store-only)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--in-process", action="store_true", help="code in this process only (the coding path's memory)")
    ap.add_argument("--store-only", action="store_true", help="store and fuse coded articles again and again")
    ap.add_argument("--rounds", type=int, default=12, help="--store-only: times the coded articles are stored")
    ap.add_argument("--refresh", type=int, default=None,
                    help="--store-only: reopen the database every N articles (default: as ingest does; 0: never)")
    args = ap.parse_args()
    if args.store_only:
        from communique.api import REFRESH_ARTICLES

        refresh = REFRESH_ARTICLES if args.refresh is None else args.refresh
        probe = store_path(args.articles or 320, args.rounds, refresh)
        print(json.dumps(probe) if args.json else
              f"{probe['stored']:,} articles ({probe['events']:,} events) stored and fused in one process in "
              f"{probe['seconds']} s, reopening every {refresh or 'never'}; per round: RSS MB "
              f"{[r['rss_mb'] for r in probe['per_round']]}, DuckDB MB {[r['duckdb_mb'] for r in probe['per_round']]}; "
              f"growth {probe['growth_mb']:+d} MB ({probe['growth_after_first_third_mb']:+d} after the first third)")
        return
    args.articles = args.articles or 10_000
    if args.in_process:
        probe = coding_path(args.articles)
        print(json.dumps(probe) if args.json else
              f"{probe['articles']:,} articles coded in one process in {probe['seconds']} s; per fifth: RSS MB "
              f"{probe['rss_by_fifth_mb']}, Python blocks {probe['python_blocks_by_fifth']}, spaCy strings "
              f"{probe['spacy_strings_by_fifth']}; growth {probe['growth_mb']:+d} MB")
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus"  # files of 500 articles: one file of 10,000 would pass the 5 MB input limit
        src.mkdir()
        articles = corpus(args.articles)
        for start in range(0, len(articles), 500):
            (src / f"part-{start // 500:03d}.jsonl").write_text(
                "".join(json.dumps(a) + "\n" for a in articles[start:start + 500]), encoding="utf-8")
        db = args.db or str(Path(tmp) / "memory.duckdb")
        exe = Path(sys.executable).parent / "communique"
        cmd = [str(exe), "ingest", str(src), "--db", db, "--quiet", "--workers", str(args.workers)]
        print(f"ingesting {args.articles:,} articles with {args.workers} worker(s) ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        popen = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 env={**os.environ, "PYTHONWARNINGS": "ignore"})
        proc = psutil.Process(popen.pid)
        samples: list[tuple[float, float, float]] = []  # (seconds, parent MB, largest worker MB)
        peak_parent = peak_worker = 0.0
        while popen.poll() is None:
            parent, kids = tree_rss(proc)
            worker = max(kids) if kids else 0.0
            samples.append((time.perf_counter() - t0, parent, worker))
            peak_parent, peak_worker = max(peak_parent, parent), max(peak_worker, worker)
            time.sleep(0.5)
        elapsed = time.perf_counter() - t0
        err = popen.stderr.read().decode() if popen.stderr else ""
        if popen.returncode != 0:
            raise SystemExit(f"ingest failed ({popen.returncode}): {err[-2000:]}")
        from communique.store import Store

        with Store(db, read_only=True) as store:
            stored = store.counts()["articles"]
    second, last = fifth(samples, 1), fifth(samples, 4)
    result = {"articles": args.articles, "stored": stored, "workers": args.workers, "seconds": round(elapsed, 1),
              "articles_per_s": round(args.articles / elapsed, 2), "peak_parent_mb": round(peak_parent),
              "peak_worker_mb": round(peak_worker), "second_fifth_mb": round(second), "last_fifth_mb": round(last),
              "growth_mb": round(last - second), "flat": last - second <= FLAT_MARGIN_MB, "samples": len(samples),
              "parent_growth_mb": round(fifth(samples, 4, (1,)) - fifth(samples, 1, (1,))),
              "worker_growth_mb": round(fifth(samples, 4, (2,)) - fifth(samples, 1, (2,))),
              # the shape of the curve: growth that levels off is a cache filling, growth that keeps its pace a leak
              "parent_by_fifth_mb": [round(fifth(samples, k, (1,))) for k in range(5)],
              "worker_by_fifth_mb": [round(fifth(samples, k, (2,))) for k in range(5)]}
    if args.json:
        print(json.dumps(result))
        return
    print(f"{stored:,} of {args.articles:,} articles stored in {elapsed:.0f} s ({result['articles_per_s']} art/s), "
          f"{args.workers} worker(s)")
    print(f"peak RSS: ingest process {peak_parent:.0f} MB, largest worker {peak_worker:.0f} MB")
    print(f"parent + largest worker, max over the 2nd fifth {second:.0f} MB, over the last fifth {last:.0f} MB: "
          f"growth {last - second:+.0f} MB -> {'flat' if result['flat'] else 'NOT flat'} (margin {FLAT_MARGIN_MB:.0f} MB); "
          f"ingest process {result['parent_growth_mb']:+d} MB, worker {result['worker_growth_mb']:+d} MB")
    print(f"max per fifth of the run, MB: ingest process {result['parent_by_fifth_mb']}, "
          f"largest worker {result['worker_by_fifth_mb']}")


if __name__ == "__main__":
    main()
