"""Exports, audit and plots: files are complete, typed and consistent with the result object."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lmc.index import build, coinr_example_spec, default_spec, load_framework
from lmc.index.audit import audit, cronbach_alpha
from lmc.index.export import export_result
from lmc.index.framework import dump_framework_yaml


@pytest.fixture(scope="module")
def example(asem):
    fw, data = asem
    return build(coinr_example_spec(fw), data)


def test_export_every_format(tmp_path, example, asem_dir):
    written = export_result(example, tmp_path, formats=("csv", "xlsx", "parquet", "datapackage"))
    assert all(p.stat().st_size > 0 for p in written)
    xl = pd.ExcelFile(tmp_path / "index.xlsx")
    assert {"results", "raw", "denominated", "imputed", "screened", "treated", "normalised", "aggregated",
            "weights", "treat_details"} <= set(xl.sheet_names)
    pq = pd.read_parquet(tmp_path / "results.parquet").set_index("uCode")
    ref = pd.read_csv(asem_dir / "example_results.csv").set_index("uCode")  # COINr's example build
    np.testing.assert_allclose(pq.loc[ref.index, "Index"], ref["Index"], atol=1e-9)
    assert (pq.loc[ref.index, "Index_rank"] == ref["Index_rank"]).all()
    csv = pd.read_csv(tmp_path / "results.csv").set_index("uCode")
    np.testing.assert_allclose(csv.loc[ref.index, "Index"], ref["Index"], atol=1e-9)
    assert pd.read_excel(xl, sheet_name="results").shape == csv.reset_index().shape
    pkg = json.loads((tmp_path / "datapackage.json").read_text())
    res = {r["name"]: r for r in pkg["resources"]}
    fields = [f["name"] for f in res["results"]["schema"]["fields"]]
    assert fields == pd.read_csv(tmp_path / "results.csv").columns.tolist()
    assert {f["name"]: f["type"] for f in res["results"]["schema"]["fields"]}["Index_rank"] == "integer"
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind


def test_framework_yaml_round_trip(tmp_path, asem):
    fw, data = asem
    p = tmp_path / "fw.yaml"
    p.write_text(dump_framework_yaml(fw))
    fw2 = load_framework(p)
    assert fw2.codes == fw.codes and fw2.groups == fw.groups
    pd.testing.assert_frame_equal(build(default_spec(fw2), data).scores, build(default_spec(fw), data).scores)


def test_audit(example, asem_dir):
    a = audit(example)
    fw = example.framework
    assert len(a.stats) == len(fw.indicators) == 49
    raw = pd.read_csv(asem_dir / "ASEM_iData.csv")  # the input itself, not the engine's copy of it
    assert a.stats.set_index("code").loc["Flights", "n"] == raw["Flights"].notna().sum()
    # correlation of each node with every ancestor
    assert len(a.correlations) == sum(len(fw.ancestors(c)) for c in fw.codes)
    r = a.correlations.query("code == 'LPI' and against == 'Physical'")["r"].item()
    agg = pd.read_csv(asem_dir / "example_aggregated.csv").set_index("uCode")  # COINr's aggregated scores
    assert r == pytest.approx(np.corrcoef(agg["LPI"], agg["Physical"])[0, 1], abs=1e-9)
    assert set(a.alpha["aggregate"]) == set(fw.aggregates)
    assert a.weights["effective_weight"][a.weights["level"] == 1].sum() == pytest.approx(1)


def test_cronbach_alpha_limits():
    rng = np.random.default_rng(0)
    x = rng.normal(size=50)
    same = pd.DataFrame({"a": x, "b": x, "c": x})
    assert cronbach_alpha(same) == pytest.approx(1)
    indep = pd.DataFrame(rng.normal(size=(5000, 4)))
    assert abs(cronbach_alpha(indep)) < 0.1


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plots(tmp_path, example, suffix):
    from lmc.index.plots import plot_bars, plot_corr_heatmap, plot_framework, plot_sobol

    files = [plot_framework(example.framework, tmp_path / f"fw.{suffix}", example.weights),
             plot_bars(example, tmp_path / f"bars.{suffix}"),
             plot_corr_heatmap(example.stages["normalised"], tmp_path / f"corr.{suffix}"),
             plot_sobol(pd.DataFrame({"input": ["a", "b"], "S1": [0.2, 0.5], "S1_low": [0.1, 0.4],
                                      "S1_high": [0.3, 0.6], "ST": [0.3, 0.7], "ST_low": [0.2, 0.6],
                                      "ST_high": [0.4, 0.8]}), tmp_path / f"sobol.{suffix}")]
    for f in files:
        head = f.read_bytes()[:8]
        assert head.startswith(b"\x89PNG") if suffix == "png" else b"<?xml" in head or b"<svg" in head
