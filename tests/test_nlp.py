from communique.nlp import entities, entities_in, load_spacy


def test_entities_are_built_once_and_match_spacy():
    doc = load_spacy()("Wang Yi met Sergei Lavrov in Moscow on Monday. Kim Jong Un flew to Vostochny on Wednesday.")
    assert entities(doc) is entities(doc)  # one tuple per Doc, not a new one per call
    assert [e.text for e in entities(doc)] == [e.text for e in doc.ents]
    for sent in doc.sents:
        assert [(e.start, e.end, e.label_) for e in entities_in(sent)] == [(e.start, e.end, e.label_) for e in sent.ents]


def test_bf16_switch_follows_the_environment(monkeypatch):
    import contextlib

    import torch

    from communique import nlp

    monkeypatch.delenv(nlp.BF16_ENV, raising=False)
    nlp.bf16_matmuls.cache_clear()
    native = torch.cpu._is_amx_tile_supported() and torch.cpu._is_avx512_bf16_supported()
    assert nlp.bf16_matmuls() is bool(native)  # by default only where the CPU has the units
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


class _RecordingEncoder:
    """Stands in for a sentence-transformers model: records what it is asked to encode."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict]] = []

    def encode(self, texts, **options):  # type: ignore[no-untyped-def]
        import numpy as np

        self.calls.append((list(texts), options))
        return np.arange(len(texts), dtype=np.float32)[:, None].repeat(384, axis=1)


def test_bf16_bounds_the_shapes_the_encoder_meets(monkeypatch):
    from communique import nlp

    monkeypatch.setenv(nlp.BF16_ENV, "1")
    nlp.bf16_matmuls.cache_clear()
    try:
        for n, sent in ((70, 72), (64, 64), (3, 4), (1, 1), (33, 64)):
            fake = _RecordingEncoder()
            out = nlp.run_encoder(fake, [f"sentence {i}" for i in range(n)], batch_size=64)
            texts, options = fake.calls[0]
            assert len(texts) == sent  # the last partial batch rounded up to a power of two
            assert texts[n:] == [""] * (sent - n)
            assert options["processing_kwargs"] == {"text": {"pad_to_multiple_of": nlp.SHAPE_TOKENS}}
            assert out.shape == (n, 384) and out[-1, 0] == n - 1  # the fillers' rows are dropped
        exact = _RecordingEncoder()
        nlp.run_encoder(exact, ["a", "b", "c"], exact=True)  # training: float32, as given
        assert exact.calls[0][0] == ["a", "b", "c"] and "processing_kwargs" not in exact.calls[0][1]
    finally:
        nlp.bf16_matmuls.cache_clear()
