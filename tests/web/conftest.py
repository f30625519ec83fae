"""Shared setup for the web tests.

The ``browser`` marker is registered here rather than in pyproject.toml so the browser tests (tests/web/test_browser.py)
can be selected or left out with ``-m browser`` / ``-m "not browser"`` without pytest warning about an unknown mark.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives headless Chromium (/usr/bin/chromium + /usr/bin/chromedriver) against a live server; "
        "skipped when they are missing unless COMMUNIQUE_REQUIRE_BROWSER=1",
    )


def build_db(path, items) -> str:  # type: ignore[no-untyped-def]
    """A fused store of hand-built (article, events) pairs, no NLP: what the web tests browse."""
    from communique.store import Store

    with Store(path) as store:
        for article, events in items:
            store.add(article, events)
        store.fuse()
    return str(path)


@pytest.fixture()
def open_client():  # type: ignore[no-untyped-def]
    """Opens in-process clients of the app over a database (closed, with their app, after the test)."""
    from fastapi.testclient import TestClient

    from communique.web import WebConfig, create_app

    opened = []

    def _open(db: str, **config):  # type: ignore[no-untyped-def]
        client = TestClient(create_app(WebConfig(db=db, **config)))
        client.__enter__()
        opened.append(client)
        return client

    yield _open
    for client in opened:
        client.__exit__(None, None, None)


def wait_until_up(url: str, path: str = "/api/timeline", tries: int = 150) -> None:
    """Returns once the server at ``url`` answers ``path`` with 200 (a server starting in a thread or process)."""
    import time

    import httpx

    for _ in range(tries):
        try:
            if httpx.get(url + path, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer {path}")


def serve_in_thread(app):  # type: ignore[no-untyped-def]
    """Runs ``app`` with uvicorn on a free loopback port in a daemon thread; returns (url, server) once it answers.
    Set ``server.should_exit = True`` to stop it."""
    import socket
    import threading

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", backlog=256))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    wait_until_up(url)
    return url, server
