"""The imputation policy on hand-made series: regimes, the two-year carry limit, and what every filled cell keeps."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lmc.indicators import imputation as I
from lmc.indicators import knowledge as K
from lmc.indicators import disruption as D

YEARS = np.arange(2014, 2026)


def _series(values: dict[int, float]) -> np.ndarray:
    return np.array([values.get(int(y), np.nan) for y in YEARS])


def test_regimes_follow_each_countrys_reopening():
    reopen = {"CHN": 2023, "LAO": 2022, "THA": 2022}
    r = dict(zip(YEARS, I.regimes_for("CHN-LAO", YEARS, reopen)))
    assert r[2019] == "pre" and r[2020] == "closing" and r[2022] == "closure"
    assert r[2023] == "reopening" and r[2024] == "open"  # the later of the two countries
    r = dict(zip(YEARS, I.regimes_for("LAO-THA", YEARS, reopen)))
    assert r[2021] == "closure" and r[2022] == "reopening" and r[2023] == "open"
    assert I.regimes_for("CN-YN-KM", [2023], reopen) == ["reopening"]  # a Yunnan prefecture follows China
    assert I.regimes_for("MMR", [2023], {}) == ["reopening"]  # no C8: the default calendar


def test_reopening_date_is_the_first_day_of_lasting_low_controls():
    days = pd.date_range("2020-01-01", "2023-01-10")
    level = np.where(days < "2020-03-20", 0, np.where(days < "2022-05-09", 4, 1))
    level[(days >= "2022-06-01") & (days < "2022-06-05")] = 2  # a relapse: the reopening is after it
    c8 = pd.DataFrame({"iso3": "LAO", "date": days, "c8": level.astype(float)})
    c8 = pd.concat([c8, pd.DataFrame({"iso3": "CHN", "date": days, "c8": 2.0})])  # never reopened in the data
    dates = I.reopening_dates(c8)
    assert dates == {"LAO": dt.date(2022, 6, 5)}
    assert I.reopening_years(dates)["CHN"] == I.DEFAULT_REOPENING_YEAR


def test_interpolation_and_carrying_stay_inside_a_regime():
    regimes = ["pre"] * 6 + ["closing", "closure", "closure", "open", "open", "open"]  # 2014..2025
    f = I.fill_series(YEARS, _series({2015: 10.0, 2017: 30.0, 2021: 5.0, 2024: 80.0}), regimes,
                      ["a"] * len(YEARS))
    got = dict(zip(YEARS, zip(f.values, f.flags, f.source_years)))
    assert got[2014][1:] == ("carried_back", "2015") and got[2014][0] == 10.0
    assert got[2016][0] == 20.0 and got[2016][1:] == ("interpolated", "2015-2017")
    assert got[2019][0] == 30.0 and got[2019][1] == "carried_forward"  # 2 years after 2017
    assert got[2020][1] == "missing"  # 2020 is its own regime: nothing crosses into it
    assert got[2022][0] == 5.0 and got[2022][1] == "carried_forward"  # closure regime
    assert got[2023][0] == 80.0 and got[2023][1] == "carried_back"  # open regime, from 2024
    assert got[2025][0] == 80.0 and f.sources[2025 - 2014] == "a"


def test_never_carried_more_than_two_years():
    f = I.fill_series(YEARS, _series({2014: 1.0}), ["pre"] * len(YEARS))
    flags = dict(zip(YEARS, f.flags))
    assert flags[2016] == "carried_forward" and flags[2017] == "missing"
    assert np.isnan(f.values[YEARS.tolist().index(2017)])


def test_method_none_fills_nothing():
    f = I.fill_series(YEARS, _series({2015: 10.0, 2017: 30.0}), method="none")
    assert f.flags.count("observed") == 2 and f.flags.count("missing") == len(YEARS) - 2


def test_coverage_counts_flags_and_names_the_sources_of_observed_cells():
    panel = pd.DataFrame({
        "indicator": ["x"] * 4,
        "flag": ["observed", "observed", "carried_forward", "missing"],
        "source": ["CHN>LAO: curated; LAO>CHN: stats", "CHN>LAO: curated", "CHN>LAO: curated", ""],
    })
    c = I.coverage(panel).set_index("indicator")
    assert c.loc["x", "observed"] == 2 and c.loc["x", "observed_share"] == 0.5
    assert c.loc["x", "sources"] == "curated: 2 | stats: 1"


def test_coauthorship_relative_to_the_smaller_partner_and_lmc_share():
    pairs = pd.DataFrame({
        "year": [2023] * 6, "iso3_a": ["CHN", "LAO", "LAO", "LAO", "CHN", "LAO"],
        "iso3_b": ["LAO", "CHN", "USA", "THA", "USA", "LAO"], "works": [36, 36, 20, 4, 9000, 393],
    })
    totals = pd.DataFrame({"year": [2023, 2023, 2023], "iso3": ["CHN", "LAO", "THA"],
                           "works": [237887, 393, 13923]})
    ci = K.coauthorship_intensity(pairs, totals, [2023]).set_index("unit")
    assert ci.loc["CHN-LAO", "value"] == pytest.approx(100 * 36 / 393)  # 9.16 per 100 Lao works
    assert ci.loc["LAO-THA", "value"] == pytest.approx(100 * 4 / 393)
    assert ci.loc["CHN-THA", "value"] == 0.0  # both countries published, no joint work listed
    assert "CHN-MMR" not in ci.index  # no Myanmar total: no row
    share = K.coauthorship_lmc_share(pairs, [2023]).set_index("unit")
    assert share.loc["LAO", "value"] == pytest.approx(100 * (36 + 4) / (36 + 4 + 20))
    assert share.loc["CHN", "value"] == pytest.approx(100 * 36 / (36 + 9000))


def test_event_days_count_overlaps_once_and_stop_at_as_of():
    ev = pd.DataFrame({
        "id": ["a", "b", "c"], "unit": ["THA-KHM"] * 3, "kind": ["border_closure", "border_closure", "armed_clash"],
        "start_date": [dt.date(2025, 6, 7), dt.date(2025, 6, 23), dt.date(2025, 7, 24)],
        "end_date": [None, None, dt.date(2025, 7, 28)],
        "as_of": [dt.date(2025, 6, 30), dt.date(2025, 12, 10), dt.date(2025, 7, 29)],
    })
    d = D.event_days(ev, [2024, 2025]).set_index(["unit", "year", "kind"])
    assert d.loc[("THA-KHM", 2025, "border_closure"), "days"] == (dt.date(2025, 12, 10) - dt.date(2025, 6, 7)).days + 1
    assert d.loc[("THA-KHM", 2025, "border_closure"), "events"] == "a,b"
    assert d.loc[("THA-KHM", 2025, "armed_clash"), "days"] == 5
    assert ("THA-KHM", 2024, "border_closure") not in d.index


def test_conflict_tables_from_ucdp_rows():
    ucdp = pd.DataFrame({"year": [2011, 2022, 2022], "gwno_loc": ["811, 800", "775", "775"],
                         "gwno_a": ["811", "775", "775"], "gwno_b": ["800", None, None],
                         "intensity_level": [1, 2, 1], "type_of_conflict": [2, 3, 3]})
    pair = D.conflict_pair_year(ucdp, [2011, 2022]).set_index(["unit", "year"])["intensity"]
    assert pair[("THA-KHM", 2011)] == 1 and pair[("THA-KHM", 2022)] == 0
    country = D.conflict_country_year(ucdp, [2022, 2023]).set_index(["unit", "year"])
    assert country.loc[("MMR", 2022), "intensity"] == 2 and country.loc[("MMR", 2022), "conflicts"] == 2
    assert country.loc[("LAO", 2022), "intensity"] == 0
    assert ("MMR", 2023) not in country.index  # after the dataset's last year: unknown, not 0
