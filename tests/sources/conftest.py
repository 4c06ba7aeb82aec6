"""Fixtures for the connector tests: each source parsed once per session, straight from the shared mirror.

The connectors are pure (paths in, frames out), so these tests need no warehouse and no network: they call
``SOURCE.parse`` with paths into ``mirror_dir`` (and the package files for curated data).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from lmc.sources.base import Source
from lmc.sources.registry import all_sources


@pytest.fixture(scope="session")
def manifest(mirror_dir: Path) -> dict[str, dict[str, str]]:
    """MANIFEST rows keyed by ``file``."""
    with open(mirror_dir / "MANIFEST.csv", newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def mirror_paths(source: Source, mirror_dir: Path) -> dict[str, Path]:
    if source.curated:
        from lmc.sources.curated import package_paths

        return package_paths()
    return {f.path: mirror_dir / f.path for f in source.files}


@pytest.fixture(scope="session")
def parsed(mirror_dir: Path) -> Callable[[str], dict[str, pd.DataFrame]]:
    """``parsed(source_id)`` -> the source's tables, parsed from the mirror once per session."""
    cache: dict[str, dict[str, pd.DataFrame]] = {}

    def get(source_id: str) -> dict[str, pd.DataFrame]:
        if source_id not in cache:
            source = all_sources()[source_id]
            cache[source_id] = source.parse(mirror_paths(source, mirror_dir))
        return cache[source_id]

    return get


@pytest.fixture()
def copy_of(tmp_path: Path, mirror_dir: Path) -> Callable[[str], Path]:
    """``copy_of(rel_path)`` -> a private copy of a mirror file (to corrupt in a test), under tmp_path."""

    def make(rel: str) -> Path:
        dst = tmp_path / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror_dir / rel, dst)
        return dst

    return make
