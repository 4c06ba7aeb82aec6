"""Nested-logit destination choice: calibration reproduces the sourced targets; shocks move visitors as theory says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmc.flows.choice import (
    Shock, calibrate, expand_destinations, load_choice_data, nested_logit_shares, simulate, utilities,
)
from lmc.flows.errors import ScenarioError


@pytest.fixture(scope="module")
def data():
    return load_choice_data()


def test_curated_inputs_carry_provenance(data):
    raw = data.provenance
    for key, d in raw["destinations"].items():
        for var in ("travel_time_h", "cost_cny", "heritage_sites"):
            rec = d[var]
            assert "source" in rec or "assumption" in rec, f"{key}.{var} has neither a source nor an assumption"
            if "source" in rec:
                assert {"publisher", "url", "accessed"} <= set(rec["source"]), f"{key}.{var}"
    for g in raw["calibration"]:
        assert {"publisher", "url", "accessed"} <= set(g["source"])
    for k, p in raw["parameters"].items():
        assert "assumption" in p and p["low"] <= p["value"] <= p["high"], k


def test_calibration_reproduces_targets(data):
    asc = calibrate(data)
    d = data.destinations
    p = nested_logit_shares(utilities(d, data.params, asc), d["nest"].to_numpy(), d["available"].to_numpy(),
                            data.params["lambda_nest"])
    total = sum(data.targets.values())
    got = pd.Series(p * total, index=d.index).groupby(d["group"]).sum()
    for g, v in data.targets.items():
        assert got[g] == pytest.approx(v, rel=1e-8)


def test_plain_logit_limit():
    v = np.array([0.0, 1.0, 2.0])
    p = nested_logit_shares(v, np.array(["a", "a", "b"]), np.ones(3), 1.0)
    np.testing.assert_allclose(p, np.exp(v) / np.exp(v).sum())


def test_faster_trains_to_laos_divert_from_yunnan_and_thailand(data):
    laos = expand_destinations(["laos"], data.destinations)
    r = simulate(data, [Shock("travel_time_h", laos, -1.0, "add")], n_draws=20, seed=1).to_frame()
    assert (r.loc[list(laos), "change"] > 0).all()
    assert (r.loc[["xishuangbanna", "puer", "bangkok", "chiang_mai"], "change"] < 0).all()
    assert abs(r["change"].sum()) < 1e-6 * r["visitors_baseline"].sum()  # closed market: trips are redistributed
    assert (r["change_p05"] <= r["change"] + 1e-6).all() and (r["change"] <= r["change_p95"] + 1e-6).all()


def test_closed_destinations_get_nobody(data):
    r = simulate(data, [Shock("available", expand_destinations(["THA"], data.destinations), 0)], n_draws=0).to_frame()
    assert (r.loc[["bangkok", "chiang_mai"], "visitors_scenario"] == 0).all()


def test_unknown_names_listed(data):
    with pytest.raises(ScenarioError, match=r"unknown destination 'luang_prabng'.*Did you mean 'luang_prabang'"):
        expand_destinations(["luang_prabng"], data.destinations)
    with pytest.raises(ScenarioError, match=r"unknown variable 'travel_time'.*Valid:"):
        simulate(data, [Shock("travel_time", ("vientiane",), 1.0)], n_draws=0)


def test_calibration_non_convergence_carries_log(data):
    from lmc.flows.errors import ConvergenceError

    with pytest.raises(ConvergenceError, match=r"did not converge.*iteration log.*it=1") as exc:
        calibrate(data, maxiter=3)
    assert len(exc.value.log) == 3
