"""Back-casts: the registry, the rows each built-in check compares, and the status a scenario run reads."""

from __future__ import annotations

import numpy as np
import pytest

from lmc.flows.validation import BackCastContext, BackCastRow, checks, model_status, validate

CTX = BackCastContext(n_draws=60, seed=0)


def test_registry_lists_the_issue_back_casts():
    ids = {c.id: c.model for c in checks()}
    assert ids == {"choice_2019": "choice", "rail_speedup_2023": "choice", "trend_2019": "trend",
                   "ge_muse_2021": "ge", "freight_2023": "freight"}


def test_banded_rule():
    r = BackCastRow.banded(np.arange(1, 101, dtype=float), 50.0, event="e", calibration="c", quantity="q",
                           unit="u", source="s")
    assert (r.predicted_p05, r.predicted_median, r.predicted_p95) == pytest.approx((5.95, 50.5, 95.05))
    assert r.passed and not BackCastRow.banded(np.arange(1.0, 101.0), 99.0, event="e", calibration="c",
                                               quantity="q", unit="u", source="s").passed


def test_choice_back_cast_rows(warehouse_env):
    from lmc.flows.backcasts import choice_2019

    rows = {r.event: r for r in choice_2019(CTX)}
    assert set(rows) == {"Chinese arrivals in Thailand, 2023", "Chinese arrivals in Vietnam, 2023",
                         "Chinese arrivals in Laos, 2024", "Chinese arrivals in Thailand, 2024",
                         "Chinese arrivals in Vietnam, 2024"}
    assert rows["Chinese arrivals in Thailand, 2023"].observed == 3_510_000
    assert rows["Chinese arrivals in Laos, 2024"].observed == 1_048_034
    for r in rows.values():
        assert r.predicted_p05 < r.predicted_median < r.predicted_p95
        assert r.passed == (r.predicted_p05 <= r.observed <= r.predicted_p95)
        assert r.source.startswith(("Bangkok Post", "Vietnam Insider", "Laotian Times", "TTR Weekly"))
    # the model predicts a fall from 2019 (it can say no): Thailand 2023 well below 2019's 11 M
    assert rows["Chinese arrivals in Thailand, 2023"].predicted_p95 < 11e6


def test_rail_and_trend_back_cast_observations():
    from lmc.flows.backcasts import rail_speedup, trend_2019
    from lmc.flows.trend import fit_trend, load_observations

    (rail,) = rail_speedup(CTX)
    assert rail.observed == pytest.approx((100_000 - 41_735) / 136)
    assert rail.predicted_p05 > 0 and "seats" in rail.note
    rows = trend_2019(CTX)
    assert [r.observed for r in rows] == [2.68e9, 2.221e9, 4.56e9]
    fit = fit_trend(load_observations()[1], t0=2019, window=(2015, 2019))
    mid, lo, hi = (float(x[0]) for x in fit.prediction([2024]))
    assert (rows[2].predicted_median, rows[2].predicted_p05, rows[2].predicted_p95) == pytest.approx((mid, lo, hi))
    assert fit.n == 4 and fit.t_quantile == pytest.approx(2.919986, abs=1e-6)  # Student t, 2 df, 95th percentile


def test_ge_back_cast_rule(warehouse_env):
    from lmc.flows.backcasts import ge_muse

    (row,) = ge_muse(CTX)
    assert row.observed == pytest.approx(100 * (579.48 / 3090.0 - 1))
    assert row.passed == (row.predicted_median < 0 and row.predicted_median >= row.observed)
    # the whole link loses about the closed share, a little less once prices and partners adjust
    assert -48 < row.predicted_p05 < row.predicted_median < row.predicted_p95 < -10


def test_muse_closure_share_from_facts_before_the_event():
    """54% of China-Myanmar trade crossed by land (50-58%), 81% of it at Muse (80-82%); Muse was shut for 56 of the
    window's 155 days, then one gate reopened on trial: 36% to 100% of the window."""
    from lmc.flows.backcasts import _border_trade, muse_closed_share

    ev = next(e for e in _border_trade()["events"] if e["id"] == "muse_closure_2021")
    mid, lo, hi = muse_closed_share(ev)
    assert lo == pytest.approx(100 * 0.50 * 0.80 * 56 / 155)
    assert hi == pytest.approx(100 * 0.58 * 0.82)
    assert mid == pytest.approx(100 * 0.54 * 0.81 * (56 / 155 + 1) / 2)


def test_status_of_a_model_without_back_casts_and_cached_status(lmc_home):
    s = model_status("railway")
    assert s.state == "none" and "publishes no accounts" in s.line("railway finance model")
    t = validate(("trend",), n_draws=60)
    assert t.passed and list(t.table["check"].unique()) == ["trend_2019"]
    files = list((lmc_home / "cache" / "flows").glob("validation-trend-*.json"))
    assert len(files) == 1  # the run settled the trend model's status for later scenario runs
    assert model_status("trend", n_draws=60).state == "passed"
