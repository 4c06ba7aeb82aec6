"""Normalisation, aggregation and ranking kernels on hand-checked numbers."""

from __future__ import annotations

import math

import numpy as np

from lmc.sci import engine


def test_goalposts_linear_and_log_and_direction():
    x = np.array([[[5.0, 99.0, 2.0]], [[20.0, 0.0, np.nan]]])  # 2 units, 1 year, 3 indicators
    s = engine.normalise(x, transforms=("none", "log1p", "none"), goalposts=np.array([[0, 10], [0, 99], [0, 4]]),
                         directions=np.array([1, 1, -1]))
    assert s[0, 0, 0] == 50.0  # 5 of 0..10
    assert s[1, 0, 0] == 100.0  # clipped at the upper goalpost
    assert math.isclose(s[0, 0, 1], 100.0)  # log1p(99) is the upper goalpost
    assert s[1, 0, 1] == 0.0
    assert s[0, 0, 2] == 50.0  # 2 of 0..4, reversed: 100 - 50
    assert np.isnan(s[1, 0, 2])


def test_minmax_and_rank():
    x = np.array([[[1.0]], [[3.0]], [[2.0]]])
    mm = engine.normalise(x, transforms=("none",), goalposts=np.array([[0, 1]]), directions=np.array([1]),
                          method="minmax")
    assert mm[:, 0, 0].tolist() == [0.0, 100.0, 50.0]
    rk = engine.normalise(x, transforms=("none",), goalposts=np.array([[0, 1]]), directions=np.array([1]),
                          method="rank")
    assert rk[:, 0, 0].tolist() == [0.0, 100.0, 50.0]


def test_aggregate_skips_missing_and_rescales_weights():
    s = np.array([[60.0, np.nan, 30.0]])
    assert engine.aggregate(s, np.array([1.0, 5.0, 2.0]))[0] == (60 * 1 + 30 * 2) / 3
    g = engine.aggregate(np.array([[100.0, 1.0]]), np.array([1.0, 1.0]), "geometric")[0]
    assert math.isclose(g, 10.0)
    assert np.isnan(engine.aggregate(np.array([[np.nan, np.nan]]), np.array([1.0, 1.0]))[0])


def test_rank_desc_competition_ranks():
    r = engine.rank_desc(np.array([10.0, 30.0, 30.0, np.nan, 5.0]))
    assert r[:3].tolist() == [3.0, 1.0, 1.0] and np.isnan(r[3]) and r[4] == 4.0
