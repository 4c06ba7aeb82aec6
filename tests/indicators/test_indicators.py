"""Indicator computations on small hand-made fixtures; every expected value is worked out by hand in a comment."""

from __future__ import annotations

import numpy as np
import pandas as pd

import pytest

from lmc.indicators import air as A
from lmc.indicators import country as C
from lmc.indicators import disruption as D
from lmc.indicators import pair as P
from lmc.indicators.panel import build_panel
from lmc.sources.harmonise import lmc_pairs, pair_unit

YEARS = [2019, 2020, 2021]


def _val(df: pd.DataFrame, unit: str, year: int) -> float:
    s = df[(df["unit"] == unit) & (df["year"] == year)]["value"]
    assert len(s) == 1, (unit, year, df)
    return float(s.iloc[0])


def test_pairs_are_canonical():
    assert len(lmc_pairs()) == 15 and lmc_pairs()[0] == "CHN-MMR" and lmc_pairs()[-1] == "KHM-VNM"
    assert pair_unit("LAO", "CHN") == "CHN-LAO"


def test_air_route_shares_from_both_sources():
    synthetic_routes = pd.DataFrame({
        "airline": ["QV", "MU", "QV", "TG", "FD"],
        "src_iata": ["VTE", "KMG", "KMG", "BKK", "BKK"],
        "dst_iata": ["KMG", "VTE", "VTE", "VTE", "NRT"],
        "src_iso3": ["LAO", "CHN", "CHN", "THA", "THA"],
        "dst_iso3": ["CHN", "LAO", "LAO", "LAO", "JPN"],
    })
    synthetic_legs = pd.DataFrame({
        "snapshot_date": ["2023-03-01", "2023-09-01", "2023-09-01"], "airline_icao": ["LAO", "LAO", "THA"],
        "origin_icao": ["VLVT", "VLVT", "VTBS"], "origin_iata": ["VTE", "VTE", "BKK"],
        "origin_iso3": ["LAO", "LAO", "THA"], "dest_icao": ["ZPPP", "ZPPP", "VLVT"],
        "dest_iata": ["KMG", "KMG", "VTE"], "dest_iso3": ["CHN", "CHN", "LAO"],
    })
    s = A.route_shares(synthetic_routes, synthetic_legs, YEARS + [2023])
    r = s["air_route_share"].set_index(["unit", "year"])
    # 2014 (OpenFlights): CHN-LAO has VTE>KMG and KMG>VTE of the 3 intra-LMC airport pairs (Tokyo ignored)
    assert r.loc[("CHN-LAO", 2014), "value"] == pytest.approx(200 / 3) and r.loc[("CHN-LAO", 2014), "source"] == "openflights"
    # 2023: two versions, 100 % (March: the only route) and 50 % (September) -> mean 75 %
    assert r.loc[("CHN-LAO", 2023), "value"] == pytest.approx(75.0) and r.loc[("CHN-LAO", 2023), "source"] == "vrs_routes"
    a = s["air_airline_share"].set_index(["unit", "year"])
    assert a.loc[("CHN-LAO", 2014), "value"] == pytest.approx(200 / 3)  # QV and MU of QV, MU, TG
    assert (2019 not in set(r.reset_index()["year"]))  # nothing observed between the sources
    prov = pd.DataFrame({"code": ["LA-VT"], "airports": [("VTE",)]})
    ps = A.province_route_shares(prov, synthetic_routes, synthetic_legs, [2023]).set_index("year")
    assert ps.loc[2014, "value"] == 100.0 and ps.loc[2023, "value"] == 100.0  # every intra-LMC route touches VTE


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
    synthetic_tt = pd.DataFrame({"pair": ["CHN-LAO", "CHN-LAO", "CHN-VNM"], "from_date": ["2020-04-13", "2020-07-25",
                                 "2009-01-02"], "hours": [10.5, 9.4, 12.67], "suspended": [(), (), (2020,)]})
    h = P.rail_travel_hours(synthetic_tt, YEARS, no_service_hours=48)
    # the timetable in effect on 31 December: 2019 none (48), 2020 the July one; CHN-VNM suspended in 2020
    assert _val(h, "CHN-LAO", 2019) == 48 and _val(h, "CHN-LAO", 2020) == 9.4 and _val(h, "MMR-THA", 2021) == 48
    assert _val(h, "CHN-VNM", 2019) == 12.67 and _val(h, "CHN-VNM", 2020) == 48 and _val(h, "CHN-VNM", 2021) == 12.67


