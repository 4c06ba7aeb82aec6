"""Natural Earth map layers of the region (public domain): country polygons, rivers, lakes, land borders,
province label points and towns, as tidy tables with each geometry kept as GeoJSON text.

Why: the observatory draws its maps (reports and web) from the warehouse like every other number, so a map's
layers have a provenance row (file, sha256, licence) and the package ships no tiles and needs no network. DuckDB's
spatial extension would need a download, so geometries are stored as GeoJSON strings with their bounding box;
:mod:`lmc.reports.geo` turns them back into shapes.

Every mirror file is DERIVED (features of the full Natural Earth layers filtered to the six countries or to the box
lon 90-112, lat 5-30, see ``../shared/data/mirror/README.md`` section 12). An online pull downloads the full layer
from martynafford/natural-earth-geojson at the pinned commit and filters it the same way (:func:`_keep`); four
layers exist there only as 7z archives, which this connector does not unpack: pull those from a mirror.

A feature that is not a GeoJSON Feature, has no geometry, a geometry of an unexpected type or a coordinate that is
not a finite longitude/latitude is a :class:`~lmc.errors.ParseError` naming the file and the feature (its position
and name).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.errors import ParseError
from lmc.sources._common import conform, file_for, github_raw
from lmc.sources.base import Source, SourceFile, TableSpec

REPO = "martynafford/natural-earth-geojson@0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e"
BOX = (90.0, 5.0, 112.0, 30.0)
"""lon_min, lat_min, lon_max, lat_max of the region's layers (the mirror's ``bbox90-112_5-30``)."""

POLYGONS = frozenset({"Polygon", "MultiPolygon"})
LINES = frozenset({"LineString", "MultiLineString"})
POINTS = frozenset({"Point"})


# ------------------------------------------------------------------------------------------------ GeoJSON reading
def _coords(geom: dict[str, Any]) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) position of a Point/LineString/Polygon or Multi- geometry."""
    def walk(c: Any) -> Iterator[tuple[float, float]]:
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)) and not isinstance(c[0], bool):
            yield c[0], c[1] if len(c) > 1 else math.nan
        elif isinstance(c, (list, tuple)):
            for x in c:
                yield from walk(x)
        else:
            raise ValueError(f"coordinate {c!r} is not a number pair")

    yield from walk(geom.get("coordinates"))


def _bbox(geom: dict[str, Any]) -> tuple[float, float, float, float]:
    xs, ys = zip(*_coords(geom))
    return min(xs), min(ys), max(xs), max(ys)


def _intersects_box(geom: dict[str, Any], box: tuple[float, float, float, float] = BOX) -> bool:
    x0, y0, x1, y1 = _bbox(geom)
    return not (x1 < box[0] or x0 > box[2] or y1 < box[1] or y0 > box[3])


