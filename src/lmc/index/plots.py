"""Figures (PNG or SVG by file extension): framework sunburst, ranked bars with contributions, rank intervals,
correlation heatmap and Sobol bars. Matplotlib with the Agg backend; files are written atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lmc.index.export import atomic_write


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: str | Path) -> Path:
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower() or "png"
    if fmt not in ("png", "svg", "pdf"):
        from lmc.index.errors import SpecError

        raise SpecError(f"plot format {fmt!r} not supported (use .png or .svg)")
    out = atomic_write(path, lambda p: fig.savefig(p, format=fmt, dpi=150, bbox_inches="tight"))
    _plt().close(fig)
    return out


def plot_framework(framework, path: str | Path, weights: dict[str, float] | None = None) -> Path:
    """Sunburst of the tree: one ring per level, wedge size = effective weight."""
    from lmc.index.weights import effective_weights

    plt = _plt()
    eff = effective_weights(framework, weights or framework.weights())
    fig, ax = plt.subplots(figsize=(8, 8))
    levels = list(range(framework.max_level - 1, 0, -1))
    cmap = plt.get_cmap("tab20")
    # colour by the branch at level 2 (pillars), so each pillar and its indicators share a colour
    pillars = [c for c in framework.aggregates if framework.by_code[c].level == 2] or list(framework.indicators)
    colour = {}
    for i, pcode in enumerate(pillars):
        for c in (pcode, *framework.leaves_under(pcode)):
            colour[c] = cmap(i % 20)
    width = 0.8 / max(len(levels), 1)
    order = _leaf_order(framework, framework.root)
    for ring, lv in enumerate(levels):
        codes = [c for c in _level_order(framework, order, lv)]
        sizes = [eff[c] for c in codes]
        ax.pie(sizes, radius=0.2 + width * (ring + 1), labels=codes if lv >= 2 or len(codes) <= 60 else None,
               labeldistance=1 - width / 2 / (0.2 + width * (ring + 1)) if lv >= 2 else 1.02,
               colors=[colour.get(c, "grey") for c in codes], textprops={"fontsize": 6 if lv == 1 else 8},
               wedgeprops={"width": width, "edgecolor": "white"}, startangle=90, counterclock=False,
               rotatelabels=lv == 1)
    ax.text(0, 0, framework.root, ha="center", va="center", fontsize=11, weight="bold")
    ax.set_title(f"{framework.name}: framework (wedge = effective weight)")
    return _save(fig, path)


def _leaf_order(fw, code):
    kids = fw.children[code]
    return [code] if not kids else [code] + [x for k in kids for x in _leaf_order(fw, k)]


def _level_order(fw, order, lv):
    return [c for c in order if fw.by_code[c].level == lv or (fw.by_code[c].is_indicator and lv == 1)]


def plot_bars(result, path: str | Path, code: str | None = None, top: int | None = 40, level: int = 2) -> Path:
    """Units ranked by ``code`` (default the index), bars split into the weighted contributions of its
    descendants at ``level`` (default the pillars): score x effective weight within ``code``, which adds up to
    the score for an arithmetic mean without missing values."""
    plt = _plt()
    fw = result.framework
    code = code or fw.root
    kids = [c for c in fw.codes if fw.by_code[c].level == level and code in fw.ancestors(c)] \
        or list(fw.children[code])
    agg = result.stages["aggregated"]
    eff = result.effective_weights
    share = np.array([eff[k] / eff[code] for k in kids], dtype=float)
    vals = agg[kids].to_numpy(dtype=float)
    contrib = np.where(np.isnan(vals), 0, vals) * share[None, :]
    order = np.argsort(-result.scores[code].to_numpy(dtype=float), kind="stable")
    if top:
        order = order[:top]
    units = [str(u) for u in np.asarray(agg.index)[order]]
    fig, ax = plt.subplots(figsize=(max(6, 0.25 * len(units)), 5))
    bottom = np.zeros(len(units))
    for j, k in enumerate(kids):
        ax.bar(units, contrib[order, j], bottom=bottom, label=k)
        bottom += contrib[order, j]
    ax.plot(units, result.scores[code].to_numpy(dtype=float)[order], "k.", label=f"{code} score")
    ax.set_ylabel(f"{code} score (weighted contributions)")
    ax.tick_params(axis="x", rotation=90, labelsize=7)
    ax.legend(fontsize=7, ncol=2)
    ax.set_title(f"{code}: ranked scores and contributions (arithmetic decomposition)")
    return _save(fig, path)


def plot_rank_intervals(ua, path: str | Path) -> Path:
    """Nominal rank, median rank and the 5-95 % rank interval per unit (uncertainty analysis)."""
    plt = _plt()
    rs = ua.rankstats() if hasattr(ua, "rankstats") and callable(ua.rankstats) else ua
    fig, ax = plt.subplots(figsize=(max(6, 0.22 * len(rs)), 5))
    x = np.arange(len(rs))
    ax.vlines(x, rs["q05_rank"], rs["q95_rank"], color="tab:blue", lw=3, alpha=0.5, label="5-95 % interval")
    ax.plot(x, rs["median_rank"], "o", color="tab:blue", ms=3, label="median rank")
    ax.plot(x, rs["nominal_rank"], "kx", ms=4, label="nominal rank")
    ax.set_xticks(x, rs["uCode"], rotation=90, fontsize=7)
    ax.invert_yaxis()
    ax.set_ylabel("rank")
    ax.legend(fontsize=8)
    ax.set_title("Rank uncertainty")
    return _save(fig, path)


def plot_corr_heatmap(frame: pd.DataFrame, path: str | Path, title: str = "Correlations (Pearson)") -> Path:
    """Heatmap of the correlation matrix of the columns of ``frame``."""
    plt = _plt()
    cm = frame.corr().to_numpy()
    n = cm.shape[0]
    fig, ax = plt.subplots(figsize=(max(5, 0.22 * n), max(4, 0.22 * n)))
    im = ax.imshow(cm, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(n), frame.columns, rotation=90, fontsize=6)
    ax.set_yticks(range(n), frame.columns, fontsize=6)
    fig.colorbar(im, ax=ax, shrink=0.7)
    ax.set_title(title)
    return _save(fig, path)


def plot_sobol(sobol: pd.DataFrame, path: str | Path) -> Path:
    """First- and total-order Sobol indices with their bootstrap intervals."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    x = np.arange(len(sobol))
    for off, key, lab in ((-0.18, "S1", "first order"), (0.18, "ST", "total order")):
        v = sobol[key].to_numpy()
        err = np.vstack([v - sobol[f"{key}_low"].to_numpy(), sobol[f"{key}_high"].to_numpy() - v])
        ax.bar(x + off, v, 0.36, yerr=err, capsize=3, label=lab)
    ax.set_xticks(x, sobol["input"])
    ax.set_ylabel("Sobol index")
    ax.legend()
    ax.set_title("Sensitivity of the mean absolute rank change")
    return _save(fig, path)
