"""Names and words around them: spellings of one name, bare surnames, and the parse gaps that break a phrase."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from .gazetteer import Person

BREAKS = frozenset({",", "(", ")", ";", ":"})


def doc_between(a: Token, b: Token) -> Span:
    lo, hi = sorted((a.i, b.i))
    return a.doc[lo + 1:hi]


HYPHENATED_NAME = re.compile(r"\b[A-Z][a-z]{1,4} [A-Z][a-z]+-[a-z]+\b")


RECENT_YEARS = 8


def recent(p: Person, published: str | None) -> bool:
    """Held office at some point in the years up to the publication date (or any time, when it is unknown)."""
    if published is None:
        return True
    year = int(published[:4])
    start = int(p.start[:4]) if p.start else 0
    end = int(p.end[:4]) if p.end else 9999
    return start <= year and end >= year - RECENT_YEARS


def isolated(tok: Token) -> bool:
    """A proper noun standing alone, not part of a longer name ("Ahn" in "Ahn Duk-geun" is not a bare surname)."""
    doc = tok.doc
    before = doc[tok.i - 1] if tok.i > 0 else None
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return not (
        (after is not None and (after.pos_ == "PROPN" or after.text == "-"))
        or (before is not None and before.pos_ == "PROPN" and before.ent_type_ == "PERSON")
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def name_variants(name: str) -> set[str]:
    """Spellings news uses for one name: hyphenated or spaced given names, either case after the hyphen."""
    out = {name}
    if "-" in name:
        out.add(name.replace("-", " "))
        out.add(re.sub(r"-(\w)", lambda m: "-" + m.group(1).upper(), name))
        out.add(re.sub(r"-(\w)", lambda m: m.group(1).lower(), name))  # "Kim Jongun"
    else:
        parts = name.split()
        if len(parts) == 3:  # "Kim Jong Un" -> "Kim Jong-un"
            out.add(f"{parts[0]} {parts[1]}-{parts[2].lower()}")
    return out
