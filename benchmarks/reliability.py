"""`make reliability`: run every trust guarantee's test and measurement, and print (or write into the README) one
table of what was tried and what was found.

usage: python benchmarks/reliability.py [--quick] [--db FILE] [--readme] [--json]

1. The trust tests (tests/trust, the web security and cache tests), with COMMUNIQUE_FIGURES set so each test
   reports its figures: fuzz inputs tried, rejected inputs and the store's checksum, SIGKILLs survived, duplicate
   articles, reads served during writes.
2. benchmarks/memory.py: resident memory over a 10,000-article ingest (``--quick``: 1,000).
3. benchmarks/web_load.py: 50 clients for 60 s on the timeline and event pages of a 1M-event store (``--quick``:
   10 s), with the read cache and, as the baseline, without it.

``--readme`` replaces the part of README.md between the ``reliability:start`` and ``reliability:end`` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ["tests/trust", "tests/web/test_security.py", "tests/web/test_cache.py"]
START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_tests(tmp: Path) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    figures_file, junit = tmp / "figures.jsonl", tmp / "junit.xml"
    log("trust tests ...")
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *TESTS],
                   cwd=ROOT, env={**os.environ, "COMMUNIQUE_FIGURES": str(figures_file)}, check=False,
                   stdout=subprocess.DEVNULL)
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    counts = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
    figures: dict[str, dict[str, Any]] = {}
    if figures_file.exists():
        for line in figures_file.read_text().splitlines():
            rec = json.loads(line)
            figures[rec.pop("test")] = rec
    return figures, counts


def run_json(script: str, *args: str) -> dict[str, Any]:
    log(f"{script} {' '.join(args)} ...")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args, "--json"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def table(figures: dict[str, dict[str, Any]], counts: dict[str, int], memory: dict[str, Any] | None,
          load: dict[str, Any] | None) -> str:
    def g(test: str, key: str, default: Any = "not run") -> Any:
        return figures.get(test, {}).get(key, default)

    rows = [
        ("Bad input (fuzz: random bytes, Unicode oddities, nested/truncated JSON, huge and empty inputs, the pipeline)",
         f"{g('fuzz', 'inputs_tried')} inputs",
         "every one read or refused with a message naming the file" if counts["failures"] + counts["errors"] == 0
         else "FAILURES: see the test run"),
        ("Coverage-guided fuzzing of the readers (atheris, seeded with real files)", f"{g('atheris', 'runs')} inputs",
         f"{g('atheris', 'crashes')} crashes"),
        ("A rejected batch leaves the store unchanged", f"{g('rejected_inputs', 'rejected')} bad files",
         "store byte-for-byte unchanged (sha256)" if g("rejected_inputs", "store_unchanged", False) else "NOT checked"),
        ("SIGKILL during ingest, then re-run", f"{g('crash', 'kills')} kills over {g('crash', 'articles')} articles",
         f"{g('crash', 'duplicates')} duplicates, {g('crash', 'half_written')} half-written, "
         f"{g('crash', 'unfused')} unfused; same events as an uninterrupted run"),
        ("Same corpus once, twice, reversed, split", f"{g('idempotence', 'runs')} stores",
         "identical ids and fused events" if g("idempotence", "same_store", False) else "NOT checked"),
        ("Reads while ingest writes through the server", f"{g('concurrency', 'reads_served')} reads, "
         f"{g('concurrency', 'articles_written')} articles written", f"{g('concurrency', 'read_errors')} errors"),
    ]
    if memory:
        rows.append((f"Memory over a {memory['articles']:,}-article ingest ({memory['workers']} workers)",
                     f"{memory['stored']:,} articles in {memory['seconds']:.0f} s",
                     f"peak {memory['peak_parent_mb']} MB ingest + {memory['peak_worker_mb']} MB per worker; "
                     f"growth {memory['growth_mb']:+d} MB from the 2nd to the last fifth (ingest process "
                     f"{memory['parent_growth_mb']:+d}, worker {memory['worker_growth_mb']:+d}): "
                     f"{'flat' if memory['flat'] else 'NOT flat'} by the 100 MB margin; highest MB in each fifth: "
                     f"ingest {memory.get('parent_by_fifth_mb')}, worker {memory.get('worker_by_fifth_mb')}"))
    if load:
        for label, r in load["runs"].items():
            rows.append((f"Load: {load['clients']} clients x {load['seconds']} s, {load['events']:,} events ({label})",
                         f"{r['requests']:,} requests ({r['requests_per_s']:.0f}/s)",
                         f"p50 {r['p50_ms']:.0f} / p95 {r['p95_ms']:.0f} / p99 {r['p99_ms']:.0f} ms, "
                         f"{r['errors']} errors"))
    lines = ["| guarantee | tried | found |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.append(f"\nTests behind these rows: {counts['tests']} run, {counts['failures'] + counts['errors']} failed, "
                 f"{counts['skipped']} skipped (`make reliability`; load target: 0 errors, p99 < 250 ms).")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1,000 articles and 10 s of load instead of 10,000 and 60 s")
    ap.add_argument("--db", help="a 1M-event store for the load test (built there when absent; reused after)")
    ap.add_argument("--skip", default="", help="comma list of parts to leave out: tests,memory,load")
    ap.add_argument("--readme", action="store_true", help="write the table into README.md")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        figures, counts = run_tests(tmp) if "tests" not in skip else ({}, {"tests": 0, "failures": 0, "errors": 0,
                                                                           "skipped": 0})
        memory = None if "memory" in skip else run_json("memory.py", "--articles", "1000" if args.quick else "10000")
        load_args = ["--seconds", "10" if args.quick else "60"] + (["--db", args.db] if args.db else [])
        load = None if "load" in skip else run_json("web_load.py", *load_args)
    if args.json:
        print(json.dumps({"figures": figures, "tests": counts, "memory": memory, "load": load}))
        return
    text = table(figures, counts, memory, load)
    print(text)
    if args.readme:
        readme = ROOT / "README.md"
        old = readme.read_text(encoding="utf-8")
        if START not in old or END not in old:
            raise SystemExit(f"README.md has no {START} ... {END} section to replace")
        new = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: f"{START}\n{text}\n{END}", old, flags=re.S)
        readme.write_text(new, encoding="utf-8")
        log("README.md updated")
    if counts["failures"] or counts["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
