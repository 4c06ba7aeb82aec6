"""``GET /api/v1/scores``: Soft Connectivity Index scores and ranks, filtered by level, unit, year and pillar."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from lmc.web.api.deps import built, check_choice
from lmc.web.api.envelope import TABULAR, Links, PageMeta, Paging, paginated, paging
from lmc.web.errors import BadParameter
from lmc.web.store import LEVELS, BuiltIndex

router = APIRouter(tags=["scores"])

COLUMNS = ["unit", "year", "pillar", "score", "rank", "level"]

_CACHE_SIZE = 1024
_cache: OrderedDict[tuple[int, str], tuple[bytes, str, dict[str, str]]] = OrderedDict()
_cache_lock = threading.Lock()
_owner: list[BuiltIndex] = []  # the build the cache belongs to; a new build empties it
"""Rendered responses of recent score queries, keyed by (build object, query string). A build is immutable, so
an entry stays right until the store loads a new build (a new object, a new key). Score queries are the hot path
of the API (the explorer, dashboards polling); serving stored bytes keeps p95 low under concurrency."""


def _cached(b: BuiltIndex, query: str) -> Response | None:
    with _cache_lock:
        if not _owner or _owner[0] is not b:
            _cache.clear()
            _owner[:] = [b]
        hit = _cache.get((id(b), query))
        if hit is not None:
            _cache.move_to_end((id(b), query))
    if hit is None:
        return None
    body, media, headers = hit
    return Response(body, media_type=media, headers=headers)


def _store(b: BuiltIndex, query: str, resp: Response) -> None:
    headers = {k: v for k, v in resp.headers.items() if k.lower().startswith("x-")}
    with _cache_lock:
        if not _owner or _owner[0] is not b:
            return
        _cache[(id(b), query)] = (bytes(resp.body), resp.media_type or "application/json", headers)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


class ScoreRow(BaseModel):
    unit: str
    year: int
    pillar: str
    score: float | None
    rank: int | None
    level: str


class ScoresPage(BaseModel):
    data: list[ScoreRow]
    meta: PageMeta
    links: Links


@router.get("/scores", summary="Index and pillar scores", response_model=ScoresPage, responses=TABULAR)
async def scores(
    request: Request,
    level: Literal["country", "pair", "province"] | None = Query(None, description="country, pair or province."),
    unit: str | None = Query(None, max_length=24, pattern=r"^[A-Za-z0-9>-]+$",
                             description="ISO3 country, pair 'CHN-LAO' or province code."),
    year: int | None = Query(None, ge=1900, le=2100, description="Calendar year."),
    pillar: str | None = Query(None, max_length=32, pattern=r"^[a-z_]+$",
                               description="index (overall) or a pillar id."),
    fmt: Literal["json", "csv"] = Query("json", alias="format", description="json or csv."),
    paging: Paging = Depends(paging),
    b: BuiltIndex = Depends(built),
):
    """Rows ``{unit, year, pillar, score, rank, level}`` ordered by level, year, pillar and rank.

    Scores are 0-100 on fixed goalposts (comparable across years); rank 1 = most connected within level, year and
    pillar. Example: ``/api/v1/scores?level=pair&year=2024&pillar=index``.
    """
    query = str(request.url.query)
    hit = _cached(b, query)
    if hit is not None:
        return hit
    check_choice("pillar", pillar, b.pillars)
    if unit is not None:
        unit = unit.upper()
        valid = [u for lv in ([level] if level else LEVELS) for u in b.units.get(lv, ())]
        check_choice("unit", unit, valid)
    if year is not None and year not in b.years:
        raise BadParameter(f"parameter 'year': no scores for {year}; the build covers {min(b.years)}-{max(b.years)}.")
    rows = b.score_records(level=level, year=year, unit=unit, pillar=pillar)
    resp = paginated(request, rows, paging, fmt, COLUMNS, years=[min(b.years), max(b.years)],
                     source="lmc build (out/scores.csv)", build_key=b.key)
    _store(b, query, resp)
    return resp
