"""Compact NumPy arrays for routing, built once from a GTFS feed and cached on disk.

A :class:`Timetable` holds every trip as a run of *connections* (one per pair of consecutive stops, in sequence
order), with times in seconds relative to "noon minus 12 h" of the service day in the trip's agency time zone,
as GTFS defines them. Routing needs absolute instants, so :func:`day_connections` lays out the connections of the
trips running on the service days around a query date (a trip with times past 24:00 runs into the next days) as
UTC epoch seconds, sorted by departure: the input of the Connection Scan Algorithm in :mod:`lmc.corridor.csa`.

Why UTC instants: stop_times are in the agency's zone; a stop's ``stop_timezone`` only changes how its local
time is shown. Converting every trip of every service day to UTC once makes cross-zone journeys (Kunming on
UTC+8, Vientiane on UTC+7; Amtrak over five US zones) ordinary comparisons, and daylight-saving days come out
right because "noon minus 12 h" is evaluated per date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from lmc.atomic import atomic_path
from lmc.corridor.walks import DEFAULT_RADIUS_M, DEFAULT_SPEED_MPS, haversine_m, pairs_within, walk_seconds
from lmc.errors import ParseError

if TYPE_CHECKING:  # pandas is imported only to build a timetable, never to load a cached one
    import pandas as pd

    from lmc.corridor.gtfs import GtfsFeed

CACHE_VERSION = "4"
DEFAULT_MIN_WALK_S = 60
"""Shortest walk for transfers.txt rows without min_transfer_time and between the platforms of one station."""


@dataclass(frozen=True, eq=False)
class Timetable:
    """Arrays of one feed. Connections of a trip are contiguous and in stop_sequence order.

    Shapes: ``n_stops`` for ``stop_*``, ``n_trips`` for ``trip_*``, ``n_conn`` for ``c_*``, ``n_fp`` for
    ``fp_*`` (footpaths sorted by origin, ``fp_start`` has ``n_stops + 1`` entries).
    """

    source: str
    stop_ids: np.ndarray
    stop_names: np.ndarray
    stop_codes: np.ndarray  # stop_code, the number riders see at the stop ("" if none)
    stop_lat: np.ndarray
    stop_lon: np.ndarray
    stop_tz: np.ndarray  # index into tz_names (stop_timezone, else its parent's, else the first agency's)
    stop_parent: np.ndarray  # index of the parent station, -1 if none
    stop_location_type: np.ndarray
    stop_mtt: np.ndarray  # minimum transfer time at the stop (same-stop transfers.txt rows), seconds
    tz_names: tuple[str, ...]
    route_ids: np.ndarray
    route_names: np.ndarray
    route_types: np.ndarray
    trip_ids: np.ndarray
    trip_names: np.ndarray  # trip_short_name, else trip_id
    trip_route: np.ndarray
    trip_service: np.ndarray
    trip_tz: np.ndarray  # agency time zone of the trip (the zone its stop_times are written in)
    trip_first: np.ndarray  # first connection index
    trip_nconn: np.ndarray
    c_trip: np.ndarray
    c_from: np.ndarray
    c_to: np.ndarray
    c_dep: np.ndarray  # int32 seconds from noon-12h of the service day
    c_arr: np.ndarray
    c_board: np.ndarray  # bool: boarding allowed at c_from (pickup_type != 1)
    c_alight: np.ndarray  # bool: alighting allowed at c_to (drop_off_type != 1)
    c_dep_est: np.ndarray  # bool: the departure time is approximate (timepoint = 0: derived, interpolated, ...)
    c_arr_est: np.ndarray  # bool: the arrival time is approximate
    fp_start: np.ndarray
    fp_to: np.ndarray
    fp_dur: np.ndarray
    service_ids: np.ndarray
    cal_days: np.ndarray  # (n_services, 7) bool Monday..Sunday
    cal_start: np.ndarray  # date ordinals, 0 when the service has no calendar.txt row
    cal_end: np.ndarray
    exc_service: np.ndarray
    exc_date: np.ndarray  # date ordinals
    exc_type: np.ndarray  # 1 added, 2 removed
    clearance_stop: np.ndarray  # stop index of each clearance step (project extension clearance.txt)
    clearance_text: np.ndarray
    alt_stop: np.ndarray  # translations.txt: stop index of each other-language stop name
    alt_name: np.ndarray
    alt_lang: np.ndarray
    trip_headway: np.ndarray  # seconds between departures of a frequency-based trip with inexact times, else 0
    trip_window: np.ndarray  # (n_trips, 2) start and end of that trip's frequencies.txt window, seconds
    trip_note: np.ndarray  # trip_notes.txt: what a traveller must know about the trip's times ("" if nothing)
    alias_name: np.ndarray  # aliases.txt: a place name (any language) standing for the stop alias_stop
    alias_stop: np.ndarray
    gap_stop: np.ndarray  # gaps.txt: a stop the gap concerns (-1: the whole feed) and its description
    gap_text: np.ndarray
    max_offset_s: int = 0
    walk_radius_m: float = DEFAULT_RADIUS_M
    walk_speed_mps: float = DEFAULT_SPEED_MPS
    _day_cache: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)

    @property
    def n_stops(self) -> int:
        return len(self.stop_ids)

    @property
    def n_trips(self) -> int:
        return len(self.trip_ids)

    @property
    def n_conn(self) -> int:
        return len(self.c_trip)

    def stop_index(self) -> dict[str, int]:
        """stop_id -> index (built once per timetable)."""
        idx = self._day_cache.get("stop_index")
        if idx is None:
            idx = {s: i for i, s in enumerate(self.stop_ids.tolist())}
            self._day_cache["stop_index"] = idx
        return idx

    def service_date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last date any service runs (from calendar and added exceptions)."""
        los: list[int] = []
        his: list[int] = []
        has = self.cal_start > 0
        if has.any():
            los.append(int(self.cal_start[has].min()))
            his.append(int(self.cal_end[has].max()))
        added = self.exc_type == 1
        if added.any():
            los.append(int(self.exc_date[added].min()))
            his.append(int(self.exc_date[added].max()))
        if not los:
            return None
        return dt.date.fromordinal(min(los)), dt.date.fromordinal(max(his))

    def active_services(self, day: dt.date) -> np.ndarray:
        """Boolean mask over services running on ``day`` (calendar.txt, then calendar_dates.txt exceptions)."""
        o = day.toordinal()
        active = (self.cal_start <= o) & (o <= self.cal_end) & (self.cal_start > 0) & self.cal_days[:, day.weekday()]
        on_day = self.exc_date == o
        if on_day.any():
            active = active.copy()
            active[self.exc_service[on_day & (self.exc_type == 1)]] = True
            active[self.exc_service[on_day & (self.exc_type == 2)]] = False
        return active


