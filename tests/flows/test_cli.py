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


BUILTINS = {"reopening-2023": ("choice", 2023), "railway-travel-time": ("choice", 2024),
            "visa-waiver-china-thailand-2024": ("choice", 2024), "lao-exports-20pct": ("trend", 2030),
            "myanmar-border-closure": ("ge", 2006), "railway-finance": ("railway", 2025),
            "freight-border-time-halved": ("freight", 2025), "thai-standard-gauge-link": ("freight", 2030),
            "yunnan-value-added": ("freight", 2025)}


def test_scenario_list_and_run(tmp_path):
    r = runner.invoke(app, ["scenario", "list", "--format", "json"])
    assert r.exit_code == 0, r.output
    listed = json.loads(r.stdout)
    assert [x["name"] for x in listed] == sorted(BUILTINS)  # all nine built-ins, by name, nothing else
    assert {x["name"]: (x["model"], x["year"]) for x in listed} == BUILTINS
    assert all(x["title"] for x in listed)
    out = tmp_path / "o"
    r = runner.invoke(app, ["scenario", "run", "lao-exports-20pct", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} == {"path.csv", "observations.csv", "claim_vs_trend.png",
                                               "claim_vs_trend.svg", "report.md", "report.html", "result.json"}
    assert (out / "claim_vs_trend.svg").read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    # the written tables: the claim (US$1.7 bn in 2019 at +20%/yr) to 2030, against the trend and its band
    path = pd.read_csv(out / "path.csv").set_index("year")
    assert list(path.columns) == ["claim_usd_bn", "trend_usd_bn", "trend_low_usd_bn", "trend_high_usd_bn",
                                  "prediction_low_usd_bn", "prediction_high_usd_bn", "observed_min_usd_bn",
                                  "observed_max_usd_bn"]
    assert path.index.max() == 2030
    claim = path["claim_usd_bn"].dropna()
    assert list(claim.index) == list(range(2019, 2031))
    assert list(claim) == pytest.approx([1.7 * 1.2 ** (y - 2019) for y in claim.index], rel=1e-9)
    assert (path["trend_low_usd_bn"] < path["trend_usd_bn"]).all()
    assert (path["trend_usd_bn"] < path["trend_high_usd_bn"]).all()
    obs = pd.read_csv(out / "observations.csv")
    assert len(obs) >= 5 and obs["url"].str.startswith("http").all() and (obs["value_usd"] > 1e8).all()
    headline = json.loads((out / "result.json").read_text(encoding="utf-8"))["headline"]
    assert headline["claim_2030_usd_bn"] == pytest.approx(1.7 * 1.2 ** 11, abs=1e-3)
    assert headline["trend_2030_usd_bn"] == pytest.approx(path.loc[2030, "trend_usd_bn"], abs=1e-3)
    lo, hi = headline["trend_growth_ci_pct"]
    assert headline["claim_inside_ci"] == (lo <= 20 <= hi)
    # the CLI prints the same headline as the report: labelled, rounded
    assert f"Claimed 2030 value (US$ bn): {headline['claim_2030_usd_bn']:.3g}" in r.stdout
    assert f"Trend growth, 90% interval: {lo:.3g} to {hi:.3g}" in r.stdout
    assert r.stdout.startswith("Validation: the trend model passes") and "sector: merchandise exports" in r.stdout
    r = runner.invoke(app, ["scenario", "run", "reopning-2023"])
    assert r.exit_code == 2 and "reopening-2023" in r.stderr


@pytest.fixture()
def synthetic_checks(monkeypatch):
    """A registry with two synthetic back-casts of the trend model: one passes, one fails (known numbers)."""
    from lmc.flows import validation
    from lmc.flows.validation import BackCast, BackCastRow

    def ok(ctx):
        return [BackCastRow.banded(np.array([1.0, 2.0, 3.0]), 2.0, event="synthetic pass", calibration="c",
                                   quantity="q", unit="u", source="s")]

    def bad(ctx):
        return [BackCastRow.banded(np.array([1.0, 2.0, 3.0]), 9.0, event="synthetic miss", calibration="c",
                                   quantity="q", unit="u", source="s", note="synthetic reason for the miss")]

    monkeypatch.setattr(validation, "CHECK_MODULES", [])
    monkeypatch.setattr(validation, "REGISTRY", {})
    validation.register(BackCast("synthetic_ok", "trend", "passes", ok))
    return validation, BackCast("synthetic_bad", "trend", "fails", bad)


def test_scenario_validate_writes_csv_and_exits_2_on_a_failure(synthetic_checks, tmp_path, lmc_home):
    validation, bad = synthetic_checks
    r = runner.invoke(app, ["scenario", "validate", "--out", str(tmp_path / "v")])
    assert r.exit_code == 0, r.output
    t = pd.read_csv(tmp_path / "v" / "validation.csv")
    assert list(t.columns) == validation.COLUMNS and t["passed"].tolist() == [True]
    assert t.loc[0, "predicted_p05"] == pytest.approx(1.1) and t.loc[0, "predicted_p95"] == pytest.approx(2.9)
    validation.register(bad)
    r = runner.invoke(app, ["scenario", "validate", "--out", str(tmp_path / "v")])
    assert r.exit_code == 2 and "1 of 2 back-casts fail: synthetic miss" in r.stderr
    assert "synthetic miss: synthetic reason for the miss" in r.stderr  # the failing check's note follows
    assert pd.read_csv(tmp_path / "v" / "validation.csv")["passed"].tolist() == [True, False]
    # the run settled the trend model's status: its scenario now needs --unvalidated, and says so first
    r = runner.invoke(app, ["scenario", "run", "lao-exports-20pct", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "fails 1 of its 2 back-casts (synthetic miss)" in r.stderr
    r = runner.invoke(app, ["scenario", "run", "lao-exports-20pct", "--unvalidated", "--out", str(tmp_path / "o")])
    assert r.exit_code == 0 and r.stdout.startswith("UNVALIDATED: the trend model fails 1 of its 2 back-casts")
    assert (tmp_path / "o" / "report.md").read_text(encoding="utf-8").startswith("**UNVALIDATED")


def test_scenario_bounds_and_bad_values(tmp_path):
    r = runner.invoke(app, ["scenario", "bounds", "trend", "--format", "json"])
    assert r.exit_code == 0
    rows = {x["name"]: x for x in json.loads(r.stdout)}
    assert (rows["growth_pct"]["low"], rows["growth_pct"]["high"]) == (-50, 100)
    p = tmp_path / "synthetic_growth.yaml"
    p.write_text("name: g\ndescription: d\nmodel: trend\nyear: 2030\nshocks:\n  - {variable: growth_pct, value: -200}\n")
    r = runner.invoke(app, ["scenario", "run", str(p)])
    assert r.exit_code == 2 and "growth_pct must be between -50 and 100" in r.stderr and "Traceback" not in r.stderr
    p.write_bytes(b"\x00\x01\x02binary")
    r = runner.invoke(app, ["scenario", "run", str(p)])
    assert r.exit_code == 2 and "not a UTF-8 text file" in r.stderr


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
    assert d["nobs"] == 60 and d["coef"]["stringency_pair"] < 0  # Covid closures cut arrivals
    # the example of docs/flows.md: rules and bans apart, arrivals 2011-2025 between the six countries (rows before
    # the first Passport Index snapshot, 2019-11, have no visa rule and drop out), the values the docs quote
    r = runner.invoke(app, ["gravity", "fit", "--data", str(out), "--formula",
                            "flow ~ ln_dist + visa_free + covid_ban | origin + destination + year", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    c, se = d["coef"], d["se"]
    assert d["nobs"] == 52
    assert (c["ln_dist"], c["visa_free"], c["covid_ban"]) == pytest.approx((-1.044, -0.012, -2.804), abs=1e-3)
    assert (se["ln_dist"], se["visa_free"], se["covid_ban"]) == pytest.approx((0.630, 0.287, 0.721), abs=1e-3)
    assert c["ln_dist"] < 0                                   # farther apart, fewer visitors
    assert c["covid_ban"] + 1.96 * se["covid_ban"] < 0        # a Covid ban cuts flows, clearly
    # visa-free entry: not separable from zero in this panel (its one change with flows on both sides is China ->
    # Thailand, which coincides with China's slow post-Covid recovery); docs/flows.md says so rather than a sign
    assert abs(c["visa_free"]) < 1.96 * se["visa_free"]


def test_gravity_panel_bad_suffix_and_flow_exit_2(warehouse_env, tmp_path):
    r = runner.invoke(app, ["gravity", "panel", "--out", str(tmp_path / "p.xlsx")])
    assert r.exit_code == 2 and ".parquet" in r.stderr and not (tmp_path / "p.xlsx").exists()
    r = runner.invoke(app, ["gravity", "panel", "--flow", "migrant_stok", "--out", str(tmp_path / "p.csv")])
    assert r.exit_code == 2 and "migrant_stock" in r.stderr
