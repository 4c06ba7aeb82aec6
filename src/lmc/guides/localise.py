"""Pick one language edition out of a multilingual manual, falling back to English where a translation is missing.

The fallback is never silent: each item records the language it is actually shown in, and the renderers mark
English stand-ins with a visible label and the right ``lang`` attribute.

Editions: a language edition addresses the holders of one passport when :data:`~lmc.guides.model.EDITION_AUDIENCE`
says so and the destination has items for them (the Chinese edition of Thailand leads with the rules for Chinese
citizens, and leaves out general-edition items they replace). Otherwise it is the general edition (English) or a
translation of it, and says so on its cover.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from lmc.errors import ValidationError, unknown
from lmc.guides.model import CITIZENS, EDITION_AUDIENCE, LANGS, SECTIONS, Guide, Item, Phrase, Source

Edition = Literal["citizens", "general", "translation"]


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
    verified: dt.date
    volatile: bool
    effective: str | None
    """The date the rule took effect (``2024-03-01``, ``2024-03``), without the ``by`` of :attr:`effective_by`."""
    effective_by: bool
    """True when only the earliest source confirming the rule is dated: "in force at least since"."""


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
    label_key: str
    """The label of its heading in ``_ui.yaml``: ``sec_<key>``; ``sec_citizens_<ISO3>`` for a citizens section."""


@dataclass(frozen=True, slots=True)
class LocalGuide:
    """A manual in one language: what the HTML and PDF templates render."""

    country: str
    lang: str
    local_lang: str
    name: str
    reviewed: dt.date
    edition: Edition
    audience: str | None
    """The passport this edition addresses (``CHN``), or None for the general edition and its translations."""
    notice: LocalItem | None
    sections: tuple[LocalSection, ...]
    sources: tuple[tuple[int, str, Source], ...]  # (number, id, source), numbered in order of first citation

    @property
    def fallback_count(self) -> int:
        n = sum(it.fallback for s in self.sections for it in s.items)
        return n + sum(p.fallback for s in self.sections for p in s.phrases)

    @property
    def shown_items(self) -> tuple[LocalItem, ...]:
        return (*([self.notice] if self.notice else []), *(it for s in self.sections for it in s.items))

    @property
    def verified_oldest(self) -> dt.date:
        """The oldest verification date of anything this edition prints (shown on the cover)."""
        return min(it.verified for it in self.shown_items)

    @property
    def verified_newest(self) -> dt.date:
        return max(it.verified for it in self.shown_items)


def check_lang(lang: str) -> str:
    code = str(lang).strip().lower()
    aliases = {"zh-hans": "zh", "zh-cn": "zh", "cn": "zh", "la": "lo", "kh": "km", "mm": "my", "bur": "my"}
    code = aliases.get(code, code)
    if code not in LANGS:
        raise ValidationError(unknown("language", str(lang), LANGS))
    return code


def edition_of(guide: Guide, lang: str) -> tuple[Edition, str | None]:
    """Which edition ``lang`` is for ``guide``: for one passport's holders, the general one, or its translation."""
    audience = EDITION_AUDIENCE.get(lang)
    if audience is not None and audience in guide.audiences():
        return "citizens", audience
    return ("general" if lang == "en" else "translation"), None


def shows(item: Item, audience: str | None) -> bool:
    """Whether an edition addressing ``audience`` (None: general edition) prints ``item``."""
    if item.audience == "all":
        return True
    if item.audience == "general":
        return audience is None
    return item.audience == audience


def localise(guide: Guide, lang: str) -> LocalGuide:
    """The manual of ``guide`` in ``lang``; sources are renumbered 1..n in the order the booklet cites them."""
    lang = check_lang(lang)
    edition, audience = edition_of(guide, lang)
    numbers: dict[str, int] = {}

    def cite(ids: tuple[str, ...]) -> tuple[int, ...]:
        for sid in ids:
            numbers.setdefault(sid, len(numbers) + 1)
        return tuple(numbers[s] for s in ids)

    def one(it: Item) -> LocalItem:
        have = lang in it.text
        caveat, caveat_lang = None, "en"
        if it.caveat is not None:
            caveat_lang = lang if lang in it.caveat else "en"
            caveat = it.caveat[caveat_lang]
        effective = it.effective.removeprefix("by ") if it.effective else None
        return LocalItem(
            id=it.id, section=it.section, kind=it.kind,
            text=it.text[lang] if have else it.text["en"], text_lang=lang if have else "en", fallback=not have,
            caveat=caveat, caveat_lang=caveat_lang, source_numbers=cite(it.sources), verified=it.verified,
            volatile=it.volatile, effective=effective, effective_by=bool(it.effective) and it.effective != effective,
        )

    notice = one(guide.notice) if guide.notice is not None else None
    sections: list[LocalSection] = []
    for key in ((CITIZENS,) if audience else ()) + SECTIONS:
        items = tuple(one(it) for it in guide.items_in(key) if shows(it, audience))
        phrases: tuple[LocalPhrase, ...] = ()
        if key == "phrases":
            phrases = tuple(_phrase(p, lang, cite) for p in guide.phrases)
        if not items and not phrases:  # e.g. a section whose only items the citizens section replaces
            continue
        label = f"sec_{key}_{audience}" if key == CITIZENS else f"sec_{key}"
        sections.append(LocalSection(key=key, items=items, phrases=phrases, label_key=label))
    ordered = sorted(numbers.items(), key=lambda kv: kv[1])
    return LocalGuide(
        country=guide.country, lang=lang, local_lang=guide.local_lang,
        name=guide.name.get(lang, guide.name["en"]), reviewed=guide.reviewed, edition=edition, audience=audience,
        notice=notice, sections=tuple(sections), sources=tuple((n, sid, guide.sources[sid]) for sid, n in ordered),
    )


def _phrase(p: Phrase, lang: str, cite) -> LocalPhrase:  # type: ignore[no-untyped-def]
    have = lang in p.meaning
    return LocalPhrase(id=p.id, native=p.native, roman=p.roman, meaning=p.meaning[lang] if have else p.meaning["en"],
                       meaning_lang=lang if have else "en", fallback=not have, source_numbers=cite(p.sources))
