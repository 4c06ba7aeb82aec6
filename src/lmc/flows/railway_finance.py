"""Can the Laos-China Railway cover its costs? A cash-flow model of the Lao section with Monte Carlo and a tornado.

Why this shape: LCRC publishes no income statement, tariffs or costs, so the honest answer is a distribution, not
a number. Each input is a range from ``data/railway_finance.yaml``: sourced (traffic, fares, the US$3.54 bn
loan, the 50-year concession), derived from sourced figures, or marked as an assumption. The projection is
deterministic for given inputs (:func:`project`); the Monte Carlo draws every ranged input from a triangular
distribution (``numpy.random.default_rng(seed)``); the tornado moves one input at a time to its low and high
values and records the change in NPV, so the chart shows which unknowns matter most.

Break-even definitions (both reported):

* **debt-service year**: the first year in which operating cash flow (revenue - operating cost) covers interest and
  principal due that year;
* **payback year**: the first year in which the cumulative cash flow after debt service turns non-negative, the
  closest analogue of the "profitable after 23 years" claim (Lao Ministry of Planning and Investment, 2021).

Draws that never reach it within the concession are counted, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from lmc.errors import unknown
from lmc.flows.errors import ScenarioError


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("lmc.flows").joinpath("data/railway_finance.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class RailwayInputs:
    """Ranged inputs (low, mode, high) with their provenance kind, plus fixed terms and the sourced ramp-up."""

    ranges: dict[str, tuple[float, float, float]]
    kinds: dict[str, str]            # input -> "source" | "derived" | "assumption"
    labels: dict[str, str]
    loan_musd: float
    concession_years: int
    first_year: int
    first_projection_year: int
    ramp: dict[int, dict[str, float]]

    def modes(self) -> dict[str, float]:
        return {k: v[1] for k, v in self.ranges.items()}

    def provenance(self) -> pd.DataFrame:
        """One row per input: label, low/mode/high, and whether it is sourced, derived or an assumption."""
        raw = _raw()["inputs"]
        rows = []
        for k, (lo, mo, hi) in self.ranges.items():
            r = raw[k]
            src = r.get("source", {})
            rows.append({"input": k, "label": self.labels[k], "low": lo, "mode": mo, "high": hi, "unit": r.get("unit"),
                         "basis": self.kinds[k], "publisher": src.get("publisher"), "url": src.get("url"),
                         "note": r.get("derived") or r.get("assumption")})
        return pd.DataFrame(rows)


def load_inputs() -> RailwayInputs:
    """The curated inputs; every ranged input must declare ``source``/``derived`` or ``assumption``."""
    raw = _raw()
    ranges, kinds, labels = {}, {}, {}
    for k, r in raw["inputs"].items():
        if not (r["low"] <= r["mode"] <= r["high"]):
            raise ScenarioError(f"railway_finance.yaml: inputs.{k}: need low <= mode <= high")
        kind = "assumption" if "assumption" in r else "derived" if "derived" in r else "source" if "source" in r else None
        if kind is None:
            raise ScenarioError(f"railway_finance.yaml: inputs.{k}: no source, derivation or assumption stated")
        ranges[k] = (float(r["low"]), float(r["mode"]), float(r["high"]))
        kinds[k] = kind
        labels[k] = r["label"]
    fx = raw["fixed"]
    ramp = {int(y): {kk: float(vv) for kk, vv in v.items() if kk != "note"} for y, v in fx["ramp"].items()}
    return RailwayInputs(ranges=ranges, kinds=kinds, labels=labels, loan_musd=float(fx["loan_musd"]["value"]),
                         concession_years=int(fx["concession_years"]["value"]), first_year=int(raw["meta"]["first_year"]),
                         first_projection_year=int(fx["first_projection_year"]["value"]), ramp=ramp)


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


def project_arrays(values: dict[str, Any], inputs: RailwayInputs) -> dict[str, np.ndarray]:
    """Vectorised projection: each value is a scalar or an array of draws; returns ``(n_draws, n_years)`` arrays."""
    v = _as_arrays(values, inputs)
    n = max(len(a) for a in v.values())
    years = np.arange(inputs.first_year, inputs.first_year + inputs.concession_years)
    T = len(years)
    t_rel = np.clip(years - inputs.first_projection_year, 0, None)[None, :]
    g_p = (1 + v["passenger_growth_pct"][:, None] / 100) ** t_rel
    g_f = (1 + v["freight_growth_pct"][:, None] / 100) ** t_rel
    dom = np.broadcast_to(v["domestic_passengers_m"][:, None] * g_p, (n, T)).copy()
    xb = np.broadcast_to(v["cross_border_passengers_k"][:, None] * g_p, (n, T)).copy()
    fr = np.broadcast_to(v["freight_mt"][:, None] * g_f, (n, T)).copy()
    cap_p = v["passenger_capacity_m"][:, None]
    dom = np.minimum(dom, cap_p)
    fr = np.minimum(fr, v["freight_capacity_mt"][:, None])
    xb = np.minimum(xb, inputs.ranges["cross_border_passengers_k"][2])  # 1,400 crossings/day x 365 (sourced max)
    for y, r in inputs.ramp.items():
        j = y - inputs.first_year
        if 0 <= j < T and y < inputs.first_projection_year:
            dom[:, j], xb[:, j], fr[:, j] = r["domestic_passengers_m"], r["cross_border_passengers_k"], r["freight_mt"]
    rev_pax = dom * v["domestic_fare_usd"][:, None] + xb / 1000 * v["cross_border_fare_usd"][:, None]   # US$ M
    rev_fr = fr * v["freight_tariff_usd_per_t"][:, None]                                                 # US$ M
    opex = v["operating_cost_musd"][:, None] * (1 + v["opex_growth_pct"][:, None] / 100) ** (
        (years - inputs.first_projection_year)[None, :])
    ebitda = rev_pax + rev_fr - opex
    # debt: interest on the outstanding balance; level annuity over the tenor after the grace period
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
    service = interest + principal
    net = ebitda - service
    cum = np.cumsum(net, axis=1)
    disc = (1 + v["discount_rate_pct"][:, None] / 100) ** (-(years - inputs.first_year)[None, :])
    return {"years": years, "domestic_passengers_m": dom, "cross_border_passengers_k": xb, "freight_mt": fr,
            "revenue_passenger": rev_pax, "revenue_freight": rev_fr, "revenue": rev_pax + rev_fr, "opex": opex,
            "ebitda": ebitda, "interest": interest, "principal": principal, "debt_service": service,
            "net_cash": net, "cumulative_net_cash": cum, "npv": (net * disc).sum(axis=1)}


def _first_year(mask: np.ndarray, years: np.ndarray) -> np.ndarray:
    """First year where ``mask`` holds and keeps holding to the end (NaN if never)."""
    stays = np.flip(np.logical_and.accumulate(np.flip(mask, axis=1), axis=1), axis=1)
    idx = np.argmax(stays, axis=1)
    return np.where(stays.any(axis=1), years[idx], np.nan)


def break_even_years(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(debt-service year, payback year) per draw; NaN when not reached within the concession."""
    return _first_year(p["net_cash"] >= 0, p["years"]), _first_year(p["cumulative_net_cash"] >= 0, p["years"])


