"""The HTML pages. Each renders the same data as its JSON twin under /api (linked from the page)."""

from __future__ import annotations

import secrets
from pathlib import Path as FsPath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import ValidationError

from ..store import Store
from ..store.browse import article_view, search_articles
from . import api
from .app import READ_ONLY_MESSAGE, StoreDep, WebConfig, token_ok

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=FsPath(__file__).resolve().parent / "templates")
CSRF_COOKIE = "communique_csrf"


def render(request: Request, name: str, twin: str | None, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"twin": twin, **context})


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: Store = StoreDep,
             q: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
    data = api.overview_data(store)
    results = search_articles(store.con, q, 20) if q else None
    twin = f"/api/search?q={quote(q)}" if q else "/api/overview"
    return render(request, "overview.html", twin, q=q, results=results, **data)


@router.get("/timeline", response_class=HTMLResponse)
def timeline(request: Request, q: Annotated[api.TimelineQuery, Query()], store: Store = StoreDep) -> HTMLResponse:
    page = api.timeline_page(store, q, request.app.state.answers)
    query = {k: v for k, v in q.model_dump().items()
             if k not in ("after", "offset") and (v not in (None, "", 1, 0, False) or k == "limit")}
    # paging goes forward by cursor (fast at any depth); back to the start by dropping it
    prev_q = query if (q.after or q.offset) else None
    next_q = {**query, "after": page["next"]} if page["next"] else None
    return render(request, "timeline.html", "/api/timeline?" + str(request.url.query), page=page, q=q,
                  prev_q=prev_q, next_q=next_q)


def highlight(excerpt: dict[str, Any], start: int, end: int) -> Markup:
    """The evidence sentence marked inside the text around it (escaped); offsets are the article's."""
    text, lo = excerpt["text"], excerpt["start"]
    s, e = max(0, start - lo), max(0, end - lo)
    before = ("…" if lo else "") + text[:s]
    after = text[e:] + ("" if excerpt["whole"] else "…")
    return Markup("{}<mark class=\"evidence\">{}</mark>{}").format(before, text[s:e], after)


@router.get("/events/{fused_id}", response_class=HTMLResponse)
def event(request: Request, fused_id: Annotated[str, Path(pattern=api.FUSED_ID)], store: Store = StoreDep) -> HTMLResponse:
    found = store.fused_event(fused_id)
    if found is None:
        raise HTTPException(404, f"no fused event {fused_id}")
    for rep in found["reports"]:
        ev = rep["evidence"]
        rep["context"] = highlight(rep["article"]["excerpt"], ev["start"], ev["end"])
    return render(request, "event.html", f"/api/events/{fused_id}", e=found)


def annotate(text: str, mentions: list[dict[str, Any]], events: list[dict[str, Any]]) -> list[Markup]:
    """Paragraphs of the text, escaped, with actor mentions and event sentences marked and linked."""
    cuts = {0, len(text)}
    spans = []
    for e in events:
        s, t = e["evidence"]["start"], e["evidence"]["end"]
        spans.append(("event", s, t, e))
        cuts |= {s, t}
    for m in mentions:
        spans.append(("actor", m["start_char"], m["end_char"], m))
        cuts |= {m["start_char"], m["end_char"]}
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    pieces: list[Markup] = []
    for lo, hi in zip(points, points[1:], strict=False):
        chunk: Markup = escape(text[lo:hi])
        actor = next((x for k, s, t, x in spans if k == "actor" and s <= lo and hi <= t), None)
        if actor is not None:
            label = " · ".join(str(v) for v in (actor["name"], actor["country"], actor["sector"], actor["role"]) if v)
            chunk = Markup('<span class="actor" title="{}">{}</span>').format(label, chunk)
        covering = [x for k, s, t, x in spans if k == "event" and s <= lo and hi <= t]
        if covering:
            e = covering[0]
            target = f"/events/{e['fused_id']}" if e.get("fused_id") else "#"
            title = " / ".join(f"{x['event_type']} {x['date'] or ''}".strip() for x in covering)
            chunk = Markup('<a class="evidence" href="{}" title="{}">{}</a>').format(target, title, chunk)
        pieces.append(chunk)
    joined = Markup("").join(pieces)
    return [Markup(p) for p in str(joined).split("\n\n") if p.strip()]


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: Annotated[str, Path(min_length=1, max_length=300)], store: Store = StoreDep) -> HTMLResponse:
    found = article_view(store.con, article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id}")
    paragraphs = annotate(found["text"], found["mentions"], found["events"])
    return render(request, "article.html", f"/api/articles/{quote(article_id)}", a=found, paragraphs=paragraphs)


