"""A multi-day "Tai cultural tourism circle": origin, days and interests in, a feasible day-by-day plan out.

Rules the plan keeps:

* every day has at least one visit to a site matching the interests (a day is never spent only on a train);
* every train comes from the timetable, found by the journey planner, and arrives the same day;
* no border crossing unless the interests call for it: a plan within the origin's side of every border is
  searched first, and one that crosses (a train passing a border control of ``clearance.txt``) only when none
  exists;
* the circle closes: the last day ends back at the origin when a train allows it (a plan that cannot close it
  says so in ``returns_to_origin``; one that stays on its side of the borders is preferred to one that closes).

Each day is one of: stay and visit; take a morning train, then visit at the arrival station; or visit, then take
an afternoon train (how the last day gets home). A site can be visited from any station within ``radius_km``
(counted once); visiting costs its ``visit_hours`` plus the return trip from the station at ``speed_kmh`` over
``detour`` x the straight-line distance (assumptions, as in :mod:`lmc.corridor.access`). The search is a
depth-first search that prefers staying, then the station with the most sites left; it is exact for the rules
above within a budget of :data:`SEARCH_BUDGET` nodes, which the corridor never reaches.
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
from lmc.corridor.plan import FEED_DIR, Journey, PlannerError, check_date, load, parse_after, parse_date, plan
from lmc.corridor.names import resolve_stops
from lmc.corridor.timetable import Timetable

SEARCH_BUDGET = 20000
"""Most search nodes tried before giving up (each node is one day's choice)."""


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: int
    date: dt.date
    journey: Journey | None
    station_id: str
    station_name: str
    visits: tuple[dict, ...]
    travel_after_visits: bool = False
    """The train leaves after the day's visits (else it arrives before them)."""

    def to_dict(self) -> dict[str, Any]:
        return {"day": self.day, "date": self.date.isoformat(), "overnight": self.station_name,
                "overnight_stop_id": self.station_id, "train": self.journey.to_dict() if self.journey else None,
                "train_after_visits": self.travel_after_visits, "visits": list(self.visits)}


@dataclass(frozen=True, slots=True)
class ItineraryResult:
    origin: str
    start: dt.date
    interests: tuple[str, ...]
    days: tuple[DayPlan, ...]
    stops: dict  # stop_id -> (lat, lon, name) for the GeoJSON
    crosses_border: bool = False
    returns_to_origin: bool = True

    @property
    def estimated(self) -> bool:
        """Some train of the plan has estimated times (see each journey's notes)."""
        return any(d.journey is not None and d.journey.estimated for d in self.days)

    @property
    def notes(self) -> tuple[str, ...]:
        out: list[str] = []
        for d in self.days:
            for n in d.journey.notes if d.journey else ():
                if n not in out:
                    out.append(n)
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {"origin": self.origin, "start": self.start.isoformat(), "interests": list(self.interests),
                "crosses_border": self.crosses_border, "returns_to_origin": self.returns_to_origin,
                "estimated": self.estimated, "notes": list(self.notes), "days": [d.to_dict() for d in self.days]}

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for d in self.days:
            train = ""
            if d.journey:
                train = " + ".join(f"{leg.trip_name} {leg.from_stop_name} {leg.departure:%H:%M}→{leg.to_stop_name} "
                                   f"{leg.arrival:%H:%M}{' (est.)' if leg.estimated else ''}"
                                   for leg in d.journey.legs if leg.mode == "ride")
                train = ("after visits: " if d.travel_after_visits else "") + train
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
                            "arrival": leg.arrival.isoformat(), "estimated_times": leg.estimated}})
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


def _hours(t: dt.datetime | dt.time) -> float:
    return t.hour + t.minute / 60


def _clock(h: float) -> str:
    m = int(round(h * 60))
    return f"{m // 60:02d}:{m % 60:02d}"


