"""Library entry points that the CLI, the web app and users call."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator

from .errors import InputError
from .nlp import encode
from .pipeline import DEFAULT_MIN_CONFIDENCE, CodedArticle, Pipeline
from .read import DEFAULT_MAX_BYTES, article_from_text, read_paths
from .records import Article, Event
from .store import IngestSummary, Store

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def get_pipeline(min_confidence: float = DEFAULT_MIN_CONFIDENCE, actors_file: str | None = None) -> Pipeline:
    """The process-wide pipeline (models load once)."""
    return Pipeline(min_confidence=min_confidence, actors_file=actors_file)


def code_articles(articles: Iterable[Article], *, batch_size: int = 16, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Iterator[CodedArticle]:
    """Code articles; one CodedArticle (article, events, actor mentions) per input, in order."""
    yield from get_pipeline(min_confidence).run(articles, batch_size=batch_size)


def code(text: str | Article, *, article_id: str = "text", published: str | None = None) -> list[Event]:
    """Events in one article given as text (first line is its title) or as an Article."""
    article = text if isinstance(text, Article) else article_from_text(text, article_id, published=published)
    return next(iter(code_articles([article]))).events


def ingest(
    store: Store,
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = 16,
    on_item: Callable[[str, str], None] | None = None,
) -> IngestSummary:
    """Read, code and store the articles in files and folders. Already-stored texts are skipped before any NLP.

    ``on_item(path, outcome)`` is called once per input article with outcome "new", "present" or "failed".
    """
    return ingest_items(store, read_paths(paths, max_bytes=max_bytes), batch_size=batch_size, on_item=on_item)


def ingest_items(
    store: Store,
    items: Iterable[Article | InputError],
    *,
    batch_size: int = 16,
    on_item: Callable[[str, str], None] | None = None,
) -> IngestSummary:
    """Code and store articles already read (or the errors reading them), in batches, fusing as it goes."""
    summary = IngestSummary()
    pending: list[Article] = []
    pending_hashes: set[str] = set()

    def flush() -> None:
        coded_batch = list(code_articles(pending, batch_size=batch_size))
        # one encoder call per batch: the evidence vectors that fusion compares across outlets
        texts = [e.evidence.text for c in coded_batch for e in c.events]
        vectors = iter(encode(texts)) if texts else iter(())
        stored: list[str] = []
        for coded in coded_batch:
            own = [next(vectors) for _ in coded.events]
            if store.add(coded.article, coded.events, coded.mention_spans, own):
                stored += [e.event_id for e in coded.events]
                summary.new += 1
                summary.events += len(coded.events)
                outcome = "new"
            else:
                summary.present += 1
                outcome = "present"
            if on_item:
                on_item(coded.article.source_path or coded.article.article_id, outcome)
        pending.clear()
        pending_hashes.clear()
        # only this batch's events: scanning the whole store for unfused events once per batch would grow with it
        summary.fused += store.fuse(stored)

    for item in items:
        if isinstance(item, InputError):
            summary.failed += 1
            summary.errors.append(str(item))
            logger.warning("%s", item)
            if on_item:
                on_item(item.path, "failed")
            continue
        h = item.content_hash
        if h in pending_hashes or store.has_content(h):
            summary.present += 1
            if on_item:
                on_item(item.source_path or item.article_id, "present")
            continue
        pending.append(item)
        pending_hashes.add(h)
        if len(pending) >= batch_size:
            flush()
    if pending:
        flush()
    # events stored by a run that was stopped before it could fuse them
    summary.fused += store.fuse()
    return summary
