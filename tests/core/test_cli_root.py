from typer.testing import CliRunner

from lmc import __version__
from lmc.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"lmc {__version__}"


def test_user_error_is_one_line_and_exit_code_2() -> None:
    result = runner.invoke(app, ["mechanisms", "show", "mrcc"])
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: unknown mechanism 'mrcc'")
    assert "Traceback" not in result.output
