"""Gravity estimation: a thin wrapper over pyfixest's PPML (``fepois``) returning a frozen :class:`GravityResult`.

Why PPML: it keeps zero flows, is consistent under heteroskedasticity and, with exporter(-year) and importer(-year)
fixed effects, reproduces the structural multilateral-resistance terms exactly (Fally 2015; Yotov et al. 2016,
*An Advanced Guide to Trade Policy Analysis*, WTO/UNCTAD). Pair fixed effects absorb all time-invariant bilateral
costs, so policy coefficients (RTA, visa openness) are identified from within-pair changes.

The numerics are pyfixest's; this module only checks the input (every formula column must exist, the dependent
variable must be non-negative, the data must be estimable: :func:`check_estimable`), fixes the options we rely on,
and turns the fit into a typed result that the CLI, the API, the GE engine and the reports all render.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from lmc.errors import suggest
from lmc.flows.errors import ConvergenceError, GravityDataError

Separation = Literal["fe", "ir", "both", "none"]
_SEPARATION = {"fe": ["fe"], "ir": ["ir"], "both": ["fe", "ir"], "none": []}
_FUNCTIONS = {"log", "exp", "sqrt", "C", "i", "I", "np", "abs"}


def formula_columns(formula: str) -> list[str]:
    """The data columns a pyfixest formula names (dependent, regressors, fixed effects), in order of appearance.

    Function names such as ``log(`` or ``C(`` and numeric literals are not columns. ``a^b`` fixed-effect
    interactions name both ``a`` and ``b``.
    """
    if "~" not in formula:
        raise GravityDataError(f"formula {formula!r} has no '~' (expected e.g. 'trade ~ rta | exp_year + imp_year')")
    cols: list[str] = []
    for m in re.finditer(r"[A-Za-z_][A-Za-z0-9_.]*(\s*\()?", formula):
        name, is_call = m.group(0).rstrip("( \t"), m.group(1) is not None
        if is_call or name in _FUNCTIONS:
            continue
        if name not in cols:
            cols.append(name)
    return cols


def check_columns(data: pd.DataFrame, formula: str, *, cluster: str | None = None, where: str = "data") -> None:
    """Raise :class:`GravityDataError` naming the first formula (or cluster) column missing from ``data``."""
    needed = formula_columns(formula) + ([cluster] if cluster else [])
    for col in needed:
        if col not in data.columns:
            raise GravityDataError(
                f"{where}: column {col!r} named in the formula is missing.{suggest(col, data.columns)} "
                f"Columns present: {', '.join(map(str, data.columns[:30]))}"
            )
    dep = formula.split("~", 1)[0].strip()
    if dep in data.columns:
        y = pd.to_numeric(data[dep], errors="coerce")
        bad = y.isna() & data[dep].notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise GravityDataError(f"{where}: field {dep!r} is not numeric at data row {row + 1}: {data[dep].iloc[row]!r}")
        if (y < 0).any():
            row = int(np.flatnonzero((y < 0).to_numpy())[0])
            raise GravityDataError(f"{where}: field {dep!r} is negative at data row {row + 1}; PPML needs flows >= 0")


def check_estimable(df: pd.DataFrame, formula: str, *, separation: Separation = "fe", where: str = "data") -> None:
    """Refuse data PPML cannot estimate, before pyfixest sees them (on some it aborts the whole process).

    Checked on the rows pyfixest keeps (no missing value in a formula column), after dropping what it drops itself
    (fixed-effect groups of one row and, with the ``fe`` separation check, groups whose flows are all zero): there
    must be a positive flow, rows left, more rows than parameters (regressors plus fixed-effect levels), and no
    regressor that separates the zeros (equal on every positive flow, on one side of that value on the zeros: its
    estimate would run to infinity; Santos Silva and Tenreyro 2010). Raises :class:`GravityDataError` saying which.
    """
    dep, rhs = (part.strip() for part in formula.split("~", 1))
    reg_part, _, fe_part = rhs.partition("|")
    regressors = [c for c in formula_columns(f"{dep} ~ {reg_part}")[1:] if c in df.columns]
    fe_terms = [[c.strip() for c in t.split("^")] for t in fe_part.split("+") if t.strip()]
    cols = list(dict.fromkeys([dep, *regressors, *(c for t in fe_terms for c in t)]))
    rows = df.loc[:, cols].dropna()
    if rows.empty:
        raise GravityDataError(f"{where}: no row has a value in every formula column ({', '.join(cols)})")
    y = pd.to_numeric(rows[dep], errors="coerce").astype(float)
    if not (y > 0).any():
        raise GravityDataError(f"{where}: every {dep!r} is zero; PPML needs positive flows to estimate anything")
    keep = pd.Series(True, index=rows.index)
    changed = True
    while changed and fe_terms:  # as pyfixest: drop singletons, then (fe separation) all-zero groups, until stable
        changed = False
        for term in fe_terms:
            g = rows[keep].groupby(term, sort=False, observed=True)[dep]
            size, total = g.transform("size"), g.transform(lambda v: pd.to_numeric(v).sum())
            drop = (size == 1) | ((total == 0) if "fe" in _SEPARATION[separation] else False)
            if drop.any():
                keep[drop[drop].index] = False
                changed = True
    n = int(keep.sum())
    if n == 0:
        raise GravityDataError(f"{where}: no row is left once fixed-effect groups with one row or only zero flows "
                               f"are dropped; the fixed effects ({' + '.join('^'.join(t) for t in fe_terms)}) "
                               "cannot be estimated from these data")
    rows, y = rows[keep], y[keep]
    n_fe = sum(int(rows.groupby(t, observed=True).ngroups) for t in fe_terms)
    n_params = len(regressors) + (n_fe - len(fe_terms) + 1 if fe_terms else 1)
    if n <= n_params:
        raise GravityDataError(f"{where}: {n} usable row(s) for at least {n_params} parameters ({len(regressors)} "
                               f"regressor(s){f', {n_fe} fixed-effect levels' if fe_terms else ' and a constant'}); "
                               "PPML needs more rows than parameters")
    positive = y > 0
    for col in regressors:
        x = pd.to_numeric(rows[col], errors="coerce")
        on_pos = x[positive].unique()
        if len(on_pos) != 1 or x.isna().any():
            continue
        c, zeros = on_pos[0], x[~positive]
        if (zeros != c).any() and ((zeros >= c).all() or (zeros <= c).all()):
            raise GravityDataError(f"{where}: regressor {col!r} equals {c:g} on every positive flow and lies on one "
                                   f"side of it on the {int((zeros != c).sum())} zero flow(s) that differ: its "
                                   "estimate runs to infinity (separation); drop those rows or the regressor")


@dataclass(frozen=True)
class GravityResult:
    """A fitted PPML gravity model.

    ``coef``/``se``/``pvalue`` map regressor -> value; ``vcov`` is the coefficient covariance (same order as
    ``coef``); ``nobs`` counts the observations used after dropping singletons and separated observations.
    The fitted pyfixest model is kept privately for :meth:`predict` (counterfactuals with the estimated fixed
    effects) and is not part of :meth:`to_dict`.
    """

    formula: str
    coef: dict[str, float]
    se: dict[str, float]
    pvalue: dict[str, float]
    vcov: tuple[tuple[float, ...], ...]
    nobs: int
    vcov_type: str
    cluster: str | None
    fixed_effects: tuple[str, ...]
    n_dropped: int
    pseudo_r2: float | None
    deviance: float | None
    _model: Any = field(default=None, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """A tidy table: one row per regressor with estimate, standard error, z, p and the 95% interval."""
        rows = []
        for name, b in self.coef.items():
            s = self.se.get(name, math.nan)
            rows.append({
                "term": name, "estimate": b, "std_error": s, "z": b / s if s else math.nan,
                "p_value": self.pvalue.get(name, math.nan),
                "ci_low": b - 1.959964 * s, "ci_high": b + 1.959964 * s,
            })
        return pd.DataFrame(rows, columns=["term", "estimate", "std_error", "z", "p_value", "ci_low", "ci_high"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"coef": {...}, "se": {...}, "nobs": N}`` plus the specification details."""
        return {
            "coef": dict(self.coef), "se": dict(self.se), "nobs": self.nobs,
            "pvalue": dict(self.pvalue), "formula": self.formula, "vcov_type": self.vcov_type,
            "cluster": self.cluster, "fixed_effects": list(self.fixed_effects), "n_dropped": self.n_dropped,
            "pseudo_r2": self.pseudo_r2, "deviance": self.deviance,
        }

    def predict(self, data: pd.DataFrame | None = None) -> np.ndarray:
        """Expected flows (response scale) with the estimated fixed effects; ``data=None`` gives fitted values.

        For counterfactuals pass the baseline rows with the changed regressors: the fixed effects of each row's
        levels are reused, so a level absent from the estimation sample cannot be predicted (NaN).
        """
        if self._model is None:
            raise GravityDataError("this GravityResult carries no fitted model (was it rebuilt from a dict?)")
        if data is None:
            return np.asarray(self._model.predict(type="response"), dtype=float)
        cols = [c for c in formula_columns(self.formula)[1:] if c in data.columns]
        missing = [c for c in formula_columns(self.formula)[1:] if c not in data.columns]
        if missing:
            raise GravityDataError(f"prediction data lacks column(s) {', '.join(missing)} named in {self.formula!r}")
        nd = _fe_as_strings(data.loc[:, cols].copy(), self.fixed_effects)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(self._model.predict(newdata=nd, type="response"), dtype=float)

    def coef_draws(self, n: int, seed: int = 0) -> pd.DataFrame:
        """``n`` draws of the coefficient vector from its estimated normal sampling distribution (for uncertainty)."""
        rng = np.random.default_rng(seed)
        names = list(self.coef)
        mean = np.array([self.coef[k] for k in names])
        cov = np.array(self.vcov, dtype=float)
        return pd.DataFrame(rng.multivariate_normal(mean, cov, size=n, method="eigh"), columns=names)


def fit_gravity(
    data: pd.DataFrame,
    formula: str,
    *,
    cluster: str | None = None,
    vcov: Literal["hetero", "iid"] = "hetero",
    separation: Separation = "fe",
    tol: float = 1e-8,
    maxiter: int = 100,
    where: str = "data",
) -> GravityResult:
    """Fit ``formula`` (pyfixest syntax, ``y ~ x1 + x2 | fe1 + fe2``) by PPML and return a :class:`GravityResult`.

    ``cluster`` names a column for cluster-robust (CRV1) errors, otherwise heteroskedasticity-robust errors.
    ``separation`` chooses pyfixest's separation checks (``fe``: observations whose fixed effect has only zero
    flows are dropped, as ppmlhdfe does). Non-convergence raises :class:`ConvergenceError`.
    """
    import pyfixest as pf

    check_columns(data, formula, cluster=cluster, where=where)
    if separation not in _SEPARATION:
        raise GravityDataError(f"unknown separation check {separation!r}; valid: {', '.join(_SEPARATION)}")
    cols = formula_columns(formula) + ([cluster] if cluster else [])
    df = data.loc[:, list(dict.fromkeys(cols))].copy()
    dep = formula.split("~", 1)[0].strip()
    df[dep] = pd.to_numeric(df[dep], errors="coerce").astype(float)
    fe_part = formula.split("|", 1)[1] if "|" in formula else ""
    fes = tuple(t.strip() for t in fe_part.split("+") if t.strip())
    check_estimable(df, formula, separation=separation, where=where)
    df = _fe_as_strings(df, fes)
    if cluster and df[cluster].dtype.kind == "f":
        df[cluster] = df[cluster].astype("int64", errors="ignore")
    vc: Any = {"CRV1": cluster} if cluster else vcov
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = pf.fepois(formula, data=df, vcov=vc, iwls_tol=tol, iwls_maxiter=maxiter,
                            separation_check=_SEPARATION[separation])
        except Exception as exc:  # pyfixest raises plain exceptions for non-convergence and bad formulas
            msg = str(exc)
            if "converge" in msg.lower() or "maxiter" in msg.lower():
                raise ConvergenceError(f"PPML did not converge for {formula!r}", [msg]) from exc
            raise GravityDataError(f"{where}: PPML failed for {formula!r}: {msg}") from exc
    if getattr(fit, "_convergence", True) is False:
        raise ConvergenceError(f"PPML did not converge within {maxiter} IRLS iterations for {formula!r}")
    coef = {k: float(v) for k, v in fit.coef().items()}
    se = {k: float(v) for k, v in fit.se().items()}
    pv = {k: float(v) for k, v in fit.pvalue().items()}
    cov = np.asarray(fit._vcov, dtype=float)
    pseudo = getattr(fit, "_pseudo_r2", None)
    dev = getattr(fit, "deviance", None)
    return GravityResult(
        formula=formula, coef=coef, se=se, pvalue=pv,
        vcov=tuple(tuple(float(x) for x in row) for row in cov),
        nobs=int(fit._N), vcov_type="CRV1" if cluster else vcov, cluster=cluster, fixed_effects=fes,
        n_dropped=int(len(df) - fit._N),
        pseudo_r2=None if pseudo is None else float(pseudo),
        deviance=None if dev is None or callable(dev) else float(np.asarray(dev).ravel()[0]),
        _model=fit,
    )


def _fe_as_strings(df: pd.DataFrame, fes: tuple[str, ...]) -> pd.DataFrame:
    """Fixed-effect columns as strings, so float ids (1.0) and labels behave alike in fitting and prediction."""
    for fe in fes:
        for col in fe.split("^"):
            if col in df.columns and not isinstance(df[col].dtype, pd.StringDtype) and df[col].dtype != object:
                df[col] = df[col].astype("string")
    return df


def read_flow_file(path: str | Path) -> pd.DataFrame:
    """Read an analyst's CSV (optionally gzipped) or Parquet file; a missing or unreadable file names itself."""
    p = Path(path)
    if not p.is_file():
        raise GravityDataError(f"{p}: no such data file")
    try:
        if p.suffix.lower() in {".parquet", ".pq"}:
            return pd.read_parquet(p)
        return pd.read_csv(p)
    except Exception as exc:
        raise GravityDataError(f"{p}: cannot read as CSV/Parquet: {exc}") from exc


def fit_gravity_file(path: str | Path, formula: str, *, cluster: str | None = None,
                     separation: Separation = "fe") -> GravityResult:
    """The CLI's entry point: read ``path`` and fit ``formula``; errors name the file and the missing column."""
    data = read_flow_file(path)
    return fit_gravity(data, formula, cluster=cluster, separation=separation, where=str(path))
