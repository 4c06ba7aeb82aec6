"""From the indicator panel to pillar and index scores at the three levels, for one set of construction choices.

:class:`SciSpec` holds every choice the uncertainty analysis varies (normalisation, aggregation, pillar weights,
per-capita versus absolute flows, imputation); :func:`score_all` is a pure function of (arrays, spec).

Levels:
* **pair** - the core: indicators -> pillars -> index for the 15 pairs;
* **country** - each pillar blends the mean of the country's five pair scores (share ``pair_share``, default 2/3)
  with the country's own indicators in that pillar (the rest); where a pillar has no country indicator, the pair
  part alone;
* **province** - corridor provinces, from the pillars their indicators support (institutions has none: the
  methodology says so).

Numerics: normalisation, weighted means and ranks are the composite-index engine's kernels (:mod:`lmc.index`:
``normalise_column``, ``aggregate_node``, ``rank_desc``); this module adds only the SCI's own steps around them
(``log1p`` transforms, bounds pooled over units x years, the floor of the geometric mean, the levels and blend).
Fixed goalposts are nominal because with min-max per year a pair's score would move when *other* pairs change, and
2016 and 2024 scores would not compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.index.aggregate import aggregate_node
from lmc.index.normalise import normalise_column
from lmc.index.results import rank_desc
from lmc.index.spec import NormaliseSpec
from lmc.indicators.panel import build_panel
from lmc.sources.harmonise import lmc_pairs, split_pair
from lmc.sci.framework import Framework

NORMALISE_METHODS: tuple[str, ...] = ("goalposts", "minmax", "rank")
AGGREGATE_METHODS: tuple[str, ...] = ("arithmetic", "geometric")

# The SCI's normalisation choices as options of the composite-index engine (lmc.index): scores 0..100 with
# 100 = most connected; bounds come from the whole units x years column (pooled), so years stay comparable.
ENGINE_NORMALISE: dict[str, NormaliseSpec] = {
    "goalposts": NormaliseSpec(method="goalposts", scale=100.0),  # fixed goalposts, clipped (nominal)
    "minmax": NormaliseSpec(method="minmax", range=(0.0, 100.0)),  # observed panel range
    "rank": NormaliseSpec(method="percentile", scale=100.0, ties="average"),  # percentile rank, ties averaged
}


@dataclass(frozen=True)
class SciSpec:
    """Construction choices. The defaults are the nominal SCI."""

    normalise: str = "goalposts"
    aggregate: str = "arithmetic"
    impute: str = "linear"
    per_capita: bool = False
    pillar_weights: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)
    pair_share: float = 2.0 / 3.0

    def to_dict(self) -> dict:
        return {"normalise": self.normalise, "aggregate": self.aggregate, "impute": self.impute,
                "per_capita": self.per_capita, "pillar_weights": list(self.pillar_weights),
                "pair_share": self.pair_share}


@dataclass(frozen=True, eq=False)
class LevelArrays:
    """One level's panel as arrays: ``values[impute]`` has shape (units, years, indicators)."""

    level: str
    units: tuple[str, ...]
    indicators: tuple[str, ...]
    values: dict[str, np.ndarray]
    transforms: tuple[str, ...]
    goalposts: np.ndarray
    directions: np.ndarray
    weights: np.ndarray
    pillar_of: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Arrays:
    years: tuple[int, ...]
    pillars: tuple[str, ...]
    levels: dict[str, LevelArrays] = field(default_factory=dict)


def level_units(level: str, provinces: list[str]) -> list[str]:
    return {"pair": lmc_pairs(), "country": list(LMC_COUNTRIES), "province": provinces}[level]


