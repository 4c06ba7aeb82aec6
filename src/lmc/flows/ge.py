"""General-equilibrium counterfactuals in structural gravity (the Advanced Guide's GEPPML, solved as a fixed point).

Structural gravity (Anderson & van Wincoop 2003; Yotov et al. 2016, ch. 2):

    X_ij = (Y_i E_j / Y) (t_ij / (Pi_i P_j))^(1-sigma)

The GEPPML procedure re-estimates a PPML with exporter and importer fixed effects after changing trade costs;
those fixed effects are exactly the solution of the multilateral-resistance system, so we solve that system
directly (same numbers, milliseconds instead of repeated regressions, and no estimator in the inner loop):

* **conditional GE** (outputs ``Y`` and expenditures ``E`` fixed): the counterfactual flows are
  ``X'_ij = X_ij tau_ij a_i b_j`` with ``a, b`` such that rows still sum to ``Y`` and columns to ``E``
  (bi-proportional scaling); ``1/a_i`` and ``1/b_j`` are the changes in outward and inward resistance.
* **full endowment GE**: factory-gate prices ``p_i`` adjust until each country's output market clears,
  ``p_i^sigma = sum_j X_ij tau_ij p_j / P_j^(1-sigma) / Y_i`` with ``P_j^(1-sigma) = sum_i pi_ij tau_ij p_i^(1-sigma)``,
  expenditure moving with output (constant ``E_j/Y_j``, as in the Guide, rescaled by one world factor so that world
  expenditure equals world output when trade is unbalanced) and the reference country's inward
  resistance normalised to one. Welfare is the change in real expenditure ``p_j / P_j``.

Here ``tau_ij`` is the change in the trade-cost term ``t_ij^(1-sigma)`` (e.g. ``exp(beta_rta * d_rta)``), so a
shock on one link moves every resistance term and diverts flows from the other links.
Non-convergence raises :class:`ConvergenceError` with the iteration log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lmc.errors import unknown
from lmc.flows.errors import ConvergenceError, ScenarioError


@dataclass(frozen=True)
class GEResult:
    """Baseline and counterfactual flows (``n x n``, rows exporters, columns importers) and GE terms per country.

    ``p_hat``: change in factory-gate price (= nominal output); ``omr_hat``/``imr_hat``: change in outward and
    inward multilateral resistance (levels, not to the power 1-sigma); ``welfare_hat``: change in real expenditure.
    Each ``*_hat`` is a ratio (1.02 = +2%). ``iterations`` and ``log`` record the fixed-point run.
    """

    countries: tuple[str, ...]
    sigma: float
    reference: str
    baseline: np.ndarray
    conditional: np.ndarray
    full: np.ndarray
    p_hat: np.ndarray
    omr_hat: np.ndarray
    imr_hat: np.ndarray
    imr_hat_conditional: np.ndarray
    welfare_hat: np.ndarray
    iterations: int
    log: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """Pair table: exporter, importer, baseline, conditional and full-GE flows and their % changes."""
        n = len(self.countries)
        ex = np.repeat(self.countries, n)
        im = np.tile(self.countries, n)
        b = self.baseline.ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame({
                "exporter": ex, "importer": im, "baseline": b,
                "conditional": self.conditional.ravel(), "full": self.full.ravel(),
                "pct_change_conditional": 100 * (self.conditional.ravel() / b - 1),
                "pct_change_full": 100 * (self.full.ravel() / b - 1),
            })

    def by_country(self) -> pd.DataFrame:
        """Country table: exports and imports (excluding domestic sales) before/after, prices, resistances, welfare."""
        off = ~np.eye(len(self.countries), dtype=bool)
        exb, exf = (self.baseline * off).sum(1), (self.full * off).sum(1)
        imb, imf = (self.baseline * off).sum(0), (self.full * off).sum(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame({
                "country": list(self.countries),
                "exports_baseline": exb, "exports_full": exf, "exports_pct": 100 * (exf / exb - 1),
                "imports_baseline": imb, "imports_full": imf, "imports_pct": 100 * (imf / imb - 1),
                "output_pct": 100 * (self.p_hat - 1), "omr_pct": 100 * (self.omr_hat - 1),
                "imr_pct": 100 * (self.imr_hat - 1), "welfare_pct": 100 * (self.welfare_hat - 1),
            })

    def partner_changes(self, country: str) -> pd.DataFrame:
        """Exports and imports of ``country`` by partner, baseline vs full GE (the diversion view)."""
        if country not in self.countries:
            raise ScenarioError(unknown("country", country, self.countries))
        i = self.countries.index(country)
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame({
                "partner": list(self.countries),
                "exports_baseline": self.baseline[i], "exports_full": self.full[i],
                "exports_pct": 100 * (self.full[i] / self.baseline[i] - 1),
                "imports_baseline": self.baseline[:, i], "imports_full": self.full[:, i],
                "imports_pct": 100 * (self.full[:, i] / self.baseline[:, i] - 1),
            })

    def to_dict(self) -> dict[str, Any]:
        return {
            "countries": list(self.countries), "sigma": self.sigma, "reference": self.reference,
            "iterations": self.iterations,
            "by_country": self.by_country().replace({np.nan: None}).to_dict(orient="records"),
        }


def _check(flows: np.ndarray, tau: np.ndarray, countries: tuple[str, ...]) -> None:
    n = len(countries)
    if flows.shape != (n, n) or tau.shape != (n, n):
        raise ScenarioError(f"GE needs square {n}x{n} flow and trade-cost matrices; got {flows.shape} and {tau.shape}")
    if not np.isfinite(flows).all() or (flows < 0).any():
        raise ScenarioError("GE baseline flows must be finite and >= 0")
    if not np.isfinite(tau).all() or (tau < 0).any():
        raise ScenarioError("GE trade-cost changes must be finite and >= 0")
    if (flows.sum(1) <= 0).any() or (flows.sum(0) <= 0).any():
        bad = [countries[k] for k in np.flatnonzero((flows.sum(1) <= 0) | (flows.sum(0) <= 0))]
        raise ScenarioError(f"GE: countries with no output or no expenditure: {', '.join(bad[:10])}")


def conditional_ge(flows: np.ndarray, tau: np.ndarray, *, tol: float = 1e-12, maxiter: int = 10_000
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, list[str]]:
    """Bi-proportional solution with fixed ``Y`` (row sums) and ``E`` (column sums).

    Returns ``(X', a, b, iterations, log)`` with ``X' = X * tau * a[:, None] * b[None, :]``.
    """
    Y, E = flows.sum(1), flows.sum(0)
    K = flows * tau
    a = np.ones(len(Y))
    b = np.ones(len(E))
    log: list[str] = []
    for it in range(1, maxiter + 1):
        a_new = Y / (K @ b)
        b_new = E / (K.T @ a_new)
        err = float(max(np.max(np.abs(np.log(a_new / a))), np.max(np.abs(np.log(b_new / b)))))
        a, b = a_new, b_new
        if it <= 10 or it % 50 == 0 or err < tol:
            log.append(f"cond it={it} max|dlog|={err:.3e}")
        if err < tol:
            return K * a[:, None] * b[None, :], a, b, it, log
    raise ConvergenceError(f"conditional GE did not converge in {maxiter} iterations (tol {tol:g})", log)


def full_ge(flows: np.ndarray, tau: np.ndarray, *, sigma: float = 7.0, ref: int = 0, tol: float = 1e-10,
            maxiter: int = 10_000, damping: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, list[str]]:
    """Full-endowment GE fixed point. Returns ``(X', p_hat, P_hat^(1-sigma), iterations, log)``."""
    if sigma <= 1:
        raise ScenarioError(f"sigma must be > 1 (elasticity of substitution); got {sigma}")
    Y, E = flows.sum(1), flows.sum(0)
    pi = flows / E[None, :]
    K = flows * tau
    p = np.ones(len(Y))
    log: list[str] = []
    one_s = 1.0 - sigma
    for it in range(1, maxiter + 1):
        P1s = (pi * tau).T @ (p ** one_s)                     # P_hat_j^(1-sigma)
        s = (Y @ p) / (E @ p)                                  # world expenditure = world output (Walras)
        p_new = ((K @ (s * p / P1s)) / Y) ** (1.0 / sigma)
        P_ref = ((pi[:, ref] * tau[:, ref]) @ (p_new ** one_s)) ** (1.0 / one_s)
        p_new = p_new / P_ref                                  # normalise: reference inward resistance = 1
        step = np.log(p_new) - np.log(p)
        err = float(np.max(np.abs(step)))
        p = np.exp(np.log(p) + damping * step)
        if it <= 10 or it % 50 == 0 or err < tol or not np.isfinite(err):
            log.append(f"full it={it} max|dlog p|={err:.3e}")
        if not np.isfinite(err):
            raise ConvergenceError("full GE diverged (non-finite prices)", log)
        if err < tol:
            P1s = (pi * tau).T @ (p ** one_s)
            s = (Y @ p) / (E @ p)
            X = K * (p ** one_s)[:, None] * (s * p / P1s)[None, :]
            return X, p, P1s, it, log
    raise ConvergenceError(f"full GE did not converge in {maxiter} iterations (tol {tol:g})", log)


def ge_counterfactual(
    flows: np.ndarray | pd.DataFrame,
    tau: np.ndarray,
    countries: list[str] | tuple[str, ...] | None = None,
    *,
    sigma: float = 7.0,
    reference: str | None = None,
    tol: float = 1e-10,
    maxiter: int = 10_000,
) -> GEResult:
    """Baseline vs counterfactual flows after multiplying ``t_ij^(1-sigma)`` by ``tau`` (``n x n``).

    ``flows`` is an ``n x n`` matrix (exporters in rows, importers in columns; include domestic sales on the
    diagonal for a proper GE) or a wide DataFrame indexed by exporter with importer columns. ``reference``
    names the country whose inward resistance is the numeraire (default: the first).
    """
    if isinstance(flows, pd.DataFrame):
        countries = tuple(map(str, flows.index))
        X = flows.loc[list(flows.index), list(flows.index)].to_numpy(dtype=float)
    else:
        X = np.asarray(flows, dtype=float)
        countries = tuple(countries) if countries is not None else tuple(f"c{i}" for i in range(len(X)))
    T = np.asarray(tau, dtype=float)
    _check(X, T, countries)
    ref_name = reference or countries[0]
    if ref_name not in countries:
        raise ScenarioError(unknown("reference country", ref_name, countries))
    ref = countries.index(ref_name)
    Xc, a, b, it_c, log_c = conditional_ge(X, T, tol=min(tol, 1e-10), maxiter=maxiter)
    Xf, p, P1s, it_f, log_f = full_ge(X, T, sigma=sigma, ref=ref, tol=tol, maxiter=maxiter)
    one_s = 1.0 - sigma
    imr = P1s ** (1.0 / one_s)
    # outward resistance from Y_i = (beta_i p_i)^(1-sigma) Pi_i^(1-sigma) Y in changes: p_i = p_i^(1-sigma) Pi_i^(1-sigma) Y_w
    Yw = float((X.sum(1) * p).sum() / X.sum())
    Pi1s = p ** sigma / Yw
    omr = Pi1s ** (1.0 / one_s)
    b_norm = b / b[ref]
    imr_cond = (1.0 / b_norm) ** (1.0 / one_s)
    return GEResult(
        countries=tuple(countries), sigma=float(sigma), reference=ref_name, baseline=X, conditional=Xc, full=Xf,
        p_hat=p, omr_hat=omr, imr_hat=imr, imr_hat_conditional=imr_cond, welfare_hat=p / imr,
        iterations=it_c + it_f, log=tuple(log_c + log_f),
    )


def square_flows(df: pd.DataFrame, *, exporter: str = "exporter", importer: str = "importer",
                 value: str = "trade") -> pd.DataFrame:
    """Long ``exporter, importer, value`` -> wide square matrix over the union of countries (missing = 0)."""
    for col in (exporter, importer, value):
        if col not in df.columns:
            raise ScenarioError(f"flow table lacks column {col!r}; has {', '.join(map(str, df.columns))}")
    names = sorted(set(df[exporter].astype(str)) | set(df[importer].astype(str)))
    wide = df.pivot_table(index=exporter, columns=importer, values=value, aggfunc="sum")
    return wide.reindex(index=names, columns=names).fillna(0.0)


# --------------------------------------------------------------------------------------------------- the panel
GE_FORMULA = "trade ~ ln_dist + cntg + lang + clny + rta + intl_brdr | exporter + importer"
GE_TABLE = "agtpa_ch2_app2"
"""The warehouse table of the Advanced Guide panel (source ``trade_agtpa``, Chapter 2 Application 2)."""
GE_SECTOR = "manufacturing"
"""The Advanced Guide panel covers manufacturing only (with domestic sales), 69 countries, 1986-2006."""
GE_COUNTRIES_MISSING = ("LAO", "KHM", "VNM")
GE_NEEDED = ("an open bilateral trade panel with domestic flows covering all six LMC countries, e.g. the USITC "
             "International Trade and Production Database for Estimation (ITPD-E, 2000-2019, public domain) or CEPII "
             "BACI with production data; neither is in the data mirror")


def _cache_file(settings, name: str, *parts: object) -> Path:
    """``<LMC_HOME>/cache/flows/<name>-<hash of parts>``: derived data, rebuilt when any part changes."""
    import hashlib

    from lmc.config import get_settings

    key = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]
    return (settings or get_settings()).cache_dir / "flows" / f"{name}-{key}"


_PANELS: dict[tuple[str, str], pd.DataFrame] = {}


def _panel(settings=None) -> pd.DataFrame:
    """The panel with the model's regressors, read once per warehouse and provenance of its file."""
    from lmc.config import get_settings
    from lmc.flows.inputs import MODEL_SOURCES, fingerprint, table

    settings = settings or get_settings()
    key = (str(settings.warehouse), fingerprint(MODEL_SOURCES["ge"], settings))
    if key not in _PANELS:
        d = table(GE_TABLE, settings)
        d["exporter"] = d["exporter"].astype(str)
        d["importer"] = d["importer"].astype(str)
        for c in ("trade", "cntg", "lang", "clny", "rta"):
            d[c] = d[c].astype(float)
        d["ln_dist"] = np.log(d["dist"].astype(float))
        d["intl_brdr"] = (d["exporter"] != d["importer"]).astype(float)
        _PANELS.clear()
        _PANELS[key] = d
    return _PANELS[key]


def load_ge_panel(year: int, settings=None) -> pd.DataFrame:
    """The Advanced Guide panel (69 countries incl. CHN, MMR, THA; domestic flows included) for one year."""
    d = _panel(settings)
    years = sorted(int(y) for y in d["year"].unique())
    if year not in years:
        raise ScenarioError(f"unknown year {year} for the GE trade model (Advanced Guide panel). "
                            f"Valid: {min(years)}-{max(years)}")
    return d[d["year"] == year].reset_index(drop=True)


@dataclass(frozen=True)
class TradeCostFit:
    """What the GE needs from the PPML fit: coefficients, their covariance, the table, fitted flows (kept cached)."""

    coef: dict[str, float]
    vcov: np.ndarray
    nobs: int
    table: pd.DataFrame
    fitted: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def coef_draws(self, n: int, seed: int = 0) -> pd.DataFrame:
        """As :meth:`lmc.flows.gravity.GravityResult.coef_draws` (same generator, same draws)."""
        rng = np.random.default_rng(seed)
        names = list(self.coef)
        return pd.DataFrame(rng.multivariate_normal(np.array([self.coef[k] for k in names]), self.vcov, size=n,
                                                    method="eigh"), columns=names)


def trade_cost_fit(d: pd.DataFrame, formula: str, settings=None) -> TradeCostFit:
    """PPML of ``formula`` on ``d``, cached in ``<LMC_HOME>/cache/flows`` by data, formula and pyfixest version."""
    import json

    import pyfixest

    from lmc.atomic import write_text
    from lmc.flows.gravity import fit_gravity

    digest = pd.util.hash_pandas_object(d[["exporter", "importer", "trade"]], index=False).sum()
    path = Path(str(_cache_file(settings, "ppml", formula, len(d), int(digest), pyfixest.__version__)) + ".json")
    if path.is_file():
        try:
            c = json.loads(path.read_text(encoding="utf-8"))
            return TradeCostFit(coef=c["coef"], vcov=np.array(c["vcov"]), nobs=int(c["nobs"]),
                                table=pd.DataFrame(c["table"]), fitted=np.array(c["fitted"], dtype=float))
        except (OSError, ValueError, KeyError):
            pass
    res = fit_gravity(d, formula)
    fit = TradeCostFit(coef=dict(res.coef), vcov=np.array(res.vcov, dtype=float), nobs=res.nobs,
                       table=res.to_frame(), fitted=res.predict())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps({"coef": fit.coef, "vcov": fit.vcov.tolist(), "nobs": fit.nobs,
                                     "table": fit.table.to_dict(orient="list"), "fitted": fit.fitted.tolist()}))
    except OSError:
        pass
    return fit


