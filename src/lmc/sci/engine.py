"""The SCI's numerical kernels: normalise with fixed goalposts (or an alternative), aggregate indicators into
pillars and pillars into the index, rank. Pure numpy over a units x years x indicators array, so that the
uncertainty analysis can replay thousands of alternative builds in seconds.

Why fixed goalposts: with min-max over each year, a pair's score would move when *other* pairs change, and 2016
and 2024 scores would not compare. Goalposts are declared per indicator in the framework (raw units; ``log1p``
indicators are compared in log space) and values beyond them are clipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

NormaliseMethod = Literal["goalposts", "minmax", "rank"]
AggregateMethod = Literal["arithmetic", "geometric"]
NORMALISE_METHODS: tuple[str, ...] = ("goalposts", "minmax", "rank")
AGGREGATE_METHODS: tuple[str, ...] = ("arithmetic", "geometric")


def transform(x: np.ndarray, kind: str) -> np.ndarray:
    if kind == "log1p":
        return np.log1p(np.maximum(x, 0.0))
    return x


def normalise(x: np.ndarray, *, transforms: Sequence[str], goalposts: np.ndarray, directions: np.ndarray,
              method: NormaliseMethod = "goalposts") -> np.ndarray:
    """Scores 0..100 (100 = most connected) for ``x`` of shape (units, years, indicators); NaN stays NaN.

    * ``goalposts``: ``100 * (T(x) - T(lo)) / (T(hi) - T(lo))`` clipped to [0, 100];
    * ``minmax``: the same with lo/hi = min/max over all units *and years* of the panel (still comparable across
      years, but relative to the observed range);
    * ``rank``: percentile rank over all unit-years (ties averaged).
    Directions of -1 are flipped so that higher is always better.
    """
    out = np.full(x.shape, np.nan)
    for k in range(x.shape[2]):
        col = transform(x[:, :, k].astype(float), transforms[k])
        ok = ~np.isnan(col)
        if method == "goalposts":
            lo, hi = transform(np.asarray(goalposts[k], dtype=float), transforms[k])
            s = 100.0 * (np.clip(col, lo, hi) - lo) / (hi - lo)
        elif method == "minmax":
            if not ok.any():
                continue
            lo, hi = np.nanmin(col), np.nanmax(col)
            s = np.full(col.shape, 50.0) if hi == lo else 100.0 * (col - lo) / (hi - lo)
        elif method == "rank":
            if not ok.any():
                continue
            vals = col[ok]
            order = vals.argsort(kind="mergesort")
            ranks = np.empty(len(vals))
            ranks[order] = np.arange(len(vals))
            # average ties
            uniq, inv = np.unique(vals, return_inverse=True)
            mean_rank = np.bincount(inv, weights=ranks) / np.bincount(inv)
            r = mean_rank[inv]
            s = np.full(col.shape, np.nan)
            s[ok] = 100.0 * r / max(len(vals) - 1, 1) if len(uniq) > 1 else 50.0
        else:  # pragma: no cover - validated by callers
            raise ValueError(method)
        s = np.where(ok, s, np.nan)
        out[:, :, k] = s if directions[k] > 0 else np.where(ok, 100.0 - s, np.nan)
    return out


def aggregate(scores: np.ndarray, weights: np.ndarray, method: AggregateMethod = "arithmetic") -> np.ndarray:
    """Weighted mean over the last axis, skipping NaN and re-scaling the remaining weights.

    ``geometric`` uses a floor of 1 on 0..100 scores (a zero would otherwise veto the whole pillar); it rewards
    balance across indicators. All-NaN cells give NaN.
    """
    w = np.broadcast_to(np.asarray(weights, dtype=float), scores.shape)
    ok = ~np.isnan(scores)
    wsum = np.where(ok, w, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic":
            num = np.where(ok, scores * w, 0.0).sum(axis=-1)
            res = num / wsum
        else:
            num = np.where(ok, np.log(np.maximum(scores, 1.0)) * w, 0.0).sum(axis=-1)
            res = np.exp(num / wsum)
    return np.where(wsum > 0, res, np.nan)


def pillar_scores(norm: np.ndarray, pillar_of: Sequence[str], pillars: Sequence[str], weights: np.ndarray,
                  method: AggregateMethod = "arithmetic") -> np.ndarray:
    """(units, years, indicators) scores -> (units, years, pillars); a pillar with no indicator is NaN."""
    out = np.full(norm.shape[:2] + (len(pillars),), np.nan)
    pillar_of = np.asarray(pillar_of)
    for j, p in enumerate(pillars):
        idx = np.where(pillar_of == p)[0]
        if len(idx):
            out[:, :, j] = aggregate(norm[:, :, idx], weights[idx], method)
    return out


def rank_desc(scores: np.ndarray, axis: int = 0) -> np.ndarray:
    """Competition ranks (1 = highest; ties share the best rank) along ``axis``; NaN gets NaN."""
    s = np.moveaxis(scores, axis, -1)
    filled = np.where(np.isnan(s), -np.inf, s)
    # rank = 1 + number of strictly greater values
    r = 1.0 + (filled[..., None, :] > filled[..., :, None]).sum(axis=-1)
    r = np.where(np.isnan(s), np.nan, r)
    return np.moveaxis(r, -1, axis)
