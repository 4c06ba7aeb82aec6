"""What did Thailand's visa exemption for Chinese tourists (from 25 September 2023) do to Chinese arrivals?

Why this estimator: the destination-choice model needs a visa effect, and the one observed change of visa rule for
Chinese visitors on the corridor with public dated counts is Thailand's waiver of 2023-09-25 (made permanent and
mutual from 2024-03-01, which changed nothing for Chinese visitors to Thailand). Monthly series by nationality are
not in the mirror, so the estimate uses cumulative counts published at dates (``data/thailand_arrivals_2023.yaml``):

* China's share of all foreign arrivals in three windows of 2023: 1 January-31 July, 1 August-24 September (before
  the waiver) and 25 September-31 December (after);
* each share divided by China's share in the same season of 2019 (January-September or October-December), so that
  Europe's winter season, which lowers China's share every autumn, is not read as a visa effect;
* **high estimate**: the log change of that relative share from the whole pre-waiver period to the post-waiver
  window. It includes China's catch-up after its January 2023 reopening, so it overstates the effect;
* **low estimate**: the same, after extrapolating the pre-waiver trend of the relative share (from the two pre
  windows) to the middle of the post window, which removes a catch-up that would have continued anyway.

The effect is a log change in Chinese arrivals; the choice model draws it uniformly between the two estimates and
converts it into its visa coefficient. Using other nationalities as the comparison removes shocks common to all
arrivals (flights, the baht, Thailand's image); anything specific to China in autumn 2023 other than the waiver (the
film "No More Bets", the 3 October Bangkok mall shooting) stays in the estimate, which is why it is a range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from lmc import yamldoc


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("lmc.flows").joinpath("data/thailand_arrivals_2023.yaml").read_text(encoding="utf-8")
    return yamldoc.safe_load(text)


@dataclass(frozen=True)
class VisaEffect:
    """Log change in Chinese arrivals caused by a visa exemption: ``low`` and ``high`` estimates, and the windows."""

    low: float
    high: float
    windows: pd.DataFrame        # window, start, end, china, total, china_share, share_2019, relative_share

    @property
    def pct_range(self) -> tuple[float, float]:
        return 100 * (np.exp(self.low) - 1), 100 * (np.exp(self.high) - 1)

    def to_dict(self) -> dict[str, Any]:
        lo, hi = self.pct_range
        return {"log_low": self.low, "log_high": self.high, "pct_low": lo, "pct_high": hi,
                "windows": self.windows.assign(start=self.windows["start"].astype(str),
                                               end=self.windows["end"].astype(str)).to_dict(orient="records")}


def _windows(points: list[dict[str, Any]], year: int) -> list[tuple[dt.date, dt.date, float, float]]:
    out, prev_c, prev_t, start = [], 0.0, 0.0, dt.date(year, 1, 1)
    for p in sorted(points, key=lambda r: r["to"]):
        end = p["to"] if isinstance(p["to"], dt.date) else dt.date.fromisoformat(str(p["to"]))
        out.append((start, end, float(p["china"]) - prev_c, float(p["total"]) - prev_t))
        prev_c, prev_t, start = float(p["china"]), float(p["total"]), end + dt.timedelta(days=1)
    return out


def _mid(a: dt.date, b: dt.date) -> float:
    return (a.toordinal() + b.toordinal()) / 2


@lru_cache(maxsize=1)
def estimate_visa_effect() -> VisaEffect:
    """The low and high estimates of the waiver's effect (log change in Chinese arrivals); see the module doc."""
    raw = _raw()
    waiver = dt.date.fromisoformat(str(raw["meta"]["waiver_start"]))
    w23 = _windows(raw["cumulative_2023"], 2023)
    w19 = _windows(raw["cumulative_2019"], 2019)
    (s19_start, s19_end, c19a, t19a), (_, _, c19b, t19b) = w19
    share19 = {True: c19a / t19a, False: c19b / t19b}          # key: window inside January-September?
    rows = []
    for i, (a, b, c, t) in enumerate(w23):
        ref = share19[b <= dt.date(2023, 9, 30)]
        rows.append({"window": f"w{i + 1}", "start": a, "end": b, "china": c, "total": t, "china_share": c / t,
                     "share_2019": ref, "relative_share": (c / t) / ref, "after_waiver": a >= waiver})
    win = pd.DataFrame(rows)
    pre, post = win[~win["after_waiver"]], win[win["after_waiver"]]
    if len(pre) < 2 or len(post) != 1:
        raise ValueError("thailand_arrivals_2023.yaml: need two windows before the waiver and one after")
    ln_post = float(np.log(post["relative_share"].iloc[0]))
    pooled = float(np.log((pre["china"].sum() / pre["total"].sum()) / share19[True]))
    high = ln_post - pooled
    x = np.array([_mid(r.start, r.end) for r in pre.itertuples()])
    y = np.log(pre["relative_share"].to_numpy())
    slope = (y[-1] - y[0]) / (x[-1] - x[0])
    p = post.iloc[0]
    expected = y[-1] + slope * (_mid(p["start"], p["end"]) - x[-1])
    low = ln_post - float(expected)
    return VisaEffect(low=min(low, high), high=max(low, high), windows=win)
