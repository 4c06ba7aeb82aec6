"""A claimed growth path against the data: Lao exports to China (US$1.7 bn in 2019, "~20% a year").

Why this model: no consistent multi-year bilateral series for Laos exists in open data (the gravity reference panel
has no Laos), so the claim is tested against an exponential trend estimated by PPML on the sourced full-year
observations, ``E[value_t] = exp(a + g * (t - t0))``. PPML is the same estimator as the gravity models: it weights
large values sensibly and gives a robust standard error for ``g``, so the model's growth rate comes with a 95%
interval and the claim can be said to lie inside or outside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("lmc.flows").joinpath("data/lao_china_trade.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_observations() -> tuple[dict[str, Any], pd.DataFrame]:
    """(claim, observations frame with year, value_usd, basis, publisher, url)."""
    raw = _raw()
    obs = pd.DataFrame([{"year": int(o["year"]), "value_usd": float(o["value_usd"]), "basis": o["basis"],
                         "publisher": o["source"]["publisher"], "url": o["source"]["url"]} for o in raw["observations"]])
    return raw["claim"], obs


@dataclass(frozen=True)
class TrendResult:
    """Claim path vs PPML trend (with 95% band) vs observations, year by year."""

    table: pd.DataFrame
    growth_pct: float
    growth_ci_pct: tuple[float, float]
    claim_growth_pct: float
    claim_inside_ci: bool
    observations: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"growth_pct": self.growth_pct, "growth_ci_pct": list(self.growth_ci_pct),
                "claim_growth_pct": self.claim_growth_pct, "claim_inside_ci": self.claim_inside_ci,
                "path": self.table.replace({np.nan: None}).to_dict(orient="records")}


def claim_vs_trend(*, base_value_usd: float | None = None, growth_pct: float | None = None,
                   base_year: int | None = None, horizon: int = 2030) -> TrendResult:
    """Project the claim (optionally with changed base value, growth or base year) and compare with the trend."""
    from lmc.flows.gravity import fit_gravity

    claim, obs = load_observations()
    v0 = float(base_value_usd if base_value_usd is not None else claim["value_usd"])
    g = float(growth_pct if growth_pct is not None else claim["growth_pct"])
    y0 = int(base_year if base_year is not None else claim["year"])
    df = obs.assign(t=obs["year"] - y0, value_bn=obs["value_usd"] / 1e9)
    res = fit_gravity(df, "value_bn ~ t", vcov="hetero")
    b, se = res.coef["t"], res.se["t"]
    a = res.coef["Intercept"]
    years = np.arange(min(int(obs["year"].min()), y0), horizon + 1)
    t = years - y0
    cov = np.array(res.vcov)
    names = list(res.coef)
    ia, ib = names.index("Intercept"), names.index("t")
    lin = a + b * t
    lin_se = np.sqrt(cov[ia, ia] + t ** 2 * cov[ib, ib] + 2 * t * cov[ia, ib])
    table = pd.DataFrame({
        "year": years,
        "claim_usd_bn": np.where(years >= y0, v0 / 1e9 * (1 + g / 100) ** t, np.nan),
        "trend_usd_bn": np.exp(lin), "trend_low_usd_bn": np.exp(lin - 1.96 * lin_se),
        "trend_high_usd_bn": np.exp(lin + 1.96 * lin_se),
    })
    observed = obs.groupby("year")["value_usd"].agg(["min", "max"]) / 1e9
    table["observed_min_usd_bn"] = table["year"].map(observed["min"])
    table["observed_max_usd_bn"] = table["year"].map(observed["max"])
    lo, hi = 100 * (np.exp(b - 1.96 * se) - 1), 100 * (np.exp(b + 1.96 * se) - 1)
    return TrendResult(table=table, growth_pct=100 * (np.exp(b) - 1), growth_ci_pct=(float(lo), float(hi)),
                       claim_growth_pct=g, claim_inside_ci=bool(lo <= g <= hi), observations=obs)
