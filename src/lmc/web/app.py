"""``create_app(settings)``: the observatory's FastAPI application (pages, ``/api/v1``, static files, downloads).

Read-only by design: the app reads the build's output folder and the warehouse (read-only connections) and keeps
its caches in memory (score responses, scenario results, PDFs, the corridor timetable). Scenario runs and PDF
renders go to a bounded pool of limited worker processes (:mod:`lmc.web.workers`), whose library caches and
temporary files go to the one folder the app may write, :func:`web_cache_dir` (``<home>/cache/web``). Every
response carries security headers (a strict Content-Security-Policy: scripts only from this origin, no framing,
no sniffing, no referrer). Errors under ``/api`` use the one envelope of :mod:`lmc.web.api.envelope`; pages show
a localised error page; neither shows a server path, a process id or a library's internals (:mod:`lmc.web.errors`).
"""

from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lmc import __version__
from lmc.config import Settings, get_settings
from lmc.errors import LmcError
from lmc.web.api import api_router
from lmc.web.api.envelope import error_response
from lmc.web.bounds import param_range
from lmc.web.errors import WAREHOUSE_BUSY, WarehouseBusy, is_lock_error, message_of, public_status
from lmc.web.store import Store
from lmc.web.workers import Limits, ResultCache, WorkerPool

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger("lmc.web")

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
     b"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
     b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)
"""Added to every response. 'unsafe-inline' is for styles only (Plotly sets element styles); no inline script."""


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task overhead) adding :data:`SECURITY_HEADERS`, and answering HEAD
    like GET without the body (FastAPI routes declare GET only; link checkers and ``curl -I`` send HEAD)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope.get("method") == "HEAD"
        if head:
            scope = dict(scope, method="GET")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in have]
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, wrapped)


WORKERS = 2
"""Jobs (scenario runs, PDF renders) at once by default: one per core of a small server."""

SCENARIO_RESULTS_KEPT = 64
PDFS_KEPT = 16


def web_cache_dir(settings: Settings) -> Path:
    """The one folder the app writes: its worker processes' temporary files and library caches (fontconfig,
    matplotlib), and what the engines cache while they run a job (see :func:`job_settings`). Everything else the
    app keeps is in memory."""
    return settings.cache_dir / "web"


def job_settings(settings: Settings) -> Settings:
    """The settings a worker job runs with: the app's warehouse and mirrors, but a home inside the declared cache
    (``<home>/cache/web/home``), so that whatever an engine caches under its home (lmc.flows keeps back-cast
    results there) stays in the one folder the app writes."""
    return settings.model_copy(update={"home": web_cache_dir(settings) / "home"})


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _validation_message(exc: RequestValidationError, request: Request) -> tuple[str, str]:
    """(message, code) of a request that failed validation: ``out_of_range`` with the whole allowed range when
    every reported problem is a number out of its range, else ``invalid_parameter``."""
    parts, ranges = [], 0
    for e in exc.errors()[:3]:
        if e.get("type") == "json_invalid":  # loc is ("body", character position), not a parameter name
            pos = next((x for x in e.get("loc", ())[1:] if isinstance(x, int)), None)
            detail = (e.get("ctx") or {}).get("error") or e.get("msg", "JSON decode error")
            parts.append(f"request body: not valid JSON ({detail}" + (f" at position {pos})" if pos is not None
                                                                       else ")"))
            continue
        loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body")]
        where = ".".join(loc) or "request"
        rng = param_range(request.scope.get("route"), tuple(e.get("loc", ()))) if e.get("type") in _RANGE_ERRORS \
            else None
        if rng is not None:
            ranges += 1
            parts.append(f"parameter {where!r}: {str(e.get('input'))[:40]} is out of range; allowed "
                         f"{rng.describe()}")
        else:
            parts.append(f"parameter {where!r}: {e.get('msg', 'invalid')}")
    code = "out_of_range" if parts and ranges == len(parts) else "invalid_parameter"
    return "; ".join(parts) or "invalid request", code


_FASTAPI_BODY_ERROR = "There was an error parsing the body"
"""FastAPI's 400 detail when decoding the body fails other than by ``json.JSONDecodeError`` (a body that is not
UTF-8, or JSON nested too deeply); a plain JSON syntax error is a 422 ``RequestValidationError`` instead."""


