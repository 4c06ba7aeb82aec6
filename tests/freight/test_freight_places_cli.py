"""`lmc corridor places`: at least 12 sourced places, as JSON, CSV or GeoJSON; unknown filters exit 2."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lmc.cli import app
from lmc.freight.places import places_layer

runner = CliRunner()


def test_json_lists_every_place_with_sources():
    r = runner.invoke(app, ["corridor", "places", "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["count"] >= 12 and d["columns"]["name_en"]["zh"]
    assert all(p["source"]["url"].startswith("http") for p in d["places"])


def test_csv_filter_and_geojson(tmp_path):
    out = tmp_path / "places.geojson"
    r = runner.invoke(app, ["corridor", "places", "--format", "csv", "--country", "THA", "--geojson", str(out)])
    assert r.exit_code == 0, r.output
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("place,name_en,name_zh,type") and len(lines) == 3
    gj = json.loads(out.read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 2
    lon, lat = gj["features"][0]["geometry"]["coordinates"]
    assert 97 < lon < 107 and 12 < lat < 27.5


def test_unknown_type_exits_2_with_a_suggestion():
    r = runner.invoke(app, ["corridor", "places", "--type", "dryport"])
    assert r.exit_code == 2 and "Did you mean 'dry_port'" in r.output


def test_layer_frame_and_labels():
    layer = places_layer(types=("sez",))
    df = layer.to_frame()
    assert set(df.type) == {"sez"} and set(layer.labels("zh")) == set(df.columns)
