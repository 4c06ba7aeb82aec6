"""The report's maps (matplotlib, PNG): the region (countries, neighbours in grey, the Lancang-Mekong, lakes, land
borders, the railway through its stations, border crossings), a choropleth of country scores with pair links
weighted by score, and the railway corridor with its provinces sized by score.

Layers come from :func:`lmc.reports.geo.load_layers` (the warehouse's Natural Earth tables and the corridor
timetable); labels come from the caller, already translated. Every map carries the credit "Made with Natural Earth".
Longitude and latitude are drawn on an equirectangular grid with the aspect of the region's mean latitude.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D

from lmc import LMC_COUNTRIES
from lmc.reports.geo import CORRIDOR_VIEW, CREDIT, VIEW, MapLayers, shape_rings
from lmc.reports.map_style import (BORDER, LABEL_AT, LAND_LMC, LAND_OTHER, PLACE_COLOURS, RAIL, RIVER, RIVER_LABELS,
                                   SEA, WATER, fill_cmap)
from lmc.reports.sci_charts import _save, _setup_fonts


def _axes(view: tuple[float, float, float, float], width: float = 7.0):
    x0, y0, x1, y1 = view
    aspect = 1 / math.cos(math.radians((y0 + y1) / 2))
    height = width * (y1 - y0) * aspect / (x1 - x0)
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(aspect)
    ax.set_facecolor(SEA)
    ax.tick_params(labelsize=6, colors="#777")
    for s in ax.spines.values():
        s.set_color("#999")
    return fig, ax


def _base(ax, layers: MapLayers, view, fills: dict[str, str] | None = None,
          mekong_label: tuple[str, str] | None = None) -> None:
    """Land (the six countries in ``fills`` colours or cream, neighbours grey), lakes, rivers with the
    Lancang-Mekong emphasised and labelled, and land borders. One collection per layer: a few artists, not
    hundreds, so a map renders in a fraction of a second."""
    land, colours = [], []
    for s in layers.land:
        for r in shape_rings(s, view):
            land.append(r)
            colours.append((fills or {}).get(s.key, LAND_LMC) if s.lmc else LAND_OTHER)
    ax.add_collection(PolyCollection(land, facecolors=colours, edgecolors="none", zorder=1, gid="land"))
    lakes = [r for s in layers.lakes for r in shape_rings(s, view)]
    ax.add_collection(PolyCollection(lakes, facecolors=WATER, edgecolors="none", zorder=2, gid="lakes"))
    for major, width, alpha in ((False, 0.5, 0.6), (True, 1.6, 1.0)):
        lines = [r for s in layers.rivers if s.major == major for r in shape_rings(s, view)]
        ax.add_collection(LineCollection(lines, colors=RIVER, linewidths=width, alpha=alpha, zorder=3))
    borders = [r for s in layers.borders for r in shape_rings(s, view)]
    ax.add_collection(LineCollection(borders, colors=BORDER, linewidths=0.6, linestyles=(0, (4, 1.5)), zorder=4))
    for x, y, rot, i in RIVER_LABELS if mekong_label else ():
        ax.text(x, y, mekong_label[i], color=RIVER, fontsize=7.5, style="italic", rotation=rot, zorder=6,
                ha="center", va="center", bbox={"boxstyle": "round,pad=0.1", "fc": LAND_LMC, "ec": "none",
                                                "alpha": 0.7})


def _rail(ax, layers: MapLayers, station_dots: bool = True) -> None:
    for i, style in enumerate(("-", (0, (3, 2)))):
        xs, ys = zip(*layers.line(i))
        ax.plot(xs, ys, color=RAIL, lw=1.8 if i == 0 else 1.2, ls=style, zorder=7)
        if station_dots:
            ax.scatter(xs, ys, s=7, color="white", edgecolor=RAIL, linewidth=0.7, zorder=8)


def _crossings(ax, layers: MapLayers, names: dict[str, str], fontsize: float = 6.5) -> None:
    """Each border crossing as a marker with both stations' names (``Mohan | Boten``)."""
    for a, b in layers.crossings:
        sa, sb = layers.station(a), layers.station(b)
        x, y = (sa.lon + sb.lon) / 2, (sa.lat + sb.lat) / 2
        ax.scatter([x], [y], marker="D", s=26, color="#f1c40f", edgecolor="#7d6608", zorder=9)
        ax.annotate(f"{names.get(a, sa.name)} | {names.get(b, sb.name)}", (x, y), xytext=(7, -2),
                    textcoords="offset points", fontsize=fontsize, zorder=10, color="#4d3b00",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})