@dataclass(frozen=True)
class RailwayResult:
    """Deterministic projection at the modes, Monte Carlo summary of break-even years and NPV, and the tornado."""

    projection: pd.DataFrame
    debt_service_year: float | None
    payback_year: float | None
    npv_musd: float
    mc_break_even: pd.DataFrame     # one row per draw: debt_service_year, payback_year, npv_musd
    tornado: pd.DataFrame           # input, label, basis, npv_low, npv_high, swing
    inputs: pd.DataFrame
    n_draws: int
    seed: int

    def to_frame(self) -> pd.DataFrame:
        return self.projection.copy()

    def summary(self) -> pd.DataFrame:
        """Probabilities and percentiles of the break-even years and NPV across draws."""
        rows = []
        for col in ("debt_service_year", "payback_year", "npv_musd"):
            x = self.mc_break_even[col].to_numpy(dtype=float)
            ok = x[~np.isnan(x)]
            rows.append({"measure": col, "share_reached": len(ok) / len(x) if len(x) else np.nan,
                         "p05": np.percentile(ok, 5) if len(ok) else np.nan,
                         "p50": np.percentile(ok, 50) if len(ok) else np.nan,
                         "p95": np.percentile(ok, 95) if len(ok) else np.nan})
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        return {"debt_service_year": self.debt_service_year, "payback_year": self.payback_year,
                "npv_musd": self.npv_musd, "n_draws": self.n_draws, "seed": self.seed,
                "summary": self.summary().replace({np.nan: None}).to_dict(orient="records"),
                "tornado": self.tornado.to_dict(orient="records")}


