"""Charts for scenario results (matplotlib, Agg backend), each saved as PNG and SVG.

Every function takes a result table and a target folder and returns the paths written; each chart carries a
caption line naming its data basis, so a chart copied out of a report still says where its numbers come from.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _wrap(title: str, width: int = 64) -> str:
    return "\n".join(textwrap.wrap(title, width))


def _save(fig, folder: Path, stem: str, caption: str) -> list[Path]:
    fig.text(0.01, 0.005, caption, fontsize=7, color="#555555", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    out = []
    for ext in ("png", "svg"):
        p = folder / f"{stem}.{ext}"
        fig.savefig(p, dpi=130 if ext == "png" else None)
        out.append(p)
    plt.close(fig)
    return out


def choice_chart(table: pd.DataFrame, folder: Path, title: str, calibration_year: int) -> list[Path]:
    """Change in visitors per destination with the 5-95% Monte Carlo band (the outside option is left out: it is
    the rest of each segment's market and would dwarf the scale; the table gives it)."""
    t = table[table["destination"] != "no_trip"].iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    colors = ["#2a9d8f" if c >= 0 else "#e76f51" for c in t["change"]]
    ax.barh(t["label"], t["change"], color=colors)
    if "change_p05" in t:
        err = np.vstack([t["change"] - t["change_p05"], t["change_p95"] - t["change"]]).clip(min=0)
        ax.errorbar(t["change"], t["label"], xerr=err, fmt="none", ecolor="#333333", capsize=3, lw=1)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlabel("change in Chinese visitors per year (scenario - baseline)")
    ax.set_title(_wrap(title), fontsize=10)
    return _save(fig, folder, "visitors_change",
                 f"Nested logit with a no-trip option, calibrated to sourced {calibration_year} arrivals; bands: 5-95% "
                 "over draws of tastes, targets, times, costs and capacities.")


def ge_chart(by_partner: pd.DataFrame, welfare: pd.DataFrame, folder: Path, title: str, country: str) -> list[Path]:
    """Exports of ``country`` by partner (% change) and welfare change for the LMC and largest economies."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4.4))
    bp = by_partner.dropna(subset=["exports_pct"])
    bp = bp.reindex(bp["exports_pct"].abs().sort_values(ascending=False).index).head(12).iloc[::-1]
    a1.barh(bp["partner"], bp["exports_pct"], color=["#2a9d8f" if x >= 0 else "#e76f51" for x in bp["exports_pct"]])
    a1.axvline(0, color="#333", lw=0.8)
    a1.set_title(f"{country}: exports by partner, % change (full GE)", fontsize=10)
    w = welfare.iloc[::-1]
    a2.barh(w["country"], w["welfare_pct"], color=["#2a9d8f" if x >= 0 else "#e76f51" for x in w["welfare_pct"]])
    if "welfare_p05" in w:
        err = np.vstack([w["welfare_pct"] - w["welfare_p05"], w["welfare_p95"] - w["welfare_pct"]]).clip(min=0)
        a2.errorbar(w["welfare_pct"], w["country"], xerr=err, fmt="none", ecolor="#333", capsize=3, lw=1)
    a2.axvline(0, color="#333", lw=0.8)
    a2.set_title("real expenditure (welfare), % change", fontsize=10)
    fig.suptitle(_wrap(title, 100), fontsize=10)
    return _save(fig, folder, "ge_changes",
                 "Structural gravity from observed 2006 manufacturing trade (Yotov et al. 2016, WTO/UNCTAD); PPML trade "
                 "costs; bands: coefficient, sigma and assumed-cost draws.")


def trend_chart(table: pd.DataFrame, folder: Path, title: str) -> list[Path]:
    """Claimed path vs PPML trend band vs sourced observations."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    ax.fill_between(table["year"], table["trend_low_usd_bn"], table["trend_high_usd_bn"], color="#a8dadc",
                    alpha=0.6, label="trend 90% band (Student t)")
    ax.plot(table["year"], table["trend_usd_bn"], color="#1d3557", label="trend (PPML on observations)")
    ax.plot(table["year"], table["claim_usd_bn"], "--", color="#e63946", label="claim")
    obs = table.dropna(subset=["observed_min_usd_bn"])
    ax.vlines(obs["year"], obs["observed_min_usd_bn"], obs["observed_max_usd_bn"], color="black", lw=2)
    ax.scatter(obs["year"], obs["observed_max_usd_bn"], color="black", zorder=3, s=14, label="observed (sourced)")
    ax.scatter(obs["year"], obs["observed_min_usd_bn"], color="black", zorder=3, s=14)
    ax.set_ylabel("US$ bn")
    ax.set_title(_wrap(title), fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, folder, "claim_vs_trend", "Observations: Lao MoIC, China customs, press (see table sources).")


