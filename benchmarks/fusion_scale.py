"""Fusion and timeline queries on a synthetic store of N events (default 1,000,000).

usage: python benchmarks/fusion_scale.py [--events N] [--db FILE] [--json]

Builds a store directly with SQL (no NLP): articles of 5 events each, 60 states, dates over ten years, and every
real event reported by one to four outlets (so fusion has work to do). Then it times, in one run:
- fusing the whole store from scratch (``Store.fuse(rebuild=True)``) and the rate in events/second;
- incremental fusion of 1,000 newly added events (what one ingest batch costs on a big store);
- timeline queries (first page of everything, a country and a month, an actor name, a deep page), each the
  median of 5 runs, against a baseline in the same run: the same filter on the raw events table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from communique.store import Store, TimelineFilter  # noqa: E402

TYPES = ["CONSULT", "AGREE", "ACCUSE", "REQUEST", "THREATEN", "SANCTION", "ASSAULT", "AID", "SUPPORT", "REJECT"]
QUADS = {"CONSULT": "verbal_cooperation", "AGREE": "verbal_cooperation", "SUPPORT": "verbal_cooperation",
         "AID": "material_cooperation", "ACCUSE": "verbal_conflict", "REQUEST": "verbal_conflict",
         "REJECT": "verbal_conflict", "THREATEN": "verbal_conflict", "SANCTION": "material_conflict",
         "ASSAULT": "material_conflict"}


def build(store: Store, n_events: int, offset: int = 0) -> None:
    """n_events synthetic events from real-event ids; each real event is told by 1-4 reports in other articles."""
    con = store.con
    types = "[" + ",".join(f"'{t}'" for t in TYPES) + "]"
    quads = "map([" + ",".join(f"'{k}'" for k in QUADS) + "], [" + ",".join(f"'{v}'" for v in QUADS.values()) + "])"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE synth AS
        SELECT i, (i // 5) AS art, hash(i // 3 + {offset}) AS real,
               {types}[1 + (hash(i // 3 + {offset}) % 10)::INT] AS etype,
               ((hash(i // 3 + {offset}) >> 8) % 60)::INT AS ai,
               ((hash(i // 3 + {offset}) >> 16) % 60)::INT AS ri,
               DATE '2015-01-01' + ((hash(i // 3 + {offset}) >> 24) % 3650)::INT AS d
        FROM range({offset}, {offset} + {n_events}) t(i)
    """)
    # three-letter codes for 60 synthetic states: ZAA, ZBA, ... (they must look like states to be fused)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE synth AS
        SELECT *, 'Z' || chr(65 + ai % 26) || chr(65 + ai // 26) AS a, 'Z' || chr(65 + ri % 26) || chr(65 + ri // 26) AS r
        FROM synth
    """)
    con.execute("BEGIN TRANSACTION")
    con.execute("""
        INSERT INTO articles (article_id, content_hash, title, published, outlet, text)
        SELECT DISTINCT 'art' || art, 'h' || art, 'synthetic', strftime(min(d) OVER (PARTITION BY art), '%Y-%m-%d'),
               'outlet' || (art % 40), 'synthetic text'
        FROM synth
    """)
    con.execute(f"""
        INSERT INTO events
        SELECT 'ev' || i, 'art' || art, etype, NULL, NULL, {quads}[etype], 0.0, strftime(d, '%Y-%m-%d'), NULL,
               'occurred', 0.8, 'Officials of ' || a || ' and ' || r || ' met to discuss ' || etype || ' ' || (real % 997),
               0, 40, NULL, NULL, NULL, NULL, '{{}}'
        FROM synth
    """)
    con.execute("""
        INSERT INTO event_actors
        SELECT 'ev' || i, 'actor', 0, a, 'State ' || a, 'state', a, 'GOV', NULL, a FROM synth
        UNION ALL
        SELECT 'ev' || i, 'recipient', 0, r, 'State ' || r, 'state', r, 'GOV', NULL, r FROM synth WHERE r <> a
    """)
    con.execute("COMMIT")


def median_ms(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "scale.duckdb")
        with Store(db) as store:
            t = time.perf_counter()
            build(store, args.events)
            build_s = time.perf_counter() - t
            t = time.perf_counter()
            fused = store.fuse(rebuild=True)
            fuse_s = time.perf_counter() - t
            build(store, 1000, offset=args.events)
            t = time.perf_counter()
            store.fuse()
            incr_s = time.perf_counter() - t
            con = store.con
            queries = {
                "first page (100)": (TimelineFilter(limit=100),
                                     "SELECT record FROM events ORDER BY date, event_id LIMIT 100"),
                "country + month": (TimelineFilter(country="ZHA", since="2020-03", until="2020-03"),
                                    "SELECT record FROM events WHERE date LIKE '2020-03%' AND event_id IN "
                                    "(SELECT event_id FROM event_actors WHERE country = 'ZHA') ORDER BY date LIMIT 100"),
                "actor name": (TimelineFilter(actor="State ZHA", limit=100),
                               "SELECT record FROM events WHERE event_id IN (SELECT event_id FROM event_actors "
                               "WHERE name ILIKE '%State ZHA%') ORDER BY date LIMIT 100"),
                "page 1,000": (TimelineFilter(limit=100, offset=100_000),
                               "SELECT record FROM events ORDER BY date, event_id LIMIT 100 OFFSET 100000"),
            }
            timings = {}
            for name, (flt, raw) in queries.items():
                timings[name] = {"timeline_ms": median_ms(lambda f=flt: store.timeline(f)),
                                 "raw_events_ms": median_ms(lambda q=raw: con.execute(q).fetchall())}
            counts = store.counts()
    result = {"events": counts["events"], "fused_events": counts["fused_events"], "build_s": round(build_s, 1),
              "fuse_all_s": round(fuse_s, 1), "fuse_events_per_s": round(args.events / fuse_s),
              "incremental_1000_s": round(incr_s, 2), "queries": timings, "fused_written": fused}
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['events']:,} events -> {result['fused_events']:,} fused events (store built in {result['build_s']} s)")
    print(f"fuse everything: {result['fuse_all_s']} s ({result['fuse_events_per_s']:,} events/s); "
          f"fuse 1,000 new events into it: {result['incremental_1000_s']} s")
    for name, t in timings.items():
        print(f"  timeline {name:18s} {t['timeline_ms']:8.1f} ms   (raw events table, same filter: {t['raw_events_ms']:.1f} ms)")


if __name__ == "__main__":
    main()