@dataclass(frozen=True, eq=False)
class DayConnections:
    """Connections of the trips running around one query date, as UTC epoch seconds sorted by departure.

    ``inst_trip[k]`` and ``inst_date[k]`` give the trip and service date (ordinal) of trip instance ``k``.
    """

    dep: np.ndarray  # int64
    arr: np.ndarray
    frm: np.ndarray  # int32 stop
    to: np.ndarray
    inst: np.ndarray  # int32 trip instance
    conn: np.ndarray  # int32 index into Timetable connections
    board: np.ndarray  # bool
    alight: np.ndarray
    inst_trip: np.ndarray
    inst_date: np.ndarray
    inst_day_start: np.ndarray  # int64 epoch of noon-12h of the instance's service day in its agency zone


def day_start_epoch(day: dt.date, tz: str) -> int:
    """UTC epoch seconds of 'noon minus 12 h' local time on ``day`` in ``tz`` (the GTFS time origin)."""
    noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(tz))
    return int(noon.timestamp()) - 43200


def days_back(tt: Timetable) -> int:
    """Service days before the query date whose trips may still run on it: a trip of service day ``d - k`` runs
    until ``max_offset_s`` after its day's start, so it reaches day ``d`` only for ``k < max_offset_s / 24 h``."""
    return max(1, math.ceil(tt.max_offset_s / 86400) - 1)


def horizon_days(tt: Timetable) -> int:
    """Service days after the query date a journey may use: at least two, so that a journey of two nights is found
    (Bangkok to Kunming: a night train, a day's wait for the next morning's train), and as many as a trip of the
    feed may last."""
    return max(2, math.ceil(tt.max_offset_s / 86400))


