"""Training is reproducible: the same sentences and seed give the same weights."""

import json

import numpy as np

from communique.events.classifier import ClassifierWeights
from communique.events.train import TRAIN_DIR, train, training_files


def test_training_twice_gives_identical_weights(tmp_path):
    rows = [json.loads(x) for f in training_files(TRAIN_DIR) for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    # A stratified slice keeps the test quick: every label, a few sentences each.
    by_label: dict[str, list[dict]] = {}
    for r in rows:
        by_label.setdefault(r["event_type"] or "NONE", []).append(r)
    subset = [r for group in by_label.values() for r in group[:10]]
    data = tmp_path / "subset.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in subset), encoding="utf-8")
    train(data, tmp_path / "a.npz", seed=7, epochs=1)
    train(data, tmp_path / "b.npz", seed=7, epochs=1)
    a, b = ClassifierWeights.load(tmp_path / "a.npz"), ClassifierWeights.load(tmp_path / "b.npz")
    assert np.allclose(a.W, b.W, atol=1e-5) and np.allclose(a.b, b.b, atol=1e-5)
    assert a.temperature == b.temperature
    assert a.adapter.keys() == b.adapter.keys() and a.adapter
    assert all(np.allclose(a.adapter[k], b.adapter[k], atol=1e-5) for k in a.adapter)


def test_shipped_weights_were_trained_on_the_shipped_sentences():
    import hashlib

    from communique.events.classifier import WEIGHTS_PATH

    digest = hashlib.sha256(b"".join(f.read_bytes() for f in training_files(TRAIN_DIR))).hexdigest()
    assert ClassifierWeights.load(WEIGHTS_PATH).meta["data_sha256"] == digest, (
        "the training sentences changed since classifier.npz was built: run `make train`")