def _credit(ax, layers_note: str) -> None:
    ax.text(0.995, 0.005, f"{CREDIT} · {layers_note}", transform=ax.transAxes, fontsize=5.5, color="#444",
            ha="right", va="bottom", zorder=11, bbox={"boxstyle": "square,pad=0.2", "fc": "white", "ec": "none",
                                                        "alpha": 0.7})


def _country_labels(ax, names: dict[str, str]) -> None:
    for c, (x, y) in LABEL_AT.items():
        if c in names:
            ax.text(x, y, names[c], fontsize=8.5, weight="bold", color="#1b2631", ha="center", va="center",
                    zorder=6, alpha=0.85)


def region_map(layers: MapLayers, path: Path, *, title: str, countries: dict[str, str], stations: dict[str, str],
               mekong: tuple[str, str], rail: str, layers_note: str) -> Path:
    """The region: the six countries, neighbours in grey, the Lancang-Mekong, lakes, land borders, the railway
    through its stations and the border crossings, labelled."""
    _setup_fonts()
    fig, ax = _axes(VIEW)
    _base(ax, layers, VIEW, mekong_label=mekong)
    _country_labels(ax, countries)
    _rail(ax, layers)
    ends = [(layers.rail[0][0], 1), (layers.rail[0][-1], -1), (layers.rail[1][-1], -1)]  # label right / left
    for sid, side in ends:
        s = layers.station(sid)
        ax.annotate(stations.get(sid, s.name), (s.lon, s.lat), xytext=(6 * side, 2), textcoords="offset points",
                    fontsize=6.5, color=RAIL, zorder=10, ha="left" if side > 0 else "right",
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})
    _crossings(ax, layers, stations)
    ax.plot([], [], color=RAIL, lw=1.8, label=rail)
    ax.legend(loc="lower left", fontsize=6.5, frameon=True, framealpha=0.8)
    ax.set_title(title, fontsize=10)
    _credit(ax, layers_note)
    return _save(fig, path)


def score_map(layers: MapLayers, scores: pd.DataFrame, year: int, path: Path, *, title: str,
              countries: dict[str, str], score_label: str, layers_note: str) -> Path:
    """Choropleth of the countries' index scores, and the 15 pair links from each country's gateway (capital;
    Kunming for China) with width and colour by the pair's index score."""
    _setup_fonts()
    s = scores[(scores["year"] == year) & (scores["pillar"] == "index")]
    cs = dict(zip(s.loc[s["level"] == "country", "unit"], s.loc[s["level"] == "country", "score"]))
    norm = Normalize(0, 100)
    cmap = fill_cmap()
    fills = {c: cmap(norm(v)) for c, v in cs.items()}
    fig, ax = _axes(VIEW)
    _base(ax, layers, VIEW, fills=fills)
    pairs = s[s["level"] == "pair"].sort_values("score")
    for r in pairs.itertuples():
        a, b = r.unit.split("-")
        if a in layers.anchors and b in layers.anchors:
            (x1, y1, _), (x2, y2, _) = layers.anchors[a], layers.anchors[b]
            ax.plot([x1, x2], [y1, y2], color=plt.get_cmap("OrRd")(0.35 + 0.65 * norm(r.score)),
                    lw=0.4 + r.score / 12, solid_capstyle="round", zorder=7, alpha=0.9)
    for c in LMC_COUNTRIES:
        if c in layers.anchors:
            x, y, _ = layers.anchors[c]
            ax.scatter([x], [y], s=22, color="#1b2631", zorder=8)
            ax.annotate(f"{countries.get(c, c)} {cs.get(c, float('nan')):.0f}", (x, y), xytext=(4, 4),
                        textcoords="offset points", fontsize=7, zorder=9,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=norm)
    cb = fig.colorbar(sm, ax=ax, shrink=0.5, pad=0.02)
    cb.set_ticks([0, 25, 50, 75, 100])
    cb.set_label(score_label, fontsize=7)
    cb.ax.tick_params(labelsize=6)
    ax.set_title(title, fontsize=10)
    _credit(ax, layers_note)
    return _save(fig, path)


