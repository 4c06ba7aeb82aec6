"""The December 2026 sources: known values read from the mirror by hand, and malformed rows named by file and line."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest

from lmc.errors import ParseError
from lmc.sources import (
    curated,
    openalex_coauthorship,
    oxcgrt_legacy,
    tourism_tha_asean_2011_2024,
    tourism_vnat_2025,
    ucdp_acd,
    vrs_routes,
)


def _edit_line(path, line_no: int, edit) -> None:
    """Replace line ``line_no`` (1-based) of a text file by ``edit(old_line)``."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line_no - 1] = edit(lines[line_no - 1])
    path.write_text("".join(lines), encoding="utf-8")


def _paths(source, copy_of):
    return {f.path: copy_of(f.path) for f in source.SOURCE.files}


# ---------------------------------------------------------------------------------------------------- known values
def test_openalex_china_laos_coauthored_works_2023_is_36(parsed):
    t = parsed("openalex_coauthorship")["openalex_coauthorship"]
    row = t[(t["year"] == 2023) & (t["iso3_a"] == "CHN") & (t["iso3_b"] == "LAO")]
    assert row["works"].tolist() == [36]
    obs = openalex_coauthorship.observations(parsed("openalex_coauthorship"))
    assert obs.set_index(["indicator", "unit", "year"]).loc[("coauthored_works", "CHN-LAO", 2023), "value"] == 36
    w = parsed("openalex_coauthorship")["openalex_works"].set_index(["iso3", "year"])["works"]
    assert w[("LAO", 2023)] == 393 and w[("CHN", 2023)] == 237887  # the README's 2023 totals


def test_oxcgrt_legacy_thailand_c8_on_2022_10_01_is_0(parsed):
    c8 = parsed("oxcgrt_legacy")["oxcgrt_legacy_c8_daily"].set_index(["iso3", "date"])["c8"]
    assert c8[("THA", dt.date(2022, 10, 1))] == 0
    assert c8[("THA", dt.date(2022, 9, 30))] == 1
    # China stayed at level 2 all of 2022 and reopened on 2023-01-08 (level 1)
    china = parsed("oxcgrt_legacy")["oxcgrt_legacy_c8_daily"].query("iso3 == 'CHN'")
    in_2022 = china[pd.to_datetime(china["date"]).dt.year == 2022]["c8"]
    assert len(in_2022) == 365 and set(in_2022) == {2}
    assert c8[("CHN", dt.date(2023, 1, 7))] == 2 and c8[("CHN", dt.date(2023, 1, 8))] == 1


def test_vrs_china_to_laos_airport_pairs_in_the_2026_08_19_version_is_25(parsed):
    legs = parsed("vrs_routes")["vrs_route_legs"]
    v = legs[(legs["snapshot_date"] == dt.date(2026, 8, 19)) & (legs["origin_iso3"] == "CHN")
             & (legs["dest_iso3"] == "LAO")]
    assert len(v.drop_duplicates(["origin_icao", "dest_icao"])) == 25
    summary = parsed("vrs_routes")["vrs_country_pairs"]
    row = summary[(summary["snapshot_date"] == dt.date(2026, 8, 19)) & (summary["origin_iso3"] == "CHN")
                  & (summary["dest_iso3"] == "LAO")]
    assert row["n_airport_pairs"].tolist() == [25]


def test_vrs_unknown_airports_have_no_country(parsed):
    legs = parsed("vrs_routes")["vrs_route_legs"]
    assert legs["origin_iso3"].isna().any()  # '??' in the file
    assert legs.loc[legs["origin_iso3"].isna(), "origin_icao"].notna().all()


def test_route_shares_are_normalised_within_each_version():
    synthetic = pd.DataFrame({
        "version": pd.to_datetime(["2023-03-01"] * 4 + ["2024-03-01"] * 2),
        "airline": ["A", "B", "A", "C", "A", "A"],
        "origin": ["KMG", "KMG", "VTE", "BKK", "KMG", "BKK"],
        "dest": ["VTE", "VTE", "KMG", "VTE", "VTE", "NRT"],
        "origin_iso3": ["CHN", "CHN", "LAO", "THA", "CHN", "THA"],
        "dest_iso3": ["LAO", "LAO", "CHN", "LAO", "LAO", "JPN"],
    })
    s = vrs_routes.lmc_route_shares(synthetic).set_index(["version", "pair"])
    v1 = pd.Timestamp("2023-03-01")
    # 2023: airport pairs KMG>VTE, VTE>KMG (CHN-LAO), BKK>VTE (LAO-THA): 2 of 3; airlines A, B of A, B, C: 2 of 3
    assert s.loc[(v1, "CHN-LAO"), "airport_pairs"] == 2
    assert s.loc[(v1, "CHN-LAO"), "airport_pair_share"] == pytest.approx(200 / 3)
    assert s.loc[(v1, "CHN-LAO"), "airline_share"] == pytest.approx(200 / 3)
    assert s.loc[(v1, "MMR-KHM"), "airport_pair_share"] == 0  # observed version, no route
    # 2024: the only LMC route is CHN-LAO (the Tokyo route is not intra-LMC) -> 100 %
    assert s.loc[(pd.Timestamp("2024-03-01"), "CHN-LAO"), "airport_pair_share"] == 100


