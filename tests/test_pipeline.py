"""Pipeline-level dating rules that need the whole chain (parse, events, dates)."""

from communique import code


def test_a_background_event_is_not_dated_by_the_publication_day():
    text = ("Wang visits Moscow\n\nMOSCOW, Sept. 19, 2023 - Analysts said the timing of Wang's visit, a week after "
            "Putin received North Korea's Kim Jong Un, was probably a coincidence.\n")
    events = [e for e in code(text, article_id="bg") if {a.country for a in e.actors + e.recipients} >= {"RUS", "PRK"}]
    assert events and all(e.date != "2023-09-19" for e in events)


def test_a_plain_past_event_still_takes_the_publication_day():
    text = "Seoul and Beijing talk\n\nSEOUL, June 19, 2024 - South Korea's foreign minister met China's ambassador.\n"
    events = [e for e in code(text, article_id="pd") if e.event_type == "CONSULT"]
    assert events and events[0].date == "2024-06-19"


def test_also_met_someone_new_is_a_second_meeting_but_also_discussed_is_the_same_one():
    text = ("Seoul and Beijing talk\n\nSEOUL, June 19, 2024 - South Korean and Chinese officials held a security "
            "dialogue in Seoul on Tuesday. The two sides also discussed trade on Tuesday. The Chinese delegation "
            "also met South Korean Foreign Minister Cho Tae-yul on Tuesday.\n")
    meetings = [e for e in code(text, article_id="also") if e.event_type == "CONSULT"]
    assert len(meetings) == 2
    assert any("Cho" in e.evidence.text for e in meetings)


def test_two_states_sharing_one_noun_are_both_on_the_side():
    text = "Talks\n\nSEOUL, June 19, 2024 - South Korean and Chinese officials held a security dialogue in Seoul on Tuesday.\n"
    [event] = [e for e in code(text, article_id="shared") if e.event_type == "CONSULT"]
    assert {a.country for a in event.actors + event.recipients} == {"KOR", "CHN"}


def test_diplomats_from_two_states_and_two_ministers_leading_talks():
    texts = [
        "Talks\n\nSEOUL, June 19, 2024 - Senior diplomats from South Korea and China held their first dialogue in Seoul.\n",
        "Talks\n\nSEOUL, June 19, 2024 - First Vice Foreign Minister Kim Hong-kyun and Chinese Vice Foreign Minister "
        "Sun Weidong led the talks at the Foreign Ministry in central Seoul on June 18.\n",
    ]
    for n, text in enumerate(texts):
        consults = [e for e in code(text, article_id=f"t{n}") if e.event_type == "CONSULT"]
        assert consults and {a.country for a in consults[0].actors + consults[0].recipients} == {"KOR", "CHN"}, text
