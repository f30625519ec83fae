"""PLOVER root-type accuracy and speed of `communique classify`, with a lexicon-only baseline in the same run.

usage: python benchmarks/classify.py [GSR_JSON] [--json]

GSR_JSON defaults to ../shared/plover/PLOVER_GSR_CAMEO.json. Its older labels are mapped (DEMAND->REQUEST,
FIGHT->ASSAULT, DISAPPROVE and INVESTIGATE->ACCUSE) and DOCUMENT records are skipped. The GSR is an evaluation
set only: nothing in the project is trained or tuned on it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from communique.events import ontology  # noqa: E402
from communique.events.classifier import TAGGING_ONLY, ClassifierWeights, EventClassifier, get_classifier  # noqa: E402

OLD_LABELS = {"DEMAND": "REQUEST", "FIGHT": "ASSAULT", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
DEFAULT_GSR = ROOT.parent / "shared" / "plover" / "PLOVER_GSR_CAMEO.json"


def _actor_text(side: object) -> str:
    if isinstance(side, list):
        return "; ".join(a.get("actorText", "") if isinstance(a, dict) else str(a) for a in side)
    if isinstance(side, dict):
        return str(side.get("actorText", ""))
    return str(side or "")


def load_gsr(path: Path) -> list[dict]:
    out = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        label = OLD_LABELS.get(rec.get("event"), rec.get("event"))
        if label not in ontology.EVENT_TYPES or not rec.get("text"):
            continue
        sides = {k: _actor_text(rec.get(k)) for k in ("source", "target")}
        out.append({"id": rec["id"], "text": rec["text"], "label": label, **sides})
    return out


def f1_table(gold: list[str], pred: list[str | None]) -> tuple[float, dict[str, float]]:
    per = {}
    for t in sorted(set(gold)):
        tp = sum(g == t and p == t for g, p in zip(gold, pred, strict=True))
        fp = sum(g != t and p == t for g, p in zip(gold, pred, strict=True))
        fn = sum(g == t and p != t for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per[t] = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return 100 * float(np.mean(list(per.values()))), {k: round(100 * v, 1) for k, v in per.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gsr", nargs="?", type=Path, default=DEFAULT_GSR)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--weights", type=Path, help="a classifier .npz other than the shipped one (e.g. from make train --out)")
    args = ap.parse_args()
    if not args.gsr.exists():
        sys.exit(f"{args.gsr}: not found (the GSR lives in ../shared/plover)")
    items = load_gsr(args.gsr)
    texts = [i["text"] for i in items]
    gold = [i["label"] for i in items]
    clf = EventClassifier(ClassifierWeights.load(args.weights)) if args.weights else get_classifier()
    clf.classify(texts[:8])  # warm-up

    actors = [(i["source"], i["target"]) for i in items]
    t0 = time.perf_counter()
    results = clf.classify(texts, actors=actors)
    elapsed = time.perf_counter() - t0
    pred = [r.event_type for r in results]
    macro, per_type = f1_table(gold, pred)
    # The same model without the actor text: what knowing the actors adds.
    bare_pred = [r.event_type for r in clf.classify(texts)]
    bare_macro, _ = f1_table(gold, bare_pred)

    # Baseline in the same run: the trigger lexicon alone (strongest vote, none when silent).
    docs = list(clf.nlp.pipe(texts, disable=TAGGING_ONLY))
    from communique.events.classifier import lexicon_votes

    lex_pred: list[str | None] = []
    for d in docs:
        votes, _ = lexicon_votes(d, clf.lexicon)
        lex_pred.append(ontology.EVENT_TYPES[int(votes.argmax())] if votes.max() > 0 else None)
    lex_macro, _ = f1_table(gold, lex_pred)

    # Throughput on a larger batch (the GSR repeated to about 1,000 sentences).
    # The median of three timings: this machine is shared, and one slow run says little about the classifier.
    batch = (texts * (1000 // len(texts) + 1))[:1000]
    batch_actors = (actors * (1000 // len(texts) + 1))[:1000]
    timings = []
    for _ in range(3):
        t0 = time.perf_counter()
        clf.classify(batch, actors=batch_actors)
        timings.append(time.perf_counter() - t0)
    rate = len(batch) / float(np.median(timings))

    result = {
        "sentences": len(items), "labels": dict(Counter(gold)), "macro_f1": round(macro, 1),
        "lexicon_only_macro_f1": round(lex_macro, 1), "without_actors_macro_f1": round(bare_macro, 1),
        "without_actors_accuracy": round(100 * float(np.mean([g == p for g, p in zip(gold, bare_pred, strict=True)])), 1), "per_type_f1": per_type,
        "accuracy": round(100 * float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])), 1),
        "sentences_per_s": round(rate, 1), "first_pass_s": round(elapsed, 2),
        "model": clf.weights.meta,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"GSR sentences: {len(items)} (16 root types; older labels mapped)")
    print(f"macro-F1 classifier : {result['macro_f1']:5.1f}   accuracy {result['accuracy']:5.1f}")
    print(f"macro-F1 no actors  : {result['without_actors_macro_f1']:5.1f}   accuracy {result['without_actors_accuracy']:5.1f}"
          "   (same model, source and target not given)")
    print(f"macro-F1 lexicon    : {result['lexicon_only_macro_f1']:5.1f}   (same run, trigger lexicon alone)")
    print("per type F1: " + ", ".join(f"{k} {v}" for k, v in per_type.items()))
    print(f"throughput: {rate:.0f} sentences/s (classify, 1,000 sentences, median of 3 runs)")


if __name__ == "__main__":
    main()
