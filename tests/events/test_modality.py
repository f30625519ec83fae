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
    # the harm is the intended verb's object, past a long noun phrase
    ("The president announced that he will extend the night-time curfew in the capital.", True),
    ("The cabinet is prepared to impose martial law if the fighting spreads.", True),
    ("The government said it would declare a state of emergency in the north.", True),
    ("The energy company will cut off gas supplies to the region from Monday.", True),
    # a two-word trigger needs its second word: sending aid or opening corridors is not a threat
    ("Sweden said it would send armoured vehicles to Ukraine in the spring.", False),
    ("The army said it would open humanitarian corridors next week.", False),
    # intended undoing of harm is a concession
    ("Britain announced that it would lift its arms embargo on the new government.", False),
    ("Beijing announced it would suspend anti-dumping duties on Australian barley.", False),
    ("The coalition announced it would halt military operations in Yemen.", False),
    ("The junta announced that it would release the detained former ministers.", False),
    ("The group said it would stop firing at the border once the war ended.", False),
    ("The unions said they were ready to call off their strike if the levy was dropped.", False),
    ("Officials said Washington would no longer block the loans.", False),
    ("The agency will provide 25,000 tons of emergency food aid.", False),  # "emergency" alone is no threat
    ("Washington said it would go ahead with the sale of attack helicopters.", False),  # a modifier, not the harm
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
