"""The content model of the traveller manuals: what one destination's YAML file must say, checked by pydantic.

Why a strict model: the manuals make legal statements (drug penalties, royal-insult laws, visa rules) to people who
cannot check them. Every item therefore carries its sources, the date it was last verified against them and a
``volatile`` flag; a volatile item (a rule that changes often: visas, border crossings, emergency numbers) must also
say since when it is in force (``effective``). The loader refuses a file that leaves any of these out, rather than
printing an unsourced or undated claim.

Editions: an item may address the holders of one passport only (``audience: CHN``, in the leading ``citizens``
section) or readers of the general edition only (``audience: general``, e.g. a visa-exemption list that a citizens
item replaces). :data:`EDITION_AUDIENCE` says which language edition addresses which passport.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Lang = Literal["en", "zh", "th", "lo", "km", "my", "vi"]
LANGS: tuple[str, ...] = ("en", "zh", "th", "lo", "km", "my", "vi")
"""Languages of the manuals: English, Simplified Chinese, Thai, Lao, Khmer, Burmese, Vietnamese."""

COMPLETE_LANGS: tuple[str, ...] = ("en", "zh")
"""Every item of every destination must exist in these languages."""

BCP47: dict[str, str] = {"en": "en", "zh": "zh-Hans", "th": "th", "lo": "lo", "km": "km", "my": "my", "vi": "vi"}
"""The ``lang`` attribute written into HTML for each language (Simplified Chinese is ``zh-Hans``)."""

SECTIONS: tuple[str, ...] = (
    "greetings", "temples", "body", "dress", "photography", "laws", "money", "food",
    "transport", "safety", "health", "emergency", "environment", "phrases",
)
"""Required sections, in booklet order. ``phrases`` is filled from the ``phrases`` list, the rest from ``items``."""

CITIZENS = "citizens"
"""The optional leading section of an edition for one passport's holders (entry rules, consular help, advisories)."""

EDITION_AUDIENCE: dict[str, str] = {"zh": "CHN"}
"""Language edition → the passport it addresses when the destination has items for it (the Chinese edition leads
with what applies to holders of a Chinese passport). Other editions are the general edition or its translation."""

CORE_SECTIONS: tuple[str, ...] = ("greetings", "temples", "body", "laws", "emergency", "phrases")
"""Sections that must also exist in the destination's own language (Thai for Thailand, Lao for Laos ...)."""

Section = Literal[
    "citizens", "greetings", "temples", "body", "dress", "photography", "laws", "money", "food",
    "transport", "safety", "health", "emergency", "environment", "phrases",
]
Kind = Literal["do", "dont", "know"]
Tier = Literal["A", "B", "C", "D", "P"]
Retrieved = Literal["read", "mirror", "canonical"]

EFFECTIVE_PATTERN = r"^(by )?\d{4}(-\d{2}(-\d{2})?)?$"
"""``2024-03-01``, ``2024-03`` or ``2024`` when the start is known to that precision; ``by 2016-08`` when only the
date of the earliest source confirming the rule is known (printed as "in force at least since")."""


SCRIPT_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "zh": ((0x4E00, 0x9FFF),), "th": ((0x0E00, 0x0E7F),), "lo": ((0x0E80, 0x0EFF),),
    "km": ((0x1780, 0x17FF),), "my": ((0x1000, 0x109F),),
}
"""Unicode blocks a text in each non-Latin language must mostly be written in (catches Lao pasted as Thai)."""


def script_share(text: str, lang: str) -> float:
    """Share of the letters of ``text`` that belong to ``lang``'s script (1.0 for Latin-script languages)."""
    ranges = SCRIPT_RANGES.get(lang)
    if not ranges:
        return 1.0
    letters = [c for c in text if c.isalpha() or 0x0E00 <= ord(c) <= 0x17FF or 0x1000 <= ord(c) <= 0x109F]
    if not letters:
        return 0.0
    inside = sum(any(lo <= ord(c) <= hi for lo, hi in ranges) for c in letters)
    return inside / len(letters)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """One cited page. ``retrieved: mirror`` means the text was read through a copy (the URL is the copy's, used only
    where no original was reachable); ``retrieved: canonical`` means the page was *not* read. The booklet says both.

    ``accessed`` is the day the project read the page (for the shared source packs: the day the pack was compiled).
    Only tier P (the project's own compilation or translation) may lack a URL.
    """

    publisher: str = Field(min_length=2)
    title: str = Field(min_length=2)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    accessed: dt.date
    tier: Tier = Field(description="A government, B official/mirror of A, C media/guidebook, D commercial/blog, "
                                   "P the project's own translation or compilation.")
    retrieved: Retrieved = "read"

    @model_validator(mode="after")
    def _url_unless_own(self) -> Source:
        if self.url is None and self.tier != "P":
            raise ValueError("url is required (only tier P, the project's own work, may omit it)")
        return self


