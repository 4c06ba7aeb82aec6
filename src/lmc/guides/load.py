"""Read and validate the manuals' YAML files, turning every problem into one message with file, line and field.

Content lives beside the code in ``lmc/guides/content/``: one ``<ISO3>.yaml`` per destination, ``_shared.yaml`` for
items several destinations share (a destination lists ``- include: <id>`` where the item belongs), ``_phrases.yaml``
for phrase meanings, ``_glossary.yaml`` for required word forms and ``_ui.yaml`` for the booklet's own labels.
``load_guide`` is the only place that reads those files.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic

from lmc import LMC_COUNTRIES, yamldoc
from lmc.errors import ValidationError, unknown
from lmc.guides.model import Guide, SharedContent, UiStrings
from lmc.yamldoc import YamlDoc

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class GuideContentError(ValidationError):
    """A manual's YAML file does not validate; the message names the file, line and field."""


def _read_yaml(path: Path) -> YamlDoc:
    if not path.is_file():
        raise GuideContentError(f"{path}: file not found")
    return yamldoc.load(path, error=GuideContentError)


def _explain(path: Path, exc: pydantic.ValidationError, doc: YamlDoc) -> GuideContentError:
    """One part per problem: ``file:line: field: message`` (the first few problems, then a count)."""
    msgs: list[str] = []
    for err in exc.errors():
        if err["loc"]:
            msgs += yamldoc.pydantic_problems([err], doc, str(path))
            continue
        # model-level checks report many problems at once, each naming its own field
        for part in str(err["msg"]).removeprefix("Value error, ").split("; "):
            m = re.match(r"(items|phrases)\[(\d+)\]", part)
            sub: tuple[Any, ...] = (m.group(1), int(m.group(2))) if m else ()
            msgs.append(f"{path}:{doc.line(sub) or 1}: {part}")
    return GuideContentError(yamldoc.summarise(msgs, 8))


def _beside(path: Path, name: str) -> Path:
    """A shared content file next to ``path`` (synthetic test folders), else the package's own."""
    here = path.parent / name
    return here if here.is_file() else CONTENT_DIR / name


@lru_cache(maxsize=4)
def load_shared(path: Path) -> SharedContent:
    doc = _read_yaml(path)
    try:
        return SharedContent.model_validate(doc.data)
    except pydantic.ValidationError as exc:
        raise _explain(path, exc, doc) from None


def _include_shared(data: dict[str, Any], path: Path, doc: YamlDoc) -> None:
    """Replace each ``- include: <id>`` in ``items`` by that shared item, in place, and add its sources."""
    items = data.get("items")
    if not isinstance(items, list) or not any(isinstance(it, dict) and "include" in it for it in items):
        return
    shared = load_shared(_beside(path, "_shared.yaml"))
    by_id = {it.id: it for it in shared.items}
    sources = data.setdefault("sources", {})
    for i, it in enumerate(items):
        if not (isinstance(it, dict) and "include" in it):
            continue
        where = f"{path}:{doc.line(('items', i)) or 1}: items.{i}.include"
        if set(it) != {"include"}:
            raise GuideContentError(f"{where}: an include stands alone (no other fields)")
        ref = str(it["include"])
        if ref not in by_id:
            raise GuideContentError(f"{where}: {unknown('shared item', ref, sorted(by_id))}")
        item = by_id[ref]
        for sid in item.sources:
            own = shared.sources[sid].model_dump()
            if isinstance(sources, dict) and sources.setdefault(sid, own) != own:
                raise GuideContentError(f"{where}: source id {sid!r} is also defined here, differently; rename one")
        items[i] = item.model_dump(exclude_none=True)


