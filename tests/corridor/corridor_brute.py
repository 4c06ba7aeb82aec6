"""A deliberately simple reference search for cross-checking the planner: Bellman-Ford-style relaxation rounds.

It shares nothing with the CSA code but the footpath model (``tt.fp_*``, a modelling choice, not an algorithm):
connections of ONE service day are rebuilt here from the raw GTFS tables with pandas, in trip order (not sorted
by time), and every round relaxes *all* of them at once with NumPy: a connection is usable if its trip was
boarded at or before it (segmented cumulative OR), boarding needs the stop reached in the previous round.
Round ``k`` therefore holds the best arrivals with at most ``k`` rides, the same semantics as the planner.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

INF = np.iinfo(np.int64).max // 4


class BruteDay:
    def __init__(self, feed, tt, day: dt.date):
        st = feed["stop_times"][["trip_id", "stop_id", "seq", "arr_s", "dep_s"]].copy()
        pick = feed["stop_times"].get("pickup_type", pd.Series("", index=st.index)).astype(str)
        drop = feed["stop_times"].get("drop_off_type", pd.Series("", index=st.index)).astype(str)
        st["pick"] = pick.ne("1")
        st["drop"] = drop.ne("1")
        trips = feed["trips"]
        active = self._active_services(feed, day)
        run = trips[trips["service_id"].isin(active)]["trip_id"]
        st = st[st["trip_id"].isin(set(run))].sort_values(["trip_id", "seq"])
        tz = feed["agency"]["agency_timezone"].iloc[0]
        base = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(tz)).timestamp()) - 43200
        sidx = tt.stop_index()
        t = st["trip_id"].to_numpy()
        same = t[1:] == t[:-1]
        a = np.flatnonzero(same)
        self.frm = st["stop_id"].map(sidx).to_numpy()[a]
        self.to = st["stop_id"].map(sidx).to_numpy()[a + 1]
        self.dep = st["dep_s"].to_numpy()[a] + base
        self.arr = st["arr_s"].to_numpy()[a + 1] + base
        self.board = st["pick"].to_numpy()[a]
        self.alight = st["drop"].to_numpy()[a + 1]
        seg_start = np.r_[True, t[a][1:] != t[a][:-1]]
        self.seg = np.cumsum(seg_start) - 1
        self.seg_first = np.flatnonzero(seg_start)
        self.n_stops = tt.n_stops
        fp_from = np.repeat(np.arange(tt.n_stops), np.diff(tt.fp_start))
        self.fp_from, self.fp_to, self.fp_dur = fp_from, tt.fp_to.astype(np.int64), tt.fp_dur.astype(np.int64)
        self.mtt = tt.stop_mtt.astype(np.int64)

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
        arrive = np.full(self.n_stops, INF, dtype=np.int64)
        arrive[origins] = t0
        walk = self._walk(arrive)
        arrive = np.minimum(arrive, walk)
        ready = arrive.copy()
        best = [int(arrive[targets].min())]
        for _ in range(max_rounds):
            can = self.board & (ready[self.frm] <= self.dep)
            cs = np.cumsum(can)
            before = cs[self.seg_first] - can[self.seg_first]
            reached = (cs - before[self.seg]) > 0
            use = reached & self.alight
            veh = np.full(self.n_stops, INF, dtype=np.int64)
            np.minimum.at(veh, self.to[use], self.arr[use])
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