class _Search:
    """Depth-first search over days (see the module docstring); plans of trains are cached."""

    def __init__(self, tt: Timetable, wanted: pd.DataFrame, near: dict[str, list[tuple[int, float]]],
                 origin: str, days: int, start: dt.date, day_start: float, day_end: float, speed_kmh: float):
        self.tt, self.wanted, self.near, self.origin = tt, wanted, near, origin
        self.days, self.start, self.day_start, self.day_end, self.speed = days, start, day_start, day_end, speed_kmh
        self.hours = wanted["visit_hours"].to_numpy(float)
        self.trains: dict[tuple, Journey | None] = {}
        self.nodes = 0

    def need(self, j: int, dist: float) -> float:
        return float(self.hours[j]) + 2 * dist / self.speed

    def train(self, here: str, to: str, date: dt.date, after_h: float) -> Journey | None:
        key = (here, to, date, _clock(after_h))
        if key not in self.trains:
            p = plan(self.tt, here, to, date, _clock(after_h), kind="earliest")
            ok = [j for j in p.journeys if j.arrival.date() == date]
            self.trains[key] = ok[0] if ok else None
        return self.trains[key]

    def fill(self, station: str, free_from: float, visited: frozenset, free_until: float, least: int
             ) -> list[list[int]]:
        """Visit choices at ``station`` between the two hours: all that fit, and one site only (kept for later)."""
        left = [(j, d) for j, d in self.near.get(station, []) if j not in visited]
        out: list[list[int]] = []
        t, chosen = free_from, []
        for j, d in left:
            if t + self.need(j, d) <= free_until:
                chosen.append(j)
                t += self.need(j, d)
        if len(chosen) >= least:
            out.append(chosen)
            if len(chosen) > 1:
                out.append(chosen[:1])
        return out

    def run(self, allow_crossing: bool, must_return: bool) -> list[tuple] | None:
        self.allow_crossing, self.must_return = allow_crossing, must_return
        return self._day(0, self.origin, frozenset())

    def _ok(self, journey: Journey | None) -> bool:
        return journey is not None and (self.allow_crossing or not any(leg.clearance for leg in journey.legs))

    def _candidates(self, here: str, visited: frozenset) -> list[str]:
        score = {s: sum(1 for j, _ in lst if j not in visited) for s, lst in self.near.items() if s != here}
        return sorted((s for s, n in score.items() if n > 0), key=lambda s: (-score[s], s))

    def _day(self, d: int, here: str, visited: frozenset) -> list[tuple] | None:
        self.nodes += 1
        if self.nodes > SEARCH_BUDGET:
            return None
        if d == self.days:
            return [] if (here == self.origin or not self.must_return) else None
        left = len({j for lst in self.near.values() for j, _ in lst} - visited)
        if left < self.days - d:
            return None  # not enough sites left for one visit a day
        date = self.start + dt.timedelta(days=d)
        last = d == self.days - 1
        options: list[tuple] = []
        # stay
        for v in self.fill(here, self.day_start, visited, self.day_end, 1):
            options.append((here, None, v, False))
        # morning train, then visits where it arrives
        for to in self._candidates(here, visited):
            j = self.train(here, to, date, self.day_start)
            if self._ok(j):
                for v in self.fill(to, _hours(j.arrival), visited, self.day_end, 1):
                    options.append((to, j, v, False))
        # visits, then an afternoon train (to the origin on the last day; anywhere with sites left otherwise)
        targets = [self.origin] if last else self._candidates(here, visited)
        for to in targets:
            if to == here:
                continue
            for v in self.fill(here, self.day_start, visited, self.day_end, 1):
                t_end = self.day_start + sum(self.need(j, dist) for j, dist in self.near[here] if j in v)
                j = self.train(here, to, date, t_end)
                if self._ok(j):
                    options.append((to, j, v, True))
        if last and self.must_return:
            options = [o for o in options if o[0] == self.origin]
        for to, journey, v, after in options:
            rest = self._day(d + 1, to, visited | frozenset(v))
            if rest is not None:
                return [(to, journey, v, after), *rest]
        return None


