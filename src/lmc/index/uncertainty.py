"""Uncertainty analysis: sample uncertain construction choices, evaluate all draws as array operations.

Uncertain inputs (``UA.yaml``, format in docs/index.md): weight noise per level, alternative options at any stage,
indicator exclusion. Each draw is a vector of input values in [0, 1]; as in COINr, a discrete input maps the value
to one of its alternatives by cutting the observed range of that input's sample into equal bins (R
``cut(x, n)``), and the weight input picks one of ``sets`` pre-drawn noisy weight sets the same way.

Vectorisation: draws are grouped by their combination of discrete choices; each group is prepared once (all stages
up to normalisation), then the aggregation of every draw of the group runs as one array operation over a
(draws x weights) matrix. N draws therefore cost a handful of builds plus a few matrix products, not N rebuilds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lmc.errors import suggest
from lmc.index.aggregate import aggregate_tree
from lmc.index.build import aggregate_methods, build, prepare
from lmc.index.data import IndexData
from lmc.index.errors import SpecError, where
from lmc.index.results import rank_desc
from lmc.index.spec import STAGES, IndexSpec
from lmc.index.weights import noisy_weights
from lmc.index.yamlio import LineDict, load_yaml

Progress = Callable[[int, int], None]

INPUT_KEYS = ("stage", "alternatives", "noise", "levels", "sets", "exclude", "include_none")
MAX_DRAWS = 100_000
"""Most draws of an uncertainty analysis (and base samples of a sensitivity analysis): the scores of every draw are
held in memory (draws x units)."""
MAX_SETS = 100_000
"""Most pre-drawn noisy weight sets (each is a copy of the weights; more than the draws is pointless)."""
UA_KEYS = ("target", "inputs", "name", "description")


@dataclass(frozen=True)
class WeightNoise:
    """Weights at ``levels`` multiplied by U(1 - noise, 1 + noise), independently per node; ``sets`` noisy weight
    sets are drawn and each draw picks one (COINr ``get_noisy_weights``). ``sets=None`` means one per draw."""

    name: str
    noise: float
    levels: tuple[int, ...]
    sets: int | None = None


@dataclass(frozen=True)
class Alternatives:
    """One stage's options take one of ``options`` (each a mapping of that stage's options)."""

    name: str
    stage: str
    options: tuple[dict[str, Any], ...]
    specs: tuple[Any, ...] = dataclasses.field(default=(), compare=False, repr=False)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(",".join(f"{k}={v}" for k, v in o.items()) for o in self.options)


@dataclass(frozen=True)
class Exclusion:
    """Exclude one indicator from ``indicators`` (or none, if ``include_none``)."""

    name: str
    indicators: tuple[str, ...]
    include_none: bool = True

    @property
    def options(self) -> tuple[str | None, ...]:
        return ((None,) if self.include_none else ()) + self.indicators

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple("none" if o is None else o for o in self.options)


UAInput = WeightNoise | Alternatives | Exclusion


@dataclass(frozen=True)
class UASpec:
    """The uncertain inputs of an analysis and its ``target`` aggregate (default: the index)."""

    inputs: tuple[UAInput, ...]
    target: str | None = None

    @property
    def d(self) -> int:
        return len(self.inputs)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)


def make_ua_spec(doc: dict[str, Any], spec: IndexSpec, *, file: str | None = None) -> UASpec:
    """Validate a UA mapping (see docs/index.md); errors name the line and field and suggest valid names."""
    fw = spec.framework
    if not isinstance(doc, dict):
        raise SpecError(f"{where(file, None)}a UA spec must be a mapping with 'inputs'")
    for k in doc:
        if k not in UA_KEYS:
            raise SpecError(f"{where(file, _line(doc, k), k)}unknown key.{suggest(str(k), UA_KEYS)} "
                            f"Valid: {', '.join(UA_KEYS)}")
    target = doc.get("target")
    if target is not None and target not in fw.aggregates:
        raise SpecError(f"{where(file, _line(doc, 'target'), 'target')}unknown aggregate {target!r}."
                        f"{suggest(str(target), fw.aggregates)} Valid: {', '.join(fw.aggregates)}")
    raw = doc.get("inputs")
    if isinstance(raw, list):
        raw = {str(i.get("name", f"input{j + 1}")) if isinstance(i, dict) else f"input{j + 1}": i
               for j, i in enumerate(raw)}
    if not isinstance(raw, dict) or not raw:
        raise SpecError(f"{where(file, _line(doc, 'inputs'), 'inputs')}must be a non-empty mapping "
                        f"name -> input")
    inputs: list[UAInput] = []
    for name, item in raw.items():
        fld = f"inputs.{name}"
        line = _line(raw, name)
        if not isinstance(item, dict):
            raise SpecError(f"{where(file, line, fld)}must be a mapping, got {item!r}")
        for k in item:
            if k not in INPUT_KEYS and k != "name":
                raise SpecError(f"{where(file, _line(item, k), f'{fld}.{k}')}unknown key."
                                f"{suggest(str(k), INPUT_KEYS)} Valid: {', '.join(INPUT_KEYS)}")
        stage = item.get("stage")
        if stage is not None and stage not in STAGES + ("exclude",):
            raise SpecError(f"{where(file, _line(item, 'stage'), f'{fld}.stage')}unknown stage {stage!r}."
                            f"{suggest(str(stage), STAGES + ('exclude',))} Valid: {', '.join(STAGES + ('exclude',))}")
        if "noise" in item:
            noise = item["noise"]
            if not isinstance(noise, (int, float)) or isinstance(noise, bool) or not 0 < noise < 1:
                raise SpecError(f"{where(file, _line(item, 'noise'), f'{fld}.noise')}must be a number in (0, 1), "
                                f"got {noise!r}")
            levels = item.get("levels", [2])
            levels = [levels] if isinstance(levels, int) else levels
            if not isinstance(levels, list) or not levels:
                raise SpecError(f"{where(file, _line(item, 'levels'), f'{fld}.levels')}list at least one level "
                                f"whose weights vary (levels 1-{fw.max_level}), got {item.get('levels')!r}")
            for lv in levels:
                if not isinstance(lv, int) or isinstance(lv, bool) or not 1 <= lv <= fw.max_level:
                    raise SpecError(f"{where(file, _line(item, 'levels'), f'{fld}.levels')}no level {lv!r} "
                                    f"(levels 1-{fw.max_level})")
            sets = item.get("sets")
            bad_sets = not isinstance(sets, int) or isinstance(sets, bool) or not 1 <= sets <= MAX_SETS
            if sets is not None and bad_sets:
                raise SpecError(f"{where(file, _line(item, 'sets'), f'{fld}.sets')}must be an integer from 1 to "
                                f"{MAX_SETS:,}, got {sets!r}")
            inputs.append(WeightNoise(str(name), float(noise), tuple(levels), sets))
        elif "exclude" in item or stage == "exclude":
            codes = item.get("exclude") or []
            codes = [codes] if isinstance(codes, str) else list(codes)
            for c in codes:
                if c not in fw.indicators:
                    raise SpecError(f"{where(file, _line(item, 'exclude'), f'{fld}.exclude')}unknown indicator "
                                    f"{c!r}.{suggest(str(c), fw.indicators)}")
            if not codes:
                raise SpecError(f"{where(file, line, f'{fld}.exclude')}list at least one indicator")
            inputs.append(Exclusion(str(name), tuple(codes), bool(item.get("include_none", True))))
        elif "alternatives" in item:
            if stage is None:
                raise SpecError(f"{where(file, line, f'{fld}.stage')}missing: which stage do the alternatives "
                                f"change? Valid: {', '.join(STAGES)}")
            alts = item["alternatives"]
            if not isinstance(alts, list) or len(alts) < 2:
                raise SpecError(f"{where(file, _line(item, 'alternatives'), f'{fld}.alternatives')}list at least "
                                f"two alternatives")
            opts, specs = [], []
            for j, a in enumerate(alts):
                a = {"method": a} if isinstance(a, str) else a
                if not isinstance(a, dict):
                    raise SpecError(f"{where(file, _line(item, 'alternatives'), f'{fld}.alternatives[{j}]')}"
                                    f"must be a mapping of {stage} options, got {a!r}")
                try:
                    specs.append(spec.with_stage(stage, **dict(a)))
                except SpecError as exc:
                    aline = _line(a, None) or _line(item, "alternatives")
                    raise SpecError(f"{where(file, aline, f'{fld}.alternatives[{j}]')}{exc}") from None
                opts.append(dict(a))
            inputs.append(Alternatives(str(name), stage, tuple(opts), tuple(specs)))
        else:
            raise SpecError(f"{where(file, line, fld)}say what is uncertain: 'noise' (weights), 'alternatives' "
                            f"(with 'stage') or 'exclude'")
    if sum(isinstance(i, WeightNoise) for i in inputs) > 1:
        raise SpecError(f"{where(file, None, 'inputs')}declare weight noise once (list several levels instead)")
    return UASpec(tuple(inputs), target)


def _line(obj: Any, key: Any) -> int | None:
    if isinstance(obj, LineDict):
        return obj.line_of(str(key)) if key is not None else obj.line
    return None


def load_ua_spec(path: str | Path, spec: IndexSpec) -> UASpec:
    """Read and validate ``UA.yaml`` against the build ``spec``."""
    return make_ua_spec(load_yaml(path), spec, file=str(path))


# -- sampling ---------------------------------------------------------------------------------------------------------

def cut_bins(x: np.ndarray, k: int) -> np.ndarray:
    """0-based bin of each value when the observed range of ``x`` is cut into ``k`` equal bins (R ``cut(x, k)``,
    right-closed, range extended by 0.1 % at both ends) -- COINr's mapping of a sample to discrete choices."""
    x = np.asarray(x, dtype=float)
    if k <= 1:
        return np.zeros(x.shape, dtype=int)
    lo, hi = float(np.min(x)), float(np.max(x))
    dx = hi - lo
    if dx == 0:
        dx = abs(lo) if lo != 0 else 1.0
        breaks = np.linspace(lo - dx / 1000, hi + dx / 1000, k + 1)
    else:
        breaks = np.linspace(lo, hi, k + 1)
        breaks[0], breaks[-1] = lo - dx / 1000, hi + dx / 1000
    # right-closed intervals (b_i, b_{i+1}]
    return np.clip(np.searchsorted(breaks, x, side="left") - 1, 0, k - 1)


