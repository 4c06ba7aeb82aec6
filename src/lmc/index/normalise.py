"""Normalise indicators onto a common scale (COINr's ``n_*`` functions), directions applied.

Every function takes the column ``x`` and optionally ``ref`` (the values the bounds come from: the same column for
a cross-section, all years of the panel for fixed goalposts). Directions: values are multiplied by the indicator's
direction first (so "lower is better" becomes "higher is better"), except for ``goalposts`` and ``dist_target``
whose formulas use the direction explicitly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lmc.index.errors import StageError
from lmc.index.spec import NormaliseSpec


def _span(code: str, lo: float, hi: float) -> float:
    if not hi > lo:
        raise StageError(f"normalise: indicator {code!r} has no spread (min = max = {lo}); cannot rescale it")
    return hi - lo


def normalise_column(code: str, x: np.ndarray, direction: int, spec: NormaliseSpec, *, ref: np.ndarray | None = None,
                     target: float | None = None, goalposts: tuple[float, float] | None = None,
                     ref_index: int | None = None) -> np.ndarray:
    """Normalise one column; see :class:`lmc.index.spec.NormaliseSpec` for the methods."""
    m = spec.method
    r = x if ref is None else ref
    if m == "none":
        return x.copy()
    if np.isnan(r).all():
        raise StageError(f"normalise: indicator {code!r} has no values at all; drop it from the framework or impute")
    if m == "goalposts":
        if goalposts is None:
            raise StageError(f"normalise: indicator {code!r} has no goalposts in the framework")
        lo, hi = goalposts
        y = (x - lo) / (hi - lo) if direction == 1 else (x - hi) / (lo - hi)
        return np.clip(y, 0, 1) * spec.scale
    if m == "dist_target":
        if target is None:
            raise StageError(f"normalise: indicator {code!r} has no target in the framework")
        if direction == 1:
            mn = np.nanmin(r)
            y = (x - mn) / (target - mn)
        else:
            mx = np.nanmax(r)
            y = (mx - x) / (mx - target)
        if spec.cap:
            y = np.minimum(y, 1)
        return y * spec.scale
    xd, rd = x * direction, r * direction
    if m == "minmax":
        lo, hi = np.nanmin(rd), np.nanmax(rd)
        a, b = spec.range
        return (xd - lo) / _span(code, lo, hi) * (b - a) + a
    if m == "zscore":
        sd = np.nanstd(rd, ddof=1)
        if not sd > 0:
            raise StageError(f"normalise: indicator {code!r} has zero standard deviation")
        return (xd - np.nanmean(rd)) / sd * spec.sd + spec.mean
    if m == "dist_max":
        lo, hi = np.nanmin(rd), np.nanmax(rd)
        return (1 - (hi - xd) / _span(code, lo, hi)) * spec.scale
    if m == "fracmax":
        hi = np.nanmax(rd)
        if hi == 0:
            raise StageError(f"normalise: indicator {code!r} has maximum 0; cannot divide by it")
        return xd / hi * spec.scale
    if m == "dist_ref":
        if ref_index is None:
            raise StageError("normalise: dist_ref needs 'ref' (a unit code) in the normalise options")
        v = xd[ref_index]
        if not np.isfinite(v) or v == 0:
            raise StageError(f"normalise: indicator {code!r}: reference unit value is {v}; cannot divide by it")
        y = xd / v
        if spec.cap:
            y = np.minimum(y, 1)
        return y * spec.scale
    if m in ("rank", "borda", "percentile"):
        from scipy.stats import rankdata  # here, not at import: scipy.stats costs ~1.5 s, and most callers never rank

        y = rankdata(xd, method=spec.ties, nan_policy="omit").astype(float)
        if m == "borda":
            return y - 1
        if m == "percentile":
            n = np.count_nonzero(~np.isnan(xd))
            return (y - 1) / max(n - 1, 1) * spec.scale
        return y
    raise StageError(f"normalise: unknown method {m!r}")


def normalise(values: pd.DataFrame, framework, spec: NormaliseSpec, *, ref: pd.DataFrame | None = None
              ) -> pd.DataFrame:
    """Normalise every indicator column of ``values`` (bounds from ``ref`` if given, e.g. a pooled panel)."""
    out = {}
    units = list(values.index)
    for code in values.columns:
        node = framework.by_code[code]
        s = (spec.indicators or {}).get(code, spec)
        ref_index = None
        if s.method == "dist_ref":
            if s.ref not in units:
                from lmc.errors import suggest
                raise StageError(f"normalise: reference unit {s.ref!r} is not in the data.{suggest(str(s.ref), units)}")
            ref_index = units.index(s.ref)
        out[code] = normalise_column(code, values[code].to_numpy(dtype=float), node.direction, s,
                                     ref=None if ref is None else ref[code].to_numpy(dtype=float),
                                     target=node.target, goalposts=node.goalposts, ref_index=ref_index)
    return pd.DataFrame(out, index=values.index, columns=values.columns)
