"""The distributed runner: code a corpus on a Dask cluster into partitioned Parquet result files.

Why Dask (distributed): it is pure Python from PyPI, runs the same code on a laptop (``LocalCluster``), a
Kubernetes cluster (dask-kubernetes) or Slurm (dask-jobqueue), reads local paths and any fsspec URL, and its
workers are long-lived processes, so each loads the models once and codes many partitions.

A run plans partitions once (``_plan.json`` in the output folder: which input files go in which partition), then
submits one task per partition that has no result file yet. A task reads its inputs, codes them with the same
pipeline as ``communique code``, and writes ``part-NNNNN.parquet`` through a temporary name, so a file that exists
is complete. A killed worker's tasks are rerun by the scheduler; a killed run is restarted by running it again:
finished partitions are not redone. ``communique ingest OUT_DIR`` loads the results into a store.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from ..errors import InputError
from ..read import DEFAULT_MAX_BYTES, read_bytes
from ..records import Article
from .coded import CodedData, code_batch

logger = logging.getLogger(__name__)

PLAN = "_plan.json"
SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl", ".parquet")
RESULT_COLUMNS = ("article_id", "data")


@dataclass
class RunSummary:
    partitions: int = 0
    done_before: int = 0
    coded: int = 0
    articles: int = 0
    events: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def list_inputs(inputs: Iterable[str]) -> list[str]:
    """Input files under local paths or fsspec URLs (``s3://bucket/news/``, ``gs://...``), sorted."""
    import fsspec

    found: list[str] = []
    for spec in inputs:
        fs, _, paths = fsspec.get_fs_token_paths(spec)
        for p in paths:
            if fs.isdir(p):
                found += [f for f in fs.find(p) if f.lower().endswith(SUFFIXES)]
            else:
                found.append(p)
        protocol = fs.protocol[0] if isinstance(fs.protocol, tuple) else fs.protocol
        if protocol not in ("file", "local"):
            found = [f if "://" in f else f"{protocol}://{f}" for f in found]
    return sorted(dict.fromkeys(found))


def plan(inputs: Iterable[str], out: Path, files_per_partition: int) -> list[list[str]]:
    """The partitions of this output folder: read from its plan when there is one, so a restart redoes nothing."""
    path = out / PLAN
    if path.exists():
        return list(json.loads(path.read_text(encoding="utf-8"))["partitions"])
    files = list_inputs(inputs)
    if not files:
        raise InputError(", ".join(inputs), "no input files (.txt, .html, .json, .jsonl, .parquet) found")
    parts = [files[i:i + files_per_partition] for i in range(0, len(files), files_per_partition)]
    out.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"partitions": parts}, indent=1), encoding="utf-8")
    tmp.replace(path)
    return parts


def _read_parquet_articles(data: bytes, name: str) -> Iterator[Article | InputError]:
    """Input Parquet: a row per article with ``id`` and ``text`` (or ``html``) and the optional JSON-record fields."""
    from ..read import article_from_record

    with tempfile.NamedTemporaryFile(suffix=".parquet") as fh:
        fh.write(data)
        fh.flush()
        con = duckdb.connect()
        cur = con.execute("SELECT * FROM read_parquet(?)", [fh.name])
        names = [d[0] for d in cur.description]
        for n, row in enumerate(cur.fetchall(), start=1):
            yield article_from_record(dict(zip(names, row, strict=True)), f"{Path(name).stem}-{n}", name, n)


def read_inputs(files: list[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | InputError]:
    import fsspec

    for f in files:
        with fsspec.open(f, "rb") as fh:
            data = fh.read()
        name = f.split("://", 1)[-1]
        if name.lower().endswith(".parquet"):
            yield from _read_parquet_articles(data, name)
        else:
            yield from read_bytes(data, name, max_bytes)


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def code_partition(index: int, files: list[str], out: str) -> dict[str, Any]:
    """One task: code a partition's inputs and write its result file (atomically). Runs on a worker."""
    from ..nlp import THREADS_ENV
    from .heap import bound_native_heap

    bound_native_heap()  # idempotent; a long-lived cluster worker codes many partitions (see heap.py)
    # one worker process per core is how the cluster is meant to be laid out; set COMMUNIQUE_THREADS to change it
    os.environ.setdefault(THREADS_ENV, "1")
    items = list(read_inputs(files))
    articles = [a for a in items if isinstance(a, Article)]
    errors = [str(e) for e in items if isinstance(e, InputError)]
    coded = code_batch(articles) if articles else []
    write_results(Path(out) / part_name(index), coded)
    return {"index": index, "articles": len(coded), "events": sum(len(c.events) for c in coded), "errors": errors}


def write_results(path: Path, coded: list[CodedData]) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    con = duckdb.connect()
    con.execute("CREATE TABLE r (article_id VARCHAR, data VARCHAR)")
    if coded:
        con.executemany("INSERT INTO r VALUES (?, ?)",
                        [[c.article["article_id"], json.dumps(c.__dict__, ensure_ascii=False)] for c in coded])
    con.execute(f"COPY (SELECT * FROM r ORDER BY article_id) TO '{str(tmp).replace(chr(39), chr(39) * 2)}' "
                "(FORMAT parquet, COMPRESSION zstd)")
    con.close()
    tmp.replace(path)


def is_result_file(path: str) -> bool:
    if not path.lower().endswith(".parquet"):
        return False
    try:
        names = [r[0] for r in duckdb.connect().execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()]
    except duckdb.Error:
        return False
    return tuple(names) == RESULT_COLUMNS


def read_results(paths: Iterable[str]) -> Iterator[CodedData]:
    """Coded articles from result files, in file then article order."""
    for p in sorted(paths):
        for (data,) in duckdb.connect().execute("SELECT data FROM read_parquet(?) ORDER BY article_id", [p]).fetchall():
            d = json.loads(data)
            yield CodedData(d["article"], d["events"], [tuple(m) for m in d["mentions"]], d["vectors"])  # type: ignore[misc]


def run(inputs: list[str], out: str, cluster: str = "local", *, files_per_partition: int = 8, workers: int = 2,
        on_done: Any = None) -> RunSummary:
    """Code ``inputs`` into ``out`` on a Dask cluster: ``local`` starts one with ``workers`` processes; anything
    else is a scheduler address (``tcp://host:8786``)."""
    from distributed import Client, LocalCluster, as_completed

    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker"):
        logging.getLogger(name).setLevel(logging.WARNING)  # their INFO lines would drown the run's own summary

    out_dir = Path(out)
    parts = plan(inputs, out_dir, files_per_partition)
    summary = RunSummary(partitions=len(parts))
    todo = [(i, files) for i, files in enumerate(parts) if not (out_dir / part_name(i)).exists()]
    summary.done_before = len(parts) - len(todo)
    if not todo:
        return summary
    local = cluster == "local"
    cl = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) if local else None
    client = Client(cl if cl is not None else cluster)
    try:
        futures = [client.submit(code_partition, i, files, str(out_dir.resolve()), key=f"communique-part-{i}",
                                 pure=False, retries=2) for i, files in todo]
        for fut in as_completed(futures):
            result = fut.result()
            summary.coded += 1
            summary.articles += result["articles"]
            summary.events += result["events"]
            summary.failed += len(result["errors"])
            summary.errors += result["errors"]
            if on_done:
                on_done(result)
    finally:
        client.close()
        if cl is not None:
            cl.close()
    return summary