def test_thai_asean_series_buddhist_era_and_names(parsed):
    a = parsed("tourism_tha_asean_2011_2024")["thailand_asean_arrivals"].set_index(["origin_iso3", "year"])
    assert a.loc[("LAO", 2021), "arrivals"] == 733  # the ministry's table (mirror README)
    assert a.loc[("LAO", 2021), "year_be"] == 2564
    assert sorted(a.index.get_level_values(0).unique()) == ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP",
                                                            "VNM"]


def test_vnat_2025_annual_by_market(parsed):
    a = parsed("tourism_vnat_2025")["vietnam_arrivals_annual"].set_index("market")
    assert a.loc["China", "arrivals"] == 5282002 and a.loc["China", "origin_iso3"] == "CHN"
    assert a.loc["Cambodia", "arrivals"] == 687132 and a.loc["Laos", "arrivals"] == 179340
    assert bool(a.loc["1. Asia", "is_aggregate"]) and pd.isna(a.loc["1. Asia", "origin_iso3"])
    assert "MMR" not in set(a["origin_iso3"].dropna())  # no Myanmar row


def test_ucdp_extract_is_rebuilt_byte_for_byte(mirror_dir):
    out = ucdp_acd.derive_lmc((mirror_dir / ucdp_acd.RELEASE.path).read_bytes())
    assert hashlib.sha256(out).hexdigest() == ucdp_acd.LMC_EXTRACT.sha256


def test_ucdp_myanmar_war_and_the_2011_border_conflict(parsed):
    c = parsed("ucdp_acd")["ucdp_conflicts"]
    obs = ucdp_acd.observations(parsed("ucdp_acd")).set_index(["indicator", "unit", "year"])["value"]
    assert obs[("conflict_intensity_max", "MMR", 2022)] == 2 and obs[("conflict_intensity_max", "MMR", 2023)] == 2
    assert obs[("conflict_intensity_max", "LAO", 2023)] == 0
    border = c[(c["year"] == 2011) & (c["lmc_iso3_involved"] == "KHM;THA")]
    assert len(border) == 1 and int(border["type_of_conflict"].iloc[0]) == 2  # interstate


def test_curated_events_and_derived_rail_traffic(parsed):
    e = parsed("curated")["events"]
    closure = e[e["id"] == "tha_khm_land_border_closure_2025"].iloc[0]
    assert closure["unit"] == "THA-KHM" and closure["start_date"] == dt.date(2025, 6, 23)
    assert pd.isna(closure["end_date"]) and closure["source_url"].startswith("https://")
    a = parsed("curated")["rail_traffic_annual"]
    a = a[a["section"] == "whole_line"].set_index(["metric", "year"])
    # 24.2 M trips to 2023-12-02 minus 8.5 M to 2022-12-02 (both cumulative since 2021-12-03) = 15.7 M, derived
    assert a.loc[("passenger_trips", 2023), "value"] == pytest.approx(15_700_000)
    assert bool(a.loc[("passenger_trips", 2023), "derived"])
    assert a.loc[("passenger_trips", 2023), "derived_from"] == "lcr_pax_cum_2022_12_02,lcr_pax_cum_2023_12_02"
    assert a.loc[("passenger_trips", 2022), "value"] == 8_500_000  # the first operating year, from zero
    assert not bool(a.loc[("passenger_trips", 2025), "derived"])  # published calendar-year figure


# ---------------------------------------------------------------------------------------------------- parse errors
def test_vrs_bad_country_code_names_file_and_line(copy_of):
    paths = _paths(vrs_routes, copy_of)
    _edit_line(paths[vrs_routes.LEGS.path], 3, lambda s: s.replace(",US,", ",U5,", 1))
    with pytest.raises(ParseError, match=r"vrs_routes_lmc_international_legs_2022-2026\.csv: line 3, "
                                         r"column 'origin_iso2': 'U5' is not an ISO 3166-1"):
        vrs_routes.SOURCE.parse(paths)


def test_vrs_bad_date_names_file_and_line(copy_of):
    paths = _paths(vrs_routes, copy_of)
    _edit_line(paths[vrs_routes.SUMMARY.path], 4, lambda s: s.replace("2023-03-01", "2023-13-01", 1))
    with pytest.raises(ParseError, match=r"summary_2022-2026\.csv: line 4, column 'snapshot_date'"):
        vrs_routes.SOURCE.parse(paths)


