"""Scenarios: every built-in validates and runs end to end; bad names and years fail with the valid ones listed."""

from __future__ import annotations

import json

import pytest

from lmc.flows.errors import ScenarioError
from lmc.flows.scenarios import builtin_names, list_scenarios, load_scenario, run_scenario

REQUIRED = {"reopening-2023", "railway-travel-time", "visa-waiver-china-thailand-2024", "lao-exports-20pct",
            "myanmar-border-closure"}


def _quick(name: str, draws: int = 8):
    spec = load_scenario(name)
    return spec.model_copy(update={"options": {**spec.options, "draws": draws}})


def test_builtins_present():
    assert REQUIRED <= set(builtin_names())
    assert set(list_scenarios()["name"]) == set(builtin_names())


@pytest.mark.parametrize("name", ["reopening-2023", "railway-travel-time", "visa-waiver-china-thailand-2024",
                                  "lao-exports-20pct", "railway-finance"])
def test_builtin_runs_and_writes(name, tmp_path):
    out = tmp_path / name
    res = run_scenario(_quick(name), out)
    names = {p.split("/")[-1] for p in res.files}
    assert {"report.md", "report.html", "result.json"} <= names
    assert any(n.endswith(".png") for n in names) and any(n.endswith(".svg") for n in names)
    assert any(n.endswith(".csv") for n in names)
    json.dumps(res.to_dict())
    assert res.title in (out / "report.md").read_text(encoding="utf-8")


def test_visa_waiver_moves_visitors_to_thailand():
    res = run_scenario(_quick("visa-waiver-china-thailand-2024"))
    nest = res.headline["change_by_nest"]
    assert nest["thailand"] > 0 and nest["yunnan"] < 0 and nest["laos"] < 0


def test_reopening_diverts_from_yunnan():
    res = run_scenario(_quick("reopening-2023"))
    t = res.to_frame().set_index("destination")
    assert t.loc["xishuangbanna", "change"] < 0 and t.loc["puer", "change"] < 0
    assert t.loc["luang_prabang", "visitors_baseline"] == 0


def test_myanmar_border_closure_ge(lmc_home, tmp_path):
    res = run_scenario(_quick("myanmar-border-closure", draws=5), tmp_path / "mm")
    p = res.tables["partners"].set_index("partner")
    assert p.loc["CHN", "exports_pct"] < -50 and p.loc["THA", "exports_pct"] < -50
    assert res.headline["welfare_pct"]["MMR"] < 0
    assert p.drop(index=["CHN", "THA", "MMR"])["exports_pct"].median() > 0  # diverted to other partners


def test_trend_claim_vs_data():
    res = run_scenario(_quick("lao-exports-20pct"))
    lo, hi = res.headline["trend_growth_ci_pct"]
    assert lo < res.headline["trend_growth_pct"] < hi
    assert res.headline["claim_inside_ci"] == (lo <= 20 <= hi)


def _write(tmp_path, body: str):
    p = tmp_path / "synthetic_scenario.yaml"
    p.write_text(body, encoding="utf-8")
    return p


def test_unknown_country_variable_year_listed(tmp_path, lmc_home):
    base = "name: x\ndescription: d\nmodel: {model}\nyear: {year}\nshocks:\n  - {shock}\n"
    p = _write(tmp_path, base.format(model="choice", year=2024,
                                     shock="{variable: travel_time_h, destinations: [vientianne], value: 1}"))
    with pytest.raises(ScenarioError, match=r"unknown destination 'vientianne'.*Did you mean 'vientiane'.*Valid:"):
        run_scenario(p)
    p = _write(tmp_path, base.format(model="choice", year=2024,
                                     shock="{variable: visa, destinations: [THA], value: 1}"))
    with pytest.raises(ScenarioError, match=r"unknown variable 'visa'.*visa_required"):
        run_scenario(p)
    p = _write(tmp_path, base.format(model="choice", year=2019,
                                     shock="{variable: visa_required, destinations: [THA], value: 1}"))
    with pytest.raises(ScenarioError, match=r"unknown year 2019.*Valid: 2023"):
        run_scenario(p)
    p = _write(tmp_path, base.format(model="ge", year=2006, shock="{variable: cntg, pairs: [[CHN, LAO]], value: 0}"))
    with pytest.raises(ScenarioError, match=r"unknown country 'LAO'.*Valid: ARG"):
        run_scenario(p)
    p = _write(tmp_path, base.format(model="ge", year=2016, shock="{variable: cntg, pairs: [[CHN, MMR]], value: 0}"))
    with pytest.raises(ScenarioError, match=r"unknown year 2016.*Valid: 1986-2006"):
        run_scenario(p)


def test_bad_scenario_files(tmp_path):
    with pytest.raises(ScenarioError, match=r"line \d+"):
        run_scenario(_write(tmp_path, "name: x\ndescription: [unclosed\n"))
    with pytest.raises(ScenarioError, match=r"field 'shocks.0.colour'.*Valid fields"):
        run_scenario(_write(tmp_path, "name: x\ndescription: d\nmodel: choice\nyear: 2024\nshocks:\n  - {variable: cost_cny, value: 1, colour: red}\n"))
    with pytest.raises(ScenarioError, match=r"unknown scenario 'reopening'.*reopening-2023"):
        load_scenario("reopening")


def test_output_replaced_atomically(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    run_scenario(_quick("lao-exports-20pct"), out)
    assert not (out / "stale.txt").exists() and (out / "report.md").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders left behind
