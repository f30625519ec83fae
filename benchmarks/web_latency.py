"""Latency of the web app's timeline and event endpoints on a synthetic store (default 1,000,000 events).

usage: python benchmarks/web_latency.py [--events N] [--db FILE] [--concurrency C] [--requests R] [--seed S]
                                       [--timeline-variants page,offset,country,months,country+months] [--json]

Why: the timeline and event pages are what a reader clicks through; the issue's target is p95 under 100 ms on a
store of a million events. This measures them the way a browser meets them, over HTTP on loopback against
`communique serve` running as its own process, and, as a baseline in the same run, the same queries through the
library in-process on one thread (``Store.timeline`` + ``Store.timeline_count``, as the endpoint runs both, and
``Store.fused_event``), so the cost of HTTP, FastAPI, JSON and templates is visible apart from the database's.

- The store is built with ``benchmarks/fusion_scale.py``'s ``build`` (SQL only, no NLP) and fused from scratch; a
  ``--db`` file that already holds events is reused as it is, so re-runs skip the few minutes of building.
- Requests are bounded (``--requests`` per endpoint, after a short warm-up that is not counted) and drawn with a
  fixed seed: timeline pages of 50 after a random row (the cursor the pages' "later" links carry), for random
  states (ZAA..ZHC, the codes the build uses), for random month windows, and both (``offset``, a jump to a random
  page by offset, is available but not drawn by default: it sorts everything before the page); event pages for 1,000 fused ids sampled from the store before the server opens it
  (DuckDB lets one process hold the file).
- ``--concurrency`` clients (threads, one keep-alive ``httpx.Client`` each) send them; each endpoint is its own phase,
  so requests/s is that endpoint's. The load generator shares the machine with the server: on 2 cores keep
  concurrency modest, and read the server's CPU seconds per phase to see which side was the bottleneck.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fusion_scale import build  # noqa: E402

from communique.store import Store, TimelineFilter  # noqa: E402
from communique.store.fusion import keep_in_date_order  # noqa: E402

TARGET_P95_MS = 100.0
PAGE = 50
SAMPLE_IDS = 1000
WARMUP = 50  # requests per endpoint before measuring: first touches of DuckDB's buffers, the thread pool, templates
LIBRARY_RUNS = 500  # in-process baseline: the first N requests of each endpoint's list
# fusion_scale.build names its 60 states 'Z' || chr(65 + i % 26) || chr(65 + i // 26): ZAA..ZZA, ZAB..ZZB, ZAC..ZHC
STATES = ["Z" + chr(65 + i % 26) + chr(65 + i // 26) for i in range(60)]
# and dates events over ten years from 2015-01-01
MONTHS = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)]


@dataclass
class Request:
    """One request: its path and query, its variant (for the timeline), and the library call it stands for."""

    path: str
    params: dict[str, Any]
    variant: str
    flt: TimelineFilter | None = None  # a timeline page
    fused_id: str | None = None  # an event page


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    variants: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    server_cpu_s: float | None = None


def percentiles(values: Sequence[float]) -> dict[str, float | None]:
    if len(values) < 2:
        v = round(values[0], 2) if values else None
        return {"p50_ms": v, "p95_ms": v, "p99_ms": v}
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2), "p99_ms": round(q[98], 2)}


def prepare(db: str, n_events: int) -> None:
    """Build and fuse the synthetic store unless ``db`` already holds events (then it is reused as it is)."""
    with Store(db) as store:
        counts = store.counts()
        if counts["events"] == 0:
            log(f"building {n_events:,} synthetic events in {db} ...")
            t = time.perf_counter()
            build(store, n_events)
            log(f"  built in {time.perf_counter() - t:.0f} s; fusing the whole store ...")
            t = time.perf_counter()
            store.fuse(rebuild=True)
            log(f"  fused in {time.perf_counter() - t:.0f} s")
        elif counts["fused_events"] == 0:
            log(f"{db} holds {counts['events']:,} events but no fused events (an interrupted build?): fusing ...")
            store.fuse(rebuild=True)
        else:
            log(f"reusing {db}: {counts['events']:,} events, {counts['fused_events']:,} fused events")
        if keep_in_date_order(store.con):  # a store fused before fused events were kept in date order
            log("  fused events rewritten in date order")
        if store.con.execute("SELECT 1 FROM events WHERE record::VARCHAR = '{}' LIMIT 1").fetchone():
            log("  writing the events' records and the articles' text ...")
            t = time.perf_counter()
            complete_records(store)
            log(f"  written in {time.perf_counter() - t:.0f} s")


# The JSON record of every event, as `Store.add` writes it (Event.to_dict), from the columns fusion_scale.build fills.
_RECORDS_SQL = """
CREATE OR REPLACE TEMP TABLE web_filled AS
WITH slots AS (
    SELECT event_id, (row_number() OVER (PARTITION BY article_id ORDER BY event_id) - 1) * 100 AS s FROM events
), sides AS (
    SELECT event_id,
           to_json(list(json_object('text', text, 'country', country, 'name', name, 'kind', kind, 'sector', sector,
                                    'role', role, 'entity_id', entity_id) ORDER BY position)
                   FILTER (WHERE side = 'actor')) AS actors,
           to_json(list(json_object('text', text, 'country', country, 'name', name, 'kind', kind, 'sector', sector,
                                    'role', role, 'entity_id', entity_id) ORDER BY position)
                   FILTER (WHERE side = 'recipient')) AS recipients
    FROM event_actors GROUP BY event_id
)
SELECT e.event_id, e.article_id, e.evidence_text, sl.s, sl.s + length(e.evidence_text) AS t,
       json_object('event_id', e.event_id, 'article_id', e.article_id, 'event_type', e.event_type, 'mode', e.mode,
                   'context', '[]'::JSON, 'cameo', e.cameo, 'quad', e.quad, 'intensity', e.intensity,
                   'actors', coalesce(sd.actors, '[]')::JSON, 'recipients', coalesce(sd.recipients, '[]')::JSON,
                   'date', e.date, 'date_text', e.date_text, 'location', NULL, 'status', e.status,
                   'confidence', e.confidence,
                   'evidence', json_object('text', e.evidence_text, 'start', sl.s, 'end', sl.s + length(e.evidence_text)),
                   'sources', [e.article_id]) AS record
