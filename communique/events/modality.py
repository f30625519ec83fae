"""Two readings of modality that a sentence embedding blurs, applied after the classifier (CAMEO -> PLOVER rules):

- Intent to harm is a threat: "announced it will impose a curfew", "plans to tighten the blockade", "is prepared to
  expel" report no curfew, blockade or expulsion yet; CAMEO codes such intent as a threat (13x) and PLOVER maps that
  to THREATEN. The embedding reads the intent frame and says AGREE; the trigger under it says which way it points.
  Intent to *undo* harm is not a threat ("will lift the embargo", "would halt military operations", "will free the
  detained ministers"): it stays the concession the model read. On the project's 7,501 training sentences the rule
  fires on 144 THREATEN and 14 others (it fired on 157 and 68 before undoing and two-word triggers were read).
- An obligation put on someone else is a demand: "Britain said Sudan must reach an agreement" reports no agreement
  but a demand (CAMEO 10x, REQUEST). An obligation the speaker puts on itself ("we must", "it should") is not.

Both read only the tagged tokens (lemmas and parts of speech), so they work the same on a bare sentence and on a
clause of a parsed article.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from .lexicon import Lexicon, window_triggers

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
# Verbs that undo harm: with a harmful object they announce a concession, not a threat.
UNDOING_LEMMAS = frozenset({"lift", "ease", "relax", "loosen", "end", "halt", "stop", "suspend", "cancel", "scrap",
                            "drop", "remove", "revoke", "rescind", "withdraw", "reopen", "unfreeze", "waive", "pause",
                            "abolish", "postpone", "abandon", "release", "free", "reduce", "cut", "open"})
UNDOING_PHRASALS = frozenset({("call", "off"), ("roll", "back"), ("wind", "down")})  # "ready to call off the strike"
# Harmful things named by nouns the lexicon leaves to context: intended ("will impose fresh restrictions", "would
# declare a state of emergency") they are threats; undone ("will lift the restrictions") concessions.
HARM_NOUNS = frozenset({"sanction", "tariff", "embargo", "blockade", "curfew", "ban", "restriction", "strike",
                        "boycott", "siege"})
# ...and these are harmful only as the object of a verb of undoing ("would halt military operations").
UNDONE_NOUNS = HARM_NOUNS | {"emergency", "duty", "toll", "tax", "levy", "law", "reform", "measure", "offensive",
                              "operation", "attack", "hostility", "fighting"}
HARM_PHRASALS = frozenset({("cut", "off"), ("shut", "down"), ("shut", "off")})  # "will cut off gas supplies"
# harmful only in these phrases (ending at the noun): "emergency food aid" is no threat
HARM_NOUN_PHRASES = (("martial", "law"), ("state", "of", "emergency"))
NEGATIONS = frozenset({"not", "n't", "never", "no", "longer"})  # "would no longer block" intends no harm
OBJECT_WINDOW = 7  # tokens between a verb and the head noun of its object ("extend the night - time curfew")
WINDOW = 4  # tokens between the modal word and the verb it governs ("will soon fully impose")
CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "and", "but", "while", "as", "after", "before", "because", "if",
                           "unless", "once", "until", "when", "which", "who", "where"})


def _harm_trigger_at(tokens: Sequence[Token], words: Sequence[tuple[str, str]], i: int, lexicon: Lexicon) -> bool:
    """Token i carries a trigger of a harmful type, read as the lexicon votes read it: a two-word trigger only with
    its second word in the window ("send troops", not "send aid"; "open fire", not "open corridors"), and a bare
    verb that also names undoing harm ("suspend", "halt") only when what follows is not harm itself ("suspend aid"
    is a sanction, "suspend the blockade" a concession)."""
    tok = tokens[i]
    lemma = tok.lemma_.lower()
    if lemma in HARM_LEMMAS or (tok.pos_ == "NOUN" and lemma in HARM_NOUNS):
        return True
    if tok.pos_ == "NOUN" and any(_phrase_ends_at(tokens, i, phrase) for phrase in HARM_NOUN_PHRASES):
        return True
    if tok.pos_ == "VERB" and i + 1 < len(tokens) and (lemma, tokens[i + 1].lower_) in HARM_PHRASALS:
        return True
    if tok.pos_ == "NOUN" and i + 1 < len(tokens) and tokens[i + 1].pos_ == "NOUN":  # not "attack helicopters"
        return False
    if tok.pos_ not in ("VERB", "AUX", "NOUN"):
        return False
    for trig in window_triggers(tokens, words, i, lexicon):
        if trig.event_type not in HARM_TYPES or trig.weight < 0.5:
            continue
        if trig.extra is not None or not (lemma in UNDOING_LEMMAS and _undoes_harm(tokens, i, lexicon)):
            return True
    return False


def _phrase_ends_at(tokens: Sequence[Token], i: int, phrase: tuple[str, ...]) -> bool:
    """The words before token i, then its lemma, are ``phrase`` ("state of emergency" ending at "emergency")."""
    start = i + 1 - len(phrase)
    return start >= 0 and (*(t.lower_ for t in tokens[start:i]), tokens[i].lemma_.lower()) == phrase


def _undoes_harm(tokens: Sequence[Token], i: int, lexicon: Lexicon) -> bool:
    """A verb of undoing at i whose object (the next few tokens, same clause) is a harmful thing."""
    for j in range(i + 1, min(len(tokens), i + 1 + WINDOW)):
        tok = tokens[j]
        if tok.lower_ in CLAUSE_BREAKS:
            return False
        if tok.pos_ == "NOUN" and (tok.lemma_.lower() in UNDONE_NOUNS or any(
                t.event_type in HARM_TYPES for t in lexicon.nouns.get(tok.lemma_.lower(), []))):
            return True
    return False


def _governing_verb(tokens: Sequence[Token], i: int) -> int | None:
    """The nearest verb before token i in its clause, within OBJECT_WINDOW tokens: the verb whose object it is."""
    for j in range(i - 1, max(-1, i - 1 - OBJECT_WINDOW), -1):
        if tokens[j].lower_ in CLAUSE_BREAKS:
            return None
        if tokens[j].pos_ == "VERB":
            return j
    return None


def _undone(tokens: Sequence[Token], i: int) -> bool:
    """The harmful word at i is governed by a verb of undoing: "will lift the blockade", "to ease the curfew"."""
    j = _governing_verb(tokens, i)
    if j is None:
        return False
    lemma, particle = tokens[j].lemma_.lower(), tokens[j + 1].lower_ if j + 1 < len(tokens) else ""
    return lemma in UNDOING_LEMMAS or (lemma, particle) in UNDOING_PHRASALS


def _intent_before(tokens: Sequence[Token], i: int) -> bool:
    """An intent word governs token i: "will impose", "plans to impose", "is prepared to impose" (not negated)."""
    for j in range(i - 1, max(-1, i - 1 - WINDOW), -1):
        word = tokens[j].lower_
        if word in CLAUSE_BREAKS or word in NEGATIONS:
            return False
        if word in INTENT_WORDS:
            return True
        if word == "to" and j > 0 and (tokens[j - 1].lemma_.lower() in INTENT_BEFORE_TO
                                       or tokens[j - 1].lower_ in INTENT_BEFORE_TO):
            return True
    return False


def intends_harm(tokens: Sequence[Token], lexicon: Lexicon) -> bool:
    """An intent word governs a harmful trigger, and what is intended is not to undo harm."""
    words = [(t.lemma_.lower(), t.lower_) for t in tokens]
    for i, tok in enumerate(tokens):
        if not _harm_trigger_at(tokens, words, i, lexicon):
            continue
        if _undone(tokens, i):  # "will lift the blockade", "would free the detained ministers", "will stop firing"
            continue
        if _intent_before(tokens, i) or (tok.pos_ == "NOUN" and _verb_intended(tokens, i)):
            return True
    return False


def _verb_intended(tokens: Sequence[Token], i: int) -> bool:
    """The harmful noun at i is the object of a verb that an intent word governs: "will extend the night-time
    curfew" (the noun phrase may be longer than WINDOW: compounds and hyphens are tokens of their own)."""
    j = _governing_verb(tokens, i)
    return j is not None and _intent_before(tokens, j)


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
