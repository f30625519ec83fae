"""The trigger lexicon: which verbs, nouns and phrases report which PLOVER event type.

Written by the project in ``data/triggers.tsv``; see the header of that file for its format.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Token

from ..errors import InputError
from .ontology import EVENT_TYPES

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "triggers.tsv"

# Second words of a verb pattern that are prepositions or particles ("call on"), not object lemmas.
PARTICLES = frozenset(
    "on for to with in at into out down up off about against from over by toward towards".split()
)
_OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "nsubjpass", "npadvmod", "dative"})
_PARTICLE_DEPS = frozenset({"prep", "prt", "agent"})
_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})


@dataclass(frozen=True)
class Trigger:
    pos: str  # "V" or "N"
    lemma: str
    extra: str | None  # particle, object lemma (verbs) or modifier lemma (nouns)
    event_type: str
    mode: str | None
    weight: float

    @property
    def is_particle(self) -> bool:
        return self.pos == "V" and self.extra in PARTICLES


@dataclass(frozen=True)
class TriggerMatch:
    trigger: Trigger
    token: Token  # the verb or noun that carries the event
    extra_token: Token | None  # the particle, object or modifier that made the match


@dataclass
class Lexicon:
    verbs: dict[str, list[Trigger]] = field(default_factory=lambda: defaultdict(list))
    nouns: dict[str, list[Trigger]] = field(default_factory=lambda: defaultdict(list))

    def match(self, token: Token) -> TriggerMatch | None:
        """The most specific trigger this token carries, or None."""
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB",) or (token.pos_ == "AUX" and lemma == "have" and token.dep_ == "ROOT"):
            candidates, kind = self.verbs.get(lemma, []), "V"
        elif token.pos_ in ("NOUN", "PROPN"):
            candidates, kind = self.nouns.get(lemma, []) or self.nouns.get(token.lower_, []), "N"
        else:
            return None
        best: TriggerMatch | None = None
        for trig in candidates:
            if trig.extra is None:
                if best is None:
                    best = TriggerMatch(trig, token, None)
                continue
            child = _find_extra(token, trig, kind)
            if child is not None and (best is None or best.extra_token is None or trig.weight > best.trigger.weight):
                best = TriggerMatch(trig, token, child)
        return best


def _find_extra(token: Token, trig: Trigger, kind: str) -> Token | None:
    for child in token.children:
        low, lemma = child.lower_, child.lemma_.lower()
        if kind == "N":
            if child.dep_ in _MODIFIER_DEPS and trig.extra in (low, lemma):
                return child
        elif trig.is_particle:
            if child.dep_ in _PARTICLE_DEPS and low == trig.extra:
                return child
        elif child.dep_ in _OBJECT_DEPS and trig.extra in (lemma, low):
            return child
        elif child.dep_ == "dobj" and child.lemma_.lower() in ("a", "an"):
            continue
    return None


def window_triggers(tokens: Sequence[Token], words: Sequence[tuple[str, str]], i: int,
                    lexicon: Lexicon) -> list[Trigger]:
    """The triggers token i carries, read without a parse: a two-word trigger only when its second word is in a
    small window (the five words after a verb, the two before a noun). ``words`` holds (lemma, lower) per token,
    made once per sentence by the caller. Used by the classifier's lexicon votes and the modality rules alike."""
    tok = tokens[i]
    if tok.pos_ in ("VERB", "AUX"):
        candidates, window = lexicon.verbs.get(words[i][0], []), words[i + 1 : i + 6]
    elif tok.pos_ in ("NOUN", "PROPN"):
        candidates = lexicon.nouns.get(words[i][0], []) or lexicon.nouns.get(tok.lower_, [])
        window = words[max(0, i - 2) : i]
    else:
        return []
    return [t for t in candidates if t.extra is None or any(t.extra in w for w in window)]


@functools.lru_cache(maxsize=2)
def load_lexicon(path: str | None = None) -> Lexicon:
    p = Path(path) if path else LEXICON_PATH
    lex = Lexicon()
    header_seen = False
    with open(p, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if not header_seen:
                header_seen = True
                continue
            if len(fields) != 5:
                raise InputError(str(p), f"expected 5 tab-separated fields, found {len(fields)}", n)
            pos, pattern, event_type, mode, weight = fields
            if event_type not in EVENT_TYPES:
                raise InputError(str(p), f"unknown PLOVER type {event_type!r}", n)
            words = pattern.split()
            if pos == "V":
                lemma, extra = words[0], (" ".join(words[1:]) or None)
                lex.verbs[lemma].append(Trigger("V", lemma, extra, event_type, None if mode == "-" else mode, float(weight)))
            elif pos == "N":
                lemma, extra = words[-1], (words[0] if len(words) > 1 else None)
                lex.nouns[lemma].append(Trigger("N", lemma, extra, event_type, None if mode == "-" else mode, float(weight)))
            else:
                raise InputError(str(p), f"pos must be V or N, not {pos!r}", n)
    return lex
