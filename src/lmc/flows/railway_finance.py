"""Can the Laos-China Railway cover its costs? A real-terms cash-flow model of the Lao section with Monte Carlo.

Why this shape: LCRC publishes no income statement, tariffs or costs, so the honest answer is a distribution, not
a number. Each input is a range from ``data/railway_finance.yaml``: sourced (traffic, fares, the US$3.54 bn loan,
the US$2.36 bn equity, the 50-year concession), derived from sourced figures, or marked as an assumption. The
Monte Carlo draws every ranged input from a triangular distribution (``numpy.random.default_rng(seed)``); the
tornado moves one input at a time to its low and high values and records the change in equity NPV.

Money is in constant 2024 US$. Fares and freight tariffs are 2024-25 prices indexed to inflation, i.e. constant in
real terms, unless a scenario sets a real growth (``fare_real_growth_pct``, ``tariff_real_growth_pct``). The loan's
interest and repayments are nominal, so inflation (``inflation_pct``) shrinks them in real terms; the equity paid
in by 2021 is counted at 2021 and brought to 2024 prices.

Measures (every one is computed for every draw; a draw that never reaches a threshold is counted as "never", and
percentiles are taken over all draws, so a median can be "never"):

* **debt-service year**: the first year from which operating cash (EBITDA) covers the debt service due;
* **payback year**: the first year from which the shareholders' cumulative cash, starting with the equity they paid
  in, stays non-negative (compare the Lao Ministry of Planning and Investment's "profitable after 23 years");
* **debt-service cover ratio (DSCR)**: EBITDA / debt service, its minimum over the years principal is repaid and
  its value in 2030;
* **return on equity**: the real internal rate of return of the shareholders' cash flows over the concession (the
  line passes to Laos at its end, so there is no terminal value); the project return counts the whole capex;
* **freight break-even**: the tonnes at which freight revenue covers operating cost net of passenger revenue
  (operating break-even) and, in addition, the debt service (DSCR = 1), year by year.

Freight can come from outside the model (:class:`FreightPath`): the ``railway-finance`` scenario reads it from the
freight route-choice model by default (:func:`lmc.flows.freight_scenarios.freight_path`), per draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from lmc import yamldoc
from lmc.errors import unknown
from lmc.flows.errors import ScenarioError

EQUITY_YEAR = 2021
"""The year the equity and the capex are counted (the line opened on 2021-12-03)."""
CLAIMED_BREAK_EVEN_MT = 2.0
"""Break-even freight quoted by China Daily (2024-08-28): "about 2 Mt a year"."""


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("lmc.flows").joinpath("data/railway_finance.yaml").read_text(encoding="utf-8")
    return yamldoc.safe_load(text)


@dataclass(frozen=True)
class RailwayInputs:
    """Ranged inputs (low, mode, high) with their provenance kind, plus fixed terms and the sourced ramp-up."""

    ranges: dict[str, tuple[float, float, float]]
    bounds: dict[str, tuple[float, float]]   # what a scenario may set each input to
    kinds: dict[str, str]            # input -> "source" | "derived" | "assumption"
    labels: dict[str, str]
    loan_musd: float
    equity_musd: float
    capex_musd: float
    price_base_year: int
    concession_years: int
    first_year: int
    first_projection_year: int
    ramp: dict[int, dict[str, float]]

    def modes(self) -> dict[str, float]:
        return {k: v[1] for k, v in self.ranges.items()}

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.first_year, self.first_year + self.concession_years)

    def provenance(self) -> pd.DataFrame:
        """One row per input: label, low/mode/high, and whether it is sourced, derived or an assumption."""
        raw = _raw()["inputs"]
        rows = []
        for k, (lo, mo, hi) in self.ranges.items():
            r = raw[k]
            src = r.get("source", {})
            rows.append({"input": k, "label": self.labels[k], "low": lo, "most_likely": mo, "high": hi,
                         "unit": r.get("unit"), "bounds_low": self.bounds[k][0], "bounds_high": self.bounds[k][1],
                         "basis": self.kinds[k], "publisher": src.get("publisher"), "url": src.get("url"),
                         "note": r.get("derived") or r.get("assumption")})
        return pd.DataFrame(rows)


def load_inputs() -> RailwayInputs:
    """The curated inputs; every ranged input must declare ``source``/``derived`` or ``assumption``."""
    raw = _raw()
    ranges, kinds, labels, bounds = {}, {}, {}, {}
    for k, r in raw["inputs"].items():
        lo_b, hi_b = (float(x) for x in r["bounds"])
        if not (lo_b <= r["low"] <= r["mode"] <= r["high"] <= hi_b):
            raise ScenarioError(f"railway_finance.yaml: inputs.{k}: need bounds[0] <= low <= mode <= high <= bounds[1]")
        bounds[k] = (lo_b, hi_b)
        kind = "assumption" if "assumption" in r else "derived" if "derived" in r else "source" if "source" in r else None
        if kind is None:
            raise ScenarioError(f"railway_finance.yaml: inputs.{k}: no source, derivation or assumption stated")
        ranges[k] = (float(r["low"]), float(r["mode"]), float(r["high"]))
        kinds[k] = kind
        labels[k] = r["label"]
    fx = raw["fixed"]
    ramp = {int(y): {kk: float(vv) for kk, vv in v.items() if kk != "note"} for y, v in fx["ramp"].items()}
    return RailwayInputs(ranges=ranges, bounds=bounds, kinds=kinds, labels=labels, loan_musd=float(fx["loan_musd"]["value"]),
                         equity_musd=float(fx["equity_musd"]["value"]), capex_musd=float(fx["capex_musd"]["value"]),
                         price_base_year=int(fx["price_base_year"]["value"]),
                         concession_years=int(fx["concession_years"]["value"]), first_year=int(raw["meta"]["first_year"]),
                         first_projection_year=int(fx["first_projection_year"]["value"]), ramp=ramp)


@dataclass(frozen=True)
class FreightPath:
    """Freight (million tonnes a year) supplied from outside the model, e.g. by the freight route-choice model.

    ``mt`` is one path ``(years,)`` or one path per Monte Carlo draw ``(draws, years)``. Years before the first keep
    the railway model's own (sourced ramp, then growth); years after the last hold its value, or with ``grow_after``
    grow from it at the railway model's ``freight_growth_pct``. ``scope``: ``lao_section`` tonnes are used as they
    are; ``cross_border`` tonnes (what the route-choice model predicts) are turned into Lao-section tonnes with the
    drawn ``lao_section_per_cross_border``. ``effect`` (per draw, or one number) multiplies the tonnes from
    ``effect_year`` on: a freight scenario's change relative to its baseline.
    """

    years: tuple[int, ...]
    mt: np.ndarray
    source: str
    scope: str = "lao_section"
    grow_after: bool = False
    effect_year: int | None = None
    effect: np.ndarray | float = 1.0

    def __post_init__(self) -> None:
        mt = np.asarray(self.mt, dtype=float)
        if mt.shape[-1] != len(self.years) or mt.ndim not in (1, 2):
            raise ScenarioError(f"freight path: {len(self.years)} years but tonnes of shape {mt.shape}")
        if not np.isfinite(mt).all() or (mt < 0).any():
            raise ScenarioError("freight path: tonnes must be finite and >= 0")
        if self.scope not in ("lao_section", "cross_border"):
            raise ScenarioError(f"freight path: scope must be lao_section or cross_border, got {self.scope!r}")
        effect = np.asarray(self.effect, dtype=float)
        if not np.isfinite(effect).all() or (effect < 0).any():
            raise ScenarioError("freight path: the effect must be finite and >= 0")
        object.__setattr__(self, "mt", mt)
        object.__setattr__(self, "effect", effect)

    def central(self) -> FreightPath:
        """The median path (one row), for the projection at the modes and the tornado."""
        return replace(self, mt=np.median(np.atleast_2d(self.mt), axis=0),
                       effect=float(np.median(np.atleast_1d(self.effect))))

    def apply(self, fr: np.ndarray, years: np.ndarray, *, growth_pct: np.ndarray | None = None,
              per_cross_border: np.ndarray | None = None) -> np.ndarray:
        """``fr`` (draws, years) with this path's tonnes from its first year on (``growth_pct`` and
        ``per_cross_border``: the drawn inputs of those names, used as the path asks)."""
        out = fr.copy()
        path = np.atleast_2d(self.mt)
        for what, rows in (("freight path", path.shape[0]), ("freight effect", np.atleast_1d(self.effect).shape[0])):
            if rows not in (1, out.shape[0]):
                raise ScenarioError(f"{what} has {rows} draws; the Monte Carlo has {out.shape[0]}")
        ys = np.asarray(self.years)
        scale = per_cross_border if self.scope == "cross_border" and per_cross_border is not None else 1.0
        for j, y in enumerate(years):
            if y < ys.min():
                continue
            k = min(np.searchsorted(ys, y, side="right") - 1, len(ys) - 1)
            v = path[:, k] * scale
            if self.grow_after and y > ys.max() and growth_pct is not None:
                v = v * (1 + growth_pct / 100) ** (y - ys.max())
            if self.effect_year is not None and y >= self.effect_year:
                v = v * self.effect
            out[:, j] = v
        return out


def _as_arrays(values: dict[str, Any], inputs: RailwayInputs) -> dict[str, np.ndarray]:
    out = {}
    for k in inputs.ranges:
        if k not in values:
            raise ScenarioError(f"railway inputs: missing {k!r}")
        out[k] = np.atleast_1d(np.asarray(values[k], dtype=float))
    for k in values:
        if k not in inputs.ranges:
            raise ScenarioError(unknown("railway input", k, inputs.ranges))
    return out


def project_arrays(values: dict[str, Any], inputs: RailwayInputs, *, fare_real_growth_pct: float = 0.0,
                   tariff_real_growth_pct: float = 0.0, freight: FreightPath | None = None) -> dict[str, np.ndarray]:
    """Vectorised real-terms projection: each value is a scalar or an array of draws; ``(n_draws, n_years)`` arrays."""
    v = _as_arrays(values, inputs)
    n = max(len(a) for a in v.values())
    years = inputs.years
    T = len(years)
    col = lambda k: v[k][:, None]  # noqa: E731
    t_rel = np.clip(years - inputs.first_projection_year, 0, None)[None, :]
    g_p = (1 + col("passenger_growth_pct") / 100) ** t_rel
    g_f = (1 + col("freight_growth_pct") / 100) ** t_rel
    dom = np.broadcast_to(col("domestic_passengers_m") * g_p, (n, T)).copy()
    xb = np.broadcast_to(col("cross_border_passengers_k") * g_p, (n, T)).copy()
    fr = np.broadcast_to(col("freight_mt") * g_f, (n, T)).copy()
    for y, r in inputs.ramp.items():
        j = y - inputs.first_year
        if 0 <= j < T and y < inputs.first_projection_year:
            dom[:, j], xb[:, j], fr[:, j] = r["domestic_passengers_m"], r["cross_border_passengers_k"], r["freight_mt"]
    if freight is not None:
        fr = freight.apply(fr, years, growth_pct=v["freight_growth_pct"],
                           per_cross_border=v["lao_section_per_cross_border"])
    dom = np.minimum(dom, col("passenger_capacity_m"))
    fr = np.minimum(fr, col("freight_capacity_mt"))
    xb = np.minimum(xb, inputs.ranges["cross_border_passengers_k"][2])  # 1,400 crossings/day x 365 (sourced max)
    since_base = (years - inputs.price_base_year)[None, :]
    fare_f = (1 + fare_real_growth_pct / 100) ** since_base
    tariff_f = (1 + tariff_real_growth_pct / 100) ** since_base
    rev_pax = (dom * col("domestic_fare_usd") + xb / 1000 * col("cross_border_fare_usd")) * fare_f     # US$ M
    rev_fr = fr * col("freight_tariff_usd_per_t") * tariff_f                                           # US$ M
    opex = col("operating_cost_musd") * (1 + col("opex_real_growth_pct") / 100) ** (
        (years - inputs.first_projection_year)[None, :])
    ebitda = rev_pax + rev_fr - opex
    # the loan is nominal: interest on the outstanding balance, level annuity over the tenor after the grace period
    r = v["interest_rate_pct"] / 100
    tenor = np.maximum(np.round(v["loan_tenor_years"]), 1).astype(int)
    grace = np.maximum(np.round(v["grace_years"]), 0).astype(int)
    annuity = inputs.loan_musd * r / (1 - (1 + r) ** (-tenor))
    bal = np.full(n, inputs.loan_musd)
    interest = np.zeros((n, T))
    principal = np.zeros((n, T))
    for j in range(T):
        interest[:, j] = bal * r
        repaying = (j >= grace) & (j < grace + tenor)
        principal[:, j] = np.where(repaying, np.minimum(annuity - bal * r, bal), 0.0)
        bal = bal - principal[:, j]
    deflator = (1 + col("inflation_pct") / 100) ** since_base            # nominal -> 2024 US$
    interest_r, principal_r = interest / deflator, principal / deflator
    service = interest_r + principal_r
    net = ebitda - service
    to_base = (1 + v["inflation_pct"] / 100) ** (inputs.price_base_year - EQUITY_YEAR)
    equity = inputs.equity_musd * to_base
    capex = inputs.capex_musd * to_base
    with np.errstate(divide="ignore", invalid="ignore"):
        dscr = np.where(service > 1e-9, ebitda / service, np.nan)
    disc = (1 + col("discount_rate_pct") / 100) ** (-(years - EQUITY_YEAR)[None, :])
    return {"years": years, "domestic_passengers_m": dom, "cross_border_passengers_k": xb, "freight_mt": fr,
            "revenue_passenger": rev_pax, "revenue_freight": rev_fr, "revenue": rev_pax + rev_fr, "opex": opex,
            "ebitda": ebitda, "interest": interest_r, "principal": principal_r, "debt_service": service,
            "interest_nominal": interest, "principal_nominal": principal, "dscr": dscr,
            "net_cash": net, "cumulative_net_cash": np.cumsum(net, axis=1),
            "cumulative_equity_cash": np.cumsum(net, axis=1) - equity[:, None],
            "equity": equity, "capex": capex, "freight_tariff": col("freight_tariff_usd_per_t") * tariff_f,
            "npv_equity": (net * disc).sum(axis=1) - equity, "npv_project": (ebitda * disc).sum(axis=1) - capex}


def _first_year(mask: np.ndarray, years: np.ndarray) -> np.ndarray:
    """First year where ``mask`` holds and keeps holding to the end (NaN if never)."""
    stays = np.flip(np.logical_and.accumulate(np.flip(mask, axis=1), axis=1), axis=1)
    idx = np.argmax(stays, axis=1)
    return np.where(stays.any(axis=1), years[idx], np.nan)


def break_even_years(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(debt-service year, equity payback year) per draw; NaN when not reached within the concession."""
    covered = (p["ebitda"] >= p["debt_service"]) | (p["debt_service"] <= 1e-9)
    return _first_year(covered, p["years"]), _first_year(p["cumulative_equity_cash"] >= 0, p["years"])


