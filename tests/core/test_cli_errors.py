"""No traceback, ever: each input that once ended in a Python traceback now gives one line on stderr.

A user error is one line and exit code 2; an internal error (a bug) is one line with the path of a log file that
holds the traceback, exit code 1. Numeric options refuse values outside their documented bounds.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from lmc.cli import app

runner = CliRunner()


def _one_line(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture()
def asem(shared_dir):
    d = shared_dir / "reference" / "coinr_asem"
    return ["--imeta", str(d / "ASEM_iMeta.csv"), "--idata", str(d / "ASEM_iData.csv")]


def test_an_internal_error_is_one_line_with_a_log_of_the_traceback(lmc_home, monkeypatch):
    import lmc.warehouse.query as query

    def broken(*args, **kwargs):
        raise ZeroDivisionError("synthetic bug")

    monkeypatch.setattr(query, "status", broken)
    line = _one_line(runner.invoke(app, ["data", "status"]), code=1)
    assert line.startswith("Internal error (a bug in lmc ")
    assert "ZeroDivisionError: synthetic bug (the traceback is in " in line
    log = lmc_home / "logs" / line.rsplit("the traceback is in ", 1)[1].rstrip(")").split("/logs/")[1]
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "def broken" not in text and "in broken" in text


def test_lmc_home_being_a_file(tmp_path, monkeypatch):
    from lmc.config import get_settings

    monkeypatch.chdir(tmp_path)  # no lmc.toml above
    monkeypatch.delenv("LMC_CONFIG", raising=False)
    home = tmp_path / "home_is_a_file"
    home.write_text("not a folder")
    monkeypatch.setenv("LMC_HOME", str(home))
    monkeypatch.delenv("LMC_WAREHOUSE", raising=False)
    get_settings.cache_clear()
    try:
        line = _one_line(runner.invoke(app, ["data", "pull", "owid", "--offline"]))
    finally:
        get_settings.cache_clear()
    assert line == f"Error: the home folder {home} (setting 'home' / LMC_HOME, from the environment) is a file, " \
                   "not a folder"


def test_an_unwritable_out_folder(lmc_home, asem, tmp_path):
    out = tmp_path / "a_file"
    out.write_text("")
    line = _one_line(runner.invoke(app, ["index", "build", *asem, "--out", str(out)]))
    assert line == f"Error: File exists: {out}"
    line = _one_line(runner.invoke(app, ["index", "build", *asem, "--out", "/proc/lmc-out"]))
    assert line == "Error: No such file or directory: /proc/lmc-out"


@pytest.mark.parametrize(("content", "says"), [
    (b"", "the file is empty (expected a CSV with a header line)"),
    (b"uCode,LPI\n", "no data rows (only a header line)"),
    (b"uCode,LPI\nAUT,1\n\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", ":3: not a UTF-8 text CSV (byte 0x89)"),
])
@pytest.mark.parametrize("which", ["--imeta", "--idata"])
def test_an_empty_or_binary_csv_for_index_build(which, content, says, lmc_home, asem, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    args = list(asem)
    args[args.index(which) + 1] = str(bad)
    line = _one_line(runner.invoke(app, ["index", "build", *args, "--out", str(tmp_path / "o")]))
    assert line.startswith(f"Error: {bad}") and says in line


def test_an_empty_levels_list_in_a_ua_spec(lmc_home, asem, tmp_path):
    spec = tmp_path / "ua.yaml"
    spec.write_text("inputs:\n  weights:\n    noise: 0.25\n    levels: []\n", encoding="utf-8")
    line = _one_line(runner.invoke(app, ["index", "uncertainty", *asem, "--spec", str(spec), "--n", "10",
                                         "--quiet", "--out", str(tmp_path / "ua")]))
    assert line.startswith(f"Error: {spec}:4: field 'inputs.weights.levels': list at least one level")
    assert not (tmp_path / "ua").exists()


def test_an_imeta_cycle_is_reported_on_a_line_of_the_cycle(lmc_home, shared_dir, tmp_path):
    d = shared_dir / "reference" / "coinr_asem"
    text = (d / "ASEM_iMeta.csv").read_text(encoding="utf-8")
    root = '4,"Index","Sustainable Connectivity",1,1,"Score",,,,"Aggregate"'
    assert root in text  # line 61
    bad = tmp_path / "cycle_iMeta.csv"
    bad.write_text(text.replace(root, root.replace(',,,"Aggregate"', ',,"Physical","Aggregate"')), encoding="utf-8")
    line = _one_line(runner.invoke(app, ["index", "build", "--imeta", str(bad), "--idata", str(d / "ASEM_iData.csv"),
                                         "--out", str(tmp_path / "o")]))
    assert line == (f"Error: {bad}:61: field 'parent': cycle in the tree: Index -> Physical -> Conn -> Index "
                    "(Index line 61, Physical line 51, Conn line 59)")


def test_export_format_follows_the_extension_or_is_refused(warehouse_env, tmp_path):
    line = _one_line(runner.invoke(app, ["data", "export", "wdi_indicators", "-o", str(tmp_path / "x.json")]))
    assert line == f"Error: {tmp_path / 'x.json'}: export writes .csv, .parquet, .xlsx files; name the file with " \
                   "one of these extensions."
    assert not (tmp_path / "x.json").exists()
    line = _one_line(runner.invoke(app, ["data", "export", "wdi_indicators", "-o", str(tmp_path / "x.csv"),
                                         "-f", "xlsx"]))
    assert "the extension says csv but --format says xlsx" in line
    ok = runner.invoke(app, ["data", "export", "wdi_indicators", "-o", str(tmp_path / "x.xlsx")])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "x.xlsx").read_bytes()[:2] == b"PK"  # a zip container (XLSX), not CSV text
    ok = runner.invoke(app, ["data", "export", "wdi_indicators", "-o", str(tmp_path / "x.parquet")])
    assert (tmp_path / "x.parquet").read_bytes()[:4] == b"PAR1"


@pytest.mark.parametrize("args", [
    ["build", "--n", "8"], ["build", "--n", "100001"], ["build", "--seed", "-1"],
    ["sql", "SELECT 1", "--limit", "-1"],
    ["index", "uncertainty", "--n", "0"], ["index", "uncertainty", "--n", "100001"],
    ["index", "uncertainty", "--seed", "-5"], ["index", "sensitivity", "--n", "1"],
    ["index", "sensitivity", "--nboot", "5"], ["index", "build", "--top", "0"],
    ["serve", "--port", "70000"], ["guide", "build", "--workers", "17"],
])
def test_numeric_options_outside_their_bounds_are_usage_errors(args, lmc_home):
    result = runner.invoke(app, [*args, "--out", "unused"] if args[0] in ("index",) else args)
    assert result.exit_code == 2
    assert "Invalid value" in result.output and "Traceback" not in result.output