ROUTE_CLOSED = "route_closed_pct"
"""Shock variable: the share (%) of a link's trade that crosses where a closure stops it. That part of the link's
trade-cost term goes to zero, the open routes (other gates, the sea) keep theirs: ``t^(1-sigma)`` is multiplied by
``1 - share/100`` before prices and resistances adjust. An upper bound on the loss, since some closed-route trade
can reroute at a higher cost."""


@dataclass(frozen=True)
class LinkShock:
    """A change to one regressor (``trade_cost_pct``: ad valorem; ``route_closed_pct``: see :data:`ROUTE_CLOSED`) on
    a set of directed links; with ``value_range`` the draws take the value uniformly in that range."""

    variable: str
    value: float
    op: str
    links: tuple[tuple[str, str], ...]
    value_range: tuple[float, float] | None = None


@dataclass(frozen=True)
class GEScenarioRun:
    """Central GE result from observed flows, plus per-draw welfare and focus-country changes."""

    central: GEResult
    gravity: TradeCostFit             # the PPML fit used for the trade costs
    welfare_draws: np.ndarray         # (draws, n) welfare_hat
    focus_exports_draws: np.ndarray   # (draws, n) % change in the focus country's exports by partner
    pair_change_draws: dict[tuple[str, str], np.ndarray]
    fitted_vs_observed: pd.DataFrame  # per country: observed and fitted exports (why the baseline is observed)