def irr(cash: np.ndarray, years: np.ndarray, outlay: np.ndarray, *, lo: float = -0.5, hi: float = 0.5) -> np.ndarray:
    """Real internal rate of return per draw of ``-outlay`` at :data:`EQUITY_YEAR` plus ``cash`` (draws, years).

    Bisection on ``[lo, hi]``; NaN where the net present value has the same sign at both ends (a return outside the
    range, reported as such)."""
    t = (years - EQUITY_YEAR)[None, :].astype(float)

    def npv(rate: np.ndarray) -> np.ndarray:
        return (cash * (1 + rate[:, None]) ** (-t)).sum(axis=1) - outlay

    a, b = np.full(len(cash), lo), np.full(len(cash), hi)
    fa, fb = npv(a), npv(b)
    ok = np.sign(fa) != np.sign(fb)
    for _ in range(60):
        m = (a + b) / 2
        fm = npv(m)
        left = np.sign(fm) == np.sign(fa)
        a, fa = np.where(left, m, a), np.where(left, fm, fa)
        b = np.where(left, b, m)
    return np.where(ok, (a + b) / 2, np.nan)


def _measures(p: dict[str, np.ndarray]) -> pd.DataFrame:
    ds, pb = break_even_years(p)
    years = p["years"]
    repaying = p["principal"] > 1e-9            # DSCR matters once principal falls due (after the grace period)
    with np.errstate(invalid="ignore"):
        min_dscr = np.nanmin(np.where(repaying, p["dscr"], np.nan), axis=1)
    j2030 = int(np.flatnonzero(years == 2030)[0])
    return pd.DataFrame({
        "debt_service_year": ds, "payback_year": pb, "min_dscr": min_dscr, "dscr_2030": p["dscr"][:, j2030],
        "equity_irr_pct": 100 * irr(p["net_cash"], years, p["equity"]),
        "project_irr_pct": 100 * irr(p["ebitda"], years, p["capex"]),
        "npv_equity_musd": p["npv_equity"], "npv_project_musd": p["npv_project"]})


