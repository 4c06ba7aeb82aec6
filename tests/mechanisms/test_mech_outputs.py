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
from lmc.sources.mechanisms import load_registry

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


@pytest.fixture()
def piped(monkeypatch):
    """Output as in a plain pipe (pytest-xdist workers export COLUMNS=80, which Rich reads at import)."""
    from lmc.cli.common import console

    monkeypatch.setattr(console, "_width", None)
    monkeypatch.setattr(console, "_force_terminal", False)


def test_cli_real_registry_commands(piped):
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

    # each command shows what it is for (facts from ../shared/facts/mechanisms.yaml and the registry's sources)
    for args, needles in (
        (["list"], ["Cooperation mechanisms", "river_basin_organisation", "LAO THA KHM VNM", "1995"]),
        (["show", "gms"], ["大湄公河次区域经济合作", "founded: 1992", "CN-YN", "CN-GX"]),
        (["overlap"], ["Jaccard overlap", "MRC"]),
        (["congestion"], ["Active mechanisms per sector", "connectivity"]),
        (["candidates", "--programmes"], ["Programmes in coordination-candidate cells", "China-Laos Railway"]),
        (["timeline", "--events"], ["ASEAN founded", "VNM joins ASEAN", "LAO joins ASEAN", "MMR joins ASEAN"]),
        (["pairs"], ["CHN-LAO", "MMR-LAO", "KHM-VNM"]),
        (["validate"], ["valid — 18 mechanisms"]),
    ):
        res = run(*args)
        assert res.exit_code == 0, (args, res.output)
        for needle in needles:
            assert needle in res.stdout, (args, needle)

    sectors = json.loads(run("overlap", "--by", "sectors", "--format", "json").stdout)
    assert sectors["basis"] == "sectors" and sectors["mechanisms"][:3] == ["lmc", "gms", "mrc"]

    # congestion, long form: each count is the number of mechanisms listed, and matches a direct loop
    cells = list(csv.DictReader(io.StringIO(run("congestion", "--long", "--format", "csv").stdout)))
    assert cells and list(cells[0]) == ["country", "sector", "n_mechanisms", "mechanisms"]
    reg = load_registry()
    for c in cells:
        ids = c["mechanisms"].split()
        assert int(c["n_mechanisms"]) == len(ids), c
        for mid in ids:
            m = reg.get(mid)
            assert c["country"] in m.countries() and c["sector"] in m.sectors, (c, mid)

    # network: a country's degree is the number of mechanisms it belongs to now
    nodes = {r["node"]: r for r in csv.DictReader(io.StringIO(run("network", "--format", "csv").stdout))}
    for iso3 in ("CHN", "LAO", "MMR"):
        assert int(nodes[iso3]["degree"]) == sum(iso3 in m.countries() for m in reg.mechanisms), iso3


def test_cli_user_errors_are_reported(synthetic_data, write_registry):
    bad = run("show", "mrcc")
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert "Did you mean 'mrc'" in bad.stderr

    synthetic_data["mechanisms"][0]["sectors"][0] = "watr"
    path = write_registry(synthetic_data)
    res = run("validate", str(path))
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "mechanism 'syn_a', field 'sectors[0]'" in res.stderr and str(path) in res.stderr


def test_cli_export_and_chart(synthetic_data, write_registry, tmp_path):
    path = write_registry(synthetic_data)
    res = run("export", str(tmp_path / "out.xlsx"), "--years", "2000-2001", "--registry", str(path))
    assert res.exit_code == 0, res.output
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)
    rows = list(wb["overlap_members"].iter_rows(values_only=True))
    assert rows[0] == ("mechanism", "syn_a", "syn_b", "syn_c", "syn_d")
    assert rows[1][4] == pytest.approx(3 / 4)  # syn_a vs syn_d, by hand in conftest
    pairs = list(wb["pairs_by_year"].iter_rows(values_only=True))
    assert len(pairs) == 1 + 15 * 2  # header + 15 pairs x 2 years
    res = run("timeline", "--chart", str(tmp_path / "tl.svg"), "--registry", str(path))
    assert res.exit_code == 0, res.output
    svg = (tmp_path / "tl.svg").read_text(encoding="utf-8")
    assert "<svg" in svg[:2000] and "</svg>" in svg[-100:]
