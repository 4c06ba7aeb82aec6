"""The API's one response shape and one error shape, pagination, and CSV output.

Success: ``{"data": [...], "meta": {"total", "page", "page_size", "pages", ...}, "links": {"self", "next", "prev"}}``
(or ``{"data": {...}}`` for one object). Error: ``{"error": {"status", "code", "message"}}`` - the same for a bad
parameter (400/422), an unknown name (404), a missing build (503), a busy or slow scenario (429/504) and a bug
(500, without internals); "retry later" answers (429, 503 while the warehouse is locked) carry ``Retry-After``.
Messages go through :func:`lmc.web.errors.public_message` (no server path, no process id). ``format=csv``
returns the same rows as ``text/csv``.

Links are relative (path and query): an address never echoes the ``Host`` header a client sent. Numbers that are
not finite (NaN, ±Inf: a share of zero visitors, an overflowing projection) are ``null`` in JSON, which has no
such numbers, and empty in CSV.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from lmc.web.errors import public_message

DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 5000

Format = Literal["json", "csv"]


class ErrorBody(BaseModel):
    status: int = Field(description="HTTP status code.")
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid_parameter.")
    message: str = Field(description="What went wrong and how to fix it (valid values, did-you-mean).")


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class PageMeta(BaseModel):
    total: int
    page: int
    page_size: int
    pages: int


class Links(BaseModel):
    self: str
    next: str | None = None
    prev: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorEnvelope, "description": "Invalid parameter (message lists valid values)."},
    404: {"model": ErrorEnvelope, "description": "Unknown unit, pair, scenario or file."},
    422: {"model": ErrorEnvelope, "description": "Parameter of the wrong type or out of range."},
    503: {"model": ErrorEnvelope, "description": "The index has not been built yet (run `lmc build`)."},
}

TABULAR: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {"description": "The envelope (format=json) or the page's rows as CSV (format=csv).",
          "content": {"text/csv": {"schema": {"type": "string"}}}},
}
"""``responses=`` of endpoints that also answer ``format=csv``."""

CODES = {400: "invalid_parameter", 404: "not_found", 405: "method_not_allowed", 422: "invalid_parameter",
         429: "busy", 500: "internal_error", 503: "not_available", 504: "timeout"}
"""The code of an error that has no code of its own (see :mod:`lmc.web.errors` for those that do)."""


def error_response(status: int, message: str, code: str | None = None,
                   retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return JSONResponse({"error": {"status": status, "code": code or CODES.get(status, "error"),
                                   "message": public_message(message)}}, status_code=status, headers=headers)


class Paging:
    """``page`` and ``page_size`` of one request (see :func:`paging`)."""

    __slots__ = ("page", "page_size")

    def __init__(self, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.page = page
        self.page_size = page_size


async def paging(page: int = Query(1, ge=1, le=1_000_000, description="Page number, from 1."),
                 page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                                        description=f"Rows per page (default {DEFAULT_PAGE_SIZE}).")) -> Paging:
    """The paging dependency. Async on purpose: FastAPI runs sync dependencies in a thread pool, a hop that
    costs more than the work on the hot path of score queries."""
    return Paging(page, page_size)


def relative_url(request: Request, **params: Any) -> str:
    """This request's path and query, with ``params`` replaced: a relative link that ignores the Host header."""
    url = request.url.include_query_params(**params) if params else request.url
    return url.path + (f"?{url.query}" if url.query else "")


def finite(obj: Any) -> Any:
    """``obj`` with every float that is not finite replaced by ``None``, recursively (dicts, lists, tuples)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj


def _dumps(obj: Any) -> bytes:
    try:  # the common case, at full speed: nothing to replace
        text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=str)
    except ValueError:  # NaN or Inf somewhere: null, as documented
        text = json.dumps(finite(obj), ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=str)
    return text.encode("utf-8")


class FastJSON(JSONResponse):
    """JSON without re-validation of large row lists (rows are already plain Python)."""

    def render(self, content: Any) -> bytes:
        return _dumps(content)


def to_csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    cols = columns or (list(rows[0].keys()) if rows else [])
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if (v := finite(r.get(k))) is None else v) for k in cols})
    return buf.getvalue()


def paginated(request: Request, rows: list[dict[str, Any]], paging: Paging, fmt: Format = "json",
              columns: list[str] | None = None, **meta: Any) -> Response:
    """One page of ``rows`` in the envelope (JSON) or as CSV (the page's rows, with paging in headers)."""
    total = len(rows)
    pages = max(1, math.ceil(total / paging.page_size))
    start = (paging.page - 1) * paging.page_size
    chunk = rows[start:start + paging.page_size]
    if columns is None and rows:
        columns = list(rows[0].keys())
    if columns is not None:
        chunk = [{k: r.get(k) for k in columns} for r in chunk]
    headers = {"X-Total-Count": str(total), "X-Page": str(paging.page), "X-Pages": str(pages)}
    if fmt == "csv":
        return Response(to_csv(chunk, columns), media_type="text/csv; charset=utf-8", headers=headers)
    body = {
        "data": chunk,
        "meta": {"total": total, "page": paging.page, "page_size": paging.page_size, "pages": pages, **meta},
        "links": {"self": relative_url(request),
                  "next": relative_url(request, page=paging.page + 1) if paging.page < pages else None,
                  "prev": relative_url(request, page=paging.page - 1) if 1 < paging.page <= pages else None},
    }
    return FastJSON(body, headers=headers)


def single(data: Any, **meta: Any) -> Response:
    return FastJSON({"data": data, "meta": meta})


