"""Event typing and argument extraction on hand-built sentences."""

import pytest

from communique.api import code


def _events(text, published="2024-06-19"):
    return [(e.event_type, [a.country for a in e.actors], [a.country for a in e.recipients], e.date, e.status)
            for e in code("Title\n\n" + text, published=published)]


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("South Korea and China held a security dialogue in Seoul on Tuesday.", ("CONSULT", {"KOR", "CHN"})),
        ("Seoul called on Beijing to play a constructive role.", ("REQUEST", ("KOR", "CHN"))),
        ("South Korean officials expressed concern over Putin's visit.", ("ACCUSE", ("KOR", "RUS"))),
        ("Japan imposed sanctions on North Korea on Monday.", ("SANCTION", ("JPN", "PRK"))),
        ("Beijing welcomed a North Korean delegation on Monday.", ("CONSULT", ("PRK", "CHN"))),
        ("Russian President Vladimir Putin arrived in Pyongyang on Wednesday.", ("CONSULT", ("RUS", "PRK"))),
        ("North Korea sent troops to Russia last month.", ("MOBILIZE", ("PRK", "RUS"))),
        ("China condemned the United States for the sanctions on Tuesday.", ("ACCUSE", ("CHN", "USA"))),
    ],
)
def test_type_and_sides(sentence, expected):
    events = _events(sentence)
    etype, sides = expected
    assert events, sentence
    match = [e for e in events if e[0] == etype]
    assert match, events
    e = match[0]
    if isinstance(sides, set):
        assert set(e[1]) | set(e[2]) == sides
    else:
        assert sides[0] in e[1] and sides[1] in e[2], e


def test_no_event_from_co_occurrence():
    assert _events("Analysts in Seoul and Tokyo wrote about China's economy.") == []


def test_domestic_event_is_not_coded():
    assert _events("South Korea's president met South Korean lawmakers in Seoul.") == []


def test_request_content_is_not_a_separate_event():
    types = [e[0] for e in _events("Tokyo asked Beijing to lift its ban on seafood imports.")]
    assert types == ["REQUEST"]


def test_date_status_of_planned_meeting():
    events = _events("Lavrov will meet Wang Yi in Moscow on Monday.", published="2023-09-15")
    assert ("CONSULT", "2023-09-18", "planned") in [(e[0], e[3], e[4]) for e in events]


def test_the_two_leaders_are_the_parties_of_the_last_talks():
    events = _events(
        "Turkish President Recep Tayyip Erdogan held talks with Egyptian President Abdel Fattah al-Sisi in Cairo on "
        "Wednesday. The two leaders signed a joint declaration on restoring cooperation."
    )
    agree = [e for e in events if e[0] == "AGREE"]
    assert agree and set(agree[0][1]) | set(agree[0][2]) == {"TUR", "EGY"}


def test_a_strike_beside_a_sanction_keeps_its_own_type():
    events = _events(
        "The United States imposed sanctions on Houthi officials on Monday, and British warplanes struck targets in Yemen."
    )
    assert {e[0] for e in events} >= {"SANCTION", "ASSAULT"}


def test_decade_is_not_december():
    events = _events("Erdogan arrived in Cairo on Wednesday for his first visit to Egypt in more than a decade.")
    assert all(e[3] != "2023-12" for e in events)


def test_asking_questions_is_not_a_request():
    events = _events("Putin met Kim Jong Un on Wednesday. Kim asked his hosts detailed questions about the rockets.")
    assert "REQUEST" not in {e[0] for e in events}


def test_protest_through_an_embassy_is_not_addressed_to_the_talks():
    events = _events(
        "The leaders of Japan, South Korea and the United States held a phone call on Monday. "
        "Tokyo lodged a protest through its embassy in Beijing."
    )
    assert not any(e[0] == "ACCUSE" and {"KOR", "USA"} & set(e[2]) for e in events)
