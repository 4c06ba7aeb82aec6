"""Each connector parsed from the mirror: declared schema, row counts against the MANIFEST, known values."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from source_ids import CONNECTOR_IDS

from lmc import LMC_COUNTRIES
from lmc.sources.registry import all_sources

_DTYPES = {"VARCHAR": "string", "DOUBLE": "float64", "BOOLEAN": "boolean", "INTEGER": "Int64", "BIGINT": "Int64",
           "SMALLINT": "Int16", "TINYINT": "Int8"}  # fmt: skip
UNIT = re.compile(r"^[A-Z]{3}$|^[A-Z]{3}[->][A-Z]{3}$|^[A-Z]{2,3}-[A-Z0-9]{1,4}$")


@pytest.mark.parametrize("source_id", [*CONNECTOR_IDS, "curated"])
def test_tables_have_exactly_the_declared_columns_and_types(source_id, parsed):
    source = all_sources()[source_id]
    tables = parsed(source_id)
    assert set(tables) == {t.name for t in source.tables}
    for spec in source.tables:
        df = tables[spec.name]
        assert list(df.columns) == list(spec.columns), spec.name
        for col, typ in spec.columns.items():
            if typ in _DTYPES:
                assert str(df[col].dtype) == _DTYPES[typ], f"{spec.name}.{col}: {df[col].dtype} is not {typ}"
            elif typ == "DATE":
                assert df[col].dropna().map(lambda v: isinstance(v, dt.date)).all(), f"{spec.name}.{col}"
        if spec.primary_key:
            assert not df.duplicated(list(spec.primary_key)).any(), f"{spec.name}: primary key repeats"


@pytest.mark.parametrize("source_id", [s for s in CONNECTOR_IDS if all_sources()[s].observations])
def test_observations_are_long_and_well_formed(source_id, parsed):
    obs = all_sources()[source_id].observations(parsed(source_id))
    assert list(obs.columns) == ["indicator", "unit", "year", "value"]
    assert len(obs) > 0
    assert obs["value"].notna().all() and obs["year"].notna().all()
    bad = obs.loc[~obs["unit"].astype(str).str.match(UNIT), "unit"]
    assert bad.empty, f"units not ISO3 / pair / province: {bad.unique()[:5]}"
    assert not obs.duplicated(["indicator", "unit", "year"]).any()


@pytest.mark.parametrize(
    ("source_id", "table", "file"),
    [
        ("openflights", "openflights_airports", "openflights/airports.dat"),
        ("openflights", "openflights_places", "openflights/airports-extended.dat"),
        ("openflights", "openflights_airlines", "openflights/airlines.dat"),
        ("openflights", "openflights_routes", "openflights/routes.dat"),
        ("openflights", "openflights_countries", "openflights/countries.dat"),
        ("openflights", "openflights_planes", "openflights/planes.dat"),
        ("glottolog", "glottolog_languages", "glottolog/languages.csv"),
        ("unesco_whc", "unesco_sites", "unesco_whc/whc_sites_2023_lite.csv"),
        ("cepii_geodist", "cepii_dist", "cepii_geodist/dist_cepii.csv"),
        ("oxcgrt", "oxcgrt_c8_daily", "oxcgrt/owid_international-travel-covid_2020-01-01_2021-12-02.csv"),
        (
            "thailand_mots_arrivals",
            "thailand_arrivals",
            "tourism_bilateral/thailand_mots/thailand_arrivals_by_nationality_2019-2022_tidy.csv",
        ),
        ("sister_cities", "twin_cities", "sister_cities/twin_cities_geocoded.csv"),
        ("china_railway_stations", "railway_stations_cn", "rail_bus/china_railway_stations_osm.csv"),
        ("asem_connectivity_jrc", "asem_groups", "asem_connectivity_jrc/ASEM_iData.csv"),
        ("asem_connectivity_jrc", "asem_meta", "asem_connectivity_jrc/ASEM_iMeta.csv"),
        ("trade_agtpa", "agtpa_ch1_app1", "trade_agtpa/Chapter1Application1.dta"),
        ("trade_agtpa", "agtpa_ch1_ex1", "trade_agtpa/Chapter1Exercise1.dta"),
        ("trade_agtpa", "agtpa_ch2_app2", "trade_agtpa/Chapter2Application2.dta"),
        ("trade_wits_2009", "wits_trade_2009", "trade_wits_2009/WITS_trade2009.csv"),
        ("vrs_routes", "vrs_route_legs", "vrs_routes/vrs_routes_lmc_international_legs_2022-2026.csv"),
        ("vrs_routes", "vrs_country_pairs", "vrs_routes/vrs_routes_lmc_country_pair_summary_2022-2026.csv"),
        ("openalex_coauthorship", "openalex_coauthorship",
         "openalex_coauthorship/openalex_country_coauthorship_lmc_1990-2023.csv"),
        ("openalex_coauthorship", "openalex_works", "openalex_coauthorship/openalex_country_works_total_lmc_1990-2023.csv"),
        ("oxcgrt_legacy", "oxcgrt_legacy_lmc_daily", "oxcgrt_legacy/oxcgrt_legacy_c8_si_lmc_daily_2020-2022.csv"),
        ("oxcgrt_legacy", "oxcgrt_legacy_lmc_monthly", "oxcgrt_legacy/oxcgrt_legacy_c8_si_lmc_monthly_2020-2022.csv"),
        ("ucdp_acd", "ucdp_conflicts", "ucdp_acd/UcdpPrioConflict_v24_1.csv"),
        ("tourism_tha_asean_2011_2024", "thailand_asean_arrivals",
         "tourism_tha_asean_2011_2024/ASEAN_Tourist-Amount_CLEANED.csv"),
    ],
)
def test_one_row_per_data_row(source_id, table, file, parsed, manifest):
    assert len(parsed(source_id)[table]) == int(manifest[file]["rows"])


def test_openflights_burma_is_myanmar_and_routes_get_countries(parsed):
    t = parsed("openflights")
    airports = t["openflights_airports"]
    burma = airports[airports["country"] == "Burma"]
    assert len(burma) == 43 and (burma["iso3"] == "MMR").all()
    routes = t["openflights_routes"]
    assert routes["src_iso3"].notna().mean() > 0.99
    lmc_intl = routes[routes["src_iso3"].isin(LMC_COUNTRIES) & routes["dst_iso3"].isin(LMC_COUNTRIES)
                      & (routes["src_iso3"] != routes["dst_iso3"])]  # fmt: skip
    assert len(lmc_intl) == 374  # README: 374 international routes between two LMC countries


def test_passport_thailand_visa_free_for_chinese_in_2024(parsed):
    v = parsed("passport_index")["visa_requirements"]
    row = v[(v["passport"] == "CHN") & (v["destination"] == "THA") & (v["snapshot_date"] == dt.date(2024, 7, 2))]
    assert len(row) == 1
    assert row["openness"].iloc[0] == 5 and row["category"].iloc[0] == "visa-free"
    assert row["max_stay_days"].iloc[0] == 30 and row["full_matrix"].iloc[0]


def test_passport_snapshots_and_panel(parsed, manifest):
    v = parsed("passport_index")["visa_requirements"]
    assert v["snapshot_date"].nunique() == 53
    full = v[v["full_matrix"]]
    per_date = full.groupby("snapshot_date").size()
    assert per_date[dt.date(2019, 11, 23)] == int(
        manifest["passport_index/passport_index_tidy_iso3_2019-11-23.csv"]["rows"]
    )
    assert per_date[dt.date(2025, 1, 12)] == int(
        manifest["passport_index/passport_index_tidy_iso3_2025-01-12.csv"]["rows"]
    )
    panel_only = v[~v["full_matrix"]]
    assert (panel_only["passport"].isin(LMC_COUNTRIES) | panel_only["destination"].isin(LMC_COUNTRIES)).all()
    assert v["openness"].dropna().between(0, 5).all()
    assert set(v.loc[v["openness"].isna(), "category"]) == {"own country"}


def test_glottolog_language_counts_per_lmc_country(parsed):
    b = parsed("glottolog")["glottolog_language_countries"]
    counts = b[b["level"] == "language"].groupby("iso3").size()
    # mirror README: CN 448, MM 150, LA 106, TH 83, KH 27, VN 119
    assert counts[["CHN", "MMR", "LAO", "THA", "KHM", "VNM"]].tolist() == [448, 150, 106, 83, 27, 119]


def test_unesco_lmc_counts_with_transboundary_split(parsed):
    t = parsed("unesco_whc")
    b = t["unesco_site_countries"].merge(t["unesco_sites"][["id_no", "transboundary"]], on="id_no")
    lmc = b[b["iso3"].isin(LMC_COUNTRIES)]
    national = lmc[~lmc["transboundary"]].groupby("iso3").size().to_dict()
    assert national == {"CHN": 56, "KHM": 4, "LAO": 3, "MMR": 2, "THA": 7, "VNM": 8}
    assert lmc[lmc["transboundary"]].groupby("iso3").size().to_dict() == {"CHN": 1}  # Silk Roads
    silk = t["unesco_sites"][t["unesco_sites"]["iso3_list"].fillna("").str.contains("CHN,")]
    assert len(silk) == 1 and silk["transboundary"].iloc[0]


def test_thailand_arrivals_china_2019(parsed):
    a = parsed("thailand_mots_arrivals")["thailand_arrivals"]
    chn = a[(a["origin_iso3"] == "CHN") & (a["year"] == 2019)]
    assert chn["arrivals"].tolist() == [10997169.0]
    assert not chn["provisional"].iloc[0]
    obs = all_sources()["thailand_mots_arrivals"].observations(parsed("thailand_mots_arrivals"))
    got = obs.set_index(["unit", "year"])["value"]
    assert got[("CHN>THA", 2019)] == 10997169.0
    assert got[("CHN>THA", 2021)] == 13043.0  # the same in both files that report 2021
    assert got[("CHN>THA", 2022)] == 273567.0  # tidy file line 272 (provisional)


def test_cepii_distance_and_contiguity(parsed):
    d = parsed("cepii_geodist")["cepii_dist"].set_index(["iso_o", "iso_d"])
    assert d.loc[("CHN", "LAO"), "contig"] == 1 and d.loc[("THA", "CHN"), "contig"] == 0
    assert d.loc[("CHN", "LAO"), "dist"] == d.loc[("LAO", "CHN"), "dist"] == 2778.652  # dist_cepii.csv line 8400
    assert "ROM" not in d.index.get_level_values(0) and "ROU" in d.index.get_level_values(0)


def test_wdi_drops_aggregates_and_keeps_countries(parsed):
    w = parsed("wdi")["wdi"]
    assert not w["iso3"].isin(["WLD", "EAS", "LMC", "HIC"]).any()
    assert set(LMC_COUNTRIES) <= set(w["iso3"])
    assert w["indicator"].nunique() == 19
    pop = w[(w["iso3"] == "LAO") & (w["indicator"] == "SP.POP.TOTL") & (w["year"] == 2019)]["value"]
    assert pop.tolist() == [7237636.0]  # wdi_selected_long_1995_latest.csv: "Lao PDR,LAO,SP.POP.TOTL,2019,7237636.0"
    tour = parsed("wdi")["wdi_tourism"]
    assert tour[(tour["iso3"] == "THA") & (tour["year"] == 2019)]["tourism_arrivals"].tolist() == [39916000.0]


def test_migrant_stock_named_countries_become_iso3(parsed):
    s = parsed("un_desa_migrant_stock")["migrant_stock"]
    mmr_tha = s[(s["origin"] == "MMR") & (s["destination"] == "THA")].set_index("year")["stock"]
    assert list(mmr_tha.index) == [1990, 1995, 2000, 2005, 2010, 2015, 2019]
    assert mmr_tha.is_monotonic_increasing and mmr_tha[2019] > 1e6
    assert {"VNM", "LAO"} <= set(s["origin"]) and (s["stock"] > 0).all()


def test_oxcgrt_daily_tables(parsed):
    t = parsed("oxcgrt")
    s = t["oxcgrt_stringency_daily"]
    assert s["stringency"].between(0, 100).all()
    yunnan = s[s["region_name"] == "Yunnan"]
    assert len(yunnan) > 1000 and (yunnan["country_code"] == "CHN").all()
    c8 = t["oxcgrt_c8_daily"]
    assert c8["c8"].between(0, 4).all() and c8["iso3"].nunique() >= 180
    assert max(c8["date"]) <= dt.date(2021, 12, 2)
    obs = all_sources()["oxcgrt"].observations(t)
    yunnan_obs = obs[(obs["unit"] == "CN-YN") & (obs["indicator"] == "covid_stringency_mean")]
    assert sorted(yunnan_obs["year"]) == [2020, 2021, 2022, 2023]


def test_twin_cities_lmc_counts(parsed):
    tw = parsed("sister_cities")["twin_cities"]
    lmc1, lmc2 = tw["iso3_1"].isin(LMC_COUNTRIES), tw["iso3_2"].isin(LMC_COUNTRIES)
    assert (lmc1 | lmc2).sum() == 2017  # mirror README
    assert (lmc1 & lmc2 & (tw["iso3_1"] != tw["iso3_2"])).sum() == 63
    assert tw["iso3_1"].notna().mean() > 0.99


def test_railway_stations_include_the_china_laos_line(parsed):
    st = parsed("china_railway_stations")["railway_stations_cn"]
    names = set(st["station_name"])
    assert {"昆明南", "磨憨", "琅勃拉邦", "万象"} <= names
    vte = st[st["station_name"] == "万象"].iloc[0]
    assert 17.5 < vte["lat"] < 18.5 and 102 < vte["lon"] < 103


def test_asem_has_all_six_lmc_countries(parsed):
    d = parsed("asem_connectivity_jrc")["asem_data"]
    assert set(LMC_COUNTRIES) <= set(d["iso3"])
    meta = parsed("asem_connectivity_jrc")["asem_meta"]
    assert {"Visa", "Tourist", "MigStock", "Lang", "Flights"} <= set(meta["icode"])
    assert (pd.Series(list(meta["type"])).isin(["Indicator", "Aggregate", "Group", "Denominator"])).all()


def test_trade_reference_panels(parsed):
    t = parsed("trade_agtpa")["agtpa_ch1_app1"]
    assert {"CHN", "MMR", "THA"} <= set(t["exporter"]) and "LAO" not in set(t["exporter"])
    assert t["year"].min() == 1986 and t["year"].max() == 2006
    w = parsed("trade_wits_2009")["wits_trade_2009"]
    assert w["reporter"].nunique() == 173 and set(w["flow"]) == {"export", "import"}
    chn_lao = w[(w["reporter"] == "CHN") & (w["partner"] == "LAO") & (w["flow"] == "export")]["value_kusd"]
    assert chn_lao.tolist() == [318538.25]  # WITS_trade2009.csv: China -> Lao PDR exports, 318,538.250 kUSD
