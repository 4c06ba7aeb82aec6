"""Back-casts are computed from the model and compared with the freight series; pass means inside the 90 % band."""

from __future__ import annotations

import numpy as np
import pytest

from lmc.freight import backcast
from lmc.freight.model import band


@pytest.fixture(scope="module")
def results(model):
    return backcast.run(model)


def test_observed_values_come_from_the_freight_series(results):
    obs = {(r.target, r.year): r.observed for r in results}
    assert obs[("clr_mt", 2022)] == pytest.approx(2.1639)          # Kunming Customs 2023 / 1.9491
    assert obs[("clr_mt", 2024)] == pytest.approx(4.631)           # China Railway 2025 / 1.179
    assert obs[("clr_mt", 2025)] == pytest.approx(5.46)
    assert obs[("mohan_road_mt", 2022)] == pytest.approx(5.67 - 2.1639)
    assert obs[("lsc_total_teu", 2024)] == 960000 and obs[("lsc_total_teu", 2025)] == 1425000
    assert all(r.source.startswith("http") for r in results)


def test_predictions_are_the_models_and_pass_means_inside_the_band(model, results):
    for r in results:
        lo, med, hi = band(getattr(model.predict(r.year), r.target))
        assert (r.predicted_p5, r.predicted_median, r.predicted_p95) == pytest.approx((lo, med, hi))
        assert r.passed == (lo <= r.observed <= hi)
        assert r.calibration_year == model.base_year != r.year


def test_predictions_respond_to_what_changed_between_years(model):
    """Railway tonnes in 2022 are capped by that year's counted trains in a large share of draws: the cap, not a
    fixed number, sets them there; the Land-Sea Corridor's total grows with its network."""
    v22, v23, v24 = model.predict(2022), model.predict(2023), model.predict(2024)
    assert np.median(v22.clr_mt) < np.median(v23.clr_mt)
    assert np.mean(v22.shadow_usd > 0) > 0.25
    assert np.all(v22.clr_mt <= v22.clr_capacity_mt * (1 + 1e-6))
    assert np.median(v24.lsc_total_teu) > np.median(v23.lsc_total_teu)
    assert np.all(np.isnan(v22.lsc_total_teu))  # no 2022 network figure: no 2022 total, rather than a guess


def test_results_table_has_the_validation_columns(results):
    df = backcast.to_frame(results)
    assert {"model", "event", "calibration_year", "predicted_median", "predicted_p5", "predicted_p95", "observed",
            "source", "passed"} <= set(df.columns)
    assert len(df) == len(backcast.CHECKS)


def test_freight_back_casts_are_registered_with_the_others(lmc_home):
    """``lmc scenario validate`` runs them: one validation row per freight check, from at least 10,000 draws, and
    the freight model's status names the failed check (the scenario gate reads it)."""
    from lmc.flows.validation import model_status, validate

    res = validate(("freight",), n_draws=50)
    t = res.to_frame()
    assert list(t["check"].unique()) == ["freight_2023"] and len(t) == len(backcast.CHECKS)
    assert t["note"].str.contains("10,000 calibrated draws").all()
    assert set(t["rule"]) == {"observed inside the 90% band"}
    assert (t["passed"] == ((t["predicted_p05"] <= t["observed"]) & (t["observed"] <= t["predicted_p95"]))).all()
    status = model_status("freight", n_draws=50)
    assert status.n_checks == len(backcast.CHECKS)
    assert set(status.failed) == set(t.loc[~t["passed"], "event"])
