"""Coding on several processes of one machine: models load once per worker, batches stream through.

The parent reads inputs and writes the store (DuckDB has one writer); workers only code. At most two batches per
worker are in flight, so memory stays flat however large the corpus; results come back in input order, so a
parallel ingest stores exactly what a single-process one does.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from ..records import Article
from .coded import CodedData, code_batch

logger = logging.getLogger(__name__)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _load_models() -> None:
    """Each worker loads spaCy, the knowledge base, the classifier and the encoder once, before its first batch."""
    from ..nlp import THREADS_ENV
    from .heap import bound_native_heap

    bound_native_heap()  # before the models allocate: see heap.py
    os.environ[THREADS_ENV] = "1"  # one core per worker: N workers, N cores
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from ..api import get_pipeline
    from ..nlp import load_encoder

    get_pipeline()
    load_encoder()


# Articles a worker codes before it is replaced by a fresh one. The coding path itself holds its memory (benchmarks/
# memory.py --in-process: flat over 3,000 articles), but a long-lived worker's native heap still creeps once it
# has coded ~2,000 (+75 MB over its next 3,000, measured over a 10,000-article ingest): fragmentation in the
# libraries' allocators, which no setting tried released. A fresh worker starts from the models alone, for one model
# load (~10 s) per 3,000 articles: 1-3% of an ingest, by article length. None: workers live as long as the pool.
# (Not ProcessPoolExecutor's max_tasks_per_child: it can deadlock on Python 3.11, cpython issue 115634.)
RECYCLE_ARTICLES: int | None = 3000


class WorkerPool:
    def __init__(self, workers: int, in_flight_per_worker: int = 2,
                 recycle_articles: int | None = RECYCLE_ARTICLES,
                 work: Callable[[list[Article]], list[CodedData]] = code_batch,
                 initializer: Callable[[], None] | None = _load_models) -> None:
        """``work`` and ``initializer`` (top-level functions, as "spawn" needs) are the coding and the model
        loading; tests pass light ones."""
        self.workers = workers
        self.work, self.initializer = work, initializer
        self.limit = workers * in_flight_per_worker
        self.recycle_after = recycle_articles * workers if recycle_articles else None
        self.futures: deque[Future[list[CodedData]]] = deque()
        self.submitted = 0  # articles sent to the current executor
        self.recycled = 0  # times the workers were replaced
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # "spawn": a fresh interpreter per worker, never a fork of a process that already holds models or a database
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=self.initializer)

    def submit(self, batch: list[Article]) -> Iterator[list[CodedData]]:
        """Queue a batch; yields the finished batches that must be taken now to keep memory bounded."""
        if self.recycle_after is not None and self.submitted >= self.recycle_after:
            # every batch already queued is finished and handed back first, so results stay in input order
            yield from self.drain()
            self.executor.shutdown(wait=True)
            self.executor = self._start()
            self.submitted = 0
            self.recycled += 1
            logger.debug("workers replaced after %d articles each (%d times)", self.recycle_after // self.workers,
                         self.recycled)
        self.futures.append(self.executor.submit(self.work, batch))
        self.submitted += len(batch)
        while len(self.futures) > self.limit:
            yield self.futures.popleft().result()

    def drain(self) -> Iterator[list[CodedData]]:
        while self.futures:
            yield self.futures.popleft().result()

    def close(self) -> None:
        for f in self.futures:
            f.cancel()
        self.executor.shutdown(wait=True, cancel_futures=True)