class Item(_Frozen):
    """One piece of advice: a do, a don't, or a fact worth knowing, with its sources and dates."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    section: Section
    kind: Kind = Field(description="do / dont / know ('good to know': numbers, currency, how things work).")
    text: dict[Lang, str]
    sources: tuple[str, ...] = Field(min_length=1)
    verified: dt.date = Field(description="When the item was last checked against its sources.")
    volatile: bool = Field(description="A rule that changes often (visas, borders, numbers): needs `effective`.")
    effective: str | None = Field(default=None, pattern=EFFECTIVE_PATTERN,
                                  description="Since when the rule is in force: a date, or 'by <date>'.")
    audience: str = Field(default="all", pattern=r"^(all|general|[A-Z]{3})$",
                          description="all; general (general edition only); an ISO3 passport (its edition only).")
    caveat: dict[Lang, str] | None = Field(default=None, description="Where sources disagree, are stale, or a "
                                                                     "rule's current status could not be confirmed.")

    @model_validator(mode="after")
    def _dated_and_placed(self) -> Item:
        if self.volatile and self.effective is None:
            raise ValueError("a volatile item needs `effective`: the date its rule took effect, or 'by <date>' "
                             "(the earliest source confirming it)")
        try:  # a month 13 or a 30 February is a typo: refuse it now, not when the booklet sorts by date
            _ = self.effective_date
        except ValueError:
            raise ValueError(f"effective: {self.effective!r} is not a real date") from None
        if (self.section == CITIZENS) != (self.audience not in ("all", "general")):
            raise ValueError("items for one passport's holders (audience: ISO3) go in the 'citizens' section, "
                             "and only they")
        return self

    @property
    def effective_date(self) -> dt.date | None:
        """The earliest day ``effective`` can mean (``2024-03`` → 2024-03-01), for sorting and comparisons."""
        if self.effective is None:
            return None
        parts = [int(x) for x in self.effective.removeprefix("by ").split("-")]
        return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])

    @field_validator("text")
    @classmethod
    def _needs_english(cls, v: dict[str, str]) -> dict[str, str]:
        if "en" not in v:
            raise ValueError("every item needs an English text ('en'): it is the fallback for missing languages")
        for lang, s in v.items():
            if not s or not s.strip():
                raise ValueError(f"text for {lang!r} is empty")
            if script_share(s, lang) < 0.5:
                raise ValueError(f"text for {lang!r} is mostly not in the {lang!r} script: wrong language slot?")
        return v


class Phrase(_Frozen):
    """A useful phrase in the destination's language: native script, romanisation and meaning per language."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    native: str = Field(min_length=1)
    roman: str = Field(min_length=1)
    meaning: dict[Lang, str]
    sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("meaning")
    @classmethod
    def _needs_english(cls, v: dict[str, str]) -> dict[str, str]:
        if "en" not in v:
            raise ValueError("every phrase needs an English meaning ('en')")
        return v


def inherit_verified(data: object) -> object:
    """Items without their own ``verified`` date were verified with the whole file (its ``reviewed`` date)."""
    if isinstance(data, dict) and "reviewed" in data:
        if isinstance(data.get("items"), list):
            data["items"] = [({"verified": data["reviewed"], **it} if isinstance(it, dict) else it)
                             for it in data["items"]]
        if isinstance(data.get("notice"), dict):
            data["notice"] = {"verified": data["reviewed"], **data["notice"]}
    return data


PRIMARY_TIERS = frozenset({"A", "B", "C"})
"""Tiers a rule told to a traveller can rest on: a government, an official copy, a news agency or media outlet."""


def unconfirmed_rule(item: Item, sources: dict[str, Source]) -> str | None:
    """Why ``item`` may not be printed as it stands, or None: a volatile rule (visas, fees, how to buy, what to
    declare) whose every source is a blog or a business (tier D) must say so in a caveat."""
    tiers = {sources[s].tier for s in item.sources if s in sources}
    if not item.volatile or not tiers or tiers & PRIMARY_TIERS or item.caveat is not None:
        return None
    return (f"a volatile rule cited only to tier {', '.join(sorted(tiers))} sources needs a source of tier A, B or C "
            "(government, official copy, news media) or a caveat saying it could not be confirmed")


