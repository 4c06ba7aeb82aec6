"""The web's maps as Plotly figure dicts, drawn from the same layers as the report's maps
(:func:`lmc.reports.geo.load_layers`): countries shaded by score (neighbours grey), lakes, rivers with the
Lancang-Mekong, land borders, pair links weighted by score, the railway through its stations, the border crossings,
the corridor provinces sized by score, and the places along the line (economic zones, dry ports, parks:
:func:`lmc.freight.places.places_layer`). Hover gives names and scores (a place: its type, dated figures and
source); a click opens the country or pair profile (``customdata`` paths, followed by ``static/app.js``).

Plain Cartesian axes in degrees (the y axis scaled by 1/cos of the mean latitude): Plotly's ``geo`` maps would
fetch their base map from a CDN, and these pages load nothing from outside the app.
"""

from __future__ import annotations

import math
from typing import Any

from lmc import LMC_COUNTRIES
from lmc.reports import map_style as style
from lmc.reports.geo import CORRIDOR_VIEW, CREDIT, VIEW, MapLayers, shape_rings
from lmc.reports.labels import country_name, station_name, unit_name
from lmc.reports.numfmt import fmt

TOLERANCE = 0.03
"""Simplification of the web's polygons and lines, in degrees (about 3 km): 100 KB of page instead of 1 MB."""


def _xy(parts: list[list[tuple[float, float]]]) -> tuple[list, list]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for r in parts:
        xs += [p[0] for p in r] + [None]
        ys += [p[1] for p in r] + [None]
    return xs, ys


def _colour(score: float | None) -> str:
    """The report's choropleth colours (:func:`lmc.reports.map_style.fill_cmap`), as CSS."""
    if score is None:
        return style.LAND_LMC
    r, g, b, _ = style.fill_cmap()(max(0.0, min(100.0, score)) / 100)
    return f"rgb({round(r * 255)},{round(g * 255)},{round(b * 255)})"


def _frame(view: tuple[float, float, float, float], height: int) -> dict[str, Any]:
    x0, y0, x1, y1 = view
    ratio = 1 / math.cos(math.radians((y0 + y1) / 2))
    axis = {"visible": False, "fixedrange": False}
    return {"margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "height": height, "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": style.SEA, "showlegend": False, "hovermode": "closest", "dragmode": "pan",
            "xaxis": {**axis, "range": [x0, x1], "constrain": "domain"},
            "yaxis": {**axis, "range": [y0, y1], "scaleanchor": "x", "scaleratio": round(ratio, 4)},
            "annotations": [{"text": CREDIT, "xref": "x domain", "yref": "y domain", "x": 1, "y": 0, "xanchor": "right",
                             "yanchor": "bottom", "showarrow": False, "font": {"size": 10, "color": "#444"},
                             "bgcolor": "rgba(255,255,255,0.75)"}]}


def _base(layers: MapLayers, view, lang: str, scores: dict[str, float] | None, hover: str) -> list[dict]:
    traces: list[dict[str, Any]] = []
    for s in layers.land:
        xs, ys = _xy(shape_rings(s, view, TOLERANCE))
        if not xs:
            continue
        if s.lmc:
            v = (scores or {}).get(s.key)
            text = country_name(s.key, lang) + (f" · {hover} {fmt(v, 'score')}" if v is not None else "")
            traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself",
                           "fillcolor": _colour(v) if scores else style.LAND_LMC, "line": {"width": 0},
                           "hoveron": "fills", "text": text, "hoverinfo": "text", "meta": f"/country/{s.key}",
                           "name": s.key})
        else:
            traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself",
                           "fillcolor": style.LAND_OTHER, "line": {"width": 0}, "hoverinfo": "skip"})
    for group, colour, width in (("lakes", style.WATER, 0), ("rivers", style.RIVER, 0.6), ("major", style.RIVER, 2.2),
                                 ("borders", style.BORDER, 0.8)):
        shapes = (layers.rivers if group in ("rivers", "major") else getattr(layers, group))
        if group in ("rivers", "major"):
            shapes = tuple(s for s in shapes if s.major == (group == "major"))
        parts = [r for s in shapes for r in shape_rings(s, view, TOLERANCE)]
        xs, ys = _xy(parts)
        tr: dict[str, Any] = {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip",
                              "line": {"color": colour, "width": width}}
        if group == "lakes":
            tr.update(fill="toself", fillcolor=colour)
        if group == "borders":
            tr["line"]["dash"] = "dash"
        traces.append(tr)
    return traces


