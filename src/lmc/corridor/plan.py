"""Journey planning on any GTFS feed: ``plan(feed, FROM, TO, date, after) -> JourneyPlan``.

Three questions, one result type:

* ``earliest``: the earliest arrival (fewest rides among equally early journeys);
* ``pareto``: every journey on the Pareto front of (arrival time, number of transfers), earliest arrival first;
* ``profile``: for a departure window, every journey not dominated by one leaving later and arriving no later
  (repeated earliest-arrival scans, one per distinct departure time from the origin, latest first).

Times in the result are aware datetimes in the local zone of the stop where they happen (``stop_timezone``,
else the station's, else the agency's), so a journey from Kunming (UTC+8) to Vientiane (UTC+7) reads right on
both sides. Border-control steps come from the project's ``clearance.txt`` extension of GTFS when present. A leg
whose shown times are not published is flagged ``estimated``; one of a frequency-based trip with inexact times
also carries its headway and the note a traveller must read (``trip_notes.txt``). Names are resolved by
:mod:`lmc.corridor.names`; a plan without journeys carries the reason (:mod:`lmc.corridor.explain`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import numpy as np

from lmc.corridor import csa
from lmc.corridor.explain import NoJourney, explain
from lmc.corridor.names import PlannerError, resolve_stops
from lmc.corridor.timetable import DayConnections, Timetable, day_connections, horizon_days, load_timetable
from lmc.corridor.walks import DEFAULT_RADIUS_M, DEFAULT_SPEED_MPS
from lmc.errors import unknown

if TYPE_CHECKING:
    import pandas as pd

FEED_DIR = Path(__file__).resolve().parent / "feed"
"""The corridor feed shipped with the package (built by :mod:`lmc.corridor.feed_build`)."""

QueryKind = Literal["earliest", "pareto", "profile"]
QUERY_KINDS: tuple[str, ...] = ("earliest", "pareto", "profile")
__all__ = ["FEED_DIR", "ClearanceStep", "Journey", "JourneyPlan", "Leg", "NoJourney", "PlannerError", "fastest_times",
           "load", "parse_after", "parse_date", "plan", "resolve_stops"]


# ----------------------------------------------------------------------------------------------------------------
# result objects


@dataclass(frozen=True, slots=True)
class ClearanceStep:
    """A border-control step on a ride: where, when the train is held, and what the traveller does."""

    stop_id: str
    stop_name: str
    arrival: dt.datetime
    departure: dt.datetime
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {"stop_id": self.stop_id, "stop_name": self.stop_name, "arrival": self.arrival.isoformat(),
                "departure": self.departure.isoformat(), "minutes": _minutes(self.departure - self.arrival),
                "description": self.description}


@dataclass(frozen=True, slots=True)
class Leg:
    """One ride on a trip, or one transfer between stops (a walk, or a road transfer from transfers.txt). Times are local at the stop, with their zone."""

    mode: Literal["ride", "transfer"]
    from_stop_id: str
    from_stop_name: str
    to_stop_id: str
    to_stop_name: str
    departure: dt.datetime
    arrival: dt.datetime
    route_id: str | None = None
    route_name: str | None = None
    trip_id: str | None = None
    trip_name: str | None = None
    estimated: bool = False
    clearance: tuple[ClearanceStep, ...] = ()
    headway_min: int | None = None
    note: str = ""

    @property
    def duration(self) -> dt.timedelta:
        return self.arrival - self.departure

    @property
    def frequency_based(self) -> bool:
        """Times laid out from a headway (frequencies.txt, exact_times=0): the clock times are not known."""
        return self.headway_min is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "route": self.route_id, "trip": self.trip_id,
            "from_stop_id": self.from_stop_id, "to_stop_id": self.to_stop_id,
            "departure": self.departure.isoformat(), "arrival": self.arrival.isoformat(),
            "mode": self.mode, "route_name": self.route_name, "trip_name": self.trip_name,
            "from_stop_name": self.from_stop_name, "to_stop_name": self.to_stop_name,
            "departure_tz": _tz_name(self.departure), "arrival_tz": _tz_name(self.arrival),
            "estimated_times": self.estimated, "frequency_based": self.frequency_based,
            "headway_minutes": self.headway_min, "note": self.note or None,
            "clearance": [c.to_dict() for c in self.clearance],
        }


@dataclass(frozen=True, slots=True)
class Journey:
    departure: dt.datetime
    arrival: dt.datetime
    transfers: int
    legs: tuple[Leg, ...]

    @property
    def duration(self) -> dt.timedelta:
        return self.arrival - self.departure

    @property
    def rides(self) -> int:
        return sum(1 for leg in self.legs if leg.mode == "ride")

    @property
    def estimated(self) -> bool:
        """Some time of the journey is estimated (derived, interpolated or frequency-based), not published."""
        return any(leg.estimated for leg in self.legs)

    @property
    def notes(self) -> tuple[str, ...]:
        """What the traveller must know about estimated legs, one line per distinct note, in leg order."""
        out: list[str] = []
        for leg in self.legs:
            if leg.note and leg.note not in out:
                out.append(leg.note)
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {"departure": self.departure.isoformat(), "arrival": self.arrival.isoformat(),
                "transfers": self.transfers, "legs": [leg.to_dict() for leg in self.legs],
                "duration_minutes": _minutes(self.duration), "estimated": self.estimated,
                "notes": list(self.notes)}


@dataclass(frozen=True, slots=True)
class JourneyPlan:
    """The answer to one query: journeys sorted by arrival (earliest first), and the query that produced them."""

    feed: str
    origin: str
    destination: str
    date: dt.date
    after: dt.datetime
    kind: str
    journeys: tuple[Journey, ...] = field(default=())
    reason: NoJourney | None = None
    """Why there is no journey (None when there is one)."""

    def to_dict(self) -> dict[str, Any]:
        return {"journeys": [j.to_dict() for j in self.journeys],
                "reason": self.reason.to_dict() if self.reason else None,
                "query": {"from": self.origin, "to": self.destination, "date": self.date.isoformat(),
                          "after": self.after.isoformat(), "kind": self.kind, "feed": self.feed}}

    def to_frame(self) -> pd.DataFrame:
        """One row per leg, numbered by journey."""
        import pandas as pd

        rows = []
        for n, j in enumerate(self.journeys, 1):
            for leg in j.legs:
                rows.append({"journey": n, "transfers": j.transfers, "mode": leg.mode,
                             "route": leg.route_name or "", "trip": leg.trip_name or "",
                             "from": leg.from_stop_name, "departure": leg.departure.isoformat(timespec="minutes"),
                             "to": leg.to_stop_name, "arrival": leg.arrival.isoformat(timespec="minutes"),
                             "clearance_min": sum(_minutes(c.departure - c.arrival) for c in leg.clearance),
                             "estimated": leg.estimated, "note": leg.note})
        return pd.DataFrame(rows)


def _minutes(td: dt.timedelta) -> int:
    return int(round(td.total_seconds() / 60))


def _tz_name(d: dt.datetime) -> str:
    return getattr(d.tzinfo, "key", str(d.tzinfo))


# ----------------------------------------------------------------------------------------------------------------
# planning


def parse_after(value: str | dt.time) -> dt.time:
    if isinstance(value, dt.time):
        return value
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*", str(value))
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise PlannerError(f"--after {value!r}: expected a time HH:MM (00:00 to 23:59).")
    return dt.time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


def parse_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise PlannerError(f"--date {value!r}: expected a date YYYY-MM-DD.") from exc


def _local(tt: Timetable, stop: int, epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), ZoneInfo(tt.tz_names[int(tt.stop_tz[stop])]))


def _fmt_clock(sec: int) -> str:
    return f"{sec // 3600 % 24:02d}:{sec % 3600 // 60:02d}"


def trip_note(tt: Timetable, trip: int) -> str:
    """What a traveller must know about a trip's times: its trip_notes.txt line, or for a frequency-based trip
    with inexact times, a generic one naming the headway and window; "" for a scheduled trip."""
    note = str(tt.trip_note[trip]) if len(tt.trip_note) else ""
    head = int(tt.trip_headway[trip])
    if note or not head:
        return note
    w0, w1 = (int(x) for x in tt.trip_window[trip])
    return (f"frequency-based service, about every {head // 60} min between {_fmt_clock(w0)} and {_fmt_clock(w1)}: "
            "departure times are not exact; check the operator.")


def _ride_leg(tt: Timetable, dc: DayConnections, b: int, c: int) -> Leg:
    inst = int(dc.inst[b])
    trip = int(dc.inst_trip[inst])
    base = int(dc.inst_day_start[inst])
    cb, cc = int(dc.conn[b]), int(dc.conn[c])
    frm, to = int(tt.c_from[cb]), int(tt.c_to[cc])
    steps: list[ClearanceStep] = []
    estimated = bool(tt.c_dep_est[cb] or tt.c_arr_est[cc])  # the times shown: boarding, alighting, clearance
    if len(tt.clearance_stop):
        for j in range(cb, cc):  # intermediate stops: arrive by connection j, leave by j + 1
            s = int(tt.c_to[j])
            hit = np.flatnonzero(tt.clearance_stop == s)
            for h in hit:
                steps.append(ClearanceStep(str(tt.stop_ids[s]), str(tt.stop_names[s]),
                                           _local(tt, s, base + int(tt.c_arr[j])),
                                           _local(tt, s, base + int(tt.c_dep[j + 1])),
                                           str(tt.clearance_text[h])))
                estimated |= bool(tt.c_arr_est[j] or tt.c_dep_est[j + 1])
    route = int(tt.trip_route[trip])
    return Leg(mode="ride", from_stop_id=str(tt.stop_ids[frm]), from_stop_name=str(tt.stop_names[frm]),
               to_stop_id=str(tt.stop_ids[to]), to_stop_name=str(tt.stop_names[to]),
               departure=_local(tt, frm, base + int(tt.c_dep[cb])), arrival=_local(tt, to, base + int(tt.c_arr[cc])),
               route_id=str(tt.route_ids[route]), route_name=str(tt.route_names[route]),
               trip_id=str(tt.trip_ids[trip]), trip_name=str(tt.trip_names[trip]),
               estimated=estimated, clearance=tuple(steps),
               headway_min=int(tt.trip_headway[trip]) // 60 if tt.trip_headway[trip] else None,
               note=trip_note(tt, trip))


def _walk_leg(tt: Timetable, f: int, s: int, start: int, end: int) -> Leg:
    return Leg(mode="transfer", from_stop_id=str(tt.stop_ids[f]), from_stop_name=str(tt.stop_names[f]),
               to_stop_id=str(tt.stop_ids[s]), to_stop_name=str(tt.stop_names[s]),
               departure=_local(tt, f, start), arrival=_local(tt, s, end))


def _journey(tt: Timetable, dc: DayConnections, lab: csa.Labels, k: int, targets: np.ndarray) -> Journey:
    t_best = lab.arrive[k, targets]
    target = int(targets[int(np.argmin(t_best))])
    raw = csa.extract(lab, dc, k, target)
    legs: list[Leg] = []
    for item in raw:
        if item[0] == "ride":
            legs.append(_ride_leg(tt, dc, item[1], item[2]))
        else:
            legs.append(_walk_leg(tt, item[1], item[2], item[3], item[4]))
    # an initial walk leaves as late as it can (just in time for the first ride)
    if len(legs) >= 2 and legs[0].mode == "transfer" and legs[1].mode == "ride":
        walk = legs[0]
        legs[0] = replace(walk, departure=(legs[1].departure - walk.duration).astimezone(walk.departure.tzinfo),
                          arrival=legs[1].departure.astimezone(walk.arrival.tzinfo))
    rides = sum(1 for leg in legs if leg.mode == "ride")
    return Journey(departure=legs[0].departure, arrival=legs[-1].arrival, transfers=max(0, rides - 1),
                   legs=tuple(legs))


def check_date(tt: Timetable, day: dt.date) -> None:
    """A date the feed can answer for: from the day before its first service date to its last one."""
    rng = tt.service_date_range()
    if rng is None:
        raise PlannerError(f"{tt.source}: the feed has no service dates.")
    lo, hi = rng
    if day < lo - dt.timedelta(days=1) or day > hi:
        raise PlannerError(f"no service on {day.isoformat()}: the feed {tt.source} runs from {lo.isoformat()} "
                           f"to {hi.isoformat()} (its validity ends there; later trains are not in it).")


def earliest_labels(tt: Timetable, dc: DayConnections, t0: int, origins: np.ndarray, targets: np.ndarray,
                    max_rounds: int, board: np.ndarray | None = None) -> csa.Labels:
    return csa.run(dc, t0, origins, targets, tt.fp_start, tt.fp_to, tt.fp_dur, tt.stop_mtt, tt.n_stops, max_rounds,
                   board=board)


def _pareto_rounds(lab: csa.Labels) -> list[int]:
    """Rounds whose best arrival improves on every round with fewer rides."""
    out = []
    prev = csa.INF
    for k in range(0, lab.rounds + 1):
        b = int(lab.best[k])
        if b < prev:
            out.append(k)
            prev = b
    return out


def load(feed: str | Path | Timetable | None, *, walk_radius_m: float = DEFAULT_RADIUS_M,
         walk_speed_mps: float = DEFAULT_SPEED_MPS) -> Timetable:
    """A loaded timetable: ``feed`` itself, the feed at a path, or (None) the corridor feed shipped here."""
    if isinstance(feed, Timetable):
        return feed
    return load_timetable(feed if feed is not None else FEED_DIR, walk_radius_m=walk_radius_m,
                          walk_speed_mps=walk_speed_mps)


def scheduled_boarding(tt: Timetable, dc: DayConnections) -> np.ndarray:
    """Boarding mask without frequency-based trips whose times are not known (for "scheduled only" answers)."""
    return dc.board & (tt.trip_headway[dc.inst_trip[dc.inst]] == 0)


def plan(feed: str | Path | Timetable | None, origin: str, destination: str, date: str | dt.date,
         after: str | dt.time, *, kind: QueryKind = "pareto", window_minutes: int = 120,
         max_transfers: int = 7, scheduled_only: bool = False, walk_radius_m: float = DEFAULT_RADIUS_M,
         walk_speed_mps: float = DEFAULT_SPEED_MPS) -> JourneyPlan:
    """Plan journeys from ``origin`` to ``destination`` leaving after ``after`` (local time at the origin).

    ``feed`` is a GTFS folder/zip (``None``: the corridor feed shipped with the package) or a loaded
    :class:`Timetable`. ``kind`` picks the question (see the module docstring); ``window_minutes`` is the
    departure window of a profile query. ``scheduled_only`` leaves out frequency-based trips whose clock times
    are not known. Walking between stops within ``walk_radius_m`` at ``walk_speed_mps`` is added when a feed is
    loaded from a path. With no journey, the plan's ``reason`` says why (:mod:`lmc.corridor.explain`).
    """
    if kind not in QUERY_KINDS:
        raise PlannerError(unknown("query kind", kind, QUERY_KINDS))
    tt = load(feed, walk_radius_m=walk_radius_m, walk_speed_mps=walk_speed_mps)
    day = parse_date(date)
    t_after = parse_after(after)
    origins = resolve_stops(tt, origin)
    targets = resolve_stops(tt, destination)
    if set(origins.tolist()) & set(targets.tolist()):
        raise PlannerError(f"{origin!r} and {destination!r} are the same stop or station.")
    check_date(tt, day)
    tz0 = ZoneInfo(tt.tz_names[int(tt.stop_tz[origins[0]])])
    after_dt = dt.datetime.combine(day, t_after, tzinfo=tz0)
    t0 = int(after_dt.timestamp())
    dc = day_connections(tt, day)
    board = scheduled_boarding(tt, dc) if scheduled_only else None
    max_rounds = max_transfers + 1
    journeys: list[Journey] = []
    if kind in ("earliest", "pareto"):
        lab = earliest_labels(tt, dc, t0, origins, targets, max_rounds, board)
        rounds = _pareto_rounds(lab)
        if rounds and int(lab.best[rounds[-1]]) < csa.INF:
            chosen = rounds if kind == "pareto" else [rounds[-1]]
            journeys = [_journey(tt, dc, lab, k, targets) for k in chosen if k > 0 or lab.best[k] < csa.INF]
    else:
        journeys = _profile(tt, dc, t0, t0 + 60 * int(window_minutes), origins, targets, max_rounds, board)
    journeys.sort(key=lambda j: (j.arrival, j.transfers, -j.departure.timestamp()))
    reason = None if journeys else explain(tt, dc, day, t0, origins, targets, origin, destination,
                                           max_transfers=max_transfers, horizon_days=horizon_days(tt))
    return JourneyPlan(feed=tt.source, origin=origin, destination=destination, date=day, after=after_dt,
                       kind=kind, journeys=tuple(journeys), reason=reason)


def _profile(tt: Timetable, dc: DayConnections, t0: int, t1: int, origins: np.ndarray, targets: np.ndarray,
             max_rounds: int, board: np.ndarray | None = None) -> list[Journey]:
    """Non-dominated journeys departing in ``[t0, t1]``: one earliest-arrival scan per departure instant."""
    starts = {int(o): 0 for o in origins}
    for o in origins:  # platforms/stops reachable on foot from the origin
        for j in range(tt.fp_start[o], tt.fp_start[o + 1]):
            u = int(tt.fp_to[j])
            starts[u] = min(starts.get(u, 1 << 30), int(tt.fp_dur[j]))
    lo = int(np.searchsorted(dc.dep, t0, side="left"))
    hi = int(np.searchsorted(dc.dep, t1 + max(starts.values()), side="right"))
    board_ok = dc.board if board is None else board
    cand: set[int] = set()
    for c in range(lo, hi):
        s = int(dc.frm[c])
        if s in starts and board_ok[c]:
            t = int(dc.dep[c]) - starts[s]
            if t0 <= t <= t1:
                cand.add(t)
    out: list[Journey] = []
    best_arr = csa.INF
    seen: set[tuple] = set()
    for t in sorted(cand, reverse=True):
        lab = earliest_labels(tt, dc, t, origins, targets, max_rounds, board)
        rounds = _pareto_rounds(lab)
        if not rounds or int(lab.best[rounds[-1]]) >= csa.INF:
            continue
        k = rounds[-1]
        arr = int(lab.best[k])
        if arr < best_arr:
            j = _journey(tt, dc, lab, k, targets)
            key = tuple((leg.trip_id, leg.from_stop_id, leg.to_stop_id) for leg in j.legs)
            if key not in seen:
                seen.add(key)
                out.append(j)
            best_arr = arr
    return out


# ----------------------------------------------------------------------------------------------------------------
# fastest scheduled times between countries (a covariate for the gravity panel, lmc.flows.panel.travel_times)

COUNTRY_STATIONS: dict[str, str] = {"CHN": "KMS", "LAO": "VTE", "THA": "KTA"}
"""Each corridor country's main station (stop_id in the shipped feed): Kunming South, Vientiane, Krung Thep Aphiwat."""


