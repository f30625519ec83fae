"""Event dates: find the date words that govern a trigger and resolve them against the publication date.

"on Tuesday" in an article of Wednesday 2024-06-19 is 2024-06-18 in a past-tense clause and 2024-06-25 in a
future one; "in April" is the last April before publication in the past tense and the next one in the future.
Precision is kept: a day, a month or a year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from spacy.tokens import Span, Token

from ..nlp import entities_in
from .status import REPORTING_VERBS, reported_future

Tense = Literal["past", "present", "future"]

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
# Whole month names or their abbreviations only: "decade" is not December, "marched" not March.
_MONTH_RE = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MDY = re.compile(rf"\b{_MONTH_RE}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+(\d{{4}}))?\b", re.I)
_MONTH_ONLY = re.compile(rf"\b(?:(early|mid|late|the end of|the beginning of)[-\s]+)?{_MONTH_RE}(?:\s+(\d{{4}}))?\b", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_RELATIVE = re.compile(r"\b(today|tonight|yesterday|tomorrow|this|last|next|earlier this|later this)\s*(week|month|year)?\b", re.I)
_AGO = re.compile(r"\b(\w+)\s+(day|week|month|year)s?\s+ago\b", re.I)
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
# "four-hour meeting", "for days", "in 24 years": durations are not dates.
_DURATION = re.compile(r"\b(\d+|\w+)[-\s](hour|minute|day|week|month|year)s?\b(?!\s+ago)|\bfor (days|weeks|months|years)\b", re.I)


@dataclass(frozen=True)
class ResolvedDate:
    value: str  # YYYY-MM-DD, YYYY-MM or YYYY
    text: str  # the words it was read from
    explicit: bool = True  # False when inherited from context or the publication date


def _month_number(word: str) -> int:
    w = word.lower().rstrip(".")
    return MONTHS.get(w) or MONTHS[w[:3]]


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year
        return date(year, month, 28)


def _month_day(month: int, day: int, year: int | None, pub: date | None, tense: Tense) -> str | None:
    if year is None:
        if pub is None:
            return None
        year = pub.year
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if tense == "future" and candidate < pub - timedelta(days=1):
            year += 1
        elif tense == "past" and candidate > pub + timedelta(days=1):
            year -= 1
        elif tense == "present":
            # Present tense in news is either the historical present or a schedule: take the nearest.
            year = min((year - 1, year, year + 1), key=lambda y: abs((_safe_date(y, month, day) - pub).days))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(month: int, year: int | None, pub: date | None, tense: Tense) -> str | None:
    if year is None:
        if pub is None:
            return None
        year = pub.year
        if tense == "future" and month < pub.month:
            year += 1
        elif tense == "past" and month > pub.month:
            year -= 1
        elif tense == "present":
            year = min((year - 1, year, year + 1), key=lambda y: abs((y * 12 + month) - (pub.year * 12 + pub.month)))
    return f"{year:04d}-{month:02d}"


def _weekday(name: str, pub: date | None, tense: Tense) -> str | None:
    if pub is None:
        return None
    target = WEEKDAYS[name.lower()]
    delta = (target - pub.weekday()) % 7
    if tense == "future":
        # "will meet on Wednesday" in a Wednesday paper is today's meeting.
        return (pub + timedelta(days=delta)).isoformat()
    return (pub - timedelta(days=(pub.weekday() - target) % 7)).isoformat()


def _relative(word: str, unit: str | None, pub: date | None) -> str | None:
    if pub is None:
        return None
    word = word.lower()
    if word in ("today", "tonight"):
        return pub.isoformat()
    if word == "yesterday":
        return (pub - timedelta(days=1)).isoformat()
    if word == "tomorrow":
        return (pub + timedelta(days=1)).isoformat()
    if unit is None:
        return None
    unit = unit.lower()
    step = {"last": -1, "next": 1}.get(word, 0)
    if unit == "year":
        return f"{pub.year + step:04d}"
    if unit == "month":
        m = pub.month + step
        y = pub.year + (m - 1) // 12
        return f"{y:04d}-{(m - 1) % 12 + 1:02d}"
    if unit == "week" and step == 0:
        # A week straddles months; the month of publication is the honest precision.
        return f"{pub.year:04d}-{pub.month:02d}"
    if unit == "week":
        return (pub + timedelta(days=7 * step)).strftime("%Y-%m")
    return None


def resolve_text(text: str, pub: date | None, tense: Tense) -> str | None:
    """The date a piece of date text denotes, at its own precision, or None."""
    if m := _ISO.search(text):
        return _month_day(int(m.group(2)), int(m.group(3)), int(m.group(1)), pub, tense)
    if m := _MDY.search(text):
        return _month_day(_month_number(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None, pub, tense)
    if m := _DMY.search(text):
        return _month_day(_month_number(m.group(2)), int(m.group(1)), int(m.group(3)) if m.group(3) else None, pub, tense)
    if m := _WEEKDAY.search(text):
        # "next Tuesday" and "last Friday" say their direction whatever the verb's tense
        before = text[: m.start()].lower().split()[-1:] or [""]
        if before[0] in ("next", "coming", "this"):
            tense = "future" if before[0] != "this" else tense
        elif before[0] in ("last", "past", "previous"):
            tense = "past"
        return _weekday(m.group(1), pub, tense)
    if m := _AGO.search(text):
        n = _NUMBER_WORDS.get(m.group(1).lower()) or (int(m.group(1)) if m.group(1).isdigit() else None)
        if n is not None and pub is not None:
            unit = m.group(2).lower()
            if unit == "day":
                return (pub - timedelta(days=n)).isoformat()
            if unit == "week":
                return (pub - timedelta(days=7 * n)).strftime("%Y-%m")
            if unit == "month":
                mm = pub.month - n
                return f"{pub.year + (mm - 1) // 12:04d}-{(mm - 1) % 12 + 1:02d}"
            return f"{pub.year - n:04d}"
    if m := _MONTH_ONLY.search(text):
        word = m.group(2).lower()
        if word == "may" and not re.search(r"\b(in|of|early|mid|late|since|until|by)[-\s]+may\b", text, re.I):
            return None  # the modal verb, not the month
        return _month(_month_number(word), int(m.group(3)) if m.group(3) else None, pub, tense)
    if m := _RELATIVE.search(text):
        return _relative(m.group(1).split()[-1], m.group(2), pub)
    if m := _YEAR.search(text):
        return m.group(1)
    return None


def clause_tense(tok: Token) -> Tense:
    """Tense of the clause a trigger sits in, read from its verb and auxiliaries."""
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    chain = [verb]
    if verb.dep_ in ("xcomp", "conj") and verb.head.pos_ in ("VERB", "AUX"):
        chain.append(verb.head)
    for v in chain:
        for child in v.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in ("will", "shall", "'ll", "wo"):
                return "future"
            if child.dep_ == "aux" and child.lower_ == "would" and reported_future(v):
                return "future"  # "said Putin would visit on Tuesday": the coming Tuesday
        if v.lemma_.lower() in ("plan", "slate", "slat", "schedule", "expect", "set", "due", "prepare", "intend", "arrange"):
            if any(c.dep_ in ("xcomp", "ccomp") for c in v.children) or v.tag_ == "VBN":
                return "future"
        if v.tag_ in ("VBD",) or any(c.lower_ in ("had", "has", "have") and c.dep_ == "aux" for c in v.children):
            return "past"
    if tok.tag_ == "VBD" or verb.tag_ == "VBD":
        return "past"
    if any(c.lower_ in ("upcoming", "next", "planned", "scheduled") for c in tok.children):
        return "future"
    return "present"


_EVENT_NOUNS = frozenset(
    {"visit", "trip", "summit", "meeting", "talk", "election", "vote", "war", "invasion", "attack", "launch", "test",
     "drill", "exercise", "conference", "ceremony", "parade", "deadline", "anniversary", "agreement", "treaty"}
)


def _dates_another_event(date_root: Token, trigger: Token) -> bool:
    """True when the date hangs on an event noun between it and the trigger."""
    node = date_root
    for _ in range(8):
        if node.i == trigger.i or node.head.i == node.i:
            return False
        node = node.head
        if (
            node.i != trigger.i and node.pos_ == "NOUN" and node.lemma_.lower() in _EVENT_NOUNS
            and any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "by") for c in node.children)
        ):
            return True  # an event with its own doer ("Putin's visit ... in October")
    return False




def _dates_the_saying(date_root: Token, trigger: Token) -> bool:
    """True when the date hangs on a verb of saying that reports the trigger's event (not on the trigger)."""
    head = date_root.head
    if head.pos_ == "ADP":  # "on Monday" hangs on its preposition
        head = head.head
    if head.i == trigger.i or head.pos_ != "VERB" or head.lemma_.lower() not in REPORTING_VERBS:
        return False
    node = trigger
    for _ in range(8):  # is the trigger inside what was said?
        if node.head.i == node.i:
            return head.dep_ in ("parataxis", "ccomp") and head.head.i == node.i
        node = node.head
        if node.i == head.i:
            return True
    return False