def ge_scenario(d: pd.DataFrame, baseline: list[LinkShock], shocks: list[LinkShock], *, formula: str = GE_FORMULA,
                sigma: float = 7.0, sigma_range: tuple[float, float] = (5.0, 9.0),
                cost_spread: tuple[float, float] = (0.5, 2.0), draws: int = 100, seed: int = 0,
                focus: str | None = None, pairs_of_interest: tuple[tuple[str, str], ...] = (),
                progress=None, settings=None) -> GEScenarioRun:
    """GE counterfactual whose baseline is the **observed** flows of ``d``; the PPML fit gives the trade costs only.

    A regressor shock changes ``t^(1-sigma)`` by ``exp(beta * dx)``; a ``trade_cost_pct`` shock by
    ``(1 + pct/100)^(1-sigma)``; a ``route_closed_pct`` shock by ``1 - share/100``. Draws vary the coefficients
    (their sampling distribution), sigma (uniform in ``sigma_range``), every ``trade_cost_pct`` value (times a factor
    uniform in ``cost_spread``: an assumed cost is not a known one) and every shock with a ``value_range`` (uniform
    in it: a sourced range).
    """
    from lmc.flows.gravity import formula_columns

    progress = progress or (lambda _m: None)
    regressors = [c for c in formula_columns(formula.split("|")[0])[1:]]
    countries = sorted(set(d["exporter"]) | set(d["importer"]))
    n = len(countries)
    idx = {c: i for i, c in enumerate(countries)}
    ei, ii = d["exporter"].map(idx).to_numpy(), d["importer"].map(idx).to_numpy()
    progress(f"estimating PPML on {len(d):,} flows")
    res = trade_cost_fit(d, formula, settings)
    X = np.zeros((n, n))
    X[ei, ii] = d["trade"].to_numpy(dtype=float)       # baseline = observed trade (incl. domestic sales)
    X = np.nan_to_num(X)
    F = np.zeros((n, n))
    F[ei, ii] = res.fitted
    off = ~np.eye(n, dtype=bool)
    fitted = pd.DataFrame({"country": countries, "exports_observed": (X * off).sum(1),
                           "exports_fitted": (np.nan_to_num(F) * off).sum(1)})
    base = {v: np.zeros((n, n)) for v in regressors}
    for v in regressors:
        base[v][ei, ii] = d[v].to_numpy(dtype=float)

    def deltas(items: list[LinkShock], cost_factor: float, values: dict[int, float]
               ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        cur = {v: base[v].copy() for v in regressors}
        pct = np.zeros((n, n))
        closed = np.zeros((n, n))
        for s in items:
            value = values.get(id(s), s.value)
            for a, b in s.links:
                i, j = idx[a], idx[b]
                if s.variable == "trade_cost_pct":  # ad valorem; successive shocks compound unless op is set
                    val = value * cost_factor
                    pct[i, j] = val if s.op == "set" else 100 * ((1 + pct[i, j] / 100) * (1 + val / 100) - 1)
                    continue
                m = closed if s.variable == ROUTE_CLOSED else cur[s.variable]
                m[i, j] = value if s.op == "set" else m[i, j] + value if s.op == "add" else m[i, j] * value
        return {v: cur[v] - base[v] for v in regressors}, pct, np.clip(closed, 0.0, 100.0)

    def taus(beta: dict[str, float], sig: float, cost_factor: float, values: dict[int, float]
             ) -> tuple[np.ndarray, np.ndarray]:
        def tau(items: list[LinkShock]) -> np.ndarray:
            dx, pct, closed = deltas(items, cost_factor, values)
            return (np.exp(sum(beta[v] * dx[v] for v in regressors)) * (1 + pct / 100) ** (1 - sig)
                    * (1 - closed / 100))
        t0 = tau(baseline)
        return t0, tau([*baseline, *shocks]) / np.where(t0 > 0, t0, 1)

    def solve(beta: dict[str, float], sig: float, cost_factor: float) -> GEResult:
        t0, t1 = taus(beta, sig, cost_factor, {})
        X0 = X if np.allclose(t0, 1) else ge_counterfactual(X, t0, countries, sigma=sig).full
        return ge_counterfactual(X0, t1, countries, sigma=sig)

    def solve_full(beta: dict[str, float], sig: float, cost_factor: float, values: dict[int, float]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(baseline, full-GE flows, welfare_hat) without the conditional step: what the draws need."""
        t0, t1 = taus(beta, sig, cost_factor, values)
        X0 = X if np.allclose(t0, 1) else full_ge(X, t0, sigma=sig, tol=1e-8)[0]
        Xf, p, P1s, _it, _log = full_ge(X0, t1, sigma=sig, tol=1e-8)
        return X0, Xf, p / P1s ** (1.0 / (1.0 - sig))

    progress("solving the GE fixed point")
    central = solve(res.coef, sigma, 1.0)
    rng = np.random.default_rng(seed)
    cd = res.coef_draws(draws, seed=seed) if draws else None
    focus = focus or countries[0]
    fi = idx[focus]
    welf, exp_focus = [], []
    pair_draws: dict[tuple[str, str], list[float]] = {p: [] for p in pairs_of_interest}
    progress(f"{draws} draws of coefficients, sigma and assumed costs")
    ranged = [s for s in [*baseline, *shocks] if s.value_range is not None]
    for k in range(draws):
        sig_k, cost_k = float(rng.uniform(*sigma_range)), float(rng.uniform(*cost_spread))
        values = {id(s): float(rng.uniform(*s.value_range)) for s in ranged}
        base_k, full_k, w_k = solve_full(cd.iloc[k].to_dict(), sig_k, cost_k, values)
        welf.append(w_k)
        with np.errstate(divide="ignore", invalid="ignore"):
            exp_focus.append(100 * (full_k[fi] / base_k[fi] - 1))
        for a, b in pairs_of_interest:
            i, j = idx[a], idx[b]
            before = base_k[i, j] + base_k[j, i]
            pair_draws[(a, b)].append(100 * ((full_k[i, j] + full_k[j, i]) / before - 1))
    return GEScenarioRun(central=central, gravity=res, welfare_draws=np.array(welf).reshape(draws, n),
                         focus_exports_draws=np.array(exp_focus).reshape(draws, n),
                         pair_change_draws={k: np.array(v) for k, v in pair_draws.items()},
                         fitted_vs_observed=fitted)

