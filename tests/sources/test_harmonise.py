"""Country names/codes -> ISO3 and the Passport Index codings -> one ordinal scale."""

from __future__ import annotations

import pandas as pd
import pytest

from lmc.sources import harmonise as h


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Burma", "MMR"),  # OpenFlights
        ("Myanmar", "MMR"),
        ("Viet Nam", "VNM"),  # UN DESA
        ("Vietnam", "VNM"),
        ("Lao People's Democratic Republic", "LAO"),
        ("Laos", "LAO"),
        ("Lao PDR", "LAO"),
        ("China, Hong Kong SAR", "HKG"),
        ("Korea, Republic of", "KOR"),
        ("England, United Kingdom", "GBR"),  # twin cities
        ("Réunion, France", "REU"),
        ("Congo (Kinshasa)", "COD"),
        ("  thailand ", "THA"),
    ],
)
def test_names_to_iso3(name, iso3):
    assert h.iso3_from_name(name) == iso3


@pytest.mark.parametrize("name", ["Caribbean", "East Asia & Pacific", "Grand Total", "World", "", None])
def test_regions_and_blanks_are_not_countries(name):
    assert h.iso3_from_name(name) is None


def test_wdi_aggregates_are_excluded_including_lower_middle_income_lmc():
    for code in ("EAS", "WLD", "LMC", "HIC", "EUU"):
        assert not h.is_country_iso3(code)
    for code in ("CHN", "LAO", "MMR", "XKX"):
        assert h.is_country_iso3(code)


def test_iso2_lists_glottolog_and_unesco():
    assert h.iso3_list_from_iso2("CN;LA;MM", sep=";") == ["CHN", "LAO", "MMR"]
    assert h.iso3_list_from_iso2("kh,la") == ["KHM", "LAO"]  # UNESCO: lower case, transboundary
    assert h.iso3_list_from_iso2("NA", sep=";") == ["NAM"]  # Namibia, not a missing value
    assert h.iso3_list_from_iso2(None) == []


def test_legacy_cepii_codes():
    assert [h.current_iso3(c) for c in ("ROM", "ZAR", "TMP", "PAL", "CHN")] == ["ROU", "COD", "TLS", "PSE", "CHN"]


def test_pair_units_are_canonical():
    assert h.pair_unit("LAO", "CHN") == h.pair_unit("CHN", "LAO") == "CHN-LAO"
    assert h.directed_unit("CHN", "LAO") == "CHN>LAO"


@pytest.mark.parametrize(
    ("raw", "date", "expected"),
    [
        ("3", "2019-11-23", (5, None, "visa-free")),
        ("2", "2019-11-23", (3, None, "eTA")),  # the swapped label, see the test below
        ("1", "2019-11-23", (4, None, "visa on arrival")),
        ("0", "2019-11-23", (1, None, "visa required")),
        ("-1", "2019-11-23", (None, None, "own country")),
        ("VF", "2020-02-07", (5, None, "visa-free")),
        ("30", "2020-02-07", (5, 30, "visa-free")),
        ("ETA", "2020-03-09", (3, None, "eTA")),
        ("VOA", "2020-05-09", (4, None, "visa on arrival")),
        ("VR", "2020-05-09", (1, None, "visa required")),
        ("visa free", "2024-07-02", (5, None, "visa-free")),
        ("90", "2024-07-02", (5, 90, "visa-free")),
        ("e-visa", "2024-07-02", (2, None, "e-visa")),
        ("eta", "2025-01-12", (3, None, "eTA")),
        ("visa on arrival", "2023-07-03", (4, None, "visa on arrival")),
        ("no admission", "2023-07-03", (0, None, "no admission")),
        ("covid ban", "2021-05-13", (0, None, "no admission (covid ban)")),
    ],
)
def test_visa_codings_map_to_one_scale(raw, date, expected):
    assert h.harmonise_visa_value(raw, date) == expected


def test_scale_is_ordered_from_closed_to_open():
    assert list(h.OPENNESS_LABELS) == [0, 1, 2, 3, 4, 5]
    assert h.OPENNESS_LABELS[0] == "no admission" and h.OPENNESS_LABELS[5] == "visa-free"


@pytest.mark.parametrize(("raw", "date"), [("VF", "2019-11-23"), ("7", "2019-11-23"), ("maybe", "2023-01-11")])
def test_unknown_codes_are_refused(raw, date):
    with pytest.raises(h.UnknownVisaCode):
        h.harmonise_visa_value(raw, date)


def test_vectorised_harmonisation_keeps_alignment():
    dates = pd.Series(["2019-11-23", "2024-07-02", "2019-11-23"], index=[10, 11, 12])
    raw = pd.Series(["1", "30", "3"], index=[10, 11, 12])
    out = h.harmonise_visa(dates, raw)
    assert list(out.index) == [10, 11, 12]
    assert out["openness"].tolist() == [4, 5, 5]
    assert out["max_stay_days"].tolist()[1] == 30
