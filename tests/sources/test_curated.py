"""The package's curated reference data: every record sourced, codes valid, conflicting figures kept side by side."""

from __future__ import annotations

import shutil

import pycountry
import pytest

from lmc import LMC_COUNTRIES
from lmc.errors import ParseError
from lmc.sources import curated


def test_six_countries_with_names_and_zones(parsed):
    c = parsed("curated")["countries"].set_index("iso3")
    assert sorted(c.index) == sorted(LMC_COUNTRIES)
    for iso3, row in c.iterrows():
        country = pycountry.countries.get(alpha_3=iso3)
        assert row["iso2"] == country.alpha_2 and row["iso_numeric"] == country.numeric
        assert pycountry.currencies.get(alpha_3=row["currency"]) is not None
        assert row["name_zh"] and row["name_local"] and row["capital_local"]
    assert c.loc["LAO", "time_zones"] == "Asia/Vientiane" and c.loc["MMR", "utc_offset"] == "+06:30"
    assert c.loc["KHM", "name_zh"] == "柬埔寨"


def test_corridor_provinces_have_valid_codes(parsed):
    p = parsed("curated")["provinces"]
    names = set(p["name_en"])
    for n in ("Kunming", "Yuxi", "Pu'er", "Xishuangbanna", "Luang Namtha", "Oudomxay", "Luang Prabang",
              "Vientiane Province", "Vientiane Capital", "Nong Khai", "Udon Thani"):  # fmt: skip
        assert n in names
    iso = p[p["code_system"] == "ISO 3166-2"]
    for code in iso["code"]:
        assert pycountry.subdivisions.get(code=code) is not None, code
    assert p["code"].str.match(r"^[A-Z]{2}-[A-Z0-9]{1,4}$").all()
    with_point = p[p["lat"].notna()]
    assert with_point["point_source_url"].notna().all()
    assert with_point["lat"].between(10, 30).all() and with_point["lon"].between(95, 110).all()


def test_both_counts_of_chinese_visitors_to_laos_in_2019_are_kept(parsed):
    k = parsed("curated")["key_figures"]
    rows = k[(k["unit"] == "CHN>LAO") & (k["year"] == 2019) & (k["indicator"] == "tourist_arrivals")]
    assert sorted(rows["value"]) == [757000.0, 1020000.0]
    assert rows["basis"].nunique() == 2 and rows["basis"].str.len().min() > 10


def test_every_curated_record_carries_a_source(parsed):
    for name, df in parsed("curated").items():
        for col in ("source_publisher", "source_url", "source_accessed"):
            assert df[col].notna().all() and (df[col].str.len() > 0).all(), f"{name}.{col}"


def test_key_events_include_the_railway_opening(parsed):
    e = parsed("curated")["key_events"].set_index("id")
    assert str(e.loc["lcr_opening", "date"]) == "2021-12-03"
    assert e.loc["lcr_opening", "unit"] == "CHN-LAO"


def test_a_record_without_source_is_refused_with_its_line(tmp_path):
    paths = {f: tmp_path / p.name for f, p in curated.package_paths().items()}
    for f, p in curated.package_paths().items():
        shutil.copyfile(p, paths[f])
    target = paths[curated.KEY_FIGURES.path]
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    idx = next(i for i, ln in enumerate(lines) if ln.strip().startswith("source:") and "scandasia" in ln)
    del lines[idx]
    target.write_text("".join(lines), encoding="utf-8")
    record_line = max(i for i in range(idx) if lines[i].lstrip().startswith("- id:")) + 1
    with pytest.raises(ParseError, match=rf"line {record_line}, field figures\[\d+\]\.source"):
        curated.SOURCE.parse(paths)


def test_invalid_yaml_names_line(tmp_path):
    paths = {f: tmp_path / p.name for f, p in curated.package_paths().items()}
    for f, p in curated.package_paths().items():
        shutil.copyfile(p, paths[f])
    target = paths[curated.COUNTRIES.path]
    target.write_text(target.read_text(encoding="utf-8") + "\n  - iso3: [unclosed\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"countries\.yaml: line \d+, column \d+: not valid YAML"):
        curated.SOURCE.parse(paths)
