"""Air connectivity through time: OpenFlights (June 2014) and the VRS route table (8 versions 2023-2026).

Why shares: neither source counts flights or seats, and the VRS database accumulates, so raw route counts grow with
its contributors. Within one version, though, the pairs compare: a pair's share (%) of all international airport
pairs (or airlines) between two LMC countries in that version is comparable across versions and across the two
sources. The normalisation is :func:`lmc.sources.vrs_routes.lmc_route_shares`, applied to both.

Observations: 2014 (OpenFlights) and 2023-2026 (VRS, mean of the year's versions). There is a **source break**
between 2014 and 2023 (different compilers, different definitions of a route); nothing is observed in 2015-2022, and
the imputation policy never carries 2014 beyond 2016 nor across the 2020-2022 closure.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources.vrs_routes import legs_as_routes, lmc_route_shares

OPENFLIGHTS_YEAR = 2014
"""OpenFlights' route data dates from June 2014 (mirror README)."""
COLUMNS = ["unit", "year", "value", "source"]


def _openflights_routes(routes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"version": pd.Timestamp(f"{OPENFLIGHTS_YEAR}-06-30"), "airline": routes["airline"],
                         "origin": routes["src_iata"], "dest": routes["dst_iata"],
                         "origin_iso3": routes["src_iso3"], "dest_iso3": routes["dst_iso3"]})


def _route_frames(openflights_routes: pd.DataFrame | None, vrs_legs: pd.DataFrame | None) -> list[pd.DataFrame]:
    """Both sources as route frames (``version, airline, origin, dest, origin_iso3, dest_iso3, source``); airports
    by IATA code in both (VRS legs also carry ICAO; IATA is what the province records use)."""
    out = []
    if openflights_routes is not None and len(openflights_routes):
        out.append(_openflights_routes(openflights_routes).assign(source="openflights"))
    if vrs_legs is not None and len(vrs_legs):
        out.append(legs_as_routes(vrs_legs).assign(source="vrs_routes"))
    return out


def route_shares(openflights_routes: pd.DataFrame | None, vrs_legs: pd.DataFrame | None,
                 years: Iterable[int]) -> dict[str, pd.DataFrame]:
    """``{"air_route_share": frame, "air_airline_share": frame}`` of ``unit, year, value, source`` (value in %).

    ``openflights_routes``: ``airline, src_iata, dst_iata, src_iso3, dst_iso3``; ``vrs_legs``: the
    ``vrs_route_legs`` table. Each source is normalised within its own versions; a year with several versions gets
    their mean. Years outside ``years`` are kept when they are the source's observation (2014), so the panel can
    apply the carrying rule to them; later years than ``years`` are dropped.
    """
    years = set(years)
    parts = [lmc_route_shares(r).assign(source=r["source"].iloc[0]) for r in _route_frames(openflights_routes, vrs_legs)]
    if not parts:
        return {"air_route_share": pd.DataFrame(columns=COLUMNS), "air_airline_share": pd.DataFrame(columns=COLUMNS)}
    s = pd.concat(parts, ignore_index=True)
    s["year"] = pd.to_datetime(s["version"]).dt.year.astype("int64")
    s = s[s["year"] <= max(years)]
    g = s.groupby(["pair", "year", "source"], as_index=False)[["airport_pair_share", "airline_share"]].mean()
    g = g.rename(columns={"pair": "unit"})
    return {"air_route_share": g.rename(columns={"airport_pair_share": "value"})[COLUMNS].reset_index(drop=True),
            "air_airline_share": g.rename(columns={"airline_share": "value"})[COLUMNS].reset_index(drop=True)}


def province_route_shares(provinces: pd.DataFrame, openflights_routes: pd.DataFrame | None,
                          vrs_legs: pd.DataFrame | None, years: Iterable[int]) -> pd.DataFrame:
    """Per corridor province: the share (%) of the version's international airport pairs between two LMC countries
    that touch one of the province's airports (``provinces``: ``code, airports`` as IATA codes), per year (mean of
    the year's versions), for the same two sources and with the same break as :func:`route_shares`."""
    years = set(years)
    rows = []
    for r in _route_frames(openflights_routes, vrs_legs):
        lmc = r[r["origin_iso3"].isin(LMC_COUNTRIES) & r["dest_iso3"].isin(LMC_COUNTRIES)
                & (r["origin_iso3"] != r["dest_iso3"])].drop_duplicates(["version", "origin", "dest"])
        o_iata = lmc["origin_iata"] if "origin_iata" in lmc else lmc["origin"]
        d_iata = lmc["dest_iata"] if "dest_iata" in lmc else lmc["dest"]
        total = lmc.groupby("version").size()
        for p in provinces.itertuples(index=False):
            ap = set(p.airports)
            hit = lmc[o_iata.isin(ap) | d_iata.isin(ap)].groupby("version").size()
            share = (100.0 * hit.reindex(total.index, fill_value=0) / total).reset_index(name="value")
            share["year"] = pd.to_datetime(share["version"]).dt.year
            for y, v in share.groupby("year")["value"].mean().items():
                if y <= max(years):
                    rows.append((p.code, int(y), float(v), r["source"].iloc[0]))
    return pd.DataFrame(rows, columns=COLUMNS)
