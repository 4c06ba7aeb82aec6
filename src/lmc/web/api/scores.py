"""``GET /api/v1/scores``: Soft Connectivity Index scores and ranks, filtered by level, unit, year and pillar."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from lmc.web.api.deps import BadParameter, built, check_choice
from lmc.web.api.envelope import ERRORS, TABULAR, Links, PageMeta, Paging, paginated
from lmc.web.store import LEVELS, BuiltIndex

router = APIRouter(tags=["scores"])

COLUMNS = ["unit", "year", "pillar", "score", "rank", "level"]


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
def scores(
    request: Request,
    level: Literal["country", "pair", "province"] | None = Query(None, description="country, pair or province."),
    unit: str | None = Query(None, max_length=24, pattern=r"^[A-Za-z0-9>-]+$",
                             description="ISO3 country, pair 'CHN-LAO' or province code."),
    year: int | None = Query(None, ge=1900, le=2100, description="Calendar year."),
    pillar: str | None = Query(None, max_length=32, pattern=r"^[a-z_]+$",
                               description="index (overall) or a pillar id."),
    fmt: Literal["json", "csv"] = Query("json", alias="format", description="json or csv."),
    paging: Paging = Depends(),
    b: BuiltIndex = Depends(built),
):
    """Rows ``{unit, year, pillar, score, rank, level}`` ordered by level, year, pillar and rank.

    Scores are 0-100 on fixed goalposts (comparable across years); rank 1 = most connected within level, year and
    pillar. Example: ``/api/v1/scores?level=pair&year=2024&pillar=index``.
    """
    check_choice("pillar", pillar, b.pillars)
    if unit is not None:
        unit = unit.upper()
        valid = [u for lv in ([level] if level else LEVELS) for u in b.units.get(lv, ())]
        check_choice("unit", unit, valid)
    if year is not None and year not in b.years:
        raise BadParameter(f"parameter 'year': no scores for {year}; the build covers {min(b.years)}-{max(b.years)}.")
    rows = b.score_records(level=level, year=year, unit=unit, pillar=pillar)
    return paginated(request, rows, paging, fmt, COLUMNS, years=[min(b.years), max(b.years)],
                     source="lmc build (out/scores.csv)", build_key=b.key)
