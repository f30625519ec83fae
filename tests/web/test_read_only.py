"""Read-only serving: reads work, every write is refused with a message, and several processes share the file."""

import os
import socket
import subprocess
import sys

import httpx
import pytest

from tests.store.test_fusion import ITEMS
from tests.web.conftest import build_db, wait_until_up


def test_read_only_app_reads_and_refuses_writes(tmp_path, open_client):
    client = open_client(build_db(tmp_path / "ro.duckdb", ITEMS), read_only=True)
    assert client.get("/api/timeline").json()["total"] == 2
    refused = client.post("/api/articles", json={"text": "Title\n\nSeoul met Tokyo on Monday."})
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    page = client.get("/submit")
    assert "read-only" in page.text and "<textarea" not in page.text


@pytest.mark.slow
def test_several_processes_serve_one_file(tmp_path):
    db = build_db(tmp_path / "ro.duckdb", ITEMS)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = os.path.join(os.path.dirname(sys.executable), "communique")
    proc = subprocess.Popen([exe, "serve", "--db", db, "--port", str(port), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url)
        statuses = {httpx.get(url + "/api/timeline").status_code for _ in range(40)}
        assert statuses == {200}
        assert httpx.post(url + "/api/articles", json={"text": "T\n\nx"}).status_code == 403
        workers = [c for c in __import__("psutil").Process(proc.pid).children(recursive=True)]
        assert len(workers) >= 2  # uvicorn's worker processes, each with its own read-only connection
    finally:
        proc.terminate()
        proc.wait(timeout=30)