def freight_break_even(p: dict[str, np.ndarray], years: list[int] | None = None) -> pd.DataFrame:
    """Per year (central draw): freight at which EBITDA = 0 (operating) and EBITDA = debt service (DSCR = 1).

    ``F_operating = (opex - passenger revenue) / tariff``; ``F_debt = F_operating + debt service / tariff``. The gap
    between the two is the debt: at US$20 a tonne, every US$100 M of debt service needs 5 Mt more."""
    ys = p["years"]
    peak = int(ys[np.argmax(p["debt_service"][0])])
    years = years or sorted({2025, 2030, 2035, 2040, peak})
    rows = []
    for y in years:
        j = int(np.flatnonzero(ys == y)[0])
        tariff = float(p["freight_tariff"][0, j]) if p["freight_tariff"].ndim == 2 else float(p["freight_tariff"][0])
        net_op = float(p["opex"][0, j] - p["revenue_passenger"][0, j])
        service = float(p["debt_service"][0, j])
        per_t = (lambda musd: max(musd, 0.0) / tariff) if tariff > 0 else (lambda musd: np.nan)  # no tariff, no tonnes
        rows.append({"year": y, "freight_mt": float(p["freight_mt"][0, j]), "tariff_usd_per_t": tariff,
                     "opex_musd": float(p["opex"][0, j]), "revenue_passenger_musd": float(p["revenue_passenger"][0, j]),
                     "debt_service_musd": service, "break_even_operating_mt": per_t(net_op),
                     "break_even_debt_mt": per_t(net_op + service),
                     "tariff_for_claimed_2mt_usd_per_t": max(net_op, 0.0) / CLAIMED_BREAK_EVEN_MT,
                     "peak_debt_service_year": y == peak})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RailwayResult:
    """Deterministic projection at the modes, Monte Carlo measures over every draw, tornado, freight break-even."""

    projection: pd.DataFrame
    measures: pd.DataFrame           # central values, one row
    mc: pd.DataFrame                 # one row per draw
    tornado: pd.DataFrame            # input, label, basis, npv_low, npv_high, swing (equity NPV)
    break_even: pd.DataFrame
    inputs: pd.DataFrame
    n_draws: int
    seed: int
    options: dict[str, Any] = field(default_factory=dict)
    freight_source: str = "railway model (sourced ramp 2022-2024, then growth)"

    @property
    def debt_service_year(self) -> float | None:
        v = self.measures["debt_service_year"].iloc[0]
        return None if np.isnan(v) else float(v)

    @property
    def payback_year(self) -> float | None:
        v = self.measures["payback_year"].iloc[0]
        return None if np.isnan(v) else float(v)

    def to_frame(self) -> pd.DataFrame:
        return self.projection.copy()

    def summary(self) -> pd.DataFrame:
        """Per measure over all draws: share reached, share never, and 5/50/95th percentiles (NaN = "never")."""
        rows = []
        for col in self.mc.columns:
            x = self.mc[col].to_numpy(dtype=float)
            is_year = col.endswith("_year")
            never = np.isnan(x)
            row: dict[str, Any] = {"measure": col, "n_draws": len(x), "central": float(self.measures[col].iloc[0])}
            if is_year:
                ranked = np.sort(np.where(never, np.inf, x))            # "never" ranks after every year
                row["share_reached"] = float((~never).mean())
                row["share_never"] = float(never.mean())
                for q in (5, 50, 95):
                    v = ranked[min(int(np.ceil(q / 100 * len(x))) - 1, len(x) - 1)] if len(x) else np.nan
                    row[f"p{q:02d}"] = float(v) if np.isfinite(v) else np.nan
                row["note"] = ("; ".join(f"p{q:02d} never" for q in (5, 50, 95) if np.isnan(row[f"p{q:02d}"]))
                               or "")
            else:
                ok = x[~never]
                row["share_reached"] = float((~never).mean())
                row["share_never"] = np.nan
                for q in (5, 50, 95):
                    row[f"p{q:02d}"] = float(np.percentile(ok, q)) if len(ok) else np.nan
                row["note"] = (f"{never.mean():.0%} of draws have no return between -50% and +50%"
                               if col.endswith("irr_pct") and never.any() else "")
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        return {"measures": self.measures.replace({np.nan: None}).to_dict(orient="records")[0],
                "n_draws": self.n_draws, "seed": self.seed, "options": self.options,
                "freight_source": self.freight_source,
                "summary": self.summary().replace({np.nan: None}).to_dict(orient="records"),
                "tornado": self.tornado.to_dict(orient="records")}


