"""``build(spec, data) -> IndexResult``: the whole pipeline as one pure, deterministic function.

Stages run in ``spec.order`` (denominate, impute, screen, treat by default; COINr's example order), then normalise,
weights and aggregate. Panels (``Time`` with several years) are built year by year with panel imputation across
years and, with ``normalise.pooled``, normalisation bounds computed over all years (fixed goalposts), so scores of
different years are comparable.
"""

from __future__ import annotations

import pandas as pd

from lmc.index.aggregate import aggregate_tree
from lmc.index.data import IndexData
from lmc.index.denominate import denominate
from lmc.index.errors import StageError
from lmc.index.impute import impute, impute_panel
from lmc.index.normalise import normalise
from lmc.index.results import IndexResult, rank_frame
from lmc.index.screen import screen
from lmc.index.spec import IndexSpec
from lmc.index.treat import TreatDetail, treat
from lmc.index.weights import effective_weights, resolve_weights, weight_matrix

PANEL_IMPUTE = ("latest", "linear", "constant")


def denominator_map(spec: IndexSpec) -> dict[str, str]:
    fw = spec.framework
    m = {c: fw.by_code[c].denominator for c in fw.indicators if fw.by_code[c].denominator}
    if spec.denominate.by:
        m.update(spec.denominate.by)
    return m  # type: ignore[return-value]


def pre_stages(spec: IndexSpec, data: IndexData) -> tuple[dict[str, pd.DataFrame], tuple[TreatDetail, ...],
                                                          tuple[str, ...]]:
    """Run denominate/impute/screen/treat on a cross-section; returns the stage frames, treat details and the
    units removed by screening."""
    fw = spec.framework
    x = data.values[list(fw.indicators)]
    stages: dict[str, pd.DataFrame] = {"raw": x}
    details: tuple[TreatDetail, ...] = ()
    removed: tuple[str, ...] = ()
    groups = data.groups
    for stage in spec.order:
        if stage == "denominate" and spec.denominate.enabled:
            dens = data.denominators.loc[x.index] if len(data.denominators.columns) else data.denominators
            x = denominate(x, dens, denominator_map(spec))
            stages["denominated"] = x
        elif stage == "impute" and spec.impute.method != "none":
            if spec.impute.method not in PANEL_IMPUTE:
                x = impute(x, spec.impute.method, groups.loc[x.index] if spec.impute.by else None, spec.impute.by)
            stages["imputed"] = x
        elif stage == "screen" and spec.screen.min_availability is not None:
            x, removed = screen(x, spec.screen.min_availability)
            stages["screened"] = x
        elif stage == "treat" and (spec.treat.method != "none" or spec.treat.indicators):
            x, details = treat(x, spec.treat)
            stages["treated"] = x
    return stages, details, removed


def prepare(spec: IndexSpec, data: IndexData) -> tuple[dict[str, pd.DataFrame], tuple[TreatDetail, ...],
                                                       tuple[str, ...], dict[str, float]]:
    """Everything up to and including normalisation and weights (the part that uncertainty analysis caches)."""
    fw = spec.framework
    if data.is_panel:
        return _prepare_panel(spec, data)
    stages, details, removed = pre_stages(spec, data)
    last = list(stages.values())[-1]
    if last.shape[0] == 0:
        raise StageError("build: no units left after screening; lower screen.min_availability")
    stages["normalised"] = normalise(last, fw, spec.normalise)
    w = resolve_weights(fw, spec.weights, stages["normalised"])
    return stages, details, removed, w


def _prepare_panel(spec: IndexSpec, data: IndexData):
    fw = spec.framework
    values = data.values[list(fw.indicators)]
    if spec.impute.method in PANEL_IMPUTE:
        values = impute_panel(values, spec.impute.method)
    pdata = IndexData(values=values, groups=data.groups, denominators=data.denominators, names=data.names,
                      source=data.source)
    per_year: dict = {}
    all_details: list[TreatDetail] = []
    removed: list[str] = []
    for t in data.times:
        st, det, rem = pre_stages(spec, pdata.at_time(t))
        if spec.impute.method in PANEL_IMPUTE:
            st["imputed"] = st["raw"]
            st["raw"] = data.values[list(fw.indicators)].xs(t, level=1)
        per_year[t] = st
        all_details.extend(det)
        removed.extend(f"{u}@{t}" for u in rem)
    names = list(per_year[data.times[0]].keys())
    stages = {n: pd.concat({t: per_year[t][n] for t in data.times}, names=["Time"]).swaplevel(0, 1)
              for n in names}
    last = stages[names[-1]]
    ref = last if spec.normalise.pooled else None
    parts = {}
    for t in data.times:
        block = last.xs(t, level=1)
        parts[t] = normalise(block, fw, spec.normalise, ref=ref if ref is None else ref.droplevel(1))
    stages["normalised"] = pd.concat(parts, names=["Time"]).swaplevel(0, 1)
    w = resolve_weights(fw, spec.weights, stages["normalised"])
    return stages, tuple(all_details), tuple(removed), w


def aggregate_methods(spec: IndexSpec) -> dict[str, str]:
    fw = spec.framework
    return {a: spec.aggregate.method_for(a, fw.by_code[a].level) for a in fw.aggregates}


def build(spec: IndexSpec, data: IndexData) -> IndexResult:
    """Build the index: a pure function of ``spec`` and ``data`` (deterministic, no I/O)."""
    fw = spec.framework
    stages, details, removed, w = prepare(spec, data)
    norm = stages["normalised"]
    units = tuple(str(u) for u in norm.index.get_level_values(0))
    agg = aggregate_tree(fw, norm.to_numpy(dtype=float), weight_matrix(fw, w), aggregate_methods(spec),
                         p=spec.aggregate.p, min_availability=spec.aggregate.min_availability, units=units)
    order = sorted(fw.aggregates, key=lambda c: (-fw.by_code[c].level, fw.aggregates.index(c)))
    scores = pd.DataFrame({c: agg[c][:, 0] for c in order}, index=norm.index)
    aggregated = pd.concat([norm, scores[list(fw.aggregates)]], axis=1)
    stages["aggregated"] = aggregated
    return IndexResult(spec=spec, stages=stages, scores=scores, ranks=rank_frame(scores), weights=w,
                       effective_weights=effective_weights(fw, w), treat_details=details, removed_units=removed,
                       names=data.names)


