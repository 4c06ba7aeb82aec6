"""``/api/v1/routes``: the rail corridor's stations, journey plans between them and heritage-site accessibility."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Literal

from fastapi import APIRouter, Query, Request

from lmc.errors import WarehouseError
from lmc.web.api.envelope import ERRORS, single

router = APIRouter(tags=["routes"])


def STOP() -> Any:  # a fresh Query per parameter: FastAPI binds each parameter to its own object
    return Query(..., min_length=1, max_length=64, pattern=r"^[\w .,'()-]+$", description="Station name or stop_id.")


def DATE() -> Any:
    return Query(..., pattern=r"^\d{4}-\d{2}-\d{2}$", description="Travel date YYYY-MM-DD.")


def TIME(default: str = "00:00") -> Any:
    return Query(default, pattern=r"^\d{1,2}:\d{2}$", description="Leave after HH:MM, local time.")


@lru_cache(maxsize=1)
def corridor_timetable():
    """The shipped corridor feed's timetable, built once in memory (0.1 s). Not through the library's disk cache
    under LMC_HOME: the app writes nothing outside its declared cache (docs/web.md)."""
    from lmc.corridor.plan import FEED_DIR
    from lmc.corridor.timetable import load_timetable

    return load_timetable(FEED_DIR, use_cache=False)


@lru_cache(maxsize=1)
def stations() -> list[dict]:
    """The corridor feed's stops: id, name, its names in other languages (zh, th, lo), time zone, coordinates."""
    from lmc.corridor.names import stop_translations

    tt = corridor_timetable()
    names = stop_translations(tt)
    return [{"stop_id": str(tt.stop_ids[i]), "name": str(tt.stop_names[i]), "names": names.get(str(tt.stop_ids[i]), {}),
             "timezone": tt.tz_names[tt.stop_tz[i]], "lat": float(tt.stop_lat[i]), "lon": float(tt.stop_lon[i])}
            for i in range(len(tt.stop_ids))]


def feed_span() -> tuple[str, str]:
    """First and last service dates of the corridor feed (from its calendar.txt)."""
    import csv

    from lmc.corridor.plan import FEED_DIR

    with open(FEED_DIR / "calendar.txt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return min(r["start_date"] for r in rows), max(r["end_date"] for r in rows)


def plan_journey(origin: str, destination: str, date: str, after: str, kind: str = "pareto") -> dict:
    from lmc.corridor.plan import plan

    try:
        dt.date.fromisoformat(date)
    except ValueError:
        from lmc.corridor.plan import PlannerError

        raise PlannerError(f"date {date!r} is not a calendar date (YYYY-MM-DD).") from None
    result = plan(corridor_timetable(), origin, destination, date, after, kind=kind).to_dict()  # type: ignore[arg-type]
    # the server's file layout is nobody's business: name the shipped feed, not its path
    result["query"]["feed"] = "lmc.corridor feed (GTFS)"
    return result


@router.get("/routes/stations", summary="Stations of the corridor feed", responses=ERRORS)
def route_stations():
    start, end = feed_span()
    return single(stations(), feed_start=start, feed_end=end, source="lmc.corridor feed (GTFS, sources.txt)")


@router.get("/routes", summary="Plan a journey on the rail corridor", responses=ERRORS)
def route(origin: str = STOP(), destination: str = STOP(), date: str = DATE(), after: str = TIME(),
          kind: Literal["earliest", "pareto"] = Query("pareto")):
    """Journeys from ``origin`` to ``destination`` leaving after ``after`` on ``date``: legs in local time,
    transfers and border clearance. ``kind=pareto`` lists every (arrival, transfers) trade-off."""
    return single(plan_journey(origin, destination, date, after, kind), source="lmc.corridor feed (GTFS)")


@router.get("/routes/access", summary="Heritage sites reachable from a station within a time budget",
            responses={**ERRORS, 503: ERRORS[503] | {"description": "The warehouse is being updated: retry "
                                                                     "(Retry-After)."}})
def access(request: Request, station: str = STOP(), date: str = DATE(), after: str = TIME("08:00"),
           budget: float = Query(180, ge=10, le=1440, description="Minutes of rail + access.")):
    """Curated corridor attractions and the UNESCO World Heritage sites of the warehouse within the budget.
    While a data pull holds the warehouse: 503 (retry), never a partial list. Without a warehouse (or its
    ``unesco_sites`` table), the curated attractions only, and ``meta.unesco_sites`` says why."""
    rows, missing = access_frame(request.app.state.settings, station, date, after, budget)
    return single(rows, unesco_sites="included" if missing is None else f"not included: {UNESCO_MISSING[missing]}")


UNESCO_MISSING = {"no_warehouse": "there is no warehouse yet (run `lmc data pull`)",
                  "no_table": "the warehouse has no unesco_sites table (run `lmc data pull unesco_whc`)"}
"""Why the UNESCO sites may be absent from an accessibility answer (the pages say it with ``unesco_<key>``)."""


def access_frame(settings, station: str, date: str, after: str, budget: float) -> tuple[list[dict], str | None]:
    """Sites within the budget, and ``None`` when the UNESCO sites are among them, else why not (a key of
    :data:`UNESCO_MISSING`). :class:`~lmc.web.errors.WarehouseBusy` while a pull holds the warehouse."""
    import pandas as pd

    from lmc.corridor.access import load_attractions, station_access, unesco_sites_frame
    from lmc.web.errors import NotBuiltError
    from lmc.web.store import _records, warehouse_table

    frames, missing = [load_attractions()], None
    try:
        frames.insert(0, unesco_sites_frame(warehouse_table("unesco_sites", settings)))
    except NotBuiltError:
        missing = "no_warehouse"
    except WarehouseError as exc:  # the table is missing (a partial pull): say so
        if "unesco_sites" not in str(exc):
            raise
        missing = "no_table"
    res = station_access(pd.concat(frames, ignore_index=True), stations=[station], date=date, after=after,
                         budget_min=budget, feed=corridor_timetable())
    return _records(res.to_frame()), missing
