"""Country-level and province-level indicators: pure functions from tidy frames to ``(unit, year, value)`` rows.

As for pairs (:mod:`lmc.indicators.pair`), observed values only; the panel fills and flags gaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.indicators.pair import COLUMNS, _frame


def wdi_series(wdi: pd.DataFrame, code: str, years: Iterable[int]) -> pd.DataFrame:
    """One WDI series (``iso3, indicator, year, value``) for the six countries, observed years only."""
    years = set(years)
    w = wdi[(wdi["indicator"] == code) & wdi["iso3"].isin(LMC_COUNTRIES) & wdi["year"].isin(years)
            & wdi["value"].notna()]
    return _frame(list(zip(w["iso3"], w["year"].astype(int), w["value"].astype(float))))


def ratio(num: pd.DataFrame, den: pd.DataFrame, *, scale: float = 1.0) -> pd.DataFrame:
    """``scale * num / den`` matched on unit and year (both ``unit, year, value``); zero denominators dropped."""
    m = num.merge(den, on=["unit", "year"], suffixes=("_n", "_d"))
    m = m[m["value_d"] > 0]
    return _frame(list(zip(m["unit"], m["year"], scale * m["value_n"] / m["value_d"])))


def member(joined: Mapping[str, int | None], years: Iterable[int]) -> pd.DataFrame:
    """1 from the year a country joined (or an agreement entered into force for it), else 0."""
    return _frame([(c, y, float(joined.get(c) is not None and joined[c] <= y)) for c in LMC_COUNTRIES
                   for y in years])


def institution_depth(members: pd.DataFrame, weights: pd.DataFrame, excluded: pd.DataFrame,
                      agreements: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """A country's own regional institutions, each counted once: the depth weights of the registry mechanisms it
    belongs to (``members``: ``mechanism, member, year``; ``weights``: ``mechanism, year, weight``, 0 for Mekong-X;
    ``excluded``: ``mechanism, member`` not counted) plus the weights of the agreements with LMC partners it is
    party to (``agreements``: ``id, pair, year, weight``; an agreement with several partners counts once)."""
    years = list(years)
    m = members[members["member"].isin(LMC_COUNTRIES) & members["year"].isin(set(years))]
    if len(excluded):
        bad = set(zip(excluded["mechanism"], excluded["member"]))
        m = m[[(a, b) not in bad for a, b in zip(m["mechanism"], m["member"])]]
    m = m.merge(weights, on=["mechanism", "year"], how="left").fillna({"weight": 0.0})
    mech = m.groupby(["member", "year"])["weight"].sum().to_dict()
    first: dict[tuple[str, str], tuple[int, float]] = {}
    for r in agreements.itertuples(index=False):
        for c in r.pair.split("-"):
            y0 = min(first.get((c, r.id), (9999, 0.0))[0], int(r.year))
            first[(c, r.id)] = (y0, float(r.weight))
    rows = []
    for c in LMC_COUNTRIES:
        for y in years:
            agr = sum(w for (cc, _), (y0, w) in first.items() if cc == c and y0 <= y)
            rows.append((c, y, float(mech.get((c, y), 0.0)) + agr))
    return _frame(rows)


def heritage_count(site_countries: pd.DataFrame, sites: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """World Heritage properties of each country (``id_no, iso3`` and ``id_no, date_inscribed``), cumulative by
    inscription year; a transboundary property counts for each of its countries."""
    ins = sites.set_index("id_no")["date_inscribed"].to_dict()
    sc = site_countries[site_countries["iso3"].isin(LMC_COUNTRIES)].drop_duplicates(["id_no", "iso3"])
    rows = []
    for c in LMC_COUNTRIES:
        yrs = [int(ins.get(i, 9999) or 9999) for i in sc.loc[sc["iso3"] == c, "id_no"]]
        rows += [(c, y, float(sum(1 for yi in yrs if yi <= y))) for y in years]
    return _frame(rows)


# ---------------------------------------------------------------------------------------------------- provinces
def passenger_stations(provinces: pd.DataFrame, opened_year: int, years: Iterable[int]) -> pd.DataFrame:
    """Railway passenger stations per province (``code, n_stations``), from the line's opening year."""
    return _frame([(r.code, y, float(r.n_stations if y >= opened_year else 0)) for r in provinces.itertuples()
                   for y in years])


def international_stop(provinces: pd.DataFrame, from_year: int, years: Iterable[int]) -> pd.DataFrame:
    """1 from ``from_year`` where the international train stops (``code, international_stop``)."""
    return _frame([(r.code, y, float(bool(r.international_stop) and y >= from_year))
                   for r in provinces.itertuples() for y in years])


