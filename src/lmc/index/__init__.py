"""lmc.index: a composite-index engine (the OECD/JRC pipeline) that gives COINr's numbers, vectorised.

Public API (stable; the Soft Connectivity Index builds on it)::

    from lmc.index import (load_framework, read_coinr, read_data_csv, from_frame, make_spec, load_pipeline,
                           default_spec, build, run_uncertainty, run_sensitivity, load_ua_spec, audit)

    fw, data = read_coinr("ASEM_iMeta.csv", "ASEM_iData.csv")      # or load_framework(yaml) + read_data_csv(csv, fw)
    spec = default_spec(fw)                                         # or load_pipeline("pipe.yaml", fw)
    res = build(spec, data)                                         # IndexResult (frozen)
    res.scores, res.ranks, res.to_frame(), res.stages["normalised"], res.treat_frame(), res.weights_frame()

    ua = load_ua_spec("UA.yaml", spec)                              # uncertain inputs
    u = run_uncertainty(spec, data, ua, n=10_000, seed=1)           # UncertaintyResult: rankstats, scores, ranks
    s = run_sensitivity(spec, data, ua, n=1_000, seed=1)            # SensitivityResult: sobol (S1, ST + intervals)
    a = audit(res)                                                  # AuditResult: stats, correlations, alpha, PCA

Pieces:

- ``Framework`` (``framework.py``): the indicator tree, any depth, from YAML or COINr ``iMeta`` (``coinr_io.py``).
- ``IndexData`` (``data.py``): units x indicators (x time); unit kinds country / pair ``CHN-LAO`` / directed pair
  ``CHN>LAO`` / province; groups and denominators. A ``Time`` column with several years makes a panel.
- ``IndexSpec`` (``spec.py``): framework + frozen per-stage options (denominate, impute, screen, treat,
  normalise, weights, aggregate). ``spec.with_stage("normalise", method="zscore", mean=10, sd=2)`` derives a variant.
- Stage kernels, pure functions: ``denominate.py``, ``impute.py``, ``screen.py``, ``treat.py``, ``normalise.py``,
  ``weights.py``, ``aggregate.py`` (vectorised over weight sets).
- ``build(spec, data) -> IndexResult`` (``build.py``, ``results.py``): every stage's data, scores and ranks per
  level (ties take the minimum rank). Panels are built per year with fixed (pooled) normalisation bounds.
- Uncertainty / sensitivity (``uncertainty.py``, ``sensitivity.py``): uncertain inputs from ``UA.yaml``; draws
  are grouped by their discrete choices (each group prepared once) and the weight noise is applied to all draws
  of a group as one array operation. Sobol indices via SALib (Saltelli design) with bootstrap intervals.
- ``audit.py``, ``plots.py``, ``export.py``: statistics and correlations, figures, CSV/XLSX/Parquet/datapackage.

All numbers come from the caller's data; nothing here reads the warehouse.
"""

from __future__ import annotations

from lmc.index.build import build, prepare
from lmc.index.coinr_io import framework_from_imeta, read_coinr, read_imeta
from lmc.index.data import IndexData, from_frame, pair_members, read_data_csv, unit_kind
from lmc.index.errors import FrameworkError, IndexDataError, SpecError, StageError
from lmc.index.framework import Framework, Node, load_framework, make_framework
from lmc.index.results import IndexResult, rank_desc
from lmc.index.spec import (AggregateSpec, DenominateSpec, ImputeSpec, IndexSpec, NormaliseSpec, ScreenSpec,
                            TreatSpec, WeightsSpec, coinr_example_spec, default_spec, load_pipeline, make_spec)


def __getattr__(name: str):
    # heavier analyses are imported on first use so ``import lmc.index`` stays fast
    if name in ("run_uncertainty", "UncertaintyResult", "UASpec", "load_ua_spec", "make_ua_spec", "evaluate_draws",
                "Draws"):
        from lmc.index import uncertainty

        return getattr(uncertainty, name)
    if name in ("run_sensitivity", "SensitivityResult"):
        from lmc.index import sensitivity

        return getattr(sensitivity, name)
    if name in ("audit", "AuditResult"):
        from lmc.index import audit as _audit

        return getattr(_audit, name)
    raise AttributeError(f"module 'lmc.index' has no attribute {name!r}")


__all__ = [
    "AggregateSpec", "DenominateSpec", "Framework", "FrameworkError", "ImputeSpec", "IndexData", "IndexDataError",
    "IndexResult", "IndexSpec", "Node", "NormaliseSpec", "ScreenSpec", "SpecError", "StageError", "TreatSpec",
    "WeightsSpec", "build", "coinr_example_spec", "default_spec", "framework_from_imeta", "from_frame",
    "load_framework", "load_pipeline", "make_framework", "make_spec", "pair_members", "prepare", "rank_desc",
    "read_coinr", "read_data_csv", "read_imeta", "unit_kind", "run_uncertainty", "run_sensitivity", "load_ua_spec",
    "audit",
]
