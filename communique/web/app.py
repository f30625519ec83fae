"""The web app: one ASGI application (FastAPI) over one communique database.

- Reads: every request gets its own cursor on the one open database (DuckDB lets one process write; the app is
  that process, so `communique ingest` on the same file must wait, or send articles through `POST /api/articles`).
- Writes (paste, upload) are coded and stored one at a time behind a lock, exactly as `communique ingest` does.
  Whenever the app is bound beyond loopback, a write needs the token (`--token` or ``COMMUNIQUE_TOKEN``); without
  a token configured, writes are then refused.
- Safety: every page escapes what it shows (Jinja2 autoescape), bodies over the limit get 413, query parameters are
  validated and reach DuckDB only as bound parameters, and every response carries a CSP without inline script,
  nosniff and frame-ancestors 'none'. Assets are served by the app itself; nothing is fetched from a CDN.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store import Store
from .cache import DEFAULT_MAX_BYTES, AnswerCache, ReadCache

logger = logging.getLogger(__name__)

TOKEN_ENV = "COMMUNIQUE_TOKEN"
CONFIG_ENV = "COMMUNIQUE_WEB_CONFIG"  # the config, as JSON, for worker processes started by uvicorn
READ_ONLY_MESSAGE = ("this server is read-only (serve --read-only or --workers > 1): add articles with "
                     "`communique ingest` while no server has the file open, or serve with one process")
DEFAULT_MAX_BODY = 5_000_000  # bytes: a large article is ~100 kB; an upload of a few dozen files fits
STATIC_DIR = Path(__file__).resolve().parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class WebConfig:
    db: str
    host: str = "127.0.0.1"
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    cache_bytes: int = DEFAULT_MAX_BYTES  # answers to repeated reads kept until the next write; 0 keeps none
    read_only: bool = False  # open the database read-only and refuse writes: what lets several processes serve it

    @property
    def writes_need_token(self) -> bool:
        return not is_loopback(self.host) or bool(self.token)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every answer (a plain ASGI middleware: no per-request task or body copy)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # the interactive API docs need their own script; the rest of the app never runs inline script
        skip_csp = scope.get("path") == "/api/docs"

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present and not (skip_csp and name == "Content-Security-Policy"):
                        headers.append((name.lower().encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, add_headers)


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, whether or not the client declared a length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(send)
            return
        if scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        # read the body first (it is small by definition), so an oversized one never reaches a parser that would
        # report it as malformed
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await self._too_large(send)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        body = (f'{{"detail": "request body over {self.limit} bytes; send smaller files or raise --max-body"}}').encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def create_app(config: WebConfig) -> FastAPI:
    """The app over ``config.db``; the database is opened (and migrated) once, here."""
    from . import api, pages

    store = Store(config.db, read_only=config.read_only)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="communique",
        summary="Sourced interstate events from news: fused events, timelines, dyads, the alignment network.",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.store = store
    app.state.config = config
    app.state.write_lock = threading.Lock()
    app.state.answers = AnswerCache(max_bytes=config.cache_bytes)

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # outermost last: body limit -> security headers (on cached answers too) -> cache -> routes
    if config.cache_bytes > 0:
        app.add_middleware(ReadCache, cache=app.state.answers)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    app.add_middleware(BodyLimit, limit=config.max_body)  # type: ignore[arg-type]

    return app


def reader(request: Request) -> Iterator[Store]:
    """A cursor of the app's database for this request."""
    view: Store = request.app.state.store.cursor()
    try:
        yield view
    finally:
        view.close()


def check_write_token(request: Request, authorization: str | None = Header(default=None)) -> None:
    """Writes off loopback need ``Authorization: Bearer TOKEN`` (or the form's token field, checked by the page)."""
    config: WebConfig = request.app.state.config
    if config.read_only:
        raise HTTPException(403, READ_ONLY_MESSAGE)
    if not config.writes_need_token:
        return
    if not config.token:
        raise HTTPException(403, "writes are disabled: the server is bound beyond loopback without a token; "
                                 "restart it with --token or COMMUNIQUE_TOKEN")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), config.token.encode()):
        raise HTTPException(401, "this server needs a token for writes: send 'Authorization: Bearer TOKEN'")


def token_ok(config: WebConfig, given: str | None) -> bool:
    if config.read_only:
        return False
    if not config.writes_need_token:
        return True
    return bool(config.token) and hmac.compare_digest((given or "").encode(), (config.token or "").encode())


StoreDep = Depends(reader)


def app_from_environment() -> FastAPI:
    """The app for one of several worker processes: uvicorn imports this factory in each, with the config that
    `communique serve --workers N` put in COMMUNIQUE_WEB_CONFIG."""
    import json

    raw = os.environ.get(CONFIG_ENV)
    if not raw:
        raise RuntimeError(f"{CONFIG_ENV} is not set: start the server with `communique serve`")
    return create_app(WebConfig(**json.loads(raw)))


def config_from_env(db: str, host: str, token: str | None, max_body: int = DEFAULT_MAX_BODY,
                    cache_bytes: int = DEFAULT_MAX_BYTES, read_only: bool = False) -> WebConfig:
    return WebConfig(db=db, host=host, token=token or os.environ.get(TOKEN_ENV) or None, max_body=max_body,
                     cache_bytes=cache_bytes, read_only=read_only)
