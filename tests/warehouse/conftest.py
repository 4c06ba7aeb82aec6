"""Fixtures for the warehouse tests: isolated settings, the synthetic sources, and the session-pulled warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures_warehouse import synthetic_thai, synthetic_wdi_meta
from lmc.config import Settings, get_settings, load_settings


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mirror_dir: Path) -> Settings:
    """A fresh home under tmp_path with the shared mirror, offline; also made the process default."""
    home = tmp_path / "home"
    for var in ("LMC_CONFIG",):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LMC_HOME", str(home))
    monkeypatch.setenv("LMC_WAREHOUSE", str(home / "warehouse.duckdb"))
    monkeypatch.setenv("LMC_MIRROR", str(mirror_dir))
    monkeypatch.setenv("LMC_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield load_settings()
    get_settings.cache_clear()


@pytest.fixture()
def registry(mirror_dir: Path) -> dict:
    """The synthetic sources by id."""
    return {s.id: s for s in (synthetic_thai(mirror_dir), synthetic_wdi_meta(mirror_dir))}
