"""Coverage-guided fuzzing of the readers with atheris (libFuzzer for Python).

usage: python -m tests.trust.atheris_readers -runs=20000      (or -max_total_time=60)

The first byte picks the file kind (.txt, .html, .json, .jsonl); the rest is the file. Every input must become
articles with clean text or an InputError with a message, never an exception: libFuzzer stops on the first one and
writes the input that caused it (crash-*) for a regression test. tests/trust/test_atheris.py runs it briefly.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["communique"]):  # our code only: the libraries are not ours to fuzz
    from communique.errors import InputError
    from communique.read import read_bytes

SUFFIXES = ("a.txt", "a.html", "a.json", "a.jsonl")


def one_input(data: bytes) -> None:
    if not data:
        return
    name = SUFFIXES[data[0] % len(SUFFIXES)]
    for item in read_bytes(data[1:], name, max_bytes=100_000):
        if isinstance(item, InputError):
            if not str(item):
                raise AssertionError("an InputError without a message")
        else:
            if not item.text.strip():
                raise AssertionError("an article with no text")
            item.text.encode("utf-8")  # a lone surrogate would raise here


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
