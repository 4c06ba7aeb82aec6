"""Indicator computations on small hand-made fixtures; every expected value is worked out by hand in a comment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lmc.indicators import country as C
from lmc.indicators import pair as P
from lmc.sources.harmonise import lmc_pairs, pair_unit
from lmc.indicators.panel import build_panel, fill_series

YEARS = [2019, 2020, 2021]


def _val(df: pd.DataFrame, unit: str, year: int) -> float:
    s = df[(df["unit"] == unit) & (df["year"] == year)]["value"]
    assert len(s) == 1, (unit, year, df)
    return float(s.iloc[0])


def test_pairs_are_canonical():
    assert len(lmc_pairs()) == 15 and lmc_pairs()[0] == "CHN-MMR" and lmc_pairs()[-1] == "KHM-VNM"
    assert pair_unit("LAO", "CHN") == "CHN-LAO"


def test_air_routes_and_airlines():
    synthetic_routes = pd.DataFrame({
        "airline": ["QV", "MU", "QV", "TG", "FD"],
        "src_iata": ["VTE", "KMG", "KMG", "BKK", "BKK"],
        "dst_iata": ["KMG", "VTE", "VTE", "VTE", "NRT"],
        "src_iso3": ["LAO", "CHN", "CHN", "THA", "THA"],
        "dst_iso3": ["CHN", "LAO", "LAO", "LAO", "JPN"],
    })
    r = P.air_routes(synthetic_routes, YEARS)
    # CHN-LAO: VTE>KMG and KMG>VTE (the latter flown by two airlines) = 2 routes; LAO-THA: 1; Japan ignored
    assert _val(r, "CHN-LAO", 2020) == 2 and _val(r, "LAO-THA", 2019) == 1 and _val(r, "CHN-THA", 2021) == 0
    a = P.air_airlines(synthetic_routes, YEARS)
    assert _val(a, "CHN-LAO", 2019) == 2  # QV and MU
    assert len(r) == 15 * len(YEARS)


def test_visa_openness_mean_of_both_directions_and_snapshots():
    synthetic_visa = pd.DataFrame({
        "snapshot_date": ["2019-11-23", "2019-11-23", "2019-12-10", "2019-12-10", "2020-02-07"],
        "passport": ["CHN", "LAO", "CHN", "LAO", "CHN"],
        "destination": ["LAO", "CHN", "LAO", "CHN", "LAO"],
        "openness": [4, 1, 4, 3, 5],
    })
    v = P.visa_openness(synthetic_visa, YEARS)
    # 2019: snapshot 1 (4+1)/2 = 2.5, snapshot 2 (4+3)/2 = 3.5 -> mean 3.0; 2020 has one direction only -> no row
    assert _val(v, "CHN-LAO", 2019) == 3.0
    assert v[(v["unit"] == "CHN-LAO") & (v["year"] == 2020)].empty


def test_land_links_with_suspension_and_rail_hours():
    synthetic_links = pd.DataFrame({"pair": ["LAO-THA", "LAO-THA", "CHN-LAO"], "kind": ["r", "b", "r"],
                                    "id": ["a", "b", "c"], "opened_year": [2009, 2021, 2021],
                                    "closed_year": [None, None, None], "suspended": [(2020,), (), ()]})
    l = P.land_links(synthetic_links, YEARS)
    assert _val(l, "LAO-THA", 2019) == 1 and _val(l, "LAO-THA", 2020) == 0 and _val(l, "LAO-THA", 2021) == 2
    assert _val(l, "CHN-LAO", 2020) == 0 and _val(l, "CHN-LAO", 2021) == 1
    synthetic_tt = pd.DataFrame({"pair": ["CHN-LAO", "CHN-LAO"], "from_date": ["2020-04-13", "2020-07-25"],
                                 "hours": [10.5, 9.4]})
    h = P.rail_travel_hours(synthetic_tt, YEARS, no_service_hours=48)
    # the timetable in effect on 31 December: 2019 none (48), 2020 the July one
    assert _val(h, "CHN-LAO", 2019) == 48 and _val(h, "CHN-LAO", 2020) == 9.4 and _val(h, "MMR-THA", 2021) == 48


def test_arrivals_sum_directions_first_source_wins_and_per_capita():
    warehouse = pd.DataFrame({"origin": ["CHN"], "destination": ["THA"], "year": [2019], "arrivals": [1000.0]})
    curated = pd.DataFrame({"origin": ["CHN", "THA"], "destination": ["THA", "CHN"], "year": [2019, 2019],
                            "arrivals": [999.0, 500.0]})
    d = P.directed_arrivals(warehouse, curated)
    t = P.tourist_arrivals(d, YEARS)
    assert _val(t, "CHN-THA", 2019) == 1500.0  # 1000 (warehouse wins over 999) + 500
    pop = pd.DataFrame({"iso3": ["CHN", "THA"], "year": [2019, 2019], "population": [1000.0, 500.0]})
    pc = P.per_capita(t, pop, per=1000)
    assert _val(pc, "CHN-THA", 2019) == 1000.0  # 1500 / 1500 * 1000


def test_arrivals_filled_per_direction():
    d = pd.DataFrame({"origin": ["LAO", "LAO", "THA"], "destination": ["THA", "THA", "LAO"],
                      "year": [2019, 2021, 2021], "arrivals": [100.0, 300.0, 50.0]})
    t = P.tourist_arrivals_filled(d, YEARS)
    row = t.set_index(["unit", "year"]).loc[("LAO-THA", 2020)]
    # LAO>THA interpolated to 200, THA>LAO carried back from 2021 (50): 250; nothing observed in 2020
    assert row["filled"] == 250.0 and np.isnan(row["value"]) and row["flag"] == "interpolated"
    r19 = t.set_index(["unit", "year"]).loc[("LAO-THA", 2019)]
    assert r19["value"] == 100.0 and r19["filled"] == 150.0 and r19["flag"] == "carried_back"
    r21 = t.set_index(["unit", "year"]).loc[("LAO-THA", 2021)]
    assert r21["value"] == r21["filled"] == 350.0 and r21["flag"] == "observed"
    panel = build_panel({"tourist_arrivals": t}, ["LAO-THA", "CHN-LAO"], YEARS)
    assert panel.loc[(panel["unit"] == "LAO-THA") & (panel["year"] == 2020), "value"].item() == 250.0
    assert set(panel.loc[panel["unit"] == "CHN-LAO", "flag"]) == {"missing"}


def test_migrant_stock_and_covid_and_memberships():
    synthetic_stock = pd.DataFrame({"year": [2019, 2019, 2019], "origin": ["MMR", "THA", "MMR"],
                                    "destination": ["THA", "MMR", "FRA"], "stock": [100.0, 20.0, 7.0]})
    m = P.migrant_stock(synthetic_stock, YEARS)
    assert _val(m, "MMR-THA", 2019) == 120.0 and m[m["year"] == 2020].empty
    synthetic_c8 = pd.DataFrame({"iso3": ["CHN", "CHN", "LAO"], "date": ["2020-01-01", "2020-12-31", "2020-06-01"],
                                 "c8": [2.0, 4.0, 4.0]})
    c = P.covid_border_closure(P.c8_yearly_means(synthetic_c8), YEARS)
    # CHN mean 3, LAO 4 -> 3.5; 2019 coded 0; 2021 inside the window but no data -> no row
    assert _val(c, "CHN-LAO", 2020) == 3.5 and _val(c, "CHN-LAO", 2019) == 0
    assert c[(c["unit"] == "CHN-LAO") & (c["year"] == 2021)].empty
    b = P.both_member({"THA": 1967, "LAO": 2020, "CHN": None}, YEARS)
    assert _val(b, "LAO-THA", 2019) == 0 and _val(b, "LAO-THA", 2020) == 1 and _val(b, "CHN-THA", 2021) == 0
    ag = P.agreement_in_force(pd.DataFrame({"pair": ["CHN-THA"], "year": [2020]}), YEARS)
    assert _val(ag, "CHN-THA", 2019) == 0 and _val(ag, "CHN-THA", 2021) == 1


def test_shared_languages_and_families():
    synthetic_langs = pd.DataFrame({
        "glottocode": ["hmon1", "hmon1", "lao1", "lao1", "thai1", "viet1"],
        "family_id": ["hmong", "hmong", "taik", "taik", "taik", "aust"],
        "iso3": ["CHN", "LAO", "LAO", "THA", "THA", "VNM"],
    })
    lang, fam = P.shared_languages(synthetic_langs, YEARS)
    assert _val(lang, "LAO-THA", 2019) == 1  # lao1
    assert _val(fam, "LAO-THA", 2019) == 1  # taik
    assert _val(lang, "CHN-LAO", 2019) == 1 and _val(fam, "THA-VNM", 2019) == 0


def test_twin_cities_heritage_and_pair_min():
    synthetic_twins = pd.DataFrame({"city1": ["Kunming", "Vientiane", "Kunming"], "iso3_1": ["CHN", "LAO", "CHN"],
                                    "city2": ["Vientiane", "Kunming", "Nancy"], "iso3_2": ["LAO", "CHN", "FRA"]})
    tw = P.twin_city_links(synthetic_twins, YEARS)
    assert _val(tw, "CHN-LAO", 2019) == 1  # the same link listed from both sides counts once
    sc = pd.DataFrame({"id_no": [1, 1, 2], "iso3": ["LAO", "THA", "THA"]})
    sites = pd.DataFrame({"id_no": [1, 2], "date_inscribed": [2020, 1991]})
    th = P.transboundary_heritage(sc, sites, YEARS)
    assert _val(th, "LAO-THA", 2019) == 0 and _val(th, "LAO-THA", 2020) == 1
    hc = C.heritage_count(sc, sites, YEARS)
    assert _val(hc, "THA", 2019) == 1 and _val(hc, "THA", 2021) == 2
    net = pd.DataFrame({"iso3": ["LAO", "THA"], "year": [2019, 2019], "value": [40.0, 70.0]})
    assert _val(P.pair_min(net, YEARS), "LAO-THA", 2019) == 40.0


def test_province_indicators():
    prov = pd.DataFrame({"code": ["A", "B"], "iso3": ["LAO", "CHN"], "n_stations": [3, 1],
                         "international_stop": [True, False], "airports": [("VTE",), ()],
                         "cities": [("Vientiane",), ("Yuxi",)], "whc_ids": [(479,), ()]})
    st = C.passenger_stations(prov, 2020, YEARS)
    assert _val(st, "A", 2019) == 0 and _val(st, "A", 2020) == 3
    assert _val(C.international_stop(prov, 2021, YEARS), "A", 2021) == 1
    routes = pd.DataFrame({"src_iata": ["VTE", "KMG", "VTE"], "dst_iata": ["KMG", "VTE", "LPQ"],
                           "src_iso3": ["LAO", "CHN", "LAO"], "dst_iso3": ["CHN", "LAO", "LAO"]})
    assert _val(C.province_air_routes(prov, routes, YEARS), "A", 2019) == 2  # domestic VTE-LPQ excluded
    sites = pd.DataFrame({"id_no": [479], "date_inscribed": [1995]})
    assert _val(C.province_heritage(prov, sites, YEARS), "A", 2019) == 1
    twins = pd.DataFrame({"city1": ["Kunming"], "iso3_1": ["CHN"], "city2": ["vientiane"], "iso3_2": ["LAO"]})
    assert _val(C.province_twin_cities(prov, twins, YEARS), "A", 2019) == 1


def test_fill_series_flags():
    years = np.array([2015, 2016, 2017, 2018, 2019])
    v, f = fill_series(years, np.array([np.nan, 10.0, np.nan, 30.0, np.nan]))
    assert v.tolist() == [10.0, 10.0, 20.0, 30.0, 30.0]
    assert f == ["carried_back", "observed", "interpolated", "observed", "carried_forward"]
    v2, f2 = fill_series(years, np.array([np.nan, 10.0, np.nan, 30.0, np.nan]), "none")
    assert np.isnan(v2[0]) and f2[0] == "missing"


def test_build_panel_complete_grid():
    synthetic = pd.DataFrame({"unit": ["CHN-LAO"], "year": [2020], "value": [5.0]})
    panel = build_panel({"x": synthetic}, ["CHN-LAO", "LAO-THA"], YEARS)
    assert len(panel) == 2 * len(YEARS)
    assert set(panel.loc[panel["unit"] == "CHN-LAO", "value"]) == {5.0}
    assert set(panel.loc[panel["unit"] == "LAO-THA", "flag"]) == {"missing"}


def test_fastest_direct_rail_hours_and_province_coding():
    synthetic_stops = pd.DataFrame({"stop_id": ["K", "M", "V"], "stop_name": ["Kunming South", "Mid", "Vientiane"]})
    synthetic_st = pd.DataFrame({
        "trip_id": ["t1", "t1", "t1", "t2", "t2"],
        "arrival_time": ["08:00:00", "10:00:00", "17:30:00", "20:00:00", "25:00:00"],
        "departure_time": ["08:00:00", "10:05:00", "17:30:00", "20:00:00", "25:00:00"],
        "stop_id": ["K", "M", "V", "V", "M"],
        "stop_sequence": [1, 2, 3, 1, 2],
    })
    # Mid -> Vientiane on t1: 10:05 -> 17:30 = 7.4167 h; Vientiane -> Mid on t2 (past midnight): 5 h -> best 5 h
    assert C.fastest_direct_hours(synthetic_st, synthetic_stops, "Mid", "Vientiane") == 5.0
    assert C.fastest_direct_hours(synthetic_st, synthetic_stops, "Mid", "Kunming South") == 2.0
    assert C.fastest_direct_hours(synthetic_st, synthetic_stops, "Nowhere", "Vientiane") is None
    prov = pd.DataFrame({"code": ["P"], "iso3": ["CHN"], "stations": [("Mid",)]})
    h = C.province_rail_hours(prov, synthetic_st, synthetic_stops, hubs={"CHN": "Kunming South", "LAO": "Vientiane"},
                              opened_year=2020, cross_border_year=2021, years=YEARS, no_service_hours=24)
    # 2019: no line (24+24)/2; 2020: domestic hub only (2+24)/2; 2021: both (2+5)/2
    assert _val(h, "P", 2019) == 24 and _val(h, "P", 2020) == 13 and _val(h, "P", 2021) == 3.5

    unknown = pd.DataFrame({"code": ["Q"], "iso3": ["LAO"], "stations": [("Renamed station",)]})
    assert C.province_rail_hours(unknown, synthetic_st, synthetic_stops, hubs={"LAO": "Vientiane"}, opened_year=2020,
                                 cross_border_year=2021, years=YEARS, no_service_hours=24).empty


def test_schema_drift_makes_indicators_unavailable_not_a_crash():
    from lmc.indicators.compute import Facts, compute_indicators

    facts = Facts(links=pd.DataFrame(columns=["pair", "kind", "id", "opened_year", "closed_year", "suspended"]),
                  timetables=pd.DataFrame(columns=["pair", "from_date", "hours"]), asean={}, rcep={},
                  visa_agreements=pd.DataFrame(columns=["pair", "year"]), buddhist_majority=(),
                  arrivals=pd.DataFrame(columns=["origin", "destination", "year", "arrivals"]),
                  provinces=pd.DataFrame(columns=["code", "iso3", "n_stations", "stations", "international_stop",
                                                  "airports", "cities", "whc_ids"]),
                  railway_opened_year=2021, international_service_year=2023)
    synthetic_tables = {"twin_cities": pd.DataFrame({"city_a": ["x"], "country_a": ["CHN"]})}
    res = compute_indicators(synthetic_tables, facts, YEARS)
    assert "iso3_1" in res.unavailable["twin_cities"]
    assert "land_links" in res.values  # curated indicators still computed
