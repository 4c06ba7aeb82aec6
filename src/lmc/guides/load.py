"""Read and validate the manuals' YAML files, turning every problem into one message with file, line and field.

Content lives beside the code in ``lmc/guides/content/``: one ``<ISO3>.yaml`` per destination and ``_ui.yaml`` for
the booklet's own labels. ``load_guide`` is the only place that reads those files.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic
import yaml

from lmc import LMC_COUNTRIES
from lmc.errors import ValidationError, unknown
from lmc.guides.model import Guide, UiStrings

CONTENT_DIR = Path(__file__).resolve().parent / "content"


class GuideContentError(ValidationError):
    """A manual's YAML file does not validate; the message names the file, line and field."""


def _line_index(node: yaml.Node, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """Map every key path in a composed YAML tree to its 1-based line, so pydantic locations can be reported."""
    out: dict[tuple[Any, ...], int] = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = k.value
            out[(*path, key)] = k.start_mark.line + 1
            out.update({p: ln for p, ln in _line_index(v, (*path, key)).items() if p != (*path, key)})
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            out.update(_line_index(v, (*path, i)))
    return out


def _nearest_line(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    for cut in range(len(loc), -1, -1):
        key = tuple(loc[:cut])
        if key in lines:
            return lines[key]
    return 1


def _read_yaml(path: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    if not path.is_file():
        raise GuideContentError(f"{path}: file not found")
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise GuideContentError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    return data, (_line_index(node) if node is not None else {})


def _explain(path: Path, exc: pydantic.ValidationError, lines: dict[tuple[Any, ...], int],
             data: Any) -> GuideContentError:
    """One line per problem: ``file:line: field: message`` (the first few problems, then a count)."""
    msgs: list[str] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or "(file)"
        msg = err["msg"].removeprefix("Value error, ")
        if err.get("type") == "literal_error":
            valid = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
            msg = unknown("value", str(err.get("input")), valid)
        if not loc:
            # model-level checks report many problems at once, each naming its own field
            for part in msg.split("; "):
                m = re.match(r"items\[(\d+)\]", part) or re.match(r"phrases\[(\d+)\]", part)
                sub: tuple[Any, ...] = ()
                if m:
                    sub = ("items" if part.startswith("items") else "phrases", int(m.group(1)))
                msgs.append(f"{path}:{_nearest_line(lines, sub)}: {part}")
            continue
        msgs.append(f"{path}:{_nearest_line(lines, loc)}: {field}: {msg}")
    shown = msgs[:8]
    more = f" (and {len(msgs) - 8} more)" if len(msgs) > 8 else ""
    return GuideContentError("; ".join(shown) + more)


def parse_guide(path: Path) -> Guide:
    """Validate one destination file (any path: tests use this on synthetic files)."""
    data, lines = _read_yaml(path)
    if not isinstance(data, dict):
        raise GuideContentError(f"{path}:1: expected a mapping with country, name, sources, items, phrases")
    beside = path.parent / "_phrases.yaml"
    _fill_phrase_meanings(data, beside if beside.is_file() else CONTENT_DIR / "_phrases.yaml")
    try:
        return Guide.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _explain(path, exc, lines, data) from None


def _fill_phrase_meanings(data: dict[str, Any], concepts_file: Path) -> None:
    """Phrases whose ``id`` names a shared concept (``_phrases.yaml``: hello, thanks ...) take its meanings.

    The meaning of "thank you" is the same whatever the destination, so it is translated once; a phrase can still
    give its own ``meaning`` (or override single languages).
    """
    phrases = data.get("phrases")
    if not isinstance(phrases, list) or not concepts_file.is_file():
        return
    concepts = yaml.safe_load(concepts_file.read_text(encoding="utf-8")) or {}
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
    path = content_dir / "_ui.yaml"
    data, lines = _read_yaml(path)
    try:
        return UiStrings.model_validate({"strings": data})
    except pydantic.ValidationError as exc:
        raise _explain(path, exc, lines, data) from None
