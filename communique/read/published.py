"""Publication date from an article's dateline or byline lines.

Datelines come in many house styles ("Posted on : 2024-06-19 16:31 KST", "Posted June. 14, 2024 07:38",
"July 26, 2024 SEOUL -", "SEOUL, June 19, 2024 -", "Published: 13 September 2023"). We locate the date words
with a small pattern and let dateparser read them, so month spellings and orders stay its problem.
"""

from __future__ import annotations

import re
from datetime import date

import dateparser

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_WORDS = (
    r"(?P<date>\d{4}-\d{2}-\d{2}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}/\d{2}/\d{2}|\d{1,2}/\d{1,2}/\d{4})"
)
# A line that announces a date: "Posted", "Published", "Updated", or a place-and-date dateline.
_ANNOUNCED = re.compile(
    rf"^\s*(?:posted|published|first published|updated|modified|date)(?:\s+on)?\s*:?\s*{_DATE_WORDS}", re.IGNORECASE
)
_DATELINE = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z .'-]{{1,30}},\s*)?{_DATE_WORDS}(?:\s*\d{{1,2}}:\d{{2}}\s*\w*)?(?:\s*,?\s*\(?[A-Z][A-Za-z .'-]{{1,30}}\)?)?\s*(?:-|--|:)",
)

# Only the top of an article carries its own date; later dates are about events.
_HEAD_LINES = 6


def parse_date_words(words: str) -> date | None:
    parsed = dateparser.parse(
        words.replace("Sept.", "Sep.").replace("June.", "June").replace("July.", "July"),
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None


def find_dateline(lines: list[str]) -> tuple[int, date, int] | None:
    """Index of the first head line holding a publication date, the date, and where the dateline ends in that
    line (0 for "Posted on" stamps, which are dropped whole)."""
    for i, line in enumerate(lines[:_HEAD_LINES]):
        announced = _ANNOUNCED.match(line)
        m = announced or _DATELINE.match(line)
        if m:
            found = parse_date_words(m.group("date"))
            if found:
                return i, found, 0 if announced else m.end()
    return None


def is_metadata_line(line: str) -> bool:
    """A line that is only a dateline/byline stamp ("Posted on : ... Modified on : ..."), not prose."""
    return bool(_ANNOUNCED.match(line)) and len(line) < 120 and not line.rstrip().endswith(".")
