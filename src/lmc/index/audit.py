"""Statistical audit of a built index: what the JRC audit looks at before trusting an index.

Descriptive statistics, data availability, correlations within and across levels (flagged), Cronbach's alpha and
a PCA of each aggregate's children, and effective weights. Pure functions of an :class:`IndexResult`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lmc.index.results import IndexResult
from lmc.index.treat import kurt, skew

WEAK = 0.3
COLLINEAR = 0.92


def describe(values: pd.DataFrame) -> pd.DataFrame:
    """Per column: n, missing share, min, max, mean, median, sd, skewness and kurtosis (e1071 type 2)."""
    rows = []
    for c in values.columns:
        x = values[c].to_numpy(dtype=float)
        ok = x[~np.isnan(x)]
        rows.append({"code": c, "n": ok.size, "availability": ok.size / max(x.size, 1),
                     "min": np.min(ok) if ok.size else np.nan, "max": np.max(ok) if ok.size else np.nan,
                     "mean": np.mean(ok) if ok.size else np.nan, "median": np.median(ok) if ok.size else np.nan,
                     "sd": np.std(ok, ddof=1) if ok.size > 1 else np.nan, "skew": skew(x), "kurtosis": kurt(x)})
    df = pd.DataFrame(rows)
    df["flag"] = np.where((df["skew"].abs() > 2) & (df["kurtosis"] > 3.5), "outliers", "")
    return df


def cronbach_alpha(block: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``block`` on complete rows: k/(k-1) (1 - sum var_i / var(sum))."""
    x = block.dropna().to_numpy(dtype=float)
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    tot = np.var(x.sum(axis=1), ddof=1)
    return float(k / (k - 1) * (1 - np.var(x, axis=0, ddof=1).sum() / tot)) if tot > 0 else float("nan")


def pca_summary(block: pd.DataFrame) -> dict[str, Any]:
    """Share of variance of the first principal component (correlation matrix) and its loadings."""
    x = block.dropna().to_numpy(dtype=float)
    if x.shape[1] < 2 or x.shape[0] < 3:
        return {"pc1_share": float("nan"), "loadings": {}}
    corr = np.corrcoef(x, rowvar=False)
    vals, vecs = np.linalg.eigh(corr)
    i = int(np.argmax(vals))
    v = vecs[:, i] * (1 if vecs[:, i].sum() >= 0 else -1)
    return {"pc1_share": float(vals[i] / vals.sum()), "loadings": dict(zip(block.columns, map(float, v), strict=True))}


@dataclass(frozen=True)
class AuditResult:
    stats: pd.DataFrame
    unit_availability: pd.DataFrame
    correlations: pd.DataFrame
    indicator_correlations: pd.DataFrame
    alpha: pd.DataFrame
    pca: pd.DataFrame
    weights: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.stats

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"stats": self.stats, "unit_availability": self.unit_availability, "correlations": self.correlations,
                "indicator_correlations": self.indicator_correlations, "alpha": self.alpha, "pca": self.pca,
                "weights": self.weights}

    def to_dict(self) -> dict[str, Any]:
        return {k: v.astype(object).where(v.notna(), None).to_dict(orient="records") for k, v in self.tables().items()}

    @property
    def flags(self) -> pd.DataFrame:
        return self.correlations[self.correlations["flag"] != ""]


def audit(result: IndexResult) -> AuditResult:
    """Audit a build (correlations use the normalised indicators and the aggregate scores, Pearson)."""
    fw = result.framework
    raw = result.stages["raw"]
    agg = result.stages["aggregated"]
    stats = describe(raw)
    avail = pd.DataFrame({"uCode": [str(u) for u in raw.index], "availability": raw.notna().mean(axis=1).to_numpy()})
    rows = []
    for code in fw.codes:
        if code == fw.root:
            continue
        for lvl_up, anc in enumerate(fw.ancestors(code), start=1):
            r = agg[[code, anc]].corr().iloc[0, 1]
            flag = ""
            if np.isfinite(r):
                if r < 0:
                    flag = "negative"
                elif r < WEAK:
                    flag = "weak"
            rows.append({"code": code, "level": fw.by_code[code].level, "against": anc,
                         "against_level": fw.by_code[anc].level, "parent": lvl_up == 1, "r": r, "flag": flag})
    corr = pd.DataFrame(rows)
    irows = []
    for a in fw.aggregates:
        kids = fw.children[a]
        if len(kids) < 2:
            continue
        cm = agg[list(kids)].corr()
        for i, x in enumerate(kids):
            for y in kids[i + 1:]:
                r = cm.loc[x, y]
                irows.append({"group": a, "a": x, "b": y, "r": r,
                              "flag": "collinear" if np.isfinite(r) and r > COLLINEAR else
                              ("negative" if np.isfinite(r) and r < 0 else "")})
    alpha, pcas = [], []
    for a in fw.aggregates:
        kids = list(fw.children[a])
        alpha.append({"aggregate": a, "k": len(kids), "alpha": cronbach_alpha(agg[kids])})
        p = pca_summary(agg[kids])
        pcas.append({"aggregate": a, "k": len(kids), "pc1_share": p["pc1_share"],
                     "loadings": ";".join(f"{k}={v:.4f}" for k, v in p["loadings"].items())})
    return AuditResult(stats=stats, unit_availability=avail, correlations=corr,
                       indicator_correlations=pd.DataFrame(irows, columns=["group", "a", "b", "r", "flag"]),
                       alpha=pd.DataFrame(alpha), pca=pd.DataFrame(pcas), weights=result.weights_frame())


def write_audit(a: AuditResult, out: str | Path) -> list[Path]:
    from lmc.index.export import write_csv

    return [write_csv(df, Path(out) / f"{name}.csv") for name, df in a.tables().items()]
