"""Scenarios: every built-in runs end to end and says what it is calibrated on, its sector and its validation status;
bad names, years, values and files fail before anything runs, naming the field and the allowed range."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from lmc.flows.errors import ScenarioError
from lmc.flows.labels import missing
from lmc.flows.scenarios import (UnvalidatedModelError, builtin_names, list_scenarios, load_scenario, run_scenario)

REQUIRED = {"reopening-2023", "railway-travel-time", "visa-waiver-china-thailand-2024", "lao-exports-20pct",
            "myanmar-border-closure", "railway-finance", "freight-border-time-halved", "thai-standard-gauge-link",
            "yunnan-value-added"}


def _quick(name: str, draws: int = 10):
    spec = load_scenario(name)
    return spec.model_copy(update={"options": {**spec.options, "draws": draws}})


def test_builtins_present():
    assert REQUIRED == set(builtin_names())
    assert set(list_scenarios()["name"]) == set(builtin_names())


def _check_choice_common(res, written):
    t = res.tables["visitors"].set_index("destination")
    assert "no_trip" in t.index and (t["visitors_baseline"] >= 0).all()
    # trips are not fixed: the change abroad is matched by the outside option and Yunnan together
    assert t["change"].sum() == pytest.approx(0, abs=1e-6 * t["visitors_baseline"].sum())
    inside = t.drop(index="no_trip")
    assert res.headline["new_trips"] == round(inside["change"].sum())
    pd.testing.assert_frame_equal(written["visitors"].astype({"band_note": object, "country": object}).fillna(
                                      {"band_note": "", "country": ""}),
                                  res.tables["visitors"], check_dtype=False)
    return t


def _check_reopening(res, written):
    t = _check_choice_common(res, written)
    abroad = ["laos", "thailand", "vietnam"]
    assert (t.loc[abroad, "visitors_baseline"] == 0).all() and (t.loc[abroad, "change"] > 0).all()
    assert t.loc[abroad, "change_pct"].isna().all()  # no percentage from a zero baseline: NaN, never inf
    # most new trips abroad are new trips: Yunnan loses a little, and that loss has a real band
    for y in ("xishuangbanna", "puer"):
        assert t.loc[y, "change_p05"] < t.loc[y, "change"] < t.loc[y, "change_p95"] < 0
    assert -t.loc[["xishuangbanna", "puer"], "change"].sum() < 0.1 * t.loc[abroad, "change"].sum()
    assert res.headline["calibration_year"] == 2019 and res.headline["conditions_year"] == 2023


def _check_railway_travel_time(res, written):
    t = _check_choice_common(res, written)
    assert t.loc["laos", "change"] > 0 and t.loc["thailand", "change"] < 0
    # the scenario side is the calibrated 2024 state: observed values, no band, and the table says why
    assert "calibration" in t.loc["laos", "band_note"] and np.isnan(t.loc["laos", "visitors_scenario_p05"])
    rail = res.tables["by_mode"].set_index(["destination", "mode"]).loc[("laos", "rail")]
    assert 0 < t.loc["laos", "change"] <= rail["change"]  # the gain comes by train (some switch from road and air)
    # the seats are not full in 2024 (the border counts say two-thirds), so the faster train is not capped
    assert 55 < rail["seat_use_baseline_pct"] < rail["seat_use_scenario_pct"] < 90
    assert t.loc["laos", "change"] < 0.02 * t.loc["laos", "visitors_scenario"]


def _check_visa_waiver(res, written):
    t = _check_choice_common(res, written)
    assert t.loc["thailand", "change_p05"] > 0 and (t.drop(index="thailand")["change"] <= 0).all()
    ve = load_scenario("visa-waiver-china-thailand-2024")
    assert ve.options["calibration_year"] == 2024


def _check_lao_exports(res, written):
    h = res.headline
    path = res.tables["path"].set_index("year")
    claim = path["claim_usd_bn"].dropna()
    assert claim.index.min() == 2019 and list(claim) == pytest.approx([1.7 * 1.2 ** (y - 2019) for y in claim.index])
    g = path["trend_usd_bn"]
    ratios = (g.shift(-1) / g).dropna()
    assert list(ratios) == pytest.approx([1 + h["trend_growth_pct"] / 100] * len(ratios), abs=1e-4)
    # t-based intervals: the prediction interval of one year is wider than the band of the trend
    assert (path["prediction_low_usd_bn"] <= path["trend_low_usd_bn"]).all()
    assert (path["trend_high_usd_bn"] <= path["prediction_high_usd_bn"]).all()
    lo, hi = h["trend_growth_ci_pct"]
    assert lo < h["trend_growth_pct"] < hi and h["claim_inside_ci"] == (lo <= 20 <= hi)
    pd.testing.assert_frame_equal(written["path"], res.tables["path"], check_dtype=False)


def _check_railway_finance(res, written):
    h = res.headline
    s = written["break_even_summary"].set_index("measure")
    assert h["share_never_pays_back"] == pytest.approx(s.loc["payback_year", "share_never"], abs=1e-3)
    assert {"min_dscr", "dscr_2030", "equity_irr_pct", "project_irr_pct"} <= set(s.index)
    be = written["freight_break_even"].set_index("year")
    assert h["freight_break_even_operating_mt_2030"] == pytest.approx(be.loc[2030, "break_even_operating_mt"], abs=0.01)
    assert h["freight_break_even_debt_mt_peak"] > h["freight_break_even_operating_mt_2030"]
    assert "operating break-even, not a financial one" in res.report_md
    assert h["largest_unknowns"] == list(written["tornado"]["input"].head(3))


def _check_myanmar(res, written):
    p = res.tables["partners"].set_index("partner")
    # the land routes carry 54% of China-Myanmar and 26% of Thailand-Myanmar trade: that part stops; Myanmar's
    # exports fall further (its prices fall) and its imports less; the sea route keeps the rest
    assert -75 < p.loc["CHN", "exports_pct"] < -50 and -50 < p.loc["CHN", "imports_pct"] < -30
    assert -50 < p.loc["THA", "exports_pct"] < -25 and -15 < p.loc["THA", "imports_pct"] < 0
    # from observed flows, Myanmar's welfare loss is small (about a quarter of a percent), and its band is real
    w = res.headline["welfare_pct"]["MMR"]
    lo, hi = res.headline["welfare_band_focus"]
    assert -1 < w < 0 and lo < w < hi < 0
    fo = written["fitted_vs_observed"].set_index("country").loc["MMR"]
    assert fo["exports_fitted"] > 10 * fo["exports_observed"]  # why the baseline is the observed flows
    assert res.title.endswith("(manufacturing, 2006)")


def _check_freight(res, written):
    """Freight reports come in English and Chinese, each saying calibration, sector and status first."""
    folder = {p.split("/")[-1]: p for p in res.files}
    zh = open(folder["report_zh.md"], encoding="utf-8").read()
    assert zh.splitlines()[0].startswith(("**验证", "**未通过验证")) and "部门" in zh
    assert res.headline["summary_zh"] in zh and res.headline["summary"] in res.report_md
    if res.name == "yunnan-value-added":
        assert res.validation["state"] == "none" and "runs no model" in res.report_md.splitlines()[0]
        assert res.headline["estimable"] is False and len(res.tables["data_needed"]) >= 3
        assert "校准：" in zh
        return
    assert res.headline["calibration_year"] == 2023 and "校准年份：2023年" in zh
    assert len(written["inputs"]) > 40 and set(written["inputs"]["basis"]) == {"source", "derived", "assumption"}
    t = res.tables["result"]
    if res.name == "thai-standard-gauge-link":
        assert res.headline["opening_year"] == 2030 and not t.set_index("year").loc[2029, "link_open"]
    else:
        assert res.headline["clearance_factor"] == 0.5 and res.headline["conditions_year"] == 2025


CHECKS = {"reopening-2023": _check_reopening, "railway-travel-time": _check_railway_travel_time,
          "visa-waiver-china-thailand-2024": _check_visa_waiver, "lao-exports-20pct": _check_lao_exports,
          "railway-finance": _check_railway_finance, "myanmar-border-closure": _check_myanmar,
          "freight-border-time-halved": _check_freight, "thai-standard-gauge-link": _check_freight,
          "yunnan-value-added": _check_freight}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_builtin_runs_and_reports(name, tmp_path, warehouse_env):
    out = tmp_path / name
    res = run_scenario(_quick(name), out, unvalidated=True)
    names = {p.split("/")[-1] for p in res.files}
    assert {"report.md", "report.html", "result.json"} | {f"{k}.csv" for k in res.tables} <= names
    assert any(n.endswith(".png") for n in names) and any(n.endswith(".svg") for n in names)
    json.dumps(res.to_dict(), allow_nan=False)  # strict JSON (what the web API sends): no NaN, no inf
    report = (out / "report.md").read_text(encoding="utf-8")
    # a reader sees rounded numbers and labels, not floats to 16 digits, booleans or Chinese in the English report
    assert not re.search(r"\d\.0*[1-9]\d{5,}", report) and "| True |" not in report and "| False |" not in report
    assert "{'" not in report  # no Python dict printed as is
    assert not [k for k in res.headline if "_" in k and f"- {k}:" in report]  # headline keys are labelled
    first = report.splitlines()[0]
    assert first.startswith(("**Validation:", "**UNVALIDATED:"))
    assert (res.validation["state"] == "failed") == first.startswith("**UNVALIDATED")
    assert f"*calibration:* {res.calibration}" in report and f"*sector:* {res.sector}" in report
    assert res.calibration and res.sector
    on_disk = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert on_disk["headline"] == res.headline and on_disk["validation"]["state"] == res.validation["state"]
    keys = [c for t in res.tables.values() for c in t.columns] + list(res.headline)
    assert not missing(k for k in keys if not k.startswith(("claim_2", "trend_2")))
    assert set(res.labels) >= set(keys) and all(v["zh"] for v in res.labels.values())
    written = {k: pd.read_csv(out / f"{k}.csv") for k in res.tables}
    for k, t in res.tables.items():
        assert list(written[k].columns) == list(t.columns) and len(written[k]) == len(t), k
    CHECKS[name](res, written)


def test_failing_model_needs_unvalidated(lmc_home, monkeypatch):
    from lmc.flows import validation
    from lmc.flows.validation import ModelStatus

    failed = ModelStatus(model="trend", state="failed", n_checks=3, failed=("Lao exports to China, 2024",))
    monkeypatch.setattr(validation, "model_status", lambda model, **kw: failed)
    with pytest.raises(UnvalidatedModelError, match=r"fails 1 of its 3 back-casts.*--unvalidated"):
        run_scenario("lao-exports-20pct")
    res = run_scenario("lao-exports-20pct", unvalidated=True)
    assert res.report_md.startswith("**UNVALIDATED: the trend model fails 1 of its 3 back-casts")
    assert res.headline["validation"] == "failed"


def _write(tmp_path, body: str | bytes, name: str = "synthetic_scenario.yaml"):
    p = tmp_path / name
    (p.write_bytes if isinstance(body, bytes) else p.write_text)(body)
    return p


BASE = "name: x\ndescription: d\nmodel: {model}\nyear: {year}\n{rest}"


@pytest.mark.parametrize("model,year,rest,message", [
    ("trend", 2030, "shocks:\n  - {variable: growth_pct, value: -200}\n",
     r"shocks.0.value: growth_pct must be between -50 and 100 .*got -200"),
    ("ge", 2006, "options: {sigma: 1e308}\n", r"options.sigma: .*less than or equal to 20.*allowed: le 20"),
    ("choice", 2024, "shocks:\n  - {variable: visa_required, destinations: [THA], value: 1e308}\n",
     r"field 'shocks.0.value'.*less than or equal to 1000000000000"),
    ("choice", 2024, "shocks:\n  - {variable: visa_required, destinations: [THA], value: -1e308}\n",
     r"field 'shocks.0.value'.*greater than or equal to -1000000000000"),
    ("choice", 2024, "shocks:\n  - {variable: visa_required, destinations: [THA], value: 3}\n",
     r"shocks.0.value: visa_required must be between 0 and 1 .*got 3"),
    ("railway", 2025, "options: {draws: 0}\n", r"options.draws: .*greater than or equal to 10"),
    ("railway", 2025, "options: {draws: many}\n", r"options.draws: .*integer"),
    ("trend", 2030, "options: {window: [-30, 2019]}\n", r"options.window: .*2000 <= first < last <= 2030"),
    ("railway", 2025, "shocks:\n  - {variable: inflation_pct, value: 50}\n",
     r"inflation_pct must be between 0 and 20"),
    ("choice", 2024, "options: {draws: 200, colour: red}\n", r"unknown choice option 'colour'.*calibration_year"),
    ("choice", 2024, "shocks:\n  - {variable: visa_required, destinations: [THA], value: 0, range: [0, 1]}\n",
     r"shocks.0.range: only ge shocks take a range"),
    ("ge", 2006, "shocks:\n  - {variable: route_closed_pct, pairs: [[CHN, MMR]], value: 54, range: [60, 70]}\n",
     r"shocks.0.range: need low <= value <= high within 0 to 100"),
    ("ge", 2006, "shocks:\n  - {variable: route_closed_pct, pairs: [[CHN, MMR]], value: 120}\n",
     r"route_closed_pct must be between 0 and 100"),
    ("ge", 2006, "shocks:\n  - {variable: trade_cost_pct, pairs: [[CHN, MMR]], value: 2, op: scale}\n"
                 "  - {variable: cntg, pairs: [[CHN, MMR]], value: 1000, op: scale}\n",
     r"shocks.1.value: a 'scale' factor must be between 0 and 100"),
])
def test_out_of_range_inputs_fail_before_running(tmp_path, model, year, rest, message):
    p = _write(tmp_path, BASE.format(model=model, year=year, rest=rest))
    with pytest.raises(ScenarioError, match=message):
        load_scenario(p)


def test_in_memory_specs_are_checked_too():
    """The web changes a built-in's values in memory (model_copy skips pydantic): run_scenario checks them again."""
    spec = load_scenario("lao-exports-20pct")
    bad = spec.model_copy(update={"shocks": [spec.shocks[0].model_copy(update={"value": -1e7})]})
    with pytest.raises(ScenarioError, match=r"base_value_usd must be between 1e\+06 and 1e\+12"):
        run_scenario(bad)


