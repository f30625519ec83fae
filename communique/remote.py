"""Sending articles to a running `communique serve`: while the server holds its database (DuckDB has one writing
process), this is how more articles get in. Files go up in small batches; the server codes and stores them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import StoreError
from .read import iter_files
from .store import IngestSummary

BATCH_FILES = 8


def ingest_via_server(server: str, paths: Iterable[str], *, token: str | None = None, timeout: float = 600.0,
                      on_batch: Callable[[int], None] | None = None) -> IngestSummary:
    import httpx

    token = token or os.environ.get("COMMUNIQUE_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    files = [f for f in iter_files(paths) if f != "-"]
    summary = IngestSummary()
    with httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=timeout) as client:
        for start in range(0, len(files), BATCH_FILES):
            batch = files[start:start + BATCH_FILES]
            upload = [("files", (Path(f).name, Path(f).read_bytes())) for f in batch]
            try:
                response = client.post("/api/uploads", files=upload)
            except httpx.HTTPError as exc:
                raise StoreError(f"{server}: cannot reach the server ({exc}); is `communique serve` running?") from exc
            if response.status_code != 200:
                detail = response.json().get("detail") if response.headers.get("content-type", "").startswith(
                    "application/json") else response.text[:200]
                raise StoreError(f"{server}: the server refused the upload ({response.status_code}: {detail})")
            result = response.json()
            summary.new += result["new"]
            summary.present += result["present"]
            summary.failed += result["failed"]
            summary.events += result["events"]
            summary.errors += result["errors"]
            if on_batch:
                on_batch(len(batch))
    return summary
