"""Charts of the SCI report (matplotlib, Agg backend, PNG files): ranking with pillar bars, the 6x6 pair heatmap,
time series per pair, rank intervals, the Sobol chart and the
country profile charts. Labels come from the caller (already translated); fonts are Noto (CJK-capable).
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from lmc import LMC_COUNTRIES  # noqa: E402

PILLAR_COLOURS = {"mobility": "#1f77b4", "institutions": "#ff7f0e", "culture": "#2ca02c", "people": "#9467bd"}
FILLED_FLAGS = ("interpolated", "carried_forward", "carried_back")


def filled_cells(panel: pd.DataFrame, level: str) -> set[tuple[str, int]]:
    """``(unit, year)`` whose score uses at least one interpolated or carried indicator value (the charts mark
    them; missing values are left out of a score, so they do not make it filled)."""
    p = panel[(panel["level"] == level) & panel["flag"].isin(FILLED_FLAGS)]
    return set(zip(p["unit"], p["year"].astype(int)))


def _index_points(ax, years, scores, unit: str, filled: set[tuple[str, int]], size: float) -> None:
    """Solid points where every input was observed, hollow where the score uses filled values."""
    for y, v in zip(years, scores):
        hollow = (unit, int(y)) in filled
        ax.scatter([y], [v], s=size, zorder=4, color="white" if hollow else "black", edgecolors="black",
                   linewidths=0.8)


def _setup_fonts() -> None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    fam = [n for n in ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans", "DejaVu Sans") if n in names]
    if not any("CJK" in n for n in fam):
        for path in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",):
            if Path(path).is_file():
                font_manager.fontManager.addfont(path)
                fam.insert(0, font_manager.FontProperties(fname=path).get_name())
    plt.rcParams["font.family"] = fam or ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.hashsalt"] = "lmc"


def _save(fig, path: Path) -> Path:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path


def ranking_bars(scores: pd.DataFrame, level: str, year: int, pillars: tuple[str, ...], labels: dict[str, str],
                 path: Path, title: str) -> Path:
    """Horizontal bars: the index (black tick) and each available pillar's equal-weight contribution (stacked)."""
    _setup_fonts()
    s = scores[(scores["level"] == level) & (scores["year"] == year)]
    idx = s[s["pillar"] == "index"].sort_values("score")
    units = list(idx["unit"])
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(units) + 1.6))
    left = np.zeros(len(units))
    wide = s[s["pillar"].isin(pillars)].pivot(index="unit", columns="pillar", values="score").reindex(units)
    n_avail = wide.notna().sum(axis=1).clip(lower=1).to_numpy()  # provinces have no institutions pillar
    for p in pillars:
        col = wide[p] if p in wide.columns else pd.Series(np.nan, index=units)
        v = col.fillna(0.0).to_numpy() / n_avail
        ax.barh(units, v, left=left, color=PILLAR_COLOURS.get(p), label=labels.get(p, p))
        left += v
    ax.scatter(idx["score"], units, marker="|", s=200, color="black", label=labels.get("index", "index"), zorder=3)
    ax.set_xlim(0, 100)
    ax.set_title(title, fontsize=10)
    # below the axes, so the legend never hides the shortest bars
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=5, frameon=False)
    ax.tick_params(labelsize=8)
    return _save(fig, path)


def pair_heatmap(scores: pd.DataFrame, year: int, path: Path, title: str,
                 filled: set[tuple[str, int]] | None = None) -> Path:
    """The 6x6 pair matrix of index scores; a ``*`` marks a score that uses interpolated or carried values."""
    _setup_fonts()
    filled = filled or set()
    s = scores[(scores["level"] == "pair") & (scores["year"] == year) & (scores["pillar"] == "index")]
    m = np.full((6, 6), np.nan)
    star = np.zeros((6, 6), dtype=bool)
    for r in s.itertuples():
        a, b = r.unit.split("-")
        i, j = LMC_COUNTRIES.index(a), LMC_COUNTRIES.index(b)
        m[i, j] = m[j, i] = r.score
        star[i, j] = star[j, i] = (r.unit, year) in filled
    fig, ax = plt.subplots(figsize=(5, 4.3))
    im = ax.imshow(m, cmap="YlGnBu", vmin=0, vmax=100)
    ax.set_xticks(range(6), LMC_COUNTRIES)
    ax.set_yticks(range(6), LMC_COUNTRIES)
    for i in range(6):
        for j in range(6):
            if not np.isnan(m[i, j]):
                ax.text(j, i, f"{m[i, j]:.0f}{'*' if star[i, j] else ''}", ha="center", va="center", fontsize=8,
                        color="white" if m[i, j] > 60 else "black")
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