def make_panels(values: dict[str, pd.DataFrame], framework: Framework, years: list[int],
                provinces: list[str], reopen: dict[str, int] | None = None) -> dict[str, dict[str, pd.DataFrame]]:
    """Panels per level and imputation method: ``{level: {"linear": panel, "none": panel}}`` ("linear" is the
    imputation policy of :mod:`lmc.indicators.imputation`, with the countries' reopening years ``reopen``)."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for level in ("pair", "country", "province"):
        fw = framework.with_alternatives(level)
        inds = {i.id: values[i.id] for i in fw if i.id in values}
        units = level_units(level, provinces)
        sources = {i.id: i.source for i in fw}
        out[level] = {m: build_panel(inds, units, years, m, reopen=reopen, default_sources=sources)
                      for m in ("linear", "none")}
    return out


def zero_variance(panel: pd.DataFrame) -> list[str]:
    """Indicators whose filled values do not vary at all (or are all missing): they cannot discriminate."""
    g = panel.groupby("indicator")["value"]
    return sorted(k for k, s in g if s.nunique(dropna=True) <= 1)


def make_arrays(panels: dict[str, dict[str, pd.DataFrame]], framework: Framework, years: list[int],
                provinces: list[str], exclude: dict[str, list[str]]) -> Arrays:
    arr = Arrays(tuple(years), tuple(framework.pillar_ids()))
    for level, byimp in panels.items():
        units = level_units(level, provinces)
        inds = [i for i in framework.indicators_for(level)
                if i.id in set(byimp["linear"]["indicator"]) and i.id not in exclude.get(level, [])]
        vals = {}
        for m, panel in byimp.items():
            cube = np.full((len(units), len(years), len(inds)), np.nan)
            for k, ind in enumerate(inds):
                w = panel[panel["indicator"] == ind.id].pivot(index="unit", columns="year", values="value")
                cube[:, :, k] = w.reindex(index=units, columns=years).to_numpy(dtype=float)
            vals[m] = cube
        arr.levels[level] = LevelArrays(
            level, tuple(units), tuple(i.id for i in inds), vals, tuple(i.transform for i in inds),
            np.array([i.goalposts for i in inds], dtype=float).reshape(-1, 2), np.array([i.direction for i in inds]),
            np.array([i.weight for i in inds], dtype=float), tuple(i.pillar for i in inds))
    return arr


def transform(x: np.ndarray, kind: str) -> np.ndarray:
    """The framework's per-indicator transform: ``log1p`` compares counts and flows in log space (goalposts
    alike); anything else is linear."""
    if kind == "log1p":
        return np.log1p(np.maximum(x, 0.0))
    return x


def normalise(cube: np.ndarray, *, transforms: Sequence[str], goalposts: np.ndarray, directions: np.ndarray,
              method: str = "goalposts", codes: Sequence[str] = ()) -> np.ndarray:
    """Scores 0..100 for ``cube`` (units, years, indicators) by :func:`lmc.index.normalise.normalise_column` with
    :data:`ENGINE_NORMALISE`, each indicator pooled over all units and years; NaN stays NaN.

    SCI-specific steps around the engine: the ``log1p`` transform (values and goalposts), an indicator with no
    value stays NaN, and one without spread scores 50 under the data-relative methods (the engine refuses to
    rescale it)."""
    spec = ENGINE_NORMALISE[method]
    out = np.full(cube.shape, np.nan)
    for k in range(cube.shape[2]):
        col = transform(cube[:, :, k].astype(float), transforms[k]).ravel()
        ok = ~np.isnan(col)
        if not ok.any():
            continue
        if method != "goalposts" and np.nanmin(col) == np.nanmax(col):
            s = np.where(ok, 50.0, np.nan)
        else:
            gp = transform(np.asarray(goalposts[k], dtype=float), transforms[k])
            s = normalise_column(codes[k] if k < len(codes) else str(k), col, int(directions[k]), spec,
                                 goalposts=(float(gp[0]), float(gp[1])))
        out[:, :, k] = s.reshape(cube.shape[:2])
    return out


def aggregate(scores: np.ndarray, weights: np.ndarray, method: str = "arithmetic") -> np.ndarray:
    """Weighted mean over the last axis by :func:`lmc.index.aggregate.aggregate_node` (missing values skipped,
    remaining weights re-scaled; all missing gives NaN). ``weights`` of shape (k,) gives ``scores.shape[:-1]``;
    a stack of weight sets (n, k) gives ``scores.shape[:-1] + (n,)`` in one array operation.

    ``geometric`` floors 0..100 scores at 1 first (SCI rule: a zero would otherwise veto the whole pillar)."""
    w = np.asarray(weights, dtype=float)
    ws = w[None, :] if w.ndim == 1 else w
    lead, k = scores.shape[:-1], scores.shape[-1]
    x = scores.reshape(-1, k)[:, :, None]
    if method == "geometric":
        x = np.maximum(x, 1.0)
    y = aggregate_node(x, ws, method).reshape(lead + (ws.shape[0],))
    return y[..., 0] if w.ndim == 1 else y


def pillar_scores(norm: np.ndarray, pillar_of: Sequence[str], pillars: Sequence[str], weights: np.ndarray,
                  method: str = "arithmetic") -> np.ndarray:
    """(units, years, indicators) scores -> (units, years, pillars); a pillar with no indicator is NaN."""
    out = np.full(norm.shape[:2] + (len(pillars),), np.nan)
    pillar_of = np.asarray(pillar_of)
    for j, p in enumerate(pillars):
        idx = np.where(pillar_of == p)[0]
        if len(idx):
            out[:, :, j] = aggregate(norm[:, :, idx], weights[idx], method)
    return out


def normalised(la: LevelArrays, normalise_method: str, impute: str) -> np.ndarray:
    return normalise(la.values[impute], transforms=la.transforms, goalposts=la.goalposts, directions=la.directions,
                     method=normalise_method, codes=la.indicators)


@dataclass(frozen=True, eq=False)
class LevelScores:
    units: tuple[str, ...]
    pillars: np.ndarray  # (units, years, pillars)
    index: np.ndarray  # (units, years)


def _pair_pillars(la: LevelArrays, norm: np.ndarray, spec: SciSpec, pillars: tuple[str, ...],
                  framework: Framework) -> np.ndarray:
    """Pillar scores at pair level; with ``per_capita`` the absolute indicator is replaced by its per-capita
    alternative in the same pillar."""
    cols = list(range(len(la.indicators)))
    pillar_of = list(la.pillar_of)
    weights = list(la.weights)
    if spec.per_capita:
        for k, ind in enumerate(la.indicators):
            alt = framework.indicator(ind).per_capita_alternative
            if alt and alt in la.indicators:
                cols[k] = la.indicators.index(alt)
    return pillar_scores(norm[:, :, cols], pillar_of, pillars, np.array(weights), spec.aggregate)


def level_pillars(arrays: Arrays, spec: SciSpec, framework: Framework,
                  norm_cache: dict | None = None) -> dict[str, tuple[tuple[str, ...], np.ndarray]]:
    """Pillar scores (units, years, pillars) for every level under ``spec``: ``{level: (units, pillars)}``.
    The pillar weights do not enter here (only :func:`score_all`'s last step), so the uncertainty analysis
    computes this once per combination of discrete choices."""
    pillars = arrays.pillars

    def norm(level: str) -> np.ndarray:
        key = (level, spec.normalise, spec.impute)
        if norm_cache is not None and key in norm_cache:
            return norm_cache[key]
        n = normalised(arrays.levels[level], spec.normalise, spec.impute)
        if norm_cache is not None:
            norm_cache[key] = n
        return n

    out: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    pa = arrays.levels["pair"]
    pp = _pair_pillars(pa, norm("pair"), spec, pillars, framework)
    out["pair"] = (pa.units, pp)

    ca = arrays.levels["country"]
    own = pillar_scores(norm("country"), ca.pillar_of, pillars, ca.weights, spec.aggregate)
    members = np.zeros((len(ca.units), len(pa.units)))
    for j, p in enumerate(pa.units):
        for c in split_pair(p):
            members[ca.units.index(c), j] = 1.0
    with np.errstate(invalid="ignore"):
        pair_part = np.einsum("cp,pyk->cyk", members, np.nan_to_num(pp)) / members.sum(axis=1)[:, None, None]
    blend = np.stack([pair_part, own], axis=-1)
    out["country"] = (ca.units, aggregate(blend, np.array([spec.pair_share, 1 - spec.pair_share]), "arithmetic"))

    va = arrays.levels.get("province")
    if va is not None and len(va.indicators):
        out["province"] = (va.units, pillar_scores(norm("province"), va.pillar_of, pillars, va.weights,
                                                   spec.aggregate))
    return out


def score_all(arrays: Arrays, spec: SciSpec, framework: Framework,
              norm_cache: dict | None = None) -> dict[str, LevelScores]:
    """Pillar and index scores for every level under ``spec``."""
    pw = np.asarray(spec.pillar_weights, dtype=float)
    return {level: LevelScores(units, pil, aggregate(pil, pw, spec.aggregate))
            for level, (units, pil) in level_pillars(arrays, spec, framework, norm_cache).items()}


def scores_frame(scores: dict[str, LevelScores], years: tuple[int, ...], pillars: tuple[str, ...]) -> pd.DataFrame:
    """The long ``level, unit, year, pillar, score, rank`` table (``pillar = 'index'`` for the overall score);
    ranks are within level, year and pillar, 1 = most connected."""
    rows = []
    for level, ls in scores.items():
        blocks = [("index", ls.index)] + [(p, ls.pillars[:, :, j]) for j, p in enumerate(pillars)]
        for name, mat in blocks:
            ranks = rank_desc(mat, axis=0)
            for i, u in enumerate(ls.units):
                for t, y in enumerate(years):
                    s = mat[i, t]
                    if np.isnan(s):
                        continue
                    rows.append((level, u, int(y), name, round(float(s), 6), int(ranks[i, t])))
    df = pd.DataFrame(rows, columns=["level", "unit", "year", "pillar", "score", "rank"])
    order = {"country": 0, "pair": 1, "province": 2}
    porder = {p: i for i, p in enumerate(("index",) + tuple(pillars))}
    df = df.sort_values(["level", "year", "pillar", "rank", "unit"],
                        key=lambda s: s.map(order) if s.name == "level" else (s.map(porder) if s.name == "pillar" else s))
    return df.reset_index(drop=True)
