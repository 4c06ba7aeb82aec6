"""Every declared connector, pulled once from the shared mirror (the session fixture): loads, provenance, schema."""

from __future__ import annotations

import re

import pytest

from lmc.sources.registry import all_sources
from lmc.warehouse.db import connect, read_table
from lmc.warehouse.query import status

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def test_every_declared_source_loads_from_the_mirror(warehouse_pull_report):
    failed = {s["source"]: s["error"] for s in warehouse_pull_report["sources"] if not s["ok"]}
    assert not failed, "\n".join(f"{k}: {v}" for k, v in failed.items())


def test_at_least_twelve_sources_with_rows_years_and_licences(pulled_warehouse):
    frame = status(pulled_warehouse).to_frame()
    loaded = frame[frame["rows"].notna() & (frame["rows"] > 0)]
    assert len(loaded) >= 12, f"only {len(loaded)} sources loaded: {list(loaded['source'])}"
    assert (loaded["licence"].str.len() > 0).all()
    with_years = loaded[loaded["years"] != ""]
    assert len(with_years) >= 10, list(loaded[loaded["years"] == ""]["source"])


def test_provenance_has_every_file_with_its_hash(pulled_warehouse):
    prov = read_table("provenance", pulled_warehouse)
    have = set(zip(prov["source"], prov["file"], strict=True))
    for source in all_sources().values():
        for f in source.files:
            if f.optional:
                continue
            assert (source.id, f.path) in have, f"{source.id}: {f.path} not in provenance"
    assert prov["sha256"].map(lambda h: bool(HEX64.match(h))).all()
    mirrored = prov[prov["expected_sha256"].notna()]
    bad = mirrored[~mirrored["hash_ok"].astype(bool)]
    assert bad.empty, bad[["source", "file", "sha256", "expected_sha256"]].to_string()
    assert (prov["bytes"] > 0).all() and prov["retrieved_at"].notna().all() and prov["licence"].notna().all()


@pytest.mark.parametrize("source_id", sorted(all_sources()))
def test_declared_tables_exist_with_declared_columns_and_rows(pulled_warehouse, source_id):
    source = all_sources()[source_id]
    con = connect(pulled_warehouse)
    try:
        for spec in source.tables:
            cols = con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema='main' AND table_name=? "
                "ORDER BY ordinal_position", [spec.name]).fetchall()
            assert [c for (c,) in cols] == list(spec.columns), spec.name
        n = sum(con.execute(f'SELECT count(*) FROM main."{t.name}"').fetchall()[0][0] for t in source.tables)
    finally:
        con.close()
    assert n > 0, f"{source_id}: no rows at all"


def test_observations_view_is_well_formed(pulled_warehouse):
    con = connect(pulled_warehouse)
    try:
        cols = [d[0] for d in con.execute("SELECT * FROM observations LIMIT 0").description]
        nulls = con.execute("SELECT count(*) FROM observations WHERE indicator IS NULL OR unit IS NULL "
                            "OR year IS NULL OR source IS NULL").fetchall()[0][0]
        sources = {s for (s,) in con.execute("SELECT DISTINCT source FROM observations").fetchall()}
    finally:
        con.close()
    assert cols == ["indicator", "unit", "year", "value", "source"]
    assert nulls == 0
    assert sources <= set(all_sources())