def _service_days(tt: Timetable, year: int) -> list[dt.date]:
    """One day per distinct set of running services in ``year`` (the first day each set runs), within the feed."""
    rng = tt.service_date_range()
    if rng is None:
        return []
    lo, hi = max(rng[0], dt.date(year, 1, 1)), min(rng[1], dt.date(year, 12, 31))
    seen: dict[bytes, dt.date] = {}
    day = lo
    while day <= hi:
        key = tt.active_services(day).tobytes()
        seen.setdefault(key, day)
        day += dt.timedelta(days=1)
    return [d for k, d in seen.items() if np.frombuffer(k, dtype=bool).any()]


def fastest_times(years: list[int] | range | None = None, *, stations: dict[str, str] | None = None,
                  feed: str | Path | Timetable | None = None, scheduled_only: bool = True) -> pd.DataFrame:
    """Fastest scheduled journey between every ordered pair of ``stations`` (country -> stop id or name), per year.

    For each year, every distinct service pattern of the feed is tried (one day each) with a whole-day profile
    query; the shortest door-to-door duration (border controls and transfers included) wins. Pairs with no
    journey in a year are left out. Columns: ``origin, destination, year, rail_time_h, date, from_stop, to_stop,
    transfers, estimated`` (``estimated``: a leg uses derived times). Default years: those the feed covers;
    default stations: :data:`COUNTRY_STATIONS` on the shipped corridor feed. ``scheduled_only`` (default) leaves
    out frequency-based trips whose clock times are not known: a travel time is never built on them.
    """
    import pandas as pd

    tt = load(feed)
    st = dict(COUNTRY_STATIONS if stations is None else stations)
    if years is None:
        rng = tt.service_date_range()
        years = range(rng[0].year, rng[1].year + 1) if rng else []
    names = {c: str(tt.stop_names[int(resolve_stops(tt, s)[0])]) for c, s in st.items()}
    rows = []
    for year in years:
        days = _service_days(tt, int(year))
        for o, so in st.items():
            for d, sd in st.items():
                if o == d:
                    continue
                best: tuple[dt.timedelta, dt.date, Journey] | None = None
                for day in days:
                    res = plan(tt, so, sd, day, "00:00", kind="profile", window_minutes=24 * 60 - 1,
                               scheduled_only=scheduled_only)
                    for j in res.journeys:
                        if best is None or j.duration < best[0]:
                            best = (j.duration, day, j)
                if best is not None:
                    dur, day, j = best
                    rows.append({"origin": o, "destination": d, "year": int(year),
                                 "rail_time_h": round(dur.total_seconds() / 3600, 4), "date": day.isoformat(),
                                 "from_stop": names[o], "to_stop": names[d], "transfers": j.transfers,
                                 "estimated": j.estimated})
    cols = ["origin", "destination", "year", "rail_time_h", "date", "from_stop", "to_stop", "transfers", "estimated"]
    return pd.DataFrame(rows, columns=cols)