def pair_time_series(scores: pd.DataFrame, pillars: tuple[str, ...], labels: dict[str, str], path: Path,
                     title: str, filled: set[tuple[str, int]] | None = None) -> Path:
    """Index (black, with points: hollow where the score uses filled values) and pillar lines of the 15 pairs."""
    _setup_fonts()
    filled = filled or set()
    s = scores[scores["level"] == "pair"]
    units = list(dict.fromkeys(s["unit"]))
    fig, axes = plt.subplots(3, 5, figsize=(11, 6.2), sharex=True, sharey=True)
    for ax, u in zip(axes.ravel(), units):
        su = s[s["unit"] == u]
        for p in pillars:
            d = su[su["pillar"] == p]
            ax.plot(d["year"], d["score"], color=PILLAR_COLOURS.get(p), lw=0.9, alpha=0.8)
        d = su[su["pillar"] == "index"]
        ax.plot(d["year"], d["score"], color="black", lw=1.8)
        _index_points(ax, d["year"], d["score"], u, filled, 10)
        ax.set_title(u, fontsize=8)
        ax.set_ylim(0, 100)
        ax.tick_params(labelsize=6)
    handles = [plt.Line2D([], [], color=PILLAR_COLOURS.get(p), label=labels.get(p, p)) for p in pillars]
    handles.append(plt.Line2D([], [], color="black", lw=1.8, marker="o", markerfacecolor="black",
                              label=labels.get("index", "index")))
    if "filled" in labels:
        handles.append(plt.Line2D([], [], color="black", lw=0, marker="o", markerfacecolor="white",
                                  label=labels["filled"]))
    fig.legend(handles=handles, loc="lower center", ncol=6, fontsize=7)
    fig.suptitle(title, fontsize=10)
    return _save(fig, path)


def rank_intervals(ri: pd.DataFrame, level: str, year: int, path: Path, title: str, labels: dict[str, str]) -> Path:
    _setup_fonts()
    d = ri[(ri["level"] == level) & (ri["year"] == year)].sort_values("nominal_rank", ascending=False)
    fig, ax = plt.subplots(figsize=(6, 0.3 * len(d) + 1.2))
    y = np.arange(len(d))
    ax.hlines(y, d["rank_p05"], d["rank_p95"], color="#888", lw=4, alpha=0.6, label=labels["interval"])
    ax.scatter(d["median_rank"], y, color="#1f77b4", zorder=3, label=labels["median"], s=18)
    ax.scatter(d["nominal_rank"], y, color="#c0392b", marker="D", zorder=4, label=labels["nominal"], s=14)
    ax.set_yticks(y, d["unit"])
    ax.invert_xaxis()
    ax.set_xlabel(labels["rank"], fontsize=8)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


def sobol_chart(sobol: pd.DataFrame, factor_labels: dict[str, str], path: Path, title: str) -> Path:
    _setup_fonts()
    fig, ax = plt.subplots(figsize=(6, 3))
    x = np.arange(len(sobol))
    ax.bar(x - 0.2, sobol["S1"].clip(lower=0), 0.4, yerr=sobol["S1_conf"], label="S1 (first order)", color="#1f77b4")
    ax.bar(x + 0.2, sobol["ST"].clip(lower=0), 0.4, yerr=sobol["ST_conf"], label="ST (total)", color="#ff7f0e")
    ax.set_xticks(x, [factor_labels.get(f, f) for f in sobol["factor"]], fontsize=8)
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7)
    ax.set_title(title, fontsize=10)
    return _save(fig, path)


def country_profile(scores: pd.DataFrame, iso3: str, pillars: tuple[str, ...], labels: dict[str, str],
                    path: Path, title: str, filled: set[tuple[str, int]] | None = None) -> Path:
    _setup_fonts()
    filled = filled or set()
    s = scores[(scores["level"] == "country") & (scores["unit"] == iso3)]
    fig, ax = plt.subplots(figsize=(6, 2.6))
    for p in pillars:
        d = s[s["pillar"] == p]
        ax.plot(d["year"], d["score"], color=PILLAR_COLOURS.get(p), label=labels.get(p, p), lw=1)
    d = s[s["pillar"] == "index"]
    ax.plot(d["year"], d["score"], color="black", lw=2, label=labels.get("index", "index"))
    _index_points(ax, d["year"], d["score"], iso3, filled, 14)
    ax.set_ylim(0, 100)
    ax.legend(fontsize=6, ncol=5, loc="upper left")
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=9)
    return _save(fig, path)

