"""The HTTP API: JSON twins of every page, documented by the OpenAPI schema at /openapi.json."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ..errors import InputError
from ..read import article_from_text, read_bytes
from ..records import Article
from ..store import Store, TimelineFilter
from ..store.browse import article_view, latest_articles, search_articles, top_dyads
from ..store.timeline import cursor_of
from .app import StoreDep, check_write_token
from .cache import AnswerCache

router = APIRouter(prefix="/api", tags=["api"])

STATE = r"^[A-Za-z]{3}$"
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
TYPE = r"^[A-Za-z]{3,12}$"
STATUS = r"^(occurred|planned|speculated|hypothetical|negated)$"
FUSED_ID = r"^fe_[0-9a-f]{16}$"


class TimelineQuery(BaseModel):
    actor: str | None = Field(None, max_length=100, description="a state code (KOR) or words of an actor's name")
    country: str | None = Field(None, pattern=STATE, description="a state on either side")
    type: str | None = Field(None, pattern=TYPE, description="PLOVER type, e.g. CONSULT")
    status: str | None = Field(None, pattern=STATUS)
    since: str | None = Field(None, pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD")
    until: str | None = Field(None, pattern=DATE, description="inclusive at its own precision")
    min_sources: int = Field(1, ge=1, le=1000)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)
    newest_first: bool = Field(False, description="latest dates first")
    after: str | None = Field(None, max_length=60, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?~fe_[0-9a-f]{16}$",
                              description="page cursor: the 'next' value of the previous page (fast at any depth)")

    def filter(self) -> TimelineFilter:
        return TimelineFilter(self.actor or None, self.country, self.type, self.status, self.since, self.until,
                              self.min_sources, self.limit, self.offset, self.newest_first, self.after)


def timeline_page(store: Store, q: TimelineQuery, answers: AnswerCache | None = None) -> dict[str, Any]:
    """One page and the filtered total; the total is kept in ``answers`` until the next write (every page of one
    filter shares it, and on a country filter it is a scan of the whole table)."""
    flt = q.filter()
    items = store.timeline(replace(flt, limit=q.limit + 1))  # one more tells whether a next page exists
    more = len(items) > q.limit
    items = items[: q.limit]
    # the total ignores the cursor: it counts the whole filtered timeline
    whole = replace(flt, after=None, limit=None, offset=0)
    total = (answers.memo(("timeline_count", whole), lambda: store.timeline_count(whole)) if answers is not None
             else store.timeline_count(whole))
    return {"total": total, "limit": q.limit, "offset": q.offset, "after": q.after, "items": items,
            "next": cursor_of(items[-1]) if more else None}


def overview_data(store: Store) -> dict[str, Any]:
    return {
        "counts": store.counts(),
        "latest": store.timeline(TimelineFilter(limit=10, newest_first=True)),
        "dyads": top_dyads(store.con, 10),
        "articles": latest_articles(store.con, 10),
    }


@router.get("/overview", summary="Counts, the latest fused events, the most active pairs of states")
def overview(store: Store = StoreDep) -> dict[str, Any]:
    return overview_data(store)


@router.get("/search", summary="Articles whose title or text holds every word of q")
def search(q: Annotated[str, Query(min_length=1, max_length=200)], store: Store = StoreDep,
           limit: Annotated[int, Query(ge=1, le=100)] = 20,
           offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> dict[str, Any]:
    return {"q": q, "items": search_articles(store.con, q, limit, offset)}


@router.get("/timeline", summary="Fused events in date order, filtered, one page")
def timeline(request: Request, q: Annotated[TimelineQuery, Query()], store: Store = StoreDep) -> JSONResponse:
    return JSONResponse(timeline_page(store, q, request.app.state.answers))  # plain JSON already: skip re-encoding


@router.get("/events/{fused_id}", summary="One fused event: every report, its article and evidence, disagreements")
def event(fused_id: Annotated[str, Path(pattern=FUSED_ID)], store: Store = StoreDep) -> JSONResponse:
    found = store.fused_event(fused_id)
    if found is None:
        raise HTTPException(404, f"no fused event {fused_id}")
    return JSONResponse(found)


@router.get("/articles/{article_id}", summary="One article: cleaned text, its events and actor mentions (offsets)")
def article(article_id: Annotated[str, Path(min_length=1, max_length=300)], store: Store = StoreDep) -> dict[str, Any]:
    found = article_view(store.con, article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    return found


@router.get("/actors", summary="Actors mentioned, most mentioned first")
def actors(store: Store = StoreDep, kind: Annotated[str | None, Query(pattern=r"^(person|organization|state|group)$")] = None,
           country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
           limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    return {"items": [e.to_dict() for e in store.entities(kind, country, limit)]}


@router.get("/actors/{name}", summary="One actor: roles over time, spellings, events, probable variants")
def actor(name: Annotated[str, Path(min_length=1, max_length=200)], store: Store = StoreDep) -> dict[str, Any]:
    found = store.entity(name)
    if found is None:
        raise HTTPException(404, f"no actor matches {name!r}")
    return found


def dyad_data(store: Store, a: str, b: str, by: str, since: str | None, until: str | None) -> dict[str, Any]:
    from ..views import dyad_series

    series = dyad_series(store.view_events(since, until), a.upper(), b.upper(), by=by)  # type: ignore[arg-type]
    return {"a": a.upper(), "b": b.upper(), "by": by, "skipped": series.skipped,
            "periods": [{**p.__dict__, "counts": p.counts} for p in series]}


By = Annotated[Literal["week", "month"], Query()]
Since = Annotated[str | None, Query(pattern=DATE)]


@router.get("/dyads/{a}/{b}", summary="Events per quad class and intensity per period between two states")
def dyad(a: Annotated[str, Path(pattern=STATE)], b: Annotated[str, Path(pattern=STATE)], store: Store = StoreDep,
         by: By = "month", since: Since = None, until: Since = None) -> dict[str, Any]:
    if a.upper() == b.upper():
        raise HTTPException(422, "a dyad needs two different states")
    return dyad_data(store, a, b, by, since, until)


def _png(draw: Any, *args: Any) -> bytes:
    import tempfile
    from pathlib import Path as FsPath

    with tempfile.TemporaryDirectory() as tmp:
        out = FsPath(tmp) / "chart.png"
        draw(*args, out)
        return out.read_bytes()


@router.get("/dyads/{a}/{b}/chart.png", summary="The dyad's trend as a PNG chart", response_class=Response)
def dyad_chart(a: Annotated[str, Path(pattern=STATE)], b: Annotated[str, Path(pattern=STATE)], store: Store = StoreDep,
               by: By = "month", since: Since = None, until: Since = None) -> Response:
    from ..views import dyad_series, plot_dyad

    if a.upper() == b.upper():
        raise HTTPException(422, "a dyad needs two different states")
    series = dyad_series(store.view_events(since, until), a.upper(), b.upper(), by=by)
    return Response(_png(plot_dyad, series, a.upper(), b.upper()), media_type="image/png",
                    headers={"Cache-Control": "no-store"})


@router.get("/network", summary="The alignment network: states, net cooperation and conflict, communities")
def network(store: Store = StoreDep, since: Since = None, until: Since = None) -> dict[str, Any]:
    from ..views import alignment_graph, graph_to_json

    return graph_to_json(alignment_graph(store.view_events(since, until), since=since, until=until))


@router.get("/network.png", summary="The alignment network drawn as a PNG", response_class=Response)
def network_chart(store: Store = StoreDep, since: Since = None, until: Since = None) -> Response:
    from ..views import alignment_graph, plot_graph

    g = alignment_graph(store.view_events(since, until), since=since, until=until)
    return Response(_png(plot_graph, g), media_type="image/png", headers={"Cache-Control": "no-store"})


class PastedArticle(BaseModel):
    text: str = Field(min_length=1, max_length=1_000_000, description="the article; its first line is the title")
    title: str | None = Field(None, max_length=500)
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    outlet: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000)


def store_articles(request: Request, items: list[Article | InputError]) -> dict[str, Any]:
    """Code and store, one write at a time, as `communique ingest` does."""
    from ..api import ingest_items

    with request.app.state.write_lock:
        try:
            summary = ingest_items(request.app.state.store, items)
        finally:
            request.app.state.answers.invalidate()  # committed (or rolled back): earlier answers may be stale
    return {"new": summary.new, "present": summary.present, "failed": summary.failed, "events": summary.events,
            "errors": summary.errors}


def pasted(body: PastedArticle) -> Article | InputError:
    article_id = "paste-" + hashlib.sha256(body.text.encode("utf-8")).hexdigest()[:12]
    return article_from_text(body.text, article_id, title=body.title, published=body.published, outlet=body.outlet,
                             url=body.url, source_path="paste")


@router.post("/articles", summary="Code and store one pasted article (token needed off loopback)",
             dependencies=[Depends(check_write_token)])
def post_article(request: Request, body: PastedArticle) -> dict[str, Any]:
    return store_articles(request, [pasted(body)])


@router.post("/uploads", summary="Code and store uploaded files: .txt, .html, .json, .jsonl (token needed off loopback)",
             dependencies=[Depends(check_write_token)])
async def upload(request: Request, files: Annotated[list[UploadFile], File(description="article files")]) -> dict[str, Any]:
    # coding takes seconds: off the event loop, so every other request keeps being answered meanwhile
    return await run_in_threadpool(store_articles, request, await read_uploads(files))


async def read_uploads(files: list[UploadFile]) -> list[Article | InputError]:
    items: list[Article | InputError] = []
    for f in files[:100]:
        name = (f.filename or "upload.txt").replace("/", "_").replace("\\", "_")[:200]
        items.extend(read_bytes(await f.read(), name))
    return items
