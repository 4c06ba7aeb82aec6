"""The indicator panel: units x indicators x years, with every cell flagged and traced.

Gap filling follows the one imputation policy, :mod:`lmc.indicators.imputation` (regimes around the Covid
closures, interpolation inside a regime, carrying for at most two years, nothing across regimes). Observed cells are
flagged ``observed``; values produced by a documented coding rule (e.g. Covid controls = 0 before 2020) arrive as
observed values from the indicator functions.

An indicator frame is ``unit, year, value`` with an optional ``source`` column (the source of each observed value;
otherwise the indicator's default source is used). An indicator that fills its own components (arrivals, filled per
direction) also carries ``filled, flag, source_years``; the panel takes those as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from lmc.indicators.imputation import MAX_CARRY_YEARS, ImputeMethod, fill_series, regimes_for

PANEL_COLUMNS = ["indicator", "unit", "year", "raw", "value", "flag", "source_years", "source"]


def build_panel(indicators: Mapping[str, pd.DataFrame], units: Iterable[str], years: Iterable[int],
                method: ImputeMethod = "linear", *, reopen: Mapping[str, int] | None = None,
                default_sources: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Assemble long indicator frames into a complete panel, filled by the imputation policy.

    ``reopen``: country -> reopening year (:func:`lmc.indicators.imputation.reopening_years`; default: the common
    calendar). ``default_sources``: indicator -> source label for frames without a ``source`` column.

    Returns one row per (indicator, unit, year): :data:`PANEL_COLUMNS` (``raw`` = observed value or NaN, ``value``
    after filling). Rows for units or years outside the given ones are dropped.
    """
    units = list(units)
    years_arr = np.array(sorted(set(int(y) for y in years)))
    reopen = reopen or {}
    default_sources = default_sources or {}
    cols: dict[str, list] = {c: [] for c in PANEL_COLUMNS}
    for ind, df in indicators.items():
        # observations up to MAX_CARRY_YEARS before the first panel year may be carried into it (never further)
        df = df[df["unit"].isin(units) & df["year"].between(years_arr[0] - MAX_CARRY_YEARS, years_arr[-1])]
        span = np.arange(min(years_arr[0], int(df["year"].min()) if len(df) else years_arr[0]), years_arr[-1] + 1)
        keep = np.isin(span, years_arr)
        if "source" not in df.columns:
            df = df.assign(source=default_sources.get(ind, ""))
        wide = df.groupby(["unit", "year"])["value"].mean().unstack("year").reindex(index=units, columns=span)
        src = df.groupby(["unit", "year"])["source"].first().unstack("year").reindex(index=units, columns=span)
        raw_all, src_all = wide.to_numpy(dtype=float), src.to_numpy(dtype=object)
        prefilled = {"filled", "flag"} <= set(df.columns) and method != "none"
        if prefilled:  # the indicator filled its own components (e.g. arrivals per direction)
            idx = pd.MultiIndex.from_product([units, span])
            e = df.set_index(["unit", "year"])[["filled", "flag", "source_years"]].reindex(idx)
            shape = (len(units), len(span))
            filled_all = e["filled"].to_numpy(dtype=float).reshape(shape)
            flag_all = e["flag"].to_numpy(dtype=object).reshape(shape)
            syears_all = e["source_years"].to_numpy(dtype=object).reshape(shape)
        for k, u in enumerate(units):
            raw = raw_all[k]
            if prefilled:
                val = filled_all[k]
                gap = np.isnan(val)
                flags = np.where(gap, "missing", flag_all[k]).tolist()
                syears = np.where(gap, "", syears_all[k]).tolist()
                sources = np.where(gap, "", src_all[k]).tolist()
            else:
                f = fill_series(span, raw, regimes_for(u, span, reopen), src_all[k].tolist(), method)
                val, flags, syears, sources = f.values, f.flags, f.source_years, f.sources
            n = int(keep.sum())
            cols["indicator"] += [ind] * n
            cols["unit"] += [u] * n
            cols["year"] += span[keep].tolist()
            cols["raw"] += raw[keep].tolist()
            cols["value"] += np.asarray(val, dtype=float)[keep].tolist()
            cols["flag"] += [x for x, kk in zip(flags, keep) if kk]
            cols["source_years"] += [str(x) for x, kk in zip(syears, keep) if kk]
            cols["source"] += ["" if x is None or x != x else str(x) for x, kk in zip(sources, keep) if kk]
    panel = pd.DataFrame({c: pd.Series(v, dtype=object if c in ("indicator", "unit", "flag", "source_years",
                                                                   "source") else None)
                          for c, v in cols.items()})
    panel["year"] = panel["year"].astype("int64")
    panel["raw"] = panel["raw"].astype("float64")
    panel["value"] = panel["value"].astype("float64")
    return panel[PANEL_COLUMNS]