@dataclass(frozen=True)
class Draws:
    """Concrete draws: ``choices`` (n, n_discrete) option indices for the discrete inputs in declaration order, and
    ``factors`` (n, n_codes) weight multipliers in ``framework.codes`` order (1 where nothing is perturbed)."""

    choices: np.ndarray
    factors: np.ndarray

    @property
    def n(self) -> int:
        return int(self.factors.shape[0])


def discrete_inputs(ua: UASpec) -> tuple[Alternatives | Exclusion, ...]:
    return tuple(i for i in ua.inputs if not isinstance(i, WeightNoise))


def draws_from_sample(X: np.ndarray, spec: IndexSpec, ua: UASpec, rng: np.random.Generator) -> Draws:
    """Map a sample in [0, 1]^d (one column per input, declaration order) to :class:`Draws`."""
    fw = spec.framework
    n = X.shape[0]
    cols = []
    factors = np.ones((n, len(fw.codes)))
    for j, inp in enumerate(ua.inputs):
        if isinstance(inp, WeightNoise):
            n_sets = inp.sets or n
            ones = {c: 1.0 for c in fw.codes}
            sets = noisy_weights(fw, ones, {lv: inp.noise for lv in inp.levels}, n_sets, rng)
            factors = sets[cut_bins(X[:, j], n_sets)]
        else:
            cols.append(cut_bins(X[:, j], len(inp.options)))
    choices = np.column_stack(cols) if cols else np.zeros((n, 0), dtype=int)
    return Draws(choices.astype(int), factors)


