"""Why a score is what it is, and how it changed: indicator contributions against the median unit, and
like-for-like comparisons between two years.

* :func:`contributions` splits a unit's index in one year into points per indicator: how far the indicator's score
  lies above or below the median unit's, times the weight it carries in that unit's index. The points add up to the
  unit's index minus the index of a unit with the median score on every indicator it has.
* :func:`like_for_like` scores two years on the indicators present in both. The index and pillars of a year are
  computed on the indicators present that year; when a source starts or stops for every unit (air routes are
  observed in 2014 and 2023-2026 only, migrant stock to 2019, co-authorship to 2023), the plain difference of two
  years would mix a real change with the change of what is measured. Comparisons across years (the validity suite)
  therefore use the indicators present in both years, at every level.

Pure functions of the scoring arrays (:mod:`lmc.sci.score`), nominal construction choices.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd

from lmc.sci.framework import Framework
from lmc.sci.score import Arrays, LevelArrays, LevelScores, SciSpec, normalised, score_all
from lmc.sources.harmonise import split_pair

COLUMNS = ["level", "unit", "year", "pillar", "indicator", "indicator_level", "score", "median", "points"]


def present(la: LevelArrays, impute: str = "linear") -> np.ndarray:
    """(years, indicators): True where at least one unit of the level has a value."""
    return ~np.isnan(la.values[impute]).all(axis=0)


def common_arrays(arrays: Arrays, y0: int, y1: int) -> tuple[Arrays, dict[str, list[str]]]:
    """``arrays`` with every indicator that is present in only one of ``y0``, ``y1`` (at its level) blanked out,
    and the indicators dropped per level."""
    t0, t1 = arrays.years.index(y0), arrays.years.index(y1)
    levels, dropped = {}, {}
    for lv, la in arrays.levels.items():
        pr = present(la)
        keep = pr[t0] == pr[t1]
        dropped[lv] = [ind for ind, k in zip(la.indicators, keep) if not k]
        values = {m: np.where(keep[None, None, :], cube, np.nan) for m, cube in la.values.items()}
        levels[lv] = dataclasses.replace(la, values=values)
    return Arrays(arrays.years, arrays.pillars, levels), dropped


def like_for_like(arrays: Arrays, framework: Framework, y0: int, y1: int,
                  spec: SciSpec = SciSpec()) -> tuple[dict[str, LevelScores], dict[str, list[str]]]:
    """Scores of every level in ``y0`` and ``y1`` computed on the indicators present in both years (read the two
    years' columns of the result), and the indicators left out per level."""
    masked, dropped = common_arrays(arrays, y0, y1)
    return score_all(masked, spec, framework), dropped


def _median(s: np.ndarray) -> np.ndarray:
    """Median over units of each indicator (NaN for an indicator without any value that year)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(s, axis=0)


def _shares(la: LevelArrays, s: np.ndarray, pillars: tuple[str, ...],
            pillar_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For scores ``s`` (units, indicators): each indicator's share of its pillar (units, indicators) and each
    pillar's share of the index (units, pillars), over what each unit has (missing values are skipped and the
    weights re-scaled, as in the aggregation)."""
    w = np.where(np.isnan(s), 0.0, la.weights[None, :])
    pillar_of = np.asarray(la.pillar_of)
    within = np.zeros(s.shape)
    has = np.zeros((s.shape[0], len(pillars)))
    for j, p in enumerate(pillars):
        idx = pillar_of == p
        tot = w[:, idx].sum(axis=1)
        has[:, j] = tot > 0
        within[:, idx] = np.divide(w[:, idx], tot[:, None], out=np.zeros_like(w[:, idx]), where=tot[:, None] > 0)
    pw = has * pillar_weights[None, :]
    tot = pw.sum(axis=1, keepdims=True)
    return within, np.divide(pw, tot, out=np.zeros_like(pw), where=tot > 0)


def contributions(arrays: Arrays, framework: Framework, year: int, spec: SciSpec = SciSpec()) -> pd.DataFrame:
    """Points each indicator adds to (or takes from) each pair's and country's index in ``year``, against the
    median: ``level, unit, year, pillar, indicator, indicator_level, score, median, points``.

    Pairs: points = (weight of the indicator in the pair's index) x (its score - the median pair's score). A
    country's pillars blend the mean of its five pairs' pillars (share ``spec.pair_share``) with its own
    indicators: its pair-level indicators contribute the mean of its pairs' within-pillar points times that share,
    its own indicators their points against the median country times the rest. Scores are the normalised 0-100
    indicator scores; the points of a unit add up to its index minus that of a unit at the median everywhere."""
    t = arrays.years.index(year)
    P = arrays.pillars
    pw = np.array([framework.pillar(p).weight for p in P], dtype=float)
    pa = arrays.levels["pair"]
    ps = normalised(pa, spec.normalise, spec.impute)[:, t, :]
    pmed = _median(ps)
    within, pshare = _shares(pa, ps, P, pw)
    pcol = [P.index(p) for p in pa.pillar_of]
    inner = within * np.nan_to_num(ps - pmed[None, :])  # points within the pillar
    rows = []
    for i, u in enumerate(pa.units):
        for k, ind in enumerate(pa.indicators):
            if not np.isnan(ps[i, k]):
                rows.append(("pair", u, year, pa.pillar_of[k], ind, "pair", ps[i, k], pmed[k],
                             pshare[i, pcol[k]] * inner[i, k]))

    ca = arrays.levels["country"]
    cs = normalised(ca, spec.normalise, spec.impute)[:, t, :]
    cmed = _median(cs)
    cwithin, _ = _shares(ca, cs, P, pw)
    cshare = pw / pw.sum()  # a country has every pillar (its pairs' part at least)
    ccol = [P.index(p) for p in ca.pillar_of]
    for i, c in enumerate(ca.units):
        own = {ccol[k] for k in range(len(ca.indicators)) if not np.isnan(cs[i, k])}
        mine = [j for j, u in enumerate(pa.units) if c in split_pair(u)]
        for k, ind in enumerate(pa.indicators):
            if np.isnan(ps[mine, k]).all():
                continue
            a = spec.pair_share if pcol[k] in own else 1.0
            rows.append(("country", c, year, pa.pillar_of[k], ind, "pair", float(np.nanmean(ps[mine, k])), pmed[k],
                         cshare[pcol[k]] * a * float(inner[mine, k].mean())))
        for k, ind in enumerate(ca.indicators):
            if not np.isnan(cs[i, k]):
                rows.append(("country", c, year, ca.pillar_of[k], ind, "country", cs[i, k], cmed[k],
                             cshare[ccol[k]] * (1 - spec.pair_share) * cwithin[i, k] * (cs[i, k] - cmed[k])))
    df = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("score", "median", "points"):
        df[col] = df[col].astype(float).round(6)
    return df


def top_contributions(contrib: pd.DataFrame, level: str, unit: str, n: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` indicators that raise a unit's score most and the ``n`` that lower it most (points > 0 / < 0)."""
    c = contrib[(contrib["level"] == level) & (contrib["unit"] == unit)].sort_values("points")
    return c[c["points"] > 0.05].iloc[::-1].head(n), c[c["points"] < -0.05].head(n)