def _malformed_body_message(exc: StarletteHTTPException) -> str | None:
    """The 422 message for FastAPI's body-parsing 400, or ``None`` for any other HTTP exception. Every malformed
    body then gets the same answer - 422 in the one envelope - whatever the reason it cannot be decoded."""
    if exc.status_code != 400 or exc.detail != _FASTAPI_BODY_ERROR:
        return None
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        why = f"not UTF-8: byte {cause.object[cause.start:cause.start + 1]!r} at position {cause.start}"
    elif isinstance(cause, RecursionError):
        why = "nested too deeply"
    else:
        why = f"{type(cause).__name__}: {cause}" if cause else "cannot be decoded"
    return f"request body: not valid JSON ({why})"


def create_app(settings: Settings | None = None, *, out_dir: Path | None = None, workers: int = WORKERS,
               limits: Limits | None = None, warm: bool = False) -> FastAPI:
    """The observatory app over ``out_dir`` (default ``settings.out_dir``, where ``lmc build`` writes), running at
    most ``workers`` scenario runs or PDF renders at once under ``limits``. ``warm`` starts the worker processes
    with the app rather than at the first job (``lmc serve`` does)."""
    from lmc.web.pages import page_router, render_error

    settings = settings or get_settings()
    # a library that caches on import (matplotlib's font list) writes into the declared cache, not under $HOME
    os.environ.setdefault("MPLCONFIGDIR", str(web_cache_dir(settings) / "matplotlib"))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:
            app.state.pool.start()
        yield  # the pool stops at exit (WorkerPool registers that), not per lifespan: tests run many lifespans

    app = FastAPI(
        title="LMC Observatory API",
        version=__version__,
        description=("Soft connectivity in the Lancang-Mekong region: the Soft Connectivity Index (scores, ranks, "
                     "rank intervals, indicators with sources), scenarios, the rail corridor planner, traveller "
                     "manuals and cooperation mechanisms. Read-only. Responses: `{data, meta, links}` (links "
                     "relative); errors: `{error: {status, code, message}}`, with `Retry-After` on 429 and 503 "
                     "busy; pagination `page`/`page_size` (default 500); `format=csv` on tabular endpoints; "
                     "numbers that are not finite (NaN, Inf) are `null`."),
        # FastAPI's Swagger UI loads its scripts from a CDN; the observatory renders its own docs page from the
        # same OpenAPI spec instead (``/api/docs``, in :mod:`lmc.web.pages`), so nothing leaves the machine.
        docs_url=None, redoc_url=None, openapi_url="/api/v1/openapi.json", lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = Store(Path(out_dir) if out_dir else settings.out_dir)
    app.state.job_settings = job_settings(settings)
    app.state.pool = WorkerPool(workers, limits, cache_dir=web_cache_dir(settings))
    app.state.results = ResultCache(SCENARIO_RESULTS_KEPT)
    app.state.pdfs = ResultCache(PDFS_KEPT)

    @app.exception_handler(LmcError)
    async def _lmc_error(request: Request, exc: LmcError) -> Response:
        if is_lock_error(exc):  # DuckDB's lock text, paths and PID never reach a client
            exc = WarehouseBusy(WAREHOUSE_BUSY)
        status, code = public_status(exc)
        retry = getattr(exc, "retry_after", None)
        if _is_api(request):
            return error_response(status, message_of(exc), code, retry)
        resp = render_error(request, status, message_of(exc))
        if retry:
            resp.headers["Retry-After"] = str(retry)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        msg, code = _validation_message(exc, request)
        if _is_api(request):
            return error_response(422, msg, code)
        return render_error(request, 422, msg)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status, msg = exc.status_code, str(exc.detail) if exc.detail else "error"
        if (body_msg := _malformed_body_message(exc)) is not None:
            status, msg = 422, body_msg  # like a JSON syntax error (RequestValidationError), not FastAPI's 400
        if _is_api(request) or status == 405:
            resp = error_response(status, msg)
        else:
            resp = render_error(request, status, msg)
        for k, v in (exc.headers or {}).items():
            resp.headers[k] = v
        return resp

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(500, "internal error; the server log has the details.")

    app.include_router(api_router())

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        """Plotly from the installed ``plotly`` package: no CDN, and the version matches the Python library."""
        import plotly

        path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
        return FileResponse(path, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(page_router())
    app.add_middleware(SecurityHeaders)
    return app