def spec_for_choice(spec: IndexSpec, ua: UASpec, choice: tuple[int, ...]) -> IndexSpec:
    """The build spec of one combination of discrete choices (exclusions remove indicators from the framework)."""
    out = spec
    excluded: list[str] = []
    for inp, c in zip(discrete_inputs(ua), choice, strict=True):
        if isinstance(inp, Exclusion):
            if inp.options[c] is not None:
                excluded.append(inp.options[c])  # type: ignore[arg-type]
        else:
            out = dataclasses.replace(out, **{inp.stage: getattr(inp.specs[c], inp.stage)})
    if excluded:
        out = dataclasses.replace(out, framework=out.framework.without(excluded))
    return out


def evaluate_draws(spec: IndexSpec, data: IndexData, ua: UASpec, draws: Draws, *, units: tuple[str, ...] | None = None,
                   progress: Progress | None = None) -> np.ndarray:
    """Target scores of every draw: array (units, n). Units follow ``units`` (default: all units of the data);
    a unit screened out in a draw gets NaN."""
    fw = spec.framework
    target = ua.target or fw.root
    units = units or data.units
    upos = {u: i for i, u in enumerate(units)}
    out = np.full((len(units), draws.n), np.nan)
    combos, inverse = np.unique(draws.choices, axis=0, return_inverse=True) if draws.choices.shape[1] \
        else (np.zeros((1, 0), dtype=int), np.zeros(draws.n, dtype=int))
    inverse = np.asarray(inverse).reshape(-1)
    col = {c: i for i, c in enumerate(fw.codes)}
    done = 0
    for g, combo in enumerate(combos):
        rows = np.flatnonzero(inverse == g)
        s = spec_for_choice(spec, ua, tuple(int(c) for c in combo))
        stages, _, _, w = prepare(s, data)
        norm = stages["normalised"]
        gfw = s.framework
        base = np.array([w[c] for c in gfw.codes])
        W = draws.factors[np.ix_(rows, [col[c] for c in gfw.codes])] * base[None, :]
        uu = tuple(str(u) for u in norm.index)
        sc = aggregate_tree(gfw, norm.to_numpy(dtype=float), W, aggregate_methods(s), p=s.aggregate.p,
                            min_availability=s.aggregate.min_availability, units=uu,
                            keep=target != gfw.root)[target]
        idx = np.array([upos[u] for u in uu])
        out[np.ix_(idx, rows)] = sc
        done += rows.size
        if progress:
            progress(done, draws.n)
    return out


