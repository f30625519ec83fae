"""Event status from the parse around the trigger: occurred, planned, speculated, hypothetical or negated.

Cues are read on the path from the trigger up to its sentence root (the trigger's own auxiliaries, negation and
the verbs that govern it), not anywhere in the sentence: in "Analysts said Seoul will not attend, but Tokyo met
Beijing", the negation and the future belong to "attend" only.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..records import Status

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_HYPOTHETICAL_AUX = frozenset({"would", "could", "might", "may", "should", "'d", "can"})
_PLAN_VERBS = frozenset(
    {"plan", "slate", "slat", "schedule", "expect", "set", "prepare", "intend", "aim", "arrange", "due", "agree", "decide",
     "propose", "seek", "hope", "want", "attempt", "try", "consider", "mull", "announce", "invite"}
)
_SPECULATE_VERBS = frozenset(
    {"speculate", "believe", "suspect", "suggest", "rumor", "rumour", "think", "appear", "seem", "allege", "claim",
     "assess", "estimate", "guess", "presume"}
)
_NEGATING_VERBS = frozenset({"refuse", "deny", "decline", "fail", "avoid", "distance", "reject", "cancel", "postpone", "halt", "stop", "cease", "abandon", "rule"})
_HEDGES = frozenset({"reportedly", "allegedly", "possibly", "perhaps", "apparently", "likely", "probably", "purportedly"})
_CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "should", "were"})
_OCCURRENCE_VERBS = frozenset(
    {"take", "hold", "happen", "occur", "begin", "start", "open", "end", "conclude", "continue", "resume", "go",
     "come", "proceed", "convene", "close", "wrap", "become", "materialize", "materialise", "succeed", "fail"}
)
_PLANNING_NOUNS = frozenset({"preparation", "plan", "arrangement", "invitation", "proposal", "prospect", "agenda", "date"})
_PLANNED_MODIFIERS = frozenset({"upcoming", "planned", "proposed", "scheduled", "next", "forthcoming", "future", "possible", "potential"})


REPORTING_VERBS = frozenset({"say", "announce", "tell", "state", "add", "confirm", "report", "disclose", "reveal", "write"})


def reported_future(verb: Token) -> bool:
    """The verb is what a past report said would happen, unconditionally: its clause is the object of "said",
    "announced"... (", officials said" after the clause is left alone: there "would" is often a stance)."""
    conditional = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITIONAL_MARKS for m in c.children)
                      for c in verb.children)  # "said he would visit if Maduro accepted observers"
    return (verb.dep_ == "ccomp" and verb.head.lemma_.lower() in REPORTING_VERBS and verb.head.tag_ == "VBD"
            and verb.head.i < verb.i and not conditional)


def _path_up(tok: Token, limit: int = 6) -> list[Token]:
    path = [tok]
    while tok.head.i != tok.i and len(path) < limit:
        if tok.dep_ == "relcl" or (tok.dep_ == "advcl" and tok.head.pos_ in ("VERB", "AUX")):
            break  # a subordinate clause keeps its own modality
        if tok.dep_ in ("nsubj", "nsubjpass", "csubj") and tok.head.lemma_.lower() not in _OCCURRENCE_VERBS:
            # "Putin's visit ... was intended to distance China": what is said about an event is not its status;
            # but "talks will take place" is.
            break
        tok = tok.head
        path.append(tok)
    return path


def event_status(trigger: Token) -> Status:
    """Status of the event reported by this trigger."""
    low = {c.lower_ for c in trigger.children}
    if trigger.pos_ in ("NOUN", "PROPN"):
        if "no" in low or any(c.dep_ == "neg" for c in trigger.children):
            return "negated"
        if low & _PLANNED_MODIFIERS:
            return "planned"
        # "preparations for Putin's visit", "plans for a summit", "an invitation to visit"
        gov = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
        if gov.lemma_.lower() in _PLANNING_NOUNS:
            return "planned"
    path = _path_up(trigger)
    for i, tok in enumerate(path):
        path_dep = path[i - 1].dep_ if i > 0 else ""
        children = list(tok.children)
        words = {c.lower_ for c in children}
        lemma = tok.lemma_.lower()
        if any(c.dep_ == "neg" for c in children) or (i > 0 and lemma in _NEGATING_VERBS):
            return "negated"
        if any(c.dep_ == "mark" and c.lower_ in _CONDITIONAL_MARKS for c in children):
            return "hypothetical"
        aux = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
        has_perfect = bool(aux & {"have", "has", "had"})
        if aux & {"may", "might", "could"} and has_perfect:
            return "speculated"
        if i > 0 and lemma in _SPECULATE_VERBS:
            return "speculated"
        if words & _HEDGES:
            return "speculated" if tok.tag_ in ("VBD", "VBN") or has_perfect else "planned"
        if aux & _FUTURE_AUX:
            return "planned"
        if aux & _HYPOTHETICAL_AUX:
            # "the Kremlin said Putin would visit on Tuesday": "will" in reported speech, not a condition
            return "planned" if aux == {"would"} and reported_future(tok) else "hypothetical"
        if i > 0 and lemma in _PLAN_VERBS and (tok.tag_ != "VBD" or (path_dep == "xcomp" and lemma != "agree")):
            return "planned"
        if lemma in ("likely", "unlikely", "expected"):
            return "planned"
    return "occurred"