def test_openalex_non_numeric_count_names_file_and_line(copy_of):
    paths = _paths(openalex_coauthorship, copy_of)
    _edit_line(paths[openalex_coauthorship.PAIRS.path], 5, lambda s: s.rsplit(",", 1)[0] + ",many\n")
    with pytest.raises(ParseError, match=r"coauthorship_lmc_1990-2023\.csv: line 5, column 'value': 'many'"):
        openalex_coauthorship.SOURCE.parse(paths)


def test_oxcgrt_legacy_level_out_of_range_names_line_and_day(copy_of):
    paths = _paths(oxcgrt_legacy, copy_of)

    def set_level(line: str) -> str:
        fields = line.rstrip("\n").split(",")
        fields[5] = "7"
        return ",".join(fields) + "\n"

    _edit_line(paths[oxcgrt_legacy.C8_WIDE.path], 6, set_level)
    with pytest.raises(ParseError, match=r"c8_internationaltravel\.csv: line 6, column '03Jan2020': '7' is not"):
        oxcgrt_legacy.SOURCE.parse(paths)


def test_oxcgrt_legacy_derived_files_are_optional(copy_of):
    paths = {oxcgrt_legacy.C8_WIDE.path: copy_of(oxcgrt_legacy.C8_WIDE.path)}
    t = oxcgrt_legacy.SOURCE.parse(paths)
    assert len(t["oxcgrt_legacy_c8_daily"]) > 200_000 and t["oxcgrt_legacy_lmc_daily"].empty


def test_ucdp_bad_intensity_names_file_and_line(copy_of):
    paths = _paths(ucdp_acd, copy_of)
    _edit_line(paths[ucdp_acd.RELEASE.path], 2, lambda s: s.replace(",2012,1,", ",2012,5,", 1))
    with pytest.raises(ParseError, match=r"UcdpPrioConflict_v24_1\.csv: line 2, column 'intensity_level': 5 is not one of"):
        ucdp_acd.SOURCE.parse(paths)


def test_thai_unknown_country_name_names_file_and_line(copy_of):
    paths = _paths(tourism_tha_asean_2011_2024, copy_of)
    _edit_line(paths[tourism_tha_asean_2011_2024.ARRIVALS.path], 3, lambda s: "ญี่ปุ่น," + s.split(",", 1)[1])
    with pytest.raises(ParseError, match=r"ASEAN_Tourist-Amount_CLEANED\.csv: line 3, column 'ประเทศ': 'ญี่ปุ่น'"):
        tourism_tha_asean_2011_2024.SOURCE.parse(paths)


def test_vnat_long_file_disagreeing_with_the_wide_sheet_is_refused(copy_of, tmp_path):
    paths = _paths(tourism_vnat_2025, copy_of)
    target = paths[tourism_vnat_2025.LONG.path]
    df = pd.read_excel(target, header=None)
    df.iat[1, 3] = 1  # Australia, January: 66504 in both files
    df.to_excel(target, header=False, index=False)
    with pytest.raises(ParseError, match=r"VNAT_Tableau_Data\.xlsx: row 2, Australia January: 1 but the wide sheet"):
        tourism_vnat_2025.SOURCE.parse(paths)


def _curated_copy(tmp_path):
    paths = {}
    for f, p in curated.package_paths().items():
        paths[f] = tmp_path / p.name
        paths[f].write_bytes(p.read_bytes())
    return paths


def test_curated_event_with_unknown_kind_names_file_and_line(tmp_path):
    paths = _curated_copy(tmp_path)
    ev = paths[curated.EVENTS.path]
    text = ev.read_text(encoding="utf-8")
    ev.write_text(text.replace("kind: armed_clash", "kind: armed_clashes", 1), encoding="utf-8")
    line = text[: text.index("kind: armed_clash")].count("\n")  # the record starts on the line before
    with pytest.raises(ParseError, match=rf"events\.yaml: line {line}, field events\.kind: 'armed_clashes' is not one "
                                         r".*Did you mean 'armed_clash'"):
        curated.SOURCE.parse(paths)


def test_curated_event_ending_before_it_starts_is_refused(tmp_path):
    paths = _curated_copy(tmp_path)
    ev = paths[curated.EVENTS.path]
    text = ev.read_text(encoding="utf-8")
    ev.write_text(text.replace("end: 2025-07-28", "end: 2025-07-20", 1), encoding="utf-8")
    with pytest.raises(ParseError, match=r"events\.yaml: line \d+, field events\.end: 2025-07-20 is before start"):
        curated.SOURCE.parse(paths)
