"""Uncertainty and sensitivity analysis: replay the SCI under alternative construction choices.

Five factors, each a choice that matters for this index (COINr's "a build is a spec plus a replay"):

==============  ===================================================================
normalise       fixed goalposts (nominal) | panel min-max | percentile rank
aggregate       arithmetic (nominal) | geometric (rewards balance across indicators)
weights         nominal equal pillar weights, or one of 63 random draws U(0.5, 1.5)
per_capita      absolute tourist arrivals (nominal) | per 1,000 people (small countries)
impute          interpolate and carry (nominal) | no imputation (re-weight over present)
==============  ===================================================================

Samples come from SALib's Sobol sequence (Saltelli scheme without second-order terms), so the same runs give
first-order and total Sobol indices of the output "mean absolute rank shift of the pairs in the latest year".
Randomness only through ``numpy.random.default_rng(seed)`` and SALib's seeded scrambling: same seed, same result.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lmc.index.results import rank_desc
from lmc.sci.framework import Framework
from lmc.sci.score import AGGREGATE_METHODS, NORMALISE_METHODS, Arrays, SciSpec, aggregate, level_pillars, score_all

FACTORS: tuple[str, ...] = ("normalise", "aggregate", "weights", "per_capita", "impute")
N_WEIGHT_SETS = 64


@dataclass(frozen=True, eq=False)
class UncertaintyResult:
    """Rank intervals per level/unit/year and Sobol indices per factor."""

    runs: int
    seed: int
    rank_intervals: pd.DataFrame  # level, unit, year, nominal_rank, median_rank, p05, p95, score_p05, score_p95
    sobol: pd.DataFrame  # factor, S1, S1_conf, ST, ST_conf
    output: str

    def to_frame(self) -> pd.DataFrame:
        return self.rank_intervals

    def to_dict(self) -> dict:
        return {"runs": self.runs, "seed": self.seed, "output": self.output,
                "sobol": self.sobol.to_dict(orient="records")}


def weight_sets(n_pillars: int, seed: int) -> np.ndarray:
    """Row 0 = nominal equal weights; the other rows drawn U(0.5, 1.5) per pillar."""
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.5, 1.5, size=(N_WEIGHT_SETS, n_pillars))
    w[0] = 1.0
    return w


def _pick(v: float, options: tuple) -> object:
    return options[min(int(v * len(options)), len(options) - 1)]


def weight_index(x: np.ndarray, wsets: np.ndarray) -> int:
    return min(int(x[2] * len(wsets)), len(wsets) - 1)


def choices_from_sample(x: np.ndarray) -> SciSpec:
    """The discrete choices of a point of [0, 1)^5 (each option gets an equal share of the interval), with the
    nominal pillar weights."""
    return SciSpec(normalise=str(_pick(x[0], NORMALISE_METHODS)), aggregate=str(_pick(x[1], AGGREGATE_METHODS)),
                   per_capita=bool(_pick(x[3], (False, True))), impute=str(_pick(x[4], ("linear", "none"))))


def base_samples(n: int) -> int:
    """Base sample size (a power of two) so that the Saltelli design has at least ``n`` runs."""
    return 2 ** max(3, math.ceil(math.log2(max(n, 1) / (len(FACTORS) + 2))))


def run(arrays: Arrays, framework: Framework, *, n: int = 2000, seed: int = 20240101,
        progress: Callable[[int, int], None] | None = None) -> UncertaintyResult:
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(FACTORS), "names": list(FACTORS), "bounds": [[0.0, 1.0]] * len(FACTORS)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X = sobol_sample.sample(problem, base_samples(n), calc_second_order=False, seed=seed)
    X = np.clip(X, 0.0, 1.0 - 1e-12)
    wsets = weight_sets(len(arrays.pillars), seed)
    years = arrays.years
    nominal = score_all(arrays, SciSpec(), framework)
    levels = [lv for lv in ("pair", "country") if lv in nominal]
    nom_rank = {lv: rank_desc(nominal[lv].index, axis=0) for lv in levels}
    ranks = {lv: np.empty((len(X),) + nominal[lv].index.shape, dtype=np.float32) for lv in levels}
    scores = {lv: np.empty((len(X),) + nominal[lv].index.shape, dtype=np.float32) for lv in levels}
    # Runs that share the discrete choices share their pillar scores: each group's pillars are computed once and
    # its runs' pillar-weight sets are applied as one array operation (lmc.index's aggregate over weight sets).
    groups: dict[SciSpec, list[int]] = {}
    for r, x in enumerate(X):
        groups.setdefault(choices_from_sample(x), []).append(r)
    cache: dict = {}
    done = 0
    for spec, members in groups.items():
        pil = level_pillars(arrays, spec, framework, norm_cache=cache)
        W = wsets[[weight_index(X[r], wsets) for r in members]]
        for lv in levels:
            idx = np.moveaxis(aggregate(pil[lv][1], W, spec.aggregate), -1, 0)  # (runs, units, years)
            scores[lv][members] = idx
            ranks[lv][members] = rank_desc(idx, axis=1)
        done += len(members)
        if progress:
            progress(done, len(X))
    # Sobol on the pairs' mean absolute rank shift in the latest year
    t = len(years) - 1
    Y = np.nanmean(np.abs(ranks["pair"][:, :, t] - nom_rank["pair"][None, :, t]), axis=1).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Si = sobol_analyze.analyze(problem, Y, calc_second_order=False, seed=seed)
    sobol = pd.DataFrame({"factor": list(FACTORS), "S1": Si["S1"], "S1_conf": Si["S1_conf"], "ST": Si["ST"],
                          "ST_conf": Si["ST_conf"]})
    rows = []
    for lv in levels:
        q = np.nanpercentile(ranks[lv], [5, 50, 95], axis=0)
        qs = np.nanpercentile(scores[lv], [5, 95], axis=0)
        for i, u in enumerate(nominal[lv].units):
            for ti, y in enumerate(years):
                if np.isnan(nom_rank[lv][i, ti]):
                    continue
                rows.append((lv, u, int(y), int(nom_rank[lv][i, ti]), float(q[1, i, ti]), float(q[0, i, ti]),
                             float(q[2, i, ti]), round(float(qs[0, i, ti]), 4), round(float(qs[1, i, ti]), 4)))
    ri = pd.DataFrame(rows, columns=["level", "unit", "year", "nominal_rank", "median_rank", "rank_p05", "rank_p95",
                                     "score_p05", "score_p95"])
    return UncertaintyResult(len(X), seed, ri, sobol.round(6),
                             "mean absolute shift of pair ranks in the latest year versus the nominal build")