@router.get("/actors/{name}", response_class=HTMLResponse)
def actor(request: Request, name: Annotated[str, Path(min_length=1, max_length=200)], store: Store = StoreDep) -> HTMLResponse:
    found = store.entity(name)
    if found is None:
        raise HTTPException(404, f"no actor matches {name!r}")
    return render(request, "actor.html", f"/api/actors/{quote(name)}", p=found)


@router.get("/dyads", response_class=HTMLResponse)
def dyad_form(a: Annotated[str, Query(pattern=api.STATE)], b: Annotated[str, Query(pattern=api.STATE)]) -> Response:
    return RedirectResponse(f"/dyads/{a.upper()}/{b.upper()}", status_code=303)


@router.get("/dyads/{a}/{b}", response_class=HTMLResponse)
def dyad(request: Request, a: Annotated[str, Path(pattern=api.STATE)], b: Annotated[str, Path(pattern=api.STATE)],
         store: Store = StoreDep, by: api.By = "month", since: api.Since = None, until: api.Since = None) -> HTMLResponse:
    if a.upper() == b.upper():
        raise HTTPException(422, "a dyad needs two different states")
    data = api.dyad_data(store, a, b, by, since, until)
    query = str(request.url.query)
    return render(request, "dyad.html", f"/api/dyads/{a.upper()}/{b.upper()}?{query}", d=data,
                  chart=f"/api/dyads/{a.upper()}/{b.upper()}/chart.png?{query}")


@router.get("/network", response_class=HTMLResponse)
def network(request: Request, store: Store = StoreDep, since: api.Since = None, until: api.Since = None) -> HTMLResponse:
    data = api.network(store, since, until)
    query = str(request.url.query)
    return render(request, "network.html", f"/api/network?{query}", g=data, since=since, until=until,
                  chart=f"/api/network.png?{query}")


def _form_context(request: Request) -> dict[str, Any]:
    config: WebConfig = request.app.state.config
    return {"needs_token": config.writes_need_token, "read_only": config.read_only}


@router.get("/submit", response_class=HTMLResponse)
def submit_form(request: Request) -> HTMLResponse:
    csrf = secrets.token_urlsafe(24)
    response = render(request, "submit.html", None, csrf=csrf, result=None, error=None, **_form_context(request))
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    return response


@router.post("/submit", response_class=HTMLResponse)
async def submit(
    request: Request,
    csrf: Annotated[str, Form(max_length=100)],
    text: Annotated[str, Form(max_length=1_000_000)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    published: Annotated[str, Form(max_length=10)] = "",
    token: Annotated[str, Form(max_length=500)] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> HTMLResponse:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, csrf):
        raise HTTPException(403, "the form has expired or came from another site: reload /submit and send it again")
    context = {"csrf": csrf, **_form_context(request)}
    if request.app.state.config.read_only:
        raise HTTPException(403, READ_ONLY_MESSAGE)
    if not token_ok(request.app.state.config, token):
        return render(request, "submit.html", None, result=None, error="a valid token is needed to add articles here",
                      **context)
    items: list[Any] = []
    if text.strip():
        try:
            body = api.PastedArticle(text=text, title=title or None, published=published or None, outlet=None, url=None)
        except ValidationError as exc:
            return render(request, "submit.html", None, result=None, error=str(exc.errors()[0]["msg"]), **context)
        items.append(api.pasted(body))
    real_files = [f for f in (files or []) if f.filename]
    items.extend(await api.read_uploads(real_files))
    if not items:
        return render(request, "submit.html", None, result=None, error="paste an article or choose files", **context)
    result = await run_in_threadpool(api.store_articles, request, items)  # off the event loop: reads go on
    return render(request, "submit.html", None, result=result, error=None, **context)
