"""The docs are generated from the code and must not drift: every command documented, generated pages current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


def _gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


gen_docs = _gen_docs()
COMMANDS = [name for name, _, _ in gen_docs.iter_commands()]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_a_section_in_the_cli_reference(name):
    cmd = {n: c for n, c, _ in gen_docs.iter_commands()}[name]
    assert (cmd.help or "").strip(), f"`{name}` has no help text (give its function a docstring)"
    assert f"\n## `{name}`\n" in (DOCS / "cli.md").read_text(encoding="utf-8"), (
        f"`{name}` is not in docs/cli.md; run: python scripts/gen_docs.py")


def test_every_option_has_help():
    missing = [f"{name} {p.name}" for name, cmd, _ in gen_docs.iter_commands() for p in cmd.params
               if getattr(p, "param_type_name", "") == "option" and not (getattr(p, "help", "") or "").strip()]
    assert not missing, f"options without help: {missing}"


@pytest.mark.parametrize("page", sorted(gen_docs.PAGES))
def test_generated_pages_are_current(page):
    want = gen_docs.PAGES[page]()
    have = (DOCS / page).read_text(encoding="utf-8") if (DOCS / page).is_file() else ""
    assert have == want, f"docs/{page} is stale; run: python scripts/gen_docs.py"


def test_data_sources_page_names_every_source_with_its_licence():
    from lmc.sources.registry import all_sources

    text = (DOCS / "data-sources.md").read_text(encoding="utf-8")
    for sid, source in all_sources().items():
        assert f"\n## {sid}\n" in text
        assert source.licence.split()[0] in text


def test_getting_started_walks_through_the_first_commands():
    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    for snippet in ("bash scripts/dev.sh run", "bash scripts/dev.sh test", "lmc data pull", "lmc data status",
                    "lmc sql", "LMC_MIRROR"):
        assert snippet in text, snippet
