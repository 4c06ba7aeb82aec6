"""Destination choice of Chinese travellers along the corridor: a demand model that can say "no".

Why this structure (McFadden 1978; Train 2009, *Discrete Choice Methods with Simulation*, ch. 4):

* **Who chooses.** Two origin segments, Yunnan residents and the rest of China, each with its own market of
  potential trips. A Shanghai resident flying to Bangkok is not a visitor diverted from Pu'er.
* **What they choose.** Xishuangbanna and Pu'er (a Yunnan nest), Laos, Thailand and Vietnam (an abroad nest), or
  **no trip / elsewhere** (the outside option, utility 0). Total trips are not fixed: a better trip abroad draws
  mostly from the outside option, and closing borders sends most would-be travellers nowhere on the corridor.
* **How they get there.** Each destination is reached by air, rail or road; the modes' logsum
  ``theta * log(sum_m exp(u_m / theta))`` with ``u_m = beta_time * time + beta_cost * cost / 100 + mode constant``
  enters the destination's utility. Only rail users gain from a faster train.
* **Capacity.** Cross-border train seats (seats per train x trains x days, the Chinese share of them) are a
  constraint. Daily demand varies (``daily_cv``), so the trips served are ``E[min(demand x noise, capacity)]``; a
  shadow price on rail lowers its demand to what can be served and the rest choose again.
* **Tastes.** The visa coefficient is estimated (:mod:`lmc.flows.visa_effect`: Thailand's 2023 waiver); the time
  taste is the cost taste times a value of travel time derived from Chinese wages (so a faster train matters as
  much as the hours are worth to the traveller); the cost taste, mode constants, outside shares and segment splits
  are labelled assumptions drawn from wide ranges.
* **Calibration.** Destination constants per segment reproduce the sourced arrivals of the calibration year (2019
  or 2024), each target drawn with its measurement uncertainty. Conditions of other years (visa rules and group
  tours by date, train seats and times, the propensity to travel abroad by passport relative to 2019) are imposed as
  dated periods; a prediction for another year also draws each destination's taste drift
  (:func:`destination_drift_sd`, from Thailand's arrivals by ASEAN nationality in the warehouse).

Every Monte Carlo draw recalibrates, so bands cover tastes, targets, times and costs, capacities and drift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr  # the normal CDF, without importing scipy.stats (seconds at start-up)

from lmc import yamldoc
from lmc.errors import unknown
from lmc.flows.errors import ConvergenceError, ScenarioError
from lmc.flows.visa_effect import VisaEffect, estimate_visa_effect

MODES = ("air", "rail", "road")
OUTSIDE = "no_trip"
OUTSIDE_LABEL = {"en": "No trip / elsewhere", "zh": "不出行 / 其他目的地"}
RAIL_DESTINATION = "laos"
"""The destination reached by the cross-border train (its seats are the rail capacity constraint)."""

VARIABLES: dict[str, tuple[float, float, str]] = {
    "travel_time_h": (0.0, 72.0, "hours door to door, one way"),
    "cost_cny": (0.0, 50_000.0, "CNY one way"),
    "visa_required": (0.0, 1.0, "1 = visa needed, 0 = visa-free (a share between)"),
    "available": (0.0, 1.0, "1 = open to Chinese travellers, 0 = closed"),
    "rail_seats_per_train": (0.0, 2_000.0, "cross-border seats per train"),
    "rail_trains_per_day": (0.0, 20.0, "international trains per day, each way"),
    "abroad_index": (0.0, 3.0, "propensity to travel abroad by passport, 2019 = 1"),
}
"""Variables a choice scenario may shock, with the allowed range of the resulting value and its unit."""
YEAR_VARIABLES = ("rail_seats_per_train", "rail_trains_per_day", "abroad_index")


# --------------------------------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Ranged:
    value: float
    low: float
    high: float

    @classmethod
    def of(cls, d: dict[str, Any]) -> Ranged:
        v = float(d["value"])
        return cls(v, float(d.get("low", v)), float(d.get("high", v)))


@dataclass(frozen=True)
class RailService:
    trains_per_day: float
    seats: tuple[float, float]
    extra_time_h: float


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    visa: dict[str, float | str]
    rail: RailService | None
    groups_closed: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class ChoiceData:
    """The curated inputs of ``data/choice_corridor.yaml`` as arrays: segments x destinations x modes."""

    segments: tuple[str, ...]
    destinations: tuple[str, ...]
    labels: dict[str, dict[str, str]]
    nest: np.ndarray                 # (D,) 0 = Yunnan, 1 = abroad
    country: dict[str, str]
    avail: np.ndarray                # (S, D, M) bool
    time: np.ndarray                 # (3, S, D, M): value, low, high
    cost: np.ndarray                 # (3, S, D, M)
    outside_share: np.ndarray        # (3, S)
    yunnan_share: np.ndarray         # (3, D)
    group_share: np.ndarray          # (3, D) (0 for Yunnan destinations)
    targets: dict[int, np.ndarray]   # year -> (2, D): value, cv
    rail_targets: dict[int, tuple[float, float]]  # year -> (train border crossings per day, cv)
    observed: dict[int, dict[str, dict[str, Any]]]
    params: dict[str, Ranged]
    indices: dict[str, dict[int, Ranged]]
    periods: dict[int, tuple[Period, ...]]
    visa_effect: VisaEffect
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def abroad(self) -> np.ndarray:
        return self.nest == 1

    def index(self, d: str) -> int:
        return self.destinations.index(d)

    @property
    def calibration_years(self) -> tuple[int, ...]:
        return tuple(sorted(self.targets))

    @property
    def condition_years(self) -> tuple[int, ...]:
        return tuple(sorted(self.periods))

    def label(self, key: str, lang: str = "en") -> str:
        return (OUTSIDE_LABEL if key == OUTSIDE else self.labels[key]).get(lang) or key


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("lmc.flows").joinpath("data/choice_corridor.yaml").read_text(encoding="utf-8")
    return yamldoc.safe_load(text)


@lru_cache(maxsize=1)
def names() -> dict[str, tuple[str, str]]:
    """English and Chinese names of the model's destinations, origin segments and the no-trip option, keyed by id
    (reports label the headline's per-destination figures with them)."""
    raw = _raw()
    out = {k: (v["label"]["en"], v["label"]["zh"]) for part in ("segments", "destinations")
           for k, v in raw[part].items()}
    out[OUTSIDE] = (OUTSIDE_LABEL["en"], OUTSIDE_LABEL["zh"])
    return out


def _ranged3(d: dict[str, Any]) -> tuple[float, float, float]:
    r = Ranged.of(d)
    if not r.low <= r.value <= r.high:
        raise ScenarioError(f"choice_corridor.yaml: need low <= value <= high in {d}")
    return r.value, r.low, r.high


@lru_cache(maxsize=1)
def load_choice_data() -> ChoiceData:
    """The corridor inputs (``lmc/flows/data/choice_corridor.yaml``) and the estimated visa effect."""
    raw = _raw()
    segs = tuple(raw["segments"])
    dests = tuple(raw["destinations"])
    S, D, M = len(segs), len(dests), len(MODES)
    avail = np.zeros((S, D, M), dtype=bool)
    time = np.full((3, S, D, M), np.nan)
    cost = np.full((3, S, D, M), np.nan)
    for s, seg in enumerate(segs):
        for d, dest in enumerate(dests):
            for mode, attrs in (raw["modes"][seg].get(dest) or {}).items():
                m = MODES.index(mode)
                avail[s, d, m] = True
                time[:, s, d, m] = _ranged3(attrs["time_h"])
                cost[:, s, d, m] = _ranged3(attrs["cost_cny"])
    periods = {}
    for year, items in raw["periods"].items():
        ps = []
        for p in items:
            rail = p.get("rail")
            ps.append(Period(start=p["start"], end=p["end"], visa=dict(p["visa_required"]),
                             groups_closed=tuple(p.get("groups_closed") or ()),
                             rail=None if not rail else RailService(float(rail["trains_per_day"]),
                                                                    (float(rail["seats"][0]), float(rail["seats"][1])),
                                                                    float(rail["extra_time_h"]))))
        if sum(x.days for x in ps) not in (365, 366):
            raise ScenarioError(f"choice_corridor.yaml: periods of {year} do not cover the year")
        periods[int(year)] = tuple(ps)
    targets = {int(y): np.array([[float(t[d]["value"]) for d in dests], [float(t[d]["cv"]) for d in dests]])
               for y, t in raw["targets"].items()}
    nest = np.array([0 if raw["destinations"][d]["nest"] == "yunnan" else 1 for d in dests])
    if (np.diff(nest) < 0).any():
        raise ScenarioError("choice_corridor.yaml: list the Yunnan destinations before those abroad")
    return ChoiceData(
        segments=segs, destinations=dests,
        labels={k: v["label"] for k, v in raw["destinations"].items()} | {k: v["label"] for k, v in raw["segments"].items()},
        nest=nest,
        country={d: raw["destinations"][d]["country"] for d in dests}, avail=avail, time=time, cost=cost,
        outside_share=np.array([_ranged3(raw["segments"][s]["outside_share"]) for s in segs]).T,
        yunnan_share=np.array([_ranged3(raw["yunnan_share"][d]) for d in dests]).T,
        group_share=np.array([_ranged3(raw["group_share"][d]) if d in raw["group_share"] else (0.0, 0.0, 0.0)
                              for d in dests]).T,
        targets=targets,
        rail_targets={int(y): (float(r["crossings_per_day"]), float(r["cv"]))
                      for y, r in (raw.get("rail_targets") or {}).items()},
        observed={int(y): v for y, v in raw["observed"].items() if str(y).isdigit()},
        params={k: Ranged.of(v) for k, v in raw["parameters"].items()},
        indices={k: {int(y): Ranged.of(v) for y, v in by.items()} for k, by in raw["indices"].items()},
        periods=periods, visa_effect=estimate_visa_effect(), raw=raw,
    )


def expand_destinations(names: list[str] | tuple[str, ...], data: ChoiceData) -> tuple[str, ...]:
    """Destination ids from names that may also be nests (``abroad``, ``yunnan``) or ISO3 codes (``LAO``)."""
    nests = {"yunnan": 0, "abroad": 1}
    out: list[str] = []
    for n in names:
        if n in data.destinations:
            out.append(n)
        elif n in nests:
            out += [d for d, g in zip(data.destinations, data.nest) if g == nests[n]]
        elif n in set(data.country.values()):
            out += [d for d in data.destinations if data.country[d] == n]
        else:
            valid = [*data.destinations, *nests, *sorted(set(data.country.values()))]
            raise ScenarioError(unknown("destination", n, valid))
    return tuple(dict.fromkeys(out))


# --------------------------------------------------------------------------------------------------- draws
@dataclass
class Draws:
    """One Monte Carlo sample of every uncertain input (``n`` draws; ``n = 1`` central values)."""

    n: int
    central: bool
    beta_time: np.ndarray    # utility per hour: beta_cost x value of time / 100
    beta_cost: np.ndarray    # utility per 100 CNY
    lam: np.ndarray
    theta: np.ndarray
    mode_k: np.ndarray       # (N, M)
    daily_cv: np.ndarray
    rail_share: np.ndarray
    group_share: np.ndarray  # (N, D)
    visa_effect: np.ndarray  # log change in arrivals from a waiver
    time: np.ndarray         # (N, S, D, M)
    cost: np.ndarray
    outside_share: np.ndarray    # (N, S)
    yunnan_share: np.ndarray     # (N, D)
    target_z: np.ndarray         # (N, D) standard normal: measurement error of the targets
    rail_z: np.ndarray           # (N,) standard normal: measurement error of the train's target
    seat_u: np.ndarray           # (N,) position within a period's seat range
    index_u: np.ndarray          # (N,) position within an index range
    drift_z: np.ndarray          # (N, D) standard normal


def draw(data: ChoiceData, n: int, seed: int = 0) -> Draws:
    """``n`` draws (uniform within every range, lognormal target noise); ``n = 0`` gives the central values."""
    central = n == 0
    N = 1 if central else n
    rng = np.random.default_rng(seed)

    def par(name: str) -> np.ndarray:
        r = data.params[name]
        return np.full(N, r.value) if central else rng.uniform(r.low, r.high, N)

    def rng3(a: np.ndarray) -> np.ndarray:          # a: (3, ...) value/low/high -> (N, ...)
        if central:
            return np.broadcast_to(a[0], (1, *a.shape[1:])).copy()
        u = rng.uniform(size=(N, *a.shape[1:]))
        return np.where(np.isnan(a[1]), np.nan, a[1] + u * (a[2] - a[1]))

    ve = data.visa_effect
    D = len(data.destinations)
    beta_cost = par("beta_cost")
    return Draws(
        n=N, central=central, beta_time=beta_cost * par("value_of_time") / 100.0, beta_cost=beta_cost,
        lam=par("lambda_nest"), theta=par("theta_mode"),
        mode_k=np.column_stack([np.zeros(N), par("mode_rail"), par("mode_road")]),
        daily_cv=par("daily_cv"), rail_share=par("rail_chinese_share"),
        group_share=rng3(data.group_share),
        visa_effect=np.full(N, (ve.low + ve.high) / 2) if central else rng.uniform(ve.low, ve.high, N),
        time=rng3(data.time), cost=rng3(data.cost), outside_share=rng3(data.outside_share),
        yunnan_share=rng3(data.yunnan_share),
        target_z=np.zeros((N, D)) if central else rng.standard_normal((N, D)),
        rail_z=np.zeros(N) if central else rng.standard_normal(N),
        seat_u=np.full(N, 0.5) if central else rng.uniform(size=N),
        index_u=np.full(N, 0.5) if central else rng.uniform(size=N),
        drift_z=np.zeros((N, D)) if central else rng.standard_normal((N, D)),
    )


def _target_noise(d: Draws, cv: np.ndarray | float, z: np.ndarray | None = None) -> np.ndarray:
    """Multiplicative lognormal measurement error of the targets (mean 1, CV ``cv``); 1 for central values."""
    s = np.sqrt(np.log1p(np.asarray(cv) ** 2))
    return np.exp(s * (d.target_z if z is None else z) - np.where(d.central, 0.0, s ** 2 / 2))


# --------------------------------------------------------------------------------------------------- states
@dataclass
class PeriodState:
    """The conditions of one dated period for every draw."""

    weight: float                # share of the year
    time: np.ndarray             # (N, S, D, M)
    cost: np.ndarray
    avail: np.ndarray            # (S, D, M) bool
    visa: np.ndarray             # (N, D)
    groups: np.ndarray           # (N, D) share of demand lost to closed group tours
    rail_seats: np.ndarray       # (N,)
    rail_trains: np.ndarray      # (N,)
    abroad_index: np.ndarray     # (N,)

    def rail_capacity(self, d: Draws) -> np.ndarray:
        """Southbound cross-border seats a year at this period's rate, for Chinese travellers."""
        return self.rail_seats * self.rail_trains * 365.0 * d.rail_share

    def copy(self) -> PeriodState:
        return replace(self, time=self.time.copy(), cost=self.cost.copy(), avail=self.avail.copy(),
                       visa=self.visa.copy(), groups=self.groups.copy(), rail_seats=self.rail_seats.copy(), rail_trains=self.rail_trains.copy(),
                       abroad_index=self.abroad_index.copy())


def _index(data: ChoiceData, name: str, year: int, d: Draws) -> np.ndarray:
    r = data.indices[name][year]
    return r.low + d.index_u * (r.high - r.low) if r.high > r.low else np.full(d.n, r.value)


def year_states(data: ChoiceData, d: Draws, year: int) -> list[PeriodState]:
    """The dated periods of ``year`` (a year after the last observed one takes that year's final period)."""
    if year in data.periods:
        periods, src_year = data.periods[year], year
    else:
        last = max(data.periods)
        if year < last:
            raise ScenarioError(unknown("conditions year", str(year), [str(y) for y in data.condition_years]))
        periods, src_year = (replace(data.periods[last][-1], start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)),), last
    total = sum(p.days for p in periods)
    r = data.destinations.index(RAIL_DESTINATION)
    rail_m = MODES.index("rail")
    out = []
    for p in periods:
        avail = data.avail.copy()
        time = d.time.copy()
        visa = np.zeros((d.n, len(data.destinations)))
        groups = np.zeros((d.n, len(data.destinations)))
        for dest, v in p.visa.items():
            di = data.index(dest)
            visa[:, di] = 1 - d.group_share[:, di] if v == "group_exempt" else float(v)
        for dest in p.groups_closed:
            groups[:, data.index(dest)] = d.group_share[:, data.index(dest)]
        if p.rail is None:
            avail[:, r, rail_m] = False
            seats, trains = np.zeros(d.n), np.zeros(d.n)
        else:
            time[:, :, r, rail_m] += p.rail.extra_time_h
            lo, hi = p.rail.seats
            seats, trains = lo + d.seat_u * (hi - lo), np.full(d.n, p.rail.trains_per_day)
        out.append(PeriodState(weight=p.days / total, time=time, cost=d.cost.copy(), avail=avail, visa=visa, groups=groups,
                               rail_seats=seats, rail_trains=trains,
                               abroad_index=_index(data, "abroad_index", src_year, d)))
    return out