_NP_MODIFIER = frozenset({"compound", "amod", "nummod"})
_SUBORDINATE = frozenset({"advcl", "relcl", "ccomp", "pcomp", "acl", "csubj"})


def clause_of(tok: Token) -> Token:
    """The head of the clause a token sits in: up to a subordinate clause's verb or the sentence root."""
    while tok.dep_ not in _SUBORDINATE and tok.dep_ != "ROOT" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def date_spans(tok: Token) -> list[Span]:
    """DATE entities that can date this trigger, those inside its own clause first, nearest first.

    A trigger in a subordinate clause ("... days after Kim ended a visit to Russia") takes only its clause's
    dates; a main-clause trigger may take a date from anywhere in the sentence.
    """
    sent = tok.sent
    clause_root = clause_of(tok)
    in_clause = {t.i for t in clause_root.subtree}
    subordinate = clause_root.dep_ in _SUBORDINATE
    spans = [
        e for e in entities_in(sent)
        if e.label_ in ("DATE", "TIME") and not _DURATION.search(e.text)
        # "since 2018", "until June": a bound of a period, not the day of this event
        and not (e.start > 0 and e.doc[e.start - 1].lower_ in ("since", "until", "till", "through"))
    ]
    if subordinate:
        spans = [e for e in spans if e.root.i in in_clause]
    # "discussed preparations for Putin's visit to China in October": October dates the visit, not the talks
    spans = [e for e in spans if not _dates_another_event(e.root, tok)]
    # "Kim will hold talks in the coming days, the Kremlin said on Monday": Monday dates the saying, not the talks
    spans = [e for e in spans if not _dates_the_saying(e.root, tok)]
    # "a parade marking the anniversary of the 1953 armistice": a date inside another noun phrase names that thing
    spans = [e for e in spans if not (e.root.dep_ in _NP_MODIFIER and e.root.head.pos_ == "NOUN" and e.root.head.i != tok.i)]
    # "on Wednesday and Thursday", "June 18 to 20": a range is dated by its start.
    spans = [
        e for e in spans
        if not any(
            f.end < e.start and e.start - f.end == 1 and e.doc[f.end].lower_ in ("and", "to", "through", "-", "until")
            for f in spans
        )
    ]
    return sorted(spans, key=lambda e: (e.root.i not in in_clause, abs(e.root.i - tok.i)))


