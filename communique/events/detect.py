"""Find event candidates in a parsed article: a trigger, its PLOVER type and mode, and its two sides.

A candidate becomes an event only when its sides name at least two different states (or a state and an IGO):
communique codes interstate events.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..actors.article import ArticleActors
from ..records import Mention
from .arguments import HOST_VERBS, ArgumentFinder, Arguments
from .lexicon import Lexicon, TriggerMatch
from .ontology import SYMMETRIC

# Verbs that only carry the event named by their object ("held talks", "paid a visit"): the object is the trigger.
LIGHT_VERBS = frozenset({"hold", "have", "pay", "make", "conduct", "stage", "attend", "begin", "open", "give"})


@dataclass
class Candidate:
    match: TriggerMatch
    event_type: str
    mode: str | None
    actors: list[Mention]
    recipients: list[Mention]
    confidence: float
    strength: float = 0.0  # how unambiguously the trigger, in its syntax, names this type (0-1)

    @property
    def token(self) -> Token:
        return self.match.token

    def countries(self) -> set[str]:
        return {m.actor.country for m in self.actors + self.recipients if m.actor.country}


# Types whose embedded clause is what is asked, threatened, denied or alleged, not a separate event:
# "urged Russia to comply", "threatened to impose sanctions", "accused Seoul of preparing for war".
_SPEECH_ACTS = frozenset({"REQUEST", "THREATEN", "REJECT", "ACCUSE"})


def _is_content_of_speech_act(tok: Token, lexicon: Lexicon) -> bool:
    node = tok
    for _ in range(3):
        if node.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "prep") or node.head.i == node.i:
            return False
        node = node.head
        match = lexicon.match(node)
        if match is not None and match.trigger.event_type in _SPEECH_ACTS:
            return True
    return False


def _pick_mode(event_type: str, mode: str | None, args: Arguments) -> str | None:
    if event_type == "CONSULT" and mode == "visit" and not args.recipients:
        return None
    return mode


def _split_sides(event_type: str, args: Arguments) -> tuple[list[Mention], list[Mention]]:
    actors = [m for m in args.actors if m.actor.country]
    recipients = [m for m in args.recipients if m.actor.country]
    actor_codes = {m.actor.country for m in actors}
    # A side never acts on itself: drop recipients of the actor's own state ("Seoul urged its allies").
    recipients = [m for m in recipients if m.actor.country not in actor_codes]
    return actors, recipients


def find_candidates(doc: Doc, actors: ArticleActors, lexicon: Lexicon) -> list[Candidate]:
    finder = ArgumentFinder(actors)
    out: list[Candidate] = []
    taken: set[int] = set()  # noun triggers already read as the object of a verb trigger
    meetings: list[Candidate] = []  # talks found so far, in text order, for acts addressed to "the other side"
    matches = [m for m in map(lexicon.match, doc) if m is not None]
    # Verbs first, so that "held talks" claims "talks" before the noun is read as an event of its own.
    matches.sort(key=lambda m: (m.trigger.pos != "V", m.token.i))
    # Verbs are read before nouns, so "meetings" is in text order only among verbs; good enough for a window.
    for match in matches:
        if match.token.i in taken:
            continue
        trig, tok = match.trigger, match.token
        if trig.pos == "V":
            if tok.lemma_.lower() in LIGHT_VERBS and match.extra_token is None:
                continue  # a bare "hold" or "host" is an event only with its object
            banal = _NOT_AN_ACT.get(tok.lemma_.lower(), ())
            if any(t.lemma_.lower() in banal for t in tok.doc[tok.i + 1 : tok.i + 6]):
                continue  # "asked his hosts detailed questions" requests nothing
            if match.extra_token is not None and not trig.is_particle:
                taken.add(match.extra_token.i)
            args = finder.for_verb(match)
        else:
            args = finder.for_noun(match)
        actor_side, recipient_side = _split_sides(trig.event_type, args)
        implicit = False
        if actor_side and not recipient_side and trig.event_type in _SAID_AT_TALKS:
            recipient_side = _counterparts(actor_side, meetings, tok)
            # a state named in the sentence outside the talks ("a protest through its embassy in Beijing") is a
            # better guess than the talks' other side: make none
            sent = tok.sent  # spaCy finds a token's sentence by scanning: once, not once per mention
            outsiders = {m.actor.country for m in actors.mentions if sent.start <= m.start < sent.end and m.actor.country}
            outsiders -= {m.actor.country for m in actor_side + recipient_side}
            if outsiders:
                recipient_side = []
            implicit = bool(recipient_side)
        if not actor_side or (not recipient_side and trig.event_type not in SYMMETRIC):
            # One side acting jointly ("Moscow and Pyongyang denied...") names no one acted upon.
            continue
        if _is_content_of_speech_act(tok, lexicon):
            continue
        codes = {m.actor.country for m in actor_side + recipient_side}
        if len(codes) < 2:
            continue
        base = trig.weight
        if trig.event_type == "CONSULT" and tok.lemma_.lower() in HOST_VERBS and any(
            c.dep_ == "dobj" and (actors.at(c) is not None or any(actors.at(g) is not None for g in c.children))
            for c in tok.children
        ):
            base = max(base, 0.85)  # "Beijing welcomes a North Korean delegation": hosting someone, not praise
        if trig.event_type == "REQUEST" and any(c.dep_ == "xcomp" for c in tok.children) and recipient_side:
            base = max(base, 0.85)  # "Tokyo asked Beijing to lift its ban": the asking is the event
        weight = base * (0.85 if args.resolved_pronoun else 1.0) * (0.85 if implicit else 1.0)
        if trig.event_type in SYMMETRIC and not recipient_side:
            weight *= 0.95
        out.append(Candidate(match, trig.event_type, _pick_mode(trig.event_type, trig.mode, args), actor_side,
                             recipient_side, weight, base))
        if trig.event_type == "CONSULT":
            meetings.append(out[-1])
            finder.meetings.append((tok.i, actor_side + recipient_side))
            finder.meetings.sort(key=lambda x: x[0])
    return out


# Objects that turn a trigger verb into ordinary conversation.
_NOT_AN_ACT: dict[str, tuple[str, ...]] = {"ask": ("question",), "raise": ("question", "glass", "toast"), "answer": ("question",)}
# Verbal acts that, said during talks with no one named, are addressed to the other side of the talks:
# "During the meeting, the Chinese side pledged to play a constructive role."
_SAID_AT_TALKS = frozenset({"AGREE", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "CONCEDE"})
_TALKS_WINDOW_SENTENCES = 8


def _counterparts(actor_side: list[Mention], meetings: list[Candidate], tok: Token) -> list[Mention]:
    codes = {m.actor.country for m in actor_side}
    sent_starts = [s.start for s in tok.doc.sents]
    here = sum(1 for s in sent_starts if s <= tok.i)
    for meeting in reversed(meetings):
        if meeting.token.i >= tok.i:
            continue
        there = sum(1 for s in sent_starts if s <= meeting.token.i)
        if here - there > _TALKS_WINDOW_SENTENCES:
            break
        sides = meeting.actors + meeting.recipients
        if codes & {m.actor.country for m in sides}:
            return [m for m in sides if m.actor.country not in codes]
    return []
