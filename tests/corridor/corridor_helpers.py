"""Helpers for the corridor tests (a module of its own: `conftest` names clash across test folders)."""

from __future__ import annotations

from pathlib import Path


def write_feed(folder: Path, files: dict[str, str]) -> Path:
    """Write a hand-built feed: ``files`` maps file names to CSV text (dedented, stripped)."""
    import textwrap

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder
