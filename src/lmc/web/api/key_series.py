"""``GET /api/v1/key-series``: the front page's key series (:func:`lmc.reports.key_series.key_series`) in one
object, and ``GET /api/v1/key-series/{section}`` one section as a table (paged, ``format=csv``): Chinese arrivals
by destination against 2019, China-Laos Railway traffic per year, border crossings, the visa matrix, the curated
visa measures. Every row carries its source and date.

The series are read from the warehouse once per state of the warehouse and the build (a pull or a build makes the
next request read them again): about a second of work, kept in memory.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from lmc.errors import WarehouseError
from lmc.web.api.envelope import ERRORS, TABULAR, Paging, paginated, paging, single
from lmc.web.errors import WAREHOUSE_BUSY, NotBuiltError, WarehouseBusy, is_lock_error

router = APIRouter(tags=["key series"])

Section = Literal["arrivals", "rail", "borders", "visas", "measures"]


def current(app):
    """The key series of the app's warehouse and build as they are now (see the module docstring). 503 without a
    warehouse (run `lmc data pull`) or while a pull holds it (retry)."""
    from lmc.sci.outputs import MANIFEST

    settings, out_dir = app.state.settings, app.state.store.out_dir
    wh = settings.warehouse
    if not wh.is_file():
        raise NotBuiltError("there is no warehouse yet: run `lmc data pull`.")
    manifest = out_dir / MANIFEST
    stamp = (wh.stat().st_mtime_ns, manifest.stat().st_mtime_ns if manifest.is_file() else 0)
    try:
        return _cached(str(wh), str(out_dir), stamp, dt.date.today(), settings)
    except WarehouseError as exc:
        if is_lock_error(exc):
            raise WarehouseBusy(WAREHOUSE_BUSY) from None
        raise


@lru_cache(maxsize=2)
def _cached(warehouse: str, out_dir: str, stamp: tuple[int, int], today: dt.date, settings):
    from pathlib import Path

    from lmc.reports.key_series import key_series

    return key_series(settings, out_dir=Path(out_dir), today=today)


@router.get("/key-series", summary="The observatory's key series: arrivals, railway, borders, visas, what changed",
            responses=ERRORS)
def key_series(request: Request):
    """Chinese arrivals by destination against 2019 (observed values, with sources), China-Laos Railway
    passengers and freight per year (derived values labelled), the status of the main land border crossings (each
    with the date of its latest source), the visa matrix of the six countries' citizens (Passport Index snapshot and
    dated curated measures) and what changed since the previous build."""
    ks = current(request.app)
    return single(ks.to_dict(), sections=list(Section.__args__),
                  source="warehouse: arrivals (SCI sources), rail_traffic_annual, freight_series, border_crossings, "
                         "visa_requirements, visa_measures; build.json")


@router.get("/key-series/{section}", summary="One key series as a table (CSV with format=csv)", responses=TABULAR)
def key_series_section(request: Request, section: Section = Path(...),
                       fmt: Literal["json", "csv"] = Query("json", alias="format"),
                       paging: Paging = Depends(paging)):
    frame = current(request.app).frame(section)
    rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return paginated(request, rows, paging, fmt, list(frame.columns), section=section)
