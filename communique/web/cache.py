"""Answers to repeated reads, kept in memory until the next write.

The app is the only writer of its database (see ``app.py``), so a page's answer can change only when the app
stores articles; until then the same GET gives the same bytes. Keeping them turns the dashboard's hot pages (the
first timeline pages, the events they link to, the network) from 5-40 ms of DuckDB and templates into a dictionary
lookup, which is what lets 50 readers share two cores. Every write calls :meth:`ReadCache.invalidate`.

What is never kept: anything but GET, any answer other than 200, any answer that sets a cookie (the submit form's
CSRF cookie is per visitor), and answers over ``max_entry`` bytes. The cache is bounded by total bytes (least
recently used out first).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_ENTRY = 2 * 1024 * 1024
MAX_MEMO = 10_000  # small values (counts): a bound on entries is enough
T = TypeVar("T")


@dataclass(frozen=True)
class CachedAnswer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    generation: int


class AnswerCache:
    """A bounded LRU of GET answers, dropped as a whole by :meth:`invalidate` (thread-safe: writes run in workers)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, max_entry: int = DEFAULT_MAX_ENTRY) -> None:
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self.generation = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[tuple[str, bytes], CachedAnswer] = OrderedDict()
        self._memo: dict[Hashable, Any] = {}
        self._memo_pending: dict[Hashable, threading.Event] = {}  # keys being computed
        self._size = 0
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget every answer; called after each write, once the write is committed."""
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self._memo.clear()
            self._size = 0

    @property
    def stats(self) -> dict[str, int]:
        return {"entries": len(self._entries), "bytes": self._size, "hits": self.hits, "misses": self.misses,
                "generation": self.generation}

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept until the next write (for parts many answers share, such as a filter's total).

        Single flight, as for whole answers: threads asking for a key that another thread is computing wait for
        that value (pages 1, 2 and 3 of one filter asked at once cost one count, not three)."""
        if self.max_bytes <= 0:  # caching switched off (serve --cache-mb 0)
            return compute()
        while True:
            with self._lock:
                if key in self._memo:
                    return self._memo[key]  # type: ignore[no-any-return]
                pending = self._memo_pending.get(key)
                if pending is None:
                    pending = self._memo_pending[key] = threading.Event()
                    generation = self.generation
                    break
            pending.wait()  # then look again: kept, or (an error, a write meanwhile) compute it here
        try:
            value = compute()
            with self._lock:
                if generation == self.generation and len(self._memo) < MAX_MEMO:
                    self._memo[key] = value
            return value
        finally:
            with self._lock:
                del self._memo_pending[key]
            pending.set()

    def get(self, key: tuple[str, bytes]) -> tuple[CachedAnswer | None, int]:
        """The kept answer (or None) and the generation a fresh answer must be stored under."""
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return cached, self.generation

    def put(self, key: tuple[str, bytes], answer: CachedAnswer) -> None:
        with self._lock:
            if answer.generation != self.generation:  # a write landed while this answer was being made
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._entries[key] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped.body)


class ReadCache:
    """ASGI middleware answering repeated GETs from an :class:`AnswerCache`.

    A page asked for again while its first answer is still being made waits for that answer instead of making it a
    second time ("single flight"): when a popular page is new or was just dropped by a write, the readers who ask
    for it at once cost one computation, not one each."""

    def __init__(self, app: ASGIApp, cache: AnswerCache) -> None:
        self.app, self.cache = app, cache
        # answers being made, by key; only the event loop's thread touches this, so it needs no lock
        self.in_flight: dict[tuple[str, bytes], asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        key = (scope.get("path", ""), scope.get("query_string", b""))
        cached, generation = self.cache.get(key)
        if cached is None and key in self.in_flight:
            await self.in_flight[key].wait()
            cached, generation = self.cache.get(key)  # still None if that answer was not kept (an error, a cookie)
        if cached is not None:
            await send({"type": "http.response.start", "status": cached.status,
                        "headers": [*cached.headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": cached.body})
            return
        done = self.in_flight.setdefault(key, asyncio.Event())
        try:
            await self._answer(key, generation, scope, receive, send)
        finally:
            if self.in_flight.get(key) is done:
                del self.in_flight[key]
            done.set()

    async def _answer(self, key: tuple[str, bytes], generation: int, scope: Scope, receive: Receive,
                      send: Send) -> None:
        """Make the answer, pass it on, and keep it when it may be kept."""
        start: Message | None = None
        chunks: list[bytes] = []
        keep = True
        limit = self.cache.max_entry

        async def capture(message: Message) -> None:
            nonlocal start, keep
            if message["type"] == "http.response.start":
                start = message
                headers = message.get("headers") or []
                if message.get("status") != 200 or any(k.lower() == b"set-cookie" for k, _ in headers):
                    keep = False
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > limit:
                    keep, chunks[:] = False, []
            await send(message)

        await self.app(scope, receive, capture)
        if keep and start is not None:
            self.cache.put(key, CachedAnswer(200, list(start.get("headers") or []), b"".join(chunks), generation))
