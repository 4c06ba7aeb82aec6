"""Cargo mix on the Land-Sea Corridor: containers against the value of the trade through it, from sourced
year-to-date figures; the finding explains the failed 2025 back-cast in figures, not in prose alone."""

from __future__ import annotations

import pandas as pd
import pytest

from lmc.freight import backcast, cargo_mix
from lmc.sources.freight_series import load_series


def _ytd(series: str, period: str, value: float, growth: float) -> dict:
    return {"series": series, "kind": "year_to_date", "year": int(period[:4]), "period": period, "value": value,
            "growth": growth, "source_publisher": "synthetic publisher", "source_url": "http://example.org/synthetic"}


def test_2025_value_per_container_fell_by_about_a_third():
    mix = cargo_mix.value_per_container(2025)
    assert mix is not None
    # Containers to 4 September (+72.5 %) are paired with value to 30 September (+19.3 %), not with the November
    # container total: their periods end closest together.
    assert str(mix.containers.end) == "2025-09-04" and str(mix.value.end) == "2025-09-30"
    assert mix.period_gap_days == 26
    assert mix.value_per_container_change == pytest.approx(1.193 / 1.725 - 1)
    assert mix.value_per_container_change == pytest.approx(-0.3084, abs=1e-4)
    assert mix.mix_shift


def test_no_comparison_without_both_figures():
    assert cargo_mix.value_per_container(2024) is None
    boxes_only = pd.DataFrame([_ytd("lsc_rail_sea_teu", "2030-01-01..2030-06-30", 5e5, 0.2)])
    assert cargo_mix.value_per_container(2030, boxes_only) is None


def test_containers_growing_with_value_is_no_mix_shift():
    frame = pd.DataFrame([_ytd("lsc_rail_sea_teu", "2030-01-01..2030-06-30", 5e5, 0.20),
                          _ytd("lsc_trade_value_west", "2030-01-01..2030-06-30", 300.0, 0.15)])
    mix = cargo_mix.value_per_container(2030, frame)
    assert mix is not None and mix.value_per_container_change == pytest.approx(1.15 / 1.20 - 1)
    assert not mix.mix_shift


def test_the_sentence_carries_the_figures_in_both_languages():
    mix = cargo_mix.value_per_container(2025)
    en, zh = mix.sentence("en"), mix.sentence("zh")
    assert "72.5%" in en and "19.3%" in en and "fell by about 31%" in en and "From 1 January to 4 September 2025" in en
    assert "2025年1月1日至9月4日" in zh and "72.5%" in zh and "19.3%" in zh and "下降31%" in zh


def test_the_failed_lsc_check_is_explained_with_the_cargo_mix_and_the_others_are_not():
    lsc = next(c for c in backcast.CHECKS if c.target == "lsc_total_teu" and c.year == 2025)
    text = backcast.explanation(lsc)
    assert text.startswith(lsc.leaves_out) and "value per container fell by about 31%" in text
    assert "每箱货值约下降31%" in backcast.explanation(lsc, "zh")
    other = next(c for c in backcast.CHECKS if c.target == "lsc_total_teu" and c.year == 2024)
    assert backcast.explanation(other) == ""  # no cargo-mix figures for 2024, and nothing invented


def test_the_finding_reads_the_packaged_series():
    series = load_series()
    moved = series.copy()
    moved.loc[(moved.series == "lsc_trade_value_west") & (moved.kind == "year_to_date"), "growth"] = 0.70
    mix = cargo_mix.value_per_container(2025, moved)
    assert not mix.mix_shift and mix.value_per_container_change == pytest.approx(1.70 / 1.725 - 1)


def test_the_status_of_the_freight_model_carries_the_reason_in_both_languages(lmc_home):
    """What the API and the web receive with every freight result: the failed back-cast and why, en and zh."""
    from lmc.flows.validation import failure_reason, model_status

    status = model_status("freight").to_dict()
    event = "Land-Sea Corridor rail-sea containers, 2025"
    assert status["state"] == "failed" and status["failed"] == [event]
    assert set(status["reasons"]) == {event}
    assert "value per container fell by about 31%" in status["reasons"][event]["en"]
    assert "每箱货值约下降31%" in status["reasons"][event]["zh"]
    assert failure_reason("freight", "an event no check has") == "" and failure_reason("trend", event) == ""