def day_connections(tt: Timetable, day: dt.date) -> DayConnections:
    """Connections of the trips of the service days around ``day`` (cached per date).

    Service days from ``day - days_back`` to ``day + horizon_days`` are laid out, so that trips started the
    evening(s) before and journeys continuing over the following nights are both found.
    """
    key = day.toordinal()
    cached = tt._day_cache.get(key)
    if cached is not None:
        tt._day_cache.move_to_end(key)
        return cached
    back, ahead = days_back(tt), horizon_days(tt)
    deps, arrs, frms, tos, insts, conns, boards, alights = [], [], [], [], [], [], [], []
    inst_trip, inst_date, inst_start = [], [], []
    n_inst = 0
    trip_conn = tt.c_trip
    for off in range(-back, ahead + 1):
        s_day = day + dt.timedelta(days=off)
        active = tt.active_services(s_day)
        trips = np.flatnonzero(active[tt.trip_service])
        if len(trips) == 0:
            continue
        starts = np.array([day_start_epoch(s_day, tz) for tz in tt.tz_names], dtype=np.int64)
        trip_start = starts[tt.trip_tz[trips]]
        # map each trip to an instance number, then select its connections
        inst_of_trip = np.full(tt.n_trips, -1, dtype=np.int64)
        inst_of_trip[trips] = np.arange(len(trips)) + n_inst
        cmask = inst_of_trip[trip_conn] >= 0
        cidx = np.flatnonzero(cmask)
        ti = trip_conn[cidx]
        base = np.empty(tt.n_trips, dtype=np.int64)
        base[trips] = trip_start
        deps.append(tt.c_dep[cidx].astype(np.int64) + base[ti])
        arrs.append(tt.c_arr[cidx].astype(np.int64) + base[ti])
        frms.append(tt.c_from[cidx])
        tos.append(tt.c_to[cidx])
        insts.append(inst_of_trip[ti].astype(np.int32))
        conns.append(cidx.astype(np.int32))
        boards.append(tt.c_board[cidx])
        alights.append(tt.c_alight[cidx])
        inst_trip.append(trips.astype(np.int32))
        inst_date.append(np.full(len(trips), s_day.toordinal(), dtype=np.int64))
        inst_start.append(trip_start)
        n_inst += len(trips)
    if not deps:
        empty_i = np.zeros(0, dtype=np.int32)
        empty_l = np.zeros(0, dtype=np.int64)
        empty_b = np.zeros(0, dtype=bool)
        out = DayConnections(empty_l, empty_l, empty_i, empty_i, empty_i, empty_i, empty_b, empty_b,
                             empty_i, empty_l, empty_l)
    else:
        dep = np.concatenate(deps)
        order_key = np.arange(len(dep))  # connections of a trip keep their sequence order on equal times
        order = np.lexsort((order_key, dep))
        out = DayConnections(
            dep=np.ascontiguousarray(dep[order]), arr=np.ascontiguousarray(np.concatenate(arrs)[order]),
            frm=np.ascontiguousarray(np.concatenate(frms)[order]).astype(np.int32),
            to=np.ascontiguousarray(np.concatenate(tos)[order]).astype(np.int32),
            inst=np.ascontiguousarray(np.concatenate(insts)[order]),
            conn=np.ascontiguousarray(np.concatenate(conns)[order]),
            board=np.ascontiguousarray(np.concatenate(boards)[order]),
            alight=np.ascontiguousarray(np.concatenate(alights)[order]),
            inst_trip=np.concatenate(inst_trip), inst_date=np.concatenate(inst_date),
            inst_day_start=np.concatenate(inst_start))
    tt._day_cache[key] = out
    days = [k for k in tt._day_cache if isinstance(k, int)]
    for k in days[:-8]:
        del tt._day_cache[k]
    return out


# ----------------------------------------------------------------------------------------------------------------
# building


def _col(df: pd.DataFrame, name: str, default: str = "") -> pd.Series:
    import pandas as pd

    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index, dtype=object)


def _check_tz(tz: str, where: str) -> str:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ParseError(f"{where}: {tz!r} is not an IANA time zone.") from exc
    return tz


def _date_ordinals(values: pd.Series, where: str, column: str) -> np.ndarray:
    import pandas as pd

    parsed = pd.to_datetime(values.astype(str).str.strip(), format="%Y%m%d", errors="coerce")
    if parsed.isna().any():
        pos = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise ParseError(f"{where}: line {pos + 2}: field {column!r}: {values.iloc[pos]!r} is not a date YYYYMMDD.")
    return np.array([d.toordinal() for d in parsed.dt.date], dtype=np.int64)


def _fill_blank_times(st: pd.DataFrame, sidx: dict[str, int], lat: np.ndarray, lon: np.ndarray) -> pd.DataFrame:
    """Interpolate blank stop times (see :mod:`lmc.corridor.interpolate`); filled stops get timepoint 0."""
    import pandas as pd

    from lmc.corridor.interpolate import along_trip, fill_blank_times

    if not (st["arr_s"] < 0).any():
        return st
    st = st.sort_values(["trip_id", "seq"], kind="stable")
    trip = pd.factorize(st["trip_id"], sort=False)[0]
    stop = st["stop_id"].map(sidx).to_numpy(dtype=np.int64)
    sd = pd.to_numeric(_col(st, "shape_dist_traveled"), errors="coerce").to_numpy(dtype=float)
    x, _ = along_trip(trip, sd, lat[stop], lon[stop])
    arr, dep, filled, keep = fill_blank_times(trip, st["arr_s"].to_numpy(), st["dep_s"].to_numpy(), x)
    st = st.assign(arr_s=arr, dep_s=dep, timepoint=np.where(filled, "0", st["timepoint"].astype(str)))
    return st[keep]


