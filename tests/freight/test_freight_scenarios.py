"""The three freight scenarios: typed results with English and Chinese labels, paired changes that follow from the
model, and a value-added check that says what the data cannot support."""

from __future__ import annotations

import numpy as np
import pytest

from lmc.errors import LmcError
from lmc.freight import scenarios
from lmc.freight.model import Conditions


@pytest.fixture(scope="module")
def border(model):
    return scenarios.run("freight-border-time-halved", {"year": 2025}, model=model)


@pytest.fixture(scope="module")
def thai(model):
    return scenarios.run("thai-standard-gauge-link", {"opening_year": 2028}, model=model)


@pytest.fixture(scope="module")
def value_added():
    return scenarios.run("yunnan-value-added")


def test_every_result_has_labels_in_english_and_chinese(border, thai, value_added):
    for r in (border, thai, value_added):
        assert set(r.columns) == set(r.table.columns)
        assert all(en and zh and en != zh for en, zh in r.columns.values())
        assert r.headline and r.headline_zh and r.title_zh
        d = r.to_dict()
        assert d["name"] == r.name and len(d["rows"]) == len(r.table)
        assert r.labels("zh")[next(iter(r.columns))] == next(iter(r.columns.values()))[1]


def test_border_halving_moves_freight_to_mohan_routes(model, border):
    t = border.table.set_index("quantity")
    rail, road = t.loc["China-Laos Railway, cross-border"], t.loc["Road through Mohan"]
    assert rail.change_p05 >= -1e-9 and road.change_p05 >= -1e-9
    assert t.loc["Road through Hekou"].change_median == pytest.approx(0, abs=1e-9)
    # The change is the model's: recompute the railway's median paired difference directly.
    base = model.predict(Conditions(2025)).clr_mt
    scen = model.predict(Conditions(2025, rail_border_factor=0.5, mohan_road_border_factor=0.5)).clr_mt
    assert rail.change_median == pytest.approx(float(np.median(scen - base)))
    assert border.calibration_year == model.base_year and border.validated is not None
    assert "back-casts pass" in border.validation


def test_thai_link_changes_nothing_before_it_opens(thai):
    t = thai.table.set_index("year")
    assert t.loc[2027, "clr_change_mt"] == 0 and not t.loc[2027, "link_open"]
    assert t.loc[2028, "link_open"] and t.loc[2028, "clr_change_p05"] >= -1e-9
    assert t.loc[2028, "clr_change_mt"] > 0


def test_value_added_is_not_estimated_and_says_what_data_would(value_added):
    assert value_added.estimable is False and len(value_added.needed) >= 3
    t = value_added.table
    share_2025 = t[(t.period == "2025") & t.measure.str.startswith("Cross-border share")].value.item()
    assert share_2025 == pytest.approx(5.46 / 24.48)
    lower = t[(t.period == "2025") & t.measure.str.startswith("Lower bound")].value.item()
    assert lower == pytest.approx(1 - 5.46 / 24.48)


def test_unknown_scenario_and_bad_parameters(model):
    with pytest.raises(LmcError, match="Did you mean 'thai-standard-gauge-link'"):
        scenarios.run("thai-standard-gauge", model=model)
    with pytest.raises(LmcError, match="factor"):
        scenarios.run("freight-border-time-halved", {"factor": 0}, model=model)
    with pytest.raises(LmcError, match="unknown year"):
        scenarios.run("freight-border-time-halved", {"year": 2019}, model=model)
