"""``lmc index build|uncertainty|sensitivity|audit``: the interface the issue fixes, end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lmc.cli import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["index", *map(str, args)])


@pytest.fixture(scope="module")
def coinr_args(asem_dir):
    return ["--imeta", asem_dir / "ASEM_iMeta.csv", "--idata", asem_dir / "ASEM_iData.csv"]


def test_build_default_matches_coinr(tmp_path, coinr_args, asem_dir):
    r = _run("build", *coinr_args, "--out", tmp_path, "--export", "csv,xlsx,parquet,datapackage", "--plots")
    assert r.exit_code == 0, r.output
    res = pd.read_csv(tmp_path / "results.csv")
    ref = pd.read_csv(asem_dir / "default_results.csv")
    assert res.columns[0] == "uCode"
    assert res.columns[1:3].tolist() == ["Index", "Index_rank"]
    codes = [c for c in ref.columns if c not in ("uCode", "uName") and not c.endswith("_rank")]
    assert sorted(res.columns[1:]) == sorted(codes + [f"{c}_rank" for c in codes])
    res, ref = res.set_index("uCode").loc[ref["uCode"]], ref.set_index("uCode")
    np.testing.assert_allclose(res[codes].to_numpy(), ref[codes].to_numpy(), atol=1e-9)
    assert (res[[f"{c}_rank" for c in codes]].to_numpy() == ref[[f"{c}_rank" for c in codes]].to_numpy()).all()
    for f in ("index.xlsx", "datapackage.json", "results.parquet", "framework.png", "bars.png", "normalised.csv"):
        assert (tmp_path / f).stat().st_size > 0, f


def test_build_with_yaml_framework_and_pipeline(tmp_path, asem, asem_dir, example_pipeline):
    from lmc.index.framework import dump_framework_yaml

    fw, _ = asem
    fw_yaml = tmp_path / "fw.yaml"
    fw_yaml.write_text(dump_framework_yaml(fw))
    r = _run("build", fw_yaml, asem_dir / "ASEM_iData.csv", "--pipeline", example_pipeline, "--out", tmp_path / "o")
    assert r.exit_code == 0, r.output
    res = pd.read_csv(tmp_path / "o" / "results.csv").set_index("uCode")
    ref = pd.read_csv(asem_dir / "example_results.csv").set_index("uCode")
    np.testing.assert_allclose(res.loc[ref.index, "Index"], ref["Index"], atol=1e-9)


def test_uncertainty_writes_rankstats(tmp_path, coinr_args, ua_yaml, asem_dir):
    r = _run("uncertainty", *coinr_args, "--spec", ua_yaml, "--n", 200, "--seed", 4, "--out", tmp_path, "--quiet")
    assert r.exit_code == 0, r.output
    rs = pd.read_csv(tmp_path / "rankstats.csv")
    assert rs.columns.tolist() == ["uCode", "nominal_rank", "mean_rank", "median_rank", "q05_rank", "q95_rank"]
    assert len(rs) == 51 and rs["nominal_rank"].tolist() == sorted(rs["nominal_rank"])
    # the nominal ranks are COINr's default Index ranks
    ref = pd.read_csv(asem_dir / "default_results.csv").set_index("uCode")["Index_rank"]
    assert (rs.set_index("uCode")["nominal_rank"] == ref.loc[rs["uCode"]].to_numpy()).all()
    assert ((rs["q05_rank"] <= rs["median_rank"]) & (rs["median_rank"] <= rs["q95_rank"])).all()
    assert rs[["q05_rank", "q95_rank"]].stack().between(1, 51).all()
    again = tmp_path / "again"
    r2 = _run("uncertainty", *coinr_args, "--spec", ua_yaml, "--n", 200, "--seed", 4, "--out", again, "--quiet")
    assert r2.exit_code == 0, r2.output
    pd.testing.assert_frame_equal(rs, pd.read_csv(again / "rankstats.csv"))
    assert pd.read_csv(tmp_path / "scores.csv").shape == (51, 202)


def test_sensitivity_writes_sobol(tmp_path, coinr_args, ua_yaml):
    r = _run("sensitivity", *coinr_args, "--spec", ua_yaml, "--n", 64, "--seed", 1, "--nboot", 50,
             "--out", tmp_path, "--quiet", "--plots")
    assert r.exit_code == 0, r.output
    sob = pd.read_csv(tmp_path / "sobol.csv")
    assert sob.columns.tolist() == ["input", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
    assert sob["input"].tolist() == ["weights", "normalisation", "aggregation"]
    # bootstrap intervals bracket the estimates, and the aggregation choice dominates, as in the reference analysis
    # (test_index_uncertainty.py::test_sobol_on_the_reference_analysis)
    assert ((sob["S1_low"] <= sob["S1"]) & (sob["S1"] <= sob["S1_high"])).all()
    assert ((sob["ST_low"] <= sob["ST"]) & (sob["ST"] <= sob["ST_high"])).all()
    assert sob.set_index("input")["ST"].idxmax() == "aggregation"
    assert (tmp_path / "sobol.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_audit_writes_tables(tmp_path, coinr_args, asem_dir):
    r = _run("audit", *coinr_args, "--out", tmp_path)
    assert r.exit_code == 0, r.output
    for f in ("stats", "correlations", "alpha", "pca", "weights", "unit_availability", "indicator_correlations"):
        assert (tmp_path / f"{f}.csv").is_file(), f
    # statistics of the raw data, recomputed here with pandas straight from the reference inputs
    meta = pd.read_csv(asem_dir / "ASEM_iMeta.csv")
    raw = pd.read_csv(asem_dir / "ASEM_iData.csv")
    ind = meta.loc[meta["Type"] == "Indicator", "iCode"].tolist()
    assert len(ind) == 49
    stats = pd.read_csv(tmp_path / "stats.csv").set_index("code")
    assert sorted(stats.index) == sorted(ind)
    x = raw[ind]
    assert (stats.loc[ind, "n"] == x.notna().sum()).all()
    np.testing.assert_allclose(stats.loc[ind, "mean"], x.mean(), rtol=1e-12)
    np.testing.assert_allclose(stats.loc[ind, "sd"], x.std(), rtol=1e-12)
    np.testing.assert_allclose(stats.loc[ind, "skew"], x.skew(), rtol=1e-9)  # bias-corrected, as Excel's SKEW
    np.testing.assert_allclose(stats.loc[ind, "kurtosis"], x.kurt(), rtol=1e-9)  # excess, as Excel's KURT
    avail = pd.read_csv(tmp_path / "unit_availability.csv").set_index("uCode")
    np.testing.assert_allclose(avail.loc[raw["uCode"], "availability"], x.notna().mean(axis=1), rtol=1e-12)
    # weights as COINr has them; effective indicator weights sum to one
    w = pd.read_csv(tmp_path / "weights.csv").set_index("code")
    ref_w = pd.read_csv(asem_dir / "default_weights.csv").set_index("iCode")
    np.testing.assert_allclose(w.loc[ref_w.index, "weight"], ref_w["Weight"], atol=1e-12)
    assert w.loc[w["level"] == 1, "effective_weight"].sum() == pytest.approx(1)
    # correlation of an indicator with its pillar, against COINr's aggregated scores
    corr = pd.read_csv(tmp_path / "correlations.csv")
    assert set(corr["flag"].fillna("")) <= {"", "weak", "negative"}
    agg = pd.read_csv(asem_dir / "default_aggregated.csv")
    got = corr.query("code == 'LPI' and against == 'Physical'")["r"].item()
    assert got == pytest.approx(agg["LPI"].corr(agg["Physical"]), abs=1e-9)


@pytest.mark.parametrize("args, message", [
    (["build", "--out", "x"], "give FRAMEWORK.yaml DATA.csv"),
    (["build", "--imeta", "nope.csv", "--idata", "nope.csv", "--out", "x"], "nope.csv: cannot read"),
])
def test_user_errors_exit_2_with_one_line(tmp_path, args, message):
    r = runner.invoke(app, ["index", *args])
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output


def test_unknown_stage_in_ua_spec_exits_2(tmp_path, coinr_args):
    ua = tmp_path / "ua.yaml"
    ua.write_text("inputs:\n  n:\n    stage: normalize\n    alternatives: [minmax, zscore]\n")
    r = _run("uncertainty", *coinr_args, "--spec", ua, "--n", 10, "--out", tmp_path)
    assert r.exit_code == 2
    assert "Did you mean 'normalise'" in r.output
