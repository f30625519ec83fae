"""Bounded load: 50 concurrent clients on the timeline and event pages get no errors; memory stays flat over a long
ingest. (The figures at scale, 1M events and 10,000 articles, come from `make reliability`.)"""

import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from communique.web import WebConfig, create_app
from tests.store.test_fusion import ITEMS
from tests.trust.figures import record
from tests.web.conftest import build_db, serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
CLIENTS, SECONDS = 50, 8


@pytest.mark.slow
def test_fifty_clients_get_no_errors(tmp_path):
    url, server = serve_in_thread(create_app(WebConfig(db=build_db(tmp_path / "load.duckdb", ITEMS))))
    fused = [r["fused_id"] for r in httpx.get(url + "/api/timeline").json()["items"]]
    paths = ["/timeline", "/api/timeline", "/api/timeline?limit=1"] + [f"/events/{f}" for f in fused] + \
            [f"/api/events/{f}" for f in fused]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client(i: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as c:
            n = i
            while time.monotonic() < deadline:
                path = paths[n % len(paths)]
                n += 1
                t = time.perf_counter()
                try:
                    status = c.get(path).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    (latencies.append(ms) if status == 200 else errors.append(f"{status} {path}"))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.should_exit = True
    q = statistics.quantiles(latencies, n=100)
    record("load_small", clients=CLIENTS, seconds=SECONDS, requests=len(latencies) + len(errors), errors=len(errors),
           p50_ms=round(q[49], 1), p99_ms=round(q[98], 1))
    assert not errors, errors[:5]
    assert len(latencies) > CLIENTS * 5


@pytest.mark.slow
def test_memory_stays_flat_over_a_long_ingest():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "memory.py"), "--articles", "250", "--workers", "1",
                          "--json"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=1200).stdout
    result = json.loads(out.strip().splitlines()[-1])
    record("memory_small", **result)
    assert result["stored"] == 250
    assert result["flat"], result
