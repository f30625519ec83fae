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
from collections.abc import Iterator
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


class WorkerPool:
    def __init__(self, workers: int, in_flight_per_worker: int = 2) -> None:
        # "spawn": a fresh interpreter per worker, never a fork of a process that already holds models or a database
        self.executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_load_models)
        self.limit = workers * in_flight_per_worker
        self.futures: deque[Future[list[CodedData]]] = deque()

    def submit(self, batch: list[Article]) -> Iterator[list[CodedData]]:
        """Queue a batch; yields the finished batches that must be taken now to keep memory bounded."""
        self.futures.append(self.executor.submit(code_batch, batch))
        while len(self.futures) > self.limit:
            yield self.futures.popleft().result()

    def drain(self) -> Iterator[list[CodedData]]:
        while self.futures:
            yield self.futures.popleft().result()

    def close(self) -> None:
        for f in self.futures:
            f.cancel()
        self.executor.shutdown(wait=True, cancel_futures=True)
