"""A claimed growth path against the data: Lao exports to China (US$1.7 bn in 2019, "~20% a year").

Why this model: no consistent multi-year bilateral series for Laos exists in open data (the gravity reference panel
has no Laos), so the claim is tested against an exponential trend estimated by PPML on the sourced full-year
observations, ``E[value_t] = exp(a + g * (t - t0))``. PPML is the same estimator as the gravity models and gives a
robust covariance for ``(a, g)``. With a handful of points, normal quantiles would make the bands far too narrow,
so every interval uses Student-t quantiles with ``n - 2`` degrees of freedom:

* the **confidence band** of the trend (where the expected value lies): ``lin ± t * se(lin)``;
* the **prediction interval** of one year's observation (what a back-cast compares with): it adds the scatter of
  the observations around the trend, ``lin ± t * sqrt(se(lin)^2 + s^2)`` with ``s^2`` the residual variance of
  the log values.

``window`` restricts the fit to observation years ``[first, last]`` (the back-cast fits on years up to 2019 and
predicts 2020-2024).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from lmc import yamldoc
from lmc.flows.errors import ScenarioError

LEVEL = 0.90
"""Two-sided coverage of every trend interval (5-95%), as for the other models' bands."""


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("lmc.flows").joinpath("data/lao_china_trade.yaml").read_text(encoding="utf-8")
    return yamldoc.safe_load(text)


def load_observations() -> tuple[dict[str, Any], pd.DataFrame]:
    """(claim, observations frame with year, value_usd, basis, publisher, url)."""
    raw = _raw()
    obs = pd.DataFrame([{"year": int(o["year"]), "value_usd": float(o["value_usd"]), "basis": o["basis"],
                         "publisher": o["source"]["publisher"], "url": o["source"]["url"]} for o in raw["observations"]])
    return raw["claim"], obs


@dataclass(frozen=True)
class TrendFit:
    """A PPML exponential trend: coefficients around ``t0``, robust covariance, residual scatter, t quantile."""

    t0: int
    a: float
    g: float
    vcov: np.ndarray          # 2 x 2 for (a, g)
    resid_var: float          # variance of log(observed / fitted), n - 2 degrees of freedom
    n: int
    t_quantile: float
    window: tuple[int, int]

    def _lin(self, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = np.asarray(years, dtype=float) - self.t0
        lin = self.a + self.g * t
        se = np.sqrt(self.vcov[0, 0] + t ** 2 * self.vcov[1, 1] + 2 * t * self.vcov[0, 1])
        return lin, se

    def band(self, years) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(trend, low, high) of the expected value, US$."""
        lin, se = self._lin(years)
        return np.exp(lin), np.exp(lin - self.t_quantile * se), np.exp(lin + self.t_quantile * se)

    def prediction(self, years) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(trend, low, high) of one year's observation, US$."""
        lin, se = self._lin(years)
        sp = np.sqrt(se ** 2 + self.resid_var)
        return np.exp(lin), np.exp(lin - self.t_quantile * sp), np.exp(lin + self.t_quantile * sp)

    @property
    def growth_pct(self) -> float:
        return float(100 * (np.exp(self.g) - 1))

    @property
    def growth_ci_pct(self) -> tuple[float, float]:
        se = np.sqrt(self.vcov[1, 1])
        return (float(100 * (np.exp(self.g - self.t_quantile * se) - 1)),
                float(100 * (np.exp(self.g + self.t_quantile * se) - 1)))


def fit_trend(obs: pd.DataFrame, *, t0: int, window: tuple[int, int] | None = None) -> TrendFit:
    """PPML fit of ``value_usd`` on the year over the observations inside ``window``."""
    from lmc.flows.gravity import fit_gravity

    w = window or (int(obs["year"].min()), int(obs["year"].max()))
    sub = obs[(obs["year"] >= w[0]) & (obs["year"] <= w[1])]
    if sub["year"].nunique() < 3:
        years = sorted(obs["year"].unique())
        raise ScenarioError(f"trend window {w[0]}-{w[1]} holds {sub['year'].nunique()} observed year(s); a trend "
                            f"with an interval needs at least 3. Observed years: {', '.join(map(str, years))}")
    df = sub.assign(t=sub["year"] - t0, value_bn=sub["value_usd"] / 1e9)
    res = fit_gravity(df, "value_bn ~ t", vcov="hetero")
    names = list(res.coef)
    ia, ib = names.index("Intercept"), names.index("t")
    cov = np.array(res.vcov)[np.ix_([ia, ib], [ia, ib])]
    a = float(res.coef["Intercept"]) + np.log(1e9)          # back to US$
    g = float(res.coef["t"])
    n = len(df)
    resid = np.log(df["value_usd"].to_numpy()) - (a + g * df["t"].to_numpy())
    dof = n - 2
    return TrendFit(t0=t0, a=a, g=g, vcov=cov, resid_var=float(resid @ resid / dof), n=n,
                    t_quantile=float(stats.t.ppf(0.5 + LEVEL / 2, dof)), window=(int(w[0]), int(w[1])))


@dataclass(frozen=True)
class TrendResult:
    """Claim path vs PPML trend (with t-based band and prediction interval) vs observations, year by year."""

    table: pd.DataFrame
    growth_pct: float
    growth_ci_pct: tuple[float, float]
    claim_growth_pct: float
    claim_inside_ci: bool
    observations: pd.DataFrame
    window: tuple[int, int]
    n_obs: int

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"growth_pct": self.growth_pct, "growth_ci_pct": list(self.growth_ci_pct),
                "claim_growth_pct": self.claim_growth_pct, "claim_inside_ci": self.claim_inside_ci,
                "window": list(self.window), "n_obs": self.n_obs,
                "path": self.table.replace({np.nan: None}).to_dict(orient="records")}


def claim_vs_trend(*, base_value_usd: float | None = None, growth_pct: float | None = None,
                   base_year: int | None = None, horizon: int = 2030,
                   window: tuple[int, int] | None = None) -> TrendResult:
    """Project the claim (optionally with changed base value, growth or base year) and compare with the trend."""
    claim, obs = load_observations()
    v0 = float(base_value_usd if base_value_usd is not None else claim["value_usd"])
    g = float(growth_pct if growth_pct is not None else claim["growth_pct"])
    y0 = int(base_year if base_year is not None else claim["year"])
    fit = fit_trend(obs, t0=y0, window=window)
    years = np.arange(min(int(obs["year"].min()), y0), horizon + 1)
    trend, lo, hi = fit.band(years)
    _, plo, phi = fit.prediction(years)
    table = pd.DataFrame({
        "year": years,
        "claim_usd_bn": np.where(years >= y0, v0 / 1e9 * (1 + g / 100) ** (years - y0), np.nan),
        "trend_usd_bn": trend / 1e9, "trend_low_usd_bn": lo / 1e9, "trend_high_usd_bn": hi / 1e9,
        "prediction_low_usd_bn": plo / 1e9, "prediction_high_usd_bn": phi / 1e9,
    })
    observed = obs.groupby("year")["value_usd"].agg(["min", "max"]) / 1e9
    table["observed_min_usd_bn"] = table["year"].map(observed["min"])
    table["observed_max_usd_bn"] = table["year"].map(observed["max"])
    lo_g, hi_g = fit.growth_ci_pct
    return TrendResult(table=table, growth_pct=fit.growth_pct, growth_ci_pct=(lo_g, hi_g), claim_growth_pct=g,
                       claim_inside_ci=bool(lo_g <= g <= hi_g), observations=obs, window=fit.window, n_obs=fit.n)
