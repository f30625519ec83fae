"""Figures the trust tests report for `make reliability` (benchmarks/reliability.py): each test adds what it tried
and what it found to the JSON-lines file named by COMMUNIQUE_FIGURES, when that is set; otherwise nothing."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

FIGURES_ENV = "COMMUNIQUE_FIGURES"
tried: Counter[str] = Counter()  # inputs fed to each fuzz target in this process


def record(test: str, **figures: Any) -> None:
    path = os.environ.get(FIGURES_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"test": test, **figures}) + "\n")
