"""Railway finance reads its freight from the route-choice model: cross-border tonnes per draw, turned into
Lao-section tonnes, growing after the model's last year; a freight scenario multiplies them from its year; the
fixed path stays available for comparison. Freight scenario files are checked against their bounds."""

from __future__ import annotations

import numpy as np
import pytest

from lmc.flows.errors import ScenarioError
from lmc.flows.freight_scenarios import freight_path
from lmc.flows.railway_finance import FreightPath, load_inputs, run_railway_finance
from lmc.flows.scenarios import load_scenario, run_scenario


def test_path_scope_growth_and_effect_by_hand():
    years = np.arange(2022, 2032)
    fr = np.full((2, len(years)), 9.0)
    path = FreightPath(years=(2025,), mt=np.array([[5.0], [6.0]]), source="synthetic_model", scope="cross_border",
                       grow_after=True, effect_year=2030, effect=np.array([1.5, 2.0]))
    out = path.apply(fr, years, growth_pct=np.array([10.0, 0.0]), per_cross_border=np.array([1.1, 1.0]))
    assert out[:, :3].tolist() == [[9.0] * 3, [9.0] * 3]            # before the path: the railway model's own
    assert out[0, 3] == pytest.approx(5.0 * 1.1) and out[1, 3] == 6.0  # Lao-section tonnes per cross-border tonne
    assert out[0, 5] == pytest.approx(5.5 * 1.1 ** 2)                 # grows after the last year
    assert out[0, 8] == pytest.approx(5.5 * 1.1 ** 5 * 1.5) and out[1, 8] == 12.0  # the scenario from 2030
    central = path.central()
    assert central.mt.tolist() == [5.5] and float(central.effect) == 1.75
    with pytest.raises(ScenarioError, match="freight path has 2 draws; the Monte Carlo has 3"):
        path.apply(np.zeros((3, len(years))), years)
    one_path = FreightPath(years=(2025,), mt=np.array([5.0]), source="synthetic_model", effect_year=2030,
                           effect=np.array([1.5, 2.0]))
    with pytest.raises(ScenarioError, match="freight effect has 2 draws; the Monte Carlo has 3"):
        one_path.apply(np.zeros((3, len(years))), years)


def test_railway_finance_uses_the_models_tonnes_per_draw():
    path = freight_path(50, 3)
    assert path.mt.shape == (50, 1) and path.scope == "cross_border" and path.years == (2025,)
    r = run_railway_finance(n_draws=50, seed=3, freight=path)
    # at the modes: the median 2025 cross-border tonnes x 1.08 Lao-section tonnes per cross-border tonne
    mode = load_inputs().modes()["lao_section_per_cross_border"]
    assert r.projection.set_index("year").loc[2025, "freight_mt"] == pytest.approx(np.median(path.mt) * mode)
    assert r.projection.set_index("year").loc[2023, "freight_mt"] == 4.089  # observed years keep the sourced ramp
    assert r.freight_source.startswith("freight route-choice model")
    assert r.tornado.set_index("input").loc["lao_section_per_cross_border", "swing"] > 0
    link = freight_path(50, 3, "thai-standard-gauge-link")
    assert link.effect_year == 2030 and (link.effect >= 1 - 1e-9).all() and np.median(link.effect) > 1
    with pytest.raises(ScenarioError, match="Did you mean 'thai-standard-gauge-link'"):
        freight_path(10, 0, "thai-standard-gauge")


def test_railway_finance_scenario_reads_the_model_by_default_and_the_fixed_path_on_request(lmc_home):
    spec = load_scenario("railway-finance")
    model = run_scenario(spec.model_copy(update={"options": {**spec.options, "draws": 20}}))
    fixed = run_scenario(spec.model_copy(update={"options": {**spec.options, "draws": 20,
                                                             "freight_source": "fixed"}}))
    assert model.headline["freight_source"].startswith("freight route-choice model")
    assert "back-casts pass" in model.headline["freight_model_validation"]
    assert "Where the freight tonnes come from." in model.report_md and "freight route-choice" in model.report_md
    assert fixed.headline["freight_source"].startswith("railway model (sourced ramp")
    f_model = model.tables["projection"].set_index("year")["freight_mt"]
    f_fixed = fixed.tables["projection"].set_index("year")["freight_mt"]
    assert f_model.loc[2024] == f_fixed.loc[2024] and f_model.loc[2025] != f_fixed.loc[2025]


@pytest.mark.parametrize(("options", "shocks", "message"), [
    ({}, "  - {variable: sg_link_opening_year, value: 2050}\n", r"sg_link_opening_year must be between 2026 and 2045"),
    ({}, "  - {variable: mohan_clearance_factor, value: 0}\n", r"mohan_clearance_factor must be between 0.05 and 1"),
    ({}, "  - {variable: mohan_clearance_factor, value: 0.5}\n  - {variable: sg_link_opening_year, value: 2030}\n",
     r"changes one variable"),
    ({"question": "value-added"}, "  - {variable: mohan_clearance_factor, value: 0.5}\n", r"takes no shocks"),
    ({"draws": 5}, "  - {variable: mohan_clearance_factor, value: 0.5}\n", r"options.draws: .*greater than or equal"),
    ({"question": "routes"}, "  - {variable: mohan_clearance_factor, value: 0.5}\n", r"options.question"),
])
def test_freight_scenario_files_fail_on_their_bounds(tmp_path, lmc_home, options, shocks, message):
    body = (f"name: x\ndescription: d\nmodel: freight\nyear: 2025\noptions: {options or {}}\nshocks:\n{shocks}")
    p = tmp_path / "synthetic_freight.yaml"
    p.write_text(body)
    with pytest.raises(ScenarioError, match=message):
        run_scenario(p, unvalidated=True)


def test_railway_options_refuse_a_freight_scenario_on_the_fixed_path(tmp_path):
    p = tmp_path / "synthetic_railway.yaml"
    p.write_text("name: x\ndescription: d\nmodel: railway\nyear: 2025\n"
                 "options: {freight_source: fixed, freight_scenario: thai-standard-gauge-link}\n")
    with pytest.raises(ScenarioError, match="freight_scenario needs freight_source: model"):
        load_scenario(p)
