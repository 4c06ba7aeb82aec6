"""Natural Earth layers: tidy tables with known features, a malformed feature named by file and position, an
atomic load that keeps the previous tables when a file is bad, and derivation from an upstream layer."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from lmc import LMC_COUNTRIES
from lmc.errors import ParseError
from lmc.sources import natural_earth as ne
from lmc.warehouse.db import read_table
from lmc.warehouse.ingest import pull


def test_tables_hold_the_known_features(parsed, manifest):
    t = parsed("natural_earth")
    assert sorted(t["ne_countries"]["iso3"]) == sorted(LMC_COUNTRIES)
    ctx = t["ne_countries_context"]
    assert len(ctx) == int(manifest[ne.CONTEXT.path]["rows"]) == 11
    assert set(ctx.loc[~ctx["lmc"], "iso3"]) == {"IND", "BGD", "BTN", "IDN", "MYS"}
    rivers = t["ne_rivers"]
    assert len(rivers) == int(manifest[ne.RIVERS_10M.path]["rows"]) + int(manifest[ne.RIVERS_50M.path]["rows"])
    mekong = rivers[(rivers["resolution"] == "10m") & rivers["name"].isin(["Lancang", "Mekong"])]
    assert len(mekong) == 2 and (mekong["scalerank"] == 2).all()
    assert "Tonle Sap" in set(t["ne_lakes"]["name"])
    pairs = {frozenset(x) for x in zip(t["ne_land_borders"]["iso3_left"], t["ne_land_borders"]["iso3_right"])}
    assert frozenset({"CHN", "LAO"}) in pairs and frozenset({"LAO", "THA"}) in pairs
    assert len(t["ne_province_points"]) == 507 and len(t["ne_places"]) == 609
    caps = t["ne_places"][t["ne_places"]["capital"]]
    assert dict(zip(caps["iso3"], caps["name"]))["LAO"] == "Vientiane"
    # geometry is GeoJSON text whose bounding box is the one stored beside it (Laos: about 100-107.7 E, 13.9-22.5 N)
    lao = t["ne_countries"].set_index("iso3").loc["LAO"]
    assert json.loads(lao["geometry"])["type"] in ("Polygon", "MultiPolygon")
    assert 100 < lao["min_lon"] < 100.2 and 107.5 < lao["max_lon"] < 107.8 and 22.3 < lao["max_lat"] < 22.6


def _bad_copy(copy_of, rel: str, edit) -> object:
    path = copy_of(rel)
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc["features"])
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _parse_with(path, mirror_dir, rel):
    paths = {f.path: mirror_dir / f.path for f in ne.SOURCE.files}
    paths[rel] = path
    return ne.SOURCE.parse(paths)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda fs: fs[0]["geometry"].update(type="Point"), r"feature 0 \(Tonle Sap\): geometry is Point"),
    (lambda fs: fs[3].update(geometry=None), r"feature 3: geometry is no geometry"),
    (lambda fs: fs[0]["geometry"]["coordinates"][0].__setitem__(2, [104.1, 95.0]),
     r"feature 0 \(Tonle Sap\): coordinate \(104.1, 95.0\) is not a longitude/latitude"),
    (lambda fs: fs[1]["geometry"]["coordinates"][0].__setitem__(1, ["x", 1]), r"feature 1 \(Yamzho Yumco\): coord"),
])
def test_a_malformed_feature_is_named_by_file_and_position(copy_of, mirror_dir, edit, message):
    rel = ne.LAKES.path
    path = _bad_copy(copy_of, rel, edit)
    with pytest.raises(ParseError, match=rf"{rel}: {message}"):
        _parse_with(path, mirror_dir, rel)


def test_not_a_feature_collection_is_refused(copy_of, mirror_dir):
    rel = ne.BORDERS.path
    path = copy_of(rel)
    path.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(ParseError, match="not a GeoJSON FeatureCollection"):
        _parse_with(path, mirror_dir, rel)


def test_a_bad_file_keeps_the_loaded_tables(tmp_path, mirror_dir):
    """Atomic load: a layer with a malformed feature (a publisher revision, so no recorded hash to reject it first)
    fails the pull naming file and feature, and the warehouse keeps the previous Natural Earth tables."""
    import dataclasses

    from lmc.config import load_settings

    settings = load_settings(home=tmp_path / "home", warehouse=tmp_path / "home" / "wh.duckdb",
                             mirrors=(str(mirror_dir),), offline=True)
    assert pull(["natural_earth"], settings).ok
    before = read_table("ne_lakes", settings)
    bad = tmp_path / "bad_mirror"
    for f in ne.SOURCE.files:
        (bad / f.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror_dir / f.path, bad / f.path)
    doc = json.loads((bad / ne.LAKES.path).read_text(encoding="utf-8"))
    doc["features"][5]["geometry"]["coordinates"] = [[["a", "b"]]]
    (bad / ne.LAKES.path).write_text(json.dumps(doc), encoding="utf-8")
    revised = dataclasses.replace(ne.SOURCE, files=tuple(dataclasses.replace(f, sha256=None) if f is ne.LAKES else f
                                                          for f in ne.SOURCE.files))
    only_bad = settings.model_copy(update={"home": tmp_path / "home2", "mirrors": (str(bad),)})
    with pytest.raises(ParseError, match=r"ne_10m_lakes.*feature 5 \(Ubolratna Reservoir\): coordinate"):
        pull(["natural_earth"], only_bad, registry={"natural_earth": revised}, keep_going=False)
    pd.testing.assert_frame_equal(read_table("ne_lakes", settings), before)


def test_derive_keeps_the_features_of_the_region(mirror_dir):
    """Fed a layer with features inside and outside the box, the derivation keeps the same features as the mirror."""
    up = json.loads((mirror_dir / ne.RIVERS_50M.path).read_text(encoding="utf-8"))
    far = {"type": "Feature", "properties": {"name": "Rhine"},
           "geometry": {"type": "LineString", "coordinates": [[7.5, 47.5], [8.5, 50.0]]}}
    up["features"].append(far)
    out = json.loads(ne.RIVERS_50M.derive(json.dumps(up).encode()))
    assert len(out["features"]) == int(ne.RIVERS_50M.bytes and 24)
    assert "Rhine" not in {f["properties"]["name"] for f in out["features"]}
    with pytest.raises(ValueError, match="7z archive"):
        ne.LAKES.derive(b"7z\xbc\xaf\x27\x1c" + b"\0" * 20)