FROM events e JOIN slots sl USING (event_id) LEFT JOIN sides sd USING (event_id)
"""


def complete_records(store: Store) -> None:
    """Give the synthetic events what ingest would have stored: fusion_scale.build leaves each event's JSON record
    empty ('{}') and its evidence offsets pointing past a 14-character text, which fusion never reads but the event
    page does (it renders each report from its record and highlights the evidence inside the article's text). Each
    article's text becomes its events' evidence sentences in slots of 100 characters, the offsets point at them."""
    con = store.con
    con.execute(_RECORDS_SQL)
    con.execute("BEGIN TRANSACTION")
    con.execute("UPDATE events SET record = f.record, evidence_start = f.s, evidence_end = f.t FROM web_filled f "
                "WHERE events.event_id = f.event_id")
    con.execute("UPDATE articles SET text = f.text FROM (SELECT article_id, string_agg(rpad(evidence_text, 100, ' '), "
                "'' ORDER BY s) AS text FROM web_filled GROUP BY article_id) f WHERE articles.article_id = f.article_id")
    con.execute("COMMIT")
    con.execute("DROP TABLE web_filled")


VARIANTS = ("page", "offset", "country", "months", "country+months")
DEFAULT_VARIANTS = ("page", "country", "months", "country+months")


def timeline_request(rng: random.Random, total: int, path: str, variants: Sequence[str] = DEFAULT_VARIANTS,
                     cursors: Sequence[str] = ()) -> Request:
    """A page of 50: the next page after a random row (the cursor the app's "later" links carry), from a random
    offset (what a client jumping to page N costs), for a random state, a random month window, or both."""
    variant = rng.choice(list(variants))
    params: dict[str, Any] = {"limit": PAGE}
    if variant == "page" and cursors:
        params["after"] = rng.choice(list(cursors))
    if variant == "offset":
        params["offset"] = rng.randrange(0, max(1, total - PAGE))
    if "country" in variant:
        params["country"] = rng.choice(STATES)
    if "months" in variant:
        first = rng.randrange(len(MONTHS))
        params["since"] = MONTHS[first]
        params["until"] = MONTHS[min(len(MONTHS) - 1, first + rng.randrange(12))]
    flt = TimelineFilter(country=params.get("country"), since=params.get("since"), until=params.get("until"),
                         limit=PAGE, offset=params.get("offset", 0), after=params.get("after"))
    return Request(path, params, variant, flt=flt)


def plan(db: str, n_requests: int, seed: int,
         variants: Sequence[str] = DEFAULT_VARIANTS) -> tuple[dict[str, list[Request]], dict[str, int]]:
    """Every endpoint's requests, drawn before the server starts (it will hold the database file)."""
    rng = random.Random(seed)
    with Store(db, read_only=True) as store:
        counts = store.counts()
        total = store.timeline_count()
        rows = store.con.execute(
            f"SELECT fused_id, date FROM fused_events USING SAMPLE reservoir({SAMPLE_IDS} ROWS) REPEATABLE ({seed}) "
            "ORDER BY fused_id"
        ).fetchall()
        ids = [r[0] for r in rows]
        cursors = [f"{d or ''}~{f}" for f, d in rows]
    n = n_requests + WARMUP
    requests = {
        "GET /api/timeline": [timeline_request(rng, total, "/api/timeline", variants, cursors) for _ in range(n)],
        "GET /api/events/{id}": [Request(f"/api/events/{f}", {}, "event", fused_id=f)
                                 for f in (rng.choice(ids) for _ in range(n))],
        "GET /timeline (HTML)": [timeline_request(rng, total, "/timeline", variants, cursors) for _ in range(n)],
        "GET /events/{id} (HTML)": [Request(f"/events/{f}", {}, "event", fused_id=f)
                                    for f in (rng.choice(ids) for _ in range(n))],
    }
    return requests, {"events": counts["events"], "fused_events": counts["fused_events"]}


def library_baseline(db: str, requests: dict[str, list[Request]]) -> dict[str, dict[str, Any]]:
    """The same queries in-process, one thread: what the database costs without HTTP, JSON or templates."""
    out: dict[str, dict[str, Any]] = {}
    with Store(db, read_only=True) as store:
        calls: dict[str, tuple[str, Callable[[Request], object]]] = {
            "GET /api/timeline": ("Store.timeline + timeline_count",
                                  lambda r: (store.timeline(r.flt), store.timeline_count(r.flt))),
            "GET /api/events/{id}": ("Store.fused_event", lambda r: store.fused_event(r.fused_id or "")),
        }
        for endpoint, (label, call) in calls.items():
            reqs = requests[endpoint]
            for r in reqs[:WARMUP]:
                call(r)
            times: list[float] = []
            variants: dict[str, list[float]] = {}
            for r in reqs[WARMUP:WARMUP + LIBRARY_RUNS]:
                t = time.perf_counter()
                call(r)
                ms = (time.perf_counter() - t) * 1000
                times.append(ms)
                variants.setdefault(r.variant, []).append(ms)
            out[endpoint] = {"call": label, "n": len(times), **percentiles(times),
                             "variants": {v: {"n": len(ms), **percentiles(ms)} for v, ms in sorted(variants.items())}
                             if len(variants) > 1 else {}}
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def communique_command() -> list[str]:
    exe = Path(sys.executable).parent / "communique"
    if exe.exists():
        return [str(exe)]
    return [str(ROOT / ".venv" / "bin" / "communique")]


def server_cpu_seconds(pid: int) -> float | None:
    """User + system CPU of the server process so far (Linux /proc), to tell a busy server from a busy client."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def start_server(db: str, port: int, log_path: Path, options: Sequence[str] = ()) -> subprocess.Popen[bytes]:
    """`communique serve` (with extra ``options``) as its own process, once it answers."""
    logf = log_path.open("wb")
    proc = subprocess.Popen([*communique_command(), "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port),
                             *options], stdout=logf, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"communique serve exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"communique serve did not answer on port {port} within 120 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def load(base: str, reqs: list[Request], concurrency: int, pid: int) -> Result:
    """Send ``reqs`` from ``concurrency`` threads (one keep-alive client each); the first WARMUP are not counted."""
    local = threading.local()
    clients: list[httpx.Client] = []
    lock = threading.Lock()
    result = Result()

    def client() -> httpx.Client:
        c: httpx.Client | None = getattr(local, "client", None)
        if c is None:
            c = httpx.Client(base_url=base, timeout=60)
            local.client = c
            with lock:
                clients.append(c)
        return c

    def send(r: Request, record: bool) -> None:
        t = time.perf_counter()
        try:
            resp = client().get(r.path, params=r.params)
            ok, why = resp.status_code == 200, f"{resp.status_code} {r.path}?{urlencode(r.params)}"
            resp.read()
        except httpx.HTTPError as exc:
            ok, why = False, f"{type(exc).__name__} {r.path}"
        ms = (time.perf_counter() - t) * 1000
        if not record:
            return
        with lock:
            if ok:
                result.latencies_ms.append(ms)
                result.variants.setdefault(r.variant, []).append(ms)
            else:
                result.errors += 1
                if len(result.error_samples) < 5:
                    result.error_samples.append(why)

    try:
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(lambda r: send(r, False), reqs[:WARMUP]))
            cpu0 = server_cpu_seconds(pid)
            t = time.perf_counter()
            list(pool.map(lambda r: send(r, True), reqs[WARMUP:]))
            result.wall_s = time.perf_counter() - t
            cpu1 = server_cpu_seconds(pid)
            if cpu0 is not None and cpu1 is not None:
                result.server_cpu_s = round(cpu1 - cpu0, 1)
    finally:
        for c in clients:
            c.close()
    return result


def summarize(name: str, res: Result) -> dict[str, Any]:
    n = len(res.latencies_ms) + res.errors
    return {"n": n, "errors": res.errors, **percentiles(res.latencies_ms),
            "requests_per_s": round(n / res.wall_s, 1) if res.wall_s else None,
            "server_cpu_s": res.server_cpu_s, "wall_s": round(res.wall_s, 1),
            "variants": {v: {"n": len(ms), **percentiles(ms)} for v, ms in sorted(res.variants.items())}
            if name.startswith("GET /api/timeline") or name.startswith("GET /timeline") else {},
            "error_samples": res.error_samples}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--events", type=int, default=1_000_000, help="events to build when --db is new or absent")
    ap.add_argument("--db", help="store to build into, or to reuse when it already holds events")
    ap.add_argument("--concurrency", type=int, default=2,
                    help="concurrent clients (default 2: the cores the server and the load generator share)")
    ap.add_argument("--requests", type=int, default=2000, help="measured requests per endpoint")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeline-variants", default=",".join(DEFAULT_VARIANTS),
                    help=f"which timeline requests to send, of {','.join(VARIANTS)} (drawn evenly)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    variants = [v for v in args.timeline_variants.split(",") if v]
    if not variants or set(variants) - set(VARIANTS):
        ap.error(f"--timeline-variants takes some of {','.join(VARIANTS)}")

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "web.duckdb")
        prepare(db, args.events)
        requests, counts = plan(db, args.requests, args.seed, variants)
        log(f"library baseline: {LIBRARY_RUNS} calls per endpoint, in-process, one thread ...")
        library = library_baseline(db, requests)
        port = free_port()
        proc = start_server(db, port, Path(tmp) / "serve.log")
        endpoints: dict[str, dict[str, Any]] = {}
        try:
            for name, reqs in requests.items():
                log(f"{name}: {args.requests} requests from {args.concurrency} clients ...")
                endpoints[name] = summarize(name, load(f"http://127.0.0.1:{port}", reqs, args.concurrency, proc.pid))
        finally:
            stop_server(proc)

    worst = max((e["p95_ms"] or 0.0) for e in endpoints.values())
    result = {**counts, "concurrency": args.concurrency, "requests_per_endpoint": args.requests, "warmup": WARMUP, "timeline_variants": variants,
              "page": PAGE, "cores": os.cpu_count(), "target_p95_ms": TARGET_P95_MS,
              "meets_target": worst < TARGET_P95_MS and not any(e["errors"] for e in endpoints.values()),
              "endpoints": endpoints, "library": library}
    if args.json:
        print(json.dumps(result))
        return
    print_table(result)


def print_table(result: dict[str, Any]) -> None:
    def f(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}"

    print(f"{result['events']:,} events -> {result['fused_events']:,} fused events; {result['concurrency']} concurrent "
          f"clients, {result['requests_per_endpoint']:,} requests per endpoint (after {result['warmup']} warm-up), "
          f"{result['cores']} cores shared by server and clients")
    print(f"{'endpoint':26s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'req/s':>8s} {'errors':>7s} {'server CPU s':>13s}")
    for name, e in result["endpoints"].items():
        print(f"{name:26s} {f(e['p50_ms']):>8s} {f(e['p95_ms']):>8s} {f(e['p99_ms']):>8s} {f(e['requests_per_s']):>8s} "
              f"{e['errors']:>7d} {f(e['server_cpu_s']):>13s}")
        for variant, v in e["variants"].items():
            print(f"  {variant:24s} {f(v['p50_ms']):>8s} {f(v['p95_ms']):>8s} {f(v['p99_ms']):>8s}   ({v['n']} requests)")
        for sample in e["error_samples"]:
            print(f"  error: {sample}")
    print("baseline, the same queries in-process through the library, one thread:")
    for name, b in result["library"].items():
        print(f"{name:26s} {f(b['p50_ms']):>8s} {f(b['p95_ms']):>8s} {f(b['p99_ms']):>8s}   {b['call']} ({b['n']} calls)")
        for variant, v in b.get("variants", {}).items():
            print(f"  {variant:24s} {f(v['p50_ms']):>8s} {f(v['p95_ms']):>8s} {f(v['p99_ms']):>8s}   ({v['n']} calls)")
    verdict = "met" if result["meets_target"] else "NOT met"
    print(f"target p95 < {result['target_p95_ms']:.0f} ms on every endpoint, no errors: {verdict}")


if __name__ == "__main__":
    main()