def province_heritage(provinces: pd.DataFrame, sites: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """World Heritage properties assigned to the province (``whc_ids``), counted from their inscription year
    (``sites``: ``id_no, date_inscribed``); an id absent from the list never counts."""
    ins = {int(k): int(v) for k, v in sites.set_index("id_no")["date_inscribed"].dropna().items()}
    rows = []
    for r in provinces.itertuples():
        yrs = [ins[i] for i in r.whc_ids if i in ins]
        rows += [(r.code, y, float(sum(1 for yi in yrs if yi <= y))) for y in years]
    return _frame(rows)


def province_twin_cities(provinces: pd.DataFrame, twins: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Twin-city links of the province's main cities (``cities``) with cities in the other LMC countries
    (``twins``: ``city1, iso3_1, city2, iso3_2``; city names compared case-insensitively)."""
    rows = []
    for r in provinces.itertuples():
        names = {c.casefold() for c in r.cities}
        others = set(LMC_COUNTRIES) - {r.iso3}
        a = twins[(twins["iso3_1"] == r.iso3) & twins["city1"].str.casefold().isin(names) & twins["iso3_2"].isin(others)]
        b = twins[(twins["iso3_2"] == r.iso3) & twins["city2"].str.casefold().isin(names) & twins["iso3_1"].isin(others)]
        keys = {(x, y) for x, y in zip(a["city1"].str.casefold(), a["city2"].str.casefold())}
        keys |= {(x, y) for x, y in zip(b["city2"].str.casefold(), b["city1"].str.casefold())}
        rows += [(r.code, y, float(len(keys))) for y in years]
    return _frame(rows)


def _gtfs_seconds(t: str) -> int:
    h, m, sec = (int(x) for x in str(t).split(":"))
    return h * 3600 + m * 60 + sec


def fastest_direct_hours(stop_times: pd.DataFrame, stops: pd.DataFrame, a: str, b: str) -> float | None:
    """Fastest scheduled time (hours) from station name ``a`` to ``b`` on one direct train of a GTFS feed
    (``stop_times``: trip_id, arrival_time, departure_time, stop_id, stop_sequence; ``stops``: stop_id,
    stop_name), either direction; None when no trip calls at both. Times in one feed time zone."""
    ids = stops.set_index("stop_name")["stop_id"].to_dict()
    if a not in ids or b not in ids:
        return None
    if ids[a] == ids[b]:
        return 0.0
    st = stop_times[stop_times["stop_id"].isin([ids[a], ids[b]])]
    best = None
    for _, g in st.groupby("trip_id"):
        if g["stop_id"].nunique() < 2:
            continue
        g = g.sort_values("stop_sequence")
        dep = _gtfs_seconds(g.iloc[0]["departure_time"])
        arr = _gtfs_seconds(g.iloc[-1]["arrival_time"])
        h = (arr - dep) / 3600.0
        best = h if best is None else min(best, h)
    return best


def province_rail_hours(provinces: pd.DataFrame, stop_times: pd.DataFrame, stops: pd.DataFrame, *,
                        hubs: Mapping[str, str], opened_year: int, cross_border_year: int, years: Iterable[int],
                        no_service_hours: float) -> pd.DataFrame:
    """Mean of the fastest direct rail times from the province's best station to each hub (``hubs``: iso3 ->
    station name, e.g. CHN -> Kunming South, LAO -> Vientiane).

    ``provinces`` needs ``code, iso3, stations`` (names). Coding rules, not estimates: before ``opened_year`` there
    is no service to either hub; a hub in the other country is reachable only from ``cross_border_year``; no
    service counts as ``no_service_hours``. The feed's (current) diagram stands for every year since opening.
    """
    rows = []
    known = set(stops["stop_name"])
    for r in provinces.itertuples():
        if not known & set(r.stations) or not set(hubs.values()) <= known:
            continue  # stations not in the feed: missing (reported by the panel), never coded as "no service"
        best: dict[str, float] = {}
        for hub_iso, hub in hubs.items():
            times = [fastest_direct_hours(stop_times, stops, s, hub) for s in r.stations]
            times = [t for t in times if t is not None]
            if times:
                best[hub_iso] = min(times)
        for y in years:
            vals = []
            for hub_iso in hubs:
                ok = y >= opened_year and hub_iso in best and (hub_iso == r.iso3 or y >= cross_border_year)
                vals.append(best[hub_iso] if ok else float(no_service_hours))
            rows.append((r.code, y, float(sum(vals) / len(vals))))
    return _frame(rows)


__all__ = ["fastest_direct_hours", "province_rail_hours", "COLUMNS", "wdi_series", "ratio", "member", "heritage_count", "passenger_stations", "international_stop",
           "province_heritage", "province_twin_cities"]
