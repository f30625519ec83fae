"""Shared fixtures: the spaCy model (loaded once), hand-built articles, and ../shared when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from communique.nlp import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def pipeline():
    from communique.api import get_pipeline

    return get_pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus" / "dev").is_dir():
        pytest.skip("../shared is absent: skipping tests that need the dev corpus")
    return SHARED


@pytest.fixture()
def parse(nlp):
    def _parse(text: str):
        return nlp(text)

    return _parse
