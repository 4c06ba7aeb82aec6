"""The API's one response shape and one error shape, pagination, and CSV output.

Success: ``{"data": [...], "meta": {"total", "page", "page_size", "pages", ...}, "links": {"self", "next", "prev"}}``
(or ``{"data": {...}}`` for one object). Error: ``{"error": {"status", "code", "message"}}`` - the same for a bad
parameter (400/422), an unknown name (404), a missing build (503), a busy or slow scenario (429/504) and a bug
(500, without internals). ``format=csv`` returns the same rows as ``text/csv``.
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


def error_response(status: int, message: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code or CODES.get(status, "error"), "message": message}},
                        status_code=status)


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


def _link(request: Request, page: int) -> str:
    return str(request.url.include_query_params(page=page))


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=str).encode("utf-8")


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
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in cols})
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
        "links": {"self": str(request.url),
                  "next": _link(request, paging.page + 1) if paging.page < pages else None,
                  "prev": _link(request, paging.page - 1) if 1 < paging.page <= pages else None},
    }
    return FastJSON(body, headers=headers)


def single(data: Any, **meta: Any) -> Response:
    return FastJSON({"data": data, "meta": meta})