def _places(ax, places: Sequence[tuple[int, float, float, str]], types: Mapping[str, str]) -> None:
    """Places along the line (economic zones, dry ports, parks) as numbered squares coloured by type, with a
    legend of the types; the numbers refer to the report's table of places."""
    colour = {t: PLACE_COLOURS[i % len(PLACE_COLOURS)] for i, t in enumerate(types)}
    offsets = ((4, 2), (4, -7), (-9, 2), (-9, -7), (4, 10), (-9, 10))  # fan out the numbers of nearby places
    for i, (n, lon, lat, kind) in enumerate(places):
        near = sum(math.hypot(lon - x, lat - y) < 0.3 for _, x, y, _ in places[:i])
        ax.scatter([lon], [lat], marker="s", s=22, color=colour[kind], edgecolor="white", lw=0.6, zorder=11)
        ax.annotate(str(n), (lon, lat), xytext=offsets[near % len(offsets)], textcoords="offset points",
                    fontsize=5.5, zorder=12, color=colour[kind], weight="bold")
    handles = [Line2D([], [], marker="s", ls="", markersize=4.5, color=colour[t], label=label)
               for t, label in types.items()]
    ax.add_artist(ax.legend(handles=handles, loc="center right", fontsize=5.5, framealpha=0.85))


def corridor_map(layers: MapLayers, scores: pd.DataFrame, year: int, path: Path, *, title: str,
                 provinces: dict[str, str], stations: dict[str, str], score_label: str, layers_note: str,
                 places: Sequence[tuple[int, float, float, str]] = (),
                 place_types: Mapping[str, str] | None = None) -> Path:
    """The railway corridor: the line through its stations, the crossings, and each corridor province's reference
    point as a disc whose area follows its index score; with ``places`` ((number, lon, lat, type), types labelled
    by ``place_types``), the zones, dry ports and parks along the line as a layer on top."""
    _setup_fonts()
    view = CORRIDOR_VIEW
    fig, ax = _axes(view, width=5.6)
    _base(ax, layers, view)
    _rail(ax, layers)
    _crossings(ax, layers, stations, fontsize=6)
    s = scores[(scores["year"] == year) & (scores["pillar"] == "index") & (scores["level"] == "province")]
    ps = dict(zip(s["unit"], s["score"]))
    for code, (x, y) in layers.provinces.items():
        v = ps.get(code)
        if v is None or not np.isfinite(v):
            continue
        ax.scatter([x], [y], s=8 + 3.2 * v, color="#2e86c1", alpha=0.55, edgecolor="#1b4f72", lw=0.6, zorder=6)
        ax.annotate(f"{provinces.get(code, code)} {v:.0f}", (x, y), xytext=(-6, 0), textcoords="offset points",
                    ha="right", va="center", fontsize=6, zorder=9,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})
    if places:
        _places(ax, places, place_types or {})
    for v in (25, 50, 75):
        ax.scatter([], [], s=8 + 3.2 * v, color="#2e86c1", alpha=0.55, edgecolor="#1b4f72", label=f"{v}")
    ax.legend(title=score_label, loc="lower left", fontsize=6, title_fontsize=6.5, framealpha=0.85,
              labelspacing=1.2, borderpad=0.8)
    ax.set_title(title, fontsize=10)
    _credit(ax, layers_note)
    return _save(fig, path)
