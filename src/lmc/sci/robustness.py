"""Robustness of the pair ranking: the rank of every pair under each correction of the framework undone (the
``variants`` of ``framework.yaml``), all of them undone, and geometric aggregation, beside the uncertainty
analysis' rank intervals - so a reader sees which conclusions survive a different, defensible construction.

``lowest``, ``highest`` and ``within_interval`` summarise the alternatives one at a time (each correction undone
alone, geometric aggregation); the ``combined`` variant (every correction undone at once: the framework before
issue 13) is shown for the before/after comparison but left out of the summary, since its known errors are what the
corrections fix.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from lmc.index.results import rank_desc
from lmc.sci.framework import Framework
from lmc.sci.score import Arrays, SciSpec, make_arrays, score_all

GEOMETRIC = "geometric"


def _select(arrays: Arrays, framework: Framework) -> Arrays:
    """The levels of ``arrays`` (built with every indicator) restricted to ``framework``'s computed indicators."""
    levels = {}
    for lv, la in arrays.levels.items():
        keep = [la.indicators.index(i.id) for i in framework.indicators_for(lv) if i.id in la.indicators]
        levels[lv] = dataclasses.replace(
            la, indicators=tuple(la.indicators[k] for k in keep), transforms=tuple(la.transforms[k] for k in keep),
            values={m: v[:, :, keep] for m, v in la.values.items()}, goalposts=la.goalposts[keep],
            directions=la.directions[keep], weights=la.weights[keep], pillar_of=tuple(la.pillar_of[k] for k in keep))
    return Arrays(arrays.years, arrays.pillars, levels)


def variant_scores(everything: Arrays, framework: Framework, variant: str) -> np.ndarray:
    """Pair index (pairs, years) under one variant (a framework variant id, or ``geometric`` aggregation);
    ``everything``: the scoring arrays of every computed and alternative indicator."""
    fw = framework if variant == GEOMETRIC else framework.variant(variant)
    spec = SciSpec(aggregate="geometric") if variant == GEOMETRIC else SciSpec()
    return score_all(_select(everything, fw), spec, fw)["pair"].index


def robustness(panels: dict, framework: Framework, years: list[int], provinces: list[str],
               excluded: dict[str, list[str]], nominal: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """One row per pair in the latest year: ``unit, score, rank`` (nominal), ``rank_<variant>`` for every variant
    and geometric aggregation, ``rank_p05, rank_p95`` (the uncertainty analysis), ``lowest, highest`` (over the
    nominal rank and the one-at-a-time alternatives) and ``within_interval`` (all of them inside the 5-95%
    interval)."""
    from lmc.sources.harmonise import lmc_pairs

    y = max(years)
    t = years.index(y)
    nom = nominal[(nominal["level"] == "pair") & (nominal["year"] == y) & (nominal["pillar"] == "index")]
    out = nom.set_index("unit").reindex(lmc_pairs())[["score", "rank"]]
    cols = []
    linear = {lv: {"linear": p["linear"]} for lv, p in panels.items()}
    every = framework.model_copy(update={"indicators": tuple(
        i.model_copy(update={"status": "computed"}) if i.status == "alternative" else i for i in framework.indicators)})
    everything = make_arrays(linear, every, years, provinces, excluded)
    for v in [x.id for x in framework.variants] + [GEOMETRIC]:
        idx = variant_scores(everything, framework, v)
        out[f"rank_{v}"] = rank_desc(idx[:, t], axis=0).astype(int)
        cols.append(f"rank_{v}")
    ri = intervals[(intervals["level"] == "pair") & (intervals["year"] == y)].set_index("unit")
    out["rank_p05"] = ri["rank_p05"].reindex(out.index)
    out["rank_p95"] = ri["rank_p95"].reindex(out.index)
    combined = {f"rank_{v.id}" for v in framework.variants if v.combined}
    every = out[["rank", *[c for c in cols if c not in combined]]]
    out["lowest"] = every.max(axis=1)
    out["highest"] = every.min(axis=1)
    out["within_interval"] = ((every.ge(out["rank_p05"], axis=0)) & (every.le(out["rank_p95"], axis=0))).all(axis=1)
    out = out.reset_index().rename(columns={"index": "unit"}).sort_values("rank").reset_index(drop=True)
    out.insert(1, "year", y)
    return out
