"""Two readings of modality that a sentence embedding blurs, applied after the classifier (CAMEO -> PLOVER rules):

- Intent to harm is a threat: "announced it will impose a curfew", "plans to tighten the blockade", "is prepared to
  expel" report no curfew, blockade or expulsion yet; CAMEO codes such intent as a threat (13x) and PLOVER maps that
  to THREATEN. The embedding reads the intent frame and says AGREE; the trigger under it says which way it points.
- An obligation put on someone else is a demand: "Britain said Sudan must reach an agreement" reports no agreement
  but a demand (CAMEO 10x, REQUEST). An obligation the speaker puts on itself ("we must", "it should") is not.

Both read only the tagged tokens (lemmas and parts of speech), so they work the same on a bare sentence and on a
clause of a parsed article.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon

HARM_TYPES = frozenset({"SANCTION", "COERCE", "ASSAULT", "MOBILIZE"})
HARM_LEMMAS = frozenset({"boycott"})  # a boycott announced is a threat, though carried out it is REJECT/PROTEST
INTENT_WORDS = frozenset({"will", "would", "'ll", "shall"})
INTENT_BEFORE_TO = frozenset({"plan", "prepare", "prepared", "intend", "decide", "ready", "going",
                              "vow", "threaten", "determine", "determined"})
OBLIGATION_WORDS = frozenset({"must", "should", "ought"})
SPEECH_LEMMAS = frozenset({"say", "tell", "insist", "demand", "stress", "declare", "warn", "reiterate", "conclude",
                           "announce", "state", "argue", "remind", "add", "urge", "write"})
SELF_SUBJECTS = frozenset({"we", "i", "it", "they", "he", "she"})
COOPERATIVE_READINGS = frozenset({"AGREE", "CONCEDE", "RETREAT", "COOPERATE", "AID", "SUPPORT", "CONSULT"})
WINDOW = 4  # tokens between the modal word and the verb it governs ("will soon fully impose")
CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "and", "but", "while", "as", "after", "before", "because"})


def _harm_trigger_at(tok: Token, lexicon: Lexicon) -> bool:
    lemma = tok.lemma_.lower()
    if lemma in HARM_LEMMAS:
        return True
    table = lexicon.verbs if tok.pos_ in ("VERB", "AUX") else lexicon.nouns if tok.pos_ == "NOUN" else {}
    return any(t.event_type in HARM_TYPES and t.weight >= 0.5 for t in table.get(lemma, []))


def _intent_before(tokens: Sequence[Token], i: int) -> bool:
    """An intent word governs token i: "will impose", "plans to impose", "is prepared to impose" (not negated)."""
    for j in range(i - 1, max(-1, i - 1 - WINDOW), -1):
        word = tokens[j].lower_
        if word in CLAUSE_BREAKS or word in ("not", "n't", "never"):
            return False
        if word in INTENT_WORDS:
            return True
        if word == "to" and j > 0 and (tokens[j - 1].lemma_.lower() in INTENT_BEFORE_TO
                                       or tokens[j - 1].lower_ in INTENT_BEFORE_TO):
            return True
    return False


def intends_harm(tokens: Sequence[Token], lexicon: Lexicon) -> bool:
    return any(_harm_trigger_at(tok, lexicon) and _intent_before(tokens, i) for i, tok in enumerate(tokens))


def obliges_another(tokens: Sequence[Token]) -> bool:
    """A speech verb, then someone other than the speaker, then "must"/"should": "X said Y must ..."."""
    spoke = False
    for i, tok in enumerate(tokens):
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in SPEECH_LEMMAS:
            spoke = True
            continue
        if spoke and tok.lower_ in OBLIGATION_WORDS and i > 0:
            return tokens[i - 1].lower_ not in SELF_SUBJECTS and tokens[i - 1].pos_ not in ("VERB", "AUX")
    return False


def retype(label: str | None, doc: Doc | Span | Sequence[Token], lexicon: Lexicon) -> str | None:
    """The type after the two modality rules; ``label`` unchanged when neither applies."""
    if label not in COOPERATIVE_READINGS:
        return label
    tokens = list(doc)
    if obliges_another(tokens):
        return "REQUEST"
    if label == "AGREE" and intends_harm(tokens, lexicon):
        return "THREATEN"
    return label