def _rail(layers: MapLayers, lang: str, t) -> list[dict]:
    traces = []
    for i, dash in enumerate(("solid", "dash")):
        xs, ys = zip(*layers.line(i))
        traces.append({"type": "scatter", "x": list(xs), "y": list(ys), "mode": "lines", "hoverinfo": "skip",
                       "line": {"color": style.RAIL, "width": 3 if i == 0 else 2, "dash": dash}})
    st = layers.stations
    traces.append({"type": "scatter", "mode": "markers", "x": [s.lon for s in st], "y": [s.lat for s in st],
                   "marker": {"size": 6, "color": "white", "line": {"color": style.RAIL, "width": 1.5}},
                   "text": [station_name(s.stop_id, lang) for s in st], "hoverinfo": "text"})
    xs, ys, text = [], [], []
    for a, b in layers.crossings:
        sa, sb = layers.station(a), layers.station(b)
        xs.append((sa.lon + sb.lon) / 2)
        ys.append((sa.lat + sb.lat) / 2)
        text.append(f"{station_name(a, lang)} | {station_name(b, lang)}")
    traces.append({"type": "scatter", "mode": "markers+text", "x": xs, "y": ys, "text": text,
                   "textposition": "middle right", "textfont": {"size": 11, "color": "#4d3b00"},
                   "hovertext": [f"{t('border_crossing')}: {x}" for x in text], "hoverinfo": "text",
                   "marker": {"symbol": "diamond", "size": 11, "color": "#f1c40f", "line": {"color": "#7d6608",
                                                                                           "width": 1}}})
    return traces


PLACE_COLOUR = "#6c3483"


def _places(places, lang: str, t) -> list[dict]:
    """The places along the line as one marker trace; hover: name, type, each dated figure, the source."""
    if places is None or not len(places):
        return []
    text = []
    for p in places.places:
        name = (p.name_zh or p.name_en) if lang == "zh" else p.name_en
        colon = "：" if lang == "zh" else ": "
        lines = [f"<b>{name}</b>", t(f"ptype_{p.type}")]
        for f in p.figures:
            unit = t(f"punit_{f.unit}") if t.has(f"punit_{f.unit}") else f.unit
            digits = 0 if abs(f.value) >= 100 else (1 if abs(f.value) >= 10 else 2)
            lines.append(f"{t(f'pmeasure_{f.measure}')}{colon}{fmt(f.value, 'number', digits=digits)} {unit} ({f.as_of})")
        lines.append(f"{t('ks_source')}{colon}{p.source.publisher}")
        text.append("<br>".join(lines))
    return [{"type": "scatter", "mode": "markers", "x": [p.location.lon for p in places.places],
             "y": [p.location.lat for p in places.places], "text": text, "hoverinfo": "text",
             "name": t("map_places"),
             "marker": {"symbol": "square", "size": 9, "color": PLACE_COLOUR, "opacity": 0.85,
                        "line": {"color": "white", "width": 1}}}]