def test_arrivals_sum_directions_first_source_wins_and_per_capita_of_the_smaller_partner():
    warehouse = pd.DataFrame({"origin": ["CHN"], "destination": ["THA"], "year": [2019], "arrivals": [1000.0],
                              "source": ["mots"]})
    curated = pd.DataFrame({"origin": ["CHN", "THA"], "destination": ["THA", "CHN"], "year": [2019, 2019],
                            "arrivals": [999.0, 500.0]})
    d = P.directed_arrivals(warehouse, curated)
    assert d.set_index(["origin", "destination"]).loc[("CHN", "THA"), "source"] == "mots"
    t = P.tourist_arrivals(d, YEARS)
    assert _val(t, "CHN-THA", 2019) == 1500.0  # 1000 (warehouse wins over 999) + 500
    pop = pd.DataFrame({"iso3": ["CHN", "THA"], "year": [2019, 2019], "population": [1000.0, 500.0]})
    pc = P.per_capita(t, pop, per=1000)
    assert _val(pc, "CHN-THA", 2019) == 3000.0  # 1500 / 500 (Thailand, the smaller) * 1000


def test_arrivals_filled_per_direction_within_regimes():
    years = [2017, 2018, 2019, 2020, 2021, 2022]
    d = pd.DataFrame({"origin": ["LAO", "LAO", "THA", "LAO"], "destination": ["THA", "THA", "LAO", "THA"],
                      "year": [2017, 2019, 2019, 2021], "arrivals": [100.0, 300.0, 50.0, 7.0],
                      "source": ["s1", "s1", "s2", "s1"]})
    t = P.tourist_arrivals_filled(d, years).set_index(["unit", "year"])
    # 2018: LAO>THA interpolated (200), THA>LAO carried back from 2019 (50): 250; nothing observed that year
    r18 = t.loc[("LAO-THA", 2018)]
    assert r18["filled"] == 250.0 and np.isnan(r18["value"]) and r18["flag"] == "interpolated"
    assert r18["source_years"] == "LAO>THA: 2017-2019; THA>LAO: 2019" and r18["source"] == "LAO>THA: s1; THA>LAO: s2"
    r19 = t.loc[("LAO-THA", 2019)]
    assert r19["value"] == r19["filled"] == 350.0 and r19["flag"] == "observed"
    # 2020 is the closing year and 2021 is closure: no 2019 value crosses into them; 2022 (LAO-THA reopening year by
    # default is 2023, so 2022 is closure) carries 2021 for one year
    assert ("LAO-THA", 2020) not in t.index
    assert t.loc[("LAO-THA", 2021), "filled"] == 7.0 and t.loc[("LAO-THA", 2022), "flag"] == "carried_forward"
    panel = build_panel({"tourist_arrivals": t.reset_index()}, ["LAO-THA", "CHN-LAO"], years)
    assert panel.loc[(panel["unit"] == "LAO-THA") & (panel["year"] == 2018), "value"].item() == 250.0
    assert panel.loc[(panel["unit"] == "LAO-THA") & (panel["year"] == 2020), "flag"].item() == "missing"
    assert set(panel.loc[panel["unit"] == "CHN-LAO", "flag"]) == {"missing"}


def test_migrant_stock_and_covid_and_memberships():
    synthetic_stock = pd.DataFrame({"year": [2019, 2019, 2019], "origin": ["MMR", "THA", "MMR"],
                                    "destination": ["THA", "MMR", "FRA"], "stock": [100.0, 20.0, 7.0]})
    m = P.migrant_stock(synthetic_stock, YEARS)
    assert _val(m, "MMR-THA", 2019) == 120.0 and m[m["year"] == 2020].empty
    # CHN at level 2 every day of 2020 and 2021; LAO at 4 until 2021-06-30, then 1 (and no data after 2021)
    days = pd.date_range("2020-01-01", "2021-12-31")
    synthetic_c8 = pd.concat([
        pd.DataFrame({"iso3": "CHN", "date": days, "c8": 2.0}),
        pd.DataFrame({"iso3": "LAO", "date": days, "c8": np.where(days <= "2021-06-30", 4.0, 1.0)}),
    ])
    c = D.covid_closure_share(synthetic_c8, YEARS + [2022], pairs=["CHN-LAO", "LAO-THA"])
    # CHN-LAO: China closed every day -> 1 in 2020 and 2021; 2019 coded 0; 2022: China's last level (2) was
    # closed and it has no data -> unknown, no row. LAO-THA: Thailand has no data, but a closed Laos closes the pair
    # (2020); from July 2021 Laos is open and Thailand unknown -> no row for 2021
    assert _val(c, "CHN-LAO", 2020) == 1.0 and _val(c, "CHN-LAO", 2021) == 1.0 and _val(c, "CHN-LAO", 2019) == 0
    assert c[(c["unit"] == "CHN-LAO") & (c["year"] == 2022)].empty
    assert _val(c, "LAO-THA", 2020) == 1.0 and c[(c["unit"] == "LAO-THA") & (c["year"] == 2021)].empty
    # Laos alone: reopened (level 1) on its last coded day, so 2022 counts as open
    lao_only = synthetic_c8.assign(iso3=synthetic_c8["iso3"].replace({"CHN": "THA"}))
    lao_only = lao_only[~((lao_only["iso3"] == "THA") & (lao_only["date"] > "2020-12-31"))]
    lao_only.loc[lao_only["iso3"] == "THA", "c8"] = 0.0
    c2 = D.covid_closure_share(lao_only, [2021, 2022], pairs=["LAO-THA"])
    assert _val(c2, "LAO-THA", 2021) == pytest.approx(181 / 365) and _val(c2, "LAO-THA", 2022) == 0.0
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
    sites = pd.DataFrame({"id_no": [479], "date_inscribed": [1995]})
    assert _val(C.province_heritage(prov, sites, YEARS), "A", 2019) == 1
    twins = pd.DataFrame({"city1": ["Kunming"], "iso3_1": ["CHN"], "city2": ["vientiane"], "iso3_2": ["LAO"]})
    assert _val(C.province_twin_cities(prov, twins, YEARS), "A", 2019) == 1


