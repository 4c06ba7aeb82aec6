"""The SCI's scoring steps around the composite-index engine (lmc.index), on hand-checked numbers: the log1p
transform, pooled normalisation with the SCI's conventions, NaN-skipping weighted means (geometric floored at 1),
weight sets evaluated at once, and competition ranks."""

from __future__ import annotations

import math

import numpy as np

from lmc.sci.score import aggregate, normalise, pillar_scores, rank_desc


def test_goalposts_linear_and_log_and_direction():
    x = np.array([[[5.0, 99.0, 2.0]], [[20.0, 0.0, np.nan]]])  # 2 units, 1 year, 3 indicators
    s = normalise(x, transforms=("none", "log1p", "none"), goalposts=np.array([[0, 10], [0, 99], [0, 4]]),
                  directions=np.array([1, 1, -1]))
    assert s[0, 0, 0] == 50.0  # 5 of 0..10
    assert s[1, 0, 0] == 100.0  # clipped at the upper goalpost
    assert math.isclose(s[0, 0, 1], 100.0)  # log1p(99) is the upper goalpost
    assert s[1, 0, 1] == 0.0
    assert s[0, 0, 2] == 50.0  # 2 of 0..4, reversed: 100 - 50
    assert np.isnan(s[1, 0, 2])


def test_minmax_and_rank_pool_units_and_years():
    x = np.array([[[1.0], [4.0]], [[3.0], [np.nan]], [[2.0], [2.0]]])  # 3 units, 2 years, 1 indicator
    kw = dict(transforms=("none",), goalposts=np.array([[0, 1]]), directions=np.array([1]))
    mm = normalise(x, method="minmax", **kw)
    np.testing.assert_allclose(mm[:, :, 0], [[0, 100], [200 / 3, np.nan], [100 / 3, 100 / 3]])
    rk = normalise(x, method="rank", **kw)  # percentile rank over all 5 unit-years, ties averaged
    np.testing.assert_allclose(rk[:, :, 0], [[0, 100], [75, np.nan], [37.5, 37.5]])
    rev = normalise(x, method="rank", **{**kw, "directions": np.array([-1])})
    np.testing.assert_allclose(rev[:, :, 0], [[100, 0], [25, np.nan], [62.5, 62.5]])


def test_indicator_without_spread_or_values():
    x = np.array([[[3.0, np.nan]], [[3.0, np.nan]], [[np.nan, np.nan]]])
    kw = dict(transforms=("none", "none"), goalposts=np.array([[0, 6], [0, 1]]), directions=np.array([1, 1]))
    for method in ("minmax", "rank"):
        s = normalise(x, method=method, **kw)
        assert s[:2, 0, 0].tolist() == [50.0, 50.0] and np.isnan(s[2, 0, 0])  # mid-scale, missing stays missing
        assert np.isnan(s[:, :, 1]).all()
    assert normalise(x, **kw)[:2, 0, 0].tolist() == [50.0, 50.0]  # goalposts: 3 of 0..6


def test_aggregate_skips_missing_and_rescales_weights():
    s = np.array([[60.0, np.nan, 30.0]])
    assert aggregate(s, np.array([1.0, 5.0, 2.0]))[0] == (60 * 1 + 30 * 2) / 3
    g = aggregate(np.array([[100.0, 1.0]]), np.array([1.0, 1.0]), "geometric")[0]
    assert math.isclose(g, 10.0)
    assert math.isclose(aggregate(np.array([[100.0, 0.0]]), np.array([1.0, 1.0]), "geometric")[0], 10.0)  # floor 1
    assert np.isnan(aggregate(np.array([[np.nan, np.nan]]), np.array([1.0, 1.0]))[0])


def test_aggregate_weight_sets_at_once_equal_one_by_one():
    rng = np.random.default_rng(3)
    s = rng.uniform(0, 100, size=(4, 3, 5))
    s[0, 1, 2] = np.nan
    W = rng.uniform(0.5, 1.5, size=(6, 5))
    for method in ("arithmetic", "geometric"):
        many = aggregate(s, W, method)
        assert many.shape == (4, 3, 6)
        for d in range(len(W)):
            np.testing.assert_allclose(many[:, :, d], aggregate(s, W[d], method), rtol=0, atol=1e-12)


def test_pillar_scores_group_indicators():
    norm = np.array([[[10.0, 30.0, 80.0]]])
    p = pillar_scores(norm, ("a", "a", "b"), ("a", "b", "c"), np.array([1.0, 3.0, 1.0]))
    assert p[0, 0, :2].tolist() == [25.0, 80.0] and np.isnan(p[0, 0, 2])


def test_rank_desc_competition_ranks():
    r = rank_desc(np.array([10.0, 30.0, 30.0, np.nan, 5.0]))
    assert r[:3].tolist() == [3.0, 1.0, 1.0] and np.isnan(r[3]) and r[4] == 4.0
