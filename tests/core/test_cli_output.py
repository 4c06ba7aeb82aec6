"""Piped output (stdout not a terminal) is not cut to 80 columns: tables keep their natural width."""

from __future__ import annotations

from typer.testing import CliRunner

from lmc.cli import app
from lmc.cli.common import PIPE_WIDTH, console

runner = CliRunner()


def test_piped_table_is_not_truncated(monkeypatch):
    # as in a plain pipe: no COLUMNS (pytest-xdist workers export COLUMNS=80, which Rich reads at import)
    monkeypatch.setattr(console, "_width", None)
    monkeypatch.setattr(console, "_force_terminal", False)
    result = runner.invoke(app, ["mechanisms", "list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "…" not in result.stdout
    assert any("abbreviation" in ln and "lmc_countries" in ln for ln in lines)
    assert any(ln.startswith("│ lmc ") and "CHN MMR LAO THA KHM VNM" in ln for ln in lines)
    assert max(len(ln) for ln in lines) > 80


def test_explicit_width_still_wins(monkeypatch):
    monkeypatch.setattr(console, "_force_terminal", False)
    monkeypatch.setattr(console, "_width", None)
    assert console.width == PIPE_WIDTH
    monkeypatch.setattr(console, "_width", 60)  # what COLUMNS=60 or Console(width=60) sets
    assert console.width == 60


def test_table_cells_never_switch_to_scientific_notation_within_a_column():
    """The back-cast table shows 963,700 next to 1,010,644 (it once showed 9.637e+05 next to 1,010,644)."""
    from lmc.cli.common import _fmt

    assert [_fmt(x) for x in (963700.4, 1010644.0, 960000.0, 1234.5)] == ["963,700", "1,010,644", "960,000", "1,234"]
    assert [_fmt(x) for x in (2.5112, 0.0483, 0.0, -4.6314, 0.000123)] == ["2.511", "0.0483", "0", "-4.631", "0.000123"]
    assert _fmt(3.2e-7) == "3.200e-07" and _fmt(float("nan")) == "nan" and _fmt("text") == "text"