@dataclass(frozen=True)
class Shock:
    """A change to one variable: ``op`` is ``set``, ``add`` or ``scale``; optional destination/mode/segment filters."""

    variable: str
    value: float
    op: str = "set"
    destinations: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()


def _apply(cur: np.ndarray, s: Shock) -> np.ndarray:
    return np.full_like(cur, s.value) if s.op == "set" else cur + s.value if s.op == "add" else cur * s.value


def apply_shocks(data: ChoiceData, states: list[PeriodState], shocks: list[Shock]) -> list[PeriodState]:
    """Copies of ``states`` with the shocks applied in every period; resulting values are checked against
    :data:`VARIABLES` (a shock cannot make a time negative or a visa rule 3)."""
    out = [st.copy() for st in states]
    for s in shocks:
        if s.variable not in VARIABLES:
            raise ScenarioError(unknown("variable", s.variable, VARIABLES))
        for m in s.modes:
            if m not in MODES:
                raise ScenarioError(unknown("mode", m, MODES))
        for g in s.segments:
            if g not in data.segments:
                raise ScenarioError(unknown("segment", g, data.segments))
        di = [data.index(x) for x in s.destinations] or list(range(len(data.destinations)))
        mi = [MODES.index(x) for x in s.modes] or list(range(len(MODES)))
        si = [data.segments.index(x) for x in s.segments] or list(range(len(data.segments)))
        lo, hi, unit = VARIABLES[s.variable]
        for st in out:
            if s.variable in ("travel_time_h", "cost_cny"):
                arr = st.time if s.variable == "travel_time_h" else st.cost
                sub = arr[:, si][:, :, di][:, :, :, mi]
                new = _apply(sub, s)
                arr[np.ix_(range(arr.shape[0]), si, di, mi)] = new
                vals = new[~np.isnan(new)]
            elif s.variable == "visa_required":
                new = _apply(st.visa[:, di], s)
                st.visa[:, di] = new
                vals = new
            elif s.variable == "available":
                if s.op != "set":
                    raise ScenarioError(f"shock on 'available' must use op 'set' (0 = closed, 1 = open); got {s.op!r}")
                vals = np.array([s.value])
                if lo <= s.value <= hi:
                    st.avail[np.ix_(si, di, mi)] = data.avail[np.ix_(si, di, mi)] & (s.value >= 0.5)
            else:
                attr = {"rail_seats_per_train": "rail_seats", "rail_trains_per_day": "rail_trains"}.get(s.variable,
                                                                                                    s.variable)
                new = _apply(getattr(st, attr), s)
                setattr(st, attr, new)
                vals = new
            vals = np.asarray(vals, dtype=float)
            if vals.size and (np.nanmin(vals) < lo - 1e-9 or np.nanmax(vals) > hi + 1e-9):
                raise ScenarioError(f"shock on {s.variable!r} ({s.op} {s.value:g}) gives {np.nanmin(vals):g} to "
                                    f"{np.nanmax(vals):g}; allowed range {lo:g} to {hi:g} ({unit})")
    return out


