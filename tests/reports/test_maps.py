"""The report's maps: real polygons from the Natural Earth tables (land, sea and neighbours visible as their own
colours in the PNG), the railway and crossings drawn, credited to Natural Earth in the PDF, and the GeoJSON the web
serves built from the same layers."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import image
from pypdf import PdfReader

from lmc.reports import maps
from lmc.reports.geo import geojson, load_layers, simplify


@pytest.fixture(scope="module")
def layers(pulled_warehouse):
    return load_layers(pulled_warehouse)


def _share(png, hex_colour: str, tol: int = 6) -> float:
    """Share of the image's pixels within ``tol`` (0-255 per channel) of a colour."""
    rgb = (image.imread(str(png))[..., :3] * 255).astype(int)
    want = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(rgb - want).max(axis=-1) <= tol).mean())


def test_report_map_has_land_sea_and_neighbour_polygons(sci_report_build):
    png = sci_report_build.out_dir / "report_assets" / "map_en.png"
    land, sea, grey = _share(png, maps.LAND_LMC), _share(png, maps.SEA), _share(png, maps.LAND_OTHER)
    # the six countries cover most of the frame; the Andaman Sea, Gulf of Thailand and South China Sea about a
    # quarter; India and Bangladesh (neighbours, grey) a corner. A scatter plot on white has none of these.
    assert 0.35 < land < 0.75, land
    assert 0.12 < sea < 0.40, sea
    assert 0.003 < grey < 0.08, grey
    assert _share(png, maps.RAIL, tol=20) > 0.001  # the railway line is drawn


def test_every_report_map_is_drawn_and_credited(sci_report_build):
    out = sci_report_build.out_dir
    for lang in ("en", "zh"):
        html = (out / f"report_{lang}.html").read_text(encoding="utf-8")
        for name in ("map", "map_scores", "map_corridor"):
            assert f"report_assets/{name}_{lang}.png" in html and (out / "report_assets" / f"{name}_{lang}.png").is_file()
        assert "Natural Earth" in html and "naturalearthdata.com" in html  # the layers are listed in the sources
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(out / "report_en.pdf")).pages)
    assert "Made with Natural Earth" in text and "Natural Earth 1:10m lakes" in text


def test_layers_hold_the_river_the_lake_the_line_and_the_crossings(layers):
    assert {s.name for s in layers.rivers if s.major} == {"Lancang", "Mekong"}
    assert "Tonle Sap" in {s.name for s in layers.lakes}
    assert {s.key for s in layers.land if s.lmc} == {"CHN", "MMR", "LAO", "THA", "KHM", "VNM"}
    assert layers.rail[0][0] == "KMS" and layers.rail[0][-1] == "VTE" and layers.rail[1][-1] == "KTA"
    assert ("MOH", "BOT") in layers.crossings
    assert layers.anchors["CHN"][2] == "Kunming" and layers.anchors["LAO"][2] == "Vientiane"
    # Kunming's province point is Kunming South station; Xishuangbanna's the mean of its five stations
    assert layers.provinces["CN-YN-KM"] == pytest.approx((102.8603804, 24.8733628))


def test_geojson_layers_are_feature_collections(layers):
    land = geojson(layers, "land", tolerance=0.03)
    assert land["type"] == "FeatureCollection" and land["attribution"] == "Made with Natural Earth"
    lao = next(f for f in land["features"] if f["properties"]["id"] == "LAO")
    assert lao["properties"]["lmc"] is True and lao["geometry"]["type"] == "MultiPolygon"
    rail = geojson(layers, "rail")
    assert rail["features"][0]["geometry"]["coordinates"][0] == [102.8603804, 24.8733628]


def test_simplify_keeps_ends_and_drops_points_within_tolerance():
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (3.0, 1.0)]
    assert simplify(line, 0.05) == [(0.0, 0.0), (2.0, 0.0), (3.0, 1.0)]
    assert simplify(line, 0.001) == line
