"""Impute missing values: cross-section mean/median (optionally within groups) or panel rules across years."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lmc.index.errors import StageError


def impute(values: pd.DataFrame, method: str, groups: pd.DataFrame | None = None, by: str | None = None
           ) -> pd.DataFrame:
    """Fill NaNs of each indicator with its mean or median, within the groups of column ``by`` if given.

    Equals COINr's ``i_mean``/``i_median`` and, with ``by``, ``i_mean_grp``/``i_median_grp``. A group with no
    observed value stays missing (there is nothing honest to fill it with).
    """
    if method == "none":
        return values
    if method in ("latest", "linear", "constant"):
        return impute_panel(values, method)
    if method not in ("mean", "median"):
        raise StageError(f"impute: unknown method {method!r}")
    out = values.copy()
    if by is None:
        stat = out.mean(axis=0) if method == "mean" else out.median(axis=0)
        return out.fillna(stat)
    if groups is None or by not in groups.columns:
        raise StageError(f"impute: group column {by!r} is not in the data")
    g = groups[by].astype(object).to_numpy()
    for key in pd.unique(g):
        rows = g == key if key is not None else pd.isna(g)
        block = out.loc[rows]
        stat = block.mean(axis=0) if method == "mean" else block.median(axis=0)
        out.loc[rows] = block.fillna(stat)
    return out


def impute_panel(values: pd.DataFrame, method: str) -> pd.DataFrame:
    """Panel imputation per unit across time (index ``(uCode, Time)``).

    ``latest``: carry the last observation forward; ``linear``: interpolate between observations and hold the
    end values constant outside them; ``constant``: the nearest observation (forward, then backward fill).
    """
    if not isinstance(values.index, pd.MultiIndex):
        raise StageError(f"impute: method {method!r} needs panel data (a 'Time' column with several years)")
    out = values.sort_index()
    parts = []
    for _, block in out.groupby(level=0, sort=False):
        if method == "latest":
            block = block.ffill()
        elif method == "constant":
            block = block.ffill().bfill()
        else:
            t = block.index.get_level_values(1).to_numpy(dtype=float)
            filled = {}
            for c in block.columns:
                y = block[c].to_numpy(dtype=float)
                ok = ~np.isnan(y)
                filled[c] = np.interp(t, t[ok], y[ok]) if ok.any() else y
            block = pd.DataFrame(filled, index=block.index, columns=block.columns)
        parts.append(block)
    return pd.concat(parts).reindex(values.index)
