from pathlib import Path

import pytest

from lmc.config import load_settings
from lmc.errors import ConfigError


def test_toml_relative_paths_resolve_against_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LMC_HOME", "LMC_WAREHOUSE", "LMC_MIRROR", "LMC_LOCALE", "LMC_OFFLINE", "LMC_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "proj" / "sub").mkdir(parents=True)
    (tmp_path / "proj" / "lmc.toml").write_text('home = ".home"\nmirrors = ["../mirror", "https://example.org/m"]\n')
    s = load_settings(start=tmp_path / "proj" / "sub")
    assert s.home == (tmp_path / "proj" / ".home").resolve()
    assert s.warehouse == s.home / "warehouse.duckdb"
    assert s.mirrors == (str((tmp_path / "mirror").resolve()), "https://example.org/m")


def test_environment_overrides_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lmc.toml").write_text('home = "a"\nlocale = "en"\n')
    monkeypatch.setenv("LMC_CONFIG", str(tmp_path / "lmc.toml"))
    monkeypatch.setenv("LMC_HOME", str(tmp_path / "b"))
    monkeypatch.setenv("LMC_LOCALE", "zh")
    monkeypatch.delenv("LMC_WAREHOUSE", raising=False)
    s = load_settings()
    assert s.home == (tmp_path / "b").resolve()
    assert s.warehouse == s.home / "warehouse.duckdb"
    assert s.locale == "zh"


def test_unknown_setting_names_the_file_and_suggests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lmc.toml").write_text('mirror = ["x"]\n')
    monkeypatch.setenv("LMC_CONFIG", str(tmp_path / "lmc.toml"))
    with pytest.raises(ConfigError, match=r"lmc.toml.*'mirror'.*Did you mean 'mirrors'"):
        load_settings()


def test_invalid_locale_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lmc.toml").write_text('locale = "fr"\n')
    monkeypatch.setenv("LMC_CONFIG", str(tmp_path / "lmc.toml"))
    monkeypatch.delenv("LMC_LOCALE", raising=False)
    with pytest.raises(ConfigError, match="locale"):
        load_settings()
