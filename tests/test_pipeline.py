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