# --------------------------------------------------------------------------------------------------- model
def logsumexp(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(sum(exp(x))) along ``axis``; -inf where every element is -inf (a plain-NumPy, fast version of SciPy's)."""
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - m), axis=axis)) + np.squeeze(m, axis=axis)


def served(demand: np.ndarray, capacity: np.ndarray, cv: np.ndarray) -> np.ndarray:
    """Expected trips served, ``E[min(X, C)]`` for daily demand ``X`` lognormal with mean ``demand`` and CV ``cv``."""
    demand = np.asarray(demand, dtype=float)
    capacity = np.broadcast_to(np.asarray(capacity, dtype=float), demand.shape)
    s = np.sqrt(np.log1p(np.broadcast_to(cv, demand.shape) ** 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        m = np.log(demand) - s ** 2 / 2
        lc = np.log(capacity)
        out = demand * ndtr((lc - m - s ** 2) / s) + capacity * ndtr((m - lc) / s)
    out = np.where(capacity <= 0, 0.0, out)
    return np.where(demand <= 0, 0.0, np.where(np.isinf(capacity), demand, out))


@dataclass
class Calibrated:
    """Per-draw constants and markets that reproduce the calibration year's targets."""

    year: int
    asc: np.ndarray          # (N, S, D)
    market: np.ndarray       # (N, S)
    targets: np.ndarray      # (N, S, D)
    beta_visa: np.ndarray    # (N,)
    iterations: int
    rail_k: np.ndarray | None = None   # (N,) constant of the international train (None: no train target)


def _nested_shares(V: np.ndarray, nest: np.ndarray, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P_d (N,S,D), P_outside (N,S)) for a two-nest logit with an outside option of utility 0.

    ``nest`` must list each nest's destinations together (``load_choice_data`` checks it): each nest is then a
    slice of the last axis, and its sums and maxima are single ``reduceat`` calls (this runs thousands of times per
    calibration, so it is written for few NumPy calls)."""
    starts = np.flatnonzero(np.concatenate(([True], nest[1:] != nest[:-1])))
    z = V / lam[:, None, None]
    m = np.maximum.reduceat(z, starts, axis=-1)                    # (N, S, G)
    m[~np.isfinite(m)] = 0.0
    e = np.exp(z - m[..., nest])
    tot = np.add.reduceat(e, starts, axis=-1)
    P = np.divide(e, tot[..., nest], out=np.zeros_like(e), where=tot[..., nest] > 0)
    with np.errstate(divide="ignore"):
        iv = lam[:, None, None] * (np.log(tot) + m)                # -inf when the whole nest is closed
    top = np.maximum(iv.max(axis=-1), 0.0)
    en = np.exp(iv - top[..., None])
    den = np.exp(-top) + en.sum(axis=-1)
    P *= (en / den[..., None])[..., nest]
    return P, np.exp(-top) / den


class _Model:
    """Evaluation of one period for all draws: demand, capacity rationing, annual trips by mode."""

    def __init__(self, data: ChoiceData, d: Draws, rail_k: np.ndarray | None = None):
        self.data, self.d = data, d
        self.rail_k = np.zeros(d.n) if rail_k is None else rail_k
        S, D, M = data.avail.shape
        self.rail_mask = np.zeros((S, D, M), dtype=bool)
        self.rail_mask[:, data.index(RAIL_DESTINATION), MODES.index("rail")] = True
        self._shift_key: tuple | None = None
        self._shift: np.ndarray | None = None
        self._u: dict[int, np.ndarray] = {}

    def mode_utility(self, st: PeriodState) -> np.ndarray:
        """Utility of each mode (``-inf`` where unavailable), the train's constant included; the part without it is
        cached per state (states are not changed in place)."""
        if id(st) not in self._u:
            d = self.d
            u = (d.beta_time[:, None, None, None] * st.time + d.beta_cost[:, None, None, None] * st.cost / 100.0
                 + d.mode_k[:, None, None, :])
            self._u[id(st)] = np.where(st.avail[None], np.nan_to_num(u, nan=-np.inf), -np.inf)
        return self._u[id(st)] + self.rail_k[:, None, None, None] * self.rail_mask[None]

    def trips(self, u: np.ndarray, asc: np.ndarray, market: np.ndarray, beta_visa: np.ndarray, st: PeriodState,
              drift: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d, data = self.d, self.data
        th = d.theta[:, None, None, None]
        z = u / th
        m = np.maximum(np.maximum(z[..., 0:1], z[..., 1:2]), z[..., 2:3])   # three modes: faster than a reduce
        m[~np.isfinite(m)] = 0.0
        e = np.exp(z - m)
        tot = e[..., 0:1] + e[..., 1:2] + e[..., 2:3]
        pm = np.divide(e, tot, out=np.zeros_like(e), where=tot > 0)
        with np.errstate(divide="ignore"):
            I = (th * (np.log(tot) + m))[..., 0]
        V = asc + I + self.shift(st, beta_visa, drift)
        P, P0 = _nested_shares(V, data.nest, d.lam)
        return market[:, :, None, None] * P[..., None] * pm, market * P0

    def shift(self, st: PeriodState, beta_visa: np.ndarray, drift: np.ndarray) -> np.ndarray:
        """The destination utility terms other than constants and access: visa, propensity abroad, groups, drift."""
        key = (id(st), id(beta_visa), id(drift))
        if self._shift_key != key:
            self._shift_key = key
            self._shift = (beta_visa[:, None] * st.visa
                           + np.log(np.maximum(st.abroad_index, 1e-12))[:, None] * self.data.abroad[None, :]
                           + np.log1p(-np.minimum(st.groups, 0.999)) + drift)[:, None, :]
        return self._shift

    def constraints(self, st: PeriodState) -> list[tuple[np.ndarray, np.ndarray]]:
        """(mask (S,D,M), annual capacity (N,)) of every capacity-constrained mode in this period."""
        if st.avail[self.rail_mask].any():
            return [(self.rail_mask, st.rail_capacity(self.d))]
        return []

    def period(self, st: PeriodState, asc, market, beta_visa, drift, pis=None, iters: int = 30,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
        """(trips (N,S,D,M), outside (N,S), unconstrained trips, shadow prices) with capacity rationing."""
        u = self.mode_utility(st)
        t0, o0 = self.trips(u, asc, market, beta_visa, st, drift)
        cons = self.constraints(st)
        if not cons:
            return t0, o0, t0, []
        target = [served(t0[:, mk].sum(axis=1), cap, self.d.daily_cv) for mk, cap in cons]
        pis = [np.zeros(self.d.n) for _ in cons] if pis is None else pis
        th = self.d.theta
        t, o = t0, o0
        for _ in range(iters):
            pen = sum(p[:, None, None, None] * mk[None] for p, (mk, _c) in zip(pis, cons))
            t, o = self.trips(u - pen, asc, market, beta_visa, st, drift)
            worst = 0.0
            for k, (mk, _cap) in enumerate(cons):
                dem = t[:, mk].sum(axis=1)
                with np.errstate(divide="ignore", invalid="ignore"):
                    step = np.where((dem > 0) & (target[k] > 0), np.log(dem / target[k]), 0.0)
                step = np.where(target[k] <= 0, 50.0, step)
                pis[k] = np.maximum(pis[k] + th * step, 0.0)
                worst = max(worst, float(np.max(np.abs(np.where(pis[k] > 0, step, np.minimum(step, 0))))))
            if worst < 1e-7:
                break
        return t, o, t0, pis


def calibrate(data: ChoiceData, d: Draws, year: int, *, tol: float = 1e-7,
              maxiter: int = 500) -> Calibrated:
    """Constants per segment and destination that reproduce ``year``'s targets (drawn with their uncertainty)."""
    if year not in data.targets:
        raise ScenarioError(unknown("calibration year", str(year), [str(y) for y in data.calibration_years]))
    value, cv = data.targets[year]
    noise = _target_noise(d, cv)
    tot = value[None, :] * noise                                                    # (N, D)
    split = np.stack([d.yunnan_share, 1 - d.yunnan_share], axis=1)                   # (N, S, D)
    T = tot[:, None, :] * split
    market = T.sum(axis=2) / (1 - d.outside_share)
    # visa coefficient: the model's own response reproduces the estimated effect for the rest of China -> Thailand
    tha, s_roc = data.index("thailand"), data.segments.index("rest_of_china")
    Pd = T[:, s_roc, tha] / market[:, s_roc]
    Pdn = T[:, s_roc, tha] / T[:, s_roc][:, data.abroad].sum(axis=1)
    factor = 1 / d.lam - (1 / d.lam - 1) * Pdn - Pd
    beta_visa = -d.visa_effect / factor
    states = year_states(data, d, year)
    # the international train's constant: southbound Chinese train trips = observed crossings/day x 365 / 2 x share
    rail_T = None
    if year in data.rail_targets:
        per_day, rail_cv = data.rail_targets[year]
        rail_T = per_day * 365.0 / 2.0 * d.rail_share * _target_noise(d, rail_cv, d.rail_z)
    model = _Model(data, d, np.zeros(d.n) if rail_T is not None else None)
    zero_drift = np.zeros((d.n, len(data.destinations)))
    asc = np.log(T / market[:, :, None])
    pis: list[list[np.ndarray] | None] = [None] * len(states)
    log: list[str] = []
    for it in range(1, maxiter + 1):
        pred = np.zeros_like(T)
        pred_rail = np.zeros(d.n)
        for k, st in enumerate(states):
            t, _o, _t0, pis[k] = model.period(st, asc, market, beta_visa, zero_drift, pis[k],
                                              iters=30 if it == 1 else 2 if rail_T is not None else 1)
            pred += st.weight * t.sum(axis=3)
            pred_rail += st.weight * t[:, model.rail_mask].sum(axis=1)
        step = np.log(T / pred)
        err = float(np.max(np.abs(step)))
        if rail_T is not None:
            rail_step = np.log(rail_T / pred_rail)
            err = max(err, float(np.max(np.abs(rail_step))))
        if it <= 3 or it % 50 == 0:
            log.append(f"it={it} max|log(target/pred)|={err:.2e}")
        if err < tol:
            break
        asc = asc + d.lam[:, None, None] * step
        if rail_T is not None:   # damped: the train's demand also moves the seats' shadow price
            model.rail_k = model.rail_k + d.theta * np.where(np.abs(rail_step) < 0.1, rail_step,
                                                             0.5 * np.clip(rail_step, -1.0, 1.0))
    else:
        raise ConvergenceError(f"destination-choice calibration on {year} did not converge in {maxiter} iterations", log)
    return Calibrated(year=year, asc=asc, market=market, targets=T, beta_visa=beta_visa, iterations=it,
                      rail_k=model.rail_k if rail_T is not None else None)


DRIFT_YEARS = (2011, 2019)
"""Pre-Covid years over which destination drift is measured (no 2020-2022 closure in the sample)."""
DRIFT_TABLE = "thailand_asean_arrivals"
_DRIFT: dict[tuple[str, str], pd.DataFrame] = {}


def _drift_panel(settings=None) -> pd.DataFrame:
    """Thailand's arrivals by ASEAN nationality, years x origins, read once per warehouse and provenance."""
    from lmc.config import get_settings
    from lmc.flows.inputs import MODEL_SOURCES, fingerprint, table

    settings = settings or get_settings()
    key = (str(settings.warehouse), fingerprint(MODEL_SOURCES["choice"], settings))
    if key not in _DRIFT:
        d = table(DRIFT_TABLE, settings)
        _DRIFT.clear()
        _DRIFT[key] = d.pivot_table(index="year", columns="origin_iso3", values="arrivals", aggfunc="sum").astype(float)
    return _DRIFT[key]


def destination_drift_sd(horizon: int, settings=None) -> float:
    """Standard deviation of an origin-destination flow's ``horizon``-year log change around the common change.

    Measured on Thailand's arrivals from nine ASEAN countries, 2011-2019 (Ministry of Tourism and Sports; warehouse
    table ``thailand_asean_arrivals``): the part of a flow's growth that no common factor explains. The choice model
    adds a draw of this size to a destination's utility when it predicts a year other than its calibration year, so
    that its bands include the unexplained shifts in taste that history shows. ``horizon`` 0 gives 0.
    """
    if horizon <= 0:
        return 0.0
    p = _drift_panel(settings).loc[DRIFT_YEARS[0]:DRIFT_YEARS[1]]
    h = min(int(horizon), DRIFT_YEARS[1] - DRIFT_YEARS[0] - 1)
    logs = np.log(p)
    change = (logs.shift(-h) - logs).dropna()
    dev = change.sub(change.mean(axis=1), axis=0).to_numpy().ravel()
    sd = float(np.std(dev, ddof=1))
    return sd * np.sqrt(horizon / h) if horizon > h else sd


def drift_for(data: ChoiceData, d: Draws, cal_year: int, year: int, settings=None) -> np.ndarray:
    """Per-draw taste drift of each destination between the calibration year and ``year`` (0 for the same year)."""
    h = abs(int(year) - int(cal_year))
    return d.drift_z * (destination_drift_sd(h, settings) if h else 0.0)


@dataclass(frozen=True)
class YearRun:
    """Annual trips of one set of conditions: served trips (N,S,D,M), outside (N,S), unconstrained rail demand."""

    trips: np.ndarray
    outside: np.ndarray
    rail_demand: np.ndarray   # (N,) unconstrained rail trips to Laos
    rail_capacity: np.ndarray  # (N,) weighted annual capacity


def run_year(data: ChoiceData, d: Draws, cal: Calibrated, states: list[PeriodState], drift: np.ndarray) -> YearRun:
    model = _Model(data, d, cal.rail_k)
    trips = np.zeros((d.n, *data.avail.shape))
    outside = np.zeros((d.n, len(data.segments)))
    rail_dem, rail_cap = np.zeros(d.n), np.zeros(d.n)
    for st in states:
        t, o, t0, _ = model.period(st, cal.asc, cal.market, cal.beta_visa, drift)
        trips += st.weight * t
        outside += st.weight * o
        rail_dem += st.weight * t0[:, model.rail_mask].sum(axis=1)
        if st.avail[model.rail_mask].any():
            rail_cap += st.weight * st.rail_capacity(d)
    return YearRun(trips, outside, rail_dem, rail_cap)


# --------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ChoiceResult:
    """Trips per destination (and "no trip / elsewhere"), baseline vs scenario, central values and 5-95% bands.

    ``fixed`` names the sides (``baseline``/``scenario``) that are the calibrated state itself: their destination
    totals equal the calibration targets by construction, so they are shown without a band and ``band_note`` says
    why.
    """

    table: pd.DataFrame          # one row per destination + no_trip
    by_segment: pd.DataFrame
    by_mode: pd.DataFrame
    calibration_year: int
    year: int
    n_draws: int
    seed: int
    fixed: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"calibration_year": self.calibration_year, "year": self.year, "n_draws": self.n_draws,
                "seed": self.seed, "fixed": list(self.fixed),
                "destinations": self.table.replace({np.nan: None}).to_dict(orient="records")}


@dataclass(frozen=True)
class _Sides:
    base: YearRun
    scen: YearRun
    fixed: tuple[str, ...]   # sides whose conditions are the calibration year's own


def _same(a: list[PeriodState], b: list[PeriodState]) -> bool:
    """Whether two lists of period states are equal (shocks that cancel give the unshocked state)."""
    names = ("time", "cost", "avail", "visa", "groups", "rail_seats", "rail_trains", "abroad_index")
    return all(np.allclose(getattr(x, k), getattr(y, k), equal_nan=True) for x, y in zip(a, b) for k in names)


def _run_sides(data: ChoiceData, n: int, seed: int, calibration_year: int, year: int, baseline: list[Shock],
               shocks: list[Shock], settings=None) -> _Sides:
    d = draw(data, n, seed)
    cal = calibrate(data, d, calibration_year)
    states = year_states(data, d, year)
    drift = drift_for(data, d, calibration_year, year, settings)
    b_states = apply_shocks(data, states, baseline)
    s_states = apply_shocks(data, states, [*baseline, *shocks])
    fixed = tuple(side for side, st in (("baseline", b_states), ("scenario", s_states))
                  if year == calibration_year and _same(st, states))
    return _Sides(run_year(data, d, cal, b_states, drift), run_year(data, d, cal, s_states, drift), fixed)


def _totals(r: YearRun) -> np.ndarray:
    """(N, D + 1): trips per destination, then the outside option (summed over segments)."""
    return np.column_stack([r.trips.sum(axis=(1, 3)), r.outside.sum(axis=1)])


def _pct(x: np.ndarray, q: float) -> np.ndarray:
    return np.percentile(x, q, axis=0)


def simulate(data: ChoiceData, *, calibration_year: int, year: int, shocks: list[Shock],
             baseline_shocks: list[Shock] | None = None, n_draws: int = 200, seed: int = 0,
             settings=None) -> ChoiceResult:
    """Calibrate on ``calibration_year``, impose ``year``'s conditions (+ baseline shocks) as the baseline and add
    ``shocks`` for the scenario; central values plus 5-95% bands over ``n_draws`` recalibrated draws."""
    baseline_shocks = list(baseline_shocks or [])
    c = _run_sides(data, 0, seed, calibration_year, year, baseline_shocks, shocks, settings)
    mc = _run_sides(data, n_draws, seed, calibration_year, year, baseline_shocks, shocks, settings) if n_draws else None
    keys = [*data.destinations, OUTSIDE]
    b0, s0 = _totals(c.base)[0], _totals(c.scen)[0]
    t = pd.DataFrame({"destination": keys, "label": [data.label(k) for k in keys],
                      "label_zh": [data.label(k, "zh") for k in keys],
                      "country": [data.country.get(k, "") for k in keys],
                      "visitors_baseline": b0, "visitors_scenario": s0, "change": s0 - b0})
    with np.errstate(divide="ignore", invalid="ignore"):
        t["change_pct"] = np.where(b0 > 0, 100 * (s0 / b0 - 1), np.nan)
    fixed = c.fixed
    t["band_note"] = ""
    if mc is not None:
        B, Sc = _totals(mc.base), _totals(mc.scen)
        tiny = 1e-9 * np.abs(B)                           # numerical noise of the fixed points, not a change
        dd = np.where(np.abs(Sc - B) < tiny, 0.0, Sc - B)
        t["change_p05"], t["change_p95"] = _pct(dd, 5), _pct(dd, 95)
        t["visitors_baseline_p05"], t["visitors_baseline_p95"] = _pct(B, 5), _pct(B, 95)
        t["visitors_scenario_p05"], t["visitors_scenario_p95"] = _pct(Sc, 5), _pct(Sc, 95)
        inside = t["destination"] != OUTSIDE
        for side in fixed:
            t.loc[inside, [f"visitors_{side}_p05", f"visitors_{side}_p95"]] = np.nan
            t.loc[inside, "band_note"] = (t.loc[inside, "band_note"] + f"{side}: equals the {calibration_year} "
                                          "observation by calibration (no band); ")
        t["band_note"] = t["band_note"].str.rstrip("; ")
    seg_rows = []
    for si, seg in enumerate(data.segments):
        for di, dest in enumerate(keys):
            pick = (lambda r: r.trips[:, si, di].sum(axis=-1)) if dest != OUTSIDE else (lambda r: r.outside[:, si])
            row = {"segment": seg, "segment_label": data.label(seg), "destination": dest,
                   "visitors_baseline": float(pick(c.base)[0]), "visitors_scenario": float(pick(c.scen)[0])}
            row["change"] = row["visitors_scenario"] - row["visitors_baseline"]
            if mc is not None:
                dd = pick(mc.scen) - pick(mc.base)
                row["change_p05"], row["change_p95"] = float(np.percentile(dd, 5)), float(np.percentile(dd, 95))
            seg_rows.append(row)
    mode_rows = []
    for di, dest in enumerate(data.destinations):
        for mi, mode in enumerate(MODES):
            if not data.avail[:, di, mi].any():
                continue
            b, s = float(c.base.trips[0, :, di, mi].sum()), float(c.scen.trips[0, :, di, mi].sum())
            row = {"destination": dest, "mode": mode, "visitors_baseline": b, "visitors_scenario": s, "change": s - b}
            if mc is not None:
                dd = mc.scen.trips[:, :, di, mi].sum(axis=1) - mc.base.trips[:, :, di, mi].sum(axis=1)
                row["change_p05"], row["change_p95"] = float(np.percentile(dd, 5)), float(np.percentile(dd, 95))
            if dest == RAIL_DESTINATION and mode == "rail":
                for side, r in (("baseline", c.base), ("scenario", c.scen)):
                    cap = float(r.rail_capacity[0])
                    row[f"seat_use_{side}_pct"] = 100 * (b if side == "baseline" else s) / cap if cap else np.nan
            mode_rows.append(row)
    return ChoiceResult(table=t, by_segment=pd.DataFrame(seg_rows), by_mode=pd.DataFrame(mode_rows),
                        calibration_year=calibration_year, year=year, n_draws=n_draws, seed=seed, fixed=fixed)


def predict_arrivals(data: ChoiceData, calibration_year: int, year: int | tuple[int, ...], *, n_draws: int,
                     seed: int = 0, settings=None):
    """Trips per destination in ``year`` predicted from a ``calibration_year`` model: (central (D,), draws (N, D)).
    With a tuple of years, one calibration serves them all: ``{year: (central, draws)}``."""
    years = year if isinstance(year, tuple) else (year,)
    out: dict[int, list[np.ndarray]] = {y: [] for y in years}
    for n in (0, n_draws):
        d = draw(data, n, seed)
        cal = calibrate(data, d, calibration_year)
        for y in years:
            r = run_year(data, d, cal, year_states(data, d, y), drift_for(data, d, calibration_year, y, settings))
            out[y].append(r.trips.sum(axis=(1, 3)))
    res = {y: (v[0][0], v[1]) for y, v in out.items()}
    return res if isinstance(year, tuple) else res[year]


def rail_time_response(data: ChoiceData, extra_time_h: float, *, calibration_year: int = 2024, n_draws: int,
                       seed: int = 0) -> tuple[float, np.ndarray, np.ndarray]:
    """Ratio of cross-border rail demand without to with ``extra_time_h`` more on the train (before capacity), per
    draw: (central ratio, draws (N,), daily demand CV draws (N,)). Conditions: the calibration year's last period."""
    out = []
    for n in (0, n_draws):
        d = draw(data, n, seed)
        cal = calibrate(data, d, calibration_year)
        st = year_states(data, d, calibration_year)[-1]
        slow = apply_shocks(data, [st], [Shock("travel_time_h", extra_time_h, "add", (RAIL_DESTINATION,), ("rail",))])[0]
        zero = np.zeros((d.n, len(data.destinations)))
        m = _Model(data, d, cal.rail_k)
        fast_dem = m.period(st, cal.asc, cal.market, cal.beta_visa, zero)[2][:, m.rail_mask].sum(axis=1)
        slow_dem = m.period(slow, cal.asc, cal.market, cal.beta_visa, zero)[2][:, m.rail_mask].sum(axis=1)
        out.append((fast_dem / slow_dem, d.daily_cv))
    return float(out[0][0][0]), out[1][0], out[1][1]


def parameter_table(data: ChoiceData) -> pd.DataFrame:
    """The model's uncertain inputs: name, central value, range and basis (estimated, sourced, derived, assumption)."""
    rows = []
    for k, v in data.raw["parameters"].items():
        basis = "derived" if "derived" in v else "source" if "source" in v else "assumption"
        rows.append({"input": k, "value": v["value"], "low": v.get("low"), "high": v.get("high"), "basis": basis,
                     "note": v.get("derived") or v.get("assumption") or v.get("unit")})
    ve = data.visa_effect
    rows.append({"input": "visa_effect", "value": (ve.low + ve.high) / 2, "low": ve.low, "high": ve.high,
                 "basis": "estimated", "note": "log change in Chinese arrivals from a visa exemption, estimated from "
                 "Thailand's 2023 waiver (lmc.flows.visa_effect); the visa coefficient reproduces it"})
    for s, seg in enumerate(data.segments):
        rows.append({"input": f"outside_share.{seg}", "value": data.outside_share[0, s], "low": data.outside_share[1, s],
                     "high": data.outside_share[2, s], "basis": "assumption",
                     "note": data.raw["segments"][seg]["outside_share"].get("assumption")})
    for di, dest in enumerate(data.destinations):
        r = data.raw["yunnan_share"][dest]
        rows.append({"input": f"yunnan_share.{dest}", "value": data.yunnan_share[0, di], "low": data.yunnan_share[1, di],
                     "high": data.yunnan_share[2, di], "basis": "derived" if "derived" in r else "assumption",
                     "note": r.get("derived") or r.get("assumption")})
    return pd.DataFrame(rows)
