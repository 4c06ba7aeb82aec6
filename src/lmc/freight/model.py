"""Freight route choice along the corridor: generalised costs, logit shares, calibration and predicted volumes.

Why this model: a shipper chooses, for each origin-destination pair, the route with the lowest generalised cost,
and freight economists describe that choice with a multinomial logit (Ben-Akiva & Lerman 1985; de Jong et al. 2004,
*Freight transport modelling*). For route r between origin o and destination d in year y::

    GC_r = tariff_r + VoT x (hours_r + border_r + trans-shipment_r + wait_r)
    V_r  = ASC_family(r) - GC_r / scale          P_r = exp(V_r) / sum over the pair's available routes

Tariffs are distance x the mode's rate plus handling, border and trans-shipment fees; ``wait`` is the average wait
for a cross-border train (12 h / trains per day). Every input comes from ``data/routes.yaml`` with its basis;
ranges are drawn (triangular, ``numpy.random.default_rng(seed)``) so each draw is one plausible set of inputs.

Calibration (:func:`fit`): in the base year, for every draw, the constants of four route groups (China-Laos
Railway, road through Mohan, road through Hekou, Land-Sea Corridor; all-sea is the reference) are solved so the model
reproduces four observed volumes: cross-border railway tonnes, road tonnes through Mohan and through Hekou, and the
Land-Sea Corridor's containers in the modelled markets. The targets are themselves drawn from their ranges (two
counting bases, 'more than' figures). The railway's cross-border tonnes cannot exceed its capacity: the trains run
that year (counted) times what a train carried in the base year (base-year tonnes over base-year trains), scaled by
the hauled tonnage and a labelled headroom; where demand would exceed it, a shadow price on the railway's routes
clears it. Other years then change only what was observed to change (border clearance, trains and their tonnage, the
Thai rail service, trade between the origins and destinations, the Land-Sea Corridor's network), which is what
:mod:`lmc.freight.backcast` tests. Demand per pair is fixed by trade, not by route costs: a cheaper route takes
freight from other routes (diversion), it does not create trade. The Land-Sea Corridor's containers outside the four
destinations are not chosen by cost: they grow with the number of cities its trains serve (an elasticity drawn from
a labelled range), so its total is the modelled part plus that part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lmc.freight.inputs import YEAR_FIELDS, FreightInputs, Quantity, Route, load_inputs

CALIBRATION_GROUPS = ("clr", "road_mohan", "road_hekou", "lsc")
"""Route groups whose constants are calibrated, each to one observed volume; all-sea is the reference (0)."""
DEFAULT_DRAWS = 10000
DEFAULT_SEED = 20261204
PERCENTILES = (5.0, 50.0, 95.0)


# --------------------------------------------------------------------------------------------------------------
# Alternatives and draws


@dataclass(frozen=True)
class Alternative:
    """One route serving one origin-destination pair (the route's legs with the pair's access legs first)."""

    od: str
    route: str
    family: str
    legs: tuple[str, ...]
    mohan_rail: bool
    borders: int
    mohan_road: bool
    transships: int
    ports: int
    available_from: int | None

    @property
    def group(self) -> str | None:
        """The calibration group: clr, road_mohan, road_hekou (other road routes), lsc; None for all-sea."""
        if self.family == "road":
            return "road_mohan" if self.mohan_road else "road_hekou"
        return self.family if self.family in CALIBRATION_GROUPS else None


def alternatives(inp: FreightInputs, extra: Mapping[str, tuple[Route, Sequence[str]]] | None = None
                 ) -> tuple[Alternative, ...]:
    """All (pair, route) alternatives in pair order. ``extra``: scenario routes ``{id: (route, after)}`` added to
    every pair that has a route in ``after`` (with that route's access legs)."""
    out = []
    for od, alts in inp.od_routes.items():
        for a in alts:
            r = inp.routes[a.route]
            out.append(_alt(od, a.route, r, a.access))
        for rid, (route, after) in (extra or {}).items():
            for a in alts:
                if a.route in after:
                    out.append(_alt(od, rid, route, a.access))
                    break
    return tuple(out)


def _alt(od: str, rid: str, r: Route, access: Sequence[str]) -> Alternative:
    return Alternative(od, rid, r.family, (*access, *r.legs), r.mohan_rail, r.borders, r.mohan_road, r.transships,
                       r.ports, r.available_from)


def _quantities(inp: FreightInputs) -> dict[str, Quantity]:
    """Every drawn input by key: ``param:``, ``leg:``, ``origin:``, ``dest:``, ``year:<y>:<field>``, ``calib:``."""
    q: dict[str, Quantity] = {f"param:{k}": v for k, v in inp.parameters.items()}
    q.update({f"leg:{k}": leg.hours_q for k, leg in inp.legs.items()})
    q.update({f"origin:{k}": Quantity(low=w.low, mode=w.mode, high=w.high) for k, w in inp.origins.items()})
    q.update({f"dest:{k}": Quantity(low=w.low, mode=w.mode, high=w.high) for k, w in inp.destinations.items()})
    for y, yi in inp.years.items():
        for name in YEAR_FIELDS:
            value = getattr(yi, name)
            if value is None and name == "demand_index_vte":
                value = yi.demand_index  # no Vientiane index: the general one
            if value is not None:
                q[f"year:{y}:{name}"] = value
    q.update({f"calib:{k}": v for k, v in inp.calibration.items()})
    return q


@dataclass(frozen=True)
class Draws:
    """``n`` joint draws of every ranged input (key -> array of length n); ``central`` draws use the modes."""

    n: int
    seed: int | None
    values: Mapping[str, np.ndarray] = field(repr=False)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.values[key]


def draw_inputs(inp: FreightInputs, n: int = DEFAULT_DRAWS, seed: int | None = DEFAULT_SEED, *,
                central: bool = False) -> Draws:
    """Triangular draws (low, mode, high) of every ranged input, in a fixed key order so a seed reproduces them."""
    if n < 1:
        raise ValueError("n must be >= 1")
    rng = np.random.default_rng(seed)
    values = {}
    for key, q in sorted(_quantities(inp).items()):
        lo, mode, hi = q.bounds
        if central or lo == hi:
            values[key] = np.full(n, float(mode))
        else:
            values[key] = rng.triangular(lo, mode, hi, n)
    return Draws(n=n, seed=None if central else seed, values=values)


# --------------------------------------------------------------------------------------------------------------
# Costs and shares


@dataclass(frozen=True)
class Conditions:
    """What a year looks like: whose year inputs apply, and scenario changes on top of them.

    ``inputs_year``: whose year inputs to use (default ``year``; projections use the last year with inputs).
    ``rail_border_factor`` multiplies the rail clearance hours at Mohan-Boten; ``mohan_road_border_factor`` the
    time of the Mohan-Boten crossing on road routes.
    """

    year: int
    inputs_year: int | None = None
    rail_border_factor: float = 1.0
    mohan_road_border_factor: float = 1.0

    @property
    def data_year(self) -> int:
        return self.year if self.inputs_year is None else self.inputs_year


def _rate(d: Draws, mode: str) -> np.ndarray:
    if mode == "rail_clr":
        return d["param:road_rate"] * d["param:rail_vs_road"]
    return d[{"rail_china": "param:rail_rate_china", "road": "param:road_rate", "sea": "param:sea_rate",
              "river": "param:river_rate"}[mode]]


def route_costs(inp: FreightInputs, d: Draws, alts: Sequence[Alternative], cond: Conditions
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Generalised cost, tariff (US$/TEU) and hours, each ``[draws, alternatives]``."""
    y = cond.data_year
    n, a = d.n, len(alts)
    tariff, hours = np.zeros((n, a)), np.zeros((n, a))
    rail_border = d[f"year:{y}:rail_border_hours"] * cond.rail_border_factor
    wait = 12.0 / d[f"year:{y}:trains_per_day"]
    road_border = d["param:road_border_hours"]
    mohan_queue = d[f"year:{y}:mohan_road_extra_hours"]
    for j, alt in enumerate(alts):
        for lid in alt.legs:
            hours[:, j] += d[f"leg:{lid}"]
            tariff[:, j] += inp.legs[lid].km * _rate(d, inp.legs[lid].mode)
        tariff[:, j] += (alt.ports * d["param:port_handling"] + alt.transships * d["param:transship_cost"]
                         + alt.borders * d["param:road_border_cost"])
        hours[:, j] += alt.transships * d["param:transship_hours"] + alt.borders * road_border
        if alt.mohan_road:
            hours[:, j] += mohan_queue - (1.0 - cond.mohan_road_border_factor) * (road_border + mohan_queue)
        if alt.mohan_rail:
            tariff[:, j] += d["param:rail_border_cost"]
            hours[:, j] += rail_border + wait
    gc = tariff + d["param:value_of_time"][:, None] * hours
    return gc, tariff, hours


def availability(alts: Sequence[Alternative], cond: Conditions) -> np.ndarray:
    """Which alternatives can be chosen in ``cond.year``."""
    return np.array([alt.available_from is None or alt.available_from <= cond.year for alt in alts])


def logit_shares(v: np.ndarray, groups: np.ndarray, available: np.ndarray) -> np.ndarray:
    """Multinomial-logit probabilities ``[draws, alternatives]`` within each group (pair) of alternatives.

    ``groups`` gives each alternative's pair as an integer, with a pair's alternatives contiguous; unavailable
    alternatives get 0. Computed with the group maximum subtracted, so large utilities do not overflow.
    """
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    vm = np.where(available[None, :], v, -np.inf)
    gmax = np.maximum.reduceat(vm, starts, axis=1)
    e = np.exp(vm - np.repeat(gmax, np.diff(np.r_[starts, len(groups)]), axis=1))
    tot = np.add.reduceat(e, starts, axis=1)
    return e / np.repeat(tot, np.diff(np.r_[starts, len(groups)]), axis=1)


# --------------------------------------------------------------------------------------------------------------
# The fitted model


@dataclass(frozen=True)
class Volumes:
    """Predicted volumes per draw: flows ``[draws, alternatives]`` (Mt) and the totals the data describe.

    ``clr_capacity_mt``: the railway's cross-border capacity that year; ``shadow_usd``: the extra cost per TEU at
    which demand for the railway fits its capacity (0 where capacity does not bind); ``lsc_total_teu``: the Land-Sea
    Corridor's containers in all its markets (the modelled ones plus the rest, which follows its network; NaN for a
    year without a network figure).
    """

    cond: Conditions
    alts: tuple[Alternative, ...]
    flows: np.ndarray = field(repr=False)
    clr_mt: np.ndarray = field(repr=False)
    mohan_road_mt: np.ndarray = field(repr=False)
    hekou_road_mt: np.ndarray = field(repr=False)
    lsc_in_market_teu: np.ndarray = field(repr=False)
    lsc_total_teu: np.ndarray = field(repr=False)
    clr_capacity_mt: np.ndarray = field(repr=False)
    shadow_usd: np.ndarray = field(repr=False)

    def family_mt(self) -> dict[str, np.ndarray]:
        fams = sorted({a.family for a in self.alts})
        return {f: self.flows[:, [a.family == f for a in self.alts]].sum(axis=1) for f in fams}

    def by_route(self) -> pd.DataFrame:
        """Median flow (Mt) and share per pair and route."""
        med = np.median(self.flows, axis=0)
        df = pd.DataFrame({"od": [a.od for a in self.alts], "route": [a.route for a in self.alts],
                           "family": [a.family for a in self.alts], "mt_median": med})
        df["share_median"] = df["mt_median"] / df.groupby("od")["mt_median"].transform("sum")
        return df


@dataclass(frozen=True)
class FreightModel:
    """Calibrated draws: inputs, the draws, the alternatives and per-draw group constants (``asc``)."""

    inputs: FreightInputs = field(repr=False)
    draws: Draws = field(repr=False)
    alts: tuple[Alternative, ...] = field(repr=False)
    asc: Mapping[str, np.ndarray] = field(repr=False)
    base_year: int
    valid: np.ndarray = field(repr=False)
    iterations: int = 0

    @property
    def n(self) -> int:
        return int(self.valid.sum())

    def predict(self, cond: Conditions | int, *, extra: Mapping[str, tuple[Route, Sequence[str]]] | None = None
                ) -> Volumes:
        """Volumes in ``cond`` (a year, or :class:`Conditions`) for the valid draws."""
        cond = Conditions(cond) if isinstance(cond, int) else cond
        alts = alternatives(self.inputs, extra) if extra else self.alts
        d = _subset(self.draws, self.valid)
        asc = {g: a[self.valid] for g, a in self.asc.items()}
        return _volumes(self.inputs, d, alts, cond, asc, self.base_year)

    def calibration_frame(self) -> pd.DataFrame:
        """Targets and fitted constants (median and 90 % band over the valid draws)."""
        d = _subset(self.draws, self.valid)
        rows = []
        for key, label in (("calib:clr_cross_border_mt", "China-Laos Railway cross-border (Mt)"),
                           ("calib:mohan_road_mt", "Road through Mohan (Mt)"),
                           ("calib:hekou_road_mt", "Road through Hekou (Mt)"),
                           ("calib:lsc_teu", "Land-Sea Corridor rail-sea containers (TEU, all markets)")):
            lo, med, hi = band(d[key])
            rows.append({"item": f"target {self.base_year}: {label}", "p5": lo, "median": med, "p95": hi})
        for g, a in self.asc.items():
            lo, med, hi = band(a[self.valid])
            rows.append({"item": f"constant of {g} routes (all-sea = 0)", "p5": lo, "median": med, "p95": hi})
        rows.append({"item": "draws calibrated / drawn", "p5": np.nan, "median": float(self.n),
                     "p95": float(len(self.valid))})
        return pd.DataFrame(rows)


def _subset(d: Draws, mask: np.ndarray) -> Draws:
    return Draws(n=int(mask.sum()), seed=d.seed, values={k: v[mask] for k, v in d.values.items()})


def _demand(inp: FreightInputs, d: Draws, alts: Sequence[Alternative], cond: Conditions) -> np.ndarray:
    """Market of each alternative's pair (Mt) ``[draws, alternatives]``: market x weights x the year's trade index
    (China-Laos trade for Vientiane, China-ASEAN trade for the other destinations)."""
    ods = list(inp.od_routes)
    w = np.stack([d[f"origin:{od.split('-')[0]}"] * d[f"dest:{od.split('-')[1]}"] for od in ods], axis=1)
    w = w / w.sum(axis=1, keepdims=True)
    y = cond.data_year
    index = np.stack([d[f"year:{y}:demand_index_vte" if od.endswith("-VTE") else f"year:{y}:demand_index"]
                      for od in ods], axis=1)
    market = d["param:market_mt"][:, None] * w * index
    idx = np.array([ods.index(a.od) for a in alts])
    return market[:, idx]


def _groups(alts: Sequence[Alternative]) -> np.ndarray:
    codes: dict[str, int] = {}
    return np.array([codes.setdefault(a.od, len(codes)) for a in alts])


def clr_capacity_mt(d: Draws, year: int, base_year: int) -> np.ndarray:
    """Cross-border railway capacity (Mt/yr) in ``year``: the trains run that year times what a train carried in
    ``base_year`` (its observed tonnes over its trains), scaled by the hauled tonnage and the load headroom.

    Why from the base year: no load factor is published, but the base year's tonnes and counted trains say what a
    train carried; the capacity of another year follows from its own count of trains and hauled tonnage."""
    trains = d[f"year:{year}:trains_per_day"] / d[f"year:{base_year}:trains_per_day"]
    tonnage = d[f"year:{year}:train_gross_tonnes"] / d[f"year:{base_year}:train_gross_tonnes"]
    return d["calib:clr_cross_border_mt"] * trains * tonnage * d["param:load_headroom"]


def lsc_other_teu(d: Draws, year: int, base_year: int) -> np.ndarray:
    """Land-Sea Corridor containers outside the modelled markets in ``year``: the base year's (total less the
    modelled share) grown with the cities its trains serve, to the drawn elasticity; NaN without a network figure."""
    key = f"year:{year}:lsc_cities"
    if key not in d.values:
        return np.full(d.n, np.nan)
    growth = (d[key] / d[f"year:{base_year}:lsc_cities"]) ** d["param:lsc_network_elasticity"]
    return d["calib:lsc_teu"] * (1 - d["param:lsc_in_market_share"]) * growth


@dataclass(frozen=True)
class _Setup:
    """What does not change while constants are solved: utilities without constants, demand, pair groups."""

    v0: np.ndarray
    demand: np.ndarray
    groups: np.ndarray
    avail: np.ndarray
    group_cols: Mapping[str, np.ndarray]


def _setup(inp: FreightInputs, d: Draws, alts: tuple[Alternative, ...], cond: Conditions) -> _Setup:
    gc, _, _ = route_costs(inp, d, alts, cond)
    cols = {g: np.array([a.group == g for a in alts]) for g in CALIBRATION_GROUPS}
    return _Setup(-gc / d["param:cost_scale"][:, None], _demand(inp, d, alts, cond), _groups(alts),
                  availability(alts, cond), cols)


def _with_constants(st: _Setup, asc: Mapping[str, np.ndarray]) -> np.ndarray:
    v = st.v0.copy()
    for g, cols in st.group_cols.items():
        if g in asc:
            v[:, cols] += asc[g][:, None]
    return v


def _volumes(inp: FreightInputs, d: Draws, alts: tuple[Alternative, ...], cond: Conditions,
             asc: Mapping[str, np.ndarray], base_year: int) -> Volumes:
    st = _setup(inp, d, alts, cond)
    v = _with_constants(st, asc)
    is_clr = st.group_cols["clr"]
    flows = st.demand * logit_shares(v, st.groups, st.avail)
    cap = clr_capacity_mt(d, cond.data_year, base_year)
    shadow = np.zeros(d.n)
    over = flows[:, is_clr].sum(axis=1) > cap
    if over.any():
        # Bisection on a utility penalty of the railway's routes until its flow equals its capacity.
        lo, hi = np.zeros(over.sum()), np.full(over.sum(), 60.0)
        vo, do, co = v[over], st.demand[over], cap[over]
        for _ in range(60):
            mid = (lo + hi) / 2
            f = (do * logit_shares(vo - np.outer(mid, is_clr), st.groups, st.avail))[:, is_clr].sum(axis=1)
            lo, hi = np.where(f > co, mid, lo), np.where(f > co, hi, mid)
        shadow[over] = hi
        flows[over] = do * logit_shares(vo - np.outer(hi, is_clr), st.groups, st.avail)
    grp = np.array([a.group or "" for a in alts])
    lsc_teu = flows[:, grp == "lsc"].sum(axis=1) * 1e6 / d["param:tonnes_per_teu"]
    return Volumes(cond, alts, flows, flows[:, grp == "clr"].sum(axis=1), flows[:, grp == "road_mohan"].sum(axis=1),
                   flows[:, grp == "road_hekou"].sum(axis=1), lsc_teu,
                   lsc_teu + lsc_other_teu(d, cond.data_year, base_year), cap, shadow * d["param:cost_scale"])


def _targets(d: Draws) -> dict[str, np.ndarray]:
    """Base-year targets per draw in Mt, one per calibration group."""
    lsc_mt = d["calib:lsc_teu"] * d["param:lsc_in_market_share"] * d["param:tonnes_per_teu"] / 1e6
    return {"clr": d["calib:clr_cross_border_mt"], "road_mohan": d["calib:mohan_road_mt"],
            "road_hekou": d["calib:hekou_road_mt"], "lsc": lsc_mt}


def fit(inputs: FreightInputs | None = None, *, n: int = DEFAULT_DRAWS, seed: int | None = DEFAULT_SEED,
        base_year: int | None = None, central: bool = False, tol: float = 1e-10, maxiter: int = 3000
        ) -> FreightModel:
    """Calibrate the group constants draw by draw so the base year reproduces its four observed volumes.

    The base year's railway capacity is at least its observed tonnes by construction (:func:`clr_capacity_mt`), so
    every draw can be calibrated in principle; a draw whose solver does not converge is marked invalid and left out
    of every result, and :meth:`FreightModel.calibration_frame` reports how many remain.
    """
    inp = load_inputs() if inputs is None else inputs
    year = inp.meta.base_year if base_year is None else base_year
    d = draw_inputs(inp, n, seed, central=central)
    alts = alternatives(inp)
    targets = _targets(d)
    asc = {g: np.zeros(d.n) for g in CALIBRATION_GROUPS}
    st = _setup(inp, d, alts, Conditions(year))
    it, step = 0, np.full(d.n, np.inf)
    active = np.arange(d.n)  # draws still iterating: a converged draw is left alone (most converge early)
    with np.errstate(divide="ignore", invalid="ignore"):
        for it in range(1, maxiter + 1):
            v = st.v0[active]
            for g, cols in st.group_cols.items():
                v[:, cols] += asc[g][active][:, None]
            p = logit_shares(v, st.groups, st.avail)
            flows = st.demand[active] * p
            worst = np.zeros(len(active))
            for g in CALIBRATION_GROUPS:
                cols = st.group_cols[g]
                pred = flows[:, cols].sum(axis=1)
                # Newton step on log(pred): d log(pred_g) / d asc_g = 1 - the group's flow-weighted share.
                slope = np.clip(1 - (flows[:, cols] * p[:, cols]).sum(axis=1) / pred, 0.05, 1.0)
                s = np.clip(np.log(targets[g][active] / pred) / slope, -5, 5)
                asc[g][active] += np.nan_to_num(s)
                worst = np.maximum(worst, np.abs(np.nan_to_num(s, nan=np.inf)))
            step[active] = worst
            active = active[worst >= tol]
            if not len(active):
                break
    valid = (step < 1e-6) & np.all(np.isfinite(np.stack(list(asc.values()))), axis=0)
    return FreightModel(inputs=inp, draws=d, alts=alts, asc=asc, base_year=year, valid=valid, iterations=it)


# --------------------------------------------------------------------------------------------------------------
# Summaries


def band(x: np.ndarray) -> tuple[float, float, float]:
    """(5th percentile, median, 95th percentile)."""
    lo, med, hi = np.percentile(np.asarray(x, dtype=float), PERCENTILES)
    return float(lo), float(med), float(hi)


@dataclass(frozen=True)
class TonnesByYear:
    """Cross-border tonnes on the China-Laos Railway per year from the model, for railway finance.

    ``basis``: ``model`` for years with observed conditions; ``projection`` for later years, where trade and
    conditions are held at the last year with inputs (an assumption stated in ``note``).
    """

    rows: tuple[dict[str, Any], ...]
    base_year: int
    n_draws: int
    note: str

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=["year", "p5", "median", "p95", "basis"])

    def to_dict(self) -> dict[str, Any]:
        return {"base_year": self.base_year, "n_draws": self.n_draws, "note": self.note,
                "rows": [dict(r) for r in self.rows]}


def tonnes_by_year(model: FreightModel | None = None, years: Iterable[int] = range(2022, 2031)) -> TonnesByYear:
    """Predicted cross-border railway tonnes (Mt) per year, with the 90 % band over the calibrated draws."""
    model = fit() if model is None else model
    known = sorted(model.inputs.years)
    rows = []
    for y in years:
        cond = Conditions(y, inputs_year=min(max(y, known[0]), known[-1]))
        lo, med, hi = band(model.predict(cond).clr_mt)
        rows.append({"year": y, "p5": lo, "median": med, "p95": hi,
                     "basis": "model" if y in model.inputs.years else "projection"})
    return TonnesByYear(tuple(rows), model.base_year, model.n,
                        f"Years after {known[-1]} hold trade and conditions at {known[-1]} (no growth assumed); "
                        "cross-border tonnes on the whole line, not Lao-section tonnes.")
