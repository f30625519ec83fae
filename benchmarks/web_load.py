"""Load test of the web app: 50 concurrent clients for 60 s on the timeline and event pages of a 1M-event store.

usage: python benchmarks/web_load.py [--db FILE] [--events N] [--clients 50] [--seconds 60] [--json]

Needs `wrk` (Debian package wrk): a C load generator, so the clients take little of the two cores the server uses.
Two workloads, each against three servers: one process with its read cache (the default), the same without the
cache (``serve --cache-mb 0``: the baseline, in the same run), and two read-only processes with their caches
(``serve --workers 2``, for archives served without writes):

- ``browse``: readers clicking through, the way the pages link: a timeline first page (all events, one state, or
  a month window), one to three "later" pages by the cursor links, then one to three of the events on those pages,
  as HTML or their JSON twins. Popular starts (recent months, the busiest states) come up more often, as they do.
- ``random``: every request a page nobody asked for before (a random cursor, state, month window or event among
  20,000): the worst case, where the cache cannot help and each answer is computed.

Requests are drawn before the server starts, with a fixed seed (the server holds the database file).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from web_latency import MONTHS, STATES, free_port, prepare, server_cpu_seconds, start_server, stop_server  # noqa: E402

from communique.store import Store, TimelineFilter  # noqa: E402
from communique.store.timeline import cursor_of  # noqa: E402

TARGET_P99_MS = 250.0
PAGE = 50
SESSIONS = 3000
RANDOM_URLS = 20000

_LUA = """
local urls = {}
for line in io.lines("%(urls)s") do urls[#urls + 1] = line end
local seed = 0
setup = function(thread) seed = seed + 1; thread:set("seed", seed) end
init = function(args) math.randomseed(seed * 7919) end
request = function() return wrk.format("GET", urls[math.random(#urls)]) end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d duration_us=%%d connect=%%d read=%%d write=%%d status=%%d timeout=%%d\\n",
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  for _, p in ipairs({50, 90, 95, 99, 99.9}) do
    io.write(string.format("PCT %%g %%d\\n", p, latency:percentile(p)))
  end
  io.write(string.format("MAX %%d\\n", latency.max))
end
"""


def _zipf(rng: random.Random, items: list[Any], s: float = 1.1) -> Any:
    weights = [1 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _url(path: str, params: dict[str, Any]) -> str:
    return path + ("?" + urlencode(params) if params else "")


def browse_urls(store: Store, rng: random.Random, sessions: int) -> list[str]:
    """Click paths: start page -> later pages by cursor -> events on them (HTML or JSON, half each)."""
    busiest = [r[0] for r in store.con.execute(
        "SELECT s, count(*) c FROM (SELECT unnest(actors) s FROM fused_events) GROUP BY s ORDER BY c DESC, s LIMIT 60"
    ).fetchall()] or STATES
    recent = list(reversed(MONTHS))
    urls: list[str] = []
    pages: dict[TimelineFilter, list[dict[str, Any]]] = {}
    for _ in range(sessions):
        kind = rng.choices(["all", "country", "month"], [3, 4, 3])[0]
        params: dict[str, Any] = {}
        if kind == "country":
            params["country"] = _zipf(rng, busiest)
        elif kind == "month":
            params["since"] = params["until"] = _zipf(rng, recent)
        html = rng.random() < 0.5
        flt = TimelineFilter(country=params.get("country"), since=params.get("since"), until=params.get("until"),
                             limit=PAGE)
        seen: list[dict[str, Any]] = []
        for _page in range(1 + rng.randrange(3)):
            if flt not in pages:
                pages[flt] = store.timeline(flt)
            rows = pages[flt]
            urls.append(_url("/timeline" if html else "/api/timeline", params))
            seen += rows
            if len(rows) < PAGE:
                break
            params = {**params, "after": cursor_of(rows[-1])}
            flt = TimelineFilter(country=flt.country, since=flt.since, until=flt.until, limit=PAGE,
                                 after=params["after"])
        for row in rng.sample(seen, min(len(seen), 1 + rng.randrange(3))):
            urls.append(("/events/" if html else "/api/events/") + row["fused_id"])
    return urls


def random_urls(store: Store, rng: random.Random, n: int, seed: int) -> list[str]:
    rows = store.con.execute(
        f"SELECT fused_id, date FROM fused_events USING SAMPLE reservoir({n} ROWS) REPEATABLE ({seed})").fetchall()
    urls = []
    for fused_id, date in rows:
        choice = rng.randrange(4)
        path = rng.choice(["/timeline", "/api/timeline"])
        if choice == 0:
            urls.append(_url(path, {"after": f"{date or ''}~{fused_id}"}))
        elif choice == 1:
            urls.append(_url(path, {"country": rng.choice(STATES), "after": f"{date or ''}~{fused_id}"}))
        elif choice == 2:
            first = rng.randrange(len(MONTHS))
            urls.append(_url(path, {"since": MONTHS[first], "until": MONTHS[min(len(MONTHS) - 1, first + rng.randrange(6))]}))
        else:
            urls.append(rng.choice(["/events/", "/api/events/"]) + fused_id)
    return urls


RUNS = (("1 process, cache", ["--cache-mb", "64"]), ("1 process, no cache", ["--cache-mb", "0"]),
        ("2 processes, read-only, cache", ["--cache-mb", "64", "--workers", "2"]))


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU seconds of the server and its worker processes."""
    import psutil

    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
        return sum(p.cpu_times().user + p.cpu_times().system for p in procs)
    except psutil.Error:
        return server_cpu_seconds(pid)


def run_wrk(port: int, urls_file: Path, clients: int, seconds: int, tmp: Path) -> dict[str, Any]:
    script = tmp / "load.lua"
    script.write_text(_LUA % {"urls": urls_file})
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT requests=(\d+) duration_us=(\d+) connect=(\d+) read=(\d+) write=(\d+) status=(\d+) timeout=(\d+)", out)
    if not m:
        raise SystemExit(f"could not read wrk's output:\n{out}")
    requests, duration, *errors = (int(x) for x in m.groups())
    pct = {f"p{float(p):g}_ms": int(us) / 1000 for p, us in re.findall(r"PCT ([\d.]+) (\d+)", out)}
    return {"requests": requests, "requests_per_s": round(requests / (duration / 1e6), 1),
            "errors": sum(errors), "errors_by_kind": dict(zip(["connect", "read", "write", "status", "timeout"], errors,
                                                             strict=True)),
            **pct, "max_ms": int(re.search(r"MAX (\d+)", out).group(1)) / 1000}  # type: ignore[union-attr]


def warm(port: int, urls: list[str], n: int = 200) -> None:
    """First touches of DuckDB's buffers and the templates, not counted (the same for both cache settings)."""
    import httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as c:
        for u in urls[:n]:
            c.get(u)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--db", help="store to build into, or to reuse when it already holds events")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--workloads", default="browse,random")
    ap.add_argument("--servers", default="all", help="which servers, by the start of their name: '1 process' or 'all'")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        db = args.db or str(tmp / "web.duckdb")
        prepare(db, args.events)
        with Store(db, read_only=True) as store:
            counts = store.counts()
            lists = {"browse": browse_urls(store, rng, SESSIONS), "random": random_urls(store, rng, RANDOM_URLS, args.seed)}
        for workload in args.workloads.split(","):
            urls = lists[workload]
            urls_file = tmp / f"{workload}.txt"
            urls_file.write_text("\n".join(urls) + "\n")
            for run_name, options in RUNS:
                if args.servers != "all" and not run_name.startswith(args.servers):
                    continue
                label = f"{workload}: {run_name}"
                print(f"{label}: {len(urls):,} URLs ({len(set(urls)):,} distinct), {args.clients} clients, "
                      f"{args.seconds} s ...", file=sys.stderr, flush=True)
                port = free_port()
                proc = start_server(db, port, tmp / "serve.log", options)
                try:
                    warm(port, urls)
                    cpu0 = tree_cpu_seconds(proc.pid)
                    r = run_wrk(port, urls_file, args.clients, args.seconds, tmp)
                    cpu1 = tree_cpu_seconds(proc.pid)
                    r["server_cpu_s"] = round(cpu1 - cpu0, 1) if cpu0 is not None and cpu1 is not None else None
                    r["distinct_urls"] = len(set(urls))
                finally:
                    stop_server(proc)
                results[label] = r
    out = {**counts, "clients": args.clients, "seconds": args.seconds, "cores": os.cpu_count(),
           "target_p99_ms": TARGET_P99_MS, "runs": results}
    if args.json:
        print(json.dumps(out))
        return
    print(f"{counts['events']:,} events -> {counts['fused_events']:,} fused events; {args.clients} clients for "
          f"{args.seconds} s each run (wrk), {os.cpu_count()} cores shared by server and clients")
    print(f"{'run':40s} {'requests':>9s} {'req/s':>7s} {'p50':>7s} {'p95':>7s} {'p99':>7s} {'max':>7s} {'errors':>7s}")
    for label, r in results.items():
        print(f"{label:40s} {r['requests']:>9,d} {r['requests_per_s']:>7.1f} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} "
              f"{r['p99_ms']:>7.1f} {r['max_ms']:>7.1f} {r['errors']:>7d}")
    print(f"target: 0 errors and p99 < {TARGET_P99_MS:.0f} ms")


if __name__ == "__main__":
    main()
