import json

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.events.classifier import LABELS, get_classifier, lexicon_votes, mark_actors, mode_for


@pytest.fixture(scope="module")
def clf():
    return get_classifier()


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("The European Union imposed new sanctions on Iranian officials on Monday.", "SANCTION"),
        ("Japan's prime minister met the Indian prime minister in Tokyo for talks on trade.", "CONSULT"),
        ("Rebels shelled the outskirts of the city overnight, killing four civilians.", "ASSAULT"),
        ("Brazil called on Venezuela to release the detained journalists.", "REQUEST"),
        ("Thousands of protesters marched through the capital to demand the minister's resignation.", "PROTEST"),
    ],
)
def test_clear_sentences(clf, sentence, expected):
    [result] = clf.classify([sentence])
    assert result.event_type == expected, result.scores


def test_scores_are_a_distribution(clf):
    [result] = clf.classify(["Germany pledged to send more air defence systems to Ukraine."])
    assert set(result.scores) == set(LABELS)
    assert abs(sum(result.scores.values()) - 1.0) < 1e-4
    assert 0.0 <= result.confidence <= 1.0


def test_no_event_sentence(clf):
    [result] = clf.classify(["Heavy rain is forecast for the weekend across the northern provinces."])
    assert result.event_type is None


def test_lexicon_votes_and_modes(clf, nlp):
    votes, best = lexicon_votes(nlp("Seoul expressed concern over the launch."), clf.lexicon)
    assert best["ACCUSE"].mode == "disapprove"
    assert mode_for("CONSULT", "The two leaders spoke by phone on Friday.", None) == "phone"


def test_classify_command_in_and_out():
    runner = CliRunner()
    lines = "\n".join([
        json.dumps({"id": "a", "text": "Poland expelled two Russian diplomats.", "source": "Poland", "target": "Russian diplomats"}),
        "{broken",
        json.dumps({"id": "b", "text": "The two presidents held talks in Ankara."}),
    ])
    result = runner.invoke(app, ["classify", "-"], input=lines + "\n")
    assert result.exit_code == 1  # one bad line, named
    assert "-:2" in result.stderr
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert all(set(o) >= {"event_type", "mode", "confidence", "scores", "cameo"} for o in out)


def test_mark_actors_wraps_source_and_target():
    assert mark_actors("Seoul urged Beijing to act.", "Seoul", "Beijing") == "@ Seoul @ urged # Beijing # to act."
    # longer names first, and a shorter name takes its next free occurrence
    assert mark_actors("South Korea and Korea met.", "Korea; South Korea", None) == "@ South Korea @ and @ Korea @ met."
    assert mark_actors("officials in seoul said", "Seoul", "Tokyo") == "officials in @ seoul @ said"  # any case; absent: unmarked
    assert mark_actors("No actors here.", None, "") == "No actors here."
    # lower-casing "İ" adds a character: offsets must come from the text itself
    assert mark_actors("İstanbul talks: turkey and Greece met", "Turkey", "greece") == (
        "İstanbul talks: @ turkey @ and # Greece # met")


def test_actors_change_which_event_is_read(clf):
    text = "Poland expelled two Russian diplomats after Moscow threatened Warsaw."
    bare, marked = clf.classify([text, text], actors=[None, ("Poland", "Russian diplomats")])
    assert marked.event_type == "SANCTION", marked.scores
    assert set(bare.scores) == set(marked.scores)


def test_classify_command_rejects_non_text_actors():
    line = json.dumps({"id": "x", "text": "Poland expelled two Russian diplomats.", "source": ["Poland"]})
    result = CliRunner().invoke(app, ["classify", "-"], input=line + "\n")
    assert result.exit_code == 1 and "-:1" in result.stderr and "source" in result.stderr
