"""Readers: files and records in, cleaned :class:`~communique.records.Article` out.

Each reader yields either an Article or an :class:`~communique.errors.InputError` for one bad file or line,
so one bad input never stops a batch.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Article
from .clean import byline_author, clean_lines, contact_domain, looks_english, normalise
from .html import extract_html
from .published import find_dateline, is_metadata_line, parse_date_words

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
SUFFIXES = {".txt", ".text", ".html", ".htm", ".json", ".jsonl", ".ndjson"}
ReadResult = Article | InputError

__all__ = ["DEFAULT_MAX_BYTES", "ReadResult", "article_from_text", "article_from_record", "iter_files", "read_paths"]


def _check_text(article: Article, path: str, line: int | None = None) -> ReadResult:
    if not article.text.strip():
        return InputError(path, "no article text after cleaning (empty, or only page furniture)", line)
    if not looks_english(article.text):
        return InputError(path, "text does not look like English; communique codes English news only", line)
    return article


def article_from_text(
    raw: str,
    article_id: str,
    *,
    title: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    source_path: str | None = None,
    title_from_first_line: bool = True,
) -> Article:
    """Plain text: the first non-empty line is the title (unless given), a dateline gives the date."""
    lines = [ln for ln in normalise(raw).split("\n")]
    title_source = "record" if title is not None else None
    if title is None and title_from_first_line:
        for i, ln in enumerate(lines):
            if ln:
                title, lines, title_source = ln, lines[i + 1 :], "first line"
                break
    published_source = "record" if published else None
    nonblank = [i for i, ln in enumerate(lines) if ln]
    dateline = find_dateline([lines[i] for i in nonblank])
    if dateline:
        if published is None:
            published, published_source = dateline[1].isoformat(), "dateline"
        # "SEOUL, June 19, 2024 - Putin arrived...": the stamp is metadata; the parser should see only the prose.
        at, cut = nonblank[dateline[0]], dateline[2]
        if cut:
            lines[at] = lines[at][cut:].strip()
    outlet_source = "record" if outlet else None
    author = None
    body = []
    for ln in lines:
        if is_metadata_line(ln):
            continue
        if author is None and (name := byline_author(ln)):
            author = name  # the byline is metadata, not reporting
            continue
        if outlet is None and (domain := contact_domain(ln)):
            outlet, outlet_source = domain, "contact address"
        body.append(ln)
    text = "\n\n".join(clean_lines(body))
    return Article(article_id, text, title, published, published_source, outlet, url, source_path,
                   title_source, outlet_source, author)


def article_from_html(html: str, article_id: str, *, source_path: str | None = None, **given: Any) -> Article | None:
    content = extract_html(html, url=given.get("url"))
    if content is None:
        return None
    art = article_from_text(
        content.text,
        article_id,
        title=given.get("title") or content.title,
        published=given.get("published"),
        outlet=given.get("outlet") or content.outlet,
        url=given.get("url") or content.url,
        source_path=source_path,
        title_from_first_line=False,
    )
    if art.published is None and content.published:
        art.published, art.published_source = content.published[:10], "metadata"
    if not given.get("title") and content.title:
        art.title_source = "metadata"
    if not given.get("outlet") and content.outlet:
        art.outlet_source = "metadata"
    art.author = art.author or content.author
    return art


def _published_from_record(value: Any) -> str | None:
    if value in (None, ""):
        return None
    text = str(value)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return text[:10]
    parsed = parse_date_words(text)
    return parsed.isoformat() if parsed else None


def article_from_record(record: Any, default_id: str, path: str, line: int | None = None) -> ReadResult:
    """A JSON record with ``id``, ``text`` or ``html`` and optional ``title``, ``published``, ``url``, ``outlet``."""
    if not isinstance(record, dict):
        return InputError(path, f"expected a JSON object, got {type(record).__name__}", line)
    article_id = str(record.get("id") or default_id)
    given = {k: (str(record[k]) if record.get(k) is not None else None) for k in ("title", "url", "outlet")}
    given["published"] = _published_from_record(record.get("published"))
    if isinstance(record.get("text"), str):
        art = article_from_text(
            record["text"], article_id, source_path=path, title_from_first_line=False, **given
        )
    elif isinstance(record.get("html"), str):
        maybe = article_from_html(record["html"], article_id, source_path=path, **given)
        if maybe is None:
            return InputError(path, "no article text found in the record's html", line)
        art = maybe
    else:
        return InputError(path, 'record has no "text" or "html" string field; add one', line)
    return _check_text(art, path, line)


def _decode(data: bytes, path: str) -> str | InputError:
    if b"\x00" in data[:8192]:
        return InputError(path, "binary file (contains NUL bytes); give a text, HTML or JSON file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(path, f"not UTF-8 (byte {exc.start}); convert it, e.g. iconv -f LATIN1 -t UTF-8")


def _read_jsonl(text: str, path: str, stem: str) -> Iterator[ReadResult]:
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield InputError(path, f"malformed JSON line ({getattr(exc, 'msg', 'nested too deeply')})", n)
            continue
        yield article_from_record(record, f"{stem}-{n}", path, n)


def read_bytes(data: bytes, path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ReadResult]:
    """Read one input whose name (``path``) tells its format; ``-`` is standard input (text or JSON lines)."""
    if len(data) > max_bytes:
        yield InputError(path, f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit (raise --max-bytes)")
        return
    decoded = _decode(data, path)
    if isinstance(decoded, InputError):
        yield decoded
        return
    stem = "stdin" if path == "-" else Path(path).stem
    suffix = Path(path).suffix.lower()
    if path == "-":
        suffix = ".jsonl" if decoded.lstrip().startswith("{") else ".txt"
    if not decoded.strip():
        yield InputError(path, "empty file")
    elif suffix in (".jsonl", ".ndjson"):
        yield from _read_jsonl(decoded, path, stem)
    elif suffix == ".json":
        try:
            loaded = json.loads(decoded)
        except (json.JSONDecodeError, RecursionError) as exc:
            line = getattr(exc, "lineno", None)
            yield InputError(path, f"malformed JSON ({getattr(exc, 'msg', 'nested too deeply')})", line)
            return
        records = loaded if isinstance(loaded, list) else [loaded]
        for n, record in enumerate(records):
            yield article_from_record(record, stem if len(records) == 1 else f"{stem}-{n + 1}", path)
    elif suffix in (".html", ".htm"):
        art = article_from_html(decoded, stem, source_path=path)
        yield _check_text(art, path) if art else InputError(path, "no article text found in the HTML page")
    else:
        yield _check_text(article_from_text(decoded, stem, source_path=path), path)


def iter_files(paths: Iterable[str]) -> Iterator[str]:
    """Files named, and files under folders named (recursively, sorted, known suffixes only)."""
    for p in paths:
        if p == "-" or not os.path.isdir(p):
            yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                # .parquet: the result files of `communique run`, which ingest loads without coding them again
                # names starting with "_" are metadata by convention (`communique run` writes _plan.json)
                if Path(name).suffix.lower() in (*SUFFIXES, ".parquet") and not name.startswith((".", "_")):
                    yield os.path.join(root, name)


def read_paths(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[ReadResult]:
    """Articles (or errors) from files, folders and ``-``, in order."""
    for path in iter_files(paths):
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            try:
                size = os.path.getsize(path)
                if size > max_bytes:
                    yield InputError(path, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (raise --max-bytes)")
                    continue
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                yield InputError(path, f"cannot read: {exc.strerror or exc}")
                continue
        yield from read_bytes(data, path, max_bytes)

