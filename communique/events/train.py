"""Train the event-type classifier head on the project's own sentences, reproducibly.

usage: python -m communique.events.train [--data FILE] [--out FILE] [--seed N] [--epochs N] [--rank R]

Steps: features (MiniLM embedding + lexicon votes) -> a stratified held-out fifth to fit the temperature that
calibrates confidences and to report held-out macro-F1 -> the final model refit on all sentences -> weights saved.
Same data and seed give the same weights (checked by tests/events/test_train.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from pathlib import Path

import numpy as np

from .classifier import LABELS, WEIGHTS_PATH, Actors, ClassifierWeights, EventClassifier, marked_texts
from .finetune import RANK, SCALE

logger = logging.getLogger(__name__)

TRAIN_DIR = Path(__file__).resolve().parent.parent / "data" / "training"
# Chosen on the project's own held-out split (never on the evaluation set).
C = 4.0
LEXICON_SCALE = 1.0
DEFAULT_EPOCHS = 3  # LoRA epochs; 0 trains the head on the frozen encoder only
# The share of sentences whose actors are marked for the encoder (see classifier.mark_actors); the rest are read
# bare, so the model works both when the caller knows the actors and when it does not.
MARKED_SHARE = 0.8


def training_files(path: Path) -> list[Path]:
    """A file, or every plover_train*.jsonl in a folder, in name order."""
    return sorted(path.glob("plover_train*.jsonl")) if path.is_dir() else [path]


def load_examples(path: Path) -> tuple[list[str], list[str], list[Actors]]:
    texts, labels, actors = [], [], []
    for f in training_files(path):
        t, lab, a = _load_file(f)
        texts += t
        labels += lab
        actors += a
    return texts, labels, actors


def _load_file(path: Path) -> tuple[list[str], list[str], list[Actors]]:
    texts, labels, actors = [], [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        rec = json.loads(line)
        label = rec["event_type"] or "NONE"
        if label not in LABELS:
            raise ValueError(f"{path}:{n}: unknown label {label!r}")
        texts.append(rec["text"])
        labels.append(label)
        actors.append((rec.get("source"), rec.get("target")))
    return texts, labels, actors


def _fit(X: np.ndarray, y: np.ndarray, seed: int):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    model.fit(X, y)
    return model


def _temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature that minimises held-out log loss (a grid is enough for one scalar)."""
    best_t, best_nll = 1.0, float("inf")
    for t in np.arange(0.3, 4.01, 0.05):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = -float(logp[np.arange(len(y)), y].mean())
        if nll < best_nll:
            best_t, best_nll = float(round(t, 2)), nll
    return best_t


def _features(texts: list[str], actors: list[Actors | None], adapter: dict[str, np.ndarray]) -> np.ndarray:
    dummy = ClassifierWeights(np.zeros((len(LABELS), 1)), np.zeros(len(LABELS)), 1.0, LEXICON_SCALE, LABELS, {}, adapter)
    X, _ = EventClassifier(weights=dummy, exact=True).features(texts, actors=actors)
    return X


def marked_actors(actors: list[Actors], seed: int) -> list[Actors | None]:
    """The actors to mark per sentence: a fixed-seed MARKED_SHARE of them, None (read bare) for the rest."""
    keep = np.random.default_rng(seed + 1).random(len(actors)) < MARKED_SHARE
    return [a if k else None for a, k in zip(actors, keep, strict=True)]


def _adapter(texts: list[str], actors: list[Actors | None], y: np.ndarray, seed: int, epochs: int,
             rank: int = RANK) -> dict[str, np.ndarray]:
    if epochs <= 0:
        return {}
    from ..nlp import load_encoder
    from .finetune import finetune

    X = _features(texts, actors, {})
    probe = _fit(X, y, seed)
    W = np.zeros((len(LABELS), X.shape[1]), dtype=np.float32)
    b = np.zeros(len(LABELS), dtype=np.float32)
    W[probe.classes_] = probe.coef_
    b[probe.classes_] = probe.intercept_
    b[np.setdiff1d(np.arange(len(LABELS)), probe.classes_)] = -20.0  # labels absent from these sentences
    lex = X[:, -len(LABELS) + 1 :]
    return finetune(load_encoder(), marked_texts(texts, actors), y, lex, len(LABELS), epochs=epochs, seed=seed, init_head=(W, b),
                    rank=rank)


def train(data: Path = TRAIN_DIR, out: Path = WEIGHTS_PATH, seed: int = 13, epochs: int = 0,
          rank: int = RANK) -> dict[str, float]:
    """Train and save; ``epochs`` > 0 fine-tunes a LoRA adapter of ``rank`` first (slower, usually better)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import train_test_split

    texts, labels, all_actors = load_examples(data)
    actors = marked_actors(all_actors, seed)
    y = np.array([LABELS.index(lab) for lab in labels])
    idx_train, idx_held = train_test_split(np.arange(len(y)), test_size=0.2, random_state=seed, stratify=y)
    held_adapter = _adapter([texts[i] for i in idx_train], [actors[i] for i in idx_train], y[idx_train], seed, epochs, rank)
    X = _features(texts, actors, held_adapter)
    model = _fit(X[idx_train], y[idx_train], seed)
    held_logits = model.decision_function(X[idx_held])
    # Columns follow model.classes_ (labels seen in training), not LABELS.
    temperature = _temperature(held_logits, np.searchsorted(model.classes_, y[idx_held]))
    pred = model.classes_[held_logits.argmax(axis=1)]
    event_labels = [i for i, lab in enumerate(LABELS) if lab != "NONE"]
    held_f1 = float(f1_score(y[idx_held], pred, labels=event_labels, average="macro"))
    adapter = _adapter(texts, actors, y, seed, epochs, rank) if epochs > 0 else {}
    if epochs > 0:
        X = _features(texts, actors, adapter)
    final = _fit(X, y, seed)
    W = np.zeros((len(LABELS), X.shape[1]), dtype=np.float32)
    b = np.zeros(len(LABELS), dtype=np.float32)
    W[final.classes_] = final.coef_
    b[final.classes_] = final.intercept_
    meta = {
        "data_sha256": hashlib.sha256(b"".join(f.read_bytes() for f in training_files(data))).hexdigest(),
        "examples": len(texts), "seed": seed, "C": C, "marked_share": MARKED_SHARE, "heldout_macro_f1": round(held_f1, 4),
    }
    meta["finetune_epochs"] = epochs
    if adapter:
        meta.update(lora_rank=rank, lora_alpha=round(SCALE * rank), lora_scale=SCALE)
    ClassifierWeights(W, b, temperature, LEXICON_SCALE, LABELS, meta, adapter).save(out)
    logger.info("trained on %d sentences; held-out macro-F1 %.3f; temperature %.2f", len(texts), held_f1, temperature)
    return {"examples": len(texts), "heldout_macro_f1": held_f1, "temperature": temperature}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=TRAIN_DIR, help="a JSONL file or a folder of plover_train*.jsonl")
    ap.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS, help="LoRA fine-tuning epochs (0: frozen encoder)")
    ap.add_argument("--rank", type=int, default=RANK, help="LoRA rank (session 8 compared 8, 16 and 32)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = train(args.data, args.out, args.seed, args.epochs, args.rank)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
