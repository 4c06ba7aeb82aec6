"""Destination choice of Chinese visitors along the corridor: a nested logit calibrated to sourced arrivals.

Why a nested logit: visitors choose among Xishuangbanna, Pu'er, Luang Prabang, Vang Vieng, Vientiane and Thai
destinations, and destinations within one country are closer substitutes than across borders, so a change in Laos
(faster trains, visa waiver) draws first from other Lao destinations, then from Yunnan and Thailand in proportion
to their nest-level attractiveness (McFadden 1978; Train 2009, *Discrete Choice Methods with Simulation*, ch. 4).

Utility ``V_d = ASC_g(d) + b_time*time + b_cost*cost/100 + b_visa*visa + b_heritage*heritage``. The taste parameters
are explicit assumptions (no corridor estimate is published; see ``data/corridor_destinations.yaml``); the
constants are calibrated so that each calibration group (a destination or a country) reproduces its sourced
visitor count in the base year. The Monte Carlo draws taste parameters from their ranges and recalibrates, so the
spread in results reflects what we do not know about preferences. The total number of trips is held at the base
year's (a closed market: the model redistributes, it does not create demand).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from lmc.errors import unknown
from lmc.flows.errors import ConvergenceError, ScenarioError

VARIABLES = ("travel_time_h", "cost_cny", "visa_required", "heritage_sites", "available")
PARAMS = ("beta_time", "beta_cost", "beta_visa", "beta_heritage", "lambda_nest")


@dataclass(frozen=True)
class ChoiceData:
    """Destinations (rows) with attributes, nests, calibration groups and targets, and taste parameters."""

    destinations: pd.DataFrame          # index: destination id; cols: label, nest, country, VARIABLES, group
    targets: dict[str, float]           # group -> base-year visitors
    params: dict[str, float]            # central values
    ranges: dict[str, tuple[float, float]]
    base_year: int
    provenance: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("lmc.flows").joinpath("data/corridor_destinations.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_choice_data() -> ChoiceData:
    """The curated corridor inputs (``lmc/flows/data/corridor_destinations.yaml``) as a :class:`ChoiceData`."""
    raw = _raw()
    nests = raw["nests"]
    rows = []
    group_of: dict[str, str] = {}
    targets: dict[str, float] = {}
    for g in raw["calibration"]:
        targets[g["group"]] = float(g["visitors"])
        for d in g["destinations"]:
            group_of[d] = g["group"]
    for key, d in raw["destinations"].items():
        row = {"destination": key, "label": d["label"], "nest": d["nest"], "country": nests[d["nest"]]["country"],
               "group": group_of[key], "available": 1.0}
        for var in VARIABLES[:-1]:
            row[var] = float(d[var]["value"])
        rows.append(row)
    df = pd.DataFrame(rows).set_index("destination")
    p = raw["parameters"]
    return ChoiceData(
        destinations=df, targets=targets,
        params={k: float(p[k]["value"]) for k in PARAMS},
        ranges={k: (float(p[k]["low"]), float(p[k]["high"])) for k in PARAMS},
        base_year=int(raw["meta"]["base_year"]), provenance=raw,
    )


def utilities(dest: pd.DataFrame, params: dict[str, float], asc: pd.Series) -> np.ndarray:
    """Systematic utility of each destination (``asc`` indexed by calibration group)."""
    return (asc.reindex(dest["group"]).to_numpy()
            + params["beta_time"] * dest["travel_time_h"].to_numpy()
            + params["beta_cost"] * dest["cost_cny"].to_numpy() / 100.0
            + params["beta_visa"] * dest["visa_required"].to_numpy()
            + params["beta_heritage"] * dest["heritage_sites"].to_numpy())


def nested_logit_shares(v: np.ndarray, nests: np.ndarray, available: np.ndarray, lam: float) -> np.ndarray:
    """Choice probabilities of a two-level nested logit with one dissimilarity ``lam`` for every nest.

    Unavailable alternatives get probability 0; a nest with none available drops out. Computed in logs with
    max-subtraction so large utilities do not overflow.
    """
    if not 0 < lam <= 1:
        raise ScenarioError(f"lambda_nest must be in (0, 1] for a model consistent with utility maximisation; got {lam}")
    avail = available > 0
    if not avail.any():
        raise ScenarioError("no destination is available in this scenario")
    p = np.zeros(len(v))
    ivs, members = [], []
    for n in pd.unique(nests):
        idx = np.flatnonzero((nests == n) & avail)
        if len(idx) == 0:
            continue
        z = v[idx] / lam
        m = z.max()
        iv = m + np.log(np.exp(z - m).sum())
        ivs.append(lam * iv)
        members.append((idx, np.exp(z - iv)))
    ivs_a = np.array(ivs)
    pn = np.exp(ivs_a - ivs_a.max())
    pn /= pn.sum()
    for share, (idx, cond) in zip(pn, members):
        p[idx] = share * cond
    return p


def calibrate(data: ChoiceData, params: dict[str, float] | None = None, *, tol: float = 1e-10,
              maxiter: int = 2000) -> pd.Series:
    """Alternative-specific constants (per calibration group) that reproduce the base-year visitor counts.

    The classic constant-adjustment iteration ``ASC_g += lambda * log(target_g / predicted_g)`` (damped by the
    nest dissimilarity because within-nest responses are ``1/lambda`` times stronger).
    """
    params = params or data.params
    dest = data.destinations
    groups = list(data.targets)
    target = np.array([data.targets[g] for g in groups])
    target = target / target.sum()
    code = pd.Categorical(dest["group"], categories=groups).codes
    if (code < 0).any():
        raise ScenarioError(f"destinations without a calibration group: {list(dest.index[code < 0])}")
    base_v = utilities(dest, params, pd.Series(0.0, index=groups))
    nests = dest["nest"].to_numpy()
    avail = dest["available"].to_numpy()
    asc = np.zeros(len(groups))
    log: list[str] = []
    for it in range(1, maxiter + 1):
        p = nested_logit_shares(base_v + asc[code], nests, avail, params["lambda_nest"])
        pred = np.bincount(code, weights=p, minlength=len(groups))
        step = np.log(target / pred)
        err = float(np.max(np.abs(step)))
        if it <= 5 or it % 100 == 0:
            log.append(f"it={it} max|log(target/pred)|={err:.3e}")
        if err < tol:
            return pd.Series(asc - asc[0], index=groups)
        asc = asc + params["lambda_nest"] * step
    raise ConvergenceError(f"destination-choice calibration did not converge in {maxiter} iterations", log)


@dataclass(frozen=True)
class Shock:
    """A change to one attribute of some destinations: ``op`` is ``set``, ``add`` or ``scale``."""

    variable: str
    destinations: tuple[str, ...]
    value: float
    op: str = "set"


def apply_shocks(dest: pd.DataFrame, shocks: list[Shock]) -> pd.DataFrame:
    """A copy of the destination table with the shocks applied (validated against the valid names)."""
    out = dest.copy()
    for s in shocks:
        if s.variable not in VARIABLES:
            raise ScenarioError(unknown("variable", s.variable, VARIABLES))
        for d in s.destinations:
            if d not in out.index:
                raise ScenarioError(unknown("destination", d, out.index))
        rows = list(s.destinations)
        if s.op == "set":
            out.loc[rows, s.variable] = float(s.value)
        elif s.op == "add":
            out.loc[rows, s.variable] = out.loc[rows, s.variable] + float(s.value)
        elif s.op == "scale":
            out.loc[rows, s.variable] = out.loc[rows, s.variable] * float(s.value)
        else:
            raise ScenarioError(unknown("shock op", s.op, ["set", "add", "scale"]))
    if (out["travel_time_h"] < 0).any() or (out["cost_cny"] < 0).any():
        raise ScenarioError("shocks made a travel time or cost negative")
    return out


def expand_destinations(names: list[str], dest: pd.DataFrame) -> tuple[str, ...]:
    """Destination ids from a list that may also name nests (``laos``) or countries (``LAO``)."""
    out: list[str] = []
    for n in names:
        if n in dest.index:
            out.append(n)
        elif n in set(dest["nest"]):
            out.extend(dest.index[dest["nest"] == n])
        elif n in set(dest["country"]):
            out.extend(dest.index[dest["country"] == n])
        else:
            valid = list(dest.index) + sorted(set(dest["nest"])) + sorted(set(dest["country"]))
            raise ScenarioError(unknown("destination", n, valid))
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class ChoiceResult:
    """Visitors and shares per destination, baseline vs scenario, with Monte Carlo percentiles."""

    table: pd.DataFrame        # one row per destination
    n_draws: int
    seed: int
    base_year: int

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"base_year": self.base_year, "n_draws": self.n_draws, "seed": self.seed,
                "destinations": self.table.reset_index().to_dict(orient="records")}


def _simulate_once(data: ChoiceData, params: dict[str, float], base: pd.DataFrame, scen: pd.DataFrame
                   ) -> tuple[np.ndarray, np.ndarray]:
    asc = calibrate(data, params)
    total = sum(data.targets.values())
    lam = params["lambda_nest"]
    p0 = nested_logit_shares(utilities(base, params, asc), base["nest"].to_numpy(), base["available"].to_numpy(), lam)
    p1 = nested_logit_shares(utilities(scen, params, asc), scen["nest"].to_numpy(), scen["available"].to_numpy(), lam)
    return p0 * total, p1 * total


def simulate(data: ChoiceData, shocks: list[Shock], *, baseline_shocks: list[Shock] | None = None,
             n_draws: int = 200, seed: int = 0) -> ChoiceResult:
    """Visitors per destination in the baseline and the scenario (central values plus 5-95% Monte Carlo bands).

    ``baseline_shocks`` define the baseline relative to the calibrated base year (e.g. borders closed before a
    reopening); ``shocks`` define the scenario relative to the same calibrated state.
    """
    base = apply_shocks(data.destinations, baseline_shocks or [])
    scen = apply_shocks(data.destinations, (baseline_shocks or []) + shocks)
    v0, v1 = _simulate_once(data, data.params, base, scen)
    rng = np.random.default_rng(seed)
    draws0, draws1 = [], []
    for _ in range(n_draws):
        prm = {k: float(rng.uniform(*data.ranges[k])) for k in PARAMS}
        a, b = _simulate_once(data, prm, base, scen)
        draws0.append(a)
        draws1.append(b)
    t = data.destinations[["label", "nest", "country"]].copy()
    t["visitors_baseline"] = v0
    t["visitors_scenario"] = v1
    t["change"] = v1 - v0
    with np.errstate(divide="ignore", invalid="ignore"):  # no percentage change from zero (e.g. closed before)
        t["change_pct"] = np.where(v0 > 0, 100 * (v1 / v0 - 1), np.nan)
    total = sum(data.targets.values())
    t["share_baseline_pct"] = 100 * v0 / total
    t["share_scenario_pct"] = 100 * v1 / total
    if n_draws:
        d = np.array(draws1) - np.array(draws0)
        t["change_p05"] = np.percentile(d, 5, axis=0)
        t["change_p95"] = np.percentile(d, 95, axis=0)
        t["visitors_scenario_p05"] = np.percentile(np.array(draws1), 5, axis=0)
        t["visitors_scenario_p95"] = np.percentile(np.array(draws1), 95, axis=0)
    return ChoiceResult(table=t, n_draws=n_draws, seed=seed, base_year=data.base_year)
