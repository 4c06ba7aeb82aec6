"""Charts, the XLSX export and the ``lmc mechanisms`` commands (run in-process with typer's CliRunner)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from lmc.cli import app
from lmc.errors import ValidationError
from lmc.mechanisms import congestion, mechanism_network, membership_overlap, timeline
from lmc.mechanisms.charts import congestion_heatmap, network_chart, overlap_heatmap, timeline_chart
from lmc.mechanisms.export import export_xlsx

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["mechanisms", *args])


@pytest.mark.parametrize("ext", ["png", "svg"])
def test_charts_are_written_atomically(synthetic_registry, tmp_path, ext):
    reg = synthetic_registry
    tmp_path = tmp_path / "charts"
    paths = [overlap_heatmap(membership_overlap(reg), tmp_path / f"o.{ext}"),
             timeline_chart(timeline(reg), tmp_path / f"t.{ext}"),
             network_chart(mechanism_network(reg), tmp_path / f"n.{ext}"),
             congestion_heatmap(congestion(reg), tmp_path / f"c.{ext}")]
    for p in paths:
        head = p.read_bytes()[:200]
        assert head.startswith(b"\x89PNG") if ext == "png" else b"<svg" in p.read_bytes()[:2000]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no temp files left


def test_chart_rejects_unknown_format(synthetic_registry, tmp_path):
    tmp_path = tmp_path / "charts"
    tmp_path.mkdir()
    with pytest.raises(ValidationError, match=r"use .png or .svg"):
        overlap_heatmap(membership_overlap(synthetic_registry), tmp_path / "o.gif")
    assert list(tmp_path.iterdir()) == []


def test_xlsx_export(synthetic_registry, tmp_path):
    import openpyxl

    tmp_path = tmp_path / "export"

    res = export_xlsx(synthetic_registry, tmp_path / "synthetic.xlsx", years=range(2000, 2003))
    wb = openpyxl.load_workbook(res.path, read_only=True)
    assert wb.sheetnames == list(res.sheets)
    rows = list(wb["overlap_members"].iter_rows(values_only=True))
    assert rows[0] == ("mechanism", "syn_a", "syn_b", "syn_c", "syn_d")
    assert rows[1][0] == "syn_a" and rows[1][2] == pytest.approx(2 / 5)
    assert res.sheets["pairs_by_year"] == 15 * 3
    assert [p.name for p in tmp_path.iterdir()] == ["synthetic.xlsx"]
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        export_xlsx(synthetic_registry, tmp_path / "x.csv")


def test_cli_overlap_csv_is_the_square_matrix(synthetic_registry, synthetic_data, write_registry):
    path = write_registry(synthetic_data)
    result = run("overlap", "--format", "csv", "--registry", str(path))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    ids = ["syn_a", "syn_b", "syn_c", "syn_d"]
    assert rows[0] == ["mechanism", *ids]
    assert [r[0] for r in rows[1:]] == ids
    assert float(rows[1][2]) == pytest.approx(2 / 5) and float(rows[2][4]) == pytest.approx(2 / 6)
    assert all(float(rows[i + 1][i + 1]) == 1.0 for i in range(4))


def test_cli_real_registry_commands():
    out = run("overlap", "--format", "csv")
    assert out.exit_code == 0
    rows = {r[0]: r for r in csv.reader(io.StringIO(out.stdout))}
    header = rows.pop("mechanism")
    assert float(rows["mrc"][header.index("lmc")]) == pytest.approx(4 / 6)
    assert len(rows) == len(header) - 1

    listing = json.loads(run("list", "--format", "json").stdout)["mechanisms"]
    assert {"lmc", "gms", "mrc", "musp"} <= {m["id"] for m in listing}

    mrc = json.loads(run("show", "MRC", "--format", "json").stdout)
    assert {m["code"] for m in mrc["members"]} == {"KHM", "LAO", "THA", "VNM"}
    assert mrc["source"]["url"].startswith("http")

    pairs = list(csv.DictReader(io.StringIO(run("pairs", "--years", "2020-2021", "--format", "csv").stdout)))
    assert len(pairs) == 30 and pairs[0]["pair"] == "CHN-MMR"

    for args in (["list"], ["show", "gms"], ["overlap"], ["overlap", "--by", "sectors", "--format", "json"],
                 ["congestion"], ["congestion", "--long", "--format", "csv"], ["candidates", "--programmes"],
                 ["timeline", "--events"], ["network", "--format", "csv"], ["pairs"], ["validate"]):
        res = run(*args)
        assert res.exit_code == 0, (args, res.output)
        assert res.stdout.strip(), args


def test_cli_user_errors_are_reported(synthetic_data, write_registry):
    bad = run("show", "mrcc")
    assert bad.exit_code != 0
    assert "Did you mean 'mrc'" in bad.output + str(bad.exception)

    synthetic_data["mechanisms"][0]["sectors"][0] = "watr"
    res = run("validate", str(write_registry(synthetic_data)))
    assert res.exit_code != 0
    assert "mechanism 'syn_a', field 'sectors[0]'" in res.output + str(res.exception)


def test_cli_export_and_chart(synthetic_data, write_registry, tmp_path):
    path = write_registry(synthetic_data)
    res = run("export", str(tmp_path / "out.xlsx"), "--years", "2000-2001", "--registry", str(path))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out.xlsx").stat().st_size > 0
    res = run("timeline", "--chart", str(tmp_path / "tl.svg"), "--registry", str(path))
    assert res.exit_code == 0 and (tmp_path / "tl.svg").exists()
