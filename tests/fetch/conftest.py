"""Fixtures for the fetch tests: isolated settings (temp home, no env leakage) and copies of mirror files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lmc.config import Settings, load_settings


@pytest.fixture()
def make_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``make_settings(mirrors=[...], offline=...)``: settings with a fresh home under tmp_path."""
    for var in ("LMC_HOME", "LMC_WAREHOUSE", "LMC_MIRROR", "LMC_OFFLINE", "LMC_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)

    def make(mirrors=(), offline: bool = True, retries: int = 0) -> Settings:
        home = tmp_path / "home"
        return load_settings(home=home, warehouse=home / "warehouse.duckdb", mirrors=tuple(map(str, mirrors)),
                             offline=offline, retries=retries)

    return make


@pytest.fixture()
def mirror_copy(tmp_path: Path, mirror_dir: Path):
    """``mirror_copy(rel_path) -> (mirror_root, file_path)``: a private mirror holding a copy of one real file."""

    def make(rel: str) -> tuple[Path, Path]:
        root = tmp_path / "mirror"
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror_dir / rel, dest)
        return root, dest

    return make