def rank_stats(ranks: np.ndarray) -> dict[str, np.ndarray]:
    """Mean, median, 5th and 95th percentile (R quantile type 7) of each unit's ranks over draws (NaN skipped)."""
    return {"mean_rank": np.nanmean(ranks, axis=1), "median_rank": np.nanmedian(ranks, axis=1),
            "q05_rank": np.nanquantile(ranks, 0.05, axis=1), "q95_rank": np.nanquantile(ranks, 0.95, axis=1)}


@dataclass(frozen=True)
class UncertaintyResult:
    """Scores and ranks of the target for the nominal build and every draw, with the parameters of each draw."""

    target: str
    units: tuple[str, ...]
    nominal_scores: np.ndarray
    nominal_ranks: np.ndarray
    scores: np.ndarray  # (units, n)
    ranks: np.ndarray  # (units, n)
    params: pd.DataFrame
    seed: int | None = None

    @property
    def n(self) -> int:
        return int(self.scores.shape[1])

    def rankstats(self) -> pd.DataFrame:
        st = rank_stats(self.ranks)
        df = pd.DataFrame({"uCode": list(self.units), "nominal_rank": pd.array(self.nominal_ranks, dtype="Float64")
                           .astype("Int64"), **st})
        return df.sort_values(["nominal_rank", "uCode"], kind="stable", na_position="last").reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        return self.rankstats()

    def scores_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.scores, index=pd.Index(self.units, name="uCode"),
                          columns=[f"r_{i + 1}" for i in range(self.n)])
        df.insert(0, "Nominal", self.nominal_scores)
        return df.reset_index()

    def to_dict(self) -> dict[str, Any]:
        rs = self.rankstats()
        return {"target": self.target, "n": self.n, "seed": self.seed,
                "rankstats": rs.astype(object).where(rs.notna(), None).to_dict(orient="records")}


