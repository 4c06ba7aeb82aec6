"""The corrupted-file matrix: five sources, five corruptions, on the mirror path and on the publisher path.

Every case runs ``lmc data pull`` in a subprocess over a warehouse that already holds good tables, with one file of
each of the five sources damaged the same way. On the mirror path a damaged copy fails its recorded sha256; on the
publisher path (a local HTTP server, see ``publisher_driver.py``) the bytes are accepted as a revision and must be
refused by parsing or by the row guards. Either way: exit code 2, an error per source naming its file and the
reason, no traceback, and the warehouse exactly as before (row counts and provenance).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from faultkit import isolated_env, no_traceback, run_lmc
from mutations import MUTATIONS, mutate

from lmc.config import load_settings
from lmc.sources.registry import all_sources
from lmc.warehouse.ingest import pull

# source -> (damaged file, the column renamed, the numeric column given a bad value)
MATRIX = {
    "owid": ("owid/share-of-individuals-using-the-internet.csv", "Year", "Year"),
    "un_desa_migrant_stock": ("un_desa_migrant_stock/UN_MigrantStockByOriginAndDestination_2019_clean.csv",
                              "Japan", "Year"),
    "sister_cities": ("sister_cities/twin_cities_geocoded.csv", "country2", "lat1"),
    "china_railway_stations": ("rail_bus/china_railway_stations_osm.csv", "lat", "lon"),
    "glottolog": ("glottolog/languages.csv", "Glottocode", "Latitude"),
}
EXTRA = ("openflights", "passport_index")  # loaded in the baseline too, for the single cases below

# what the error must say, per path and corruption (one of these)
MIRROR_REASONS = {"truncate": ("truncated",), "flip": ("not UTF-8", "content differs"),
                  "rename": ("sha256",), "bad_value": ("sha256",), "delete": ("no such file",)}
PUBLISHER_REASONS = {"truncate": ("would shrink", "fewer than", "stale?"),
                     "flip": ("not valid utf-8", "fields in line", "can't decode"),
                     "rename": ("missing column", "not a country name", "is missing"),
                     "bad_value": ("is not a number",), "delete": ("HTTP 404",)}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, mirror_dir: Path) -> Path:
    """A warehouse holding the matrix's sources (and openflights, passport_index), pulled from the real mirror."""
    home = tmp_path_factory.mktemp("baseline")
    settings = load_settings(home=home, warehouse=home / "warehouse.duckdb", mirrors=(str(mirror_dir),),
                             offline=True)
    res = pull([*MATRIX, *EXTRA], settings)
    assert res.ok, res.failed
    return settings.warehouse


def snapshot(warehouse: Path, sources: list[str]) -> dict[str, object]:
    """Rows of every table of these sources, and their provenance rows."""
    reg = all_sources()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = {t.name: con.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
                for s in sources for t in reg[s].tables}
        prov = con.execute("SELECT source, file, sha256, rows, retrieved_at FROM provenance WHERE list_contains(?, "
                           "source) ORDER BY ALL", [sources]).fetchall()
    finally:
        con.close()
    return {"rows": rows, "provenance": prov}


def copy_warehouse(baseline: Path, tmp_path: Path) -> Path:
    wh = tmp_path / "warehouse.duckdb"
    shutil.copyfile(baseline, wh)
    return wh


def source_files(mirror_dir: Path, sources: list[str], damage: dict[str, bytes | None]) -> dict[str, object]:
    """Every declared file of these sources: its declaration and its bytes (damaged where ``damage`` says)."""
    reg = all_sources()
    out = {}
    for sid in sources:
        for f in reg[sid].files:
            data = damage[f.path] if f.path in damage else (
                (mirror_dir / f.path).read_bytes() if (mirror_dir / f.path).is_file() else None)
            out[f.path] = (f, data)
    return out


def write_mirror(root: Path, files: dict[str, object]) -> Path:
    for rel, (_, data) in files.items():
        if data is not None:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
    return root


def serve(publisher, files: dict[str, object]) -> None:
    """The publisher serves each non-derived file at its declared URL (derived files come from those)."""
    for _, (f, data) in files.items():
        if data is not None and not f.derived:
            publisher.serve(f.url, data)


def pull_json(args: list[str], env, tmp_path: Path, port: int | None = None):
    proc = run_lmc(["data", "pull", *args, "--format", "json"], env, cwd=tmp_path, publisher_port=port)
    no_traceback(proc)
    return proc, json.loads(proc.stdout) if proc.stdout.strip() else None


