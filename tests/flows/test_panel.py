"""The bilateral panel builder on small synthetic frames (the warehouse tables' shapes, made-up values)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmc.flows.errors import GravityDataError
from lmc.flows.panel import build_bilateral_panel, flows_from_arrivals


@pytest.fixture()
def synthetic_arrivals():
    return pd.DataFrame({
        "year": [2019, 2019, 2020, 2020, 2019],
        "origin_iso3": ["CHN", "CHN", "CHN", "LAO", None],
        "nationality": ["China", "China", "China", "Laos", "ASEAN"],
        "arrivals": [100.0, 110.0, 5.0, 7.0, 999.0],
        "provisional": [True, False, False, False, False],
        "source_file": ["2019.xlsx", "2020.xlsx", "2020.xlsx", "2020.xlsx", "2019.xlsx"],
    })


def test_arrivals_revised_value_wins_and_aggregates_dropped(synthetic_arrivals):
    f = flows_from_arrivals({"thailand_arrivals": synthetic_arrivals})
    assert len(f) == 3
    assert f.set_index(["origin", "year"]).loc[("CHN", 2019), "flow"] == 110.0
    assert (f["destination"] == "THA").all() and (f["flow_source"] == "thailand_mots_arrivals").all()


@pytest.fixture()
def synthetic_key_figures():
    src = {"source_publisher": "Synthetic Daily", "source_url": "https://example.org/synthetic"}
    return pd.DataFrame([
        {"id": "a_low", "indicator": "tourist_arrivals", "unit": "CHN>LAO", "year": 2019, "value": 7.0,
         "confidence": "low", **src},
        {"id": "a_med", "indicator": "tourist_arrivals", "unit": "CHN>LAO", "year": 2019, "value": 9.0,
         "confidence": "medium", **src},
        {"id": "a_high", "indicator": "tourist_arrivals", "unit": "CHN>LAO", "year": 2019, "value": 10.0,
         "confidence": "high", **src},
        {"id": "b_only_low", "indicator": "tourist_arrivals", "unit": "CHN>KHM", "year": 2019, "value": 3.0,
         "confidence": "low", **src},
        {"id": "c_total", "indicator": "tourist_arrivals_total", "unit": "LAO", "year": 2019, "value": 99.0,
         "confidence": "high", **src},
        {"id": "d_thai", "indicator": "tourist_arrivals", "unit": "CHN>THA", "year": 2019, "value": 1.0,
         "confidence": "high", **src},
    ])


def test_curated_arrivals_rank_confidence_and_keep_their_source(synthetic_arrivals, synthetic_key_figures):
    """Curated figures: the most confident per pair-year, low confidence left out, totals ignored; the warehouse's
    statistics win over a curated figure for the same pair and year (the SCI's order of authority)."""
    from lmc.flows.panel import curated_arrivals

    c = curated_arrivals(synthetic_key_figures).set_index(["origin", "destination", "year"])
    assert list(c.index) == [("CHN", "LAO", 2019), ("CHN", "THA", 2019)]
    assert c.loc[("CHN", "LAO", 2019), "arrivals"] == 10.0
    assert c.loc[("CHN", "LAO", 2019), "source"] == "key_figures:a_high Synthetic Daily https://example.org/synthetic"
    f = flows_from_arrivals({"thailand_arrivals": synthetic_arrivals}, synthetic_key_figures)
    x = f.set_index(["origin", "destination", "year"])
    assert x.loc[("CHN", "THA", 2019), "flow"] == 110.0  # the Thai statistics, not the curated 1.0
    assert x.loc[("CHN", "LAO", 2019), "flow_source"].startswith("key_figures:a_high")


def test_panel_joins_covariates(synthetic_arrivals):
    flows = flows_from_arrivals({"thailand_arrivals": synthetic_arrivals})
    dist = pd.DataFrame({"iso_o": ["CHN", "LAO"], "iso_d": ["THA", "THA"], "dist": [2500.0, 600.0],
                         "contig": [0, 1], "comlang_off": [0, 1], "colony": [0, 0]})
    visa = pd.DataFrame({"snapshot_date": ["2018-06-01", "2020-03-01"], "passport": ["CHN", "CHN"],
                         "destination": ["THA", "THA"], "requirement_raw": ["visa on arrival", "visa required"],
                         "openness": [0.5, 0.0], "max_stay_days": [15, 0]})
    wdi = pd.DataFrame({"iso3": ["CHN", "THA", "LAO"], "indicator": "NY.GDP.MKTP.CD", "year": 2019,
                        "value": [1.4e13, 5.4e11, 1.9e10]})
    rta = pd.DataFrame({"origin": ["CHN"], "destination": ["THA"], "year": [2020], "rta": [1.0]})
    p = build_bilateral_panel(flows, dist=dist, visa=visa, wdi=wdi, rta=rta).set_index(["origin", "year"])
    assert p.loc[("CHN", 2019), "ln_dist"] == pytest.approx(np.log(2500.0))
    assert p.loc[("LAO", 2020), "contig"] == 1
    assert p.loc[("CHN", 2019), "visa_openness"] == 0.5   # the 2018 snapshot's rule holds all of 2019
    # 2020: 0.5 from 1 January to 29 February (60 days), then 0 (306 days): weighted by days
    assert p.loc[("CHN", 2020), "visa_openness"] == pytest.approx(0.5 * 60 / 366)
    assert np.isnan(p.loc[("LAO", 2020), "visa_openness"])  # no snapshot: stays missing, never imputed
    assert p.loc[("CHN", 2019), "ln_gdp_o"] == pytest.approx(np.log(1.4e13))
    assert p.loc[("CHN", 2020), "rta"] == 1.0 and p.loc[("CHN", 2019), "rta"] == 0.0
    assert p.loc[("CHN", 2019), "pair"] == "CHN-THA" and p.loc[("CHN", 2019), "exp_year"] == "CHN_2019"


def test_missing_column_named():
    with pytest.raises(GravityDataError, match="'flows'.*flow"):
        build_bilateral_panel(pd.DataFrame({"origin": ["A"], "destination": ["B"], "year": [2020]}))


def test_warehouse_loader_uses_named_tables(monkeypatch, synthetic_arrivals):
    """The thin loader reads the contract's table names; a missing optional table just drops its covariates."""
    import lmc.warehouse.db as db
    from lmc.errors import WarehouseError
    from lmc.flows.panel import build_panel_from_warehouse

    synthetic_tables = {
        "thailand_arrivals": synthetic_arrivals,
        "cepii_dist": pd.DataFrame({"iso_o": ["CHN"], "iso_d": ["THA"], "dist": [2500.0], "contig": [0]}),
    }
    asked: list[str] = []

    def fake_read_table(name, settings=None):
        asked.append(name)
        if name not in synthetic_tables:
            raise WarehouseError(f"unknown warehouse table {name!r}")
        return synthetic_tables[name]

    monkeypatch.setattr(db, "read_table", fake_read_table)
    p = build_panel_from_warehouse()
    assert asked[:4] == ["thailand_arrivals", "thailand_asean_arrivals", "vietnam_arrivals_annual", "key_figures"]
    assert {"cepii_dist", "visa_requirements", "wdi", "oxcgrt_legacy_c8_daily"} <= set(asked)
    assert "ln_dist" in p.columns and "visa_openness" not in p.columns
    assert len(p) == 3  # the Thai table's flows; the other arrivals tables are absent here


def test_visa_rules_and_covid_bans_are_separate():
    """A 'covid ban' snapshot is a ban, not a closed visa rule: the rule in force stays the last real one, and the
    ban is the share of the year's snapshots that report it; exit bans come from the curated file."""
    from lmc.flows.panel import build_lmc_panel

    flows = pd.DataFrame({"origin": ["CHN"] * 3, "destination": ["THA"] * 3, "year": [2019, 2021, 2023],
                          "flow": [10.0, 1.0, 5.0]})
    visa = pd.DataFrame({"snapshot_date": ["2019-06-01", "2021-02-01", "2021-08-01", "2021-11-01", "2023-07-01"],
                         "passport": ["CHN"] * 5, "destination": ["THA"] * 5,
                         "requirement_raw": ["visa on arrival", "covid ban", "covid ban", "visa on arrival", "30"],
                         "openness": [4, 0, 0, 4, 5]})
    p = build_lmc_panel(flows, visa=visa, countries=["CHN", "THA"], years=[2019, 2021, 2023])
    x = p.set_index(["origin", "destination", "year"])
    assert x.loc[("CHN", "THA", 2021), "visa_openness"] == 4          # the rule, not the ban
    assert x.loc[("CHN", "THA", 2021), "visa_free"] == 0.0
    assert x.loc[("CHN", "THA", 2021), "covid_ban_entry"] == pytest.approx(2 / 3)
    # visa-free from the 2023-07-01 snapshot: 184 of 2023's 365 days
    assert x.loc[("CHN", "THA", 2023), "visa_free"] == pytest.approx(184 / 365)
    assert x.loc[("CHN", "THA", 2023), "visa_openness"] == pytest.approx((181 * 4 + 184 * 5) / 365)
    assert x.loc[("CHN", "THA", 2023), "covid_ban_entry"] == 0
    assert x.loc[("CHN", "THA", 2019), "covid_ban"] == 0 and x.loc[("CHN", "THA", 2019), "covid_ban_source"] == \
        "none before 2020 (0)"
    # China's outbound group tours: suspended all of 2021; Thailand re-listed from 2023-02-06 (36 days in 2023)
    assert x.loc[("CHN", "THA", 2021), "covid_ban_exit"] == 1.0 and x.loc[("CHN", "THA", 2021), "covid_ban"] == 1.0
    assert x.loc[("CHN", "THA", 2023), "covid_ban_exit"] == pytest.approx(36 / 365)
    assert x.loc[("THA", "CHN", 2021), "covid_ban_exit"] == 0.0


def test_rcep_dummy_from_sourced_dates():
    from lmc.flows.panel import rcep_frame

    synthetic_pairs = pd.DataFrame({"origin": ["CHN", "CHN", "CHN", "LAO"], "destination": ["LAO", "LAO", "MMR", "LAO"],
                                    "year": [2021, 2022, 2023, 2023]})
    r = rcep_frame(synthetic_pairs)["rcep"].tolist()
    assert r == [0.0, 1.0, 0.0, 0.0]  # in force from 2022; Myanmar not coded; domestic pairs excluded


# --- Covid stringency, travel time and the LMC panel (synthetic frames) ------------------------------------------

@pytest.fixture()
def synthetic_oxcgrt():
    days = pd.to_datetime(["2020-06-01", "2020-06-02", "2021-06-01"])
    stringency = pd.DataFrame({
        "country_code": ["CHN", "CHN", "CHN", "THA", "CHN"],
        "jurisdiction": ["NAT_TOTAL", "NAT_TOTAL", "NAT_TOTAL", "NAT_TOTAL", "STATE_TOTAL"],
        "date": [*days, days[0], days[0]],
        "stringency": [60.0, 80.0, 50.0, 40.0, 5.0],  # the province row must not count
    })
    c8 = pd.DataFrame({"iso3": ["THA", "THA", "CHN"], "date": [days[0], days[1], days[0]], "c8": [4, 2, 3]})
    return stringency, c8


def test_covid_yearly_national_means_and_c8(synthetic_oxcgrt):
    from lmc.flows.panel import covid_yearly

    y = covid_yearly(*synthetic_oxcgrt).set_index(["iso3", "year"])
    assert y.loc[("CHN", 2020), "stringency"] == 70.0 and y.loc[("CHN", 2020), "stringency_days"] == 2
    assert y.loc[("CHN", 2021), "stringency"] == 50.0 and np.isnan(y.loc[("CHN", 2021), "c8_mean"])
    assert y.loc[("THA", 2020), "c8_mean"] == 3.0 and y.loc[("THA", 2020), "c8_max"] == 4.0


def test_travel_times_rail_where_timetabled_else_air():
    from lmc.flows.panel import AIR_FIXED_H, AIR_KMH, travel_times

    pairs = pd.DataFrame({"origin": ["CHN", "CHN", "MMR"], "destination": ["LAO", "LAO", "THA"],
                          "year": [2024, 2025, 2025]})
    dist = pd.DataFrame({"iso_o": ["CHN", "MMR"], "iso_d": ["LAO", "THA"], "dist": [2778.652, 575.0]})
    rail = pd.DataFrame({"origin": ["CHN"], "destination": ["LAO"], "year": [2025], "rail_time_h": [9.5],
                         "from_stop": ["Kunming South"], "to_stop": ["Vientiane"], "date": ["2025-01-01"]})
    t = travel_times(pairs, dist, rail).set_index(["origin", "destination", "year"])
    assert t.loc[("CHN", "LAO", 2025), "travel_time_h"] == 9.5 and t.loc[("CHN", "LAO", 2025), "travel_mode"] == "rail"
    assert "Kunming South -> Vientiane, 2025-01-01" in t.loc[("CHN", "LAO", 2025), "travel_time_source"]
    air = AIR_FIXED_H + 2778.652 / AIR_KMH
    assert t.loc[("CHN", "LAO", 2024), "travel_time_h"] == pytest.approx(air)  # before the timetable: air
    assert t.loc[("CHN", "LAO", 2024), "travel_mode"] == "air" and np.isnan(t.loc[("CHN", "LAO", 2024), "rail_time_h"])
    assert t.loc[("CHN", "LAO", 2025), "air_time_h"] == pytest.approx(air)  # both components kept
    assert t.loc[("MMR", "THA", 2025), "travel_time_h"] == pytest.approx(AIR_FIXED_H + 575.0 / AIR_KMH)


def test_lmc_panel_grid_covid_zero_before_2020_and_sources(synthetic_arrivals, synthetic_oxcgrt):
    from lmc.flows.panel import build_lmc_panel, covid_yearly

    flows = flows_from_arrivals({"thailand_arrivals": synthetic_arrivals})
    visa = pd.DataFrame({"snapshot_date": ["2019-06-01", "2021-03-01"], "passport": ["CHN", "CHN"],
                         "destination": ["THA", "THA"], "openness": [3, 0]})
    p = build_lmc_panel(flows, visa=visa, stringency=covid_yearly(*synthetic_oxcgrt), countries=["CHN", "LAO", "THA"])
    assert len(p) == 6 * 3 and list(p.columns[:5]) == ["origin", "destination", "year", "flow", "flow_source"]
    x = p.set_index(["origin", "destination", "year"])
    assert x.loc[("CHN", "THA", 2019), "flow"] == 110.0
    assert x.loc[("CHN", "THA", 2019), "flow_source"] == "thailand_mots_arrivals"
    assert np.isnan(x.loc[("CHN", "LAO", 2019), "flow"]) and pd.isna(x.loc[("CHN", "LAO", 2019), "flow_source"])
    assert x.loc[("CHN", "THA", 2019), "stringency_pair"] == 0.0  # no Covid measures before 2020
    assert x.loc[("CHN", "THA", 2019), "stringency_source"] == "none before 2020 (0)"
    assert x.loc[("CHN", "THA", 2020), "stringency_pair"] == pytest.approx((70.0 + 40.0) / 2)
    assert x.loc[("CHN", "THA", 2020), "c8_d_mean"] == 3.0
    assert x.loc[("CHN", "THA", 2020), "stringency_source"] == "oxcgrt"
    assert np.isnan(x.loc[("CHN", "LAO", 2020), "stringency_pair"])  # LAO unknown: stays missing
    assert x.loc[("CHN", "THA", 2021), "visa_source"] == "passport_index: snapshot 2021-03-01"
    assert x.loc[("CHN", "THA", 2020), "visa_source"] == "passport_index: snapshot 2019-06-01 (carried forward)"
    assert x.loc[("CHN", "LAO", 2021), "rta"] == 0.0 and x.loc[("CHN", "LAO", 2019), "pair"] == "CHN-LAO"


def test_write_panel_csv_parquet_and_bad_suffix(tmp_path):
    from lmc.flows.panel import write_panel

    synthetic = pd.DataFrame({"origin": ["CHN"], "destination": ["LAO"], "year": [2020], "flow": [1.0]})
    for name in ("p.csv", "p.parquet"):
        out = write_panel(synthetic, tmp_path / name)
        back = pd.read_csv(out) if name.endswith(".csv") else pd.read_parquet(out)
        pd.testing.assert_frame_equal(back, synthetic)
    with pytest.raises(GravityDataError, match=r"p\.xlsx.*\.csv"):
        write_panel(synthetic, tmp_path / "p.xlsx")
    assert sorted(f.name for f in tmp_path.iterdir()) == ["p.csv", "p.parquet"]  # nothing half-written


def test_unknown_flow_source_named():
    from lmc.flows.panel import load_panel_inputs

    with pytest.raises(GravityDataError, match="migrant_stock"):
        load_panel_inputs(flow="migrant_stok")  # type: ignore[arg-type]


# --- the real LMC panel, from the warehouse pulled once per session from the shared mirror -----------------------

@pytest.fixture(scope="module")
def lmc_panel(pulled_warehouse):
    from lmc.corridor.plan import fastest_times
    from lmc.flows.panel import build_lmc_panel_from_warehouse

    return build_lmc_panel_from_warehouse(pulled_warehouse, rail_times=fastest_times())


def test_real_lmc_panel_shape_and_columns(lmc_panel, pulled_warehouse):
    years = sorted(lmc_panel["year"].unique())
    assert years == list(range(2011, 2026))  # Thailand's ASEAN arrivals from 2011, visa snapshots to 2025
    assert len(lmc_panel) == 30 * len(years)
    assert not lmc_panel.duplicated(["origin", "destination", "year"]).any()
    expected = {"origin", "destination", "year", "flow", "dist", "ln_dist", "contig", "comlang_off", "visa_openness",
                "rta", "travel_time_h", "travel_mode", "rail_time_h", "air_time_h", "stringency_o", "stringency_d",
                "stringency_pair", "c8_d_mean", "ln_gdp_o", "ln_gdp_d", "exp_year", "imp_year", "pair",
                "flow_source", "dist_source", "visa_source", "rta_source", "travel_time_source", "stringency_source",
                "gdp_source", "visa_free"}
    assert expected <= set(lmc_panel.columns)
    from lmc import LMC_COUNTRIES
    from lmc.flows.panel import load_panel_inputs

    # every arrivals figure between the six countries that the warehouse holds, once per pair and year
    f = load_panel_inputs(pulled_warehouse)["flows"]
    f = f[f["origin"].isin(LMC_COUNTRIES) & f["destination"].isin(LMC_COUNTRIES) & f["year"].isin(years)]
    assert lmc_panel["flow"].notna().sum() == len(f) >= 80
    assert set(lmc_panel.loc[lmc_panel["flow"].notna(), "destination"]) == {"THA", "LAO", "VNM", "KHM", "MMR"}
    kinds = lmc_panel["flow_source"].dropna().str.split(r"[ :]").str[0]
    assert set(kinds) == {"thailand_mots_arrivals", "tourism_tha_asean_2011_2024", "tourism_vnat_2025", "key_figures"}
    assert {"covid_ban", "covid_ban_entry", "covid_ban_exit", "covid_ban_source"} <= set(lmc_panel.columns)


def test_real_lmc_panel_known_values(lmc_panel):
    x = lmc_panel.set_index(["origin", "destination", "year"])
    assert x.loc[("CHN", "LAO", 2020), "contig"] == 1 and x.loc[("LAO", "THA", 2020), "contig"] == 1
    assert x.loc[("CHN", "THA", 2020), "contig"] == 0
    assert 10.9e6 < x.loc[("CHN", "THA", 2019), "flow"] < 11.1e6  # Thailand's Chinese arrivals, 2019
    assert x.loc[("CHN", "THA", 2024), "visa_openness"] == 5  # visa-free from 2023-09 (2024 snapshots)
    assert x.loc[("CHN", "THA", 2024), "visa_source"].startswith("passport_index: snapshot 2024-")
    assert x.loc[("CHN", "THA", 2024), "rta"] == 1.0 and x.loc[("CHN", "THA", 2021), "rta"] == 0.0  # RCEP 2022
    assert x.loc[("CHN", "LAO", 2021), "stringency_o"] > 50  # China's zero-Covid year
    assert x.loc[("CHN", "THA", 2019), "stringency_pair"] == 0.0
    assert x.loc[("CHN", "LAO", 2021), "stringency_source"] == "oxcgrt"
    assert x.loc[("CHN", "THA", 2023), "flow"] == 3_510_000  # curated key figure (Bangkok Post)
    assert x.loc[("CHN", "THA", 2023), "flow_source"].startswith("key_figures:chn_tha_arrivals_2023 Bangkok Post https://")
    assert x.loc[("MMR", "THA", 2015), "flow"] == pytest.approx(263_422, abs=1)  # MOTS ASEAN series
    # visa-free for Chinese from 2023-09-25; the first snapshot showing it is 2023-10-11: 82 of 365 days
    assert x.loc[("CHN", "THA", 2023), "visa_free"] == pytest.approx(82 / 365)
    assert x.loc[("CHN", "THA", 2022), "visa_free"] == 0.0 and x.loc[("CHN", "THA", 2024), "visa_free"] == 1.0
    # before the first Passport Index snapshot (2019-11) no rule is observed: none is carried back
    assert np.isnan(x.loc[("MMR", "THA", 2014), "visa_openness"]) and pd.isna(x.loc[("MMR", "THA", 2014), "visa_source"])
    assert x.loc[("VNM", "THA", 2021), "covid_ban_entry"] > 0.5  # Thailand's C8 ban level most of 2021
    assert x.loc[("CHN", "VNM", 2022), "covid_ban"] == 1.0 and x.loc[("CHN", "VNM", 2024), "covid_ban"] == 0.0
    assert np.isnan(x.loc[("CHN", "LAO", 2023), "stringency_pair"])  # after the OxCGRT national series: missing
    # rail where the corridor timetable gives a journey (Kunming South 08:00 -> Vientiane 16:30 Lao time, 2025)
    assert x.loc[("CHN", "LAO", 2025), "travel_mode"] == "rail"
    assert x.loc[("CHN", "LAO", 2025), "travel_time_h"] == pytest.approx(9.5)
    # Bangkok 21:25 -> Khamsavath 09:05 next day, + 45 min road to Vientiane station, from 2024-07-19
    assert x.loc[("THA", "LAO", 2024), "travel_time_h"] == pytest.approx(12 + 25 / 60, abs=1e-3)
    assert x.loc[("CHN", "LAO", 2024), "travel_mode"] == "air"  # no LCR times in the feed before 2025
    assert x.loc[("MMR", "VNM", 2025), "travel_mode"] == "air"
    assert (lmc_panel["travel_time_source"].str.startswith("estimate") == (lmc_panel["travel_mode"] == "air")).all()