def params_frame(spec: IndexSpec, ua: UASpec, draws: Draws) -> pd.DataFrame:
    """One row per draw: the label of each discrete choice and every perturbed weight factor."""
    fw = spec.framework
    cols: dict[str, Any] = {"rep": np.arange(1, draws.n + 1)}
    for j, inp in enumerate(discrete_inputs(ua)):
        labels = np.array(inp.labels, dtype=object)
        cols[inp.name] = labels[draws.choices[:, j]]
    for inp in ua.inputs:
        if isinstance(inp, WeightNoise):
            for k, c in enumerate(fw.codes):
                if fw.by_code[c].level in inp.levels:
                    cols[f"w_{c}"] = draws.factors[:, k]
    return pd.DataFrame(cols)


def nominal(spec: IndexSpec, data: IndexData, target: str, units: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    res = build(spec, data)
    sc = res.scores[target].reindex(list(units)).to_numpy(dtype=float)
    return sc, rank_desc(sc)


def run_uncertainty(spec: IndexSpec, data: IndexData, ua: UASpec, *, n: int = 1000, seed: int | None = None,
                    progress: Progress | None = None, draws: Draws | None = None) -> UncertaintyResult:
    """Uncertainty analysis with ``n`` random draws (seeded), or the given ``draws`` (e.g. replayed ones)."""
    if data.is_panel:
        raise SpecError("uncertainty analysis runs on one cross-section; select a year with data.at_time(year)")
    if not 1 <= n <= MAX_DRAWS:
        raise SpecError(f"n must be from 1 to {MAX_DRAWS:,}, got {n}")
    rng = np.random.default_rng(seed)
    if draws is None:
        X = rng.random((n, ua.d))
        draws = draws_from_sample(X, spec, ua, rng)
    target = ua.target or spec.framework.root
    units = data.units
    nom_s, nom_r = nominal(spec, data, target, units)
    scores = evaluate_draws(spec, data, ua, draws, units=units, progress=progress)
    ranks = rank_desc(scores, axis=0)
    return UncertaintyResult(target=target, units=units, nominal_scores=nom_s, nominal_ranks=nom_r, scores=scores,
                             ranks=ranks, params=params_frame(spec, ua, draws), seed=seed)


def default_ua_spec(spec: IndexSpec) -> UASpec:
    """The analysis of the COINr reference (used when no UA.yaml is given): weights of every aggregate level
    below the index x U(0.75, 1.25); normalisation min-max 1-100 or z-score (mean 10, sd 2); aggregation
    arithmetic or geometric at every level."""
    fw = spec.framework
    levels = list(range(2, fw.max_level)) or [1]
    doc = {"inputs": {
        "weights": {"noise": 0.25, "levels": levels},
        "normalisation": {"stage": "normalise", "alternatives": [{"method": "minmax", "range": [1, 100]},
                                                                 {"method": "zscore", "mean": 10, "sd": 2}]},
        "aggregation": {"stage": "aggregate", "alternatives": [{"method": "arithmetic"},
                                                               {"method": "geometric"}]}}}
    return make_ua_spec(doc, spec)
