"""`communique` commands over fused events: fuse, timeline, event, discrepancies, dyad, graph, export.

Each is a few lines over the library (communique.store, communique.views); registered on the app in cli.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from .cli import DbOption, _console, _fail, _jsonl, _read, app, err
from .errors import CommuniqueError
from .store import Store, TimelineFilter, default_db_path
from .store.export import FORMATS, KINDS, export

Since = Annotated[Optional[str], typer.Option(help="Earliest event date, YYYY[-MM[-DD]].")]
Until = Annotated[Optional[str], typer.Option(help="Latest event date, YYYY[-MM[-DD]] (a month or year is included whole).")]


def _side(codes: list[str]) -> str:
    return "+".join(codes) or "?"


def _fused_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, header_style="bold", box=None, pad_edge=False)
    # the date and the id are what a reader needs whole; the evidence gives way first
    widths = {"date": 10, "id": 19, "event": 14, "who -> whom": 11}
    for col in ("date", "event", "who -> whom", "status", "sources", "where", "id", "evidence"):
        table.add_column(col, no_wrap=True, overflow="ellipsis", min_width=widths.get(col),
                         max_width=60 if col == "evidence" else (16 if col == "where" else None))
    for r in rows:
        who = _side(r["actors"]) + (f" -> {_side(r['recipients'])}" if r["recipients"] else "")
        status = r["status"] if r["status"] == "occurred" else f"[yellow]{r['status']}[/yellow]"
        sources = f"{r['num_sources']}" + (f" ({r['num_articles']} art.)" if r["num_articles"] != r["num_sources"] else "")
        event = r["event_type"] + (f"/{r['mode']}" if r["mode"] else "")
        table.add_row(r["date"] or "?", event, who, status, sources, r["location_name"] or "", r["fused_id"],
                      r["evidence_text"])
    return table


@app.command()
def fuse(
    db: DbOption = None,
    rebuild: Annotated[bool, typer.Option(help="Fuse the whole store again instead of only new events.")] = False,
) -> None:
    """Fuse stored events that are not fused yet (ingest does this itself; use after an upgrade or with --rebuild).

    Example: communique fuse --rebuild
    """
    try:
        with Store(db or default_db_path()) as store:
            written = store.fuse(rebuild=rebuild)
            counts = store.counts()
    except CommuniqueError as exc:
        _fail(exc)
        return
    err.print(f"{written} fused events written; the store holds {counts['events']} events in "
              f"{counts['fused_events']} fused events", highlight=False)


@app.command()
def timeline(
    db: DbOption = None,
    actor: Annotated[Optional[str], typer.Option(help="State code (KOR) or words of an actor's name (Putin).")] = None,
    country: Annotated[Optional[str], typer.Option(help="State code on either side of the event.")] = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="PLOVER type, e.g. CONSULT.")] = None,
    status: Annotated[Optional[str], typer.Option(help="occurred, planned, speculated, hypothetical or negated.")] = None,
    since: Since = None,
    until: Until = None,
    min_sources: Annotated[int, typer.Option(help="Only events reported by at least this many outlets.")] = 1,
    limit: Annotated[int, typer.Option(help="Events per page.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many events (paging).")] = 0,
    newest_first: Annotated[bool, typer.Option("--newest-first", help="Latest dates first.")] = False,
    format_: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """Fused events in date order, with how many outlets and articles reported each; planned events are marked.

    Example: communique timeline --country PRK --since 2024-06 --until 2024-06
    """
    flt = TimelineFilter(actor, country, type_, status, since, until, min_sources, limit, offset, newest_first)
    rows, total = _read(db, lambda store: (store.timeline(flt), store.timeline_count(flt)))
    if format_ == "jsonl":
        _jsonl(rows)
        return
    shown = f"{offset + 1}-{offset + len(rows)} of {total}" if rows else f"0 of {total}"
    _console().print(_fused_table(rows, f"Timeline: fused events {shown}"))


@app.command()
def event(
    fused_id: Annotated[str, typer.Argument(help="A fused event id (fe_...) from `communique timeline`.")],
    db: DbOption = None,
    format_: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Show one fused event: every report with its outlet and evidence, and where the reports disagree.

    Example: communique event fe_0123456789abcdef
    """
    found = _read(db, lambda store: store.fused_event(fused_id))
    if found is None:
        err.print(f"no fused event {fused_id!r}; list them with `communique timeline`", highlight=False)
        raise typer.Exit(1)
    if format_ == "json":
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    con = _console()
    con.print(f"[bold]{found['event_type']}[/bold] {_side(found['actors'])} -> {_side(found['recipients'])} "
              f"on {found['date'] or '?'} ({found['status']}), {found['num_sources']} sources, "
              f"{found['num_reports']} reports, confidence {found['confidence']}", highlight=False)
    for rep in found["reports"]:
        art = rep["article"]
        con.print(f"  - {art['outlet'] or rep['article_id']} ({art['published'] or '?'}): {rep['evidence']['text']}",
                  highlight=False)
    for d in found["discrepancies"]:
        said = "; ".join(f"{v['value']} ({', '.join(v['sources'])})" for v in d["values"])
        con.print(f"  [yellow]disagree on {d['field']}[/yellow]: {said}", highlight=False)


