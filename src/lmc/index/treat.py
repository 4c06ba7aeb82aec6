"""Outlier treatment, exactly as COINr's ``Treat`` default.

For each indicator: if |skew| >= skew_thresh AND kurtosis >= kurt_thresh (both bias-corrected, e1071 type 2, as
Excel's SKEW/KURT), winsorise: repeatedly set the highest (positive skew) or lowest (negative skew) value(s) to the
next one, until the check passes or ``winmax`` points are treated. If it still fails, apply the fallback transform
to the *original* values (``log``: log(x - min + 0.01 (max - min)), COINr ``log_CT``; or Box-Cox).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lmc.index.errors import StageError
from lmc.index.spec import TreatSpec


def skew(x: np.ndarray) -> float:
    """Sample skewness, bias-corrected (e1071 type 2 / Excel SKEW); NaNs ignored."""
    x = x[~np.isnan(x)]
    n = x.size
    if n < 3:
        return float("nan")
    d = x - x.mean()
    m2 = np.sum(d**2)
    if m2 == 0:
        return 0.0
    y = np.sqrt(n) * np.sum(d**3) / m2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    """Sample excess kurtosis, bias-corrected (e1071 type 2 / Excel KURT); NaNs ignored."""
    x = x[~np.isnan(x)]
    n = x.size
    if n < 4:
        return float("nan")
    d = x - x.mean()
    m2 = np.sum(d**2)
    if m2 == 0:
        return 0.0
    r = n * np.sum(d**4) / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def passes(x: np.ndarray, skew_thresh: float, kurt_thresh: float) -> tuple[bool, float, float]:
    """COINr ``check_SkewKurt``: pass if |skew| < skew_thresh OR kurtosis < kurt_thresh."""
    s, k = skew(x), kurt(x)
    if np.isnan(s) or np.isnan(k):
        return True, s, k
    return bool(abs(s) < skew_thresh or k < kurt_thresh), s, k


def winsorise(x: np.ndarray, winmax: int, skew_thresh: float, kurt_thresh: float) -> tuple[np.ndarray, int]:
    """Winsorise as COINr ``winsorise``; returns the values and the number of points treated."""
    x = x.copy()
    ok, _, _ = passes(x, skew_thresh, kurt_thresh)
    imax = imin = np.zeros(0, dtype=int)
    nwin = 0
    while not ok and nwin < winmax:
        if skew(x) >= 0:
            imax = np.flatnonzero(x == np.nanmax(x))
            rest = np.delete(x, imax)
            x[imax] = np.nanmax(rest)
        else:
            imin = np.flatnonzero(x == np.nanmin(x))
            rest = np.delete(x, imin)
            x[imin] = np.nanmin(rest)
        nwin = imax.size + imin.size
        ok, _, _ = passes(x, skew_thresh, kurt_thresh)
    return x, nwin


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr ``log_CT``: log(x - min(x) + 0.01 (max(x) - min(x)))."""
    mn, mx = np.nanmin(x), np.nanmax(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(x - mn + 0.01 * (mx - mn))


def boxcox(x: np.ndarray, lam: float) -> np.ndarray:
    """COINr ``boxcox`` with ``makepos``: shift to min 1, then (x^lambda - 1)/lambda (log if lambda = 0)."""
    z = x - np.nanmin(x) + 1
    return np.log(z) if lam == 0 else (z**lam - 1) / lam


@dataclass(frozen=True, slots=True)
class TreatDetail:
    """What happened to one indicator (mirrors COINr's ``Dets_Table``)."""

    code: str
    pass0: bool
    skew0: float
    kurt0: float
    nwin: int | None = None
    pass1: bool | None = None
    skew1: float | None = None
    kurt1: float | None = None
    transform: str | None = None
    pass2: bool | None = None
    skew2: float | None = None
    kurt2: float | None = None


def treat_column(code: str, x: np.ndarray, spec: TreatSpec) -> tuple[np.ndarray, TreatDetail]:
    """Treat one indicator following ``spec`` (see module docstring)."""
    if spec.method == "none":
        return x, TreatDetail(code, True, skew(x), kurt(x))
    if spec.method in ("log", "boxcox"):
        y = log_ct(x) if spec.method == "log" else boxcox(x, spec.boxcox_lambda)
        return y, TreatDetail(code, False, skew(x), kurt(x), transform=spec.method)
    ok0, s0, k0 = passes(x, spec.skew_thresh, spec.kurt_thresh)
    if ok0:
        return x, TreatDetail(code, True, s0, k0)
    x1, nwin = winsorise(x, spec.winmax, spec.skew_thresh, spec.kurt_thresh)
    ok1, s1, k1 = passes(x1, spec.skew_thresh, spec.kurt_thresh)
    if ok1 or spec.fallback == "none":
        return x1, TreatDetail(code, False, s0, k0, nwin, ok1, s1, k1)
    x2 = log_ct(x) if spec.fallback == "log" else boxcox(x, spec.boxcox_lambda)
    if np.any(~np.isfinite(x2[~np.isnan(x)])):
        raise StageError(f"treat: indicator {code!r}: the {spec.fallback} transform gives non-finite values")
    ok2, s2, k2 = passes(x2, spec.skew_thresh, spec.kurt_thresh)
    return x2, TreatDetail(code, False, s0, k0, nwin, ok1, s1, k1, spec.fallback, ok2, s2, k2)


def treat(values: pd.DataFrame, spec: TreatSpec) -> tuple[pd.DataFrame, tuple[TreatDetail, ...]]:
    """Treat every indicator column; per-indicator overrides come from ``spec.indicators``."""
    if spec.method == "none" and not spec.indicators:
        return values, ()
    out = values.copy()
    details = []
    for code in values.columns:
        s = (spec.indicators or {}).get(code, spec)
        y, det = treat_column(code, values[code].to_numpy(dtype=float), s)
        out[code] = y
        details.append(det)
    return out, tuple(details)


def details_frame(details: tuple[TreatDetail, ...]) -> pd.DataFrame:
    from dataclasses import asdict

    return pd.DataFrame([asdict(d) for d in details])
