"""The indicator panel: units x indicators x years, with every filled cell flagged.

Gap filling ("imputation") is deliberately simple and explainable, per unit-indicator series:

* ``linear``: inside the observed range, linear interpolation between the nearest observed years
  (flag ``interpolated``); outside it, the nearest observed value is carried (``carried_forward`` /
  ``carried_back``). A series with no observation at all stays missing (``missing``) and the aggregation leaves it
  out (weights re-scaled over the indicators present), so nothing is invented for it.
* ``none``: nothing is filled; missing cells are left out of the aggregation.

Observed cells are flagged ``observed``; values produced by a documented coding rule (e.g. Covid controls = 0
before 2020) arrive as observed values from the indicator functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pandas as pd

ImputeMethod = Literal["linear", "none"]
FLAGS = ("observed", "interpolated", "carried_forward", "carried_back", "missing")


def fill_series(years: np.ndarray, values: np.ndarray, method: ImputeMethod = "linear") -> tuple[np.ndarray, list[str]]:
    """Fill one series (values aligned with sorted ``years``; NaN = missing). Returns values and per-year flags."""
    v = values.astype(float).copy()
    obs = ~np.isnan(v)
    flags = ["observed" if o else "missing" for o in obs]
    if method == "none" or obs.all() or not obs.any():
        return v, flags
    yo, vo = years[obs], v[obs]
    for i in np.where(~obs)[0]:
        y = years[i]
        if y < yo[0]:
            v[i], flags[i] = vo[0], "carried_back"
        elif y > yo[-1]:
            v[i], flags[i] = vo[-1], "carried_forward"
        else:
            v[i], flags[i] = float(np.interp(y, yo, vo)), "interpolated"
    return v, flags


def build_panel(indicators: Mapping[str, pd.DataFrame], units: Iterable[str], years: Iterable[int],
                method: ImputeMethod = "linear") -> pd.DataFrame:
    """Assemble long indicator frames (``unit, year, value``) into a complete panel.

    Returns one row per (indicator, unit, year): ``indicator, unit, year, raw`` (observed value or NaN),
    ``value`` (after filling) and ``flag`` (one of :data:`FLAGS`). Rows for units or years outside the given
    ones are dropped.
    """
    units = list(units)
    years_arr = np.array(sorted(set(int(y) for y in years)))
    out = []
    for ind, df in indicators.items():
        wide = (df.groupby(["unit", "year"])["value"].mean().unstack("year")
                if len(df) else pd.DataFrame(index=pd.Index([], name="unit")))
        wide = wide.reindex(index=units, columns=years_arr)
        prefilled = "filled" in df.columns and "flag" in df.columns
        if prefilled:  # the indicator filled its own components (e.g. arrivals per direction)
            fw = df.pivot(index="unit", columns="year", values="filled").reindex(index=units, columns=years_arr)
            fl = df.pivot(index="unit", columns="year", values="flag").reindex(index=units, columns=years_arr)
        for u in units:
            raw = wide.loc[u].to_numpy(dtype=float)
            if prefilled and method != "none":
                val = fw.loc[u].to_numpy(dtype=float)
                flags = [("missing" if np.isnan(v) else ("observed" if not isinstance(f, str) else f))
                         for v, f in zip(val, fl.loc[u])]
            else:
                val, flags = fill_series(years_arr, raw, method)
            out.append(pd.DataFrame({"indicator": ind, "unit": u, "year": years_arr, "raw": raw, "value": val,
                                     "flag": flags}))
    if not out:
        return pd.DataFrame(columns=["indicator", "unit", "year", "raw", "value", "flag"])
    panel = pd.concat(out, ignore_index=True)
    panel["indicator"] = panel["indicator"].astype(object)
    panel["unit"] = panel["unit"].astype(object)
    panel["flag"] = panel["flag"].astype(object)
    return panel


def coverage(panel: pd.DataFrame) -> pd.DataFrame:
    """Share of cells per indicator by flag (the audit's imputation table)."""
    t = panel.groupby(["indicator", "flag"]).size().unstack("flag", fill_value=0)
    for f in FLAGS:
        if f not in t.columns:
            t[f] = 0
    t = t[list(FLAGS)]
    t["cells"] = t.sum(axis=1)
    t["observed_share"] = t["observed"] / t["cells"]
    return t.reset_index()
