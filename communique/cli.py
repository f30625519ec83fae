"""The `communique` command: a thin layer over the library (see communique.api and communique.store)."""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import api
from .errors import CommuniqueError
from .read import DEFAULT_MAX_BYTES, iter_files, read_paths
from .records import Article
from .store import EventFilter, Store, TimelineFilter, default_db_path

app = typer.Typer(
    help="communique: news articles in, sourced interstate events (PLOVER) out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

DbOption = Annotated[Optional[str], typer.Option("--db", help="Database file (default ./communique.duckdb or $COMMUNIQUE_DB).")]
MaxBytes = Annotated[int, typer.Option("--max-bytes", help="Refuse input files larger than this many bytes.")]
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details to stderr.")] = False) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def _fail(exc: CommuniqueError) -> NoReturn:
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    raise typer.Exit(2)


T = TypeVar("T")


def _read(db: str | None, query: Callable[[Store], T]) -> T:
    """Run one read on the database opened read-only; a store error becomes a message and exit status 2."""
    try:
        with Store(db or default_db_path(), read_only=True) as store:
            return query(store)
    except CommuniqueError as exc:
        _fail(exc)


def _jsonl(items: Iterable[Any]) -> None:
    for item in items:
        sys.stdout.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")


@app.command()
def code(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to code; - reads standard input.")],
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
) -> None:
    """Print the events of articles as JSON lines, one per event (touches no database).

    Example: communique code examples/04_putin_pyongyang.txt
    """
    failed = 0

    def articles() -> Iterator[Article]:
        # Streamed: a large input is coded batch by batch, and errors are reported where they occur.
        nonlocal failed
        for item in read_paths(paths, max_bytes=max_bytes):
            if isinstance(item, CommuniqueError):
                err.print(f"{item}", highlight=False, markup=False)
                failed += 1
            else:
                yield item

    try:
        out = sys.stdout
        for coded in api.code_articles(articles()):
            for event in coded.events:
                out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        out.flush()
    except CommuniqueError as exc:
        _fail(exc)
    if failed:
        raise typer.Exit(1)


@app.command()
def classify(
    source: Annotated[str, typer.Argument(help="JSON lines file with id, text (optional source, target); - for stdin.")] = "-",
    batch_size: Annotated[int, typer.Option(help="Sentences per batch.")] = 256,
) -> None:
    """Classify sentences into PLOVER root types: JSON lines in, JSON lines out.

    Each input line: {"id": ..., "text": ..., "source": "actor text", "target": "actor text"} (source and target
    optional). Each output line: id, event_type (null for no event), mode, confidence, cameo, scores per type.

    Example: echo '{"id": 1, "text": "Seoul urged Beijing to act."}' | communique classify
    """
    from .events.classifier import get_classifier

    stream = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    failed = 0
    try:
        clf = get_classifier()
        batch: list[tuple[object, str, tuple[str | None, str | None]]] = []

        def flush() -> None:
            results = clf.classify([t for _, t, _ in batch], actors=[a for _, _, a in batch])
            for (rid, _, _), result in zip(batch, results, strict=True):
                sys.stdout.write(json.dumps({"id": rid, **result.to_dict()}, ensure_ascii=False) + "\n")
            batch.clear()

        for n, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                sides = (rec.get("source"), rec.get("target"))
                if not isinstance(text, str) or not all(v is None or isinstance(v, str) for v in sides):
                    raise TypeError
            except (json.JSONDecodeError, KeyError, TypeError):
                err.print(f"{source}:{n}: expected a JSON object with a \"text\" string (and \"source\", \"target\" "
                          "strings or null)", highlight=False, markup=False)
                failed += 1
                continue
            batch.append((rec.get("id", n), text, sides))
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    except CommuniqueError as exc:
        _fail(exc)
    finally:
        if stream is not sys.stdin:
            stream.close()
    if failed:
        raise typer.Exit(1)


INGEST_DB_MEMORY = "1GB"  # bounds the buffer cache of a long ingest (DuckDB would take up to 80% of RAM)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (read recursively) to store.")],
    db: DbOption = None,
    max_bytes: MaxBytes = DEFAULT_MAX_BYTES,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    workers: Annotated[Optional[int], typer.Option(
        help="Coding processes (default: every core when there are 50 or more input files, else 1).")] = None,
    server: Annotated[Optional[str], typer.Option(
        help="Send the files to a running `communique serve` (e.g. http://127.0.0.1:8000) instead of opening --db.")] = None,
    token: Annotated[Optional[str], typer.Option(help="Write token for --server (or COMMUNIQUE_TOKEN).")] = None,
    db_memory: Annotated[str, typer.Option(
        help="Cap on the database's buffer cache (e.g. 512MB, 2GB); bigger work spills to disk.")] = INGEST_DB_MEMORY,
) -> None:
    """Read, code and store articles; already-stored articles are skipped. Parquet results of `communique run`
    are loaded as they are. While `communique serve` holds the database, send the files to it with --server.

    Example: communique ingest examples/ --db news.duckdb --workers 2
    """
    if server:
        from .remote import ingest_via_server

        try:
            sent = ingest_via_server(server, paths, token=token)
        except CommuniqueError as exc:
            _fail(exc)
        for line in sent.errors:
            err.print(line, highlight=False, markup=False)
        err.print(f"articles: {sent.new} new, {sent.present} already present, {sent.failed} failed; events found: "
                  f"{sent.events} (stored by {server})", highlight=False)
        raise typer.Exit(0 if sent.ok else 1)
    from .scale.heap import bound_native_heap

    bound_native_heap()  # a long ingest must not creep up in memory (see scale/heap.py)
    total = sum(1 for _ in iter_files(paths)) if "-" not in paths else None
    if workers is None:
        from .scale.parallel import default_workers

        # a worker costs a model load (~1 GB, ~10 s): worth it for a corpus, not for a handful of files
        workers = default_workers() if total is None or total >= 50 else 1
    try:
        with Store(db, memory_limit=db_memory) as store, Progress(
            TextColumn("[bold]ingest[/bold]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=err, disable=quiet, transient=True,
        ) as progress:
            task = progress.add_task("", total=total)
            seen_files: set[str] = set()

            def on_item(path: str, outcome: str) -> None:
                if path not in seen_files:
                    seen_files.add(path)
                    progress.update(task, advance=1, description=Path(path).name[:40])

            summary = api.ingest(store, paths, max_bytes=max_bytes, on_item=on_item, workers=max(1, workers))
            counts = store.counts()
    except CommuniqueError as exc:
        _fail(exc)
        return
    for line in summary.errors:
        err.print(line, highlight=False, markup=False)
    err.print(
        f"articles: {summary.new} new, {summary.present} already present, {summary.failed} failed; "
        f"events found: {summary.events}; store now holds {counts['articles']} articles and {counts['events']} events "
        f"({store.path})",
        highlight=False,
    )
    if not summary.ok:
        raise typer.Exit(1)


def _console() -> Console:
    # Piped output has no terminal width; a timeline is unreadable folded into 80 columns.
    return Console(width=None if sys.stdout.isatty() else 160)


def _events_table(records: list[dict], title: str | None = None) -> Table:
    table = Table(title=title, header_style="bold", box=None, pad_edge=False)
    table.add_column("date", no_wrap=True)
    table.add_column("event", no_wrap=True)
    table.add_column("who -> whom", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("where", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column("evidence", no_wrap=True, overflow="ellipsis", max_width=80)

    def side(members: list[dict]) -> str:
        return "+".join(dict.fromkeys(a["country"] for a in members if a.get("country")))

    for r in records:
        event = r["event_type"] + (f"/{r['mode']}" if r["mode"] else "")
        who = side(r["actors"]) + (f" -> {side(r['recipients'])}" if r["recipients"] else "")
        status = r["status"] if r["status"] == "occurred" else f"[yellow]{r['status']}[/yellow]"
        table.add_row(r["date"] or "?", event, who, status, (r["location"] or {}).get("name", ""), r["evidence"]["text"])
    return table


def _flat(r: dict) -> dict:
    return {
        "event_id": r["event_id"], "article_id": r["article_id"], "date": r["date"], "event_type": r["event_type"],
        "mode": r["mode"], "cameo": r["cameo"], "quad": r["quad"], "intensity": r["intensity"],
        "actors": ";".join(a["country"] or "" for a in r["actors"]),
        "actor_names": ";".join(a.get("name") or a["text"] for a in r["actors"]),
        "recipients": ";".join(a["country"] or "" for a in r["recipients"]),
        "recipient_names": ";".join(a.get("name") or a["text"] for a in r["recipients"]),
        "status": r["status"], "confidence": r["confidence"], "location": (r["location"] or {}).get("name"),
        "evidence": r["evidence"]["text"],
    }


@app.command()
def events(
    db: DbOption = None,
    actor: Annotated[Optional[str], typer.Option(help="Country code (KOR) or words of an actor's name (Putin).")] = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="PLOVER type, e.g. CONSULT.")] = None,
    status: Annotated[Optional[str], typer.Option(help="occurred, planned, speculated, hypothetical or negated.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Earliest event date, YYYY[-MM[-DD]].")] = None,
    until: Annotated[Optional[str], typer.Option(help="Latest event date, YYYY[-MM[-DD]].")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many events.")] = None,
    format_: Annotated[str, typer.Option("--format", help="table, jsonl or csv.")] = "table",
) -> None:
    """List stored events in date order, filtered.

    Example: communique events --actor PRK --type CONSULT --since 2024-01 --format jsonl
    """
    if format_ not in ("table", "jsonl", "csv"):
        err.print(f"--format must be table, jsonl or csv, not {format_!r}")
        raise typer.Exit(2)
    records = _read(db, lambda store: store.events(EventFilter(actor, type_, status, since, until, None, limit)))
    if format_ == "jsonl":
        _jsonl(records)
    elif format_ == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(_flat(records[0]).keys()) if records else ["event_id"])
        writer.writeheader()
        for r in records:
            writer.writerow(_flat(r))
        sys.stdout.write(buf.getvalue())
    else:
        _console().print(_events_table(records, f"{len(records)} events"))


@app.command()
def actors(
    db: DbOption = None,
    kind: Annotated[Optional[str], typer.Option(help="person, organization, state or group.")] = None,
    country: Annotated[Optional[str], typer.Option(help="Only actors of this state (ISO3) or IGO/UNO/EUR/NGO.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 50,
    format_: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """List the actors mentioned in stored articles, most mentioned first, with spellings and roles.

    Example: communique actors --kind person --country KOR
    """
    found = _read(db, lambda store: store.entities(kind, country, limit))
    if format_ == "jsonl":
        _jsonl(e.to_dict() for e in found)
        return
    table = Table(title=f"{len(found)} actors", header_style="bold", box=None, pad_edge=False)
    for col in ("entity", "name", "kind", "state", "sector", "mentions", "articles", "roles", "spellings"):
        table.add_column(col, no_wrap=col not in ("spellings", "roles"), max_width=40 if col in ("spellings", "roles") else None)
    for e in found:
        table.add_row(e.entity_id, e.name or "", e.kind or "", e.country or "", e.sector or "", str(e.mentions),
                      str(e.articles), "; ".join(e.roles), "; ".join(e.variants[:6]))
    _console().print(table)


@app.command()
def actor(
    name: Annotated[str, typer.Argument(help="A name, a spelling or an entity id, e.g. 'Kim Jong Un'.")],
    db: DbOption = None,
    format_: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Show one actor: roles over time, spellings with their sources, events as actor and as recipient, and
    other entities that are probably the same person.

    Example: communique actor "Choe Son Hui"
    """
    profile = _read(db, lambda store: store.entity(name))
    if profile is None:
        err.print(f"no actor matches {name!r}; list them with `communique actors`", highlight=False)
        raise typer.Exit(1)
    if format_ == "json":
        sys.stdout.write(json.dumps(profile, ensure_ascii=False, indent=2) + "\n")
        return
    con = _console()
    con.print(f"[bold]{profile['name']}[/bold]  ({profile['entity_id']}; {profile['kind']}, {profile['country']}, {profile['sector']})")
    for r in profile["roles"]:
        con.print(f"  role: {r['role']}  {r['first_seen']} .. {r['last_seen']}  ({r['mentions']} mentions)")
    for sp in profile["spellings"]:
        con.print(f"  written as {sp['text']!r} in {', '.join(sp['articles'][:5])}", highlight=False)
    for v in profile["probable_variants"]:
        con.print(f"  probably the same as {v['name']} ({v['entity_id']}), confidence {v['confidence']}: {'; '.join(v['reasons'])}", highlight=False)
    for key, title in (("events_as_actor", "as actor"), ("events_as_recipient", "as recipient")):
        if profile[key]:
            con.print(_events_table(profile[key], f"events {title}"))


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Database file to create afresh.")] = "communique.duckdb",
    examples: Annotated[Optional[str], typer.Option(help="Folder of sample articles.")] = None,
) -> None:
    """Code the bundled sample articles into a fresh database and print their timeline.

    Example: communique demo --db demo.duckdb
    """
    folder = examples or str(EXAMPLES_DIR)
    if not Path(folder).is_dir():
        err.print(f"no sample articles at {folder}; pass --examples FOLDER")
        raise typer.Exit(2)
    for suffix in ("", ".wal"):
        Path(db + suffix).unlink(missing_ok=True)
    with Store(db) as store:
        summary = api.ingest(store, [folder])
        rows = store.timeline(TimelineFilter(limit=None))
    from .cli_views import _fused_table

    _console().print(_fused_table(rows, f"Timeline: {summary.events} events from {summary.new} sample articles, "
                                        f"fused into {len(rows)} ({db})"))
    err.print("Next: communique timeline --country PRK | communique dyad KOR CHN --plot kor-chn.png | "
              "communique graph --format png -o network.png | communique discrepancies", highlight=False)


from . import cli_views  # noqa: E402,F401 - registers timeline, dyad, graph, export... on the app

if __name__ == "__main__":  # pragma: no cover
    app()
