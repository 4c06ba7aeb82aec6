"""Screen units by data availability (COINr ``Screen(unit_screen = "byNA")``)."""

from __future__ import annotations

import pandas as pd


def availability(values: pd.DataFrame) -> pd.Series:
    """Share of non-missing indicator values per unit (row)."""
    return values.notna().mean(axis=1)


def screen(values: pd.DataFrame, min_availability: float | None) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Keep units with availability >= ``min_availability``; return the kept rows and the removed unit codes."""
    if min_availability is None:
        return values, ()
    avail = availability(values)
    keep = avail >= min_availability
    removed = tuple(str(u) for u in values.index[~keep])
    return values.loc[keep], removed