PROJECTION_COLUMNS = ("domestic_passengers_m", "cross_border_passengers_k", "freight_mt", "revenue_passenger",
                      "revenue_freight", "revenue", "opex", "ebitda", "interest", "principal", "debt_service", "dscr",
                      "net_cash", "cumulative_net_cash", "cumulative_equity_cash")


def run_railway_finance(overrides: dict[str, float] | None = None, *, n_draws: int = 2000, seed: int = 0,
                        inputs: RailwayInputs | None = None, fare_real_growth_pct: float = 0.0,
                        tariff_real_growth_pct: float = 0.0, freight: FreightPath | None = None) -> RailwayResult:
    """Project at the modes (with ``overrides``), run the Monte Carlo and the tornado.

    ``overrides`` replace an input's mode *and* fix it in the Monte Carlo (a scenario such as "freight tariff is
    US$30/t"); unknown names raise an error listing the valid inputs. ``freight`` replaces the freight path.
    """
    inputs = inputs or load_inputs()
    overrides = dict(overrides or {})
    for k in overrides:
        if k not in inputs.ranges:
            raise ScenarioError(unknown("railway input", k, inputs.ranges))
    opts = {"fare_real_growth_pct": fare_real_growth_pct, "tariff_real_growth_pct": tariff_real_growth_pct,
            "freight": freight}
    at_modes = {**opts, "freight": freight.central() if freight is not None else None}
    modes = {**inputs.modes(), **overrides}
    det = project_arrays(modes, inputs, **at_modes)
    proj = pd.DataFrame({"year": det["years"], **{c: det[c][0] for c in PROJECTION_COLUMNS}})
    rng = np.random.default_rng(seed)
    draws = {k: (np.full(n_draws, overrides[k]) if k in overrides else rng.triangular(lo, mo, hi, size=n_draws))
             for k, (lo, mo, hi) in inputs.ranges.items()}
    mc = project_arrays(draws, inputs, **opts)
    rows = []
    base_npv = float(det["npv_equity"][0])
    for k, (lo, _mo, hi) in inputs.ranges.items():
        if k in overrides:
            continue
        lo_v = float(project_arrays({**modes, k: lo}, inputs, **at_modes)["npv_equity"][0])
        hi_v = float(project_arrays({**modes, k: hi}, inputs, **at_modes)["npv_equity"][0])
        rows.append({"input": k, "label": inputs.labels[k], "basis": inputs.kinds[k], "low": lo, "high": hi,
                     "npv_low": lo_v, "npv_high": hi_v, "swing": abs(hi_v - lo_v)})
    tornado = pd.DataFrame(rows).sort_values("swing", ascending=False).reset_index(drop=True)
    tornado.attrs["base_npv"] = base_npv
    return RailwayResult(
        projection=proj, measures=_measures(det), mc=_measures(mc), tornado=tornado,
        break_even=freight_break_even(det), inputs=inputs.provenance(), n_draws=n_draws, seed=seed,
        options={"fare_real_growth_pct": fare_real_growth_pct, "tariff_real_growth_pct": tariff_real_growth_pct},
        freight_source=freight.source if freight is not None else RailwayResult.freight_source,
    )
