"""Cross-check of the SCI's nominal pair-level build against the project's composite-index engine
(:func:`lmc.index.build`).

The SCI keeps its own small vectorised kernels (:mod:`lmc.sci.engine`) because the uncertainty analysis replays
the three-level build thousands of times; this module rebuilds the nominal pair index with the shared engine
(fixed goalposts, arithmetic means skipping missing indicators) and reports the largest difference, which the
audit records and a test holds at zero (to rounding). ``log1p`` indicators are passed in log space, with
goalposts transformed alike, because the engine's goalposts are linear.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lmc.sci import engine
from lmc.sci.framework import Framework
from lmc.sci.score import Arrays, LevelScores


def engine_index_scores(arrays: Arrays, framework: Framework) -> pd.DataFrame:
    """Nominal pair-level index by :func:`lmc.index.build`: ``unit, year, score``."""
    from lmc.index import build, from_frame, make_framework, make_spec

    la = arrays.levels["pair"]
    records = [{"code": "SCI", "name": "SCI", "parent": None}]
    for p in arrays.pillars:
        if p in la.pillar_of:
            records.append({"code": p, "name": framework.pillar(p).name.en, "parent": "SCI",
                            "weight": framework.pillar(p).weight})
    for k, ind in enumerate(la.indicators):
        lo, hi = engine.transform(np.asarray(la.goalposts[k], dtype=float), la.transforms[k])
        records.append({"code": ind, "name": ind, "parent": la.pillar_of[k], "weight": float(la.weights[k]),
                        "direction": int(la.directions[k]), "goalposts": (float(lo), float(hi))})
    fw = make_framework(records, name="SCI pair level")
    cube = la.values["linear"]
    rows = []
    for i, u in enumerate(la.units):
        for t, y in enumerate(arrays.years):
            row = {"uCode": u, "Time": int(y)}
            for k, ind in enumerate(la.indicators):
                row[ind] = float(engine.transform(np.array(cube[i, t, k]), la.transforms[k]))
            rows.append(row)
    data = from_frame(pd.DataFrame(rows), fw, source="SCI pair panel")
    spec = make_spec(fw, {"normalise": {"method": "goalposts"}, "aggregate": {"method": "arithmetic"}})
    res = build(spec, data)
    s = res.score().reset_index()
    s.columns = ["unit", "year", "score"]
    return s


def crosscheck(arrays: Arrays, framework: Framework, nominal: LevelScores) -> pd.DataFrame:
    """One row: the engine used, units x years compared and the largest absolute difference of index scores."""
    try:
        eng = engine_index_scores(arrays, framework)
    except Exception as exc:  # the shared engine is optional for the build; the audit says why it was skipped
        return pd.DataFrame([{"engine": "lmc.index.build", "compared": 0, "max_abs_diff": np.nan,
                              "note": f"not run: {type(exc).__name__}: {exc}"}])
    ours = pd.DataFrame([(u, int(y), float(nominal.index[i, t])) for i, u in enumerate(nominal.units)
                         for t, y in enumerate(arrays.years)], columns=["unit", "year", "sci"])
    m = ours.merge(eng, on=["unit", "year"])
    diff = float(np.nanmax(np.abs(m["sci"] - m["score"]))) if len(m) else np.nan
    return pd.DataFrame([{"engine": "lmc.index.build", "compared": len(m), "max_abs_diff": diff,
                          "note": "nominal pair-level index, goalposts + arithmetic"}])