@pytest.mark.parametrize("route", ["mirror", "publisher"])
@pytest.mark.parametrize("kind", MUTATIONS)
def test_a_corrupted_file_is_refused_and_the_warehouse_is_unchanged(kind, route, baseline, tmp_path, mirror_dir,
                                                                     publisher):
    sources = list(MATRIX)
    wh = copy_warehouse(baseline, tmp_path)
    before = snapshot(wh, sources)
    damage = {file: mutate(kind, (mirror_dir / file).read_bytes(), rename if kind == "rename" else bad)
              for file, rename, bad in MATRIX.values()}
    files = source_files(mirror_dir, sources, damage)
    if route == "mirror":
        env = isolated_env(tmp_path / "home", mirror=write_mirror(tmp_path / "mirror", files), warehouse=wh)
        proc, report = pull_json(sources, env, tmp_path)
    else:
        serve(publisher, files)
        env = isolated_env(tmp_path / "home", offline=False, warehouse=wh)
        proc, report = pull_json(sources, env, tmp_path, publisher.port)
    assert proc.returncode == 2, proc.stderr[-2000:]
    reasons = (MIRROR_REASONS if route == "mirror" else PUBLISHER_REASONS)[kind]
    by_source = {s["source"]: s for s in report["sources"]}
    for sid, (file, _, _) in MATRIX.items():
        err = by_source[sid]["error"] or ""
        assert not by_source[sid]["ok"], (sid, kind, route)
        assert Path(file).name in err, (sid, err)
        assert any(r in err for r in reasons), (sid, kind, route, err)
        assert f"error: {err[:80]}" in proc.stderr  # also told on stderr
    assert snapshot(wh, sources) == before


def test_the_same_files_undamaged_load_on_the_publisher_path(baseline, tmp_path, mirror_dir, publisher):
    """The control: the publisher path itself works (so the refusals above are about the damage)."""
    sources = list(MATRIX)
    wh = copy_warehouse(baseline, tmp_path)
    before = snapshot(wh, sources)["rows"]
    serve(publisher, source_files(mirror_dir, sources, {}))
    proc, report = pull_json(sources, isolated_env(tmp_path / "home", offline=False, warehouse=wh), tmp_path,
                             publisher.port)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert all(s["ok"] for s in report["sources"])
    assert snapshot(wh, sources)["rows"] == before


def test_truncated_routes_from_the_publisher_are_refused(baseline, tmp_path, mirror_dir, publisher):
    """The reported case: routes.dat cut to about half used to replace 67,663 routes by 34,215."""
    wh = copy_warehouse(baseline, tmp_path)
    before = snapshot(wh, ["openflights"])
    routes = (mirror_dir / "openflights/routes.dat").read_bytes().splitlines(keepends=True)
    files = source_files(mirror_dir, ["openflights"], {"openflights/routes.dat": b"".join(routes[:34_215])})
    serve(publisher, files)
    proc, report = pull_json(["openflights"], isolated_env(tmp_path / "home", offline=False, warehouse=wh),
                             tmp_path, publisher.port)
    assert proc.returncode == 2
    err = report["sources"][0]["error"]
    assert "file openflights/routes.dat (from https://raw.githubusercontent.com/" in err
    assert "table openflights_routes has 34,215 rows, fewer than the 60,000 a complete copy gives" in err
    assert "would shrink from 67,663 to 34,215 rows (-49%)" in err
    assert snapshot(wh, ["openflights"]) == before


@pytest.mark.parametrize("damage", ["missing", "changed"])
def test_passport_commit_history_missing_or_changed_keeps_its_57_rows(damage, baseline, tmp_path, mirror_dir):
    """The reported case: the optional commit list gone (or not the recorded copy) used to empty the table."""
    wh = copy_warehouse(baseline, tmp_path)
    assert snapshot(wh, ["passport_index"])["rows"]["passport_index_commits"] == 57
    history = "passport_index/tidy_csv_commit_history.csv"
    data = None if damage == "missing" else (mirror_dir / history).read_bytes().replace(b"2025", b"2024", 1)
    mirror = write_mirror(tmp_path / "mirror", source_files(mirror_dir, ["passport_index"], {history: data}))
    proc, report = pull_json(["passport_index"], isolated_env(tmp_path / "home", mirror=mirror, warehouse=wh),
                             tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert report["sources"][0]["ok"]
    assert snapshot(wh, ["passport_index"])["rows"]["passport_index_commits"] == 57
    why = "no such file" if damage == "missing" else "is not the recorded"
    warning = next(w for w in report["sources"][0]["warnings"] if "optional file" in w)
    assert warning.startswith(f"passport_index: optional file {history} is unavailable; kept the previously loaded "
                              "table passport_index_commits (57 rows)") and why in warning
