"""YAML reading that remembers line numbers, so validation errors can name the line of the bad field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lmc.index.errors import SpecError


class LineDict(dict):
    """A mapping read from YAML; ``line`` is its 1-based line, ``key_lines`` the line of each key."""

    line: int | None = None
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int | None:
        return getattr(self, "key_lines", {}).get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path, *, error: type[Exception] = SpecError) -> Any:
    """Read a YAML file into LineDicts/lists; a syntax error names the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return loads_yaml(text, source=str(path), error=error)


def loads_yaml(text: str, *, source: str = "<string>", error: type[Exception] = SpecError) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise error(f"{source}{line}: invalid YAML ({getattr(exc, 'problem', exc)})") from exc


def line_of(obj: Any, key: str | None = None) -> int | None:
    """Line of ``obj`` (or of its ``key``) if it was read by :func:`load_yaml`."""
    if isinstance(obj, LineDict):
        return obj.line_of(key) if key is not None else obj.line
    return None
