"""A deliberately simple reference search for cross-checking the planner: Bellman-Ford-style relaxation rounds.

It shares nothing with the planner's code but the feed reader (:func:`lmc.corridor.gtfs.read_feed`, which parses
the text files): connections of the service days around the query date are rebuilt here from the raw tables with
pandas, frequencies.txt is expanded here, and the footpaths are computed here from the modelling rules written in
docs/corridor.md (transfers.txt, platforms of one station, and walks between stops within the radius, found by
comparing every pair of stops). Every round relaxes *all* connections at once with NumPy: a connection is usable if
its trip was boarded at or before it (segmented cumulative OR), boarding needs the stop reached in the previous
round. Round ``k`` therefore holds the best arrivals with at most ``k`` rides, the same semantics as the planner.
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

INF = np.iinfo(np.int64).max // 4
R_EARTH = 6371008.8


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * R_EARTH * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def footpaths(feed, stop_ids: list[str], radius_m: float, speed: float) -> tuple[dict, np.ndarray]:
    """``{(from, to): seconds}`` and the per-stop minimum transfer time, by the documented rules, with an O(n^2)
    comparison of every pair of stops for the walks."""
    stops = feed["stops"].set_index("stop_id").loc[stop_ids]
    lat = pd.to_numeric(stops["stop_lat"], errors="coerce").to_numpy(float)
    lon = pd.to_numeric(stops["stop_lon"], errors="coerce").to_numpy(float)
    pos = {s: i for i, s in enumerate(stop_ids)}
    mtt = np.zeros(len(stop_ids), dtype=np.int64)
    fp: dict[tuple[int, int], int] = {}
    banned: set[tuple[int, int]] = set()
    tr = feed.table("transfers")
    for _, r in (tr.iterrows() if tr is not None else []):
        f, t = pos.get(r.get("from_stop_id"), -1), pos.get(r.get("to_stop_id"), -1)
        ttype = (str(r.get("transfer_type", "")).strip() or "0")
        if f < 0 or t < 0 or ttype not in "0123":
            continue
        if ttype == "3":
            banned.add((f, t))
            continue
        m = str(r.get("min_transfer_time", "")).strip()
        if f == t:
            mtt[f] = max(mtt[f], int(float(m))) if m else mtt[f]
            continue
        if m:
            dur = int(float(m))
        else:
            d = float(_haversine(lat[f], lon[f], lat[t], lon[t]))
            dur = max(60, int(round(d / speed))) if math.isfinite(d) else 60
        fp[(f, t)] = min(dur, fp.get((f, t), dur))
    parent = stops["parent_station"].to_numpy() if "parent_station" in stops.columns else [""] * len(stop_ids)
    for f in range(len(stop_ids)):
        for t in range(len(stop_ids)):
            if f != t and parent[f] and parent[f] == parent[t] and (f, t) not in fp and (f, t) not in banned:
                d = float(_haversine(lat[f], lon[f], lat[t], lon[t]))
                fp[(f, t)] = max(60, int(round(d / speed)) if math.isfinite(d) else 0, int(mtt[f]))
    loc = pd.to_numeric(stops.get("location_type", pd.Series("", index=stops.index)), errors="coerce").fillna(0)
    ok = (loc.to_numpy() == 0) & np.isfinite(lat) & np.isfinite(lon)
    d = _haversine(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    for f, t in zip(*np.nonzero((d <= radius_m) & ok[:, None] & ok[None, :])):
        if f != t and (f, t) not in fp and (f, t) not in banned:
            fp[(int(f), int(t))] = int(math.ceil(d[f, t] / speed))
    return fp, mtt


class BruteDay:
    """Connections of every trip of the service days ``day - back .. day + ahead``, in UTC epoch seconds."""

    def __init__(self, feed, stop_ids: list[str], day: dt.date, *, back: int, ahead: int,
                 radius_m: float = 400.0, speed: float = 1.2):
        raw = feed["stop_times"]
        assert (raw["arr_s"] >= 0).all(), "the reference search does not interpolate blank times"
        st = raw[["trip_id", "stop_id", "seq", "arr_s", "dep_s"]].copy()
        st["pick"] = raw.get("pickup_type", pd.Series("", index=st.index)).astype(str).str.strip().ne("1")
        st["drop"] = raw.get("drop_off_type", pd.Series("", index=st.index)).astype(str).str.strip().ne("1")
        st = self._expand_frequencies(feed, st)
        trips = feed["trips"]
        agency = feed["agency"]
        tz_of_agency = dict(zip(agency.get("agency_id", pd.Series([""] * len(agency))), agency["agency_timezone"]))
        default_tz = agency["agency_timezone"].iloc[0]
        routes = feed["routes"]
        route_tz = {r: tz_of_agency.get(a, default_tz)
                    for r, a in zip(routes["route_id"], routes.get("agency_id", pd.Series([""] * len(routes))))}
        trip_tz = {t: route_tz[r] for t, r in zip(trips["trip_id"], trips["route_id"])}
        trip_service = dict(zip(trips["trip_id"], trips["service_id"]))
        pos = {s: i for i, s in enumerate(stop_ids)}
        parts = []
        for off in range(-back, ahead + 1):
            sday = day + dt.timedelta(days=off)
            active = self._active_services(feed, sday)
            base_of = {tz: int(dt.datetime(sday.year, sday.month, sday.day, 12, tzinfo=ZoneInfo(tz)).timestamp())
                       - 43200 for tz in set(trip_tz.values())}
            running = [t for t, sid in trip_service.items() if sid in active]
            s = st[st["_tmpl"].isin(running)].copy()
            s["base"] = s["_tmpl"].map(trip_tz).map(base_of)
            s["inst"] = s["trip_id"] + f"|{off}"
            parts.append(s)
        st = pd.concat(parts, ignore_index=True).sort_values(["inst", "seq"], kind="stable")
        t = st["inst"].to_numpy()
        a = np.flatnonzero(t[1:] == t[:-1])
        stop = st["stop_id"].map(pos).to_numpy()
        base = st["base"].to_numpy(np.int64)
        self.frm, self.to = stop[a], stop[a + 1]
        self.dep = st["dep_s"].to_numpy(np.int64)[a] + base[a]
        self.arr = st["arr_s"].to_numpy(np.int64)[a + 1] + base[a + 1]
        self.board = st["pick"].to_numpy()[a]
        self.alight = st["drop"].to_numpy()[a + 1]
        seg_start = np.r_[True, t[a][1:] != t[a][:-1]]
        self.seg = np.cumsum(seg_start) - 1
        self.seg_first = np.flatnonzero(seg_start)
        self.n_stops = len(stop_ids)
        fp, self.mtt = footpaths(feed, stop_ids, radius_m, speed)
        self.fp = fp
        keys = sorted(fp)
        self.fp_from = np.array([k[0] for k in keys], dtype=np.int64)
        self.fp_to = np.array([k[1] for k in keys], dtype=np.int64)
        self.fp_dur = np.array([fp[k] for k in keys], dtype=np.int64)

    @staticmethod
    def _expand_frequencies(feed, st: pd.DataFrame) -> pd.DataFrame:
        st = st.assign(_tmpl=st["trip_id"])
        fr = feed.table("frequencies")
        if fr is None or len(fr) == 0:
            return st
        out = [st[~st["trip_id"].isin(set(fr["trip_id"]))]]
        for _, r in fr.iterrows():
            tmpl = st[st["trip_id"] == r["trip_id"]]
            first = int(tmpl["dep_s"].min())
            for start in range(int(r["start_s"]), int(r["end_s"]), int(r["headway_s"])):
                out.append(tmpl.assign(trip_id=f"{r['trip_id']}@{start}", arr_s=tmpl["arr_s"] - first + start,
                                       dep_s=tmpl["dep_s"] - first + start))
        return pd.concat(out, ignore_index=True)

    @staticmethod
    def _active_services(feed, day: dt.date) -> set[str]:
        out: set[str] = set()
        cal = feed.table("calendar")
        ymd = day.strftime("%Y%m%d")
        if cal is not None:
            wd = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day.weekday()]
            ok = (cal["start_date"] <= ymd) & (cal["end_date"] >= ymd) & (cal[wd] == "1")
            out |= set(cal.loc[ok, "service_id"])
        cd = feed.table("calendar_dates")
        if cd is not None:
            today = cd[cd["date"] == ymd]
            out |= set(today.loc[today["exception_type"] == "1", "service_id"])
            out -= set(today.loc[today["exception_type"] == "2", "service_id"])
        return out

    def _walk(self, times: np.ndarray) -> np.ndarray:
        out = np.full(self.n_stops, INF, dtype=np.int64)
        if len(self.fp_from):
            cand = times[self.fp_from] + self.fp_dur
            cand[times[self.fp_from] >= INF] = INF
            np.minimum.at(out, self.fp_to, cand)
        return out

    def search(self, t0: int, origins, targets, max_rounds: int = 12) -> list[int]:
        """Best arrival at any target with at most k rides, for k = 0..max_rounds."""
        keep = self.dep >= t0  # a connection leaving before t0 can never be used
        frm, to, dep, arr = self.frm[keep], self.to[keep], self.dep[keep], self.arr[keep]
        board, alight, seg = self.board[keep], self.alight[keep], self.seg[keep]
        seg_first = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]]) if len(seg) else np.zeros(0, dtype=np.int64)
        seg = np.cumsum(np.r_[True, seg[1:] != seg[:-1]]) - 1 if len(seg) else seg
        arrive = np.full(self.n_stops, INF, dtype=np.int64)
        arrive[origins] = t0
        walk = self._walk(arrive)
        arrive = np.minimum(arrive, walk)
        ready = arrive.copy()
        best = [int(arrive[targets].min())]
        for _ in range(max_rounds):
            can = board & (ready[frm] <= dep)
            cs = np.cumsum(can)
            before = cs[seg_first] - can[seg_first]
            reached = (cs - before[seg]) > 0
            use = reached & alight
            veh = np.full(self.n_stops, INF, dtype=np.int64)
            np.minimum.at(veh, to[use], arr[use])
            walk = self._walk(veh)
            new_arrive = np.minimum(arrive, np.minimum(veh, walk))
            vr = np.where(veh < INF, veh + self.mtt, INF)
            new_ready = np.minimum(ready, np.minimum(vr, walk))
            changed = not (np.array_equal(new_arrive, arrive) and np.array_equal(new_ready, ready))
            arrive, ready = new_arrive, new_ready
            best.append(int(arrive[targets].min()))
            if not changed:
                break
        while len(best) < max_rounds + 1:
            best.append(best[-1])
        return best
