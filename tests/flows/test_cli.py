"""The flows CLI: `lmc gravity fit` JSON contract, error exit codes, `lmc scenario list/run`."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lmc.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def csv_2006(agtpa_2006, tmp_path_factory):
    p = tmp_path_factory.mktemp("cli") / "agtpa_2006.csv"
    agtpa_2006.to_csv(p, index=False)
    return p


def test_gravity_fit_json(csv_2006, expected):
    r = runner.invoke(app, ["gravity", "fit", "--data", str(csv_2006), "--formula",
                            "trade ~ ln_dist + cntg + intl_brdr | exporter + importer", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert set(d) == {"coef", "se", "nobs"} and d["nobs"] == 4761
    assert d["coef"]["intl_brdr"] == pytest.approx(expected["trade_without_border_2006"]["coef"]["intl_brdr"], abs=1e-4)


def test_gravity_fit_cluster_table(csv_2006):
    r = runner.invoke(app, ["gravity", "fit", "--data", str(csv_2006), "--formula",
                            "trade ~ ln_dist + cntg + intl_brdr | exporter + importer", "--cluster", "pair_id"])
    assert r.exit_code == 0, r.output
    assert "clustered by pair_id" in r.stdout and "ln_dist" in r.stdout


def test_gravity_fit_missing_column_exit_2(tmp_path):
    p = tmp_path / "synthetic_flows.csv"
    pd.DataFrame({"trade": np.arange(4.0), "rta": [0, 1, 0, 1]}).to_csv(p, index=False)
    r = runner.invoke(app, ["gravity", "fit", "--data", str(p), "--formula", "trade ~ rta | exp_year + imp_year"])
    assert r.exit_code == 2
    assert "'exp_year'" in r.stderr and "Traceback" not in r.stderr


def test_scenario_list_and_run(tmp_path):
    r = runner.invoke(app, ["scenario", "list", "--format", "json"])
    assert r.exit_code == 0
    assert "myanmar-border-closure" in {x["name"] for x in json.loads(r.stdout)}
    r = runner.invoke(app, ["scenario", "run", "lao-exports-20pct", "--out", str(tmp_path / "o")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "o" / "claim_vs_trend.svg").is_file()
    r = runner.invoke(app, ["scenario", "run", "reopning-2023"])
    assert r.exit_code == 2 and "reopening-2023" in r.stderr


def test_gravity_panel_writes_lmc_panel_that_fit_reads(warehouse_env, tmp_path):
    out = tmp_path / "lmc_panel.parquet"
    r = runner.invoke(app, ["gravity", "panel", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "stringency_pair" in r.stdout and "rail" in r.stdout
    panel = pd.read_parquet(out)
    assert len(panel) % 30 == 0 and {"flow", "flow_source", "travel_mode", "stringency_source"} <= set(panel.columns)
    r = runner.invoke(app, ["gravity", "fit", "--data", str(out), "--formula",
                            "flow ~ stringency_pair + ln_dist | year", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["nobs"] == 20 and d["coef"]["stringency_pair"] < 0  # Covid closures cut arrivals


def test_gravity_panel_bad_suffix_and_flow_exit_2(warehouse_env, tmp_path):
    r = runner.invoke(app, ["gravity", "panel", "--out", str(tmp_path / "p.xlsx")])
    assert r.exit_code == 2 and ".parquet" in r.stderr and not (tmp_path / "p.xlsx").exists()
    r = runner.invoke(app, ["gravity", "panel", "--flow", "migrant_stok", "--out", str(tmp_path / "p.csv")])
    assert r.exit_code == 2 and "migrant_stock" in r.stderr
