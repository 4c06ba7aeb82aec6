"""One frozen settings object, read from environment variables and an optional ``lmc.toml``.

Precedence, highest first: environment variables (``LMC_HOME``, ``LMC_WAREHOUSE``, ``LMC_MIRROR`` — several
separated by ``os.pathsep`` or commas —, ``LMC_LOCALE``, ``LMC_OFFLINE``, ``LMC_GUIDE_URL``), then ``lmc.toml`` (the file named by
``LMC_CONFIG``, else the first ``lmc.toml`` found in the working directory or its parents), then defaults.
Relative paths in ``lmc.toml`` are resolved against the file's folder, so the repository's ``lmc.toml`` can name
``../shared/data/mirror`` and work from any working directory inside the checkout.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lmc.errors import ConfigError

Locale = Literal["en", "zh", "th", "lo", "km", "my", "vi"]
LOCALES: tuple[str, ...] = ("en", "zh", "th", "lo", "km", "my", "vi")


class Settings(BaseModel):
    """Where things live and how the observatory behaves. Frozen: pass a new one rather than mutate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    home: Path = Field(description="Folder for the warehouse, the download cache and outputs.")
    warehouse: Path = Field(description="The DuckDB warehouse file.")
    mirrors: tuple[str, ...] = Field(default=(), description="Folders or URL bases tried before publishers.")
    locale: Locale = "en"
    offline: bool = Field(default=False, description="Never use the network; mirrors and cache only.")
    timeout_s: float = Field(default=30.0, gt=0, description="Network timeout per request.")
    retries: int = Field(default=3, ge=0, le=10, description="Network retries per URL.")
    guide_url: str = Field(default="http://localhost:8000/guides/{iso3}/{lang}",
                           description="Public address of a traveller manual ({iso3}, {lang}); printed as QR codes.")
    config_file: Path | None = Field(default=None, description="The lmc.toml that was read, if any.")

    @property
    def cache_dir(self) -> Path:
        """Content-addressed download cache (files named by sha256)."""
        return self.home / "cache"

    @property
    def out_dir(self) -> Path:
        return self.home / "out"


def _default_home() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "lmc"


def find_config_file(start: Path | None = None) -> Path | None:
    """The ``lmc.toml`` in effect: ``$LMC_CONFIG``, else the nearest one upwards from ``start`` (cwd)."""
    explicit = os.environ.get("LMC_CONFIG")
    if explicit:
        p = Path(explicit).expanduser()
        if not p.is_file():
            raise ConfigError(f"LMC_CONFIG names {p}, which is not a file.")
        return p
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "lmc.toml"
        if candidate.is_file():
            return candidate
    return None


def _split_list(value: str) -> tuple[str, ...]:
    parts: list[str] = []
    for chunk in value.replace(",", os.pathsep).split(os.pathsep):
        chunk = chunk.strip()
        if chunk:
            parts.append(chunk)
    return tuple(parts)


def _resolve(value: str, base: Path) -> str:
    """Resolve a relative folder against ``base``; URLs are kept as they are."""
    if "://" in value:
        return value
    p = Path(value).expanduser()
    return str(p if p.is_absolute() else (base / p).resolve())


_TOML_KEYS = {"home", "warehouse", "mirrors", "locale", "offline", "timeout_s", "retries", "guide_url"}


def load_settings(start: Path | None = None, **overrides: object) -> Settings:
    """Read settings from ``lmc.toml`` and the environment; ``overrides`` win over both."""
    cfg_file = find_config_file(start)
    raw: dict[str, object] = {}
    base = Path.cwd()
    if cfg_file is not None:
        base = cfg_file.parent.resolve()
        try:
            raw = tomllib.loads(cfg_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{cfg_file}: not valid TOML: {exc}") from exc
        bad = set(raw) - _TOML_KEYS
        if bad:
            from lmc.errors import unknown

            raise ConfigError(f"{cfg_file}: " + unknown("setting", sorted(bad)[0], _TOML_KEYS))
        if "home" in raw:
            raw["home"] = _resolve(str(raw["home"]), base)
        if "warehouse" in raw:
            raw["warehouse"] = _resolve(str(raw["warehouse"]), base)
        if "mirrors" in raw:
            mirrors = raw["mirrors"]
            if isinstance(mirrors, str):
                mirrors = [mirrors]
            if not isinstance(mirrors, list):
                raise ConfigError(f"{cfg_file}: 'mirrors' must be a list of folders or URLs.")
            raw["mirrors"] = tuple(_resolve(str(m), base) for m in mirrors)

    env = os.environ
    if env.get("LMC_HOME"):
        raw["home"] = str(Path(env["LMC_HOME"]).expanduser().resolve())
        if not env.get("LMC_WAREHOUSE") and "warehouse" in raw and cfg_file is not None:
            # a home set in the environment moves the default warehouse with it
            raw.pop("warehouse")
    if env.get("LMC_WAREHOUSE"):
        raw["warehouse"] = str(Path(env["LMC_WAREHOUSE"]).expanduser().resolve())
    if env.get("LMC_MIRROR"):
        raw["mirrors"] = tuple(_resolve(m, Path.cwd()) for m in _split_list(env["LMC_MIRROR"]))
    if env.get("LMC_LOCALE"):
        raw["locale"] = env["LMC_LOCALE"]
    if env.get("LMC_GUIDE_URL"):
        raw["guide_url"] = env["LMC_GUIDE_URL"]
    if env.get("LMC_OFFLINE"):
        raw["offline"] = env["LMC_OFFLINE"].strip().lower() in {"1", "true", "yes", "on"}

    raw.update({k: v for k, v in overrides.items() if v is not None})
    home = Path(str(raw.get("home") or _default_home()))
    raw["home"] = home
    raw.setdefault("warehouse", home / "warehouse.duckdb")
    raw["config_file"] = cfg_file
    where = f"{cfg_file} or the environment" if cfg_file else "the environment"
    if home.exists() and not home.is_dir():
        raise ConfigError(f"the home folder {home} (setting 'home' / LMC_HOME, from {where}) is a file, not a folder")
    if Path(str(raw["warehouse"])).is_dir():
        raise ConfigError(f"the warehouse {raw['warehouse']} (setting 'warehouse' / LMC_WAREHOUSE, from {where}) "
                          "is a folder, not a DuckDB file")
    try:
        return Settings(**raw)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"invalid setting {field!r} (from {where}): {first['msg']}") from exc


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached). Tests call ``get_settings.cache_clear()`` after changing the env."""
    return load_settings()
