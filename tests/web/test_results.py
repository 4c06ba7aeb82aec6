"""A scenario result in the page's language (lmc.web.results over lmc.flows.labels): labels for keys, names for
values, numbers by kind, and English kept (and marked) only where there is no translation."""

from __future__ import annotations

from lmc.flows.labels import missing, value
from lmc.web.results import about, cell, headline, key_label, table, validation, word

RESULT = {  # the shape of a choice-model run as the worker returns it (values from a real railway-travel-time run)
    "model": "choice", "labels": {"new_trips": {"en": "Trips created (from no trip / elsewhere)",
                                                "zh": "新增出行（来自不出行或其他目的地）"}},
    "validation": {"model": "choice", "state": "failed", "n_checks": 6,
                   "failed": ["Train border crossings per day after the 64-minute speed-up (2023-07-25)"]},
    "calibration": "Chinese arrivals and visitor trips of 2024 (sourced); conditions of 2024",
    "sector": "tourism (Chinese travellers)",
    "headline": {"validation": "failed", "change_by_destination": {"laos": 2938, "no_trip": -1842},
                 "new_trips_band": [0, 11771], "new_trips": 1842},
}


def test_keys_values_and_numbers_in_chinese():
    assert key_label(RESULT, "new_trips", "zh") == "新增出行（来自不出行或其他目的地）"  # the result's own label
    assert key_label(RESULT, "visitors_baseline", "zh") == "基准游客数"  # lmc.flows.labels
    assert key_label(RESULT, "LAO", "zh") == "老挝"
    rows = dict(headline(RESULT, "zh"))
    assert "验证" not in rows  # the state is shown above the headline, not in it
    assert rows["各目的地变化"].text == "老挝：2,938；不出行 / 其他目的地：−1,842" and rows["各目的地变化"].lang is None
    assert rows["新增出行（5%-95%）"].text == "0–11,771"
    assert cell("payback_year", 2054.5, "en").text == "2054" and cell("min_dscr", 0.26, "en").text == "0.26"
    assert cell("claim_inside_ci", True, "zh").text == "是"


def test_validation_first_and_notes_translated():
    v = validation(RESULT, "zh")
    assert (v["state"], v["label"]) == ("failed", "未通过") and "6项回溯检验中有1项未通过" in v["line"]
    assert v["failed"][0].text == "提速64分钟后每日火车过境人次（2023-07-25）" and v["failed"][0].lang is None
    assert [c.text for _, c in about(RESULT, "zh")] == ["2024年中国游客到访及出行人次（有来源）；2024年的条件",
                                                        "旅游（中国游客）"]
    assert validation({"model": "railway", "validation": {"model": "railway", "state": "none"}}, "en")[
        "line"].startswith("LCRC publishes no accounts")
    note = "baseline: equals the 2019 observation by calibration (no band); scenario: equals the 2024 observation " \
           "by calibration (no band)"
    assert value(note, "zh") == "基准：经校准等于2019年观测值（无区间）；情景：经校准等于2024年观测值（无区间）"


def test_text_without_translation_stays_english_and_says_so():
    c = word("Kunming Customs, supervised imports and exports", "zh")
    assert (c.text, c.lang) == ("Kunming Customs, supervised imports and exports", "en")
    assert word("Kunming Customs", "en").lang is None
    headers, cells = table(RESULT, [{"label": "Laos", "band_note": "scenario: equals the 2024 observation by "
                                     "calibration (no band)", "change": 2938.3}], "zh")
    assert headers == [("名称", False), ("无区间的原因", False), ("变化", True)]
    assert [c.text for c in cells[0]] == ["老挝", "情景：经校准等于2024年观测值（无区间）", "2,938"]


def test_every_shock_variable_and_railway_input_has_a_label():
    from importlib import resources

    import yaml

    from lmc.flows.scenarios import builtin_names, load_scenario

    names = {s.variable for n in builtin_names() for s in load_scenario(n).shocks}
    inputs = yaml.safe_load(resources.files("lmc.flows").joinpath("data/railway_finance.yaml").read_text())["inputs"]
    assert not missing([*names, *inputs])
