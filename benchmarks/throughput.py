"""Throughput of `communique code` against its floor, the spaCy parse alone, in one run.

usage: python benchmarks/throughput.py [--articles N] [--json]

Articles: the bundled samples, repeated with a distinct id each, to reach N (default 320). Both measurements
parse the same texts in the same process after a warm-up, so the ratio is robust to a noisy shared machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from communique.api import get_pipeline  # noqa: E402
from communique.read import read_paths  # noqa: E402
from communique.records import Article  # noqa: E402


def corpus(n: int) -> list[Article]:
    base = [a for a in read_paths([str(ROOT / "examples")]) if isinstance(a, Article)]
    out = []
    for i in range(n):
        a = base[i % len(base)]
        out.append(Article(f"{a.article_id}-{i}", a.text, a.title, a.published))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=320)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    articles = corpus(args.articles)
    words = sum(len(a.text.split()) for a in articles)
    pipeline = get_pipeline()
    nlp = pipeline.nlp
    list(pipeline.run(articles[:16]))  # warm-up: models, caches, first allocations

    t0 = time.perf_counter()
    for _ in nlp.pipe((a.text for a in articles), batch_size=16):
        pass
    parse_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_events = sum(len(c.events) for c in pipeline.run(articles, batch_size=16))
    code_s = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    result = {
        "articles": len(articles),
        "mean_words": round(words / len(articles)),
        "events": n_events,
        "parse_articles_per_s": round(len(articles) / parse_s, 2),
        "code_articles_per_s": round(len(articles) / code_s, 2),
        "ratio_code_to_parse": round(parse_s / code_s, 3),
        "peak_rss_mb": round(peak_mb),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"articles: {result['articles']} (mean {result['mean_words']} words), events: {n_events}")
        print(f"spaCy parse alone : {result['parse_articles_per_s']:8.2f} articles/s")
        print(f"communique code   : {result['code_articles_per_s']:8.2f} articles/s")
        print(f"ratio code/parse  : {result['ratio_code_to_parse']:8.3f}   (goal >= 0.6)")
        print(f"peak memory       : {result['peak_rss_mb']:8d} MB")


if __name__ == "__main__":
    main()
