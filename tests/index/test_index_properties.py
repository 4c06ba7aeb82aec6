"""Property tests: the vectorised aggregation kernel equals COINr's row-by-row formulas on random inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lmc.index.aggregate import aggregate_node
from lmc.index.results import rank_desc

values = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5)),
                elements=st.one_of(st.floats(0.5, 100), st.just(np.nan)))


def coinr_amean(x, w):
    ok = ~np.isnan(x)
    return np.nan if not ok.any() else np.sum(x[ok] * (w[ok] / w[ok].sum()))


def coinr_gmean(x, w):
    ok = ~np.isnan(x)
    return np.nan if not ok.any() else np.exp(np.sum(w[ok] * np.log(x[ok])) / w[ok].sum())


@settings(max_examples=150, deadline=None)
@given(x=values, data=st.data())
def test_kernel_equals_row_formulas(x, data):
    k = x.shape[1]
    w = np.array(data.draw(st.lists(st.floats(0.1, 5), min_size=k, max_size=k)))
    w2 = np.vstack([w, w[::-1]])  # two weight sets at once
    for method, ref in (("arithmetic", coinr_amean), ("geometric", coinr_gmean)):
        got = aggregate_node(x[:, :, None], w2, method)
        for d in range(2):
            want = np.array([ref(row, w2[d]) for row in x])
            np.testing.assert_allclose(got[:, d], want, rtol=1e-12, atol=1e-12, equal_nan=True)


@settings(max_examples=100, deadline=None)
@given(x=arrays(np.float64, st.integers(1, 30), elements=st.integers(0, 5).map(float)))
def test_min_ranks(x):
    r = rank_desc(x)
    for i in range(x.size):
        assert r[i] == 1 + np.sum(x > x[i])
