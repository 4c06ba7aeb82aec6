"""Pick one language out of a multilingual manual, falling back to English where a translation is missing.

The fallback is never silent: each item records the language it is actually shown in, and the renderers mark
English stand-ins with a visible label and the right ``lang`` attribute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lmc.errors import ValidationError, unknown
from lmc.guides.model import LANGS, SECTIONS, Guide, Phrase, Source


@dataclass(frozen=True, slots=True)
class LocalItem:
    id: str
    section: str
    kind: str
    text: str
    text_lang: str
    fallback: bool
    caveat: str | None
    caveat_lang: str
    source_numbers: tuple[int, ...]
    last_reviewed: dt.date
    changes_often: bool


@dataclass(frozen=True, slots=True)
class LocalPhrase:
    id: str
    native: str
    roman: str
    meaning: str
    meaning_lang: str
    fallback: bool
    source_numbers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class LocalSection:
    key: str
    items: tuple[LocalItem, ...]
    phrases: tuple[LocalPhrase, ...]


@dataclass(frozen=True, slots=True)
class LocalGuide:
    """A manual in one language: what the HTML and PDF templates render."""

    country: str
    lang: str
    local_lang: str
    name: str
    reviewed: dt.date
    notice: LocalItem | None
    sections: tuple[LocalSection, ...]
    sources: tuple[tuple[int, str, Source], ...]  # (number, id, source), numbered in order of first citation

    @property
    def fallback_count(self) -> int:
        n = sum(it.fallback for s in self.sections for it in s.items)
        return n + sum(p.fallback for s in self.sections for p in s.phrases)


def check_lang(lang: str) -> str:
    code = str(lang).strip().lower()
    aliases = {"zh-hans": "zh", "zh-cn": "zh", "cn": "zh", "la": "lo", "kh": "km", "mm": "my", "bur": "my"}
    code = aliases.get(code, code)
    if code not in LANGS:
        raise ValidationError(unknown("language", str(lang), LANGS))
    return code


def localise(guide: Guide, lang: str) -> LocalGuide:
    """The manual of ``guide`` in ``lang``; sources are renumbered 1..n in the order the booklet cites them."""
    lang = check_lang(lang)
    numbers: dict[str, int] = {}

    def cite(ids: tuple[str, ...]) -> tuple[int, ...]:
        for sid in ids:
            numbers.setdefault(sid, len(numbers) + 1)
        return tuple(numbers[s] for s in ids)

    def one(it) -> LocalItem:  # type: ignore[no-untyped-def]
        have = lang in it.text
        caveat, caveat_lang = None, "en"
        if it.caveat is not None:
            caveat_lang = lang if lang in it.caveat else "en"
            caveat = it.caveat[caveat_lang]
        return LocalItem(
            id=it.id, section=it.section, kind=it.kind,
            text=it.text[lang] if have else it.text["en"], text_lang=lang if have else "en", fallback=not have,
            caveat=caveat, caveat_lang=caveat_lang, source_numbers=cite(it.sources), last_reviewed=it.last_reviewed,
            changes_often=it.changes_often,
        )

    notice = one(guide.notice) if guide.notice is not None else None
    sections: list[LocalSection] = []
    for key in SECTIONS:
        items = tuple(one(it) for it in guide.items_in(key))
        phrases: tuple[LocalPhrase, ...] = ()
        if key == "phrases":
            phrases = tuple(_phrase(p, lang, cite) for p in guide.phrases)
        sections.append(LocalSection(key=key, items=items, phrases=phrases))
    ordered = sorted(numbers.items(), key=lambda kv: kv[1])
    return LocalGuide(
        country=guide.country, lang=lang, local_lang=guide.local_lang,
        name=guide.name.get(lang, guide.name["en"]), reviewed=guide.reviewed, notice=notice,
        sections=tuple(sections), sources=tuple((n, sid, guide.sources[sid]) for sid, n in ordered),
    )


def _phrase(p: Phrase, lang: str, cite) -> LocalPhrase:  # type: ignore[no-untyped-def]
    have = lang in p.meaning
    return LocalPhrase(id=p.id, native=p.native, roman=p.roman, meaning=p.meaning[lang] if have else p.meaning["en"],
                       meaning_lang=lang if have else "en", fallback=not have, source_numbers=cite(p.sources))