_CLAUSE_DATE = re.compile(
    r"\b(?:(?:this|last|next|earlier this|later this) (?:week|month|year)|today|yesterday|tomorrow|"
    r"(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    # "in the Great Hall of the People on June 19": the tagger sometimes swallows a date into a place's name
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.? \d{1,2}(?:, \d{4})?)\b", re.I,
)


def event_date(tok: Token, pub: date | None, tense: Tense) -> ResolvedDate | None:
    """The date written for this trigger's event in its own sentence, or None."""
    for span in date_spans(tok):
        value = resolve_text(span.text, pub, tense)
        if value:
            return ResolvedDate(value, span.text, True)
    # The tagger misses some date words ("this week" at the end of a headline): look in the clause itself, not in
    # another clause ("... since Xi met Biden in Bali last year") nor at the day something was said.
    sent = tok.sent
    said = [(e.start_char, e.end_char) for e in entities_in(sent) if e.label_ in ("DATE", "TIME") and _dates_the_saying(e.root, tok)]
    own = clause_of(tok)
    for m in _CLAUSE_DATE.finditer(sent.text):
        start, end = sent.start_char + m.start(), sent.start_char + m.end()
        words = sent.char_span(m.start(), m.end(), alignment_mode="expand")
        if words is None or clause_of(words.root).i != own.i or any(a < end and start < b for a, b in said):
            continue
        value = resolve_text(m.group(0), pub, tense)
        if value:
            return ResolvedDate(value, m.group(0), True)
    return None


_ANCHORED = re.compile(
    r"\b(a|one|two|three|four|five|six|seven|\d+)\s+(day|days|week|weeks)\s+(before|after|ahead of)\s+"
    r"(?:the|his|her|their|its|this|that|a)?\s*(?:\w+\s+){0,2}?(summit|meeting|talks|visit|trip|election|vote|dialogue|conference|parade|launch|ceremony)\b",
    re.I,
)


@dataclass(frozen=True)
class Anchor:
    """ "a day before the summit": an offset from another event of the same article, resolved later."""

    days: int  # signed offset
    noun: str  # lemma-ish noun naming the anchor event
    text: str


def anchored_date(tok: Token) -> Anchor | None:
    """A date given relative to another event in the trigger's sentence, if any."""
    m = _ANCHORED.search(tok.sent.text)
    if not m:
        return None
    n = _NUMBER_WORDS.get(m.group(1).lower()) or (int(m.group(1)) if m.group(1).isdigit() else 1)
    days = n * (7 if m.group(2).lower().startswith("week") else 1)
    sign = 1 if m.group(3).lower() == "after" else -1
    noun = m.group(4).lower()
    return Anchor(sign * days, {"talks": "talk", "talk": "talk"}.get(noun, noun), m.group(0))