def plan_itinerary(sites: pd.DataFrame, *, origin: str, days: int, start: str | dt.date,
                   interests: tuple[str, ...] = (), feed: str | Path | Timetable | None = None,
                   radius_km: float = 40.0, speed_kmh: float = 30.0, detour: float = 1.3,
                   day_start: str = "07:00", day_end_hour: float = 19.0) -> ItineraryResult:
    """A ``days``-day plan from ``origin`` keeping the rules of the module docstring, or a :class:`PlannerError`
    saying why none exists."""
    if days < 1 or days > 30:
        raise PlannerError("days must be between 1 and 30.")
    tt = load(feed if feed is not None else FEED_DIR)
    start_d = parse_date(start)
    check_date(tt, start_d)
    wanted = _matching(sites, tuple(interests)).reset_index(drop=True)
    if len(wanted) == 0:
        raise PlannerError(f"no site matches the interests {', '.join(interests)}.")
    served = np.unique(np.r_[tt.c_from, tt.c_to])
    st_idx = served[tt.stop_parent[served] < 0]
    km = haversine_km(tt.stop_lat[st_idx][:, None], tt.stop_lon[st_idx][:, None],
                      wanted["lat"].to_numpy(float)[None, :], wanted["lon"].to_numpy(float)[None, :]) * detour
    near: dict[str, list[tuple[int, float]]] = {}
    for i in range(len(st_idx)):
        js = [int(j) for j in np.argsort(km[i], kind="stable") if km[i, j] <= radius_km]
        if js:
            near[str(tt.stop_ids[st_idx[i]])] = [(j, float(km[i, j])) for j in js]
    origin_id = str(tt.stop_ids[resolve_stops(tt, origin)[0]])
    search = _Search(tt, wanted, near, origin_id, days, start_d, _hours(parse_after(day_start)), day_end_hour,
                     speed_kmh)
    found = None
    for allow_crossing, must_return in ((False, True), (False, False), (True, True), (True, False)):
        search.nodes = 0
        found = search.run(allow_crossing, must_return)
        if found is not None:
            break
    if found is None:
        n_sites = len({j for lst in near.values() for j, _ in lst})
        raise PlannerError(
            f"no {days}-day plan from {origin} has a visit every day: the interests {', '.join(interests) or 'any'} "
            f"match {n_sites} site(s) within {radius_km:g} km of a station, at "
            f"{', '.join(sorted(str(tt.stop_names[tt.stop_index()[s]]) for s in near)) or 'no station'}; "
            "try fewer days or more interests.")
    out = []
    here = origin_id
    for d, (station, journey, visits, after) in enumerate(found):
        rows = []
        base = dict(near[here if after else station])  # where the day's visits start from
        for j in visits:
            dist = base[j]
            rows.append({"site": str(wanted["name"].iloc[j]), "site_id": str(wanted["site_id"].iloc[j]),
                         "lat": float(wanted["lat"].iloc[j]), "lon": float(wanted["lon"].iloc[j]),
                         "access_km": round(dist, 1), "hours": round(search.need(j, dist), 1),
                         "source": str(wanted["source"].iloc[j])})
        idx = tt.stop_index()[station]
        out.append(DayPlan(day=d + 1, date=start_d + dt.timedelta(days=d), journey=journey, station_id=station,
                           station_name=str(tt.stop_names[idx]), visits=tuple(rows), travel_after_visits=after))
        here = station
    crosses = any(leg.clearance for d in out if d.journey for leg in d.journey.legs)
    stops = {str(tt.stop_ids[i]): (float(tt.stop_lat[i]), float(tt.stop_lon[i]), str(tt.stop_names[i]))
             for i in range(tt.n_stops)}
    return ItineraryResult(origin=origin, start=start_d, interests=tuple(interests), days=tuple(out), stops=stops,
                           crosses_border=crosses, returns_to_origin=out[-1].station_id == origin_id)