def region_figure(layers: MapLayers, country_scores: dict[str, float], pair_scores: dict[str, float], lang: str,
                  t, places=None) -> dict[str, Any]:
    """Home page: choropleth of country scores, pair links weighted by score, the railway and its crossings."""
    traces = _base(layers, VIEW, lang, country_scores, t("score"))
    mid_x, mid_y, mid_text, mid_link = [], [], [], []
    for pair, score in sorted(pair_scores.items(), key=lambda kv: kv[1]):
        a, b = pair.split("-")
        if a not in layers.anchors or b not in layers.anchors or score is None:
            continue
        (x1, y1, _), (x2, y2, _) = layers.anchors[a], layers.anchors[b]
        alpha = 0.2 + 0.55 * score / 100
        traces.append({"type": "scatter", "mode": "lines", "x": [x1, x2], "y": [y1, y2], "hoverinfo": "skip",
                       "line": {"width": round(0.6 + score / 13, 2), "color": f"rgba(27,38,49,{alpha:.2f})"}})
        mid_x.append((x1 + x2) / 2)
        mid_y.append((y1 + y2) / 2)
        mid_text.append(f"{unit_name(pair, lang)} · {t('score')} {fmt(score, 'score')}")
        mid_link.append(f"/pair/{pair}")
    traces.append({"type": "scatter", "mode": "markers", "x": mid_x, "y": mid_y, "text": mid_text,
                   "customdata": mid_link, "hoverinfo": "text",
                   "marker": {"size": 9, "color": "rgba(27,38,49,0.85)", "line": {"color": "white", "width": 1}}})
    traces += _places(places, lang, t)
    traces += _rail(layers, lang, t)  # over the links: the line and its crossings stay readable
    cs = [c for c in LMC_COUNTRIES if c in layers.anchors]
    traces.append({"type": "scatter", "mode": "markers+text", "x": [layers.anchors[c][0] for c in cs],
                   "y": [layers.anchors[c][1] for c in cs], "customdata": [f"/country/{c}" for c in cs],
                   "text": [f"{country_name(c, lang)} {fmt(country_scores.get(c), 'score')}" for c in cs],
                   "textposition": "top right", "textfont": {"size": 12, "color": "#1b2631"},
                   "hovertext": [f"{country_name(c, lang)} · {t('score')} {fmt(country_scores.get(c), 'score')}"
                                 for c in cs], "hoverinfo": "text",
                   "marker": {"size": 12, "color": [country_scores.get(c) for c in cs], "cmin": 0, "cmax": 100, "showscale": True,
                              "colorscale": [[i / 4, _colour(25.0 * i)] for i in range(5)],
                              "line": {"color": "#1b2631", "width": 2},
                              "colorbar": {"title": {"text": t("score"), "side": "top"}, "thickness": 10,
                                           "len": 0.35, "x": 1.0, "xanchor": "right", "y": 1, "yanchor": "top",
                                           "bgcolor": "rgba(255,255,255,0.75)", "outlinewidth": 0}}})
    return {"data": traces, "layout": _frame(VIEW, 660)}


def corridor_figure(layers: MapLayers, province_scores: dict[str, float], lang: str, t, places=None
                    ) -> dict[str, Any]:
    """Corridor page: the railway through its stations, the crossings, the places along the line, and each corridor
    province sized by its index score (where the railway serves it)."""
    traces = _base(layers, CORRIDOR_VIEW, lang, None, "")
    traces += _places(places, lang, t)
    traces += _rail(layers, lang, t)
    codes = [c for c in layers.provinces if province_scores.get(c) is not None]
    traces.append({"type": "scatter", "mode": "markers+text", "x": [layers.provinces[c][0] for c in codes],
                   "y": [layers.provinces[c][1] for c in codes],
                   "text": [unit_name(c, lang) for c in codes], "textposition": "middle left",
                   "textfont": {"size": 11},
                   "hovertext": [f"{unit_name(c, lang)} · {t('score')} {fmt(province_scores[c], 'score')}"
                                 for c in codes], "hoverinfo": "text",
                   "customdata": ["/explorer?level=province" for _ in codes],
                   "marker": {"size": [6 + 0.45 * province_scores[c] for c in codes], "color": "rgba(46,134,193,0.55)",
                              "line": {"color": "#1b4f72", "width": 1}}})
    return {"data": traces, "layout": _frame(CORRIDOR_VIEW, 640)}
