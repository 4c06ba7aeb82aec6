"""Every connector's declaration agrees with the mirror's MANIFEST: ids, paths, hashes, sizes, download URLs."""

from __future__ import annotations

import re

import pytest
from source_ids import CONNECTOR_IDS

from lmc.sources.registry import all_sources

RAW = re.compile(r"^https://raw\.githubusercontent\.com/([^/]+/[^/]+)/([0-9a-f]{40})/.+")


def test_every_connector_source_id_is_declared(manifest):
    manifest_ids = {row["source_id"] for row in manifest.values()}
    declared = set(all_sources())
    for sid in CONNECTOR_IDS:
        assert sid in manifest_ids, f"{sid} is not a MANIFEST source_id"
        assert sid in declared, f"no connector declares {sid}"


@pytest.mark.parametrize("source_id", CONNECTOR_IDS)
def test_files_match_the_manifest(source_id, manifest):
    source = all_sources()[source_id]
    assert source.publisher and source.licence and source.homepage and source.tables
    for f in source.files:
        assert f.path in manifest, f"{source_id}: {f.path} not in MANIFEST"
        row = manifest[f.path]
        assert row["source_id"] == source_id
        assert f.sha256 == row["sha256"], f.path
        assert f.bytes == int(row["bytes"]), f.path
        assert f.derived == row["description"].startswith("DERIVED") or f.path.endswith("commit_history.csv"), f.path
        if f.derived:
            assert callable(f.derive), f"{f.path} is DERIVED but has no derive function"


@pytest.mark.parametrize("source_id", CONNECTOR_IDS)
def test_byte_exact_files_download_from_the_pinned_commit(source_id, manifest):
    """A byte-exact copy of a GitHub file downloads from that repository at that commit (ASEM: path unknown)."""
    source = all_sources()[source_id]
    for f in source.files:
        if f.derived or source_id == "asem_connectivity_jrc":
            continue
        m = RAW.match(f.url)
        assert m, f"{f.path}: {f.url} is not a raw GitHub URL"
        repo, commit = manifest[f.path]["github_repo_and_commit"].split("@")
        commit = commit.split()[0]  # some rows add " (path '...')" after the commit
        assert m.group(1) == repo and m.group(2) == commit, f"{f.path}: {f.url} is not at {repo}@{commit}"


def test_table_names_are_unique_across_sources():
    seen: dict[str, str] = {}
    for source in all_sources().values():
        for t in source.tables:
            assert t.name not in seen, f"table {t.name} declared by {seen.get(t.name)} and {source.id}"
            seen[t.name] = source.id


def test_fixed_table_names_and_columns_others_rely_on():
    tables = {t.name: t for s in all_sources().values() for t in s.tables}
    expected = {
        "unesco_sites": ["id_no", "name_en", "category", "date_inscribed", "latitude", "longitude", "iso3_list",
                         "transboundary"],
        "unesco_site_countries": ["id_no", "iso3"],
        "visa_requirements": ["snapshot_date", "passport", "destination", "requirement_raw", "openness",
                              "max_stay_days"],
        "cepii_dist": ["iso_o", "iso_d", "contig", "comlang_off", "comlang_ethno", "colony", "comcol", "smctry", "dist",
                       "distcap", "distw", "distwces"],
        "wdi": ["iso3", "indicator", "year", "value"],
        "migrant_stock": ["year", "origin", "destination", "stock"],
        "thailand_arrivals": ["year", "origin_iso3", "nationality", "arrivals", "provisional", "source_file"],
        "twin_cities": ["city1", "iso3_1", "city2", "iso3_2", "lat1", "lng1", "lat2", "lng2"],
        "oxcgrt_stringency_daily": [], "oxcgrt_c8_daily": [], "openflights_airports": [], "openflights_routes": [],
        "openflights_airlines": [], "glottolog_languages": [], "countries": [], "provinces": [], "key_figures": [],
        "railway_stations_cn": [],
    }  # fmt: skip
    for name, cols in expected.items():
        assert name in tables, f"no source declares table {name}"
        assert list(tables[name].columns)[: len(cols)] == cols, name