def features(path: Path, kinds: frozenset[str]) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """``(position, properties, geometry)`` of every feature of a GeoJSON FeatureCollection, validated: each is a
    Feature whose geometry is one of ``kinds`` with finite longitudes and latitudes in range."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ParseError(f"{path}: bytes are not valid UTF-8 ({exc.reason})") from exc
    except ValueError as exc:  # json.JSONDecodeError carries the line
        raise ParseError(f"{path}: not valid GeoJSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"),
                                                                                                list):
        raise ParseError(f"{path}: not a GeoJSON FeatureCollection")
    out = []
    for i, f in enumerate(doc["features"]):
        props = f.get("properties") if isinstance(f, dict) else None
        name = (props or {}).get("name") or (props or {}).get("NAME") or (props or {}).get("ADM0_A3")
        where = f"{path}: feature {i}" + (f" ({name})" if name else "")
        if not isinstance(f, dict) or f.get("type") != "Feature" or not isinstance(props, dict):
            raise ParseError(f"{where}: not a GeoJSON Feature with properties")
        geom = f.get("geometry")
        if not isinstance(geom, dict) or geom.get("type") not in kinds:
            got = geom.get("type") if isinstance(geom, dict) else "no geometry"
            raise ParseError(f"{where}: geometry is {got}, expected {' or '.join(sorted(kinds))}")
        try:
            pts = list(_coords(geom))
        except ValueError as exc:
            raise ParseError(f"{where}: {exc}") from None
        if not pts:
            raise ParseError(f"{where}: geometry has no coordinates")
        for x, y in pts:
            if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
                raise ParseError(f"{where}: coordinate ({x}, {y}) is not a longitude/latitude")
        out.append((i, props, geom))
    return out


def _geometry_columns(geom: dict[str, Any]) -> dict[str, Any]:
    x0, y0, x1, y1 = _bbox(geom)
    return {"geometry_type": geom["type"], "geometry": json.dumps(geom, separators=(",", ":")),
            "min_lon": x0, "min_lat": y0, "max_lon": x1, "max_lat": y1}


def _text(v: Any) -> Any:
    return pd.NA if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "" else str(v)


# ------------------------------------------------------------------------------------------------ derivation
def _keep(predicate: Callable[[dict[str, Any], dict[str, Any]], bool]) -> Callable[[bytes], bytes]:
    """A ``derive`` function: the upstream FeatureCollection with only the features ``predicate(props, geometry)``
    keeps (same features as the mirror's DERIVED file; the bytes differ from geopandas' output, so an online pull
    records its own hash)."""

    def derive(upstream: bytes) -> bytes:
        if upstream[:6] == b"7z\xbc\xaf\x27\x1c":
            raise ValueError("the upstream layer is a 7z archive, which this connector does not unpack; "
                             "pull natural_earth from a mirror (LMC_MIRROR)")
        doc = json.loads(upstream.decode("utf-8"))
        doc["features"] = [f for f in doc.get("features", []) if f.get("geometry")
                           and predicate(f.get("properties") or {}, f["geometry"])]
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    return derive


def _lmc_country(props: dict[str, Any], _geom: dict[str, Any]) -> bool:
    return props.get("ADM0_A3") in LMC_COUNTRIES


def _in_box(_props: dict[str, Any], geom: dict[str, Any]) -> bool:
    return _intersects_box(geom)


def _places_lmc(key: str) -> Callable[[dict[str, Any], dict[str, Any]], bool]:
    return lambda props, _geom: props.get(key) in LMC_COUNTRIES


def _ne_file(path: str, upstream: str, sha256: str, size: int,
             keep: Callable[[dict[str, Any], dict[str, Any]], bool]) -> SourceFile:
    return SourceFile(f"natural_earth/{path}", github_raw(REPO, upstream), sha256, derived=True, derive=_keep(keep),
                      bytes=size)


COUNTRIES = _ne_file("ne_50m_admin_0_countries_lmc6.geojson", "50m/cultural/ne_50m_admin_0_countries.7z",
                     "33b0c2f7ac581906640dbbbc3fdb1fb87233c4327cb462c977c0e87039e5612f", 149911, _lmc_country)
CONTEXT = _ne_file("ne_50m_admin_0_countries_bbox90-112_5-30_clipped.geojson",
                   "50m/cultural/ne_50m_admin_0_countries.7z",
                   "2a76b282b71b1ea127d114fd309183039ac0dc43aeb8c29706964e6ae819c2df", 126993, _in_box)
"""Clipped to the box by geopandas in the mirror; an online derivation keeps the intersecting countries whole."""
RIVERS_10M = _ne_file("ne_10m_rivers_lake_centerlines_bbox90-112_5-30.geojson",
                      "10m/physical/ne_10m_rivers_lake_centerlines.7z",
                      "d7d8546c16eab8b751ced9a912d92eb513e76a097767ec153007b3c2b376a861", 486940, _in_box)
RIVERS_50M = _ne_file("ne_50m_rivers_lake_centerlines_bbox90-112_5-30.geojson",
                      "50m/physical/ne_50m_rivers_lake_centerlines.json",
                      "4df1b9f1088051fe0dca97f68308a42aa6dfcb8454265367f16c839be347fdb3", 56457, _in_box)
LAKES = _ne_file("ne_10m_lakes_bbox90-112_5-30.geojson", "10m/physical/ne_10m_lakes.7z",
                 "e12ad66a7d59972c4e047e7f872e557ac1bf089f6a135a0d0eb56d0abad55282", 44144, _in_box)
BORDERS = _ne_file("ne_10m_admin_0_boundary_lines_land_bbox90-112_5-30.geojson",
                   "10m/cultural/ne_10m_admin_0_boundary_lines_land.json",
                   "f2a5a7c62cc22e51399aae70d5c106fc76059302260a6a5ec262a02c2de532ea", 190934, _in_box)
PROVINCE_POINTS = _ne_file("ne_10m_admin_1_label_points_lmc6.geojson", "10m/cultural/ne_10m_admin_1_label_points.7z",
                           "7412b77c6c17e04f19d74f4ae787239909edb734a45258a9b8cbe136b76b405e", 191695,
                           _places_lmc("sr_adm0_a3"))
PLACES = _ne_file("ne_10m_populated_places_simple_lmc6.geojson", "10m/cultural/ne_10m_populated_places_simple.7z",
                  "0baa65159672db99994a2616a9e49bd04171ea8e1d4bd6784f03a160ded15c78", 502430, _places_lmc("adm0_a3"))

# ------------------------------------------------------------------------------------------------ tables
GEOMETRY = {"geometry_type": "VARCHAR", "geometry": "VARCHAR", "min_lon": "DOUBLE", "min_lat": "DOUBLE",
            "max_lon": "DOUBLE", "max_lat": "DOUBLE"}
_GEOM_NOTE = " Geometry as GeoJSON text (WGS84) with its bounding box."

T_COUNTRIES = TableSpec(
    "ne_countries", {"iso3": "VARCHAR", "name": "VARCHAR", "name_long": "VARCHAR", "formal_en": "VARCHAR",
                     **GEOMETRY},
    "The six LMC countries, whole (Natural Earth 50m admin-0, de-facto boundaries)." + _GEOM_NOTE, ("iso3",),
    files=(COUNTRIES.path,))
T_CONTEXT = TableSpec(
    "ne_countries_context", {"iso3": "VARCHAR", "name": "VARCHAR", "lmc": "BOOLEAN", **GEOMETRY},
    "Every country in lon 90-112, lat 5-30, clipped to that box: the map's land, neighbours included." + _GEOM_NOTE,
    ("iso3",), files=(CONTEXT.path,))
T_RIVERS = TableSpec(
    "ne_rivers", {"resolution": "VARCHAR", "feature": "INTEGER", "name": "VARCHAR", "name_en": "VARCHAR",
                  "featurecla": "VARCHAR", "scalerank": "DOUBLE", **GEOMETRY},
    "Rivers and lake centrelines meeting the box, at 10m and 50m (feature = position in its file); "
    "name 'Lancang' and 'Mekong' are the Lancang-Mekong." + _GEOM_NOTE, ("resolution", "feature"),
    files=(RIVERS_10M.path, RIVERS_50M.path))
T_LAKES = TableSpec(
    "ne_lakes", {"feature": "INTEGER", "name": "VARCHAR", "featurecla": "VARCHAR", "scalerank": "DOUBLE", **GEOMETRY},
    "Lakes and reservoirs meeting the box (Tonle Sap, Nam Ngum, ...)." + _GEOM_NOTE, ("feature",),
    files=(LAKES.path,))
T_BORDERS = TableSpec(
    "ne_land_borders", {"feature": "INTEGER", "iso3_left": "VARCHAR", "iso3_right": "VARCHAR",
                        "featurecla": "VARCHAR", **GEOMETRY},
    "International land boundary lines meeting the box (10m)." + _GEOM_NOTE, ("feature",), files=(BORDERS.path,))
T_PROVINCE_POINTS = TableSpec(
    "ne_province_points", {"feature": "INTEGER", "adm1_code": "VARCHAR", "iso3": "VARCHAR", "name": "VARCHAR", "lon": "DOUBLE",
                           "lat": "DOUBLE"},
    "Label points (not polygons) of the six countries' first-level units (a unit may have several).", ("feature",),
    files=(PROVINCE_POINTS.path,))
T_PLACES = TableSpec(
    "ne_places", {"feature": "INTEGER", "iso3": "VARCHAR", "name": "VARCHAR", "admin1": "VARCHAR",
                  "capital": "BOOLEAN", "pop_max": "BIGINT", "lon": "DOUBLE", "lat": "DOUBLE"},
    "Towns and cities of the six countries (capital = national capital).", ("feature",), files=(PLACES.path,))


def _countries(path: Path) -> pd.DataFrame:
    rows = [{"iso3": p.get("ADM0_A3"), "name": p.get("NAME"), "name_long": _text(p.get("NAME_LONG")),
             "formal_en": _text(p.get("FORMAL_EN")), **_geometry_columns(g)} for _, p, g in features(path, POLYGONS)]
    return pd.DataFrame(rows)


def _context(path: Path) -> pd.DataFrame:
    rows = [{"iso3": p.get("ADM0_A3"), "name": p.get("NAME"), "lmc": p.get("ADM0_A3") in LMC_COUNTRIES,
             **_geometry_columns(g)} for _, p, g in features(path, POLYGONS)]
    return pd.DataFrame(rows)


def _rivers(path: Path, resolution: str) -> pd.DataFrame:
    rows = [{"resolution": resolution, "feature": i, "name": _text(p.get("name")), "name_en": _text(p.get("name_en")),
             "featurecla": _text(p.get("featurecla")), "scalerank": p.get("scalerank"), **_geometry_columns(g)}
            for i, p, g in features(path, LINES)]
    return pd.DataFrame(rows)


def _lakes(path: Path) -> pd.DataFrame:
    rows = [{"feature": i, "name": _text(p.get("name")), "featurecla": _text(p.get("featurecla")),
             "scalerank": p.get("scalerank"), **_geometry_columns(g)} for i, p, g in features(path, POLYGONS)]
    return pd.DataFrame(rows)


def _borders(path: Path) -> pd.DataFrame:
    rows = [{"feature": i, "iso3_left": _text(p.get("adm0_a3_l")), "iso3_right": _text(p.get("adm0_a3_r")),
             "featurecla": _text(p.get("featurecla")), **_geometry_columns(g)} for i, p, g in features(path, LINES)]
    return pd.DataFrame(rows)


def _points(path: Path, row: Callable[[int, dict[str, Any]], dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame([{**row(i, p), "lon": g["coordinates"][0], "lat": g["coordinates"][1]}
                         for i, p, g in features(path, POINTS)])


def _required(df: pd.DataFrame, cols: tuple[str, ...], path: Path) -> pd.DataFrame:
    """A feature lacking its key attribute is named (position in the file) rather than loaded with a null key."""
    for col in cols:
        bad = df[col].isna()
        if bad.any():
            raise ParseError(f"{path}: feature {int(bad.to_numpy().nonzero()[0][0])}: property for {col!r} is missing")
    return df


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = {f.path: file_for(paths, f) for f in SOURCE_FILES}
    rivers = pd.concat([_rivers(p[RIVERS_10M.path], "10m"), _rivers(p[RIVERS_50M.path], "50m")], ignore_index=True)
    prov = _points(p[PROVINCE_POINTS.path], lambda i, q: {"feature": i, "adm1_code": q.get("adm1_code"), "iso3": q.get("sr_adm0_a3"),
                                                          "name": _text(q.get("name"))})
    places = _points(p[PLACES.path], lambda i, q: {"feature": i, "iso3": q.get("adm0_a3"), "name": q.get("name"),
                                                   "admin1": _text(q.get("adm1name")),
                                                   "capital": bool(q.get("adm0cap")), "pop_max": q.get("pop_max")})
    return {
        T_COUNTRIES.name: conform(_required(_countries(p[COUNTRIES.path]), ("iso3", "name"), COUNTRIES.path),
                                  T_COUNTRIES),
        T_CONTEXT.name: conform(_required(_context(p[CONTEXT.path]), ("iso3", "name"), CONTEXT.path), T_CONTEXT),
        T_RIVERS.name: conform(rivers, T_RIVERS),
        T_LAKES.name: conform(_lakes(p[LAKES.path]), T_LAKES),
        T_BORDERS.name: conform(_borders(p[BORDERS.path]), T_BORDERS),
        T_PROVINCE_POINTS.name: conform(_required(prov, ("adm1_code", "iso3"), PROVINCE_POINTS.path),
                                        T_PROVINCE_POINTS),
        T_PLACES.name: conform(_required(places, ("iso3", "name"), PLACES.path), T_PLACES),
    }


SOURCE_FILES = (COUNTRIES, CONTEXT, RIVERS_10M, RIVERS_50M, LAKES, BORDERS, PROVINCE_POINTS, PLACES)
LAYERS: dict[str, str] = {
    T_CONTEXT.name: "admin-0 countries 50m (clipped to the region)", T_COUNTRIES.name: "admin-0 countries 50m",
    T_RIVERS.name: "rivers and lake centrelines 10m/50m", T_LAKES.name: "lakes 10m",
    T_BORDERS.name: "admin-0 land boundary lines 10m", T_PROVINCE_POINTS.name: "admin-1 label points 10m",
    T_PLACES.name: "populated places 10m",
}
"""Human names of the Natural Earth layers, by table (maps list the ones they draw in their sources)."""

SOURCE = Source(
    id="natural_earth",
    title="Natural Earth: countries, rivers, lakes, land borders, province points and towns of the region",
    publisher="Natural Earth (naturalearthdata.com), GeoJSON by martynafford/natural-earth-geojson",
    homepage="https://www.naturalearthdata.com",
    licence="Public domain (Natural Earth); repository CC0",
    files=SOURCE_FILES,
    tables=(T_COUNTRIES, T_CONTEXT, T_RIVERS, T_LAKES, T_BORDERS, T_PROVINCE_POINTS, T_PLACES),
    parse=parse,
    coverage="NE v4.0.0 (2017); lon 90-112, lat 5-30 and the six LMC countries",
    notes="Boundaries are Natural Earth's de-facto lines. No admin-1 polygons (points only). Credit: "
          "'Made with Natural Earth'. Four layers are 7z archives upstream: an online pull needs a mirror for them.",
)
