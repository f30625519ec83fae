"""Bad input never stops a batch: every reader turns any bytes into articles or a clear InputError."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.errors import InputError
from communique.read import read_bytes
from communique.records import Article
from tests.trust.figures import record, tried

ODD = ["\u200f", "\u200d", "\ufeff", "\x00", "\ud800", "\u202e", "é", "中文", "🙂", "\r\n", "\t", "<", "&", "\"", "{", "}"]
SUFFIXES = ["a.txt", "a.html", "a.json", "a.jsonl", "a.htm"]


@pytest.fixture(autouse=True, scope="module")
def _report_inputs_tried():  # type: ignore[no-untyped-def]
    yield
    record("fuzz", inputs_tried=sum(tried.values()), by_target=dict(tried))  # pass or fail: the test run says


def _check(data: bytes, name: str) -> None:
    tried[name.rsplit(".", 1)[-1]] += 1
    for item in read_bytes(data, name, max_bytes=200_000):
        assert isinstance(item, (Article, InputError))
        if isinstance(item, InputError):
            assert item.path == name.split("/")[-1] or name in str(item)  # the message names the file
            assert str(item)
        else:
            assert item.text.strip()
            item.text.encode("utf-8")  # no lone surrogates survive into an article


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), name=st.sampled_from(SUFFIXES))
def test_random_bytes(data, name):
    _check(data, name)


@settings(max_examples=150, deadline=None)
@given(text=st.lists(st.one_of(st.text(max_size=40), st.sampled_from(ODD)), max_size=60).map("".join),
       name=st.sampled_from(SUFFIXES))
def test_unicode_oddities(text, name):
    _check(text.encode("utf-8", "surrogatepass"), name)


@settings(max_examples=60, deadline=None)
@given(depth=st.integers(1, 3000), cut=st.integers(0, 200))
def test_deeply_nested_and_truncated_json(depth, cut):
    nested = "[" * depth + "]" * depth
    _check(nested.encode(), "a.json")
    record = json.dumps({"id": "x", "text": "Seoul met Beijing on Tuesday. " * 5, "published": "2024-06-19"})
    _check(record[: max(1, len(record) - cut)].encode(), "a.jsonl")


def test_huge_line_and_empty_inputs():
    _check(b"x" * 300_000, "a.txt")  # over the limit: refused with a message
    for empty in (b"", b"   \n\n", b"{}", b"[]", b"<html></html>"):
        _check(empty, "a.json" if empty.startswith((b"{", b"[")) else "a.html")


@settings(max_examples=25, deadline=None)
@given(text=st.lists(st.one_of(st.text(max_size=60), st.sampled_from(ODD + ["Seoul met Beijing on Tuesday. "])),
                     min_size=1, max_size=40).map("".join))
def test_the_pipeline_codes_any_text_without_failing(pipeline, text):
    from communique import code

    clean = text.encode("utf-8", "replace").decode("utf-8")
    tried["pipeline"] += 1
    for event in code("Title\n\n" + clean, article_id="fuzz", published="2024-06-19"):
        assert 0 <= event.evidence.start <= event.evidence.end


def test_a_rejected_input_leaves_the_store_byte_for_byte_unchanged(tmp_path):
    import hashlib

    from communique import Store, ingest
    from tests.store.test_fusion import ITEMS

    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        for art, events in ITEMS:
            store.add(art, events)
        store.fuse()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "broken.jsonl").write_text('{"id": 1, "text": "x"\n', encoding="utf-8")
    (bad / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    (bad / "nested.json").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    with Store(db) as store:
        summary = ingest(store, [str(bad)])
    assert summary.new == 0 and summary.failed == 4
    assert all(name in " ".join(summary.errors) for name in ("binary.txt", "broken.jsonl", "empty.html", "nested.json"))
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    record("rejected_inputs", rejected=summary.failed, store_unchanged=True)
