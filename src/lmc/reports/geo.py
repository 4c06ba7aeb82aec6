"""The region's map layers, read from the warehouse (Natural Earth tables) and the corridor timetable, as one frozen
:class:`MapLayers`, plus the plain-geometry helpers both map renderers use: rings of a GeoJSON geometry,
Douglas-Peucker simplification, and GeoJSON FeatureCollections for the web app to serve.

Why here: the report's matplotlib maps (:mod:`lmc.reports.maps`) and the web's Plotly maps draw the same layers;
reading them once, in the library, keeps a map's content and its list of sources identical wherever it is shown.
No tiles, no network: everything comes from the warehouse and the package.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from lmc import LMC_COUNTRIES, yamldoc
from lmc.config import Settings, get_settings
from lmc.errors import WarehouseError

CREDIT = "Made with Natural Earth"
VIEW: tuple[float, float, float, float] = (92.0, 8.0, 110.0, 27.6)
"""lon_min, lat_min, lon_max, lat_max of the region maps (inside the Natural Earth layers' box)."""
CORRIDOR_VIEW: tuple[float, float, float, float] = (98.6, 12.8, 105.6, 26.2)
"""The railway corridor, Kunming to Bangkok."""
GATEWAY = {"CHN": "Kunming"}
"""Where a country's pair links start: the capital (Natural Earth's ``adm0cap``), except China, whose LMC gateway
is Kunming (Beijing lies far outside the region's map)."""
MEKONG = ("Lancang", "Mekong")
"""Natural Earth's names of the river's Chinese and downstream courses (10m rivers, scalerank 2)."""
RIVER_MAX_RANK = 7.0
"""Rivers drawn: Natural Earth scalerank up to 7 (Salween, Irrawaddy, Red River, Chao Phraya, Mun ...)."""
LCR_LAST_STOP = "VTE"
"""The China-Laos Railway runs from the timetable's first station to Vientiane; the stations after it are the Thai
link (Khamsavath - Nong Khai - Bangkok)."""


@dataclass(frozen=True)
class Shape:
    """One Natural Earth feature: ``key`` (ISO3 for countries, else the feature's position), its name and
    GeoJSON geometry; ``lmc`` marks the six countries, ``major`` the Lancang-Mekong among rivers."""

    key: str
    name: str
    geometry: dict[str, Any] = field(repr=False)
    lmc: bool = False
    major: bool = False


@dataclass(frozen=True)
class Station:
    stop_id: str
    name: str
    lon: float
    lat: float
    border: bool = False


@dataclass(frozen=True)
class MapLayers:
    """Everything a map of the region draws. ``layers`` names the Natural Earth layers used (for the sources)."""

    land: tuple[Shape, ...]
    rivers: tuple[Shape, ...]
    lakes: tuple[Shape, ...]
    borders: tuple[Shape, ...]
    anchors: dict[str, tuple[float, float, str]]
    stations: tuple[Station, ...]
    rail: tuple[tuple[str, ...], ...]
    crossings: tuple[tuple[str, str], ...]
    provinces: dict[str, tuple[float, float]]
    layers: tuple[str, ...]

    def station(self, stop_id: str) -> Station:
        return next(s for s in self.stations if s.stop_id == stop_id)

    def line(self, i: int) -> list[tuple[float, float]]:
        return [(self.station(s).lon, self.station(s).lat) for s in self.rail[i]]


# ------------------------------------------------------------------------------------------------ geometry
def rings(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Outer rings of a (Multi)Polygon, or the parts of a (Multi)LineString, as lists of (lon, lat)."""
    t, c = geometry["type"], geometry["coordinates"]
    if t == "Polygon":
        return [[(p[0], p[1]) for p in c[0]]]
    if t == "MultiPolygon":
        return [[(p[0], p[1]) for p in poly[0]] for poly in c]
    if t == "LineString":
        return [[(p[0], p[1]) for p in c]]
    if t == "MultiLineString":
        return [[(p[0], p[1]) for p in part] for part in c]
    raise ValueError(f"no rings in a {t}")


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the fewest of ``points`` within ``tolerance`` degrees of the original line (ends kept)."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    a = np.asarray(points, dtype=float)
    keep = np.zeros(len(a), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(a) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        seg = a[j] - a[i]
        rel = a[i + 1:j] - a[i]
        norm = math.hypot(*seg)
        d = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / norm if norm else np.hypot(rel[:, 0], rel[:, 1])
        k = int(np.argmax(d))
        if d[k] > tolerance:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return [(round(float(x), 4), round(float(y), 4)) for x, y in a[keep]]


def _meets(ring: list[tuple[float, float]], view: tuple[float, float, float, float]) -> bool:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return not (max(xs) < view[0] or min(xs) > view[2] or max(ys) < view[1] or min(ys) > view[3])


def shape_rings(shape: Shape, view: tuple[float, float, float, float] = VIEW, tolerance: float = 0.0
                ) -> list[list[tuple[float, float]]]:
    """The shape's rings that meet ``view``, simplified to ``tolerance`` degrees (rings left with fewer than 3
    points are dropped)."""
    out = []
    for r in rings(shape.geometry):
        if _meets(r, view):
            s = simplify(r, tolerance)
            if len(s) >= 3 or (len(s) >= 2 and shape.geometry["type"].endswith("LineString")):
                out.append(s)
    return out


# ------------------------------------------------------------------------------------------------ loading
@lru_cache(maxsize=1)
def _timetable_stations() -> tuple[Station, ...]:
    from lmc.corridor import __file__ as corridor_init

    raw = yamldoc.safe_load((Path(corridor_init).parent / "timetable.yaml").read_text(encoding="utf-8"))
    return tuple(Station(str(s["stop_id"]), str(s["name"]), float(s["lon"]), float(s["lat"]), bool(s.get("border")))
                 for s in raw["stations"])


def _rail(stations: tuple[Station, ...]) -> tuple[tuple[str, ...], ...]:
    ids = [s.stop_id for s in stations]
    cut = ids.index(LCR_LAST_STOP) + 1
    return tuple(ids[:cut]), tuple(ids[cut:])


def _crossings(stations: tuple[Station, ...]) -> tuple[tuple[str, str], ...]:
    """Consecutive border stations in running order are the two sides of one crossing (Mohan | Boten, ...)."""
    out = []
    for a, b in zip(stations, stations[1:]):
        if a.border and b.border:
            out.append((a.stop_id, b.stop_id))
    return tuple(out)


def _province_points(stations: tuple[Station, ...]) -> dict[str, tuple[float, float]]:
    """Each corridor province of the index at the mean position of the railway stations serving it (its
    ``stations`` in ``corridor_provinces.yaml``): where the railway meets the province, not a centroid."""
    from lmc.reports.labels import corridor_provinces

    by_name = {s.name: s for s in stations}
    out = {}
    for p in corridor_provinces():
        pts = [by_name[n] for n in p.stations if n in by_name]
        if pts:
            out[p.code] = (float(np.mean([s.lon for s in pts])), float(np.mean([s.lat for s in pts])))
    return out


def load_layers(settings: Settings | None = None) -> MapLayers:
    """The map layers from the warehouse's Natural Earth tables (``lmc data pull natural_earth``) and the corridor
    timetable. A warehouse without them raises :class:`~lmc.errors.WarehouseError` naming the table."""
    from lmc.warehouse.db import read_table

    settings = settings or get_settings()
    if not settings.warehouse.is_file():
        raise WarehouseError(f"no warehouse at {settings.warehouse}: run `lmc data pull natural_earth` for the maps")
    land = read_table("ne_countries_context", settings)
    rivers = read_table("ne_rivers", settings)
    lakes = read_table("ne_lakes", settings)
    borders = read_table("ne_land_borders", settings)
    places = read_table("ne_places", settings)
    rivers = rivers[(rivers["resolution"] == "10m") & (rivers["scalerank"] <= RIVER_MAX_RANK)]
    anchors = {}
    for c in LMC_COUNTRIES:
        p = places[places["iso3"] == c]
        hit = p[p["name"] == GATEWAY[c]] if c in GATEWAY else p[p["capital"].fillna(False).astype(bool)]
        if len(hit):
            r = hit.sort_values("pop_max", ascending=False).iloc[0]
            anchors[c] = (float(r["lon"]), float(r["lat"]), str(r["name"]))
    stations = _timetable_stations()

    def shapes(df, key, lmc=None, major=None) -> tuple[Shape, ...]:
        return tuple(Shape(str(r[key]), "" if r.get("name") is None or r["name"] != r["name"] else str(r["name"]),
                           json.loads(r["geometry"]), bool(lmc(r)) if lmc else False,
                           bool(major(r)) if major else False) for r in df.to_dict(orient="records"))

    return MapLayers(
        land=shapes(land, "iso3", lmc=lambda r: r["lmc"]),
        rivers=shapes(rivers, "feature", major=lambda r: r["name"] in MEKONG),
        lakes=shapes(lakes, "feature"), borders=shapes(borders, "feature"), anchors=anchors,
        stations=stations, rail=_rail(stations), crossings=_crossings(stations),
        provinces=_province_points(stations),
        layers=("Natural Earth 1:50m admin-0 countries", "Natural Earth 1:10m rivers and lake centrelines",
                "Natural Earth 1:10m lakes", "Natural Earth 1:10m land boundary lines",
                "Natural Earth 1:10m populated places"),
    )


def try_layers(settings: Settings | None = None) -> tuple[MapLayers | None, str]:
    """:func:`load_layers`, or ``None`` and the reason (a map is then left out and the reason shown)."""
    try:
        return load_layers(settings), ""
    except WarehouseError as exc:
        return None, str(exc)


def map_source(layers: MapLayers, lang: str) -> dict[str, str]:
    """The sources-table row of the maps: Natural Earth and the layers drawn. (Here, not beside the drawing code,
    so the web app names the source without importing matplotlib.)"""
    from lmc.reports.sci_i18n import STRINGS
    from lmc.sources.natural_earth import SOURCE

    return {"id": SOURCE.id, "title": "; ".join(layers.layers), "publisher": SOURCE.publisher,
            "licence": SOURCE.licence, "url": SOURCE.homepage, "used_for": STRINGS[lang]["map_used_for"]}


# ------------------------------------------------------------------------------------------------ GeoJSON
GEOJSON_LAYERS = ("land", "rivers", "lakes", "borders", "rail", "stations")


def geojson(layers: MapLayers, layer: str, tolerance: float = 0.01) -> dict[str, Any]:
    """One layer as a GeoJSON FeatureCollection (WGS84), simplified to ``tolerance`` degrees, for the web app."""
    feats: list[dict[str, Any]] = []
    if layer in ("land", "rivers", "lakes", "borders"):
        for s in getattr(layers, layer):
            parts = shape_rings(s, tolerance=tolerance)
            if not parts:
                continue
            poly = s.geometry["type"].endswith("Polygon")
            geom = ({"type": "MultiPolygon", "coordinates": [[[list(p) for p in r]] for r in parts]} if poly else
                    {"type": "MultiLineString", "coordinates": [[list(p) for p in r] for r in parts]})
            props = {"id": s.key, "name": s.name}
            if layer == "land":
                props["lmc"] = s.lmc
            if layer == "rivers":
                props["lancang_mekong"] = s.major
            feats.append({"type": "Feature", "properties": props, "geometry": geom})
    elif layer == "rail":
        for i, name in enumerate(("China-Laos Railway", "Bangkok-Vientiane link")):
            feats.append({"type": "Feature", "properties": {"name": name, "stops": list(layers.rail[i])},
                          "geometry": {"type": "LineString", "coordinates": [list(p) for p in layers.line(i)]}})
    elif layer == "stations":
        for s in layers.stations:
            feats.append({"type": "Feature", "properties": {"stop_id": s.stop_id, "name": s.name, "border": s.border},
                          "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]}})
    else:
        from lmc.errors import ValidationError, unknown

        raise ValidationError(unknown("map layer", layer, GEOJSON_LAYERS))
    return {"type": "FeatureCollection", "name": layer, "attribution": CREDIT, "features": feats}
