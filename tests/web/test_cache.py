"""The read cache: repeated GETs are answered from memory, and a write makes every page fresh again."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from communique.web.cache import AnswerCache, CachedAnswer
from tests.store.test_fusion import ITEMS
from tests.web.conftest import build_db

ARTICLE = ("Seoul and Tokyo talk\n\nSEOUL, June 19, 2024 - South Korean Foreign Minister Cho Tae-yul met Japanese "
           "Foreign Minister Yoko Kamikawa in Seoul on Tuesday.\n")


@pytest.fixture()
def client(tmp_path, open_client):
    return open_client(build_db(tmp_path / "web.duckdb", ITEMS))


def test_a_repeated_read_is_a_hit_with_the_same_bytes_and_headers(client):
    first = client.get("/api/timeline?limit=5")
    second = client.get("/api/timeline?limit=5")
    assert "x-cache" not in first.headers and second.headers["x-cache"] == "hit"
    assert second.content == first.content
    assert second.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert second.headers["x-content-type-options"] == "nosniff"
    # a different query is a different answer
    assert "x-cache" not in client.get("/api/timeline?limit=4").headers


def test_a_write_makes_every_page_fresh(client):
    before = client.get("/api/timeline").json()
    assert client.get("/api/timeline").headers["x-cache"] == "hit"
    assert client.post("/api/articles", json={"text": ARTICLE}).json()["new"] == 1
    after = client.get("/api/timeline")
    assert "x-cache" not in after.headers
    assert after.json()["total"] > before["total"]
    assert any("JPN" in r["actors"] + r["recipients"] for r in after.json()["items"])


def test_errors_and_cookie_setting_pages_are_never_kept(client):
    for _ in range(2):
        missing = client.get("/api/events/fe_0000000000000000")
        form = client.get("/submit")
    assert missing.status_code == 404 and "x-cache" not in missing.headers
    assert "set-cookie" in form.headers and "x-cache" not in form.headers  # each visitor gets their own CSRF cookie


def test_no_cache_when_disabled(tmp_path, open_client):
    client = open_client(build_db(tmp_path / "web.duckdb", ITEMS), cache_bytes=0)
    client.get("/api/timeline")
    assert "x-cache" not in client.get("/api/timeline").headers


def test_the_cache_stays_under_its_byte_bound_dropping_the_least_recent():
    cache = AnswerCache(max_bytes=250, max_entry=100)
    for i in range(5):
        _, gen = cache.get((f"/p{i}", b""))
        cache.put((f"/p{i}", b""), CachedAnswer(200, [], b"x" * 100, gen))
    assert cache.stats["bytes"] <= 250
    assert cache.get(("/p0", b""))[0] is None and cache.get(("/p4", b""))[0] is not None


def test_an_answer_made_before_a_write_is_not_kept_after_it():
    cache = AnswerCache()
    _, gen = cache.get(("/api/timeline", b""))
    cache.invalidate()  # a write lands while the answer is being made
    cache.put(("/api/timeline", b""), CachedAnswer(200, [], b"old", gen))
    assert cache.get(("/api/timeline", b""))[0] is None


def test_readers_asking_at_once_for_a_new_page_cost_one_answer():
    import asyncio

    from communique.web.cache import ReadCache

    made = []

    async def slow_page(scope, receive, send):
        made.append(scope["path"])
        await asyncio.sleep(0.05)
        status = 200 if scope["path"] != "/missing" else 404
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    middleware = ReadCache(slow_page, AnswerCache())

    async def get(path):
        sent = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "query_string": b""}
        await middleware(scope, None, send)
        return sent[0]["status"], sent[-1]["body"]

    async def readers():
        return await asyncio.gather(*[get("/timeline") for _ in range(5)], *[get("/missing") for _ in range(3)])

    answers = asyncio.run(readers())
    assert answers[:5] == [(200, b"/timeline")] * 5 and answers[5:] == [(404, b"/missing")] * 3
    assert made.count("/timeline") == 1  # the other four waited for the first answer
    assert made.count("/missing") >= 2  # a 404 is never kept: who waited for it makes their own
    assert not middleware.in_flight


def test_threads_asking_at_once_for_a_memo_compute_it_once():
    cache = AnswerCache()
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow_count() -> int:
        calls.append(1)
        started.set()
        release.wait(5)
        return 42

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(cache.memo, "count", slow_count)
        assert started.wait(5)
        others = [pool.submit(cache.memo, "count", slow_count) for _ in range(3)]
        time.sleep(0.05)  # the three are waiting, not computing
        release.set()
        assert [f.result(5) for f in (first, *others)] == [42] * 4
    assert len(calls) == 1


def test_a_failed_memo_is_not_kept_and_a_waiting_thread_computes_it_again():
    cache = AnswerCache()
    started, release = threading.Event(), threading.Event()

    def failing() -> int:
        started.set()
        release.wait(5)
        raise RuntimeError("database went away")

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cache.memo, "count", failing)
        assert started.wait(5)
        second = pool.submit(cache.memo, "count", lambda: 7)
        time.sleep(0.05)
        release.set()
        with pytest.raises(RuntimeError, match="went away"):
            first.result(5)
        assert second.result(5) == 7
    assert cache.memo("count", lambda: 0) == 7
