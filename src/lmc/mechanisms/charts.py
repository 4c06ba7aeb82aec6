"""Charts of the mechanism analyses (matplotlib): overlap heatmap, creation timeline, bipartite network, congestion.

Each function renders one result object to a PNG or SVG chosen by the file suffix, writing to a temporary file that
is swapped in with ``os.replace`` so a failed render never leaves half a file. Layouts are deterministic (no
random placement), so the same registry gives the same picture.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from lmc.atomic import atomic_path  # noqa: E402
from lmc.errors import ValidationError  # noqa: E402
from lmc.mechanisms.results import (  # noqa: E402
    CongestionResult,
    NetworkResult,
    OverlapResult,
    TimelineResult,
)

FORMATS = ("png", "svg")
SOURCE_NOTE = "Source: LMC Observatory mechanism registry (curated; a source on every record)"


def _save(fig: Figure, path: Path | str) -> Path:
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        plt.close(fig)
        raise ValidationError(f"{path}: unsupported chart format {path.suffix!r}; use .png or .svg")
    try:
        fig.text(0.01, 0.005, SOURCE_NOTE, fontsize=6, color="0.4", ha="left", va="bottom")
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=fmt, dpi=150, bbox_inches="tight",
                        metadata={"Date": None} if fmt == "svg" else None)
    finally:
        plt.close(fig)
    return path


def overlap_heatmap(result: OverlapResult, path: Path | str, *, labels: dict[str, str] | None = None,
                    title: str | None = None) -> Path:
    """Square heatmap of a Jaccard matrix with the value in each cell."""
    m = result.matrix
    names = [labels.get(i, i) if labels else i for i in m.index]
    n = len(names)
    fig, ax = plt.subplots(figsize=(1.2 + 0.42 * n, 1.0 + 0.38 * n))
    im = ax.imshow(m.to_numpy(dtype=float), cmap="viridis", vmin=0, vmax=1)
    ax.set_xticks(range(n), names, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(n), names, fontsize=7)
    for i in range(n):
        for j in range(n):
            v = m.iat[i, j]
            if not np.isnan(v):
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=5,
                        color="black" if v > 0.6 else "white")
    fig.colorbar(im, ax=ax, fraction=0.04, label="Jaccard")
    ax.set_title(title or f"Overlap between mechanisms ({result.basis})", fontsize=9)
    return _save(fig, path)


def timeline_chart(result: TimelineResult, path: Path | str, *, until: int | None = None) -> Path:
    """One bar per mechanism from its founding year (to its last activity when dormant), oldest at the top."""
    f = result.founding
    events = result.events
    last = events.loc[events["event"] == "last activity"].set_index("mechanism")["year"]
    end = until or int(max(f["year"].max(), events["year"].max() if len(events) else 0))
    types = sorted(set(f["type"]))
    colours = dict(zip(types, plt.get_cmap("tab10").colors, strict=False))
    fig, ax = plt.subplots(figsize=(9, 0.9 + 0.32 * len(f)))
    for i, r in enumerate(f.itertuples(index=False)):
        stop = int(last.get(r.mechanism, end))
        ax.barh(i, stop - r.year + 1, left=r.year, color=colours[r.type],
                alpha=0.45 if r.status == "dormant" else 0.9, height=0.6)
        ax.text(r.year - 0.6, i, f"{r.abbreviation} ({r.year})", ha="right", va="center", fontsize=7)
    ax.set_yticks([])
    ax.invert_yaxis()
    lo = int(f["year"].min())
    ax.set_xlim(lo - 14, end + 2)
    ax.set_xlabel("year")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    ax.legend(handles, [t.replace("_", " ") for t in colours], fontsize=6, loc="lower left", frameon=False)
    ax.set_title("Creation of cooperation mechanisms covering the Lancang-Mekong countries", fontsize=9)
    return _save(fig, path)


def network_chart(result: NetworkResult, path: Path | str) -> Path:
    """Two-column bipartite drawing: countries left (LMC six highlighted), mechanisms right, sized by degree."""
    g = result.graph
    countries = sorted((n for n, d in g.nodes(data=True) if d["kind"] == "country"),
                       key=lambda n: (not g.nodes[n].get("lmc", False), -g.degree(n), n))
    mechs = sorted((n for n, d in g.nodes(data=True) if d["kind"] == "mechanism"), key=lambda n: (-g.degree(n), n))
    pos = {}
    for i, n in enumerate(countries):
        pos[n] = (0.0, 1 - i / max(len(countries) - 1, 1))
    for i, n in enumerate(mechs):
        pos[n] = (1.0, 1 - i / max(len(mechs) - 1, 1))
    fig, ax = plt.subplots(figsize=(8, max(6, 0.3 * max(len(countries), len(mechs)))))
    nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.25, width=0.6)
    ccol = ["#c0392b" if g.nodes[n].get("lmc") else "#7f8c8d" for n in countries]
    nx.draw_networkx_nodes(g, pos, nodelist=countries, node_color=ccol, ax=ax,
                           node_size=[30 + 12 * g.degree(n) for n in countries])
    nx.draw_networkx_nodes(g, pos, nodelist=mechs, node_color="#2e86c1", node_shape="s", ax=ax,
                           node_size=[30 + 12 * g.degree(n) for n in mechs])
    for n in countries:
        ax.text(pos[n][0] - 0.03, pos[n][1], g.nodes[n]["label"], ha="right", va="center", fontsize=7)
    for n in mechs:
        ax.text(pos[n][0] + 0.03, pos[n][1], g.nodes[n]["label"], ha="left", va="center", fontsize=7)
    ax.set_xlim(-0.3, 1.35)
    ax.axis("off")
    ax.set_title("Countries and mechanisms (current country memberships); red: LMC countries", fontsize=9)
    return _save(fig, path)


def congestion_heatmap(result: CongestionResult, path: Path | str) -> Path:
    """Country x sector heatmap of the number of active mechanisms."""
    m = result.matrix
    fig, ax = plt.subplots(figsize=(1.5 + 0.38 * m.shape[1], 1.2 + 0.45 * m.shape[0]))
    im = ax.imshow(m.to_numpy(dtype=float), cmap="magma_r", vmin=0)
    ax.set_xticks(range(m.shape[1]), [c.replace("_", " ") for c in m.columns], rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(m.shape[0]), list(m.index), fontsize=8)
    vmax = max(int(m.to_numpy().max()), 1)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            v = int(m.iat[i, j])
            ax.text(j, i, str(v), ha="center", va="center", fontsize=6, color="white" if v > vmax / 2 else "black")
    fig.colorbar(im, ax=ax, fraction=0.03, label="mechanisms")
    ax.set_title("Mechanism congestion: active mechanisms per country and sector", fontsize=9)
    return _save(fig, path)
