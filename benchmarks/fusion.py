"""Fusion quality on the project's fusion set: pairwise precision and recall of "same event" decisions.

usage: python benchmarks/fusion.py [--json] [--show-errors]

``benchmarks/data/fusion/articles.jsonl`` holds several outlets' versions of the same real events, written by the
project, plus near misses that must stay apart; ``gold.jsonl`` says which sentence of which article reports which
real event. The articles are ingested into a fresh store (the full pipeline: coding, evidence vectors, fusion);
each gold report is matched to the stored event read from its sentence, and every pair of matched reports is one
decision: same event or not. In the same run, two baselines decide from the same stored events:
- exact key (what an event dataset without fusion offers for deduplication, like GDELT's per-day event rows):
  same type, same pair of states, same date;
- communique's fusion without the sentence vectors (word overlap instead).
It also ingests the articles again in reverse order, in two runs, and checks the fused events are identical.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from communique import Store, ingest  # noqa: E402
from communique.fuse import cluster  # noqa: E402
from communique.fuse.reports import Report  # noqa: E402
from communique.store.fusion import load_reports  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "fusion"


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def match_gold(gold: list[dict], reports: dict[str, Report]) -> dict[str, str]:
    """event_id -> gold event, for each gold report found among the stored events of its article."""
    by_article: dict[str, list[Report]] = {}
    for r in reports.values():
        by_article.setdefault(r.article_id, []).append(r)
    out: dict[str, str] = {}
    for g in gold:
        for rep in g["reports"]:
            want = _norm(rep["evidence"])
            hits = [r for r in by_article.get(rep["article"], []) if want in _norm(r.evidence) or _norm(r.evidence) in want]
            if not hits:
                continue
            # one sentence can hold two events ("Xi received Blinken ... since Xi met Biden last year"): take the
            # one of the gold type, date and states
            states = set(g.get("actors", [])) | set(g.get("recipients", []))
            best = max(hits, key=lambda r: (r.event_type == g.get("type"), r.date == g.get("date"),
                                            len(states & (set(r.actors) | set(r.recipients))), r.confidence, r.event_id))
            if best.event_id not in out:
                out[best.event_id] = g["event"]
    return out


def pairwise(labels: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    tp = fp = fn = 0
    for a, b in combinations(sorted(labels), 2):
        same_gold = labels[a] == labels[b]
        same_pred = predicted[a] == predicted[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def _partition(clusters: Iterable[list[Report]]) -> dict[str, str]:
    return {r.event_id: c[0].event_id for c in clusters for r in c}


def _exact_key(reports: Iterable[Report]) -> dict[str, str]:
    groups: dict[tuple, str] = {}
    out = {}
    for r in sorted(reports, key=lambda x: x.event_id):
        key = (r.event_type, r.keys, r.date) if r.date else (r.event_id,)
        out[r.event_id] = groups.setdefault(key, r.event_id)
    return out


def _fused_partition(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT event_id, fused_id FROM fused_members").fetchall())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    gold = [json.loads(ln) for ln in (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    articles = [ln for ln in (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "fusion.duckdb"
        t0 = time.perf_counter()
        with Store(db) as store:
            ingest(store, [str(DATA / "articles.jsonl")])
            ingest_s = time.perf_counter() - t0
            reports = load_reports(store.con, [r[0] for r in store.con.execute("SELECT event_id FROM events").fetchall()])
            fused = _fused_partition(store)
            t1 = time.perf_counter()
            store.fuse(rebuild=True)
            refuse_s = time.perf_counter() - t1
            rebuilt = _fused_partition(store)
        # the same articles in reverse order, in two runs: incremental fusion must land on the same fused events
        half = len(articles) // 2
        parts = [Path(tmp) / "second.jsonl", Path(tmp) / "first.jsonl"]
        parts[0].write_text("\n".join(reversed(articles[half:])) + "\n", encoding="utf-8")
        parts[1].write_text("\n".join(reversed(articles[:half])) + "\n", encoding="utf-8")
        with Store(Path(tmp) / "reverse.duckdb") as other:
            for part in parts:
                ingest(other, [str(part)])
            reverse = _fused_partition(other)
    labels = match_gold(gold, reports)
    n_gold = sum(len(g["reports"]) for g in gold)
    no_vectors = {k: Report(**{**r.__dict__, "vector": None}) for k, r in reports.items()}
    result = {
        "articles": len(articles), "gold_events": len(gold), "gold_reports": n_gold,
        "reports_found": len(labels), "events_stored": len(reports),
        "communique": pairwise(labels, fused),
        "baseline_exact_key": pairwise(labels, _exact_key(reports.values())),
        "communique_without_vectors": pairwise(labels, _partition(cluster(no_vectors.values()))),
        "incremental_equals_rebuild": fused == rebuilt,
        "reverse_order_two_runs_identical": fused == reverse,
        "ingest_seconds": round(ingest_s, 1), "refuse_seconds": round(refuse_s, 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"fusion set: {result['articles']} articles, {result['gold_events']} real events, {n_gold} reports; "
              f"{len(labels)} reports found among {len(reports)} stored events")
        for name in ("communique", "communique_without_vectors", "baseline_exact_key"):
            s = result[name]
            print(f"  {name:28s} pairwise P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
                  f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")
        print(f"  incremental = rebuild: {result['incremental_equals_rebuild']}; reverse order in two runs identical: "
              f"{result['reverse_order_two_runs_identical']}; ingest {result['ingest_seconds']} s, "
              f"re-fuse {result['refuse_seconds']} s")
    if args.show_errors:
        by_gold: dict[str, list[str]] = {}
        for eid, g in labels.items():
            by_gold.setdefault(g, []).append(eid)
        for eid_a, eid_b in combinations(sorted(labels), 2):
            same_gold, same_pred = labels[eid_a] == labels[eid_b], fused[eid_a] == fused[eid_b]
            if same_gold != same_pred:
                a, b = reports[eid_a], reports[eid_b]
                kind = "split" if same_gold else "merged"
                print(json.dumps({"error": kind, "gold": [labels[eid_a], labels[eid_b]],
                                  "a": [a.article_id, a.event_type, a.date, a.status, a.actors, a.recipients, a.evidence[:90]],
                                  "b": [b.article_id, b.event_type, b.date, b.status, b.actors, b.recipients, b.evidence[:90]]},
                                 ensure_ascii=False))


if __name__ == "__main__":
    main()
