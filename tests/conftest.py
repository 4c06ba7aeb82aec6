"""Fixtures shared by every test area: where ../shared is, and an isolated LMC home per test."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["fixtures_warehouse"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder (present in CI beside the clone)."""
    assert SHARED.is_dir(), f"../shared not found beside the repository (looked at {SHARED})"
    return SHARED


@pytest.fixture(scope="session")
def mirror_dir(shared_dir: Path) -> Path:
    mirror = shared_dir / "data" / "mirror"
    assert (mirror / "MANIFEST.csv").is_file(), f"no MANIFEST.csv in {mirror}"
    return mirror


@pytest.fixture()
def lmc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mirror_dir: Path) -> Path:
    """An empty LMC home for one test, with the shared mirror configured and the settings cache cleared."""
    from lmc.config import get_settings

    home = tmp_path / "lmc_home"
    monkeypatch.setenv("LMC_HOME", str(home))
    monkeypatch.delenv("LMC_WAREHOUSE", raising=False)
    monkeypatch.setenv("LMC_MIRROR", str(mirror_dir))
    monkeypatch.setenv("LMC_CONFIG", str(REPO / "lmc.toml"))
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()
