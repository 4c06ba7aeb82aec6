"""`lmc build` at the command line: a user error is one line on stderr and exit code 2."""

from __future__ import annotations

from typer.testing import CliRunner

from lmc.cli import app


def test_no_pull_without_warehouse_is_a_clear_error(lmc_home):
    res = CliRunner().invoke(app, ["build", "--no-pull", "--out", str(lmc_home / "out")])
    assert res.exit_code == 2
    assert "no warehouse" in res.output and "--no-pull" in res.output
    assert "Traceback" not in res.output
