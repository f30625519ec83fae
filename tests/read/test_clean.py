from communique.read.clean import clean_text, is_furniture, looks_english, normalise


def test_normalise_quotes_dashes_and_invisible_characters():
    assert normalise("China\u2019s \u201cpolicy\u201d \u2013 now\u200b") == "China's \"policy\" - now"


def test_normalise_replaces_lone_surrogates():
    assert "\ufffd" in normalise("bad \ud800 char")


def test_furniture_lines_are_recognised():
    for line in ("Related stories", "Most viewed articles", "Please direct questions or comments to [x@y.com]",
                 "Share on Facebook", "Subscribe to our newsletter", "Click here to leave a comment"):
        assert is_furniture(line), line
    assert not is_furniture("Related talks were held in Seoul on Tuesday.")


def test_clean_text_drops_furniture_and_repeated_captions():
    raw = "Caption of a photo.\nCaption of a photo.\n\nThe body.\nRelated stories\nMost viewed articles"
    assert clean_text(raw) == "Caption of a photo.\n\nThe body."


def test_language_check():
    assert looks_english("South Korea and China held a dialogue in Seoul on Tuesday, the ministry said in a statement.")
    assert not looks_english("Der Bundeskanzler traf sich am Dienstag mit dem französischen Präsidenten in Berlin zu Gesprächen über die Lage.")
    assert not looks_english("클릭시 원문으로 이동하는 버튼 클릭시 원문으로 이동하는 버튼 클릭시 원문으로 이동하는 버튼 이동하는 버튼 이동하는 버튼 이동하는 버튼")
