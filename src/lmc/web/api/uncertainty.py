"""``GET /api/v1/uncertainty``: rank intervals from the uncertainty analysis, and Sobol sensitivity indices."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from lmc.web.api.deps import built, check_choice
from lmc.web.api.envelope import TABULAR, Paging, paginated, paging
from lmc.web.store import LEVELS, BuiltIndex, _records

router = APIRouter(tags=["uncertainty"])


@router.get("/uncertainty", summary="Rank intervals (5th-95th percentile over replays)", responses=TABULAR)
async def rank_intervals(request: Request,
                   level: Literal["country", "pair", "province"] | None = Query(None),
                   unit: str | None = Query(None, max_length=24, pattern=r"^[A-Za-z0-9>-]+$"),
                   year: int | None = Query(None, ge=1900, le=2100),
                   fmt: Literal["json", "csv"] = Query("json", alias="format"),
                   paging: Paging = Depends(paging), b: BuiltIndex = Depends(built)):
    """``nominal_rank``, ``median_rank``, ``rank_p05``/``rank_p95`` and ``score_p05``/``score_p95`` per
    level, unit and year, from replaying the build under alternative normalisation, aggregation, weights,
    per-capita and imputation choices."""
    df = b.rank_intervals
    if unit is not None:
        unit = unit.upper()
        check_choice("unit", unit, [u for lv in ([level] if level else LEVELS) for u in b.units.get(lv, ())])
    if len(df):
        if level:
            df = df[df["level"] == level]
        if unit:
            df = df[df["unit"] == unit]
        if year is not None:
            df = df[df["year"] == year]
    return paginated(request, _records(df), paging, fmt, runs=b.runs, source="lmc build (out/rank_intervals.csv)")


@router.get("/uncertainty/sobol", summary="Sobol sensitivity indices of the construction choices", responses=TABULAR)
async def sobol(request: Request, fmt: Literal["json", "csv"] = Query("json", alias="format"),
          paging: Paging = Depends(paging), b: BuiltIndex = Depends(built)):
    """First-order (S1) and total (ST) indices, with confidence half-widths, per construction factor."""
    return paginated(request, _records(b.sobol), paging, fmt, runs=b.runs, source="lmc build (out/sobol.csv)")
