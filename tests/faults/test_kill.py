"""Kill -9 during a pull and during a build, then run again; two pulls at once; a build after an interrupted pull.

Each scenario runs the real command in a subprocess and kills it with SIGKILL (no cleanup code runs), then checks
that what is left is whole: every loaded source complete (DuckDB's transaction per source), the previous build
still valid, and the rerun finishing the work without calling a mix of old and new files "up to date".
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import duckdb
from faultkit import isolated_env, no_traceback, popen_lmc, run_lmc

from lmc.sci.outputs import MANIFEST, cached_files

PULLED = ["owid", "sister_cities", "glottolog", "china_railway_stations", "un_desa_migrant_stock", "openflights"]
ROWS = {"owid_series": 8_901, "twin_cities": 25_917, "railway_stations_cn": 4_761, "migrant_stock": 76_473,
        "openflights_routes": 67_663}  # from the pinned mirror files (`lmc data status` of a full pull)


def _wait_for(predicate, timeout: float = 120.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


def _loaded(warehouse: Path) -> dict[str, tuple[int, int]]:
    """source -> (rows recorded in `sources`, rows actually in its tables): equal for every whole load."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'sources'").fetchone()[0]:
            return {}
        out = {}
        for source, rows, tables in con.execute("SELECT source, rows, tables FROM sources").fetchall():
            actual = sum(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables)
            out[source] = (rows, actual)
        return out
    finally:
        con.close()


def _table_rows(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ROWS}
    finally:
        con.close()


def test_kill_9_during_a_first_pull_then_build_refuses_and_the_rerun_completes(tmp_path, mirror_dir):
    env = isolated_env(tmp_path / "home", mirror=mirror_dir)
    warehouse = Path(env["LMC_WAREHOUSE"])
    proc = popen_lmc(["data", "pull", *PULLED], env, cwd=tmp_path)
    assert _wait_for(warehouse.is_file), proc.communicate()
    time.sleep(1.0)  # into the loads (the six take a few seconds of CPU)
    proc.kill()
    proc.wait()

    # whatever was loaded is whole
    for source, (recorded, actual) in _loaded(warehouse).items():
        assert recorded == actual, source
    status = run_lmc(["data", "status", "--format", "json"], env, cwd=tmp_path)
    no_traceback(status)
    assert status.returncode in (0, 2)  # 2: killed before the first source committed ("holds no sources yet")

    # the build never runs on part of the data
    build = run_lmc(["build", "--no-pull", "--out", str(tmp_path / "out")], env, cwd=tmp_path)
    no_traceback(build)
    assert build.returncode == 2
    assert "lacks" in build.stderr and "declared source(s)" in build.stderr and "openflights" in build.stderr \
        or "no warehouse" in build.stderr
    assert not (tmp_path / "out" / MANIFEST).exists()

    again = run_lmc(["data", "pull", *PULLED, "--format", "json"], env, cwd=tmp_path)
    no_traceback(again)
    assert again.returncode == 0, again.stderr[-2000:]
    assert all(s["ok"] for s in json.loads(again.stdout)["sources"])
    assert _table_rows(warehouse) == ROWS
    assert set(_loaded(warehouse)) == set(PULLED)


def test_two_pulls_at_once_leave_a_whole_warehouse(tmp_path, mirror_dir):
    env = isolated_env(tmp_path / "home", mirror=mirror_dir)
    args = ["data", "pull", "owid", "sister_cities", "china_railway_stations", "--format", "json"]
    first, second = popen_lmc(args, env, cwd=tmp_path), popen_lmc(args, env, cwd=tmp_path)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    codes = [first.returncode, second.returncode]
    assert 0 in codes, outs
    for code, (_, err) in zip(codes, outs, strict=True):
        assert "Traceback" not in err
        if code != 0:  # the one that found the warehouse locked says so in one line
            assert code == 2
            lines = [ln for ln in err.splitlines() if ln.strip()]
            assert len(lines) == 1 and "is busy: another lmc process is writing it" in lines[0], err
    rows = _table_rows_of(Path(env["LMC_WAREHOUSE"]), ["owid_series", "twin_cities", "railway_stations_cn"])
    assert rows == {t: ROWS[t] for t in rows}