def test_build_panel_complete_grid():
    synthetic = pd.DataFrame({"unit": ["CHN-LAO", "CHN-LAO"], "year": [2017, 2020], "value": [4.0, 5.0]})
    panel = build_panel({"x": synthetic}, ["CHN-LAO", "LAO-THA"], YEARS, default_sources={"x": "synthetic_src"})
    assert len(panel) == 2 * len(YEARS)
    cl = panel[panel["unit"] == "CHN-LAO"].set_index("year")
    # 2019 carried from 2017 (two years, same pre-2020 regime); 2020 observed; 2021 (closure) not filled from 2020
    assert cl.loc[2019, "value"] == 4.0 and cl.loc[2019, "flag"] == "carried_forward"
    assert cl.loc[2019, "source_years"] == "2017" and cl.loc[2019, "source"] == "synthetic_src"
    assert cl.loc[2020, "flag"] == "observed" and cl.loc[2021, "flag"] == "missing"
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
                  agreements=pd.DataFrame(columns=["id", "kind", "pair", "year", "weight"]), buddhist_majority=(),
                  arrivals=pd.DataFrame(columns=["origin", "destination", "year", "arrivals"]),
                  provinces=pd.DataFrame(columns=["code", "iso3", "n_stations", "stations", "international_stop",
                                                  "airports", "cities", "whc_ids"]),
                  railway_opened_year=2021, international_service_year=2023)
    synthetic_tables = {"twin_cities": pd.DataFrame({"city_a": ["x"], "country_a": ["CHN"]})}
    res = compute_indicators(synthetic_tables, facts, YEARS)
    assert "iso3_1" in res.unavailable["twin_cities"]
    assert "land_links" in res.values  # curated indicators still computed


# ---------------------------------------------------------------------------------------------------- issue 13
def test_disruption_unites_covid_days_curated_events_and_interstate_conflict():
    import datetime as dt

    years = [2019, 2020, 2025]
    days = pd.date_range("2020-01-01", "2020-12-31")
    synthetic_c8 = pd.concat([  # Laos closed (level 3) from 1 April 2020 and reopened (1) on its last coded day
        pd.DataFrame({"iso3": "LAO", "date": days, "c8": np.where(days >= "2020-04-01", 3.0, 0.0)}),
        pd.DataFrame({"iso3": "THA", "date": days, "c8": 1.0}),
        pd.DataFrame({"iso3": "KHM", "date": days, "c8": 1.0}),
    ])
    synthetic_c8.loc[(synthetic_c8["iso3"] == "LAO") & (synthetic_c8["date"] == "2020-12-31"), "c8"] = 1.0
    ev = pd.DataFrame({"id": ["x_closure", "x_clash", "x_old"], "unit": ["THA-KHM", "THA-KHM", "LAO-THA"],
                       "kind": ["border_closure", "armed_clash", "ceasefire"],
                       "start_date": [dt.date(2025, 6, 23), dt.date(2025, 7, 24), dt.date(2019, 1, 1)],
                       "end_date": [None, dt.date(2025, 7, 28), dt.date(2019, 12, 31)],
                       "as_of": [dt.date(2025, 12, 10), dt.date(2025, 7, 29), dt.date(2019, 12, 31)]})
    ucdp = pd.DataFrame({"year": [2019], "gwno_loc": ["811"], "gwno_a": ["811"], "gwno_b": ["812"],
                         "intensity_level": [1], "type_of_conflict": [2]})  # Cambodia v Laos, 2019 (synthetic)
    d = D.disrupted_share(synthetic_c8, ev, ucdp, years).set_index(["unit", "year"])
    # LAO-THA 2020: Laos closed 1 April - 30 December = 274 of 366 days; a ceasefire disrupts nothing (2019 = 0)
    assert d.loc[("LAO-THA", 2020), "value"] == pytest.approx(274 / 366)
    assert d.loc[("LAO-THA", 2019), "value"] == 0 and d.loc[("LAO-THA", 2020), "source"] == "oxcgrt_legacy"
    # THA-KHM 2025: 23 June - 10 December (171 days; the clash falls inside) - Covid controls long over
    assert d.loc[("THA-KHM", 2025), "value"] == pytest.approx(171 / 365)
    assert d.loc[("THA-KHM", 2025), "source"] == "x_closure; x_clash"
    # interstate conflict (UCDP dates it by year only): the whole year
    assert d.loc[("LAO-KHM", 2019), "value"] == 1.0 and d.loc[("LAO-KHM", 2019), "source"] == "ucdp_acd"
    # China has no C8 rows here: its 2020 days are unknown, so its pairs get no 2020 row (not "open")
    assert ("CHN-LAO", 2020) not in d.index and d.loc[("CHN-LAO", 2019), "value"] == 0


