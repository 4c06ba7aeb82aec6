"""Scenarios: every built-in validates and runs end to end; bad names and years fail with the valid ones listed."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
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


def _visitors_checks(res, written: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """What every destination-choice built-in shares: the scenario state is the calibrated 2024 one (each built-in's
    baseline shocks are undone by its shocks), so the scenario reproduces the calibration targets; the model holds
    the total number of trips fixed, so the changes sum to zero; the written tables are the result's tables."""
    from lmc.flows.choice import load_choice_data

    data = load_choice_data()
    t = res.tables["visitors"].set_index("destination")
    by_group = t["visitors_scenario"].groupby(data.destinations["group"]).sum()
    assert by_group.to_dict() == pytest.approx(data.targets, rel=1e-6)
    total = sum(data.targets.values())
    assert t["visitors_baseline"].sum() == pytest.approx(total, rel=1e-9)
    assert t["change"].sum() == pytest.approx(0, abs=1e-6 * total)
    assert (t["visitors_baseline"] >= 0).all() and (t["visitors_scenario"] > 0).all()
    assert t["share_scenario_pct"].sum() == pytest.approx(100) and t["share_baseline_pct"].sum() == pytest.approx(100)
    nest = res.tables["by_nest"].set_index("nest")["change"]
    assert res.headline["change_by_nest"] == {k: round(v) for k, v in nest.items()}
    assert res.headline["change_by_destination"] == {k: round(v) for k, v in t["change"].items()}
    pd.testing.assert_frame_equal(written["visitors"], res.tables["visitors"], check_dtype=False)
    return t


def _one_nest_shocked(t: pd.DataFrame, nest: str) -> None:
    """A shock to every destination of one nest moves them by one percentage (shares within the nest keep) and
    every other destination by another, common one (nested logit)."""
    inside, outside = t.loc[t["nest"] == nest, "change_pct"], t.loc[t["nest"] != nest, "change_pct"]
    assert inside.max() - inside.min() < 1e-9 and outside.max() - outside.min() < 1e-9


def _check_reopening(res, written):
    t = _visitors_checks(res, written)
    closed = t["country"].isin(["LAO", "THA"])
    # the closed baseline has nobody in Laos or Thailand; reopening brings all of their 2024 visitors back
    assert (t.loc[closed, "visitors_baseline"] == 0).all() and (t.loc[closed, "change"] > 0).all()
    assert (t.loc[~closed, "change"] < 0).all()
    nest = res.headline["change_by_nest"]
    assert nest["laos"] == pytest.approx(1_048_034, abs=1) and nest["thailand"] == pytest.approx(6_700_000, abs=1)
    assert nest["yunnan"] == pytest.approx(-(nest["laos"] + nest["thailand"]), abs=2)  # all diverted from Yunnan
    # no percentage change from a zero baseline: NaN (blank in the CSV, null in JSON), never inf
    assert t.loc[closed, "change_pct"].isna().all()
    assert written["visitors"].loc[closed.to_numpy(), "change_pct"].isna().all()
    yunnan = t.loc[~closed, "change_pct"]  # Yunnan's two cities lose the same share of their visitors
    assert yunnan.max() - yunnan.min() < 1e-9 and -50 < yunnan.iloc[0] < 0


def _check_railway_travel_time(res, written):
    t = _visitors_checks(res, written)
    laos = t["nest"] == "laos"
    # 64 minutes off the train to every Lao destination: Laos' share rises, Yunnan's and Thailand's fall
    assert (t.loc[laos, "share_scenario_pct"] > t.loc[laos, "share_baseline_pct"]).all()
    assert (t.loc[~laos, "share_scenario_pct"] < t.loc[~laos, "share_baseline_pct"]).all()
    nest = res.headline["change_by_nest"]
    assert nest["laos"] > 0 > nest["yunnan"] and nest["thailand"] < 0
    assert nest["laos"] == pytest.approx(-(nest["yunnan"] + nest["thailand"]), abs=2)
    _one_nest_shocked(t, "laos")
    # a 1.07 h saving on trips of 7.6-9.5 h: a noticeable gain for Laos (+5 to +50%), tiny losses elsewhere
    assert 5 < t.loc[laos, "change_pct"].iloc[0] < 50 and -1 < t.loc[~laos, "change_pct"].iloc[0] < 0


def _check_visa_waiver(res, written):
    t = _visitors_checks(res, written)
    tha = t["nest"] == "thailand"
    assert (t.loc[tha, "change"] > 0).all() and (t.loc[~tha, "change"] < 0).all()
    _one_nest_shocked(t, "thailand")
    assert (t.loc[tha, "visitors_baseline"] < t.loc[tha, "visitors_scenario"]).all()