def test_binary_and_oversized_files(tmp_path):
    with pytest.raises(ScenarioError, match=r"not a UTF-8 text file"):
        load_scenario(_write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "synthetic_binary.yaml"))
    with pytest.raises(ScenarioError, match=r"at most 1,000,000"):
        load_scenario(_write(tmp_path, "# " + "x" * 1_000_001, "synthetic_big.yaml"))


def test_unknown_country_variable_year_listed(tmp_path, warehouse_env):
    p = _write(tmp_path, BASE.format(model="choice", year=2024,
                                     rest="shocks:\n  - {variable: travel_time_h, destinations: [vientianne], value: 1}\n"))
    with pytest.raises(ScenarioError, match=r"unknown destination 'vientianne'.*Valid:"):
        run_scenario(p)
    p = _write(tmp_path, BASE.format(model="choice", year=2024, rest="shocks:\n  - {variable: visa, destinations: [THA], value: 1}\n"))
    with pytest.raises(ScenarioError, match=r"unknown variable 'visa'.*visa_required"):
        load_scenario(p)
    p = _write(tmp_path, BASE.format(model="choice", year=2018, rest="shocks:\n  - {variable: visa_required, destinations: [THA], value: 1}\n"))
    with pytest.raises(ScenarioError, match=r"unknown year 2018.*Valid: 2019"):
        run_scenario(p)
    p = _write(tmp_path, BASE.format(model="ge", year=2006, rest="shocks:\n  - {variable: cntg, pairs: [[CHN, LAO]], value: 0}\n"))
    with pytest.raises(ScenarioError, match=r"unknown country 'LAO'.*Valid: ARG"):
        run_scenario(p, unvalidated=True)
    p = _write(tmp_path, BASE.format(model="ge", year=2016, rest="shocks:\n  - {variable: cntg, pairs: [[CHN, MMR]], value: 0}\n"))
    with pytest.raises(ScenarioError, match=r"unknown year 2016.*Valid: 1986-2006"):
        run_scenario(p, unvalidated=True)