def railway_charts(projection: pd.DataFrame, mc: pd.DataFrame, tornado: pd.DataFrame, folder: Path,
                   title: str) -> list[Path]:
    """Cumulative cash flow, distribution of the payback year, and the NPV tornado."""
    paths: list[Path] = []
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    ax.plot(projection["year"], projection["cumulative_equity_cash"], color="#1d3557",
            label="shareholders' cumulative cash, equity paid in included")
    ax.bar(projection["year"], projection["net_cash"], color=["#2a9d8f" if x >= 0 else "#e76f51" for x in projection["net_cash"]],
           alpha=0.6, label="annual cash after debt service")
    ax.axhline(0, color="#333", lw=0.8)
    ax.set_ylabel("US$ million, 2024 prices")
    ax.set_title(_wrap(title + " (inputs at their modes)"), fontsize=10)
    ax.legend(fontsize=8)
    paths += _save(fig, folder, "cash_flow", "Real terms (2024 US$); inputs: sourced/derived ranges and marked "
                   "assumptions (railway_finance.yaml).")
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    yrs = mc["payback_year"].dropna()
    never = mc["payback_year"].isna().mean()
    if len(yrs):
        ax.hist(yrs, bins=np.arange(yrs.min() - 0.5, yrs.max() + 1.5), color="#457b9d")
    ax.set_xlabel("payback year (shareholders' cumulative cash >= 0)")
    ax.set_ylabel("Monte Carlo draws")
    ax.set_title(f"Payback year over all draws: {100 * never:.0f}% never pay back within the concession", fontsize=10)
    paths += _save(fig, folder, "break_even_hist", f"{len(mc)} draws, triangular on each input range; the "
                   "never-paying draws are not plotted but are counted in every percentile.")
    fig, ax = plt.subplots(figsize=(10, 0.38 * len(tornado) + 1.8))
    base = float(tornado.attrs.get("base_npv", 0.0))
    t = tornado.iloc[::-1]
    lo = np.minimum(t["npv_low"], t["npv_high"]) - base
    hi = np.maximum(t["npv_low"], t["npv_high"]) - base
    labels = [f"{lab} [{b}]" for lab, b in zip(t["label"], t["basis"])]
    ax.barh(labels, hi, left=base, color="#2a9d8f")
    ax.barh(labels, lo, left=base, color="#e76f51")
    ax.axvline(base, color="#333", lw=0.8)
    ax.set_xlabel("NPV to shareholders (equity included), US$ M 2024\n(each input at its low / high)")
    ax.set_title("Tornado: which unknowns matter", fontsize=11)
    ax.tick_params(axis="y", labelsize=7)
    paths += _save(fig, folder, "tornado", "[source]/[derived]/[assumption] = basis of each input range.")
    return paths


def freight_chart(table: pd.DataFrame, folder: Path, title: str, kind: str) -> list[Path]:
    """One chart per freight question: the change per route group with its 5-95% band (clearance), the railway's
    cross-border tonnes with and without the link by year (standard gauge), or the shares loaded or unloaded on the
    line (value added)."""
    fig, ax = plt.subplots(figsize=(7.5, 4.0))
    if kind == "thai-standard-gauge-link":
        t = table.sort_values("year")
        ax.plot(t["year"], t["clr_baseline_mt"], "o-", color="#777777", label="without the link (median)")
        ax.plot(t["year"], t["clr_scenario_mt"], "o-", color="#2a9d8f", label="with the link (median)")
        ax.fill_between(t["year"], t["clr_baseline_mt"] + t["clr_change_p05"], t["clr_baseline_mt"] +
                        t["clr_change_p95"], color="#2a9d8f", alpha=0.2, label="5-95% of the change")
        ax.set_ylabel("China-Laos Railway cross-border freight (Mt)")
        ax.legend(fontsize=8)
        stem = "railway_by_year"
    elif kind == "yunnan-value-added":
        t = table[table["unit"] == "share"]
        lows = t[t["measure"].str.startswith("Lower bound")]
        ax.bar(lows["period"], 100 * lows["value"], color="#2a9d8f")
        ax.set_ylabel("% of the line's tonnes loaded or unloaded\nin Yunnan or Laos, at least")
        ax.set_ylim(0, 100)
        stem = "local_share"
    else:
        t = table[table["unit"] == "Mt"].iloc[::-1]
        ax.barh(t["quantity"], t["change_median"], color=["#2a9d8f" if c >= 0 else "#e76f51" for c in
                                                          t["change_median"]])
        err = np.vstack([t["change_median"] - t["change_p05"], t["change_p95"] - t["change_median"]]).clip(min=0)
        ax.errorbar(t["change_median"], t["quantity"], xerr=err, fmt="none", ecolor="#333333", capsize=3, lw=1)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_xlabel("change in freight (Mt a year, scenario - baseline)")
        stem = "freight_change"
    ax.set_title(_wrap(title), fontsize=10)
    caption = ("China Railway tonnes (freight series); no model." if kind == "yunnan-value-added" else
               "Freight route-choice logit calibrated per draw to sourced 2023 volumes; bands: 5-95% of paired draws.")
    return _save(fig, folder, stem, caption)
