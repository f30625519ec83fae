from datetime import date

import pytest

from communique.when_where.dates import clause_tense, event_date, resolve_text

WED = date(2024, 6, 19)  # a Wednesday
FRI = date(2023, 9, 15)


@pytest.mark.parametrize(
    "text,pub,tense,expected",
    [
        ("on Tuesday", WED, "past", "2024-06-18"),
        ("on Wednesday", WED, "past", "2024-06-19"),
        ("on Monday", FRI, "future", "2023-09-18"),
        ("Tuesday afternoon", WED, "past", "2024-06-18"),
        ("June 18, 2024", WED, "past", "2024-06-18"),
        ("Sept. 13", FRI, "past", "2023-09-13"),
        ("Aug. 18", FRI, "past", "2023-08-18"),
        ("on Sept. 23", FRI, "future", "2023-09-23"),
        ("13 September 2023", None, "past", "2023-09-13"),
        ("in April", WED, "past", "2024-04"),
        ("mid-October", FRI, "future", "2023-10"),
        ("November", FRI, "future", "2023-11"),
        ("December", date(2024, 1, 5), "past", "2023-12"),
        ("last month", WED, "past", "2024-05"),
        ("this week", WED, "past", "2024-06"),
        ("last year", WED, "past", "2023"),
        ("yesterday", WED, "past", "2024-06-18"),
        ("in 2000", WED, "past", "2000"),
        ("two days ago", WED, "past", "2024-06-17"),
        ("2024-06-10", None, "past", "2024-06-10"),
    ],
)
def test_resolve_text(text, pub, tense, expected):
    assert resolve_text(text, pub, tense) == expected


def test_unresolvable_without_publication_date():
    assert resolve_text("on Tuesday", None, "past") is None


def test_may_the_modal_is_not_a_month():
    assert resolve_text("may", WED, "past") is None


def _trigger(doc, word):
    return next(t for t in doc if t.text == word)


def test_tense_and_date_from_parse(parse):
    doc = parse("Lavrov will meet Wang Yi in Moscow on Monday.")
    tok = _trigger(doc, "meet")
    assert clause_tense(tok) == "future"
    assert event_date(tok, FRI, "future").value == "2023-09-18"


def test_past_weekday_from_parse(parse):
    doc = parse("South Korea and China held a security dialogue in Seoul on Tuesday.")
    tok = _trigger(doc, "held")
    assert clause_tense(tok) == "past"
    assert event_date(tok, WED, "past").value == "2024-06-18"


def test_durations_are_not_dates(parse):
    doc = parse("The two sides held a four-hour meeting.")
    assert event_date(_trigger(doc, "held"), WED, "past") is None


def test_next_and_last_weekday_override_tense():
    assert resolve_text("next Tuesday", WED, "present") == "2024-06-25"
    assert resolve_text("last Friday", WED, "future") == "2024-06-14"


def test_date_anchored_on_another_event():
    from communique.api import code

    text = (
        "Title\n\nLeaders of Japan and India will hold a summit in Tokyo on Friday. "
        "A day before the summit, the Indian foreign minister will meet Japan's foreign minister in Tokyo."
    )
    events = code(text, published="2024-06-19")
    dates = sorted(e.date for e in events if e.event_type == "CONSULT")
    assert dates == ["2024-06-20", "2024-06-21"], [(e.date, e.evidence.text) for e in events]


def test_date_of_another_event_in_the_object_is_not_taken(parse):
    doc = parse("The two ministers discussed preparations for Putin's visit to China in October.")
    tok = _trigger(doc, "discussed")
    assert event_date(tok, WED, "past") is None


def test_a_year_inside_another_noun_phrase_does_not_date_the_event(parse):
    doc = parse("The two men last met in July, when Shoigu travelled to Pyongyang for a parade marking the 70th "
                "anniversary of the 1953 armistice.")
    trigger = next(t for t in doc if t.lemma_ == "travel")
    found = event_date(trigger, date(2023, 9, 14), "past")
    assert found is None or found.value != "1953"


def test_the_day_something_was_said_does_not_date_what_was_said(parse):
    doc = parse("Kim will hold talks with Putin in the coming days, the Kremlin said on Monday.")
    assert event_date(_trigger(doc, "hold"), date(2023, 9, 12), "future") is None
    doc = parse("Seoul said it held talks with Beijing on Tuesday.")
    assert event_date(_trigger(doc, "held"), date(2023, 9, 13), "past").value == "2023-09-12"


def test_reported_future_looks_forward(parse):
    doc = parse("The Kremlin said on Monday that Putin would pay a state visit to North Korea on Wednesday.")
    tok = _trigger(doc, "pay")
    assert clause_tense(tok) == "future"
    assert event_date(tok, date(2024, 6, 18), "future").value == "2024-06-19"


def test_a_date_from_another_clause_or_swallowed_by_a_place_name(parse):
    doc = parse("President Xi Jinping received Blinken in the Great Hall of the People on June 19, the highest-level "
                "contact since Xi met President Joe Biden in Bali last year.")
    found = event_date(_trigger(doc, "received"), date(2023, 7, 14), "past")
    assert found is not None and found.value == "2023-06-19"
