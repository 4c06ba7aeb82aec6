"""Destination choice with a no-trip option: provenance of every input, exact calibration, capacity, visa effect."""

from __future__ import annotations

import numpy as np
import pytest

from lmc.flows.choice import (OUTSIDE, Shock, _nested_shares, _target_noise, apply_shocks, calibrate, draw,
                              expand_destinations, load_choice_data, predict_arrivals, run_year, served, simulate,
                              year_states)
from lmc.flows.errors import ConvergenceError, ScenarioError


@pytest.fixture()
def data(warehouse_env):
    """The choice model's inputs; its visa effect and targets come from the warehouse (cached after the first)."""
    return load_choice_data()


def _has_basis(rec: dict) -> bool:
    if "source" in rec:
        return {"publisher", "url", "accessed"} <= set(rec["source"])
    return "assumption" in rec or "derived" in rec


def test_every_input_is_sourced_derived_or_an_assumption(data):
    raw = data.raw
    for seg, by_dest in raw["modes"].items():
        for dest, modes in by_dest.items():
            for mode, attrs in modes.items():
                for var in ("time_h", "cost_cny"):
                    assert _has_basis(attrs[var]), f"{seg}.{dest}.{mode}.{var}"
                    r = attrs[var]
                    assert r.get("low", r["value"]) <= r["value"] <= r.get("high", r["value"])
    for year, targets in raw["targets"].items():
        for dest, t in targets.items():
            assert {"publisher", "url", "accessed"} <= set(t["source"]) and 0 < t["cv"] < 1, (year, dest)
    for k, p in raw["parameters"].items():
        assert _has_basis(p) and p["low"] <= p["value"] <= p["high"], k
    for name, by_year in raw["indices"].items():
        for y, r in by_year.items():
            assert y == 2019 or _has_basis(r), (name, y)
    for year, periods in data.periods.items():  # dated periods tile the year exactly
        assert periods[0].start.month == 1 and periods[0].start.day == 1 and periods[-1].end.day == 31
        assert all((b.start - a.end).days == 1 for a, b in zip(periods, periods[1:])), year


def test_nested_shares_plain_logit_limit():
    """With dissimilarity 1 the nested logit is a multinomial logit with the outside option at utility 0."""
    V = np.array([[[0.5, -1.0, 1.0, 0.2]]])
    P, P0 = _nested_shares(V, np.array([0, 0, 1, 1]), np.array([1.0]))
    e = np.exp(np.r_[0.0, V.ravel()])
    np.testing.assert_allclose(np.r_[P0.ravel(), P.ravel()], e / e.sum(), rtol=1e-12)


def test_served_hand_values():
    # no daily variation: min(demand, capacity); unlimited capacity: all demand
    assert served(np.array([100.0]), 80.0, 1e-9)[0] == pytest.approx(80.0, rel=1e-6)
    assert served(np.array([60.0]), 80.0, 1e-9)[0] == pytest.approx(60.0, rel=1e-6)
    assert served(np.array([60.0]), np.inf, 0.3)[0] == 60.0
    # lognormal E[min(X, C)], C = mean demand, cv 0.3: D(Phi(-s/2) ... ) by hand
    s = np.sqrt(np.log1p(0.09))
    from scipy.stats import norm
    expect = 100 * norm.cdf(-s / 2) + 100 * norm.sf(s / 2)
    assert served(np.array([100.0]), 100.0, 0.3)[0] == pytest.approx(expect, rel=1e-12)
    assert served(np.array([100.0]), 100.0, 0.3)[0] < 100  # peaks cannot be carried


@pytest.mark.parametrize("year", [2019, 2024])
def test_calibration_reproduces_the_drawn_targets(data, year):
    d = draw(data, 40, seed=3)
    cal = calibrate(data, d, year)
    trips = run_year(data, d, cal, year_states(data, d, year), np.zeros((d.n, len(data.destinations)))).trips
    np.testing.assert_allclose(trips.sum(axis=3), cal.targets, rtol=1e-6)
    if year in data.rail_targets:  # and the train's southbound Chinese trips, each draw's target
        per_day, cv = data.rail_targets[year]
        rail = trips[:, :, data.index("laos"), 1].sum(axis=1)
        assert cal.rail_k is not None
        np.testing.assert_allclose(rail, per_day * 365 / 2 * d.rail_share * _target_noise(d, cv, d.rail_z), rtol=1e-6)
    # the targets are the sourced values with measurement noise: the central draw is exact
    c = draw(data, 0)
    cal0 = calibrate(data, c, year)
    np.testing.assert_allclose(cal0.targets.sum(axis=1)[0], data.targets[year][0], rtol=1e-12)


def test_demand_can_say_no(data):
    """Closing the three countries abroad: their visitors are 0 and most of them take no trip at all (the outside
    option), rather than all going to Yunnan as in a closed market."""
    abroad = expand_destinations(["abroad"], data)
    r = simulate(data, calibration_year=2019, year=2019, shocks=[Shock("available", 0, "set", abroad)], n_draws=0)
    t = r.to_frame().set_index("destination")
    assert (t.loc[list(abroad), "visitors_scenario"] == 0).all()
    lost = -t.loc[list(abroad), "change"].sum()
    to_yunnan = t.loc[["xishuangbanna", "puer"], "change"].sum()
    assert lost > 1e7 and 0 < to_yunnan < 0.25 * lost
    assert t.loc[OUTSIDE, "change"] == pytest.approx(lost - to_yunnan, rel=1e-9)