def _table_rows_of(warehouse: Path, tables: list[str]) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def test_kill_9_during_a_build_keeps_the_previous_build_then_the_rerun_replaces_it(sci_report_build,
                                                                                   pulled_warehouse, tmp_path):
    # a home holding a finished build (with PDFs) and the step cache of the session's build
    home, out = tmp_path / "home", tmp_path / "home" / "out"
    shutil.copytree(sci_report_build.out_dir, out)
    shutil.copytree(sci_report_build.out_dir.parent / "cache" / "sci", home / "cache" / "sci")
    old_key = json.loads((out / MANIFEST).read_text())["key"]
    assert cached_files(out, old_key) is not None
    env = isolated_env(home, warehouse=pulled_warehouse.warehouse)
    args = ["build", "--n", "32", "--seed", "7", "--no-pdf", "--out", str(out)]

    proc = popen_lmc(args, env, cwd=tmp_path)
    staged = lambda: any(f.is_file() for d in out.glob(".building-*") for f in d.rglob("*"))  # noqa: E731
    assert _wait_for(staged, timeout=300), proc.communicate()
    proc.kill()
    proc.wait()
    assert cached_files(out, old_key) is not None  # the previous build is whole and still valid
    assert list(out.glob(".building-*"))  # the killed build's staging folder is left behind

    rerun = run_lmc(args, env, cwd=tmp_path)
    no_traceback(rerun)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "files written" in rerun.stdout and "up to date" not in rerun.stdout
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["key"] != old_key and cached_files(out, manifest["key"]) is not None
    assert not list(out.glob(".building-*"))  # the dead build's staging folder is gone
    assert not (out / "report_en.pdf").exists()  # a file of the old build only, not left to pass as new

    cached = run_lmc(args, env, cwd=tmp_path)
    assert cached.returncode == 0 and "up to date (cached)" in cached.stdout
    (out / "scores.csv").write_text("level,unit,year,pillar,score,rank\n", encoding="utf-8")
    assert cached_files(out, manifest["key"]) is None  # a changed file is never "up to date"


def test_a_publish_cut_midway_leaves_no_manifest(tmp_path, monkeypatch):
    """The few renames of a publish, interrupted (in-process: a kill cannot be timed that precisely)."""
    from lmc.sci import outputs

    out = tmp_path / "out"
    with outputs.staging(out) as stage:
        for name in ("a.csv", "b.csv", "c.csv"):
            (stage / name).write_text(f"{name}\n")
        outputs.publish(stage, out, "key1")
    assert cached_files(out, "key1") is not None
    moves = []

    def replace(src, dst):
        if len(moves) == 2:
            raise OSError(28, "No space left on device", str(dst))
        moves.append(dst)
        shutil.move(src, dst)

    monkeypatch.setattr(outputs.os, "replace", replace)
    try:
        with outputs.staging(out) as stage:
            for name in ("a.csv", "b.csv", "c.csv"):
                (stage / name).write_text(f"{name} v2\n")
            outputs.publish(stage, out, "key2")
    except OSError:
        pass
    assert not (out / MANIFEST).exists()
    assert cached_files(out, "key1") is None and cached_files(out, "key2") is None
    assert (out / "a.csv").read_text() == "a.csv v2\n" and (out / "c.csv").read_text() == "c.csv\n"  # mixed
    assert not list(out.glob(".building-*"))


def test_a_locked_warehouse_is_busy_in_one_line(tmp_path, mirror_dir):
    """While another process writes the warehouse, readers get one 'busy, retry' line (WarehouseBusyError)."""
    import subprocess
    import sys

    env = isolated_env(tmp_path / "home", mirror=mirror_dir)
    assert run_lmc(["data", "pull", "owid"], env, cwd=tmp_path).returncode == 0
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; "
                               "con = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(120)",
                               env["LMC_WAREHOUSE"]], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        proc = run_lmc(["sql", "SELECT count(*) FROM owid_series"], env, cwd=tmp_path)
    finally:
        holder.kill()
        holder.wait()
    no_traceback(proc)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "is busy: another lmc process is writing it (a pull?); retry when it has finished" \
        in lines[0]
