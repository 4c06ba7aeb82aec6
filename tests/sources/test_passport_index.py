"""The evidence behind reading the 2019 Passport Index codes 1 and 2 as VOA and eTA (the old README swapped them)."""

from __future__ import annotations

import pandas as pd

from lmc.sources import harmonise


def test_2019_codes_one_and_two_are_swapped_relative_to_the_old_readme(mirror_dir):
    d = mirror_dir / "passport_index"
    a = pd.read_csv(d / "passport_index_tidy_iso3_2019-11-23.csv", dtype=str, keep_default_na=False)
    b = pd.read_csv(d / "passport_index_tidy_iso3_2020-02-07.csv", dtype=str, keep_default_na=False)
    m = a.merge(b, on=["Passport", "Destination"], suffixes=("_2019", "_2020"))
    tab = pd.crosstab(m["Code_2019"], m["Code_2020"])
    # what each 2019 code most often became two months later
    became = tab.idxmax(axis=1)
    share = tab.max(axis=1) / tab.sum(axis=1)
    assert became["2"] == "ETA" and share["2"] > 0.95
    assert became["1"] == "VOA" and share["1"] > 0.95
    assert became["0"] == "VR"
    # and the harmoniser encodes exactly that reading
    assert harmonise.ERA1_SWAPPED
    assert harmonise.harmonise_visa_value("2", "2019-11-23")[2] == "eTA"
    assert harmonise.harmonise_visa_value("1", "2019-11-23")[2] == "visa on arrival"


def test_openness_series_for_chinese_passports_in_thailand(parsed):
    v = parsed("passport_index")["visa_requirements"]
    s = v[(v["passport"] == "CHN") & (v["destination"] == "THA")].sort_values("snapshot_date")
    assert s["openness"].iloc[0] < 5  # 2019: not visa-free
    assert (s[s["snapshot_date"].astype(str) >= "2024-03-02"]["openness"] == 5).all()  # mutual exemption 2024
    covid = s[s["category"] == "no admission (covid ban)"]
    assert len(covid) >= 1 and covid["snapshot_date"].astype(str).min() >= "2020-11"


def test_panel_alone_parses_without_snapshots_or_history(mirror_dir):
    """An online pull may lack the optional commit history; the panel then covers every date by itself."""
    from lmc.sources.passport_index import PANEL, SOURCE

    tables = SOURCE.parse({PANEL.path: mirror_dir / PANEL.path})
    v = tables["visa_requirements"]
    assert v["snapshot_date"].nunique() == 53 and not v["full_matrix"].any()
    assert tables["passport_index_commits"].empty
