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
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.indicators.panel import build_panel
from lmc.sources.harmonise import lmc_pairs, split_pair
from lmc.sci import engine
from lmc.sci.framework import Framework


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
                provinces: list[str]) -> dict[str, dict[str, pd.DataFrame]]:
    """Panels per level and imputation method: ``{level: {"linear": panel, "none": panel}}``."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for level in ("pair", "country", "province"):
        inds = {i.id: values[i.id] for i in framework.indicators_for(level) if i.id in values}
        units = level_units(level, provinces)
        out[level] = {m: build_panel(inds, units, years, m) for m in ("linear", "none")}
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


def normalised(la: LevelArrays, normalise: str, impute: str) -> np.ndarray:
    return engine.normalise(la.values[impute], transforms=la.transforms, goalposts=la.goalposts,
                            directions=la.directions, method=normalise)  # type: ignore[arg-type]


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
    return engine.pillar_scores(norm[:, :, cols], pillar_of, pillars, np.array(weights), spec.aggregate)  # type: ignore[arg-type]


def score_all(arrays: Arrays, spec: SciSpec, framework: Framework,
              norm_cache: dict | None = None) -> dict[str, LevelScores]:
    """Pillar and index scores for every level under ``spec``."""
    pw = np.asarray(spec.pillar_weights, dtype=float)
    pillars = arrays.pillars

    def norm(level: str) -> np.ndarray:
        key = (level, spec.normalise, spec.impute)
        if norm_cache is not None and key in norm_cache:
            return norm_cache[key]
        n = normalised(arrays.levels[level], spec.normalise, spec.impute)
        if norm_cache is not None:
            norm_cache[key] = n
        return n

    out: dict[str, LevelScores] = {}
    pa = arrays.levels["pair"]
    pp = _pair_pillars(pa, norm("pair"), spec, pillars, framework)
    out["pair"] = LevelScores(pa.units, pp, engine.aggregate(pp, pw, spec.aggregate))  # type: ignore[arg-type]

    ca = arrays.levels["country"]
    own = engine.pillar_scores(norm("country"), ca.pillar_of, pillars, ca.weights, spec.aggregate)  # type: ignore[arg-type]
    members = np.zeros((len(ca.units), len(pa.units)))
    for j, p in enumerate(pa.units):
        for c in split_pair(p):
            members[ca.units.index(c), j] = 1.0
    with np.errstate(invalid="ignore"):
        pair_part = np.einsum("cp,pyk->cyk", members, np.nan_to_num(pp)) / members.sum(axis=1)[:, None, None]
    blend = np.stack([pair_part, own], axis=-1)
    cp = engine.aggregate(blend, np.array([spec.pair_share, 1 - spec.pair_share]), "arithmetic")
    out["country"] = LevelScores(ca.units, cp, engine.aggregate(cp, pw, spec.aggregate))  # type: ignore[arg-type]

    va = arrays.levels.get("province")
    if va is not None and len(va.indicators):
        vp = engine.pillar_scores(norm("province"), va.pillar_of, pillars, va.weights, spec.aggregate)  # type: ignore[arg-type]
        out["province"] = LevelScores(va.units, vp, engine.aggregate(vp, pw, spec.aggregate))  # type: ignore[arg-type]
    return out


def scores_frame(scores: dict[str, LevelScores], years: tuple[int, ...], pillars: tuple[str, ...]) -> pd.DataFrame:
    """The long ``level, unit, year, pillar, score, rank`` table (``pillar = 'index'`` for the overall score);
    ranks are within level, year and pillar, 1 = most connected."""
    rows = []
    for level, ls in scores.items():
        blocks = [("index", ls.index)] + [(p, ls.pillars[:, :, j]) for j, p in enumerate(pillars)]
        for name, mat in blocks:
            ranks = engine.rank_desc(mat, axis=0)
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
