"""One number formatter for the web and the reports: years, counts, shares, money and infinity, by kind."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lmc.reports.numfmt import fmt, fmt_named, kind_of


@pytest.mark.parametrize(("value", "kind", "lang", "text"), [
    (2054.5, "year", "en", "2054"),       # the "2,054.5": a year is whole, the year in which it happens
    (2065.0, "year", "en", "2065"),
    (math.inf, "year", "en", "never"),
    (math.inf, "year", "zh", "永不"),
    (math.inf, "number", "en", "∞"),
    (14205.0, "count", "en", "14,205"),   # not "14,205.00 persons"
    (8.0, "count", "en", "8"),
    (-90301.43, "count", "en", "−90,301"),
    (0.55, "share", "en", "55%"),
    (-6.8952, "pct", "en", "−6.9%"),
    (12.631, "money", "en", "US$ 12.6"),
    (-1025.6, "money", "en", "−US$ 1,026"),
    (57.234, "score", "en", "57.2"),
    (None, "count", "en", "–"),
    (float("nan"), "score", "en", "–"),
    (np.float64(3.14159), "number", "en", "3.14"),
    (np.int64(4761), "number", "en", "4,761"),
    (8.0, "number", "en", "8"),              # the "8.00 routes"
    (14205.0, "number", "en", "14,205"),     # and "14,205.00 persons"
    (14205.33, "number", "en", "14,205"),
    (2.5, "number", "en", "2.50"),
])
def test_fmt_by_kind(value, kind, lang, text):
    assert fmt(value, kind, lang) == text


@pytest.mark.parametrize(("name", "kind"), [
    ("payback_year", "year"), ("payback_p50", "year"), ("calibration_year", "year"), ("year", "year"), ("visitors_baseline", "count"),
    ("change_p05", "count"), ("welfare_pct", "pct"), ("welfare_p95", "pct"), ("share_payback_within_concession",
                                                                               "share"),
    ("claim_2030_usd_bn", "money"), ("npv_musd", "money"), ("n_draws", "count"), ("nobs", "count"),
    ("sigma", "number"), ("rail_min", "count"),
])
def test_kind_from_name(name, kind):
    assert kind_of(name) == kind


def test_named_formatting_uses_the_row_measure_and_money_units():
    assert fmt_named(2042.5, "p50", row={"measure": "debt_service_year"}) == "2042"
    assert fmt_named(12.631, "claim_2030_usd_bn") == "US$ 12.6 bn"
    assert fmt_named(-1025.6, "npv_musd") == "−US$ 1,026 m"
    assert fmt_named([11.11, 23.05], "trend_growth_ci_pct") == "11.1%–23.1%"
    assert fmt_named(12.631, "claim_2030_usd_bn", "zh") == "126.3 亿美元"
    assert fmt_named(-1025.6, "npv_musd", "zh") == "−10.3 亿美元"
