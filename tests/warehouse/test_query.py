"""Reading the warehouse: read_table, status, show, export (csv/parquet/xlsx), read-only SQL, and the CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from fixtures_warehouse import THAI_FILE, manifest
from lmc.errors import SourceError, WarehouseError
from lmc.warehouse.db import connect, read_table
from lmc.warehouse.ingest import pull
from lmc.warehouse.query import export_table, run_sql, show_source, status


@pytest.fixture()
def loaded(settings, registry):
    pull(["synthetic_thai"], settings, registry=registry)
    return settings


def test_no_warehouse_says_how_to_make_one(settings):
    with pytest.raises(WarehouseError, match="run `lmc data pull`"):
        connect(settings)


def test_read_table_suggests_close_names(loaded):
    with pytest.raises(WarehouseError, match="Did you mean 'synthetic_thai_arrivals'"):
        read_table("synthetic_thai_arivals", loaded)


def test_status_lists_loaded_and_not_pulled(loaded, registry):
    res = status(loaded, registry)
    frame = res.to_frame().set_index("source")
    assert frame.loc["synthetic_thai", "rows"] == len(read_table("synthetic_thai_arrivals", loaded))
    assert frame.loc["synthetic_thai", "years"] == "2019-2022"
    assert frame.loc["synthetic_thai", "licence"] == "test-only"
    assert bool(frame.loc["synthetic_thai", "hash_ok"]) is True
    assert frame.loc["synthetic_wdi_meta", "retrieved"] == "not pulled"
    assert res.loaded == 1 and res.files == 1
    assert frame.loc["synthetic_thai", "rows"] == 372  # data rows of the tidy file (373 lines with the header)
    d = json.loads(json.dumps(res.to_dict(), default=str))
    assert d["files"] == 1 and [s["source"] for s in d["sources"]] == ["synthetic_thai", "synthetic_wdi_meta"]
    assert d["sources"][1]["rows"] is None and d["sources"][0]["rows"] == 372


def test_show_source_joins_declaration_and_provenance(loaded, registry):
    info = show_source("synthetic_thai", loaded, registry)
    assert info.loaded
    row = info.files.iloc[0]
    assert row["sha256"] == row["expected_sha256"] and bool(row["hash_ok"])
    assert info.tables.iloc[0]["rows"] == len(read_table("synthetic_thai_arrivals", loaded))
    with pytest.raises(SourceError, match="Did you mean 'synthetic_thai'"):
        show_source("synthetic_tha", loaded, registry)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_round_trips(loaded, tmp_path, fmt):
    res = export_table("observations", fmt, tmp_path / "out", loaded)
    assert res.path == tmp_path / "out" / f"observations.{fmt}"
    reader = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel}[fmt]
    back = reader(res.path)
    want = read_table("observations", loaded)
    assert len(back) == res.rows == len(want)
    assert list(back.columns) == list(want.columns)
    assert back["value"].sum() == pytest.approx(want["value"].sum())
    assert not [p for p in res.path.parent.iterdir() if p.name.startswith(".")]  # no temp files left


def test_export_rejects_unknown_table_and_format(loaded, tmp_path):
    with pytest.raises(WarehouseError, match="unknown warehouse table"):
        export_table("nope", "csv", tmp_path / "x.csv", loaded)
    with pytest.raises(WarehouseError, match="unknown export format"):
        export_table("observations", "json", tmp_path / "x.json", loaded)


def test_sql_is_read_only(loaded):
    res = run_sql("SELECT unit, sum(value) AS v FROM observations GROUP BY unit ORDER BY v DESC", loaded, limit=3)
    assert len(res.frame) == 3 and res.truncated
    # by hand from the tidy file (years reported in two files count twice in this synthetic source):
    # China 10,997,169 (2019) + 2 x 1,249,910 (2020) + 2 x 13,043 (2021) + 273,567 (2022) = 13,796,642
    assert res.frame["unit"].tolist() == ["CHN>THA", "MYS>THA", "IND>THA"]
    assert res.frame["v"].tolist() == [13796642.0, 7471057.0, 3529920.0]
    with pytest.raises(WarehouseError, match="read-only"):
        run_sql("DROP TABLE synthetic_thai_arrivals", loaded)
    assert len(read_table("synthetic_thai_arrivals", loaded)) > 0


# --- the CLI, over the synthetic registry -------------------------------------------------------------------------


@pytest.fixture()
def cli(monkeypatch, registry):
    import lmc.sources.registry as reg_mod
    from lmc.cli import app

    monkeypatch.setattr(reg_mod, "all_sources", lambda: registry)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


@pytest.fixture()
def piped(monkeypatch):
    """Output as in a plain pipe (pytest-xdist workers export COLUMNS=80, which Rich reads at import)."""
    from lmc.cli.common import console

    monkeypatch.setattr(console, "_width", None)
    monkeypatch.setattr(console, "_force_terminal", False)


def test_cli_pull_status_show_export_sql(settings, cli, tmp_path, mirror_dir, piped):
    r = cli("data", "pull", "--offline")
    assert r.exit_code == 0, r.output
    assert "2 of 2 sources loaded" in r.output
    r = cli("data", "status", "--format", "json")
    assert r.exit_code == 0, r.output
    assert {s["source"] for s in json.loads(r.stdout)["sources"]} == {"synthetic_thai", "synthetic_wdi_meta"}
    r = cli("data", "show", "synthetic_thai")
    assert r.exit_code == 0 and "test-only" in r.output
    sha = manifest(mirror_dir)[THAI_FILE]["sha256"]
    assert sha[:12] in r.output  # the file's recorded hash is shown
    out = tmp_path / "obs.parquet"
    r = cli("data", "export", "observations", "--format", "parquet", "--out", str(out))
    assert r.exit_code == 0 and out.is_file()
    back = pd.read_parquet(out)
    assert list(back.columns) == ["indicator", "unit", "year", "value", "source"]
    chn = back[(back["unit"] == "CHN>THA") & (back["year"] == 2019)]
    assert chn["value"].tolist() == [10997169.0] and set(back["source"]) == {"synthetic_thai"}
    r = cli("sql", "SELECT count(*) AS n FROM synthetic_wdi_indicators", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines() == ["n", "19"]


def test_cli_user_errors_exit_2_with_one_line(settings, cli):
    r = cli("data", "pull", "synthetic_tai")
    assert r.exit_code == 2 and "Did you mean 'synthetic_thai'" in r.output and "Traceback" not in r.output
    r = cli("sql", "SELECT 1")  # no warehouse yet
    assert r.exit_code == 2 and "lmc data pull" in r.output


def test_cli_pull_failure_exits_2_and_names_the_source(settings, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("LMC_MIRROR", str(tmp_path / "empty"))
    from lmc.config import get_settings

    get_settings.cache_clear()
    r = cli("data", "pull", "synthetic_wdi_meta", "--offline")
    assert r.exit_code == 2
    assert "source synthetic_wdi_meta, file wdi/wdi_selected_indicators.csv" in r.output
