from communique.nlp import entities, entities_in, load_spacy


def test_entities_are_built_once_and_match_spacy():
    doc = load_spacy()("Wang Yi met Sergei Lavrov in Moscow on Monday. Kim Jong Un flew to Vostochny on Wednesday.")
    assert entities(doc) is entities(doc)  # one tuple per Doc, not a new one per call
    assert [e.text for e in entities(doc)] == [e.text for e in doc.ents]
    for sent in doc.sents:
        assert [(e.start, e.end, e.label_) for e in entities_in(sent)] == [(e.start, e.end, e.label_) for e in sent.ents]


def test_bf16_switch_follows_the_environment(monkeypatch):
    import contextlib

    from communique import nlp

    monkeypatch.delenv(nlp.BF16_ENV, raising=False)
    nlp.bf16_matmuls.cache_clear()
    assert nlp.bf16_matmuls() is False  # opt-in: a long ingest grows in bfloat16
    for value, expected in (("0", False), ("off", False), ("1", True), ("yes", True)):
        monkeypatch.setenv(nlp.BF16_ENV, value)
        nlp.bf16_matmuls.cache_clear()
        assert nlp.bf16_matmuls() is expected
    assert isinstance(nlp.inference_precision(exact=True), contextlib.nullcontext)  # training stays float32
    nlp.bf16_matmuls.cache_clear()


def test_bf16_embeddings_stay_close_to_float32(monkeypatch):
    import numpy as np

    from communique import nlp

    texts = ["Seoul and Beijing held a security dialogue in the capital.", "Troops crossed the border at dawn."]
    monkeypatch.setenv(nlp.BF16_ENV, "0")
    nlp.bf16_matmuls.cache_clear()
    exact = nlp.encode(texts)
    monkeypatch.setenv(nlp.BF16_ENV, "1")
    nlp.bf16_matmuls.cache_clear()
    fast = nlp.encode(texts)
    nlp.bf16_matmuls.cache_clear()
    assert exact.dtype == fast.dtype == np.float32
    assert float((exact * fast).sum(axis=1).min()) > 0.999
