"""The PLOVER event-type classifier: one sentence (with its actors, when known) to a root type, a mode, a calibrated
confidence and a CAMEO code, or "no event".

Two views of a sentence are combined in one linear model: its all-MiniLM-L6-v2 embedding (what it means) and the
trigger lexicon's votes (which words name which event types; see ``data/triggers.tsv``). The weights are trained
by ``communique.events.train`` on sentences the project wrote (``data/training/``) and shipped in
``data/classifier.npz``; inference needs only numpy and the encoder.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..errors import ModelError
from ..nlp import load_encoder, load_spacy, run_encoder
from . import ontology
from .lexicon import Lexicon, Trigger, load_lexicon, window_triggers
from .modality import retype

logger = logging.getLogger(__name__)

NO_EVENT = "NONE"
# What a bare sentence needs for the lexicon votes: tokens, tags, lemmas (no parse, entities or paragraph marks).
TAGGING_ONLY = ("parser", "ner", "paragraph_breaks")
LABELS: tuple[str, ...] = (*ontology.EVENT_TYPES, NO_EVENT)
WEIGHTS_PATH = Path(__file__).resolve().parent.parent / "data" / "classifier.npz"

# Modes read from words when the lexicon's trigger gives none.
_MODE_WORDS: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "CONSULT": [(("phone", "call", "telephone", "video", "spoke by"), "phone"),
                (("visit", "trip", "arrive", "travel", "tour", "host", "welcome"), "visit"),
                (("summit of", "multilateral", "forum", "conference", "assembly"), "multilateral"),
                (("mediat", "broker"), "third-party")],
    "ACCUSE": [(("investigat", "probe", "inquiry"), "investigate"),
               (("accus", "alleg", "blame", "charge", "sue", "lawsuit"), "allege")],
    "MOBILIZE": [(("missile", "rocket", "weapon", "warhead", "launch"), "weapons"),
                 (("troop", "soldier", "forces", "army", "battalion"), "troops"),
                 (("police",), "police"), (("militia",), "militia")],
    "SANCTION": [(("expel",), "expel"), (("recall",), "withdraw"), (("sever", "cut ties", "suspend"), "discontinue"),
                 (("convict", "sentence"), "convict")],
    "RETREAT": [(("ceasefire", "truce"), "ceasefire"), (("release", "free", "freed"), "release"),
                (("withdr", "pull out", "pulled out"), "withdraw"), (("resign", "step down", "stepped down"), "resign")],
    "COERCE": [(("arrest", "detain"), "arrest"), (("seiz",), "seize"), (("deport",), "deport"),
               (("cyber", "hack"), "cyber"), (("censor",), "censor"), (("curfew",), "curfew")],
}


# The actors of the event, when known, are marked in the text the encoder reads ("@ Seoul @ urged # Beijing # to
# act"): punctuation markers need no new vocabulary and tell the model which of a sentence's events is meant
# (typed entity markers, Zhou & Chen 2021). The lexicon still reads the unmarked words.
SOURCE_MARK = "@"
TARGET_MARK = "#"
Actors = tuple[str | None, str | None]


def mark_actors(text: str, source: str | None, target: str | None) -> str:
    """The text with every found mention of the source and target actors wrapped in markers.

    An actor side may list several actors separated by "; ". Each is marked at its first occurrence (exact case
    first, then any case); a mention overlapping one already marked is skipped, longer names first, so "South
    Korea" is not also marked as "Korea".
    """
    wanted = [(name, SOURCE_MARK) for name in _names(source)] + [(name, TARGET_MARK) for name in _names(target)]
    spans: list[tuple[int, int, str]] = []
    for name, mark in sorted(wanted, key=lambda w: -len(w[0])):
        # a lookahead finds overlapping occurrences too; matching in the text itself (not in text.lower(), which
        # can change lengths, e.g. "İ") keeps the offsets right
        pattern = f"(?=({re.escape(name)}))"
        found = [m.span(1) for m in re.finditer(pattern, text)] or [m.span(1) for m in re.finditer(pattern, text, re.I)]
        free = [(s, e) for s, e in found if not any(a < e and s < b for a, b, _ in spans)]
        if free:
            spans.append((*free[0], mark))
    for start, end, mark in sorted(spans, reverse=True):
        text = f"{text[:start]}{mark} {text[start:end]} {mark}{text[end:]}"
    return text


def marked_texts(texts: Sequence[str], actors: Sequence[Actors | None]) -> list[str]:
    """Each text with its actors marked (see :func:`mark_actors`); a text without actors (None) stays bare."""
    return [mark_actors(t, *a) if a else t for t, a in zip(texts, actors, strict=True)]


def _names(side: str | None) -> list[str]:
    return [n.strip() for n in (side or "").split(";") if len(n.strip()) >= 2]


@dataclass(frozen=True)
class Classification:
    event_type: str | None  # None when the sentence reports no event
    mode: str | None
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def cameo(self) -> str | None:
        return ontology.cameo(self.event_type, self.mode) if self.event_type else None

    def to_dict(self) -> dict[str, Any]:
        return {"event_type": self.event_type, "mode": self.mode, "confidence": round(self.confidence, 4),
                "cameo": self.cameo, "scores": {k: round(v, 4) for k, v in self.scores.items()}}


def lexicon_votes(doc: Doc | Span | Sequence[Token], lexicon: Lexicon) -> tuple[np.ndarray, dict[str, Trigger]]:
    """Per type, the weight of the strongest trigger in the sentence, from lemmas and a small word window.

    Window matching needs no dependency parse, so the features are the same for a bare sentence and for a
    sentence inside a parsed article.
    """
    votes = np.zeros(len(ontology.EVENT_TYPES), dtype=np.float32)
    best: dict[str, Trigger] = {}
    tokens = list(doc)
    words = [(t.lemma_.lower(), t.lower_) for t in tokens]
    for i in range(len(tokens)):
        for trig in window_triggers(tokens, words, i, lexicon):
            k = ontology.EVENT_TYPES.index(trig.event_type)
            weight = trig.weight + (0.1 if trig.extra else 0.0)
            if weight > votes[k]:
                votes[k] = weight
                best[trig.event_type] = trig
    return votes, best


def mode_for(event_type: str, text: str, trigger: Trigger | None) -> str | None:
    if trigger is not None and trigger.mode:
        return trigger.mode
    low = text.lower()
    for words, mode in _MODE_WORDS.get(event_type, []):
        if any(w in low for w in words):
            return mode
    return {"ACCUSE": "disapprove"}.get(event_type)


@dataclass
class ClassifierWeights:
    W: np.ndarray  # (labels, features)
    b: np.ndarray  # (labels,)
    temperature: float
    lexicon_scale: float
    labels: tuple[str, ...]
    meta: dict[str, Any]
    adapter: dict[str, np.ndarray] = field(default_factory=dict)  # LoRA matrices for the encoder, if fine-tuned

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> ClassifierWeights:
        if not path.exists():
            raise ModelError(f"{path}: no trained classifier; run `make train` to build it")
        z = np.load(path, allow_pickle=False)
        adapter = {k[len("adapter/"):]: z[k] for k in z.files if k.startswith("adapter/")}
        return cls(z["W"], z["b"], float(z["temperature"]), float(z["lexicon_scale"]),
                   tuple(str(x) for x in z["labels"]), json.loads(str(z["meta"])), adapter)

    def save(self, path: Path) -> None:
        arrays: dict[str, Any] = {f"adapter/{k}": v.astype(np.float32) for k, v in sorted(self.adapter.items())}
        arrays.update(
            W=self.W.astype(np.float32), b=self.b.astype(np.float32), temperature=np.float32(self.temperature),
            lexicon_scale=np.float32(self.lexicon_scale), labels=np.array(self.labels), meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )
        np.savez_compressed(path, **arrays)


class EventClassifier:
    """Built once per process; :meth:`classify` takes sentences in batches."""

    def __init__(self, weights: ClassifierWeights | None = None, lexicon: Lexicon | None = None, exact: bool = False) -> None:
        """``exact`` keeps the encoder in float32 on every CPU (training needs it; see nlp.bf16_matmuls)."""
        self.exact = exact
        self.weights = weights or ClassifierWeights.load()
        self.lexicon = lexicon or load_lexicon()
        self.nlp = load_spacy()
        self.encoder = load_encoder()
        if self.weights.adapter:
            from .finetune import merge_adapter

            scale = float(self.weights.meta.get("lora_scale", 2.0))  # files before session 8 did not record it: 16 / 8
            self.encoder = merge_adapter(self.encoder, self.weights.adapter, scale)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(run_encoder(self.encoder, list(texts), 64, self.exact), dtype=np.float32)

    def features(
        self, texts: Sequence[str], docs: Sequence[Doc | Span | Sequence[Token]] | None = None, actors: Sequence[Actors | None] | None = None,
    ) -> tuple[np.ndarray, list[dict[str, Trigger]]]:
        if docs is None:
            docs = list(self.nlp.pipe(texts, disable=TAGGING_ONLY, batch_size=256))
        lex = [lexicon_votes(d, self.lexicon) for d in docs]
        votes = np.stack([v for v, _ in lex]) if lex else np.zeros((0, len(ontology.EVENT_TYPES)), np.float32)
        emb = self.embed(list(texts) if actors is None else marked_texts(texts, actors))
        return np.hstack([emb, votes * self.weights.lexicon_scale]).astype(np.float32), [b for _, b in lex]

    def probabilities(self, X: np.ndarray) -> np.ndarray:
        logits = (X @ self.weights.W.T + self.weights.b) / self.weights.temperature
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return np.asarray(p / p.sum(axis=1, keepdims=True))

    def classify(
        self, texts: Sequence[str], docs: Sequence[Doc | Span | Sequence[Token]] | None = None, actors: Sequence[Actors | None] | None = None,
    ) -> list[Classification]:
        """One result per text; ``actors`` gives, per text, the (source, target) actor text when known."""
        if not texts:
            return []
        if docs is None:
            docs = list(self.nlp.pipe(texts, disable=TAGGING_ONLY, batch_size=256))
        X, best = self.features(texts, docs, actors)
        P = self.probabilities(X)
        out = []
        for text, doc, p, trig in zip(texts, docs, P, best, strict=True):
            k = int(p.argmax())
            label = self.weights.labels[k]
            scores = {lab: float(v) for lab, v in zip(self.weights.labels, p, strict=True)}
            if label == NO_EVENT:
                out.append(Classification(None, None, float(p[k]), scores))
                continue
            # intent to harm is THREATEN, an obligation put on another is REQUEST; the confidence stays the model's
            label = retype(label, doc, self.lexicon) or label
            out.append(Classification(label, mode_for(label, text, trig.get(label)), float(p[k]), scores))
        return out


@functools.lru_cache(maxsize=1)
def get_classifier() -> EventClassifier:
    return EventClassifier()


def classify(texts: Iterable[str]) -> list[Classification]:
    """Classify sentences with the shipped model."""
    return get_classifier().classify(list(texts))
