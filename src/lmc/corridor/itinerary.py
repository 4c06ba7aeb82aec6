"""A multi-day "Tai cultural tourism circle": origin, days and interests in, a feasible day-by-day plan out.

Greedy and explainable rather than optimal: each morning the traveller either stays (if sites matching the
interests are left near the current station) or takes the first train, found by the journey planner, to the
unvisited station with the most matching sites within ``radius_km``; the last day is kept for the return to the
origin when a train allows it (the "circle"). Visits fill the day between arrival and ``day_end`` using each
site's ``visit_hours`` plus the access time (``speed_kmh`` x ``detour``, assumptions as in
:mod:`lmc.corridor.access`). Every train comes from the timetable, so the plan is feasible by construction.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lmc.atomic import write_text
from lmc.corridor.access import haversine_km
from lmc.corridor.plan import FEED_DIR, Journey, PlannerError, parse_date, plan, resolve_stops
from lmc.corridor.timetable import Timetable, load_timetable


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: int
    date: dt.date
    journey: Journey | None
    station_id: str
    station_name: str
    visits: tuple[dict, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day, "date": self.date.isoformat(), "overnight": self.station_name,
                "overnight_stop_id": self.station_id,
                "train": self.journey.to_dict() if self.journey else None, "visits": list(self.visits)}


@dataclass(frozen=True, slots=True)
class ItineraryResult:
    origin: str
    start: dt.date
    interests: tuple[str, ...]
    days: tuple[DayPlan, ...]
    stops: dict  # stop_id -> (lat, lon, name) for the GeoJSON

    def to_dict(self) -> dict[str, Any]:
        return {"origin": self.origin, "start": self.start.isoformat(), "interests": list(self.interests),
                "days": [d.to_dict() for d in self.days]}

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for d in self.days:
            train = ""
            if d.journey:
                train = " + ".join(f"{leg.trip_name} {leg.from_stop_name} {leg.departure:%H:%M}→{leg.to_stop_name} "
                                   f"{leg.arrival:%H:%M}" for leg in d.journey.legs if leg.mode == "ride")
            rows.append({"day": d.day, "date": d.date.isoformat(), "train": train, "overnight": d.station_name,
                         "visits": "; ".join(v["site"] for v in d.visits)})
        return pd.DataFrame(rows)

    def to_geojson(self) -> dict[str, Any]:
        """Stations and visited sites as points, train legs as straight lines between their stops."""
        feats = []
        for d in self.days:
            if d.journey:
                for leg in d.journey.legs:
                    a, b = self.stops.get(leg.from_stop_id), self.stops.get(leg.to_stop_id)
                    if a and b:
                        feats.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [
                            [a[1], a[0]], [b[1], b[0]]]}, "properties": {
                            "day": d.day, "kind": leg.mode, "trip": leg.trip_name, "from": leg.from_stop_name,
                            "to": leg.to_stop_name, "departure": leg.departure.isoformat(),
                            "arrival": leg.arrival.isoformat()}})
            s = self.stops.get(d.station_id)
            if s:
                feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [s[1], s[0]]},
                              "properties": {"day": d.day, "kind": "overnight", "name": d.station_name}})
            for v in d.visits:
                feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [v["lon"], v["lat"]]},
                              "properties": {"day": d.day, "kind": "visit", "name": v["site"], "source": v["source"]}})
        return {"type": "FeatureCollection", "features": feats}

    def write_geojson(self, path: Path) -> Path:
        write_text(path, json.dumps(self.to_geojson(), ensure_ascii=False, indent=1))
        return Path(path)


def _matching(sites: pd.DataFrame, interests: tuple[str, ...]) -> pd.DataFrame:
    if not interests:
        return sites
    want = {i.casefold() for i in interests}
    ok = sites["interests"].apply(lambda xs: bool(want & {str(x).casefold() for x in (xs or [])}))
    return sites[ok.to_numpy(bool)]


def plan_itinerary(sites: pd.DataFrame, *, origin: str, days: int, start: str | dt.date,
                   interests: tuple[str, ...] = (), feed: str | Path | Timetable | None = None,
                   radius_km: float = 40.0, speed_kmh: float = 30.0, detour: float = 1.3,
                   day_start: str = "07:00", day_end_hour: float = 19.0) -> ItineraryResult:
    """A feasible ``days``-day plan from ``origin`` (see the module docstring)."""
    if days < 1 or days > 30:
        raise PlannerError("days must be between 1 and 30.")
    tt = feed if isinstance(feed, Timetable) else load_timetable(feed if feed is not None else FEED_DIR)
    start_d = parse_date(start)
    wanted = _matching(sites, tuple(interests)).reset_index(drop=True)
    if len(wanted) == 0:
        raise PlannerError(f"no site matches the interests {', '.join(interests)}.")
    st_idx = np.flatnonzero(tt.stop_parent < 0)
    km = haversine_km(tt.stop_lat[st_idx][:, None], tt.stop_lon[st_idx][:, None],
                      wanted["lat"].to_numpy(float)[None, :], wanted["lon"].to_numpy(float)[None, :]) * detour
    near = {str(tt.stop_ids[s]): [(j, float(km[i, j])) for j in np.argsort(km[i]) if km[i, j] <= radius_km]
            for i, s in enumerate(st_idx)}
    here = str(tt.stop_ids[resolve_stops(tt, origin)[0]])
    origin_id = here
    visited_sites: set[int] = set()
    visited_stations = {here}
    out: list[DayPlan] = []
    for d in range(days):
        date = start_d + dt.timedelta(days=d)
        journey = None
        last_day = d == days - 1
        left_here = [j for j, _ in near.get(here, []) if j not in visited_sites]
        if last_day and here != origin_id and days > 1:
            p = plan(tt, here, origin_id, date, day_start, kind="earliest")
            if p.journeys and p.journeys[0].arrival.date() == date:
                journey = p.journeys[0]
                here = origin_id
        elif not left_here or d > 0 and not left_here:
            best = None
            for cand, lst in near.items():
                if cand in visited_stations:
                    continue
                score = sum(1 for j, _ in lst if j not in visited_sites)
                if score == 0:
                    continue
                p = plan(tt, here, cand, date, day_start, kind="earliest")
                if not p.journeys or p.journeys[0].arrival.date() != date:
                    continue
                arr = p.journeys[0].arrival
                key = (-score, arr.timestamp())
                if best is None or key < best[0]:
                    best = (key, cand, p.journeys[0])
            if best is not None:
                _, here, journey = best
                visited_stations.add(here)
        # visits for the rest of the day
        if journey is not None:
            t_free = journey.arrival.hour + journey.arrival.minute / 60
        else:
            h, m = (int(x) for x in day_start.split(":"))
            t_free = h + m / 60
        visits = []
        for j, dist in near.get(here, []):
            if j in visited_sites:
                continue
            need = float(wanted["visit_hours"].iloc[j]) + 2 * dist / speed_kmh
            if t_free + need > day_end_hour:
                continue
            visits.append({"site": str(wanted["name"].iloc[j]), "site_id": str(wanted["site_id"].iloc[j]),
                           "lat": float(wanted["lat"].iloc[j]), "lon": float(wanted["lon"].iloc[j]),
                           "access_km": round(dist, 1), "hours": round(need, 1),
                           "source": str(wanted["source"].iloc[j])})
            visited_sites.add(j)
            t_free += need
        idx = tt.stop_index()[here]
        out.append(DayPlan(day=d + 1, date=date, journey=journey, station_id=here,
                           station_name=str(tt.stop_names[idx]), visits=tuple(visits)))
    stops = {str(tt.stop_ids[i]): (float(tt.stop_lat[i]), float(tt.stop_lon[i]), str(tt.stop_names[i]))
             for i in range(tt.n_stops)}
    return ItineraryResult(origin=origin, start=start_d, interests=tuple(interests), days=tuple(out), stops=stops)
