"""The visa effect of Thailand's 2023 waiver, recomputed by hand from the dated counts in the curated file."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from lmc.flows.visa_effect import _raw, estimate_visa_effect


def test_effect_by_hand():
    raw = _raw()
    (jul, sep, dec) = raw["cumulative_2023"]
    (s19, d19) = raw["cumulative_2019"]
    share19_jan_sep = s19["china"] / s19["total"]
    share19_q4 = (d19["china"] - s19["china"]) / (d19["total"] - s19["total"])
    r1 = (jul["china"] / jul["total"]) / share19_jan_sep
    r2 = ((sep["china"] - jul["china"]) / (sep["total"] - jul["total"])) / share19_jan_sep
    r3 = ((dec["china"] - sep["china"]) / (dec["total"] - sep["total"])) / share19_q4
    pooled = (sep["china"] / sep["total"]) / share19_jan_sep
    high = np.log(r3) - np.log(pooled)
    mid = lambda a, b: (a.toordinal() + b.toordinal()) / 2  # noqa: E731
    m1, m2 = mid(dt.date(2023, 1, 1), jul["to"]), mid(dt.date(2023, 8, 1), sep["to"])
    m3 = mid(dt.date(2023, 9, 25), dec["to"])
    low = np.log(r3) - (np.log(r2) + (np.log(r2) - np.log(r1)) / (m2 - m1) * (m3 - m2))
    v = estimate_visa_effect()
    assert v.high == pytest.approx(high, rel=1e-12) and v.low == pytest.approx(low, rel=1e-12)
    # a waiver raised Chinese arrivals by about 10% (trend-corrected) to 27% (no trend correction)
    lo, hi = v.pct_range
    assert 9 < lo < 11 and 26 < hi < 29
    assert list(v.windows["after_waiver"]) == [False, False, True]
    assert {"publisher", "url", "accessed"} <= set(raw["meta"]["waiver_source"])