def _check_glossary(guide: Guide, path: Path, doc: YamlDoc) -> None:
    """Refuse a text that uses a word form the glossary rules out (e.g. 老中铁路 for 中老铁路)."""
    from lmc.guides.glossary import problems

    texts: list[tuple[str, str, str]] = []
    for i, it in enumerate(guide.items):
        for field in ("text", "caveat"):
            for lang, txt in (getattr(it, field) or {}).items():
                texts.append((f"{path}:{doc.line(('items', i)) or 1}: items[{i}] ({it.id}).{field}.{lang}", lang, txt))
    if guide.notice is not None:
        texts += [(f"{path}:{doc.line(('notice',)) or 1}: notice.text.{lang}", lang, txt)
                  for lang, txt in guide.notice.text.items()]
    texts += [(f"{path}:{doc.line(('name',)) or 1}: name.{lang}", lang, txt) for lang, txt in guide.name.items()]
    _refuse(problems(texts))


def _refuse(found: list[tuple[str, str]]) -> None:
    """One error naming every ``(where, message)`` found (the first few, then a count)."""
    if found:
        raise GuideContentError(yamldoc.summarise([f"{where}: {msg}" for where, msg in found], 8))


def parse_guide(path: Path) -> Guide:
    """Validate one destination file (any path: tests use this on synthetic files)."""
    doc = _read_yaml(path)
    data = doc.data
    if not isinstance(data, dict):
        raise GuideContentError(f"{path}:1: expected a mapping with country, name, sources, items, phrases")
    _fill_phrase_meanings(data, _beside(path, "_phrases.yaml"))
    _include_shared(data, path, doc)
    try:
        guide = Guide.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _explain(path, exc, doc) from None
    _check_glossary(guide, path, doc)
    return guide


def _fill_phrase_meanings(data: dict[str, Any], concepts_file: Path) -> None:
    """Phrases whose ``id`` names a shared concept (``_phrases.yaml``: hello, thanks ...) take its meanings.

    The meaning of "thank you" is the same whatever the destination, so it is translated once; a phrase can still
    give its own ``meaning`` (or override single languages).
    """
    phrases = data.get("phrases")
    if not isinstance(phrases, list) or not concepts_file.is_file():
        return
    concepts = yamldoc.load(concepts_file, error=GuideContentError).data or {}
    for ph in phrases:
        if isinstance(ph, dict) and ph.get("id") in concepts:
            ph["meaning"] = {**concepts[ph["id"]], **(ph.get("meaning") or {})}


def available_countries(content_dir: Path = CONTENT_DIR) -> tuple[str, ...]:
    """ISO3 codes that have a content file, in the LMC order."""
    have = {p.stem for p in content_dir.glob("*.yaml") if not p.stem.startswith("_")}
    return tuple(c for c in LMC_COUNTRIES if c in have) + tuple(sorted(have - set(LMC_COUNTRIES)))


def check_country(iso3: str, content_dir: Path = CONTENT_DIR) -> str:
    code = str(iso3).strip().upper()
    valid = available_countries(content_dir)
    if code not in valid:
        raise GuideContentError(unknown("destination", str(iso3), valid))
    return code


@lru_cache(maxsize=16)
def load_guide(iso3: str, content_dir: Path = CONTENT_DIR) -> Guide:
    """The validated manual of one destination (cached: content files do not change while running)."""
    code = check_country(iso3, content_dir)
    guide = parse_guide(content_dir / f"{code}.yaml")
    if guide.country != code:
        raise GuideContentError(f"{content_dir / f'{code}.yaml'}:1: country: file says {guide.country!r}, "
                                f"its name says {code!r}")
    return guide


def load_all(content_dir: Path = CONTENT_DIR) -> tuple[Guide, ...]:
    return tuple(load_guide(c, content_dir) for c in available_countries(content_dir))


@lru_cache(maxsize=2)
def load_ui(content_dir: Path = CONTENT_DIR) -> UiStrings:
    """The booklet's labels in all seven languages."""
    from lmc.guides.glossary import problems

    path = content_dir / "_ui.yaml"
    doc = _read_yaml(path)
    try:
        ui = UiStrings.model_validate({"strings": doc.data})
    except pydantic.ValidationError as exc:
        raise _explain(path, exc, doc) from None
    _refuse(problems((f"{path}:{doc.line((key,)) or 1}: {key}.{lang}", lang, text)
                     for key, per in ui.strings.items() for lang, text in per.items()))
    return ui