def test_visa_coefficient_reproduces_the_estimated_effect(data):
    """Removing Thailand's visa requirement raises the rest of China's trips to Thailand by about the estimated
    effect (the model converts the estimate into its coefficient at the calibrated shares)."""
    tha = ("thailand",)
    r = simulate(data, calibration_year=2019, year=2019, shocks=[Shock("visa_required", 0, "set", tha)], n_draws=0)
    seg = r.by_segment.set_index(["segment", "destination"]).loc[("rest_of_china", "thailand")]
    ve = data.visa_effect
    assert np.log(seg["visitors_scenario"] / seg["visitors_baseline"]) == pytest.approx((ve.low + ve.high) / 2, rel=0.05)


def test_train_use_is_calibrated_and_seats_bind_when_short(data):
    """2024: the international train carries what the border counts say (617 crossings a day, one direction, the
    Chinese share of seats), so it runs about two-thirds full, as observed; seats bind only when they are short, and
    then a faster train adds far fewer travellers. With no seats nobody goes by train."""
    faster = [Shock("travel_time_h", -1.0, "add", ("laos",), ("rail",))]
    none = simulate(data, calibration_year=2024, year=2024, n_draws=0,
                    shocks=[Shock("rail_seats_per_train", 0, "set")]).by_mode.set_index(["destination", "mode"])
    assert none.loc[("laos", "rail"), "visitors_scenario"] == 0
    rail = simulate(data, calibration_year=2024, year=2024, n_draws=0,
                    shocks=faster).by_mode.set_index(["destination", "mode"]).loc[("laos", "rail")]
    per_day, _cv = data.rail_targets[2024]
    assert rail["visitors_baseline"] == pytest.approx(per_day * 365 / 2 * data.params["rail_chinese_share"].value,
                                                      rel=1e-6)
    assert 55 < rail["seat_use_baseline_pct"] < 75 and rail["seat_use_scenario_pct"] <= 100
    assert 0.02 * rail["visitors_baseline"] < rail["change"] < 0.15 * rail["visitors_baseline"]
    short = simulate(data, calibration_year=2024, year=2024, n_draws=0, shocks=faster,
                     baseline_shocks=[Shock("rail_seats_per_train", 0.5, "scale")]).by_mode.set_index(
                         ["destination", "mode"]).loc[("laos", "rail")]
    assert short["seat_use_baseline_pct"] > 90 and 0 < short["change"] < 0.3 * rail["change"]


def test_calibrated_state_has_no_band_and_says_why(data):
    r = simulate(data, calibration_year=2024, year=2024, n_draws=20,
                 baseline_shocks=[Shock("visa_required", 1, "set", ("thailand",))],
                 shocks=[Shock("visa_required", 0, "set", ("thailand",))])
    t = r.to_frame().set_index("destination")
    assert r.fixed == ("scenario",)
    assert t.loc["thailand", "visitors_scenario"] == pytest.approx(data.targets[2024][0][data.index("thailand")])
    assert np.isnan(t.loc["thailand", "visitors_scenario_p05"]) and "calibration" in t.loc["thailand", "band_note"]
    assert t.loc["thailand", "change_p05"] > 0 and not np.isnan(t.loc["thailand", "visitors_baseline_p05"])


def test_back_cast_prediction_uses_2023_conditions(data):
    central, draws = predict_arrivals(data, 2019, 2023, n_draws=30)
    i = data.index("thailand")
    assert draws.shape == (30, len(data.destinations))
    assert central[i] < data.targets[2019][0][i] * 0.6  # fewer passport trips abroad in 2023
    assert central[data.index("xishuangbanna")] == pytest.approx(data.targets[2019][0][data.index("xishuangbanna")],
                                                                  rel=0.01)


def test_bad_shocks_and_names(data):
    with pytest.raises(ScenarioError, match=r"unknown destination 'luang_prabang'.*Valid:"):
        expand_destinations(["luang_prabang"], data)
    d = draw(data, 0)
    st = year_states(data, d, 2024)
    with pytest.raises(ScenarioError, match=r"visa_required.*allowed range 0 to 1"):
        apply_shocks(data, st, [Shock("visa_required", 5, "set", ("thailand",))])
    with pytest.raises(ScenarioError, match=r"travel_time_h.*allowed range 0 to 72"):
        apply_shocks(data, st, [Shock("travel_time_h", -30, "add", ("laos",), ("rail",))])
    with pytest.raises(ScenarioError, match=r"unknown mode 'boat'"):
        apply_shocks(data, st, [Shock("travel_time_h", 1, "add", ("laos",), ("boat",))])
    with pytest.raises(ScenarioError, match=r"unknown conditions year '2018'"):
        year_states(data, d, 2018)


def test_calibration_non_convergence_carries_log(data):
    with pytest.raises(ConvergenceError, match=r"did not converge.*iteration log.*it=1") as exc:
        calibrate(data, draw(data, 0), 2024, maxiter=2)
    assert exc.value.log
