"""Coding cost per article of this checkout against another one, interleaved in one run (the machine is shared and
noisy: only a comparison in the same run says whether a change made coding faster).

usage: git worktree add /tmp/before COMMIT && python benchmarks/code_ab.py /tmp/before [--articles 50] [--rounds 2]

Each round codes the same long articles (two samples joined, as in benchmarks/scale.py) on one core in a fresh
process per checkout, models loaded before the clock starts, and prints seconds per article.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import os, sys, tempfile, time
os.environ["COMMUNIQUE_THREADS"] = "1"; os.environ["OMP_NUM_THREADS"] = "1"
root, n = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, root)
import communique
assert communique.__file__.startswith(root), communique.__file__
from pathlib import Path
from communique.read import read_paths
from communique.records import Article
from communique.scale.coded import code_batch
sys.path.insert(1, sys.argv[3])
from scale import make_corpus
paths, words = make_corpus(Path(tempfile.mkdtemp()), n + 2)
articles = [a for a in read_paths(paths) if isinstance(a, Article)]
code_batch(articles[:2])
t0 = time.perf_counter()
for i in range(2, len(articles), 16):
    code_batch(articles[i:i + 16])
print(f"{(time.perf_counter() - t0) / (len(articles) - 2):.4f} {words:.0f}")
"""


def seconds_per_article(root: Path, articles: int) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(root), str(articles), str(ROOT / "benchmarks")],
                         check=True, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    cost, words = out.stdout.split()[-2:]
    return float(cost), float(words)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", type=Path, help="another checkout of communique (e.g. a git worktree)")
    ap.add_argument("--articles", type=int, default=48)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    for r in range(args.rounds):
        for label, root in (("other", args.other.resolve()), ("this", ROOT)):
            cost, words = seconds_per_article(root, args.articles)
            print(f"round {r + 1}  {label:5}  {cost:.3f} s per article ({words:.0f} words)  {root}")


if __name__ == "__main__":
    main()
