"""Uncertainty and sensitivity analysis: the vectorised evaluator must equal one full rebuild per draw."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from lmc.index import build, coinr_example_spec, default_spec
from lmc.index.sensitivity import run_sensitivity
from lmc.index.uncertainty import (Draws, discrete_inputs, draws_from_sample, evaluate_draws, load_ua_spec,
                                   make_ua_spec, run_uncertainty, spec_for_choice)

ATOL = 1e-9


@pytest.fixture(scope="module")
def rich_ua(asem):
    """Every kind of uncertain input at once, on COINr's example pipeline (with treatment)."""
    fw, _ = asem
    spec = coinr_example_spec(fw)
    ua = make_ua_spec({"inputs": {
        "weights": {"noise": 0.3, "levels": [1, 2, 3]},
        "normalisation": {"stage": "normalise", "alternatives": [{"method": "minmax", "range": [1, 100]},
                                                                 {"method": "zscore", "mean": 10, "sd": 2},
                                                                 {"method": "rank"}]},
        "treatment": {"stage": "treat", "alternatives": [{"winmax": 1}, {"winmax": 5}, {"method": "none"}]},
        "aggregation": {"stage": "aggregate", "alternatives": ["arithmetic", "geometric",
                                                               {"method": "generalised", "p": 0.5}]},
        "exclusion": {"exclude": ["Flights", "CO2", "Palma"]},
    }}, spec)
    return spec, ua


def test_vectorised_equals_one_rebuild_per_draw(asem, rich_ua):
    fw, data = asem
    spec, ua = rich_ua
    rng = np.random.default_rng(3)
    draws = draws_from_sample(rng.random((12, ua.d)), spec, ua, rng)
    fast = evaluate_draws(spec, data, ua, draws)
    assert draws.choices.shape == (12, 4) and len(np.unique(draws.choices, axis=0)) > 6
    col = {c: i for i, c in enumerate(fw.codes)}
    for k in range(draws.n):
        s = spec_for_choice(spec, ua, tuple(draws.choices[k]))
        base = build(s, data).weights
        w = {c: base[c] * draws.factors[k, col[c]] for c in s.framework.codes}
        s = dataclasses.replace(s, weights=dataclasses.replace(s.weights, values=w))
        slow = build(s, data).scores[fw.root].reindex(list(data.units)).to_numpy()
        np.testing.assert_allclose(fast[:, k], slow, rtol=0, atol=ATOL, err_msg=f"draw {k}")


def test_exclusion_removes_the_indicator(asem, rich_ua):
    fw, _ = asem
    spec, ua = rich_ua
    excl = next(i for i in discrete_inputs(ua) if i.name == "exclusion")
    assert excl.options == (None, "Flights", "CO2", "Palma")
    choice = [0] * len(discrete_inputs(ua))
    choice[list(discrete_inputs(ua)).index(excl)] = 2
    s = spec_for_choice(spec, ua, tuple(choice))
    assert "CO2" not in s.framework.indicators and len(s.framework.indicators) == len(fw.indicators) - 1


def test_seeded_and_reproducible(asem, ua_yaml):
    fw, data = asem
    spec = default_spec(fw)
    ua = load_ua_spec(ua_yaml, spec)
    a = run_uncertainty(spec, data, ua, n=300, seed=11)
    b = run_uncertainty(spec, data, ua, n=300, seed=11)
    c = run_uncertainty(spec, data, ua, n=300, seed=12)
    pd.testing.assert_frame_equal(a.rankstats(), b.rankstats())
    assert not np.array_equal(a.scores, c.scores)
    # every discrete alternative is drawn
    assert set(a.params["normalisation"]) == {"method=minmax,range=[1, 100]", "method=zscore,mean=10,sd=2"}
    assert a.params.shape[0] == 300 and "w_Conn" in a.params and "w_LPI" not in a.params
    rs = a.rankstats()
    assert list(rs.columns) == ["uCode", "nominal_rank", "mean_rank", "median_rank", "q05_rank", "q95_rank"]
    assert (rs["q05_rank"] <= rs["median_rank"]).all() and (rs["median_rank"] <= rs["q95_rank"]).all()


def test_progress_reaches_total(asem, ua_yaml):
    fw, data = asem
    spec = default_spec(fw)
    seen = []
    run_uncertainty(spec, data, load_ua_spec(ua_yaml, spec), n=50, seed=1, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (50, 50)


def test_replayed_draws_can_be_given(asem, ua_yaml):
    fw, data = asem
    spec = default_spec(fw)
    ua = load_ua_spec(ua_yaml, spec)
    nominal_draw = Draws(np.zeros((1, 2), dtype=int), np.ones((1, len(fw.codes))))
    res = run_uncertainty(spec, data, ua, draws=nominal_draw)
    # min-max 1-100 instead of 0-100 with arithmetic means: an affine change, ranks unchanged
    np.testing.assert_array_equal(res.ranks[:, 0], res.nominal_ranks)


def test_sobol_zero_for_an_input_that_cannot_matter(asem):
    """Min-max to 0-100 or to 0-50 with arithmetic means scales every score by the same factor: the ranks, hence
    the output, cannot change, so both Sobol indices of that input must be exactly 0 (cf. COINr's
    test-sensitivity.R)."""
    fw, data = asem
    spec = default_spec(fw)
    ua = make_ua_spec({"inputs": {
        "weights": {"noise": 0.25, "levels": [2, 3]},
        "scale": {"stage": "normalise", "alternatives": [{"method": "minmax", "range": [0, 100]},
                                                         {"method": "minmax", "range": [0, 50]}]},
    }}, spec)
    res = run_sensitivity(spec, data, ua, n=64, seed=5, nboot=50)
    sob = res.sobol.set_index("input")
    assert res.evaluations == 64 * 4
    assert sob.loc["scale", "ST"] == pytest.approx(0, abs=1e-12)
    assert sob.loc["scale", "S1"] == pytest.approx(0, abs=1e-12)
    assert sob.loc["weights", "ST"] > 0.5
    assert list(res.sobol.columns) == ["input", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]


def test_sobol_on_the_reference_analysis(asem, ua_yaml):
    fw, data = asem
    spec = default_spec(fw)
    res = run_sensitivity(spec, data, load_ua_spec(ua_yaml, spec), n=128, seed=2, nboot=100)
    sob = res.sobol.set_index("input")
    # with these inputs the aggregation choice dominates the rank changes (ST about 0.9 vs 0.1-0.3 for the others)
    assert sob["ST"].idxmax() == "aggregation"
    assert (sob["ST_low"] <= sob["ST"]).all() and (sob["ST"] <= sob["ST_high"]).all()
