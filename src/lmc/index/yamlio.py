"""YAML reading for the index specs: mappings carry their line numbers, so validators can name the bad field's line.

Parsing and syntax errors are :mod:`lmc.yamldoc`'s; this module only hands the lines over to the data, because the
spec validators (``make_spec``, ``make_ua_spec``, the framework reader) also accept plain mappings built in Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lmc import yamldoc
from lmc.index.errors import SpecError


class LineDict(dict):
    """A mapping read from YAML; ``line`` is its 1-based line, ``key_lines`` the line of each key."""

    line: int | None = None
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int | None:
        return getattr(self, "key_lines", {}).get(key, self.line)


def _with_lines(obj: Any, doc: yamldoc.YamlDoc, path: tuple[Any, ...], line: int | None) -> Any:
    if isinstance(obj, dict):
        out = LineDict()
        out.line, out.key_lines = line, {}
        for key, value in obj.items():
            key_line = doc.line((*path, key))
            out[key] = _with_lines(value, doc, (*path, key), key_line)
            out.key_lines[str(key)] = key_line
        return out
    if isinstance(obj, list):
        return [_with_lines(v, doc, (*path, i), doc.line((*path, i))) for i, v in enumerate(obj)]
    return obj


def load_yaml(path: str | Path, *, error: type[Exception] = SpecError) -> Any:
    """Read a YAML file into LineDicts/lists; a syntax error names the file and line."""
    return _with_lines_of(yamldoc.load(Path(path), error=error))


def loads_yaml(text: str, *, source: str = "<string>", error: type[Exception] = SpecError) -> Any:
    return _with_lines_of(yamldoc.load(text, where=source, error=error))


def _with_lines_of(doc: yamldoc.YamlDoc) -> Any:
    return _with_lines(doc.data, doc, (), doc.line())


def line_of(obj: Any, key: str | None = None) -> int | None:
    """Line of ``obj`` (or of its ``key``) if it was read by :func:`load_yaml`."""
    if isinstance(obj, LineDict):
        return obj.line_of(key) if key is not None else obj.line
    return None