def _expand_frequencies(feed: GtfsFeed, trips: pd.DataFrame, st: pd.DataFrame
                        ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace each frequency-based trip by one scheduled trip per headway (``trip_id@HH:MM:SS``).

    Departures are laid out at the start of each headway, for ``exact_times=1`` (exact) and ``exact_times=0``
    (headway-based) alike; the latter are marked: their stop times get timepoint 0 (estimated) and the trips keep
    their headway and window in the columns ``_headway``, ``_win_start`` and ``_win_end``, so every answer that
    uses one can say the times are not exact (docs/corridor.md). ``_base`` keeps the template's trip_id.
    """
    import pandas as pd

    trips = trips.assign(_base=trips["trip_id"], _headway=0, _win_start=0, _win_end=0)
    fr = feed.table("frequencies")
    if fr is None or len(fr) == 0:
        return trips, st
    fr = fr[fr["headway_s"] > 0]
    freq_trips = set(fr["trip_id"])
    base_st = st[st["trip_id"].isin(freq_trips)]
    first = base_st.groupby("trip_id")["dep_s"].min()
    templates = {tid: g for tid, g in base_st.groupby("trip_id", sort=False)}
    trip_rows = trips.set_index("trip_id", drop=False)
    new_trips, new_st = [], []
    for row in fr.itertuples(index=False):
        tid = row.trip_id
        if tid not in first.index or tid not in trip_rows.index:
            continue
        template = templates[tid]
        t0 = int(first[tid])
        starts = np.arange(int(row.start_s), int(row.end_s), int(row.headway_s))
        inexact = not bool(row.exact)
        for start in starts:
            new_id = f"{tid}@{int(start) // 3600:02d}:{int(start) % 3600 // 60:02d}:{int(start) % 60:02d}"
            t = trip_rows.loc[[tid]].assign(trip_id=new_id, _headway=int(row.headway_s) if inexact else 0,
                                            _win_start=int(row.start_s), _win_end=int(row.end_s))
            new_trips.append(t)
            s_ = template.assign(trip_id=new_id, arr_s=template["arr_s"] - t0 + start,
                                 dep_s=template["dep_s"] - t0 + start)
            if inexact:
                s_ = s_.assign(timepoint="0")
            new_st.append(s_)
    trips = pd.concat([trips[~trips["trip_id"].isin(freq_trips)], *new_trips], ignore_index=True)
    st = pd.concat([st[~st["trip_id"].isin(freq_trips)], *new_st], ignore_index=True)
    return trips, st


def _footpaths(feed: GtfsFeed, sidx: dict[str, int], lat: np.ndarray, lon: np.ndarray, parent: np.ndarray,
               loc_type: np.ndarray, walk_speed_mps: float, walk_radius_m: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Minimum transfer time per stop, and footpaths ``(fp_start, fp_to, fp_dur)`` sorted by origin stop.

    In order of precedence: transfers.txt (a time it gives; a walk at ``walk_speed_mps`` when it gives none, at
    least :data:`DEFAULT_MIN_WALK_S`; type 3 forbids), walks between the platforms of one station, then walks
    between any two stops within ``walk_radius_m`` (:mod:`lmc.corridor.walks`).
    """
    n_stops = len(lat)
    stop_mtt = np.zeros(n_stops, dtype=np.int32)
    fp: dict[tuple[int, int], int] = {}
    forbidden: set[tuple[int, int]] = set()
    tr = feed.table("transfers")
    if tr is not None and len(tr):
        for row in tr.itertuples(index=False):
            f = sidx.get(getattr(row, "from_stop_id", ""), -1)
            t = sidx.get(getattr(row, "to_stop_id", ""), -1)
            if f < 0 or t < 0:
                continue
            ttype = str(getattr(row, "transfer_type", "") or "0").strip() or "0"
            mtt_raw = str(getattr(row, "min_transfer_time", "") or "").strip()
            if ttype == "3":
                forbidden.add((f, t))
                continue
            if ttype not in {"0", "1", "2"}:
                continue
            if f == t:
                if mtt_raw:
                    stop_mtt[f] = max(stop_mtt[f], int(float(mtt_raw)))
                continue
            if mtt_raw:
                dur = int(float(mtt_raw))
            else:
                d = float(haversine_m(lat[f], lon[f], lat[t], lon[t]))
                dur = max(DEFAULT_MIN_WALK_S, int(round(d / walk_speed_mps))) if math.isfinite(d) else \
                    DEFAULT_MIN_WALK_S
            fp[(f, t)] = min(dur, fp.get((f, t), dur))
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parent):
        if p >= 0:
            children.setdefault(int(p), []).append(i)
    for kids in children.values():
        for f in kids:
            for t in kids:
                if f != t and (f, t) not in fp and (f, t) not in forbidden:
                    d = float(haversine_m(lat[f], lon[f], lat[t], lon[t]))
                    base = int(round(d / walk_speed_mps)) if math.isfinite(d) else 0
                    fp[(f, t)] = max(DEFAULT_MIN_WALK_S, base, int(stop_mtt[f]))
    keys = np.array(sorted(fp), dtype=np.int64).reshape(-1, 2)
    frm, to = keys[:, 0], keys[:, 1]
    dur = np.array([fp[(int(f), int(t))] for f, t in keys], dtype=np.int64)
    if walk_radius_m > 0:
        a, b, d = pairs_within(lat, lon, walk_radius_m, candidates=loc_type == 0)
        given = {f * n_stops + t for f, t in [*fp, *forbidden]}
        new = ~np.isin(a * n_stops + b, np.fromiter(given, dtype=np.int64, count=len(given)))
        frm, to = np.r_[frm, a[new]], np.r_[to, b[new]]
        dur = np.r_[dur, walk_seconds(d[new], walk_speed_mps)]
    order = np.lexsort((to, frm))
    frm, to, dur = frm[order], to[order], dur[order]
    fp_start = np.searchsorted(frm, np.arange(n_stops + 1)).astype(np.int32)
    return stop_mtt, fp_start, to.astype(np.int32), dur.astype(np.int32)


