import pytest

from communique.when_where.status import event_status


@pytest.mark.parametrize(
    "sentence,trigger,expected",
    [
        ("South Korea and China held talks in Seoul.", "held", "occurred"),
        ("Lavrov will meet Wang Yi in Moscow on Monday.", "meet", "planned"),
        ("Xin is slated to visit Korea on Wednesday.", "visit", "planned"),
        ("The ministers are expected to discuss the summit.", "discuss", "planned"),
        ("Some have speculated that Beijing and Moscow consulted on their plans.", "consulted", "speculated"),
        ("The meeting may have been the venue for such consultations.", "venue", "speculated"),
        ("If China decides to strengthen its ties, joint drills may become a reality.", "decides", "hypothetical"),
        ("China has distanced itself from providing arms to Russia.", "providing", "negated"),
        ("Japan did not attend the summit.", "attend", "negated"),
        ("North Korea refused to meet the envoy.", "meet", "negated"),
        ("Seoul reportedly sent a delegation to Beijing.", "sent", "speculated"),
        # "would" in reported speech is the reported future; with a condition, or as a stance, it stays hypothetical
        ("The Kremlin said on Monday that Putin would pay a state visit to Pyongyang.", "pay", "planned"),
        ("Lula said he would visit Caracas in January if Maduro accepted observers.", "visit", "hypothetical"),
        ("Denmark would reject any offer for Greenland, the prime minister said.", "reject", "hypothetical"),
    ],
)
def test_status(parse, sentence, trigger, expected):
    doc = parse(sentence)
    tok = next(t for t in doc if t.text == trigger)
    assert event_status(tok) == expected


def test_what_is_said_about_an_event_is_not_its_status(parse):
    doc = parse("Putin's visit to North Korea was intended to send a message to Washington.")
    assert event_status(next(t for t in doc if t.text == "visit")) == "occurred"
    doc = parse("If China agrees, joint drills among the three countries may become a reality.")
    assert event_status(next(t for t in doc if t.text == "drills")) == "hypothetical"


def test_place_of_a_topic_is_not_the_place_of_the_talks(parse):
    from communique.actors.gazetteer import load_gazetteer
    from communique.when_where.places import event_place

    doc = parse("The two ministers discussed the war in Ukraine.")
    assert event_place(next(t for t in doc if t.text == "discussed"), load_gazetteer()) is None
    doc = parse("Putin held talks with Iran's supreme leader in Tehran on Tuesday.")
    assert event_place(next(t for t in doc if t.text == "held"), load_gazetteer()).name == "Tehran"
