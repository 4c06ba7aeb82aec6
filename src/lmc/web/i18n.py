"""The web app's message catalogs (``locales/en.yaml``, ``locales/zh.yaml``) and the choice of language per request.

Both catalogs must hold the same keys (a test checks it); a missing key raises rather than showing a key name.
The language comes from ``?lang=`` (which also sets a cookie), then the ``lmc_lang`` cookie, then the settings'
locale when it is one of :data:`UI_LANGS`, else English. The manuals have more languages than the interface:
their pages offer all seven.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lmc import yamldoc
from lmc.errors import ValidationError

UI_LANGS: tuple[str, ...] = ("en", "zh")
LANG_LABELS: dict[str, str] = {"en": "English", "zh": "中文"}
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
COOKIE = "lmc_lang"


@lru_cache(maxsize=len(UI_LANGS))
def catalog(lang: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{lang}.yaml"
    raw = yamldoc.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValidationError(f"{path}: a catalog is a mapping of key: text")
    bad = [k for k, v in raw.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise ValidationError(f"{path}: key {bad[0]!r}: empty or not text")
    return {str(k): str(v) for k, v in raw.items()}


class Translator:
    """``t('key', n=3)``: the text in one language, with ``{name}`` placeholders filled."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in UI_LANGS else "en"
        self._cat = catalog(self.lang)

    def __call__(self, key: str, **kw: object) -> str:
        try:
            text = self._cat[key]
        except KeyError:
            raise KeyError(f"message {key!r} missing from locales/{self.lang}.yaml") from None
        return text.format(**kw) if kw else text

    def has(self, key: str) -> bool:
        return key in self._cat


@lru_cache(maxsize=1)
def _unit_texts_zh() -> dict[str, str]:
    raw = yamldoc.safe_load((LOCALES_DIR / "indicator_units.zh.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in raw.items()}


def indicator_unit(unit: str, lang: str) -> tuple[str, str]:
    """An indicator's unit of measure in ``lang`` and the language it is actually in: the framework states units in
    English; ``locales/indicator_units.zh.yaml`` gives the Chinese. A unit without a translation stays English
    (the page marks it ``lang="en"``)."""
    if lang == "zh" and unit in _unit_texts_zh():
        return _unit_texts_zh()[unit], "zh"
    return unit, "en"


def pick_lang(query: str | None, cookie: str | None, default: str) -> str:
    for cand in (query, cookie, default):
        if cand in UI_LANGS:
            return cand  # type: ignore[return-value]
    return "en"
