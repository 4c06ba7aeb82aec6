"""Railway cash flows in real terms: debt arithmetic, deflation, equity, percentiles over all draws, break-even."""

from __future__ import annotations

import numpy as np
import pytest

from lmc.flows.errors import ScenarioError
from lmc.flows.railway_finance import (EQUITY_YEAR, FreightPath, break_even_years, irr, load_inputs, project_arrays,
                                       run_railway_finance)


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


def test_every_input_is_sourced_derived_or_assumption(inputs):
    prov = inputs.provenance()
    assert set(prov["basis"]) <= {"source", "derived", "assumption"}
    assert prov.loc[prov["basis"] != "assumption", "url"].notna().all()
    assert inputs.loan_musd == 3540 and inputs.equity_musd == 2360 and inputs.concession_years == 50
    assert (prov["bounds_low"] <= prov["low"]).all() and (prov["high"] <= prov["bounds_high"]).all()


def test_loan_repaid_in_nominal_terms_and_deflated(inputs):
    m = inputs.modes()
    p = project_arrays(m, inputs)
    assert p["principal_nominal"].sum() == pytest.approx(inputs.loan_musd, rel=1e-9)
    assert p["interest_nominal"][0, 0] == pytest.approx(inputs.loan_musd * m["interest_rate_pct"] / 100)
    defl = (1 + m["inflation_pct"] / 100) ** (p["years"] - inputs.price_base_year)
    np.testing.assert_allclose(p["debt_service"][0], (p["interest_nominal"][0] + p["principal_nominal"][0]) / defl)
    np.testing.assert_allclose(p["net_cash"], p["ebitda"] - p["debt_service"])
    # equity paid in by 2021, at 2024 prices, starts the shareholders' cumulative cash
    eq = inputs.equity_musd * (1 + m["inflation_pct"] / 100) ** (inputs.price_base_year - EQUITY_YEAR)
    assert p["cumulative_equity_cash"][0, 0] == pytest.approx(p["net_cash"][0, 0] - eq)
    owing = p["debt_service"][0] > 0  # after the loan is repaid the ratio is undefined (NaN), not infinite
    np.testing.assert_allclose(p["dscr"][0, owing], p["ebitda"][0, owing] / p["debt_service"][0, owing])
    assert np.isnan(p["dscr"][0, ~owing]).all() and (~owing).any()


def test_indexation_options(inputs):
    m = inputs.modes()
    flat = project_arrays(m, inputs)
    up = project_arrays(m, inputs, tariff_real_growth_pct=1.0)
    j = int(np.flatnonzero(flat["years"] == 2034)[0])
    assert up["revenue_freight"][0, j] == pytest.approx(flat["revenue_freight"][0, j] * 1.01 ** 10)
    assert up["npv_equity"][0] > flat["npv_equity"][0]


def test_irr_hand_example():
    years = np.array([EQUITY_YEAR + 1])
    assert irr(np.array([[110.0]]), years, np.array([100.0]))[0] == pytest.approx(0.10, abs=1e-9)
    assert np.isnan(irr(np.array([[1.0]]), years, np.array([100.0]))[0])  # -99%: outside [-50%, +50%]


def test_percentiles_over_all_draws_count_never(inputs):
    r = run_railway_finance(n_draws=400, seed=5)
    pb = r.mc["payback_year"].to_numpy()
    never = np.isnan(pb)
    assert 0 < never.mean() < 1  # draws on both sides, so the percentiles below can tell them apart
    s = r.summary().set_index("measure")
    assert s.loc["payback_year", "share_never"] == pytest.approx(never.mean())
    ranked = np.sort(np.where(never, np.inf, pb))
    p50 = ranked[int(np.ceil(0.5 * len(pb))) - 1]
    assert (np.isnan(s.loc["payback_year", "p50"]) and np.isinf(p50)) or s.loc["payback_year", "p50"] == p50
    # the median over the draws that pay back is earlier than over all draws
    assert np.median(pb[~never]) <= (p50 if np.isfinite(p50) else np.inf)
    again = run_railway_finance(n_draws=400, seed=5)
    assert again.mc.equals(r.mc)
    assert (r.tornado["swing"].diff().dropna() <= 1e-9).all()


def test_freight_break_even_formula(inputs):
    r = run_railway_finance(n_draws=10)
    be = r.break_even.set_index("year").loc[2030]
    proj = r.projection.set_index("year").loc[2030]
    tariff = inputs.modes()["freight_tariff_usd_per_t"]
    assert be["break_even_operating_mt"] == pytest.approx((proj["opex"] - proj["revenue_passenger"]) / tariff)
    assert be["break_even_debt_mt"] == pytest.approx(
        (proj["opex"] - proj["revenue_passenger"] + proj["debt_service"]) / tariff)
    assert be["break_even_debt_mt"] > 3 * be["break_even_operating_mt"]  # the debt, not the operation, needs tonnes
    # at the break-even tonnage the cover ratio is exactly 1
    p = project_arrays({**inputs.modes(), "freight_mt": be["break_even_debt_mt"], "freight_growth_pct": 0.0,
                        "freight_capacity_mt": 200.0}, inputs)
    j = int(np.flatnonzero(p["years"] == 2030)[0])
    assert p["dscr"][0, j] == pytest.approx(1.0, rel=1e-9)


def test_freight_from_another_model(inputs):
    path = FreightPath(years=(2026, 2030), mt=np.array([8.0, 12.0]), source="synthetic_route_model")
    r = run_railway_finance(n_draws=20, freight=path)
    proj = r.projection.set_index("year")
    assert proj.loc[2025, "freight_mt"] == pytest.approx(inputs.modes()["freight_mt"])  # before the path: own model
    assert proj.loc[2027, "freight_mt"] == 8.0 and proj.loc[2040, "freight_mt"] == 12.0
    assert r.freight_source == "synthetic_route_model"
    with pytest.raises(ScenarioError, match="tonnes must be finite"):
        FreightPath(years=(2026,), mt=np.array([-1.0]), source="x")


def test_override_unknown_input_lists_valid():
    with pytest.raises(ScenarioError, match=r"unknown railway input 'freight_tarif'.*freight_tariff_usd_per_t"):
        run_railway_finance({"freight_tarif": 30}, n_draws=10)
    ds, pb = break_even_years(project_arrays(load_inputs().modes(), load_inputs()))
    assert ds.shape == pb.shape == (1,)
