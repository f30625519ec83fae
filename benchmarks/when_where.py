"""Event date, status and place accuracy on the project's own test sentences, against a GDELT-style baseline
(every event dated by its publication day, every event "occurred", no place) in the same run.

usage: python benchmarks/when_where.py [--json] [--show-errors]

Cases: benchmarks/data/when_where_cases.jsonl (written by the project; see benchmarks/data/README.md).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from communique.actors.gazetteer import load_gazetteer  # noqa: E402
from communique.nlp import load_spacy  # noqa: E402
from communique.when_where.dates import clause_tense, event_date  # noqa: E402
from communique.when_where.places import event_place  # noqa: E402
from communique.when_where.status import event_status  # noqa: E402

CASES = ROOT / "benchmarks" / "data" / "when_where_cases.jsonl"


def _norm_place(p: str | None) -> str | None:
    return re.sub(r"^the\s+", "", p.strip(), flags=re.I).lower() if p else None


def dev_matched(shared: Path) -> dict:
    """On ../shared/corpus/dev: for each gold event matched by type and dyad (the scorer's rule), does the
    matched prediction carry the gold date (the scorer's tolerance) and the gold status?"""
    import subprocess

    sys.path.insert(0, str(shared / "eval"))
    from score_docs import date_ok, dyad_ok  # type: ignore[import-not-found]

    dev = shared / "corpus" / "dev"
    out = subprocess.run([sys.executable, "-m", "communique.cli", "code", *sorted(str(p) for p in dev.glob("*.txt"))],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    preds = [json.loads(x) for x in out.stdout.splitlines() if x.strip()]
    rows = []
    for gold_file in sorted(dev.glob("*.gold.jsonl")):
        for g in (json.loads(x) for x in gold_file.read_text().splitlines() if x.strip()):
            cands = [p for p in preds if p["article_id"] == g["doc"] and p["event_type"] == g["event_type"] and dyad_ok(g, p, True)]
            if not cands:
                continue
            best = next((p for p in cands if date_ok(g.get("date"), p.get("date")) and p["status"] == g["status"]), None)
            best = best or next((p for p in cands if date_ok(g.get("date"), p.get("date"))), cands[0])
            rows.append({"evidence": g["evidence"][:60], "optional": g.get("optional", False),
                         "date_ok": date_ok(g.get("date"), best.get("date")), "status_ok": best["status"] == g["status"],
                         "want": [g.get("date"), g["status"]], "got": [best.get("date"), best["status"]]})
    n = len(rows)
    return {"matched": n, "date": sum(r["date_ok"] for r in rows), "status": sum(r["status_ok"] for r in rows),
            "misses": [r for r in rows if not (r["date_ok"] and r["status_ok"])]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--dev", action="store_true", help="also check events matched on ../shared/corpus/dev")
    args = ap.parse_args()
    cases = [json.loads(x) for x in CASES.read_text(encoding="utf-8").splitlines() if x.strip()]
    nlp, gaz = load_spacy(), load_gazetteer()
    hits: Counter[str] = Counter()
    base: Counter[str] = Counter()
    errors = []
    for case, doc in zip(cases, nlp.pipe(c["text"] for c in cases), strict=True):
        pub = date.fromisoformat(case["published"])
        tok = next((t for t in doc if t.text == case["trigger"]), None)
        if tok is None:
            errors.append((case["id"], "trigger not found"))
            continue
        status = event_status(tok)
        tense = "future" if status == "planned" else clause_tense(tok)
        resolved = event_date(tok, pub, tense)
        got_date = resolved.value if resolved else None
        loc = event_place(tok, gaz)
        got_place = loc.name if loc else None
        ok = {
            "date": got_date == case["date"],
            "status": status == case["status"],
            "place": _norm_place(got_place) == _norm_place(case["place"]),
        }
        hits.update(k for k, v in ok.items() if v)
        base["date"] += case["date"] == case["published"]
        base["status"] += case["status"] == "occurred"
        base["place"] += case["place"] is None
        if not all(ok.values()):
            errors.append((case["id"], {"text": case["text"], "published": case["published"],
                                        "want": (case["date"], case["status"], case["place"]),
                                        "got": (got_date, status, got_place)}))
    n = len(cases)
    result = {k: round(100 * hits[k] / n, 1) for k in ("date", "status", "place")}
    result["baseline"] = {k: round(100 * base[k] / n, 1) for k in ("date", "status", "place")}
    result["cases"] = n
    shared = ROOT.parent / "shared"
    if args.dev and (shared / "corpus" / "dev").is_dir():
        result["dev"] = dev_matched(shared)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{n} cases (benchmarks/data/when_where_cases.jsonl)")
        print(f"{'':14s}{'communique':>12s}{'pub-date baseline':>20s}")
        for k in ("date", "status", "place"):
            print(f"{k + ' accuracy':14s}{result[k]:11.1f}%{result['baseline'][k]:19.1f}%")
        if "dev" in result:
            d = result["dev"]
            print(f"dev: {d['matched']} gold events matched by type and dyad; gold date on {d['date']}, gold status on {d['status']}")
            for miss in d["misses"]:
                print("   ", json.dumps(miss))
    if args.show_errors:
        for cid, info in errors:
            print(cid, json.dumps(info))


if __name__ == "__main__":
    main()