def test_bad_scenario_files(tmp_path):
    with pytest.raises(ScenarioError, match=r"line \d+"):
        load_scenario(_write(tmp_path, "name: x\ndescription: [unclosed\n"))
    with pytest.raises(ScenarioError, match=r"field 'shocks.0.colour'.*Valid fields"):
        load_scenario(_write(tmp_path, "name: x\ndescription: d\nmodel: choice\nyear: 2024\nshocks:\n  - {variable: cost_cny, value: 1, colour: red}\n"))
    with pytest.raises(ScenarioError, match=r"unknown scenario 'reopening'.*reopening-2023"):
        load_scenario("reopening")


def test_output_replaced_atomically(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    run_scenario(_quick("lao-exports-20pct"), out)
    assert not (out / "stale.txt").exists() and (out / "report.md").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders left behind


def test_parameter_bounds_exposed():
    from lmc.flows.schema import options_schema, parameter_bounds

    b = parameter_bounds("choice").set_index("name")
    assert b.loc["visa_required", ["low", "high"]].tolist() == [0, 1]
    assert b.loc["draws", ["low", "high"]].tolist() == [10, 2000]
    assert options_schema("ge")["properties"]["sigma"]["maximum"] == 20
    r = parameter_bounds("railway").set_index("name")
    assert r.loc["freight_tariff_usd_per_t", "high"] == 500


def test_border_closure_uses_the_sourced_land_shares():
    """One place per fact: the scenario's closed shares (and their ranges) are the land shares of the data file."""
    import yaml
    from importlib import resources

    routes = yaml.safe_load(resources.files("lmc.flows").joinpath("data/myanmar_border_trade.yaml")
                            .read_text(encoding="utf-8"))["routes"]
    share = {tuple(r["pair"]): r["border_share"] for r in routes}
    for s in load_scenario("myanmar-border-closure").shocks:
        b = share[tuple(s.pairs[0])]
        assert s.variable == "route_closed_pct" and s.op == "set"
        assert (s.value, *s.range) == pytest.approx((100 * b["value"], 100 * b["low"], 100 * b["high"]))


def test_report_values_are_rounded_and_labelled():
    from lmc.flows.scenarios import _fmt, headline_items, _md_table

    assert _fmt(1.5088420271429217) == "1.51" and _fmt(12345.678) == "12,346" and _fmt(float("nan")) == ""
    assert _fmt([0.28673882594532496, 2.7167448320440903]) == "0.287 to 2.72"
    assert _fmt([0.287, 2.72], "zh") == "0.287 至 2.72" and _fmt(["a", "b"]) == "a, b"
    assert (_fmt(True), _fmt(np.False_), _fmt(True, "zh")) == ("yes", "no", "是") and _fmt(2030) == "2030"
    assert _fmt(11512) == "11,512" and _fmt(np.int64(-2665)) == "-2,665" and _fmt(10000) == "10,000"
    assert _fmt({"laos": 4364.2, "no_trip": [-6578.4, -1077.0]}) == "Laos: 4,364; No trip / elsewhere: -6,578 to -1,077"
    items = dict(headline_items({"clr_change_mt": 1.5088, "summary": "s", "summary_zh": "中文"}))
    assert items == {"Railway cross-border, change (Mt, median)": "1.51", "Result": "s"}
    table = _md_table(pd.DataFrame({"year": [2030], "link_open": [True], "clr_change_mt": [1.50884]}))
    assert table.splitlines()[0] == "| Year | Link open | Railway cross-border, change (Mt, median) |"
    assert table.splitlines()[2] == "| 2030 | yes | 1.51 |"
