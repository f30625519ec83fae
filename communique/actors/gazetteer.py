"""The actor knowledge base: countries, organisations, roles and office holders, from plain data files.

Files live in ``communique/data`` (written by the project) and may be extended by a user's own TSV or CSV file
(see README: "Your own actors"). Loading is cached: one knowledge base per process.
"""

from __future__ import annotations

import csv
import functools
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
USER_ACTORS_ENV = "COMMUNIQUE_ACTORS"


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    aliases: tuple[str, ...]
    capitals: tuple[str, ...]
    metonyms: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    aliases: tuple[str, ...]
    country: str
    sector: str


@dataclass(frozen=True)
class Role:
    role: str
    sector: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    name: str
    variants: tuple[str, ...]
    iso3: str
    sector: str
    role: str
    start: str | None
    end: str | None

    def holds_office_on(self, day: str | None) -> bool:
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class Gazetteer:
    countries: dict[str, Country] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)  # lower-case role or alias -> Role
    persons: list[Person] = field(default_factory=list)
    # region or people name -> ("region" | "people", iso3): places and communities that point to one state
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)

    def country_name(self, iso3: str | None) -> str | None:
        c = self.countries.get(iso3 or "")
        return c.name if c else None


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a TSV (or CSV, by extension) file with a header; '#' lines are comments."""
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    with open(path, encoding="utf-8") as fh:
        lines = [(n, ln) for n, ln in enumerate(fh, start=1) if ln.strip() and not ln.startswith("#")]
    if not lines:
        return
    reader = csv.reader([ln for _, ln in lines], delimiter=delimiter)
    header = [h.strip() for h in next(reader)]
    for (n, _), values in zip(lines[1:], reader, strict=False):
        if len(values) > len(header):
            raise InputError(str(path), f"{len(values)} fields where the header has {len(header)}", n)
        yield n, {k: (v.strip() if v is not None else "") for k, v in zip(header, values + [""] * len(header), strict=False)}


def _load_countries(g: Gazetteer, path: Path) -> None:
    for _, r in _rows(path):
        g.countries[r["iso3"]] = Country(
            r["iso3"], r["name"], _split(r.get("aliases")), _split(r.get("capitals")),
            _split(r.get("metonyms")), _split(r.get("demonyms")),
        )


def _load_organizations(g: Gazetteer, path: Path) -> None:
    for _, r in _rows(path):
        g.organizations[r["code"]] = Organization(
            r["code"], r["name"], _split(r.get("aliases")), r["country"], r.get("sector") or "IGO"
        )


def _load_roles(g: Gazetteer, path: Path) -> None:
    for _, r in _rows(path):
        role = Role(r["role"].lower(), r["sector"], r.get("kind") or "person", _split(r.get("aliases")))
        for key in (role.role, *role.aliases):
            g.roles.setdefault(key.lower(), role)


def _load_regions(g: Gazetteer, path: Path) -> None:
    for n, r in _rows(path):
        if r.get("kind") not in ("region", "people") or not r.get("iso3"):
            raise InputError(str(path), "each row needs kind 'region' or 'people' and an iso3 code", n)
        for name in (r["name"], *_split(r.get("aliases"))):
            g.regions.setdefault(name, (r["kind"], r["iso3"]))


def _load_persons(g: Gazetteer, path: Path) -> None:
    for n, r in _rows(path):
        if not r.get("name") or not r.get("iso3"):
            raise InputError(str(path), "a person needs at least a name and an iso3 code", n)
        g.persons.append(
            Person(
                r["name"], _split(r.get("variants")), r["iso3"], r.get("sector") or "GOV", (r.get("role") or "").lower(),
                r.get("start") or None, r.get("end") or None,
            )
        )


def load_user_actors(g: Gazetteer, path: Path) -> None:
    """A user's file of people and organisations (TSV or CSV).

    Columns: ``name, variants, country, sector, role, start, end, kind``; kind ``organization`` adds an
    organisation, anything else a person.
    """
    for n, r in _rows(path):
        name, country = r.get("name", ""), r.get("country") or r.get("iso3") or ""
        if not name or not country:
            raise InputError(str(path), "each row needs a name and a country code (ISO3, IGO, UNO, ...)", n)
        if (r.get("kind") or "").lower() in ("organization", "organisation", "org"):
            code = name.upper().replace(" ", "_")
            g.organizations[code] = Organization(code, name, _split(r.get("variants")), country, r.get("sector") or "GOV")
        else:
            g.persons.append(
                Person(name, _split(r.get("variants")), country, r.get("sector") or "GOV", (r.get("role") or "").lower(),
                       r.get("start") or None, r.get("end") or None)
            )


@functools.lru_cache(maxsize=4)
def load_gazetteer(user_file: str | None = None) -> Gazetteer:
    """The project's knowledge base, plus the user's file named by argument or $COMMUNIQUE_ACTORS."""
    g = Gazetteer()
    _load_countries(g, DATA_DIR / "countries.tsv")
    for name in ("igos.tsv", "organizations.tsv", "groups.tsv"):
        if (DATA_DIR / name).exists():
            _load_organizations(g, DATA_DIR / name)
    _load_roles(g, DATA_DIR / "roles.tsv")
    _load_regions(g, DATA_DIR / "regions.tsv")
    for path in sorted(DATA_DIR.glob("persons*.tsv")):
        _load_persons(g, path)
    user = user_file or os.environ.get(USER_ACTORS_ENV)
    if user:
        load_user_actors(g, Path(user))
    logger.debug(
        "gazetteer: %d countries, %d organisations, %d roles, %d office holders",
        len(g.countries), len(g.organizations), len(g.roles), len(g.persons),
    )
    return g
