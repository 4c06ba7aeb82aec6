"""Which heritage sites can a traveller reach from a station within a time budget?

Time to a site = rail time from the station (earliest arrival at each station reached, counted from the moment
the traveller is ready at the origin, so waiting for the train counts) + access time from the arrival station:
great-circle distance x ``detour`` / ``speed_kmh``. The best station to alight at is chosen per site.

``detour`` (road distance over straight-line distance, default 1.3) and ``speed_kmh`` (default 30 km/h) are
*assumptions* the user can change, not measured values; they are printed with every result.

:func:`accessibility` is pure (frames in, frozen result out). :func:`rail_minutes` runs the planner;
:func:`station_access` wires both together. Sites (:func:`heritage_sites`) are the curated ``attractions.yaml``
shipped here plus the UNESCO World Heritage sites: from the warehouse table ``unesco_sites`` when it is loaded
(the caller reads it), else from ``unesco_sites.yaml``, the sites near the corridor curated in the package, so
that the command works before ``lmc data pull``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from lmc import yamldoc
from lmc.corridor import csa
from lmc.corridor.plan import PlannerError, check_date, load, parse_after, parse_date, resolve_stops
from lmc.corridor.timetable import Timetable, day_connections
from lmc.corridor.walks import haversine_m
from lmc.errors import ValidationError

ATTRACTIONS_PATH = Path(__file__).resolve().parent / "attractions.yaml"
UNESCO_PATH = Path(__file__).resolve().parent / "unesco_sites.yaml"
UNESCO_FROM_WAREHOUSE = "UNESCO World Heritage Centre, World Heritage List (via the warehouse table unesco_sites)"
LMC_ISO3 = ("CHN", "MMR", "LAO", "THA", "KHM", "VNM")
SITE_COLUMNS = ["site_id", "name", "lat", "lon", "kind", "interests", "visit_hours", "source"]


@dataclass(frozen=True, slots=True)
class AccessResult:
    """Reachable sites per origin station, one row each, sorted by origin then total minutes."""

    date: dt.date
    after: str
    budget_min: float
    speed_kmh: float
    detour: float
    rows: pd.DataFrame
    sites_source: str = ""
    """Where the UNESCO sites came from (the warehouse, or the package's curated subset)."""

    def to_frame(self) -> pd.DataFrame:
        return self.rows.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "after": self.after, "budget_min": self.budget_min,
                "assumptions": {"access_speed_kmh": self.speed_kmh, "detour_factor": self.detour},
                "sites_source": self.sites_source, "sites": self.rows.to_dict(orient="records")}


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (vectorised)."""
    return haversine_m(lat1, lon1, lat2, lon2) / 1000.0


def unesco_sites_frame(df: pd.DataFrame, iso3: tuple[str, ...] = LMC_ISO3) -> pd.DataFrame:
    """Sites table (SITE_COLUMNS) from the warehouse ``unesco_sites`` table, restricted to the LMC countries."""
    need = {"id_no", "name_en", "latitude", "longitude"}
    missing = need - set(df.columns)
    if missing:
        raise ValidationError(f"warehouse table unesco_sites: column {sorted(missing)[0]!r} is missing.")
    if "iso3_list" in df.columns:
        iso = df["iso3_list"].astype(object).where(df["iso3_list"].notna(), "").astype(str).str.upper()
    else:
        iso = pd.Series("", index=df.index, dtype=object)
    keep = iso.str.contains("|".join(iso3), regex=True).fillna(False).astype(bool)
    d = df[keep & df["latitude"].notna() & df["longitude"].notna()]
    cat = (d["category"].astype(object).where(d["category"].notna(), "").astype(str).str.lower()
           if "category" in d.columns else pd.Series("", index=d.index, dtype=object))
    return pd.DataFrame({
        "site_id": "unesco:" + d["id_no"].astype(str), "name": d["name_en"].astype(str),
        "lat": d["latitude"].astype(float), "lon": d["longitude"].astype(float), "kind": "unesco",
        "interests": [["heritage", c] if c else ["heritage"] for c in cat], "visit_hours": 3.0,
        "source": UNESCO_FROM_WAREHOUSE,
    }).reset_index(drop=True)


def curated_unesco_sites(path: Path = UNESCO_PATH) -> pd.DataFrame:
    """The UNESCO sites near the corridor curated in the package (SITE_COLUMNS), for use without a warehouse."""
    data = yamldoc.load(path).data or {}
    rows = []
    for i, a in enumerate(data.get("sites", [])):
        where = f"{path.name}: sites[{i}]"
        for f in ("id_no", "name", "lat", "lon", "category", "source"):
            if a.get(f) in (None, ""):
                raise ValidationError(f"{where}: field {f!r} is missing.")
        src = a["source"]
        rows.append({"site_id": f"unesco:{a['id_no']}", "name": str(a["name"]), "lat": float(a["lat"]),
                     "lon": float(a["lon"]), "kind": "unesco",
                     "interests": ["heritage", str(a["category"]).lower()], "visit_hours": 3.0,
                     "source": f"{src['publisher']} <{src['url']}> (curated in the package)"})
    return pd.DataFrame(rows, columns=SITE_COLUMNS)


def heritage_sites(unesco_table: pd.DataFrame | None = None, *, include_unesco: bool = True
                   ) -> tuple[pd.DataFrame, str]:
    """The sites to reach and where the UNESCO ones came from: the curated attractions, plus UNESCO sites from
    ``unesco_table`` (the warehouse's ``unesco_sites``) when given, else from the package's curated subset."""
    frames = [load_attractions()]
    if not include_unesco:
        return frames[0], "curated attractions only (--no-unesco)"
    if unesco_table is not None:
        return pd.concat([unesco_sites_frame(unesco_table), *frames], ignore_index=True), "warehouse (unesco_sites)"
    return (pd.concat([curated_unesco_sites(), *frames], ignore_index=True),
            "package's curated UNESCO subset (no warehouse: run `lmc data pull` for the full list)")


def load_attractions(path: Path = ATTRACTIONS_PATH) -> pd.DataFrame:
    """The curated corridor attractions (SITE_COLUMNS); every record must carry a source with a url."""
    data = yamldoc.load(path).data or {}
    rows = []
    for i, a in enumerate(data.get("attractions", [])):
        where = f"{path.name}: attractions[{i}]"
        for f in ("id", "name", "lat", "lon", "source"):
            if a.get(f) in (None, ""):
                raise ValidationError(f"{where}: field {f!r} is missing.")
        src = a["source"]
        if not isinstance(src, dict) or not src.get("url") or not src.get("publisher"):
            raise ValidationError(f"{where}: field 'source' needs publisher and url.")
        rows.append({"site_id": f"curated:{a['id']}", "name": a["name"], "lat": float(a["lat"]),
                     "lon": float(a["lon"]), "kind": "curated", "interests": list(a.get("interests", [])),
                     "visit_hours": float(a.get("visit_hours", 2)), "source": f"{src['publisher']} <{src['url']}>"})
    return pd.DataFrame(rows, columns=SITE_COLUMNS)


def rail_minutes(tt: Timetable, origin: str, date: dt.date, after: dt.time, *, max_rounds: int = 6) -> pd.DataFrame:
    """Minutes from ``after`` at ``origin`` to the earliest arrival at every stop reachable by rail that day.

    Columns: stop_id, stop_name, lat, lon, rail_min (0 at the origin itself).
    """
    origins = resolve_stops(tt, origin)
    tz0 = ZoneInfo(tt.tz_names[int(tt.stop_tz[origins[0]])])
    t0 = int(dt.datetime.combine(date, after, tzinfo=tz0).timestamp())
    dc = day_connections(tt, date)
    lab = csa.run(dc, t0, origins, np.zeros(0, dtype=np.int64), tt.fp_start, tt.fp_to, tt.fp_dur, tt.stop_mtt,
                  tt.n_stops, max_rounds)
    best = lab.arrive[: lab.rounds + 1].min(axis=0)
    ok = np.flatnonzero(best < csa.INF)
    return pd.DataFrame({"stop_id": tt.stop_ids[ok].astype(str), "stop_name": tt.stop_names[ok].astype(str),
                         "lat": tt.stop_lat[ok], "lon": tt.stop_lon[ok],
                         "rail_min": (best[ok] - t0) / 60.0})


def accessibility(rail: dict[str, pd.DataFrame], sites: pd.DataFrame, *, budget_min: float,
                  speed_kmh: float = 30.0, detour: float = 1.3) -> pd.DataFrame:
    """Pure: for each origin (key of ``rail``: its :func:`rail_minutes` frame), the sites within ``budget_min``.

    Returns one row per (origin, site) with the best alighting station, sorted by origin then total minutes.
    """
    if budget_min <= 0 or speed_kmh <= 0 or detour < 1:
        raise PlannerError("budget and speed must be positive and the detour factor at least 1.")
    out = []
    if len(sites) == 0:
        return pd.DataFrame(columns=["origin", "site_id", "site", "kind", "via_stop_id", "via_stop", "rail_min",
                                     "access_km", "access_min", "total_min", "source"])
    s_lat = sites["lat"].to_numpy(float)
    s_lon = sites["lon"].to_numpy(float)
    for origin, r in rail.items():
        r = r[r["lat"].notna()]
        if len(r) == 0:
            continue
        km = haversine_km(r["lat"].to_numpy(float)[:, None], r["lon"].to_numpy(float)[:, None], s_lat[None, :],
                          s_lon[None, :]) * detour
        total = r["rail_min"].to_numpy(float)[:, None] + km / speed_kmh * 60.0
        best = np.argmin(total, axis=0)
        cols = np.arange(len(sites))
        tot = total[best, cols]
        for j in np.flatnonzero(tot <= budget_min):
            i = best[j]
            out.append({"origin": origin, "site_id": sites["site_id"].iloc[j], "site": sites["name"].iloc[j],
                        "kind": sites["kind"].iloc[j], "via_stop_id": r["stop_id"].iloc[i],
                        "via_stop": r["stop_name"].iloc[i], "rail_min": round(float(r["rail_min"].iloc[i]), 1),
                        "access_km": round(float(km[i, j]), 1),
                        "access_min": round(float(km[i, j] / speed_kmh * 60), 1),
                        "total_min": round(float(tot[j]), 1), "source": sites["source"].iloc[j]})
    df = pd.DataFrame(out, columns=["origin", "site_id", "site", "kind", "via_stop_id", "via_stop", "rail_min",
                                    "access_km", "access_min", "total_min", "source"])
    return df.sort_values(["origin", "total_min", "site"], kind="stable").reset_index(drop=True)


def first_service_date(tt: Timetable, on_or_after: dt.date) -> dt.date:
    """The first date on or after ``on_or_after`` on which some trip of the feed runs."""
    rng = tt.service_date_range()
    if rng is None or rng[1] < on_or_after:
        raise PlannerError(f"the feed {tt.source} has no service on or after {on_or_after.isoformat()}"
                           + (f" (its validity ended on {rng[1].isoformat()}); pass --date" if rng else "") + ".")
    day = max(on_or_after, rng[0])
    while day <= rng[1]:
        if tt.active_services(day).any():
            return day
        day += dt.timedelta(days=1)
    raise PlannerError(f"the feed {tt.source} has no service on or after {on_or_after.isoformat()}.")


def station_access(sites: pd.DataFrame, *, stations: list[str] | None = None, feed: str | Path | Timetable | None
                   = None, date: str | dt.date | None = None, after: str | dt.time = "08:00",
                   budget_min: float = 180, speed_kmh: float = 30.0, detour: float = 1.3,
                   sites_source: str = "", today: dt.date | None = None) -> AccessResult:
    """Sites reachable from each of ``stations`` (default: every stop of the feed) within the budget.

    ``date`` defaults to the first service date on or after ``today`` (default: the current date); a date the
    feed does not cover is an error.
    """
    tt = load(feed)
    day = parse_date(date) if date is not None else first_service_date(tt, today or dt.date.today())
    check_date(tt, day)
    t_after = parse_after(after)
    names = stations or [str(n) for n in tt.stop_names[tt.stop_parent < 0]]
    rail = {str(tt.stop_names[resolve_stops(tt, s)[0]]): rail_minutes(tt, s, day, t_after) for s in names}
    rows = accessibility(rail, sites, budget_min=budget_min, speed_kmh=speed_kmh, detour=detour)
    return AccessResult(date=day, after=t_after.strftime("%H:%M"), budget_min=float(budget_min),
                        speed_kmh=float(speed_kmh), detour=float(detour), rows=rows, sites_source=sites_source)
