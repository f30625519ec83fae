"""Who did it and to whom: actors and recipients from the dependency parse around a trigger.

Arguments come from syntax only (subject, object, "with X", "to X", "called on X", "X's visit", "a visit by X",
"talks between X and Y"), never from mere co-occurrence in a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from ..actors.article import ArticleActors
from ..records import Mention
from .lexicon import TriggerMatch

# Prepositions that introduce the recipient of a verb, by event type ("with" for talks, "against" for attacks).
RECIPIENT_PREPS: dict[str, frozenset[str]] = {
    "CONSULT": frozenset({"with", "to"}),
    "AGREE": frozenset({"with", "to"}),
    "SUPPORT": frozenset({"for", "to"}),
    "CONCEDE": frozenset({"on", "against", "to"}),
    "COOPERATE": frozenset({"with"}),
    "AID": frozenset({"to", "for"}),
    "RETREAT": frozenset({"from", "to"}),
    "REQUEST": frozenset({"on", "to", "from"}),
    "ACCUSE": frozenset({"over", "about", "against", "regarding", "at", "of", "for", "on"}),
    "REJECT": frozenset({"from", "by"}),
    "THREATEN": frozenset({"against", "with"}),
    "PROTEST": frozenset({"against", "outside"}),
    "SANCTION": frozenset({"on", "against", "from"}),
    "MOBILIZE": frozenset({"to", "into", "toward", "towards", "near"}),
    "COERCE": frozenset({"against", "from"}),
    "ASSAULT": frozenset({"on", "against", "in"}),
}
# Deps through which a side's members are listed: "South Korea and China", "Kim and his counterpart, Sun".
_LIST_DEPS = frozenset({"conj", "appos"})
# Deps of modifiers inside a noun phrase that can carry a side: "North Korea-Russia summit", "Chinese troops".
_INNER_DEPS = frozenset({"compound", "amod", "nmod"})
# Verbs whose object is the doer of an embedded verb: "urged China to play", "asked Seoul to join".
_OBJECT_CONTROL = frozenset({"urge", "ask", "call", "press", "push", "persuade", "invite", "encourage", "request"})
# "the two leaders", "both sides": after talks between two states, their parties.
_PAIR_NOUNS = frozenset({"leader", "side", "country", "nation", "minister", "president", "delegation", "government",
                         "official", "diplomat", "premier", "counterpart"})
_MEETING_WINDOW = 6  # sentences
# Nouns that stand for the states in their "of" phrase.
_REPRESENTATIVE_NOUNS = frozenset(
    {"leader", "minister", "president", "premier", "representative", "delegation", "official", "envoy", "diplomat",
     "government", "head", "chief", "army", "military", "force", "troop", "navy", "ministry", "defense", "defence"}
)
# Verbs whose subject is the host and object the visitor.
HOST_VERBS = frozenset({"host", "welcome", "receive", "greet", "invite"})
_PERSONAL = frozenset({"he", "him", "his", "she", "her", "hers"})
_COLLECTIVE = frozenset({"it", "its", "they", "them", "their", "theirs", "we", "our", "us"})


@dataclass
class Arguments:
    actors: list[Mention] = field(default_factory=list)
    recipients: list[Mention] = field(default_factory=list)
    resolved_pronoun: bool = False


class ArgumentFinder:
    """Finds the sides of an event in one article; keeps the mentions for pronoun resolution."""

    def __init__(self, actors: ArticleActors) -> None:
        self.actors = actors
        # (trigger token index, the sides) of talks found so far: "the two sides" after a meeting are its parties
        self.meetings: list[tuple[int, list[Mention]]] = []

    def _parties_of_last_meeting(self, tok: Token) -> list[Mention]:
        doc = tok.doc
        sents = [s.start for s in doc.sents]
        here = sum(1 for x in sents if x <= tok.i)
        for at, sides in reversed(self.meetings):
            if at >= tok.i:
                continue
            if here - sum(1 for x in sents if x <= at) > _MEETING_WINDOW:
                break
            if len({m.actor.country for m in sides}) == 2:
                return sides
        return []

    # -- pronouns --------------------------------------------------------------------------------------
    def resolve_pronoun(self, tok: Token) -> Mention | None:
        """Nearest earlier mention of the right kind, at most two sentences back."""
        low = tok.lower_
        if low not in _PERSONAL and low not in _COLLECTIVE:
            return None
        sent_start = tok.sent.start
        window_start = sent_start
        prev = tok.doc[max(sent_start - 1, 0)].sent if sent_start > 0 else None
        if prev is not None:
            window_start = prev.start
            if prev.start > 0:
                window_start = tok.doc[prev.start - 1].sent.start
        want_person = low in _PERSONAL
        best: Mention | None = None
        for m in self.actors.mentions:
            if m.start >= tok.i or m.start < window_start or m.actor.country is None:
                continue
            is_person = m.actor.kind == "person"
            if is_person != want_person:
                continue
            head = tok.doc[m.end - 1]
            # Prefer subjects: "It also warned" refers to who acted before, not who was acted upon.
            if want_person or head.dep_ in ("nsubj", "nsubjpass") or best is None:
                best = m
        return best

    # -- one side ----------------------------------------------------------------------------------------
    def side(self, tok: Token, args: Arguments | None = None, depth: int = 0) -> list[Mention]:
        """Mentions that make up the noun phrase headed by ``tok``, with its conjuncts."""
        if depth > 6:
            return []
        found: list[Mention] = []
        if tok.i in self.actors.groups:
            return list(self.actors.groups[tok.i])
        existing = self.actors.at(tok)
        if (
            tok.lemma_.lower() in _PAIR_NOUNS
            and (existing is None or existing.actor.country is None)
            and any(c.lower_ in ("two", "both") for c in tok.children)
        ):
            parties = self._parties_of_last_meeting(tok)
            if parties:
                return parties
        m = self.actors.at(tok)
        if m is None and tok.pos_ == "PRON":
            m = self.resolve_pronoun(tok)
            if m is not None and args is not None:
                args.resolved_pronoun = True
        if m is not None:
            found.append(m)
        else:
            # "Putin's North Korea visit" names Putin as the side, not North Korea: a possessor outranks modifiers.
            possessors = [c for c in tok.children if c.dep_ == "poss"]
            modifiers = [c for c in tok.children if c.dep_ in _INNER_DEPS]
            for child in possessors or modifiers:
                found.extend(self.side(child, args, depth + 1))
        if (m is None or m.actor.country is None) and not any(f.actor.country for f in found) \
                and tok.lemma_.lower() in _REPRESENTATIVE_NOUNS:
            # "the leaders of Japan and India", "senior diplomats from South Korea and China": the states they
            # speak for replace the stateless "diplomats"
            states = [f for prep in tok.children if prep.dep_ == "prep" and prep.lower_ in ("of", "from")
                      for pobj in prep.children if pobj.dep_ == "pobj" for f in self.side(pobj, args, depth + 1)]
            if states:
                found = states
        for child in tok.children:
            if child.dep_ in _LIST_DEPS:
                found.extend(self.side(child, args, depth + 1))
        if m is not None and m.end - m.start > 1:
            # "Leaders of Japan and India": the list hangs inside the mention, on "Japan"
            for inner in tok.doc[m.start : m.end]:
                if inner.i == tok.i:
                    continue
                for child in inner.children:
                    if child.dep_ != "conj":
                        continue
                    own = self.actors.by_head.get(child.i)
                    # "South Korean and Chinese officials": the second state's word lies inside the phrase but is
                    # a mention of its own
                    if not (m.start <= child.i < m.end) or (own is not None and own is not m and own.actor.country):
                        found.extend(self.side(child, args, depth + 1))
        return _unique(found)

    def _prep_objects(self, tok: Token, preps: frozenset[str], args: Arguments) -> list[Mention]:
        out: list[Mention] = []
        for child in tok.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        out.extend(self.side(pobj, args))
        return out

    def subjects(self, verb: Token, args: Arguments, depth: int = 0, raised: bool = False) -> list[Mention]:
        """The doers of a verb; ``raised`` when asked for an embedded verb ("X is slated to visit")."""
        subject_deps = ("nsubj", "csubj", "nsubjpass") if raised else ("nsubj", "csubj")
        # The subject nearest the verb: a dateline left in the text ("MOSCOW, Sept. 19 -") can parse as another one.
        subjects = [c for c in sorted(verb.children, key=lambda c: abs(verb.i - c.i)) if c.dep_ in subject_deps]
        if subjects:
            child = subjects[0]
            if child.lower_ in ("that", "which", "who") and verb.dep_ == "relcl":
                return self.side(verb.head, args)
            found = self.side(child, args)
            for other in subjects[1:]:
                # "Minister Kim and Minister Sun led the talks" parsed as two subjects: "and" between them joins them
                lo, hi = sorted((child.i, other.i))
                if any(t.lower_ == "and" and t.dep_ == "cc" for t in verb.doc[lo:hi]):
                    found = _unique(found + self.side(other, args))
            return found
        for child in verb.children:
            if child.dep_ == "agent":
                return self._prep_objects(verb, frozenset({"by"}), args)
        if depth > 3 or verb.head.i == verb.i:
            return []
        head = verb.head
        if verb.dep_ == "xcomp" and head.lemma_.lower() in _OBJECT_CONTROL:
            for child in head.children:
                if child.dep_ == "dobj":
                    return self.side(child, args)
            objs = self._prep_objects(head, frozenset({"on"}), args)
            if objs:
                return objs
        if verb.dep_ in ("conj", "xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
            return self.subjects(head, args, depth + 1, raised=verb.dep_ == "xcomp" or raised)
        if verb.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            return self.side(head, args)
        return []

    # -- whole events -------------------------------------------------------------------------------------
    def for_verb(self, match: TriggerMatch) -> Arguments:
        verb, event_type = match.token, match.trigger.event_type
        args = Arguments()
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        args.actors = self.subjects(verb, args)
        preps = RECIPIENT_PREPS.get(event_type, frozenset())
        recipients: list[Mention] = []
        for child in verb.children:
            if child.dep_ in ("dobj", "dative") and (match.extra_token is None or child.i != match.extra_token.i):
                recipients.extend(self.side(child, args))
            if child.dep_ == "nsubjpass" and passive:
                recipients.extend(self.side(child, args))
        if match.trigger.is_particle and match.extra_token is not None:
            recipients.extend(self._prep_objects(verb, frozenset({match.trigger.extra or ""}), args))
        recipients.extend(self._prep_objects(verb, preps, args))
        if match.extra_token is not None and not match.trigger.is_particle:
            # "held talks with X", "expressed concern over X", "imposed sanctions on X"
            recipients.extend(self._prep_objects(match.extra_token, preps | {"with", "between"}, args))
        args.recipients = _unique(recipients)
        if event_type == "CONSULT" and verb.lemma_.lower() in HOST_VERBS and args.recipients:
            # "Beijing welcomes a North Korean delegation": the visitor acts, the host receives.
            args.actors, args.recipients = args.recipients, args.actors
        return args

    def for_noun(self, match: TriggerMatch) -> Arguments:
        noun, event_type = match.token, match.trigger.event_type
        args = Arguments()
        actors: list[Mention] = []
        for child in noun.children:
            if child.dep_ == "poss":
                actors.extend(self.side(child, args))
        actors.extend(self._prep_objects(noun, frozenset({"by", "from"}), args))
        joint = self._prep_objects(noun, frozenset({"between", "among", "of"}), args)
        modifiers = [m for c in noun.children if c.dep_ in _INNER_DEPS for m in self.side(c, args)]
        recipients = self._prep_objects(noun, RECIPIENT_PREPS.get(event_type, frozenset()) | {"with"}, args)
        if joint:
            actors.extend(joint)
        if actors:
            recipients = modifiers + recipients
        else:
            actors = modifiers
        if not actors and noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
            # "Sun paid a courtesy visit to Cho", "Kim attended a dialogue with Sun"
            actors = self.subjects(noun.head, args)
            recipients.extend(self._prep_objects(noun.head, frozenset({"with", "to"}), args))
        if noun.dep_ == "pobj" and noun.head.head.pos_ in ("VERB", "AUX"):
            verb = noun.head.head
            if not actors:
                # "Putin set a course for Pyongyang for his first visit": the visitor is the clause's subject.
                actors = self.subjects(verb, args)
            if event_type == "CONSULT" and not recipients:
                # "set off for Pyongyang for his first visit": the destination is the host.
                recipients.extend(m for m in self._prep_objects(verb, frozenset({"for", "to"}), args) if m.actor.kind == "state")
        args.actors = _unique(actors)
        args.recipients = _unique(recipients)
        return args


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int]] = set()
    out: list[Mention] = []
    for m in mentions:
        key = (m.start, m.end)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
