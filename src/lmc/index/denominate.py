"""Denominate: divide each indicator by its denominator (e.g. GDP, population) to compare units of any size."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lmc.index.errors import StageError


def denominate(values: pd.DataFrame, denominators: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """Return ``values`` with each column in ``mapping`` divided by its denominator column (COINr ``Denominate``).

    A zero denominator gives a missing value rather than an infinity, and is reported if it would hit a value.
    """
    out = values.copy()
    for ind, den in mapping.items():
        if den not in denominators.columns:
            raise StageError(f"denominate: indicator {ind!r} needs denominator {den!r}, which is not in the data")
        d = denominators[den].to_numpy(dtype=float)
        x = out[ind].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            y = x / d
        y[~np.isfinite(y)] = np.nan
        out[ind] = y
    return out
