import pytest

from communique.actors.gazetteer import load_gazetteer
from communique.actors.recognize import ActorRecognizer, name_variants


@pytest.fixture(scope="module")
def recognize(nlp):
    rec = ActorRecognizer(nlp, load_gazetteer())

    def run(text, published="2024-06-19"):
        doc = nlp(text)
        return doc, rec(doc, published)

    return run


def _by_text(doc, actors):
    return {doc[m.start:m.end].text: m.actor for m in actors.mentions}


def test_official_with_title_and_possessive_state(recognize):
    doc, actors = recognize("South Korea's First Vice Foreign Minister Kim Hong-kyun met reporters.")
    [actor] = [m.actor for m in actors.mentions if m.actor.name]
    assert actor.kind == "person" and actor.country == "KOR" and actor.sector == "GOV"
    assert actor.role == "first vice foreign minister"


def test_demonym_capital_metonym_and_group(recognize):
    doc, actors = recognize("The Chinese side told Pyongyang that the Kremlin had approved the plan, and Russian troops moved north.")
    found = {a.text: a for a in (m.actor for m in actors.mentions)}
    assert found["Chinese side"].country == "CHN"
    assert found["Pyongyang"].country == "PRK"
    assert any("Kremlin" in text and a.country == "RUS" for text, a in found.items())
    assert found["Russian troops"].country == "RUS" and found["Russian troops"].sector == "MIL"


def test_known_office_holder_is_time_aware(recognize):
    doc, actors = recognize("Wang Yi flew to Moscow.", "2023-09-15")
    actor = actors.mentions[0].actor
    assert actor.country == "CHN" and actor.name == "Wang Yi"


def test_igo_and_news_agency(recognize):
    doc, actors = recognize("The UN Security Council met after KCNA reported the launch.")
    found = {a.name: a for a in (m.actor for m in actors.mentions)}
    assert any(a.country == "UNO" for a in found.values())
    assert any(a.sector == "MED" and a.country == "PRK" for a in found.values())


def test_short_name_resolves_to_earlier_full_mention(recognize):
    doc, actors = recognize("Chinese Vice Foreign Minister Sun Weidong arrived in Seoul. Sun met officials there.")
    suns = [m.actor for m in actors.mentions if (m.actor.name or "").startswith("Sun")]
    assert len(suns) == 2 and all(a.country == "CHN" for a in suns)


def test_appositive_gives_a_person_their_state(recognize):
    doc, actors = recognize("Hao Peng, the secretary of the Liaoning Provincial Committee of the CCP, visited Korea.")
    hao = next(m.actor for m in actors.mentions if m.actor.name == "Hao Peng")
    assert hao.country == "CHN"


def test_name_variants_cover_romanisation():
    assert {"Kim Jong-un", "Kim Jong Un", "Kim Jong-Un"} <= name_variants("Kim Jong-un") | name_variants("Kim Jong Un")


def test_group_phrase_stands_for_states_named_together(recognize):
    doc, actors = recognize(
        "Cooperation among Seoul, Washington and Tokyo has expanded. On Aug. 18, the three countries upgraded their ties."
    )
    head = next(t for t in doc if t.text == "countries")
    assert {m.actor.country for m in actors.groups[head.i]} == {"KOR", "USA", "JPN"}


def test_unplaced_actor_takes_the_only_state_in_its_sentence(recognize):
    doc, actors = recognize("Police fired tear gas at protesters in Algiers on Friday.")
    police = next(m.actor for m in actors.mentions if m.actor.role == "police")
    assert police.country == "DZA"
    doc, actors = recognize("Police in Seoul detained two Chinese nationals.")
    police = next(m.actor for m in actors.mentions if m.actor.role == "police")
    assert police.country is None  # two states named: no guess


def test_two_people_with_one_surname_in_one_article(recognize):
    doc, actors = recognize(
        "First Vice Foreign Minister Kim Hong-kyun met reporters. North Korean leader Kim Jong Un fired a missile. "
        "Kim Hong-kyun condemned the launch."
    )
    ids = {m.actor.entity_id for m in actors.mentions if m.actor.kind == "person" and m.actor.entity_id}
    assert {"person:kim-hong-kyun", "person:kim-jong-un"} <= ids
    countries = {m.actor.entity_id: m.actor.country for m in actors.mentions if m.actor.entity_id}
    assert countries["person:kim-jong-un"] == "PRK"


def test_title_alone_names_the_office_holder_of_the_day(recognize):
    doc, actors = recognize("The South Korean foreign minister flew to Vientiane.", "2024-07-26")
    minister = next(m.actor for m in actors.mentions if m.actor.role == "foreign minister")
    assert minister.name == "Cho Tae-yul" and minister.country == "KOR"


def test_surnames_of_long_gone_office_holders_are_not_guessed(recognize):
    doc, actors = recognize("Powell said the ban on imports would stay. Talks resumed in May.", "2024-06-19")
    assert all(m.actor.name not in ("Colin Powell", "Theresa May") for m in actors.mentions)