def _check_lao_exports(res, written):
    h = res.headline
    path = res.tables["path"].set_index("year")
    # the claim: US$1.7 bn in 2019 growing 20% a year, so 1.7 x 1.2^11 = US$12.63 bn in 2030
    claim = path["claim_usd_bn"].dropna()
    assert claim.index.min() == 2019 and claim.loc[2019] == pytest.approx(1.7)
    assert list(claim) == pytest.approx([1.7 * 1.2 ** (y - 2019) for y in claim.index], rel=1e-9)
    assert h["claim_growth_pct"] == 20 and h["claim_2030_usd_bn"] == pytest.approx(1.7 * 1.2 ** 11, abs=1e-3)
    # the trend grows at its stated rate, its band contains it, and the claim is judged against the band
    g = path["trend_usd_bn"]
    ratios = (g.shift(-1) / g).dropna()
    assert list(ratios) == pytest.approx([1 + h["trend_growth_pct"] / 100] * len(ratios), abs=1e-4)
    assert h["trend_2030_usd_bn"] == pytest.approx(g.loc[2030], abs=1e-3)
    assert (path["trend_low_usd_bn"] <= g).all() and (g <= path["trend_high_usd_bn"]).all()
    lo, hi = h["trend_growth_ci_pct"]
    assert lo < h["trend_growth_pct"] < hi and h["claim_inside_ci"] == (lo <= 20 <= hi)
    # the observations shown on the path are the sourced ones (US$ -> US$ bn), min and max per year
    obs = res.tables["observations"].groupby("year")["value_usd"].agg(["min", "max"]) / 1e9
    shown = path.loc[obs.index, ["observed_min_usd_bn", "observed_max_usd_bn"]].to_numpy()
    np.testing.assert_allclose(shown, obs.to_numpy(), rtol=1e-9)
    assert path["observed_min_usd_bn"].notna().sum() == len(obs)
    pd.testing.assert_frame_equal(written["path"], res.tables["path"], check_dtype=False)


def _check_railway_finance(res, written):
    h = res.headline
    proj = written["projection"]  # recomputed from the written tables, not from the result object
    inputs = written["inputs"].set_index("input")
    rate = inputs.loc["discount_rate_pct", "mode"] / 100
    first = int(proj["year"].min())
    assert first == 2022 and len(proj) == 50  # the 50-year concession from 2022
    npv = float((proj["net_cash"] / (1 + rate) ** (proj["year"] - first)).sum())
    assert h["npv_musd"] == pytest.approx(npv, abs=0.051)  # the headline is rounded to 0.1
    np.testing.assert_allclose(proj["revenue"], proj["revenue_passenger"] + proj["revenue_freight"], atol=1e-9)
    np.testing.assert_allclose(proj["ebitda"], proj["revenue"] - proj["opex"], atol=1e-9)
    np.testing.assert_allclose(proj["debt_service"], proj["interest"] + proj["principal"], atol=1e-9)
    np.testing.assert_allclose(proj["net_cash"], proj["ebitda"] - proj["debt_service"], atol=1e-9)
    np.testing.assert_allclose(proj["cumulative_net_cash"], proj["net_cash"].cumsum(), atol=1e-6)
    assert proj["principal"].sum() == pytest.approx(3540)  # the US$3.54 bn loan, repaid within the concession

    def from_then_on(ok: pd.Series):
        years = [y for y, _ in ok.items() if ok.loc[y:].all()]
        return min(years) if years else None

    ok_cum = pd.Series(proj["cumulative_net_cash"].to_numpy() >= 0, index=proj["year"])
    ok_net = pd.Series(proj["net_cash"].to_numpy() >= 0, index=proj["year"])
    assert h["payback_year"] == from_then_on(ok_cum) and h["debt_service_year"] == from_then_on(ok_net)
    assert h["payback_year"] is not None and proj.set_index("year").loc[h["payback_year"] - 1,
                                                                         "cumulative_net_cash"] < 0
    summ = written["break_even_summary"].set_index("measure")
    assert h["share_payback_within_concession"] == pytest.approx(summ.loc["payback_year", "share_reached"])
    assert h["largest_unknowns"] == list(written["tornado"]["input"].head(3))
    assert h["n_draws"] == 8


CHECKS = {"reopening-2023": _check_reopening, "railway-travel-time": _check_railway_travel_time,
          "visa-waiver-china-thailand-2024": _check_visa_waiver, "lao-exports-20pct": _check_lao_exports,
          "railway-finance": _check_railway_finance}


@pytest.mark.parametrize("name", list(CHECKS))
def test_builtin_runs_and_writes(name, tmp_path):
    out = tmp_path / name
    res = run_scenario(_quick(name), out)
    names = {p.split("/")[-1] for p in res.files}
    assert {"report.md", "report.html", "result.json"} | {f"{k}.csv" for k in res.tables} <= names
    assert any(n.endswith(".png") for n in names) and any(n.endswith(".svg") for n in names)
    json.dumps(res.to_dict(), allow_nan=False)  # strict JSON (what the web API sends): no NaN, no inf
    assert json.loads((out / "result.json").read_text(encoding="utf-8"))["headline"] == res.headline
    assert res.title in (out / "report.md").read_text(encoding="utf-8")
    written = {k: pd.read_csv(out / f"{k}.csv") for k in res.tables}
    for k, t in res.tables.items():
        assert list(written[k].columns) == list(t.columns) and len(written[k]) == len(t), k
    CHECKS[name](res, written)


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
