"""``GET /api/v1/indicators``: the framework's indicators (names, pillar, source) and their values per unit-year."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from lmc.web.api.deps import built, check_choice
from lmc.web.api.envelope import TABULAR, Paging, paginated, paging
from lmc.web.store import BuiltIndex, _records, indicator_meta

router = APIRouter(tags=["indicators"])


@router.get("/indicators", summary="Indicator definitions with their sources", responses=TABULAR)
def indicators(request: Request,
               level: Literal["country", "pair", "province"] | None = Query(None),
               pillar: str | None = Query(None, max_length=32, pattern=r"^[a-z_]+$"),
               fmt: Literal["json", "csv"] = Query("json", alias="format"),
               paging: Paging = Depends(paging)):
    """Every indicator of the Soft Connectivity Index framework: id, level, pillar, names (en, zh), unit,
    direction, source and how it is computed (``source_note``)."""
    meta = indicator_meta()
    check_choice("pillar", pillar, sorted(set(meta["pillar"])))
    if level:
        meta = meta[meta["level"] == level]
    if pillar:
        meta = meta[meta["pillar"] == pillar]
    return paginated(request, _records(meta), paging, fmt, source="lmc.sci framework.yaml")


@router.get("/indicators/values", summary="Indicator values per unit and year (flagged)", responses=TABULAR)
def indicator_values(request: Request,
                     indicator: str | None = Query(None, max_length=64, pattern=r"^[a-z0-9_]+$"),
                     level: Literal["country", "pair", "province"] | None = Query(None),
                     unit: str | None = Query(None, max_length=24, pattern=r"^[A-Za-z0-9>-]+$"),
                     year: int | None = Query(None, ge=1900, le=2100),
                     fmt: Literal["json", "csv"] = Query("json", alias="format"),
                     paging: Paging = Depends(paging), b: BuiltIndex = Depends(built)):
    """The panel the index used: ``raw`` (observed, empty when not observed), ``value`` (after gap filling) and
    ``flag`` (observed, interpolated, carried_forward, carried_back, missing)."""
    df = b.indicators
    if len(df):
        check_choice("indicator", indicator, sorted(set(df["indicator"].astype(str))))
        mask = True
        if indicator:
            mask = mask & (df["indicator"] == indicator)
        if level:
            mask = mask & (df["level"] == level)
        if unit:
            mask = mask & (df["unit"] == unit.upper())
        if year is not None:
            mask = mask & (df["year"] == year)
        if mask is not True:
            df = df[mask]
    return paginated(request, _records(df), paging, fmt, source="lmc build (out/indicators.csv)")