def run_railway_finance(overrides: dict[str, float] | None = None, *, n_draws: int = 2000, seed: int = 0,
                        inputs: RailwayInputs | None = None) -> RailwayResult:
    """Project at the modes (with ``overrides``), run the Monte Carlo and the tornado.

    ``overrides`` replace an input's mode *and* fix it in the Monte Carlo (a scenario such as "freight tariff is
    US$30/t"); unknown names raise an error listing the valid inputs.
    """
    inputs = inputs or load_inputs()
    overrides = dict(overrides or {})
    for k in overrides:
        if k not in inputs.ranges:
            raise ScenarioError(unknown("railway input", k, inputs.ranges))
    modes = {**inputs.modes(), **overrides}
    det = project_arrays(modes, inputs)
    ds, pb = break_even_years(det)
    cols = ["domestic_passengers_m", "cross_border_passengers_k", "freight_mt", "revenue_passenger",
            "revenue_freight", "revenue", "opex", "ebitda", "interest", "principal", "debt_service", "net_cash",
            "cumulative_net_cash"]
    proj = pd.DataFrame({"year": det["years"], **{c: det[c][0] for c in cols}})
    rng = np.random.default_rng(seed)
    draws = {k: (np.full(n_draws, overrides[k]) if k in overrides else rng.triangular(lo, mo, hi, size=n_draws))
             for k, (lo, mo, hi) in inputs.ranges.items()}
    mc = project_arrays(draws, inputs)
    mds, mpb = break_even_years(mc)
    mc_df = pd.DataFrame({"debt_service_year": mds, "payback_year": mpb, "npv_musd": mc["npv"]})
    rows = []
    base_npv = float(det["npv"][0])
    for k, (lo, _mo, hi) in inputs.ranges.items():
        if k in overrides:
            continue
        lo_v = float(project_arrays({**modes, k: lo}, inputs)["npv"][0])
        hi_v = float(project_arrays({**modes, k: hi}, inputs)["npv"][0])
        rows.append({"input": k, "label": inputs.labels[k], "basis": inputs.kinds[k], "low": lo, "high": hi,
                     "npv_low": lo_v, "npv_high": hi_v, "swing": abs(hi_v - lo_v)})
    tornado = pd.DataFrame(rows).sort_values("swing", ascending=False).reset_index(drop=True)
    tornado.attrs["base_npv"] = base_npv
    return RailwayResult(
        projection=proj, debt_service_year=None if np.isnan(ds[0]) else float(ds[0]),
        payback_year=None if np.isnan(pb[0]) else float(pb[0]), npv_musd=base_npv, mc_break_even=mc_df,
        tornado=tornado, inputs=inputs.provenance(), n_draws=n_draws, seed=seed,
    )
