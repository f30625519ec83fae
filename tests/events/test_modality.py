"""Intent to harm reads as THREATEN, an obligation put on another as REQUEST; facts and self-obligations do not."""

import pytest

from communique.events.lexicon import load_lexicon
from communique.events.modality import intends_harm, obliges_another, retype
from communique.nlp import load_spacy


@pytest.fixture(scope="module")
def tag():
    nlp = load_spacy()
    return lambda text: list(nlp(text))


@pytest.mark.parametrize("text, expected", [
    ("The government announced it will impose a curfew on the capital from Friday.", True),
    ("The alliance said it would tighten the blockade of the port.", True),
    ("The ministry is prepared to expel the diplomats if the spying continues.", True),
    ("The opposition plans to boycott the vote.", True),
    ("The government imposed a curfew on the capital on Friday.", False),  # done, not intended
    ("The government said it will not impose a curfew.", False),  # negated
    ("The two sides said they will hold talks next week.", False),  # intent, but to meet
])
def test_intent_to_harm(tag, text, expected):
    assert intends_harm(tag(text), load_lexicon()) is expected


@pytest.mark.parametrize("text, expected", [
    ("Britain said on Friday that Sudan must hand over the suspects.", True),
    ("The minister insisted that Tokyo should apologise first.", True),
    ("Iran said it must respond to the attack.", False),  # the speaker obliges itself
    ("We must cooperate more closely, the minister said.", False),  # no speech verb before the obligation
    ("Seoul and Beijing agreed to hold a security dialogue.", False),
])
def test_obligation_on_another(tag, text, expected):
    assert obliges_another(tag(text)) is expected


def test_retype_only_touches_cooperative_readings(tag):
    lexicon = load_lexicon()
    threat = tag("NATO said it would tighten the naval blockade of the port.")
    assert retype("AGREE", threat, lexicon) == "THREATEN"
    assert retype("ACCUSE", threat, lexicon) == "ACCUSE"
    demand = tag("Tokyo said that Seoul must return the seized fishing boat.")
    assert retype("CONCEDE", demand, lexicon) == "REQUEST"
    assert retype(None, demand, lexicon) is None