class SharedContent(_Frozen):
    """Items (with their sources) that several destinations include with ``- include: <id>``: e.g. China's customs
    rules for returning travellers, the same whichever neighbour a Chinese citizen visits."""

    reviewed: dt.date
    sources: dict[str, Source]
    items: tuple[Item, ...]

    @model_validator(mode="before")
    @classmethod
    def _inherit(cls, data: object) -> object:
        return inherit_verified(data)

    @model_validator(mode="after")
    def _check(self) -> SharedContent:
        problems = [f"items[{i}] ({it.id}): {p}" for i, it in enumerate(self.items)
                    if (p := unconfirmed_rule(it, self.sources))]
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Guide(_Frozen):
    """One destination's manual: names, sources, items and phrases, checked for completeness."""

    country: str = Field(pattern=r"^[A-Z]{3}$")
    local_lang: Lang = Field(description="The destination's own language, which must cover the core sections.")
    name: dict[Lang, str]
    reviewed: dt.date = Field(description="When the whole file was last reviewed; items inherit it as `verified`.")
    notice: Item | None = Field(default=None, description="A safety notice printed before everything else.")
    sources: dict[str, Source] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)
    phrases: tuple[Phrase, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _inherit(cls, data: object) -> object:
        return inherit_verified(data)

    @model_validator(mode="after")
    def _check(self) -> Guide:
        problems: list[str] = []
        for lang in (*COMPLETE_LANGS, self.local_lang):
            if lang not in self.name:
                problems.append(f"name: missing {lang!r}")
        seen: set[str] = set()
        every = [*self.items, *([self.notice] if self.notice else [])]
        for i, item in enumerate(every):
            where = f"items[{i}] ({item.id})"
            if item.id in seen:
                problems.append(f"{where}: duplicate id {item.id!r}")
            seen.add(item.id)
            for sid in item.sources:
                if sid not in self.sources:
                    from lmc.errors import suggest

                    problems.append(f"{where}.sources: unknown source {sid!r}.{suggest(sid, self.sources)}")
            for lang in COMPLETE_LANGS:
                if lang not in item.text:
                    problems.append(f"{where}.text: missing {lang!r} (English and Chinese must be complete)")
                if item.caveat is not None and lang not in item.caveat:
                    problems.append(f"{where}.caveat: missing {lang!r}")
            problem = unconfirmed_rule(item, self.sources)
            if problem:
                problems.append(f"{where}: {problem}")
            if item.section == "phrases":
                problems.append(f"{where}.section: 'phrases' is filled from the phrases list, not from items")
            if item.section in CORE_SECTIONS and self.local_lang not in item.text:
                problems.append(f"{where}.text: missing {self.local_lang!r}, the destination's own language, "
                                f"which is required in the core section {item.section!r}")
        for i, ph in enumerate(self.phrases):
            for sid in ph.sources:
                if sid not in self.sources:
                    problems.append(f"phrases[{i}] ({ph.id}).sources: unknown source {sid!r}")
            for lang in (*COMPLETE_LANGS, self.local_lang):
                if lang not in ph.meaning and lang != self.local_lang:
                    problems.append(f"phrases[{i}] ({ph.id}).meaning: missing {lang!r}")
        present = {it.section for it in self.items} | {"phrases"}
        for sec in SECTIONS:
            if sec not in present:
                problems.append(f"items: no item in the required section {sec!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def items_in(self, section: str) -> tuple[Item, ...]:
        return tuple(it for it in self.items if it.section == section)

    @property
    def every_item(self) -> tuple[Item, ...]:
        """The items and the safety notice: everything that carries a rule and its dates."""
        return (*([self.notice] if self.notice else []), *self.items)

    def audiences(self) -> frozenset[str]:
        """The passports this manual has a citizens section for (e.g. ``{"CHN"}``)."""
        return frozenset(it.audience for it in self.items if it.section == CITIZENS)


class UiStrings(_Frozen):
    """Labels of the booklet (section titles, 'Do', 'Source', ...) in every language; no fallback allowed here."""

    strings: dict[str, dict[Lang, str]]

    @model_validator(mode="after")
    def _complete(self) -> UiStrings:
        missing = [f"{key}.{lang}" for key, per in self.strings.items() for lang in LANGS if lang not in per]
        if missing:
            raise ValueError("missing UI translations: " + ", ".join(missing[:20]))
        wrong = [f"{key}.{lang}" for key, per in self.strings.items() for lang, text in per.items()
                 if script_share(text, lang) < 0.5]
        if wrong:
            raise ValueError("labels not in their language's script: " + ", ".join(wrong[:20]))
        return self

    def get(self, key: str, lang: str) -> str:
        return self.strings[key][lang]  # type: ignore[index]
