"""docs/index.md stays true: its YAML examples validate and every CLI command it documents exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "index.md"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(), flags=re.S)


def test_doc_has_the_three_formats():
    blocks = _yaml_blocks()
    assert len(blocks) == 3
    assert "nodes:" in blocks[0] and "normalise:" in blocks[1] and "inputs:" in blocks[2]


def test_framework_example_validates(tmp_path):
    from lmc.index import load_framework

    p = tmp_path / "fw.yaml"
    p.write_text(_yaml_blocks()[0])
    fw = load_framework(p)
    assert fw.root == "SCI" and fw.by_code["visa_free"].goalposts == (0.0, 180.0)


def test_pipeline_and_ua_examples_validate(tmp_path, asem):
    from lmc.index import load_pipeline
    from lmc.index.uncertainty import load_ua_spec

    fw, _ = asem
    pipe, ua = tmp_path / "pipe.yaml", tmp_path / "ua.yaml"
    pipe.write_text(_yaml_blocks()[1])
    ua.write_text(_yaml_blocks()[2])
    spec = load_pipeline(pipe, fw)
    assert spec.treat.indicators["Flights"].method == "none"
    assert spec.aggregate.method_for("Sust", 3) == "harmonic"
    u = load_ua_spec(ua, spec)
    assert u.names == ("weights", "normalisation", "aggregation", "winsorisation", "exclusion")


@pytest.mark.parametrize("command", ["build", "uncertainty", "sensitivity", "audit"])
def test_documented_commands_exist(command):
    from typer.testing import CliRunner

    from lmc.cli import app

    text = DOC.read_text()
    assert f"lmc index {command}" in text
    r = CliRunner().invoke(app, ["index", command, "--help"])
    assert r.exit_code == 0, r.output
    # every option the doc shows with this command is one the command really takes
    shown = {o for line in text.splitlines() if f"lmc index {command}" in line
             for o in re.findall(r"(--[a-z][a-z-]*)", line)}
    assert shown, f"docs/index.md shows no option for `lmc index {command}`"
    missing = sorted(o for o in shown if o not in r.output)
    assert not missing, f"`lmc index {command}` has no {missing} (docs/index.md shows them)"
