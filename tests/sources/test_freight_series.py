"""The freight series: values as published, yearly values derived from cumulative totals equal to the hand-computed
differences, every row sourced, Lao exports read from their one file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from lmc.errors import LmcError
from lmc.sources import freight_series as fs


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return fs.load_series()


def _one(series, name, kind, year, basis=""):
    rows = series[(series.series == name) & (series.kind == kind) & (series.year == year)
                  & series.basis.str.startswith(basis)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_operating_years_are_the_differences_of_cumulative_totals(series):
    # Whole line (China Railway): 11.2 Mt at 2022-12-02, 29.1 at 2023-12-02, 48.3 at 2024-12-02.
    assert _one(series, "lcr_freight_total", "operating_year", 2022).value == pytest.approx(11.2)
    assert _one(series, "lcr_freight_total", "operating_year", 2023).value == pytest.approx(29.1 - 11.2)
    assert _one(series, "lcr_freight_total", "operating_year", 2024).value == pytest.approx(48.3 - 29.1)
    # Cross-border: 5.7 Mt at 2023-11-03 and 10.7 at 2024-11-03 (366 days apart).
    row = _one(series, "lcr_freight_cross_border", "operating_year", 2024)
    assert row.value == pytest.approx(10.7 - 5.7) and row.period == "2023-11-04..2024-11-03"
    assert row.derived and "DERIVED" in row.method and "2023-11-03" in row.method


def test_no_year_is_derived_from_totals_not_a_year_apart(series):
    # 2022-12-02 -> 2023-11-03 is 336 days; 2024-11-03 -> 2025-01-02 is 60 days; Customs' first total is 395 days in.
    op = series[(series.series == "lcr_freight_cross_border") & (series.kind == "operating_year")]
    assert sorted(op.period) == ["2021-12-03..2022-12-02", "2023-11-04..2024-11-03"]


def test_derive_operating_years_on_synthetic_totals():
    synthetic = pd.DataFrame({"series": ["s"] * 4, "basis": ["b"] * 4,
                              "as_of": [dt.date(2022, 12, 2), dt.date(2023, 6, 1), dt.date(2023, 12, 2),
                                        dt.date(2024, 12, 1)], "value": [10.0, 14.0, 25.0, 41.5]})
    out = fs.derive_operating_years(synthetic)
    # first anniversary (364 days after opening) -> 10; 2022-12-02 -> 2023-06-01 too short; 2023-06-01 -> 2023-12-02
    # too short; 2023-12-02 -> 2024-12-01 (365 days) -> 16.5
    assert list(out.value) == [10.0, 16.5]
    assert list(out.start) == [dt.date(2021, 12, 3), dt.date(2023, 12, 3)]


def test_known_values(series):
    assert _one(series, "lcr_freight_total", "annual", 2025).value == 24.48
    assert _one(series, "lcr_freight_total", "annual", 2024).value == 19.60
    assert _one(series, "lcr_freight_cross_border", "annual", 2025).value == 5.46
    assert _one(series, "lcr_freight_cross_border", "annual", 2023, "Kunming Customs").value == 4.2177
    assert _one(series, "lcr_freight_cross_border", "derived_annual", 2024).value == pytest.approx(5.46 / 1.179,
                                                                                                 abs=5e-4)
    assert _one(series, "lcr_freight_cross_border", "derived_annual", 2022).value == pytest.approx(
        4.2177 / 1.9491, abs=5e-5)
    assert _one(series, "lsc_rail_sea_teu", "annual", 2023).value == 861000
    assert _one(series, "lsc_rail_sea_teu", "annual", 2025).value == 1425000
    assert _one(series, "lsc_rail_sea_trains", "annual", 2022).value == 8820


def test_land_sea_corridor_2025_is_counted_like_2024(series):
    """The 2025 figure over its published growth (+47.6 %) gives back the published 2024 figure within rounding
    ('96万'): the series did not change definition in 2025."""
    base = _one(series, "lsc_rail_sea_teu", "derived_annual", 2024).value
    assert base == pytest.approx(1425000 / 1.476, abs=1)
    assert base == pytest.approx(_one(series, "lsc_rail_sea_teu", "annual", 2024).value, rel=0.006)


def test_series_cover_2022_to_the_latest_year_with_sources(series):
    for name in ("lcr_freight_cross_border", "lcr_freight_total"):
        years = set(series[(series.series == name) & series.kind.isin(["annual", "derived_annual",
                                                                      "operating_year"])].year)
        assert {2022, 2023, 2024, 2025} <= years, (name, years)
    assert {2023, 2024, 2025} <= set(series[series.series == "lsc_rail_sea_teu"].year)
    assert series.source_url.str.startswith("http").all() and series.source_publisher.str.len().gt(0).all()
    assert series[series.kind.isin(["operating_year", "derived_annual"])].derived.all()
    assert not series[series.kind == "annual"].derived.any()


def test_lao_exports_are_read_from_the_flows_file_not_repeated(series):
    row = _one(series, "lao_exports_to_china", "annual", 2024)
    assert row.value == pytest.approx(4.56) and row.unit == "USD bn"
    curated = (Path(fs.__file__).parents[1] / "curated" / "freight_series.yaml").read_text(encoding="utf-8")
    assert "lao_exports_to_china" not in yaml.safe_load(curated)["series"]


def test_commodities_table():
    tables = fs.SOURCE.parse(fs.package_paths())
    com = tables["freight_commodities"]
    assert set(com.direction) <= {"export", "import", "both"} and com.source_url.str.startswith("http").all()
    assert "durian" not in " ".join(com["items"])  # nothing beyond what the cited pages say
    assert any("cassava" in i for i in com["items"])


def _parse_edited(tmp_path, edit) -> tuple[Path, str]:
    """Parse the packaged file after ``edit(data)``, written to ``tmp_path``; the file and the error message."""
    paths = fs.package_paths()
    data = yaml.safe_load(paths[fs.SERIES_FILE.path].read_text(encoding="utf-8"))
    edit(data)
    bad = tmp_path / "freight_series.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(LmcError) as exc:
        fs.SOURCE.parse({**paths, fs.SERIES_FILE.path: bad})
    return bad, str(exc.value)


def _line_of(bad: Path, msg: str) -> str:
    """The line of ``bad`` that the message ``file:line: ...`` names."""
    return bad.read_text(encoding="utf-8").splitlines()[int(msg.split(":")[1]) - 1]


def test_unknown_series_names_file_line_and_suggests(tmp_path):
    bad, msg = _parse_edited(tmp_path, lambda d: d["annual"][3].update(series="lcr_freight_crossborder"))
    assert f"{bad}:" in msg and "annual.3.series" in msg and "Did you mean 'lcr_freight_cross_border'" in msg
    assert "lcr_freight_crossborder" in _line_of(bad, msg)


def test_missing_source_field_names_the_field(tmp_path):
    _, msg = _parse_edited(tmp_path, lambda d: d["cumulative"][1]["source"].pop("url"))
    assert "cumulative.1.source.url: Field required" in msg


def test_year_to_date_rows_keep_their_period_and_published_growth(series):
    rows = series[(series.series == "lsc_rail_sea_teu") & (series.kind == "year_to_date")].sort_values("period")
    assert list(rows.period) == ["2025-01-01..2025-09-04", "2025-01-01..2025-11-04"]
    assert list(rows.value) == [1001455, 1214000] and list(rows.growth) == [0.725, 0.632]
    value = _one(series, "lsc_trade_value_west", "year_to_date", 2025)
    assert value.value == 611.5 and value.growth == 0.193 and value.unit == "CNY bn"
    # Year-to-date totals never stand in for a year: the annual rows are untouched and carry no growth.
    assert _one(series, "lsc_rail_sea_teu", "annual", 2025).value == 1425000
    assert series[series.kind != "year_to_date"].growth.isna().all()


def test_a_year_to_date_period_across_years_names_file_and_line(tmp_path):
    bad, msg = _parse_edited(tmp_path, lambda d: d["year_to_date"][2].update(end=dt.date(2026, 1, 31)))
    assert f"{bad}:" in msg and "year_to_date.2" in msg and "one year" in msg
    assert "lsc_trade_value_west" in _line_of(bad, msg)


def test_commodities_name_their_route():
    com = fs.SOURCE.parse(fs.package_paths())["freight_commodities"]
    assert set(com.route) == {"china_laos_railway", "land_sea_corridor"}
    lsc = " ".join(com[com.route == "land_sea_corridor"]["items"])
    assert "bauxite" in lsc and "copper concentrate" in lsc
    assert not com[com.route == "china_laos_railway"]["items"].str.contains("bauxite").any()


def test_the_2025_operating_year_agrees_with_the_published_calendar_year(series):
    """Two independent publications: the fourth-anniversary total (72.5 Mt at 2025-12-02, CCTV) minus the third's
    (48.3 Mt) gives 24.2 Mt for Dec 2024-Dec 2025; China Railway Kunming Group published 24.48 Mt for calendar 2025."""
    op = _one(series, "lcr_freight_total", "operating_year", 2025)
    assert op.value == pytest.approx(72.5 - 48.3) and op.period == "2024-12-03..2025-12-02"
    assert op.value == pytest.approx(_one(series, "lcr_freight_total", "annual", 2025).value, rel=0.02)
