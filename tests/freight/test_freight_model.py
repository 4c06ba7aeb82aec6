"""The route-choice model: logit properties, calibration reproduces its targets, capacity binds, inputs validate
with file:line: field errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lmc.errors import LmcError
from lmc.freight.inputs import load_inputs, package_path
from lmc.freight.model import (
    Conditions,
    _setup,
    _subset,
    _with_constants,
    alternatives,
    availability,
    band,
    clr_capacity_mt,
    lsc_other_teu,
    draw_inputs,
    fit,
    logit_shares,
    route_costs,
    tonnes_by_year,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-20, 20), min_size=6, max_size=6), st.integers(0, 5), st.floats(0.01, 50))
def test_a_cost_increase_never_raises_a_routes_share_and_shares_sum_to_one(v, j, increase):
    groups = np.array([0, 0, 0, 1, 1, 1])
    avail = np.array([True] * 6)
    u = np.array([v])
    p0 = logit_shares(u, groups, avail)
    u1 = u.copy()
    u1[0, j] -= increase  # a higher generalised cost lowers utility
    p1 = logit_shares(u1, groups, avail)
    assert p1[0, j] <= p0[0, j] + 1e-12
    others = [k for k in range(6) if groups[k] == groups[j] and k != j]
    assert all(p1[0, k] >= p0[0, k] - 1e-12 for k in others)
    for p in (p0, p1):
        assert np.allclose([p[0, :3].sum(), p[0, 3:].sum()], 1.0)


def test_unavailable_routes_get_nothing_and_overflow_is_safe():
    p = logit_shares(np.array([[900.0, 1000.0, 5.0]]), np.array([0, 0, 0]), np.array([True, False, True]))
    assert p[0, 1] == 0 and p[0].sum() == pytest.approx(1.0) and p[0, 0] == pytest.approx(1.0)


def test_thai_rail_route_is_unavailable_before_2023():
    inp = load_inputs()
    alts = alternatives(inp)
    thai = [a.route == "clr_thai_rail" for a in alts]
    assert not availability(alts, Conditions(2022))[thai].any()
    assert availability(alts, Conditions(2023))[thai].all()


def test_generalised_cost_by_hand_for_the_central_draw():
    inp = load_inputs()
    d = draw_inputs(inp, 1, central=True)
    (alt,) = [a for a in alternatives(inp) if a.od == "KMG-VTE" and a.route == "clr_vte"]
    gc, tariff, hours = route_costs(inp, d, [alt], Conditions(2024))
    # 1,035 km x road 1.4 x rail/road 0.55 + rail border fee 30; hours 26 + clearance 5 + wait 12/17.3
    assert tariff[0, 0] == pytest.approx(1035 * 1.4 * 0.55 + 30)
    assert hours[0, 0] == pytest.approx(26 + 5 + 12 / 17.3)
    assert gc[0, 0] == pytest.approx(tariff[0, 0] + 2.0 * hours[0, 0])


def test_calibration_reproduces_every_target_in_the_base_year(model):
    d = _subset(model.draws, model.valid)
    st_ = _setup(model.inputs, d, model.alts, Conditions(model.base_year))
    flows = st_.demand * logit_shares(_with_constants(st_, {g: a[model.valid] for g, a in model.asc.items()}),
                                      st_.groups, st_.avail)
    assert np.allclose(flows[:, st_.group_cols["clr"]].sum(1), d["calib:clr_cross_border_mt"], rtol=1e-6)
    assert np.allclose(flows[:, st_.group_cols["road_mohan"]].sum(1), d["calib:mohan_road_mt"], rtol=1e-6)
    assert np.allclose(flows[:, st_.group_cols["road_hekou"]].sum(1), d["calib:hekou_road_mt"], rtol=1e-6)
    lsc_teu = flows[:, st_.group_cols["lsc"]].sum(1) * 1e6 / d["param:tonnes_per_teu"]
    assert np.allclose(lsc_teu / d["param:lsc_in_market_share"], 861000, rtol=1e-6)
    assert model.n >= 50


def test_capacity_caps_the_railway_and_follows_counted_trains(model):
    for y in (2022, 2023, 2024, 2025):
        v = model.predict(y)
        assert np.all(v.clr_mt <= v.clr_capacity_mt * (1 + 1e-6))
        assert np.all((v.shadow_usd > 0) == (np.isclose(v.clr_mt, v.clr_capacity_mt, rtol=1e-4)))
    # By hand for the central draw: 4.0 Mt in 2023 on 12.7 trains a day of 2,250 t; 2022 ran 8.6 a day of 2,000 t;
    # headroom 1.1.
    d = draw_inputs(load_inputs(), 1, central=True)
    assert clr_capacity_mt(d, 2022, 2023)[0] == pytest.approx(4.0 * 8.6 / 12.7 * 2000 / 2250 * 1.1)
    assert clr_capacity_mt(d, 2023, 2023)[0] == pytest.approx(4.0 * 1.1)
    assert np.all(clr_capacity_mt(model.draws, 2023, 2023) >= model.draws["calib:clr_cross_border_mt"])
    assert model.valid.all()  # every draw can reproduce the base year, so none is set aside


def test_land_sea_corridor_total_is_the_modelled_part_plus_its_network_growth(model):
    v23, v25 = model.predict(2023), model.predict(2025)
    assert np.allclose(v23.lsc_total_teu, 861000, rtol=1e-6)  # the base year reproduces its observed total
    d = draw_inputs(load_inputs(), 1, central=True)
    # central draw, 2025: the other 94 % of 861,000 TEU grow with cities served, 74.5 / 62, elasticity 1
    assert lsc_other_teu(d, 2025, 2023)[0] == pytest.approx(861000 * (1 - 0.06) * 74.5 / 62)
    assert np.isnan(lsc_other_teu(d, 2022, 2023)).all()
    assert np.median(v25.lsc_total_teu) > np.median(v23.lsc_total_teu)


def test_draws_are_reproducible_and_depend_on_the_seed():
    inp = load_inputs()
    a, b, c = draw_inputs(inp, 50, seed=3), draw_inputs(inp, 50, seed=3), draw_inputs(inp, 50, seed=4)
    assert np.array_equal(a["param:value_of_time"], b["param:value_of_time"])
    assert not np.array_equal(a["param:value_of_time"], c["param:value_of_time"])
    lo, mode, hi = inp.parameters["value_of_time"].bounds
    assert lo <= a["param:value_of_time"].min() and a["param:value_of_time"].max() <= hi


def test_tonnes_by_year_for_railway_finance(model):
    t = tonnes_by_year(model, range(2022, 2028))
    df = t.to_frame()
    assert list(df.year) == list(range(2022, 2028))
    assert (df.p5 <= df["median"]).all() and (df["median"] <= df.p95).all()
    assert list(df.basis) == ["model"] * 4 + ["projection"] * 2
    assert df.loc[df.year == 2027, "median"].item() == df.loc[df.year == 2025, "median"].item()
    assert df.loc[df.year == 2024, "median"].item() == pytest.approx(band(model.predict(2024).clr_mt)[1])


def test_a_cheaper_railway_raises_its_tonnes(model):
    """Same draws, lower rail rate: predicted railway tonnes cannot fall (computed, not fixed)."""
    base = model.predict(2025).clr_mt
    values = dict(model.draws.values)
    values["param:rail_vs_road"] = values["param:rail_vs_road"] * 0.8
    cheaper = type(model)(model.inputs, type(model.draws)(model.draws.n, model.draws.seed, values), model.alts,
                          model.asc, model.base_year, model.valid).predict(2025).clr_mt
    assert np.all(cheaper >= base - 1e-9) and np.median(cheaper - base) > 0


def _bad_inputs(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(package_path().read_text(encoding="utf-8"))
    change(data)
    p = tmp_path / "routes.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["routes"]["clr_vte"].__setitem__("legs", ["kmg_vte_rial"]),
     "routes.clr_vte.legs.0: unknown leg 'kmg_vte_rial'. Did you mean 'kmg_vte_rail'"),
    (lambda d: d["parameters"]["value_of_time"].__setitem__("mode", 9.0), "parameters.value_of_time: need low <= mode"),
    (lambda d: d["legs"]["kmg_vte_rail"].__setitem__("src", "lmx_2021"), "legs.kmg_vte_rail.src: unknown reference"),
    (lambda d: d["od_routes"]["KMG-VTE"][0].__setitem__("route", "clr_vtee"), "od_routes.KMG-VTE.0.route"),
    (lambda d: d["parameters"].pop("load_headroom"), "missing parameter 'load_headroom'"),
    (lambda d: d["years"][2023].pop("lsc_cities"), "the base year needs lsc_cities"),
    (lambda d: d["years"][2024]["rail_border_hours"].__setitem__("low", 1), "give either 'value' or a range"),
])
def test_bad_inputs_name_file_line_and_field(tmp_path, change, words):
    p = _bad_inputs(tmp_path, change)
    with pytest.raises(LmcError) as exc:
        load_inputs(p)
    assert str(p) in str(exc.value) and words in str(exc.value), str(exc.value)


def test_fit_is_deterministic():
    a, b = fit(n=40, seed=11), fit(n=40, seed=11)
    assert np.array_equal(a.valid, b.valid)
    assert np.allclose(a.asc["clr"][a.valid], b.asc["clr"][b.valid])


def test_vientiane_pairs_follow_china_laos_trade_and_others_china_asean():
    from lmc.freight.model import _demand

    inp = load_inputs()
    d = draw_inputs(inp, 1, central=True)
    alts = alternatives(inp)
    d23, d24 = _demand(inp, d, alts, Conditions(2023)), _demand(inp, d, alts, Conditions(2024))
    ratio = d24[0] / d23[0]
    vte = np.array([a.od.endswith("-VTE") for a in alts])
    # Lao exports to China +21.4 %, imports +9.8 %, weighted 79 / 21 by the railway's direction
    assert np.allclose(ratio[vte], 1.190) and 0.79 * 1.214 + 0.21 * 1.098 == pytest.approx(1.190, abs=5e-4)
    assert np.allclose(ratio[~vte], 1.045)


def test_the_2022_covid_queue_applies_to_mohan_road_routes_only():
    inp = load_inputs()
    d = draw_inputs(inp, 1, central=True)
    legs_only = {a.route: a for a in alternatives(inp)}
    gc24 = route_costs(inp, d, [legs_only["road_mohan_vte"]], Conditions(2024))[2][0, 0]
    gc22 = route_costs(inp, d, [legs_only["road_mohan_vte"]], Conditions(2022))[2][0, 0]
    assert gc22 - gc24 == pytest.approx(48.0)  # the mode of the 2022 queue; border hours are the same both years
    hek24 = route_costs(inp, d, [legs_only["road_hekou"]], Conditions(2024))[2][0, 0]
    hek22 = route_costs(inp, d, [legs_only["road_hekou"]], Conditions(2022))[2][0, 0]
    assert hek22 == hek24
