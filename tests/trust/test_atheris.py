"""The readers under coverage-guided fuzzing (atheris): a few thousand inputs, no exception."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.trust.figures import record

ROOT = Path(__file__).resolve().parents[2]
RUNS = 30000
SEEDS = {0: "examples/01_vostochny_summit.txt", 1: "examples/03_camp_david_summit.html", 3: "examples/wire.jsonl"}


@pytest.mark.slow
def test_readers_survive_coverage_guided_fuzzing(tmp_path):
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for kind, path in SEEDS.items():  # real files to mutate from: the fuzzer reaches the HTML and JSON paths sooner
        (corpus / f"seed{kind}").write_bytes(bytes([kind]) + (ROOT / path).read_bytes()[:4000])
    proc = subprocess.run([sys.executable, "-m", "tests.trust.atheris_readers", f"-runs={RUNS}", "-seed=7",
                           f"-artifact_prefix={tmp_path}/", "-max_len=4096", str(corpus)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    done = re.search(r"Done (\d+) runs", proc.stderr)
    assert done and int(done.group(1)) >= RUNS
    assert not list(tmp_path.glob("crash-*"))
    record("atheris", runs=int(done.group(1)), crashes=0)
