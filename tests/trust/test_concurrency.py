"""The server keeps answering while articles are written to its store (ingest goes through the server)."""

import threading
from pathlib import Path

import httpx
import pytest

from communique.remote import ingest_via_server
from communique.web import WebConfig, create_app
from tests.store.test_fusion import ITEMS
from tests.trust.figures import record
from tests.web.conftest import build_db, serve_in_thread

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
def test_reads_keep_answering_while_ingest_writes_through_the_server(tmp_path):
    url, server = serve_in_thread(create_app(WebConfig(db=build_db(tmp_path / "live.duckdb", ITEMS))))
    statuses: list[int] = []
    stop = threading.Event()

    def read() -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            while not stop.is_set():
                statuses.append(client.get("/api/timeline", params={"limit": 20}).status_code)
                statuses.append(client.get("/").status_code)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        files = [str(EXAMPLES / n) for n in ("04_putin_pyongyang.txt", "05_korea_china_2plus2.txt", "wire.jsonl")]
        sent = ingest_via_server(url, files)
        stop.set()
        reader.join()
        counts = httpx.get(url + "/api/overview", timeout=30).json()["counts"]
    finally:
        stop.set()
        server.should_exit = True
    assert sent.new == 5 and sent.failed == 0
    assert len(statuses) > 10 and set(statuses) == {200}
    record("concurrency", reads_served=len(statuses), read_errors=sum(s != 200 for s in statuses), articles_written=sent.new)
    assert counts["articles"] == len(ITEMS) + 5 and counts["fused_events"] > 2
