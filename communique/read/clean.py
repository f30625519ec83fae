"""Cleaning: strip page furniture, normalise quotes and whitespace.

The cleaned text is what gets stored and what every evidence offset points into, so cleaning happens once,
here, before any NLP.
"""

from __future__ import annotations

import re
import unicodedata

# Lines that are page furniture, not reporting. Matched against a whole stripped line, case-insensitive.
_FURNITURE = [
    r"related (stories|articles|news|links|coverage)",
    r"most (viewed|read|popular|shared)( articles| stories| news)?",
    r"(recommended|trending|latest|top) (stories|articles|news)",
    r"(you may|you might) also (like|be interested in).*",
    r"read more:?.*",
    r"share (this|on|via)\b.*",
    r"(share|tweet|email|print|copy link|facebook|twitter|linkedin|whatsapp|x)(\s*[|/·•]\s*\w+)*",
    r"subscribe( now| to .*)?",
    r"sign up( for .*)?",
    r"(click|tap) here.*",
    r"(please )?(leave|post|add) a comment.*",
    r"comments?( \(\d+\))?",
    r"please direct (your )?(questions|comments).*",
    r"(all rights reserved|copyright|©).*",
    r"advertisement",
    r"button that move.*",
    r"(follow us|follow) on .*",
    r"back to top",
    r"view (comments|gallery)",
]
_FURNITURE_RE = re.compile(r"^\s*(?:" + "|".join(_FURNITURE) + r")\s*$", re.IGNORECASE)

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": " - ", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\u2026": "...",
}
_QUOTES_RE = re.compile("|".join(map(re.escape, _QUOTES)))
# Characters with no visible meaning that confuse tokenisers: zero-width, bidi marks, BOM, NUL.
_INVISIBLE_RE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES_RE = re.compile(r"[ \t]+")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def normalise(text: str) -> str:
    """Unicode NFC, plain quotes and dashes, no invisible characters, single spaces."""
    text = _SURROGATE_RE.sub("\ufffd", text)  # lone surrogates cannot be stored or printed
    text = unicodedata.normalize("NFC", text)
    text = _QUOTES_RE.sub(lambda m: _QUOTES[m.group(0)], text)
    text = _INVISIBLE_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))


_BYLINE_RE = re.compile(r"^\s*[Bb]y\s+([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})\s*(?:,\s*[^.]{0,60})?$")
_CONTACT_RE = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def byline_author(line: str) -> str | None:
    """The author named by a byline line ("By Park Min-hee, senior staff writer"), else None."""
    m = _BYLINE_RE.match(line)
    return m.group(1) if m else None


def contact_domain(line: str) -> str | None:
    """The outlet's domain from a furniture line that gives a contact address."""
    m = _CONTACT_RE.search(line)
    return m.group(1).lower() if m and is_furniture(line) else None


def is_furniture(line: str) -> bool:
    return bool(_FURNITURE_RE.match(line))


def clean_lines(lines: list[str]) -> list[str]:
    """Drop furniture and immediate repeats (captions printed twice), keep paragraph order."""
    kept: list[str] = []
    for line in lines:
        if not line or is_furniture(line):
            continue
        if kept and line == kept[-1]:
            continue
        kept.append(line)
    return kept


def clean_text(text: str) -> str:
    """The cleaned article body: paragraphs separated by a blank line."""
    return "\n\n".join(clean_lines(normalise(text).split("\n")))


_STOPWORDS = frozenset(
    "the of and to in a is that for on with as was by at from said it its has have be are were an this".split()
)


def looks_english(text: str) -> bool:
    """Cheap language check: English news is dense in a handful of function words.

    Errs towards yes on short texts, so a brief English wire item is never refused.
    """
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 12:
        return bool(words) and sum(w.isascii() for w in words) / len(words) > 0.5
    hits = sum(w in _STOPWORDS for w in words)
    return hits / len(words) >= 0.08