def build_timetable(feed: GtfsFeed, *, walk_speed_mps: float = DEFAULT_SPEED_MPS,
                    walk_radius_m: float = DEFAULT_RADIUS_M) -> Timetable:
    """Arrays for routing from a read feed (pure: no disk access).

    ``walk_radius_m`` and ``walk_speed_mps`` set the walks added between nearby stops (0 m: none).
    """
    import pandas as pd

    if walk_speed_mps <= 0 or walk_radius_m < 0:
        raise ParseError(f"walking speed must be positive and the walking radius at least 0 "
                         f"(got {walk_speed_mps} m/s, {walk_radius_m} m).")
    src = feed.source
    agency = feed["agency"]
    if len(agency) == 0:
        raise ParseError(f"{src}/agency.txt: no agency rows.")
    agency_tz = {str(r.get("agency_id", "")): _check_tz(str(r["agency_timezone"]), f"{src}/agency.txt")
                 for _, r in agency.iterrows()}
    default_tz = _check_tz(str(agency["agency_timezone"].iloc[0]), f"{src}/agency.txt")

    stops = feed["stops"].copy()
    stop_ids = stops["stop_id"].to_numpy(dtype=object)
    sidx = {s: i for i, s in enumerate(stop_ids)}
    if len(sidx) != len(stop_ids):
        dup = stops["stop_id"][stops["stop_id"].duplicated()].iloc[0]
        raise ParseError(f"{src}/stops.txt: stop_id {dup!r} appears twice.")
    parent = np.array([sidx.get(p, -1) if p else -1 for p in _col(stops, "parent_station")], dtype=np.int32)
    tz_raw = _col(stops, "stop_timezone").to_numpy(dtype=object)
    # a platform without stop_timezone inherits its station's
    tz_list = [str(z) if z else "" for z in tz_raw]
    for i, p in enumerate(parent):
        if not tz_list[i] and p >= 0 and tz_list[p]:
            tz_list[i] = tz_list[p]
    tz_list = [z or default_tz for z in tz_list]
    tz_names: list[str] = [default_tz]
    tz_pos = {default_tz: 0}
    for z in list(agency_tz.values()) + tz_list:
        if z not in tz_pos:
            tz_pos[_check_tz(z, f"{src}/stops.txt")] = len(tz_names)
            tz_names.append(z)
    stop_tz = np.array([tz_pos[z] for z in tz_list], dtype=np.int32)
    lat = pd.to_numeric(_col(stops, "stop_lat"), errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(_col(stops, "stop_lon"), errors="coerce").to_numpy(dtype=float)
    loc_type = pd.to_numeric(_col(stops, "location_type"), errors="coerce").fillna(0).to_numpy(dtype=np.int8)

    routes = feed["routes"]
    route_ids = routes["route_id"].to_numpy(dtype=object)
    ridx = {r: i for i, r in enumerate(route_ids)}
    short = _col(routes, "route_short_name")
    long_ = _col(routes, "route_long_name")
    route_names = np.where(short.astype(str).str.len() > 0, short, long_).astype(object)
    route_types = pd.to_numeric(_col(routes, "route_type"), errors="coerce").fillna(3).to_numpy(dtype=np.int32)
    route_agency = _col(routes, "agency_id").to_numpy(dtype=object)
    route_tz = np.array([tz_pos[agency_tz.get(str(a), default_tz)] for a in route_agency], dtype=np.int32)

    trips = feed["trips"].copy()
    dup = trips["trip_id"].duplicated()
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise ParseError(f"{src}/trips.txt: line {pos + 2}: field 'trip_id': {trips['trip_id'].iloc[pos]!r} appears "
                         "twice.")
    raw_st = feed["stop_times"]
    st = raw_st[["trip_id", "stop_id", "seq", "arr_s", "dep_s"]].copy()
    for opt in ("pickup_type", "drop_off_type", "timepoint", "shape_dist_traveled"):
        st[opt] = _col(raw_st, opt)
    stop_index = pd.Index(stop_ids)
    bad_stop = stop_index.get_indexer(st["stop_id"]) < 0
    if bad_stop.any():
        pos = int(np.flatnonzero(bad_stop)[0])
        from lmc.errors import suggest

        sid = st["stop_id"].iloc[pos]
        raise ParseError(f"{src}/stop_times.txt: line {pos + 2}: field 'stop_id': {sid!r} is not in stops.txt."
                         f"{suggest(sid, stop_ids)}")
    bad_route = ~trips["route_id"].isin(ridx.keys())
    if bad_route.any():
        pos = int(np.flatnonzero(bad_route.to_numpy())[0])
        raise ParseError(f"{src}/trips.txt: line {pos + 2}: field 'route_id': {trips['route_id'].iloc[pos]!r} is "
                         "not in routes.txt.")
    st = _fill_blank_times(st, sidx, lat, lon)
    trips, st = _expand_frequencies(feed, trips, st)

    # services
    cal = feed.table("calendar")
    cdates = feed.table("calendar_dates")
    service_ids: list[str] = []
    spos: dict[str, int] = {}
    for sid in list(cal["service_id"] if cal is not None and len(cal) else []) + \
            list(cdates["service_id"] if cdates is not None and len(cdates) else []) + list(trips["service_id"]):
        if sid not in spos:
            spos[sid] = len(service_ids)
            service_ids.append(sid)
    n_serv = len(service_ids)
    cal_days = np.zeros((n_serv, 7), dtype=bool)
    cal_start = np.zeros(n_serv, dtype=np.int64)
    cal_end = np.zeros(n_serv, dtype=np.int64)
    if cal is not None and len(cal):
        where = f"{src}/calendar.txt"
        idx = np.array([spos[s] for s in cal["service_id"]])
        for d, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")):
            cal_days[idx, d] = _col(cal, name, "0").astype(str).str.strip().eq("1").to_numpy()
        cal_start[idx] = _date_ordinals(cal["start_date"], where, "start_date")
        cal_end[idx] = _date_ordinals(cal["end_date"], where, "end_date")
    if cdates is not None and len(cdates):
        where = f"{src}/calendar_dates.txt"
        exc_service = np.array([spos[s] for s in cdates["service_id"]], dtype=np.int64)
        exc_date = _date_ordinals(cdates["date"], where, "date")
        exc_type = pd.to_numeric(cdates["exception_type"], errors="coerce").fillna(0).to_numpy(dtype=np.int8)
    else:
        exc_service = np.zeros(0, dtype=np.int64)
        exc_date = np.zeros(0, dtype=np.int64)
        exc_type = np.zeros(0, dtype=np.int8)

    # trips and connections
    trip_ids = trips["trip_id"].to_numpy(dtype=object)
    names = _col(trips, "trip_short_name").astype(str)
    trip_names = np.where(names.str.len() > 0, names, trips["trip_id"]).astype(object)
    trip_route = trips["route_id"].map(ridx).to_numpy(dtype=np.int32)
    trip_service = trips["service_id"].map(spos).to_numpy(dtype=np.int32)
    trip_tz = route_tz[trip_route]
    trip_headway = trips["_headway"].to_numpy(dtype=np.int32)
    trip_window = trips[["_win_start", "_win_end"]].to_numpy(dtype=np.int32).reshape(-1, 2)
    notes = _trip_notes(feed.table("trip_notes"))
    trip_note = trips["_base"].map(lambda t: notes.get(t, "")).to_numpy(dtype=object)

    # rows of trips in trips.txt, in trip then stop_sequence order (integer codes: sorting strings is slow)
    t_all = pd.Index(trip_ids).get_indexer(st["trip_id"])
    rows = np.flatnonzero(t_all >= 0)
    rows = rows[np.lexsort((st["seq"].to_numpy()[rows], t_all[rows]))]
    t_of_row = t_all[rows].astype(np.int64)
    s_of_row = stop_index.get_indexer(st["stop_id"])[rows].astype(np.int64)
    arr_s = st["arr_s"].to_numpy(dtype=np.int64)[rows]
    dep_s = st["dep_s"].to_numpy(dtype=np.int64)[rows]
    pick = st["pickup_type"].to_numpy(dtype=object)[rows]
    drop = st["drop_off_type"].to_numpy(dtype=object)[rows]
    tp = st["timepoint"].to_numpy(dtype=object)[rows] == "0"
    same = t_of_row[1:] == t_of_row[:-1]
    a = np.flatnonzero(same)  # connection from row a to row a+1
    c_trip = t_of_row[a].astype(np.int32)
    c_from = s_of_row[a].astype(np.int32)
    c_to = s_of_row[a + 1].astype(np.int32)
    c_dep = dep_s[a].astype(np.int32)
    c_arr = arr_s[a + 1].astype(np.int32)
    c_board = pick[a] != "1"
    c_alight = drop[a + 1] != "1"
    n_trips = len(trip_ids)
    trip_nconn = np.bincount(c_trip, minlength=n_trips).astype(np.int32)
    trip_first = np.full(n_trips, -1, dtype=np.int32)
    if len(c_trip):
        firsts = np.flatnonzero(np.r_[True, c_trip[1:] != c_trip[:-1]])
        trip_first[c_trip[firsts]] = firsts
    max_offset = int(max(c_arr.max(initial=0), c_dep.max(initial=0)))

    stop_mtt, fp_start, fp_to, fp_dur = _footpaths(feed, sidx, lat, lon, parent, loc_type, walk_speed_mps,
                                                   walk_radius_m)

    cl = feed.table("clearance")
    if cl is not None and len(cl):
        keep = cl["stop_id"].isin(sidx.keys())
        clearance_stop = cl.loc[keep, "stop_id"].map(sidx).to_numpy(dtype=np.int32)
        clearance_text = _col(cl, "description").loc[keep].to_numpy(dtype=object)
    else:
        clearance_stop = np.zeros(0, dtype=np.int32)
        clearance_text = np.zeros(0, dtype=object)

    alt_stop, alt_name, alt_lang = _stop_translations(feed.table("translations"), sidx, stops)
    alias_name, alias_stop = _aliases(feed.table("aliases"), sidx, src)
    gap_stop, gap_text = _gaps(feed.table("gaps"), sidx)

    return Timetable(
        source=src, stop_ids=stop_ids, stop_names=_col(stops, "stop_name").to_numpy(dtype=object),
        stop_codes=_col(stops, "stop_code").astype(str).to_numpy(dtype=object),
        stop_lat=lat, stop_lon=lon, stop_tz=stop_tz, stop_parent=parent, stop_location_type=loc_type,
        stop_mtt=stop_mtt, tz_names=tuple(tz_names), route_ids=route_ids, route_names=route_names,
        route_types=route_types, trip_ids=trip_ids, trip_names=trip_names, trip_route=trip_route,
        trip_service=trip_service, trip_tz=trip_tz, trip_first=trip_first, trip_nconn=trip_nconn,
        c_trip=c_trip, c_from=c_from, c_to=c_to, c_dep=c_dep, c_arr=c_arr, c_board=c_board, c_alight=c_alight,
        c_dep_est=tp[a], c_arr_est=tp[a + 1], fp_start=fp_start, fp_to=fp_to, fp_dur=fp_dur,
        service_ids=np.array(service_ids, dtype=object), cal_days=cal_days, cal_start=cal_start, cal_end=cal_end,
        exc_service=exc_service, exc_date=exc_date, exc_type=exc_type, clearance_stop=clearance_stop,
        clearance_text=clearance_text, alt_stop=alt_stop, alt_name=alt_name, alt_lang=alt_lang,
        trip_headway=trip_headway, trip_window=trip_window, trip_note=trip_note, alias_name=alias_name,
        alias_stop=alias_stop, gap_stop=gap_stop, gap_text=gap_text, max_offset_s=max_offset,
        walk_radius_m=float(walk_radius_m), walk_speed_mps=float(walk_speed_mps))


def _stop_translations(tr: pd.DataFrame | None, sidx: dict[str, int], stops: pd.DataFrame
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Other-language stop names from translations.txt (by record_id, or by field_value as older feeds do)."""
    if tr is None or len(tr) == 0 or "translation" not in tr.columns:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=object), np.zeros(0, dtype=object)
    rows = tr[(_col(tr, "table_name") == "stops") & (_col(tr, "field_name") == "stop_name")]
    by_name: dict[str, list[int]] = {}
    for i, n in enumerate(_col(stops, "stop_name")):
        by_name.setdefault(str(n), []).append(i)
    out_s: list[int] = []
    out_n: list[str] = []
    out_l: list[str] = []
    for rec, val, text, lang in zip(_col(rows, "record_id"), _col(rows, "field_value"), rows["translation"],
                                    _col(rows, "language")):
        targets = [sidx[rec]] if rec in sidx else by_name.get(str(val), [])
        for t in targets:
            out_s.append(t)
            out_n.append(str(text))
            out_l.append(str(lang))
    return np.array(out_s, dtype=np.int32), np.array(out_n, dtype=object), np.array(out_l, dtype=object)


def _trip_notes(tn: pd.DataFrame | None) -> dict[str, str]:
    if tn is None or len(tn) == 0 or not {"trip_id", "note"} <= set(tn.columns):
        return {}
    return dict(zip(tn["trip_id"].astype(str), tn["note"].astype(str)))


def _aliases(al: pd.DataFrame | None, sidx: dict[str, int], src: str) -> tuple[np.ndarray, np.ndarray]:
    """aliases.txt: ``name, stop_id`` (and ``language``), one row per station a place name stands for."""
    if al is None or len(al) == 0:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int32)
    for col in ("name", "stop_id"):
        if col not in al.columns:
            raise ParseError(f"{src}/aliases.txt: line 1: required column {col!r} is missing.")
    bad = ~al["stop_id"].isin(sidx.keys())
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParseError(f"{src}/aliases.txt: line {pos + 2}: field 'stop_id': {al['stop_id'].iloc[pos]!r} is not "
                         "in stops.txt.")
    return al["name"].to_numpy(dtype=object), al["stop_id"].map(sidx).to_numpy(dtype=np.int32)


def _gaps(gp: pd.DataFrame | None, sidx: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """gaps.txt: ``stop_id`` (blank: the whole feed) and ``description`` of each known gap in the data."""
    if gp is None or len(gp) == 0 or "description" not in gp.columns:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=object)
    stop = _col(gp, "stop_id").map(lambda s: sidx.get(s, -1)).to_numpy(dtype=np.int32)
    return stop, gp["description"].to_numpy(dtype=object)


# ----------------------------------------------------------------------------------------------------------------
# disk cache

_SCALARS = {"source", "tz_names", "max_offset_s", "walk_radius_m", "walk_speed_mps", "_day_cache"}
_ARRAY_FIELDS = [f for f in Timetable.__dataclass_fields__ if f not in _SCALARS]


def _feed_key(path: Path, walk_radius_m: float, walk_speed_mps: float) -> str:
    """Cheap identity of a feed on disk and the walking settings: resolved path, and name, size and mtime of
    each file."""
    h = hashlib.sha256(f"{CACHE_VERSION}|{path.resolve()}|{walk_radius_m!r}|{walk_speed_mps!r}".encode())
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    for f in files:
        if f.is_file():
            stt = f.stat()
            h.update(f"|{f.name}|{stt.st_size}|{stt.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def save_timetable(tt: Timetable, target: Path) -> None:
    """Write ``tt`` as one .npz (temp file then ``os.replace``: never half-written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for name in _ARRAY_FIELDS:
        v = getattr(tt, name)
        arrays[name] = v.astype(str) if v.dtype == object else v
    meta = {"source": tt.source, "tz_names": list(tt.tz_names), "max_offset_s": tt.max_offset_s,
            "walk_radius_m": tt.walk_radius_m, "walk_speed_mps": tt.walk_speed_mps, "version": CACHE_VERSION}
    arrays["__meta__"] = np.array(json.dumps(meta))
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, **arrays)


def load_cached(target: Path) -> Timetable | None:
    try:
        with np.load(target, allow_pickle=False) as z:
            meta = json.loads(str(z["__meta__"]))
            if meta.get("version") != CACHE_VERSION:
                return None
            kw = {}
            for name in _ARRAY_FIELDS:
                v = z[name]
                kw[name] = v.astype(object) if v.dtype.kind == "U" else v
    except (OSError, ValueError, KeyError):
        return None
    return Timetable(source=meta["source"], tz_names=tuple(meta["tz_names"]), max_offset_s=int(meta["max_offset_s"]),
                     walk_radius_m=float(meta["walk_radius_m"]), walk_speed_mps=float(meta["walk_speed_mps"]), **kw)


def default_cache_dir() -> Path:
    from lmc.config import get_settings

    return get_settings().cache_dir / "timetables"


def load_timetable(path: str | Path, *, cache_dir: Path | None = None, use_cache: bool = True,
                   walk_radius_m: float = DEFAULT_RADIUS_M, walk_speed_mps: float = DEFAULT_SPEED_MPS) -> Timetable:
    """The timetable of the feed at ``path``, from the on-disk cache when the feed files and the walking settings
    have not changed."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ParseError(f"GTFS feed {path} does not exist.")
    if use_cache:
        cache_dir = cache_dir or default_cache_dir()
        target = cache_dir / f"{_feed_key(path, walk_radius_m, walk_speed_mps)}.npz"
        if target.is_file():
            tt = load_cached(target)
            if tt is not None:
                return tt
    from lmc.corridor.gtfs import read_feed

    tt = build_timetable(read_feed(path), walk_radius_m=walk_radius_m, walk_speed_mps=walk_speed_mps)
    if use_cache:
        try:
            save_timetable(tt, target)
        except OSError:
            pass  # a read-only cache folder only costs speed
    return tt
