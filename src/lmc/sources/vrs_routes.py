"""Virtual Radar Server standing data: airline routes seen between 2023 and 2026 (CC0).

Why: OpenFlights' route network dates from June 2014; this is the only open record of which international routes
touching the six countries were flown after the pandemic. Eight dated versions of the VRS route table (2023-03-01 ..
2026-08-19) were read from the repository's history; each leg of a callsign's route (``A-B-C`` -> ``A-B``, ``B-C``)
that is international and touches an LMC airport is one row, per airline.

Caveat that shapes every use: the database is crowd-sourced and **cumulative**. A row says a route was seen, not
its schedule, frequency or seats, and part of the growth between versions is more contributors, not more flights. So
raw counts must never be compared across versions; compare pairs *within* a version. :func:`lmc_route_shares` is
that normalisation (a pair's share of all international airport pairs between two LMC countries in the version) and
is also applied to OpenFlights (one version, 2014) by the SCI's air indicators.

``??`` marks an airport missing from VRS's airports table: its country is unknown (NULL here), so such legs never
count as LMC-to-LMC.

Both files are DERIVED from eight git versions of the repository, which no single download reproduces: without a
mirror the pull fails with that explanation.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources._common import (
    conform,
    file_for,
    no_single_download,
    observation_frame,
    read_csv,
    reject_first,
    to_date,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import iso3_from_iso2, lmc_pairs, pair_unit

REPO = "vradarserver/standing-data@1233707df7857017f1def631d4c248f0b3d8fb84"


_no_single_download = no_single_download("the VRS route history is derived from 8 git versions of "
                                         "vradarserver/standing-data")
LEGS = SourceFile(
    "vrs_routes/vrs_routes_lmc_international_legs_2022-2026.csv",
    "https://github.com/vradarserver/standing-data",
    "7f4fda56ebbbb51c9673997cdca68e7539ad2ee9e1b507523e66db774b8e1046",
    bytes=5723047,
    derived=True,
    derive=_no_single_download,
)
SUMMARY = SourceFile(
    "vrs_routes/vrs_routes_lmc_country_pair_summary_2022-2026.csv",
    "https://github.com/vradarserver/standing-data",
    "c6cf2c800ca1604d74c4adffa04f3aab12ff8f9b356e7dc8dc88d0830fd31de3",
    bytes=95835,
    derived=True,
    derive=_no_single_download,
)

T_LEGS = TableSpec(
    "vrs_route_legs",
    {
        "snapshot_date": "DATE", "snapshot_commit": "VARCHAR", "airline_icao": "VARCHAR",
        "origin_icao": "VARCHAR", "origin_iata": "VARCHAR", "origin_iso3": "VARCHAR",
        "dest_icao": "VARCHAR", "dest_iata": "VARCHAR", "dest_iso3": "VARCHAR", "n_callsigns": "INTEGER",
    },
    "International route legs touching an LMC airport, per version of the VRS route table, airline and airport "
    "pair (cumulative crowd-sourced database: existence of a route, not frequency; compare within a version).",
    ("snapshot_date", "airline_icao", "origin_icao", "dest_icao"),
    files=(LEGS.path,),
)
T_SUMMARY = TableSpec(
    "vrs_country_pairs",
    {"snapshot_date": "DATE", "origin_iso3": "VARCHAR", "dest_iso3": "VARCHAR", "n_airport_pairs": "INTEGER",
     "n_airline_airport_pairs": "INTEGER", "n_callsigns": "INTEGER"},
    "Per version and directed country pair: distinct airport pairs, airline-airport pairs and callsigns "
    "(origin or destination country NULL where VRS does not know the airport).",
    files=(SUMMARY.path,),
)

_LEG_COLS = ["snapshot_date", "snapshot_commit", "airline_icao", "origin_icao", "origin_iata", "origin_iso2",
             "dest_icao", "dest_iata", "dest_iso2", "n_callsigns"]
_SUMMARY_COLS = ["snapshot_date", "origin_iso2", "dest_iso2", "n_airport_pairs", "n_airline_airport_pairs",
                 "n_callsigns"]


def _iso3(df: pd.DataFrame, col: str, path: Path) -> pd.Series:
    """ISO2 column -> ISO3 (``??`` = unknown airport -> NULL); any other unknown code is a parse error."""
    code = to_str(df, col, path, required=True)
    iso3 = code.map(iso3_from_iso2).astype("string")
    reject_first(iso3.isna() & (code != "??"), code, path, col, "is not an ISO 3166-1 alpha-2 code")
    return iso3


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, LEGS)
    df = read_csv(p, columns=_LEG_COLS)
    to_str(df, "snapshot_date", p, required=True)
    legs = pd.DataFrame({
        "snapshot_date": to_date(df, "snapshot_date", p),
        "snapshot_commit": to_str(df, "snapshot_commit", p, required=True),
        "airline_icao": to_str(df, "airline_icao", p, required=True),
        "origin_icao": to_str(df, "origin_icao", p, required=True),
        "origin_iata": to_str(df, "origin_iata", p),
        "origin_iso3": _iso3(df, "origin_iso2", p),
        "dest_icao": to_str(df, "dest_icao", p, required=True),
        "dest_iata": to_str(df, "dest_iata", p),
        "dest_iso3": _iso3(df, "dest_iso2", p),
        "n_callsigns": to_int(df, "n_callsigns", p, required=True),
    })
    p = file_for(paths, SUMMARY)
    df = read_csv(p, columns=_SUMMARY_COLS)
    summary = pd.DataFrame({
        "snapshot_date": to_date(df, "snapshot_date", p),
        "origin_iso3": _iso3(df, "origin_iso2", p),
        "dest_iso3": _iso3(df, "dest_iso2", p),
        "n_airport_pairs": to_int(df, "n_airport_pairs", p, required=True),
        "n_airline_airport_pairs": to_int(df, "n_airline_airport_pairs", p, required=True),
        "n_callsigns": to_int(df, "n_callsigns", p, required=True),
    })
    return {T_LEGS.name: conform(legs, T_LEGS), T_SUMMARY.name: conform(summary, T_SUMMARY)}


def lmc_route_shares(routes: pd.DataFrame) -> pd.DataFrame:
    """Within-version normalisation of a route network (the one place it is done).

    ``routes``: ``version, airline, origin, dest, origin_iso3, dest_iso3`` (one row per airline and directed
    airport pair; airports by any stable code). Only international routes between two LMC countries count. Per
    version and undirected pair: ``airport_pairs`` (distinct directed airport pairs, both directions),
    ``airlines`` (distinct airlines), and their shares in % of the version's totals over all LMC pairs
    (``airport_pair_share``, ``airline_share``). Pairs with no route in a version get 0 (the version was observed).
    """
    r = routes[routes["origin_iso3"].isin(LMC_COUNTRIES) & routes["dest_iso3"].isin(LMC_COUNTRIES)
               & (routes["origin_iso3"] != routes["dest_iso3"])].copy()
    cols = ["version", "pair", "airport_pairs", "airlines", "airport_pair_share", "airline_share"]
    if r.empty:
        return pd.DataFrame(columns=cols)
    r["pair"] = [pair_unit(a, b) for a, b in zip(r["origin_iso3"], r["dest_iso3"], strict=True)]
    ap = r.drop_duplicates(["version", "origin", "dest"]).groupby(["version", "pair"]).size()
    al = r.dropna(subset=["airline"]).drop_duplicates(["version", "pair", "airline"]).groupby(["version", "pair"]).size()
    total_ap = r.drop_duplicates(["version", "origin", "dest"]).groupby("version").size()
    total_al = r.dropna(subset=["airline"]).drop_duplicates(["version", "airline"]).groupby("version").size()
    grid = pd.MultiIndex.from_product([sorted(r["version"].unique()), lmc_pairs()], names=["version", "pair"])
    out = pd.DataFrame({"airport_pairs": ap.reindex(grid, fill_value=0), "airlines": al.reindex(grid, fill_value=0)})
    out = out.reset_index()
    out["airport_pair_share"] = 100.0 * out["airport_pairs"] / out["version"].map(total_ap)
    out["airline_share"] = 100.0 * out["airlines"] / out["version"].map(total_al)
    return out[cols]


def legs_as_routes(legs: pd.DataFrame) -> pd.DataFrame:
    """The ``vrs_route_legs`` table in :func:`lmc_route_shares`' columns (version = snapshot date, airports by ICAO,
    which every leg has; the IATA codes are kept as ``origin_iata``/``dest_iata``)."""
    return pd.DataFrame({"version": pd.to_datetime(legs["snapshot_date"]), "airline": legs["airline_icao"],
                         "origin": legs["origin_icao"], "dest": legs["dest_icao"],
                         "origin_iso3": legs["origin_iso3"], "dest_iso3": legs["dest_iso3"],
                         "origin_iata": legs["origin_iata"], "dest_iata": legs["dest_iata"]})


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``air_route_share_vrs`` and ``air_airline_share_vrs`` (%) per undirected LMC pair and year: the mean over the
    year's versions of the pair's share of that version's routes (never raw counts, see the module docstring)."""
    s = lmc_route_shares(legs_as_routes(tables[T_LEGS.name]))
    s = s.assign(year=pd.to_datetime(s["version"]).dt.year)
    g = s.groupby(["pair", "year"])[["airport_pair_share", "airline_share"]].mean().reset_index()
    long = g.melt(id_vars=["pair", "year"], var_name="indicator", value_name="value").rename(columns={"pair": "unit"})
    long["indicator"] = long["indicator"].map({"airport_pair_share": "air_route_share_vrs",
                                               "airline_share": "air_airline_share_vrs"})
    return observation_frame(long)


SOURCE = Source(
    id="vrs_routes",
    title="Virtual Radar Server standing data: international airline routes touching the LMC, 8 versions 2023-2026",
    publisher="Virtual Radar Server standing data (crowd-sourced SDM routes), vradarserver/standing-data",
    homepage="https://github.com/vradarserver/standing-data",
    licence="CC0 1.0",
    files=(LEGS, SUMMARY),
    tables=(T_LEGS, T_SUMMARY),
    parse=parse,
    observations=observations,
    coverage="8 versions 2023-03-01 .. 2026-08-19; international legs touching CN, MM, LA, TH, KH or VN",
    notes="Cumulative crowd-sourced database: route existence, not schedules, frequency or seats; compare pairs "
          "within a version, never raw counts across versions. Nothing before 2023.",
)
