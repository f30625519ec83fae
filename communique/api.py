"""Library entry points that the CLI, the web app and users call."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import InputError
from .read import DEFAULT_MAX_BYTES, article_from_text, iter_files, read_paths
from .records import DEFAULT_MIN_CONFIDENCE, Article, Event
from .scale.coded import CodedData, code_batch
from .scale.parallel import WorkerPool
from .store import IngestSummary, Store

if TYPE_CHECKING:
    from .pipeline import CodedArticle, Pipeline

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def get_pipeline(min_confidence: float = DEFAULT_MIN_CONFIDENCE, actors_file: str | None = None) -> Pipeline:
    """The process-wide pipeline (models load once)."""
    # imported here, not at the top: spaCy and torch take ~2.5 s to import, which commands that only read a store
    # (timeline, export, serve) and the writing process of a multi-worker ingest never need
    from .pipeline import Pipeline

    return Pipeline(min_confidence=min_confidence, actors_file=actors_file)


def code_articles(articles: Iterable[Article], *, batch_size: int = 16, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Iterator[CodedArticle]:
    """Code articles; one CodedArticle (article, events, actor mentions) per input, in order."""
    yield from get_pipeline(min_confidence).run(articles, batch_size=batch_size)


def code(text: str | Article, *, article_id: str = "text", published: str | None = None) -> list[Event]:
    """Events in one article given as text (first line is its title) or as an Article."""
    article = text if isinstance(text, Article) else article_from_text(text, article_id, published=published)
    return next(iter(code_articles([article]))).events


# Articles `communique ingest` stores between two reopenings of the database (Store.refresh, which bounds the
# writing process's memory): about a minute of coding on two workers. Each reopening checkpoints the write-ahead
# log, which a long ingest does anyway; 3,840 articles stored in 220 s with it and 228 s without (same run).
REFRESH_ARTICLES = 320


def ingest(
    store: Store,
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = 16,
    on_item: Callable[[str, str], None] | None = None,
    workers: int = 1,
) -> IngestSummary:
    """Read, code and store the articles in files and folders. Already-stored texts are skipped before any NLP.

    ``on_item(path, outcome)`` is called once per input article with outcome "new", "present" or "failed".
    ``workers`` > 1 codes in that many processes (models loaded once in each); this process reads and writes.
    Every REFRESH_ARTICLES articles the store's connection is reopened (Store.refresh), so cursors taken from
    ``store`` before the call stop working: read through it after ingest returns.
    """
    from .scale.runner import is_result_file

    files = list(iter_files(paths)) if "-" not in paths else list(paths)
    results = [f for f in files if is_result_file(f)]
    others = [f for f in files if f not in set(results)]
    summary = ingest_items(store, read_paths(others, max_bytes=max_bytes), batch_size=batch_size, on_item=on_item,
                           workers=workers, refresh_articles=REFRESH_ARTICLES) if others else IngestSummary()
    if results:
        loaded = ingest_results(store, results, on_item=on_item)
        summary.new += loaded.new
        summary.present += loaded.present
        summary.events += loaded.events
        summary.fused += loaded.fused
    return summary


def _store_coded(store: Store, batch: list[CodedData], summary: IngestSummary,
                 on_item: Callable[[str, str], None] | None) -> None:
    stored: list[str] = []
    records = [data.records() for data in batch]
    # one transaction for the batch: a kill leaves all of it or none of it, never half an article
    for (article, events, _, _), added in zip(records, store.add_many(records), strict=True):
        if added:
            stored += [e.event_id for e in events]
            summary.new += 1
            summary.events += len(events)
            outcome = "new"
        else:
            summary.present += 1
            outcome = "present"
        if on_item:
            on_item(article.source_path or article.article_id, outcome)
    # only this batch's events: scanning the whole store for unfused events once per batch would grow with it
    summary.fused += store.fuse(stored)


def ingest_results(store: Store, paths: Iterable[str], *, batch_size: int = 64,
                   on_item: Callable[[str, str], None] | None = None) -> IngestSummary:
    """Store coded articles from the Parquet result files of `communique run` (no NLP: they are coded already)."""
    from .scale.runner import read_results

    summary = IngestSummary()
    batch: list[CodedData] = []
    for data in read_results(paths):
        batch.append(data)
        if len(batch) >= batch_size:
            _store_coded(store, batch, summary, on_item)
            batch = []
    if batch:
        _store_coded(store, batch, summary, on_item)
    summary.fused += store.fuse()
    return summary


def ingest_items(
    store: Store,
    items: Iterable[Article | InputError],
    *,
    batch_size: int = 16,
    on_item: Callable[[str, str], None] | None = None,
    workers: int = 1,
    refresh_articles: int | None = None,
) -> IngestSummary:
    """Code and store articles already read (or the errors reading them), in batches, fusing as it goes.

    ``refresh_articles``: reopen the store's connection after storing that many (see Store.refresh); only for a
    store nothing else reads through at the same time (`communique ingest`, not the server)."""
    summary = IngestSummary()
    pending: list[Article] = []
    pending_hashes: set[str] = set()
    since_refresh = 0

    def store_coded(batch: list[CodedData]) -> None:
        nonlocal since_refresh
        _store_coded(store, batch, summary, on_item)
        since_refresh += len(batch)
        if refresh_articles and since_refresh >= refresh_articles:
            store.refresh()
            since_refresh = 0

    pool = WorkerPool(workers) if workers > 1 else None

    def flush() -> None:
        batch = list(pending)
        pending.clear()
        pending_hashes.clear()
        if pool is None:
            store_coded(code_batch(batch, batch_size))
        else:
            # workers code while this process writes: results come back in input order
            for done in pool.submit(batch):
                store_coded(done)

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
    try:
        if pending:
            flush()
        if pool is not None:
            for done in pool.drain():
                store_coded(done)
    finally:
        if pool is not None:
            pool.close()
    # events stored by a run that was stopped before it could fuse them
    summary.fused += store.fuse()
    return summary
