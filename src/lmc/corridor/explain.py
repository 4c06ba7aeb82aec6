"""Why a query has no journey, in one sentence a traveller can act on.

Checked in this order, the first that applies wins:

* ``known_gap``: the origin or destination is a stop whose trains are a known gap in the data (``gaps.txt``);
* ``no_trains_at_stop``: no train in the whole feed leaves from the origin, or arrives at the destination;
* ``no_service_on_date``: nothing leaves from the origin on that date (with the next date that has a train);
* ``last_departure_gone``: trains left the origin that day, but all before the requested time;
* ``validity_ends``: the search reached the last date of the feed (later trains are not in it);
* ``not_connected``: trains leave, but none reaches the destination within the transfers and days searched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from lmc.corridor.timetable import DayConnections, Timetable, day_connections

LOOK_AHEAD_DAYS = 14
"""How far ahead a "no service on that date" answer looks for the next train."""


@dataclass(frozen=True, slots=True)
class NoJourney:
    """The reason a query has no journey: a stable ``code`` (see the module docstring) and a message."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def _walk_side(tt: Timetable, stops: np.ndarray, *, inbound: bool) -> set[int]:
    """``stops`` and the stops linked to them by a footpath (leaving them, or ``inbound``: arriving at them)."""
    out = {int(s) for s in stops}
    if inbound:
        src = np.repeat(np.arange(tt.n_stops), np.diff(tt.fp_start))
        out |= {int(f) for f in src[np.isin(tt.fp_to, stops)]}
    else:
        for s in stops:
            out |= {int(u) for u in tt.fp_to[tt.fp_start[s]:tt.fp_start[s + 1]]}
    return out


def _gap(tt: Timetable, stops: set[int]) -> str | None:
    hit = [str(t) for s, t in zip(tt.gap_stop, tt.gap_text) if int(s) in stops]
    return " ".join(hit) if hit else None


def _departures(tt: Timetable, dc: DayConnections, starts: set[int], lo: int, hi: int) -> np.ndarray:
    """Departure instants of boardable connections from ``starts`` in ``[lo, hi)`` (UTC epoch seconds)."""
    sel = dc.board & np.isin(dc.frm, list(starts)) & (dc.dep >= lo) & (dc.dep < hi)
    return np.sort(dc.dep[sel])


def _local_day(day: dt.date, tz: ZoneInfo) -> tuple[int, int]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return int(start.timestamp()), int((start + dt.timedelta(days=1)).timestamp())


def _hhmm(epoch: int, tz: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(int(epoch), tz).strftime("%H:%M")


def explain(tt: Timetable, dc: DayConnections, day: dt.date, t0: int, origins: np.ndarray, targets: np.ndarray,
            origin: str, destination: str, *, max_transfers: int, horizon_days: int) -> NoJourney:
    """The reason there is no journey from ``origins`` (named ``origin``) to ``targets`` leaving after ``t0``."""
    starts = _walk_side(tt, origins, inbound=False)
    ends = _walk_side(tt, targets, inbound=True)
    for side, label in ((starts, origin), (ends, destination)):
        gap = _gap(tt, side)
        served = tt.c_from[tt.c_board] if side is starts else tt.c_to[tt.c_alight]
        if not np.isin(list(side), served).any():
            if gap:
                return NoJourney("known_gap", f"no train in the feed serves {label}: {gap}")
            verb = "leaves from" if side is starts else "arrives at"
            return NoJourney("no_trains_at_stop", f"no train in the feed {verb} {label}.")
    tz = ZoneInfo(tt.tz_names[int(tt.stop_tz[int(origins[0])])])
    rng = tt.service_date_range()
    last = rng[1] if rng else day
    lo, hi = _local_day(day, tz)
    today = _departures(tt, dc, starts, lo, hi)
    if len(today) == 0:
        for k in range(1, LOOK_AHEAD_DAYS + 1):
            nxt = day + dt.timedelta(days=k)
            if nxt > last + dt.timedelta(days=1):
                return NoJourney("validity_ends", f"no train leaves {origin} on {day.isoformat()} "
                                 f"({day:%A}) or later: the feed's validity ends on {last.isoformat()}.")
            n_lo, n_hi = _local_day(nxt, tz)
            deps = _departures(tt, day_connections(tt, nxt), starts, n_lo, n_hi)
            if len(deps):
                return NoJourney("no_service_on_date", f"no train leaves {origin} on {day.isoformat()} ({day:%A}); "
                                 f"the next leaves on {nxt.isoformat()} ({nxt:%A}) at {_hhmm(deps[0], tz)}.")
        return NoJourney("no_service_on_date", f"no train leaves {origin} on {day.isoformat()} ({day:%A}) nor in "
                         f"the {LOOK_AHEAD_DAYS} days after.")
    if today[-1] < t0:
        msg = (f"the last train from {origin} on {day.isoformat()} left at {_hhmm(today[-1], tz)}, before "
               f"{_hhmm(t0, tz)}")
        nlo, nhi = _local_day(day + dt.timedelta(days=1), tz)
        nxt = _departures(tt, dc, starts, nlo, nhi)
        if len(nxt):
            msg += f"; the first the next day leaves at {_hhmm(nxt[0], tz)}"
        return NoJourney("last_departure_gone", msg + ".")
    if day + dt.timedelta(days=horizon_days) > last:
        return NoJourney("validity_ends", f"no journey reaches {destination} before the feed's validity ends on "
                         f"{last.isoformat()}: later trains are not in the feed.")
    gap = _gap(tt, starts | ends)
    msg = (f"no journey from {origin} to {destination} within {max_transfers} transfers and {horizon_days} days "
           f"after {_hhmm(t0, tz)} on {day.isoformat()}.")
    return NoJourney("known_gap" if gap else "not_connected", msg + (f" Known gap: {gap}" if gap else ""))
