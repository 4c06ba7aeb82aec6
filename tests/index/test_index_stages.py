"""Stage kernels on small synthetic data with answers worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmc.index import NormaliseSpec, build, from_frame, make_spec, pair_members, rank_desc, unit_kind
from lmc.index.aggregate import aggregate_node
from lmc.index.impute import impute, impute_panel
from lmc.index.normalise import normalise_column
from lmc.index.treat import kurt, log_ct, skew, winsorise
from lmc.index.uncertainty import cut_bins
from lmc.index.weights import effective_weights


def test_minmax_any_range_and_direction():
    x = np.array([2.0, 4.0, 6.0, np.nan])
    y = normalise_column("x", x, 1, NormaliseSpec(range=(1.0, 100.0)))
    np.testing.assert_allclose(y[:3], [1, 50.5, 100])
    assert np.isnan(y[3])
    y = normalise_column("x", x, -1, NormaliseSpec())
    np.testing.assert_allclose(y[:3], [100, 50, 0])


def test_zscore_mean_and_sd():
    x = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    y = normalise_column("x", x, 1, NormaliseSpec(method="zscore", mean=10, sd=2))
    assert y.mean() == pytest.approx(10)
    assert y.std(ddof=1) == pytest.approx(2)


def test_goalposts_clip_and_direction():
    x = np.array([-5.0, 0.0, 5.0, 10.0, 20.0])
    y = normalise_column("x", x, 1, NormaliseSpec(method="goalposts", scale=100), goalposts=(0, 10))
    np.testing.assert_allclose(y, [0, 0, 50, 100, 100])
    y = normalise_column("x", x, -1, NormaliseSpec(method="goalposts", scale=1), goalposts=(0, 10))
    np.testing.assert_allclose(y, [1, 1, 0.5, 0, 0])


def test_distance_to_target_rank_borda_percentile():
    x = np.array([1.0, 3.0, 5.0, 5.0])
    y = normalise_column("x", x, 1, NormaliseSpec(method="dist_target", scale=1), target=3.0)
    np.testing.assert_allclose(y, [0, 1, 1, 1])
    np.testing.assert_allclose(normalise_column("x", x, 1, NormaliseSpec(method="rank")), [1, 2, 3, 3])
    np.testing.assert_allclose(normalise_column("x", x, 1, NormaliseSpec(method="borda")), [0, 1, 2, 2])
    np.testing.assert_allclose(normalise_column("x", x, 1, NormaliseSpec(method="percentile", scale=1)),
                               [0, 1 / 3, 2 / 3, 2 / 3])


def test_rank_ties_average_option():
    x = np.array([1.0, 3.0, 5.0, 5.0, np.nan])
    avg = NormaliseSpec(method="percentile", scale=100, ties="average")
    np.testing.assert_allclose(normalise_column("x", x, 1, avg), [0, 100 / 3, 250 / 3, 250 / 3, np.nan])
    # reversed direction mirrors the scale; all-equal values sit mid-scale
    np.testing.assert_allclose(normalise_column("x", x, -1, avg), [100, 200 / 3, 50 / 3, 50 / 3, np.nan])
    np.testing.assert_allclose(normalise_column("x", np.full(3, 7.0), 1, avg), [50, 50, 50])
    np.testing.assert_allclose(normalise_column("x", x, 1, NormaliseSpec(method="rank", ties="average")),
                               [1, 2, 3.5, 3.5, np.nan])
    assert NormaliseSpec().ties == "min"  # COINr's default is unchanged


def test_rank_ties_option_is_validated():
    from lmc.index.errors import SpecError
    from lmc.index.spec import parse_stage

    assert parse_stage("normalise", {"method": "percentile", "ties": "average"}).ties == "average"
    with pytest.raises(SpecError, match="ties"):
        parse_stage("normalise", {"method": "percentile", "ties": "mean"})


def test_skew_kurt_match_excel_definitions():
    x = np.array([1.0, 2.0, 3.0, 4.0, 20.0])
    n = x.size
    m = x.mean()
    s = x.std(ddof=1)
    excel_skew = n / ((n - 1) * (n - 2)) * np.sum(((x - m) / s) ** 3)
    excel_kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * np.sum(((x - m) / s) ** 4) \
        - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    assert skew(x) == pytest.approx(excel_skew)
    assert kurt(x) == pytest.approx(excel_kurt)


def test_winsorise_replaces_top_values_with_next():
    x = np.r_[np.arange(1.0, 21.0), 500.0, 1000.0]
    y, nwin = winsorise(x, winmax=5, skew_thresh=2, kurt_thresh=3.5)
    assert nwin == 2
    assert y.max() == 20.0 and (y == 20.0).sum() == 3


def test_log_ct():
    x = np.array([0.0, 9.0, 99.0])
    np.testing.assert_allclose(log_ct(x), np.log(x + 0.99))


def test_aggregation_methods_skip_missing():
    x = np.array([[1.0, 100.0, np.nan], [4.0, 4.0, 4.0]])[:, :, None]
    w = np.array([[1.0, 1.0, 2.0]])
    np.testing.assert_allclose(aggregate_node(x, w, "arithmetic")[:, 0], [50.5, 4])
    np.testing.assert_allclose(aggregate_node(x, w, "geometric")[:, 0], [10, 4])
    np.testing.assert_allclose(aggregate_node(x, w, "harmonic")[:, 0], [2 / (1 + 0.01), 4])
    np.testing.assert_allclose(aggregate_node(x, w, "generalised", p=2)[:, 0], [np.sqrt((1 + 1e4) / 2), 4])
    y = aggregate_node(x, w, "arithmetic", min_availability=0.9)[:, 0]
    assert np.isnan(y[0]) and y[1] == 4


def test_copeland_counts_weighted_wins():
    x = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])[:, :, None]
    y = aggregate_node(x, np.array([[3.0, 1.0]]), "copeland")[:, 0]
    # unit 0 beats 1 and 2 on the heavier child (0.75 each); loses the lighter one
    np.testing.assert_allclose(y, [1.5, 1.0, 0.5])


def test_ranks_ties_take_minimum():
    np.testing.assert_array_equal(rank_desc(np.array([5.0, 7.0, 7.0, 1.0, np.nan])), [3, 1, 1, 4, np.nan])


def test_effective_weights_sum_to_one(synthetic_framework):
    eff = effective_weights(synthetic_framework, synthetic_framework.weights())
    assert sum(eff[c] for c in synthetic_framework.indicators) == pytest.approx(1)
    assert eff["b1"] == pytest.approx(0.5 * 2 / 3)


def test_group_mean_imputation():
    v = pd.DataFrame({"x": [1.0, np.nan, 3.0, 10.0, np.nan]}, index=list("abcde"))
    g = pd.DataFrame({"g": ["p", "p", "p", "q", "q"]}, index=list("abcde"))
    out = impute(v, "mean", g, "g")
    assert out.loc["b", "x"] == 2 and out.loc["e", "x"] == 10
    assert impute(v, "median").loc["b", "x"] == 3


def test_panel_imputation_rules():
    idx = pd.MultiIndex.from_product([["CHN"], [2019, 2020, 2021, 2022]], names=["uCode", "Time"])
    v = pd.DataFrame({"x": [np.nan, 2.0, np.nan, 6.0]}, index=idx)
    np.testing.assert_allclose(impute_panel(v, "linear")["x"], [2, 2, 4, 6])
    np.testing.assert_allclose(impute_panel(v, "latest")["x"], [np.nan, 2, 2, 6])
    np.testing.assert_allclose(impute_panel(v, "constant")["x"], [2, 2, 2, 6])


def test_unit_kinds():
    assert unit_kind("CHN") == "country"
    assert unit_kind("CHN-LAO") == "pair"
    assert unit_kind("CHN>LAO") == "directed_pair"
    assert unit_kind("CN-53") == "province"
    assert pair_members("CHN>LAO") == ("CHN", "LAO")


def test_cut_bins_follow_r_cut():
    # R: cut(c(0, 0.2, 0.5, 0.51, 1), 2, labels = FALSE) gives 1 1 1 2 2 (right-closed bins on the observed range)
    np.testing.assert_array_equal(cut_bins(np.array([0, 0.2, 0.5, 0.51, 1]), 2), [0, 0, 0, 1, 1])
    x = np.random.default_rng(1).random(1000)
    counts = np.bincount(cut_bins(x, 4), minlength=4)
    assert counts.min() > 200


def test_pairs_build_and_goalposts(synthetic_framework, synthetic_frame):
    df = synthetic_frame.copy()
    df["uCode"] = ["CHN-LAO", "CHN-MMR", "CHN-THA", "LAO-THA", "KHM>VNM", "VNM>KHM"]
    data = from_frame(df, synthetic_framework)
    res = build(make_spec(synthetic_framework, {"normalise": {"method": "minmax", "range": [0, 1]}}), data)
    assert data.kind == "mixed"
    assert res.scores["I"].between(0, 1).all()
    assert list(res.to_frame().columns) == ["uCode", "I", "I_rank", "A", "A_rank", "B", "B_rank"]


def test_panel_build_fixed_goalposts(synthetic_framework, synthetic_frame):
    a = synthetic_frame.assign(Time=2020)
    b = synthetic_frame.assign(Time=2021)
    for c in ("a1", "b1", "b2"):
        b[c] = b[c] * 2  # everyone improves
    b.loc[0, "a1"] = np.nan
    data = from_frame(pd.concat([a, b]), synthetic_framework)
    assert data.is_panel and data.times == (2020, 2021)
    res = build(make_spec(synthetic_framework, {"impute": "latest"}), data)
    s = res.scores["I"].unstack("Time")
    # pooled bounds: the later year scores higher for every unit; a year-by-year min-max would not show it
    assert (s[2021] > s[2020]).all()
    assert not res.stages["imputed"].isna().any().any()
    ranks = res.ranks["I"].unstack("Time")
    assert sorted(ranks[2020]) == list(range(1, 7))


def test_build_is_deterministic(synthetic_framework, synthetic_frame):
    data = from_frame(synthetic_frame, synthetic_framework)
    spec = make_spec(synthetic_framework, {"treat": "winsorise", "aggregate": {"by_level": {3: "geometric"}},
                                           "normalise": {"range": [1, 100]}})
    pd.testing.assert_frame_equal(build(spec, data).scores, build(spec, data).scores)


def test_denominate_and_screen(synthetic_framework, synthetic_frame):
    df = synthetic_frame.copy()
    df.loc[0, ["a1", "a2", "b1"]] = np.nan
    data = from_frame(df, synthetic_framework)
    spec = make_spec(synthetic_framework, {"denominate": {"by": {"a1": "pop"}}, "screen": {"min_availability": 0.5}})
    res = build(spec, data)
    assert res.removed_units == ("CHN",)
    np.testing.assert_allclose(res.stages["denominated"]["a1"].to_numpy()[1:], (df["a1"] / df["pop"])[1:])
    assert "CHN" not in res.scores.index


def test_pca_weights_within_pillars(asem):
    fw, data = asem
    res = build(make_spec(fw, {"weights": "pca"}), data)
    w = res.weights
    for p in ("Physical", "Social"):
        assert sum(w[k] for k in fw.children[p]) == pytest.approx(1)
    assert w["Conn"] == 1
