"""``GET /api/v1/pairs``: the 15 country pairs - latest scores, and one pair's profile (pillars, series, intervals)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from lmc.web.api.deps import built, check_found
from lmc.web.api.envelope import ERRORS, TABULAR, Paging, paginated, single, paging
from lmc.reports.labels import unit_name
from lmc.web.store import BuiltIndex, _records

router = APIRouter(tags=["pairs"])


def pair_profile(b: BuiltIndex, pair: str) -> dict:
    """Pillar scores in the latest year, the index over time, rank intervals and indicator values of one pair."""
    check_found("pair", pair, b.units.get("pair", ()))
    s = b.scores[(b.scores["level"] == "pair") & (b.scores["unit"] == pair)]
    latest = s[s["year"] == b.latest_year]
    ri = b.rank_intervals
    ri = ri[(ri["level"] == "pair") & (ri["unit"] == pair)] if len(ri) else ri
    ind = b.indicators
    ind = ind[(ind["level"] == "pair") & (ind["unit"] == pair)] if len(ind) else ind
    return {"pair": pair, "name_en": unit_name(pair, "en"), "name_zh": unit_name(pair, "zh"),
            "latest_year": b.latest_year,
            "pillars": _records(latest[["pillar", "score", "rank"]]),
            "series": _records(s[["year", "pillar", "score", "rank"]].sort_values(["pillar", "year"])),
            "rank_intervals": _records(ri.drop(columns=["level", "unit"])) if len(ri) else [],
            "indicators": _records(ind.drop(columns=["level", "unit"])) if len(ind) else []}


@router.get("/pairs", summary="The 15 LMC country pairs with their latest index score", responses=TABULAR)
async def pairs(request: Request, year: int | None = Query(None, ge=1900, le=2100),
          fmt: Literal["json", "csv"] = Query("json", alias="format"),
          paging: Paging = Depends(paging), b: BuiltIndex = Depends(built)):
    """One row per pair: ``pair, name_en, name_zh, year, score, rank`` (index pillar), best first."""
    y = year if year in b.years else b.latest_year
    rows = [{"pair": r["unit"], "name_en": unit_name(r["unit"], "en"), "name_zh": unit_name(r["unit"], "zh"),
             "year": r["year"], "score": r["score"], "rank": r["rank"]}
            for r in b.score_records(level="pair", year=y, pillar="index")]
    return paginated(request, rows, paging, fmt, year=y)


@router.get("/pairs/{pair}", summary="One pair's profile", responses=ERRORS)
async def pair(pair: str = Path(..., max_length=16, pattern=r"^[A-Za-z]{3}-[A-Za-z]{3}$", description="e.g. CHN-LAO"),
         b: BuiltIndex = Depends(built)):
    """Pillar scores (latest year), the index and pillars over time, rank intervals and indicator values."""
    return single(pair_profile(b, pair.upper()), source="lmc build (out/)")
