"""How much of each manual exists in each language: the numbers behind ``lmc guide status``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lmc.guides.model import CORE_SECTIONS, LANGS, SECTIONS, Guide


@dataclass(frozen=True, slots=True)
class CoverageRow:
    country: str
    lang: str
    section: str
    translated: int
    total: int
    core: bool
    own_language: bool

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class CoverageResult:
    """Translated / total texts for every destination × language × section (items and phrase meanings)."""

    rows: tuple[CoverageRow, ...]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [{"country": r.country, "lang": r.lang, "section": r.section, "translated": r.translated,
              "total": r.total, "share": r.share, "core": r.core, "own_language": r.own_language}
             for r in self.rows]
        )

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.to_frame().to_dict(orient="records"), "summary": self.by_lang_section()}

    def by_lang_section(self) -> dict[str, dict[str, float]]:
        """Share translated per section (rows) and language (columns), pooled over the destinations."""
        out: dict[str, dict[str, float]] = {}
        for sec in SECTIONS:
            out[sec] = {}
            for lang in LANGS:
                rs = [r for r in self.rows if r.section == sec and r.lang == lang]
                tot = sum(r.total for r in rs)
                out[sec][lang] = sum(r.translated for r in rs) / tot if tot else 1.0
        return out

    def gaps(self, *, required_only: bool = True) -> tuple[CoverageRow, ...]:
        """Rows below 100 %; with ``required_only`` just those the project promises (en, zh, own language core)."""
        def required(r: CoverageRow) -> bool:
            return r.lang in ("en", "zh") or (r.own_language and r.core)
        return tuple(r for r in self.rows if r.translated < r.total and (required(r) or not required_only))


def coverage(guides: Iterable[Guide]) -> CoverageResult:
    rows: list[CoverageRow] = []
    for g in guides:
        for lang in LANGS:
            for sec in SECTIONS:
                if sec == "phrases":
                    texts = [p.meaning for p in g.phrases]
                else:
                    texts = [it.text for it in g.items_in(sec)]
                rows.append(CoverageRow(
                    country=g.country, lang=lang, section=sec, translated=sum(lang in t for t in texts),
                    total=len(texts), core=sec in CORE_SECTIONS, own_language=lang == g.local_lang,
                ))
    return CoverageResult(rows=tuple(rows))