@app.command()
def discrepancies(
    db: DbOption = None,
    country: Annotated[Optional[str], typer.Option(help="State code on either side of the event.")] = None,
    since: Since = None,
    until: Until = None,
    format_: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """Where outlets disagree about one event (date, place, status, type, names, figures), with who said what,
    and names that are probably spellings of one person.

    Example: communique discrepancies --country KOR
    """
    flt = TimelineFilter(country=country, since=since, until=until, limit=None)
    found, names = _read(db, lambda store: (store.discrepancies(flt), store.name_variants()))
    if format_ == "jsonl":
        _jsonl(found)
        _jsonl({"names": item} for item in names)
        return
    table = Table(title=f"{len(found)} fused events whose reports disagree", header_style="bold", box=None, pad_edge=False)
    for col in ("event", "field", "who said what"):
        table.add_column(col, overflow="fold")
    for item in found:
        for d in item["discrepancies"]:
            said = "; ".join(f"{v['value']}: {', '.join(v['sources'])}" for v in d["values"])
            table.add_row(item["fused_id"], d["field"], said)
    con = _console()
    con.print(table)
    for v in names:
        con.print(f"  [yellow]probably one person[/yellow]: {v['name']} / {v['variant']} "
                  f"(confidence {v['confidence']}: {'; '.join(v['reasons'])})", highlight=False)


@app.command()
def dyad(
    a: Annotated[str, typer.Argument(help="One state, ISO3 (KOR).")],
    b: Annotated[str, typer.Argument(help="The other state, ISO3 (CHN).")],
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="week or month.")] = "month",
    since: Since = None,
    until: Until = None,
    plot: Annotated[Optional[Path], typer.Option(help="Also draw the trend to this .png or .svg file.")] = None,
    format_: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """Cooperation and conflict between two states over time: events per quad class, mean and total intensity.

    Example: communique dyad KOR CHN --by month --plot kor-chn.png
    """
    from .views import dyad_series, plot_dyad

    a, b = a.upper(), b.upper()
    rows = _read(db, lambda store: store.view_events(since, until))
    try:
        series = dyad_series(rows, a, b, by=by)  # type: ignore[arg-type]
        if plot is not None:
            plot_dyad(series, a, b, plot)
    except (CommuniqueError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if format_ == "jsonl":
        _jsonl({**p.__dict__, "counts": p.counts} for p in series)
        return
    table = Table(title=f"{a} - {b} by {by}", header_style="bold", box=None, pad_edge=False)
    for col in ("period", "events", "verbal coop", "material coop", "verbal conflict", "material conflict",
                "mean intensity", "total", f"{a}->{b}", f"{b}->{a}"):
        table.add_column(col, justify="right" if col != "period" else "left")
    for p in series:
        c = p.counts
        mean = "" if p.mean_intensity is None else f"{p.mean_intensity:+.1f}"
        table.add_row(p.period, str(p.events), str(c["verbal_cooperation"]), str(c["material_cooperation"]),
                      str(c["verbal_conflict"]), str(c["material_conflict"]), mean, f"{p.total_intensity:+.1f}",
                      str(p.a_to_b), str(p.b_to_a))
    _console().print(table)
    if plot is not None:
        err.print(f"chart written to {plot}", highlight=False)


@app.command()
def graph(
    db: DbOption = None,
    since: Since = None,
    until: Until = None,
    format_: Annotated[str, typer.Option("--format", help="json, graphml, png or svg.")] = "json",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (json goes to stdout without one).")] = None,
) -> None:
    """The alignment network: states as nodes, edges weighted by net cooperation and conflict, communities of
    states that cooperate with each other.

    Example: communique graph --since 2024-01 --format png -o network.png
    """
    from .views import alignment_graph, graph_to_json, write_graph

    rows = _read(db, lambda store: store.view_events(since, until))
    try:
        g = alignment_graph(rows, since=since, until=until)
        if output is None:
            if format_ != "json":
                raise ValueError(f"--format {format_} needs a file: add --output FILE.{format_}")
            sys.stdout.write(json.dumps(graph_to_json(g), ensure_ascii=False, indent=2) + "\n")
            return
        write_graph(g, output, format_)  # type: ignore[arg-type]
    except (CommuniqueError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    err.print(f"{g.number_of_nodes()} states, {g.number_of_edges()} pairs written to {output}", highlight=False)


@app.command("export")
def export_(
    kind: Annotated[str, typer.Argument(help=f"What to export: {', '.join(KINDS)}.")],
    db: DbOption = None,
    format_: Annotated[str, typer.Option("--format", help=f"{', '.join(FORMATS)} (plover: PLOVER JSON events).")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (jsonl and plover go to stdout without one).")] = None,
) -> None:
    """Export events, fused events, actors or articles as JSON lines, CSV or Parquet; events also as PLOVER JSON.

    Example: communique export events --format parquet -o events.parquet
    """
    def run(store: Store) -> None:
        result = export(store.con, kind, format_, output)
        if isinstance(result, int):
            err.print(f"{result} {kind} written to {output}", highlight=False)
            return
        for line in result:  # streamed while the store is open
            sys.stdout.write(line + "\n")

    _read(db, run)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind; anything but loopback makes writes need a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[Optional[str], typer.Option(help="Token for writes (paste, upload); or set COMMUNIQUE_TOKEN.")] = None,
    max_body: Annotated[int, typer.Option("--max-body", help="Largest request body accepted, in bytes.")] = 5_000_000,
    cache_mb: Annotated[int, typer.Option("--cache-mb", help="Memory for answers to repeated reads, kept until the "
                                          "next write (0: none).")] = 64,
    read_only: Annotated[bool, typer.Option("--read-only", help="Open the database read-only and refuse writes.")] = False,
    workers: Annotated[int, typer.Option(help="Server processes; more than 1 serves read-only (one per core helps "
                                              "many readers).")] = 1,
) -> None:
    """Serve the dashboard and HTTP API over a database (pages at /, API at /api, schema at /openapi.json).

    Example: communique serve --db communique.duckdb --port 8000

    Many readers, no writes: communique serve --db archive.duckdb --workers 2
    """
    import uvicorn

    from .web import create_app
    from .web.app import config_from_env, is_loopback

    config = config_from_env(db or default_db_path(), host, token, max_body, cache_mb * 1024 * 1024,
                             read_only=read_only or workers > 1)
    if not is_loopback(host) and not config.token:
        err.print("bound beyond loopback without a token: reading works, writes are refused "
                  "(set --token or COMMUNIQUE_TOKEN to allow them)", highlight=False)
    try:
        web_app = create_app(config)  # opened here first, so a bad --db fails now with a clear message
    except CommuniqueError as exc:
        _fail(exc)
    mode = f", read-only, {workers} processes" if workers > 1 else ", read-only" if config.read_only else ""
    err.print(f"serving {config.db} on http://{host}:{port}/{mode} (Ctrl-C to stop)", highlight=False)
    if workers <= 1:
        from .scale.heap import bound_native_heap

        bound_native_heap()  # this process codes the articles sent to it, for as long as it runs (see scale/heap.py)
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
        return
    import dataclasses
    import json
    import os

    from .web.app import CONFIG_ENV

    web_app.state.store.close()  # each worker process opens its own read-only connection
    os.environ[CONFIG_ENV] = json.dumps(dataclasses.asdict(config))
    uvicorn.run("communique.web.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


@app.command("run")
def run_(
    inputs: Annotated[list[str], typer.Argument(help="Input files or folders: local paths or fsspec URLs (s3://...).")],
    out: Annotated[str, typer.Option("--out", "-o", help="Folder for the partitioned Parquet results.")],
    cluster: Annotated[str, typer.Option(help="'local' (start a local Dask cluster) or a scheduler address.")] = "local",
    workers: Annotated[int, typer.Option(help="Worker processes of the local cluster.")] = 2,
    files_per_partition: Annotated[int, typer.Option(help="Input files per task (set once, in the plan).")] = 8,
) -> None:
    """Code a corpus on a Dask cluster into Parquet result files; run it again to finish an interrupted run
    (finished partitions are not redone). Load the results with `communique ingest OUT`.

    Example: communique run archive/ --out results/ --cluster tcp://scheduler:8786
    """
    from .scale.runner import run

    try:
        summary = run(inputs, out, cluster, files_per_partition=files_per_partition, workers=workers,
                      on_done=lambda r: err.print(f"partition {r['index']}: {r['articles']} articles, "
                                                  f"{r['events']} events", highlight=False))
    except CommuniqueError as exc:
        _fail(exc)
    for line in summary.errors:
        err.print(line, highlight=False, markup=False)
    err.print(f"{summary.partitions} partitions: {summary.done_before} already done, {summary.coded} coded now "
              f"({summary.articles} articles, {summary.events} events, {summary.failed} failed inputs) in {out}",
              highlight=False)
    if summary.failed:
        raise typer.Exit(1)
