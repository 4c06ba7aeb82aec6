"""`lmc guide status` and `lmc guide build`: thin commands over coverage() and build_guides()."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lmc.cli import app
from lmc.guides.render import write_atomic

runner = CliRunner()


def test_status_json_reports_coverage_per_language_and_section():
    result = runner.invoke(app, ["guide", "status", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    summary = data["summary"]
    assert summary["laws"]["en"] == 1.0 and summary["laws"]["zh"] == 1.0
    assert 0 < summary["laws"]["th"] < 1.0  # Thai exists for Thailand only
    assert {r["country"] for r in data["rows"]} == {"CHN", "MMR", "LAO", "THA", "KHM", "VNM"}


def test_status_table_says_no_required_gaps():
    result = runner.invoke(app, ["guide", "status", "--country", "THA"])
    assert result.exit_code == 0, result.output
    assert "No required gaps" in result.output and "emergency" in result.output


def test_build_writes_html_in_the_web_path_layout(tmp_path):
    result = runner.invoke(app, ["guide", "build", "--country", "LAO", "--lang", "zh", "--format", "html",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = tmp_path / "LAO" / "zh.html"
    assert page.is_file() and '<html lang="zh-Hans"' in page.read_text(encoding="utf-8")
    assert not list(tmp_path.rglob("*.tmp"))


def test_user_errors_are_one_line_with_suggestions(tmp_path):
    bad_country = runner.invoke(app, ["guide", "build", "--country", "LAOS", "--out", str(tmp_path)])
    assert bad_country.exit_code == 2 and "Did you mean 'LAO'" in bad_country.stderr
    bad_format = runner.invoke(app, ["guide", "build", "--country", "LAO", "--format", "pfd", "--out", str(tmp_path)])
    assert bad_format.exit_code == 2 and "Did you mean 'pdf'" in bad_format.stderr
    nothing = runner.invoke(app, ["guide", "build", "--out", str(tmp_path)])
    assert nothing.exit_code == 2 and "--all" in nothing.stderr
    assert not any(tmp_path.iterdir())


def test_write_atomic_replaces_whole_files_only(tmp_path):
    target = tmp_path / "a" / "b.html"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["b.html"]


def test_docs_cover_the_commands_and_the_content_model():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "guides.md").read_text(encoding="utf-8")
    for needle in ("lmc guide status", "lmc guide build --country LAO --lang zh --format pdf,html --out guides",
                   "lmc guide build --all --out guides", "LMC_GUIDE_URL", "volatile", "effective", "lmc guide status --due",
                   "benchmarks/guides.py", "_glossary.yaml", "_shared.yaml"):
        assert needle in doc, needle


def test_web_page_links_languages_to_web_routes():
    from lmc.guides import web_page

    html = web_page("VNM", "vi")
    assert '<html lang="vi"' in html and 'href="/guides/VNM/zh"' in html