def test_institutions_by_depth_each_counted_once():
    years = [2015, 2022]
    detail = pd.DataFrame({"pair": ["LAO-THA", "LAO-THA", "CHN-LAO", "MMR-THA"], "year": [2022] * 4,
                           "mechanism": ["synthetic_treaty", "synthetic_mekong_x", "synthetic_treaty",
                                         "synthetic_rcep"]})
    weights = pd.DataFrame({"mechanism": ["synthetic_treaty", "synthetic_mekong_x", "synthetic_rcep"] * 2,
                            "year": [2015] * 3 + [2022] * 3, "weight": [1.0, 0.0, 0.5] * 2})
    excluded = pd.DataFrame({"mechanism": ["synthetic_rcep"], "member": ["MMR"]})
    m = P.mechanism_depth(detail, weights, excluded, years)
    # LAO-THA: a treaty body (1) + a Mekong-X framework (0); MMR-THA's RCEP not counted for Myanmar; 2015: nothing
    assert _val(m, "LAO-THA", 2022) == 1.0 and _val(m, "MMR-THA", 2022) == 0 and _val(m, "LAO-THA", 2015) == 0
    agreements = pd.DataFrame({"id": ["fta", "fta", "nav", "nav", "nav"],
                               "kind": ["fta", "fta", "navigation", "navigation", "navigation"],
                               "pair": ["CHN-LAO", "CHN-THA", "CHN-LAO", "CHN-THA", "LAO-THA"],
                               "year": [2010, 2010, 2000, 2000, 2000], "weight": [0.5, 0.5, 0.5, 0.5, 0.5]})
    a = P.agreements_in_force(agreements, years)
    assert _val(a, "CHN-LAO", 2015) == 1.0 and _val(a, "LAO-THA", 2015) == 0.5 and _val(a, "KHM-VNM", 2015) == 0
    assert _val(P.agreements_in_force(agreements, years, weighted=False), "CHN-LAO", 2015) == 2
    total = P.add_values(m, a)
    assert _val(total, "CHN-LAO", 2022) == 2.0  # the treaty body (1) + FTA (0.5) + navigation (0.5)
    members = pd.DataFrame({"mechanism": ["synthetic_treaty", "synthetic_mekong_x", "synthetic_rcep"],
                            "member": ["LAO", "LAO", "MMR"], "year": [2022] * 3})
    c = C.institution_depth(members, weights, excluded, agreements, years)
    # Laos 2022: treaty 1 + Mekong-X 0 + FTA 0.5 + navigation 0.5 (the navigation agreement binds it to China
    # and Thailand, but it is one agreement); Myanmar: RCEP not counted
    assert _val(c, "LAO", 2022) == 2.0 and _val(c, "MMR", 2022) == 0.0 and _val(c, "CHN", 2015) == 1.0


def test_per_capita_of_the_smaller_partner_or_of_both():
    t = pd.DataFrame({"unit": ["CHN-LAO"], "year": [2019], "value": [1_000_000.0]})
    pop = pd.DataFrame({"iso3": ["CHN", "LAO"], "year": [2019, 2019], "population": [1.4e9, 7.2e6]})
    assert _val(P.per_capita(t, pop), "CHN-LAO", 2019) == pytest.approx(1e6 / 7.2e6 * 1000)  # 138.9 per 1,000 Lao
    assert _val(P.per_capita(t, pop, denominator="sum"), "CHN-LAO", 2019) == pytest.approx(1e6 / (1.4e9 + 7.2e6) * 1000)
