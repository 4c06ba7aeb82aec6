"""Read a YAML document and report its problems by file, line and field: the one place for these mechanics.

``load`` parses a file (a :class:`~pathlib.Path`) or a text (a ``str``) once, keeping the composed node tree beside
the data, so any path into the data (``("indicators", 2, "rationale")``, as pydantic reports locations) can be
turned into a line with :meth:`YamlDoc.line`. A syntax error raises :class:`lmc.errors.ValidationError` (or the
``error`` class given) as ``"<file>:<line>: not valid YAML: <problem>"``. :func:`pydantic_message` turns a pydantic
``ValidationError`` into ``"<file>:<line>: <field>: <message>"`` parts.

Callers that must keep a historical wording pass their own ``syntax`` / ``template`` format strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import yaml

from lmc.errors import LmcError, ValidationError, unknown

SYNTAX = "{where}:{line}: not valid YAML: {problem}"
"""Default syntax-error message; fields: ``where``, ``line``, ``column`` (1-based) and ``problem``."""

FIELD = "{where}:{line}: {field}{label}: {msg}"
"""Default message of one pydantic error; fields: ``where``, ``line``, ``field`` (dotted location), ``label``
(``" (id 'x')"`` when the error sits inside a list item that has an ``id``, else ``""``), ``msg`` and ``loc``."""

Step = str | int


@dataclass(frozen=True, eq=False)
class YamlDoc:
    """A parsed YAML document: ``data`` (as ``yaml.safe_load`` gives it), its ``where`` label and node tree."""

    data: Any
    where: str
    root: yaml.Node | None = None

    def line(self, path: Sequence[Step] = ()) -> int | None:
        """1-based line of ``path``: a mapping entry's key line, a sequence item's first line.

        Where the path leaves the document (a missing key, an index past the end), the line of the closest
        enclosing node that exists. ``None`` only for an empty document.
        """
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for step in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(step):
                        child, line = v, k.start_mark.line + 1
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and not isinstance(step, bool):
                if 0 <= step < len(node.value):
                    child = node.value[step]
                    line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line


def _where_and_line(exc: yaml.YAMLError, text: str) -> tuple[int, int] | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    position = getattr(exc, "position", None)  # ReaderError: a character the YAML reader refuses
    if isinstance(position, int):
        return text.count("\n", 0, position) + 1, position - (text.rfind("\n", 0, position) + 1) + 1
    return None


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
"""libyaml's parser with the safe constructor, where PyYAML was built with it: about ten times faster than the
pure-Python parser, and its nodes carry the same line marks."""


def _compose_fast(text: str) -> tuple[Any, Any] | None:
    """(root node, data) with libyaml, or None when it is missing or refuses the text: the pure-Python parser then
    parses it again, so an error reads exactly as it always has (libyaml words some errors differently)."""
    if _FAST_LOADER is None:
        return None
    loader = None
    try:
        loader = _FAST_LOADER(text)
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except Exception:  # noqa: BLE001 - any refusal is re-parsed by the reference parser below
        return None
    finally:
        if loader is not None:
            loader.dispose()


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's parser where available (same data, about ten times faster); for packaged
    files that need no line numbers. Errors come from the pure-Python parser, worded as PyYAML always words them."""
    fast = _compose_fast(text)
    return fast[1] if fast is not None else yaml.safe_load(text)


def load(source: str | Path, *, where: str | None = None, error: type[LmcError] = ValidationError,
         syntax: str = SYNTAX) -> YamlDoc:
    """Parse ``source`` (a Path is read as UTF-8; a str is the YAML text itself) into a :class:`YamlDoc`.

    Errors raise ``error``: an unreadable file (``"<file>: cannot read (...)"``), bytes that are not UTF-8, or a
    syntax error formatted with ``syntax`` (a format string; see :data:`SYNTAX`).
    """
    if isinstance(source, Path):
        where = str(source) if where is None else where
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise error(f"{where}: bytes are not valid UTF-8 ({exc.reason})") from exc
        except OSError as exc:
            raise error(f"{where}: cannot read ({exc.strerror or exc})") from exc
    else:
        text, where = source, ("<string>" if where is None else where)
    fast = _compose_fast(text)
    if fast is not None:
        return YamlDoc(fast[1], where, fast[0])
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # the reader refuses control characters here already
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or exc
        if isinstance(exc, yaml.reader.ReaderError):
            char = exc.character if isinstance(exc.character, str) else chr(exc.character)
            problem = f"unacceptable character #x{ord(char):04x}: {exc.reason}"
        at = _where_and_line(exc, text)
        if at is None:
            raise error(f"{where}: not valid YAML: {problem}") from exc
        raise error(syntax.format(where=where, line=at[0], column=at[1], problem=problem)) from exc
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(data, where, root)


def field_name(loc: Sequence[Step]) -> str:
    """Dotted name of a pydantic location (``indicators.2.rationale``); ``(top level)`` for the whole document."""
    return ".".join(str(p) for p in loc) or "(top level)"


def _label(data: Any, loc: Sequence[Step]) -> str:
    """``" (id 'x')"`` for the innermost list item along ``loc`` that is a mapping with a string ``id``."""
    label, node = "", data
    for step in loc:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            label = f" (id {node['id']!r})"
    return label


def _msg(err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if err.get("type") == "literal_error":
        valid = re.findall(r"'([^']*)'", str((err.get("ctx") or {}).get("expected", "")))
        if valid:
            msg = unknown("value", str(err.get("input")), valid)
    return msg


def pydantic_problems(exc: pydantic.ValidationError | Iterable[Any], doc: YamlDoc, where: str | None = None, *,
                      template: str = FIELD, detail: Callable[[Any], str | None] | None = None) -> list[str]:
    """One message per pydantic error (``exc`` or a list of its ``errors()``), formatted with ``template``.

    ``detail(err)`` may return the message text for an error (``None``: the default text: pydantic's message,
    or ``unknown value 'x'. Did you mean ...`` for a literal).
    """
    where = doc.where if where is None else where
    errors = exc.errors() if isinstance(exc, pydantic.ValidationError) else exc
    out = []
    for err in errors:
        loc = tuple(err["loc"])
        msg = detail(err) if detail is not None else None
        out.append(template.format(where=where, line=doc.line(loc) or 1, field=field_name(loc), loc=loc,
                                   label=_label(doc.data, loc), msg=_msg(err) if msg is None else msg))
    return out


def summarise(messages: Sequence[str], limit: int = 8) -> str:
    """The first ``limit`` messages joined by ``"; "``, then ``" (and N more)"``."""
    more = f" (and {len(messages) - limit} more)" if len(messages) > limit else ""
    return "; ".join(messages[:limit]) + more


def pydantic_message(exc: pydantic.ValidationError | Iterable[Any], doc: YamlDoc, where: str | None = None, *,
                     limit: int = 8, template: str = FIELD, detail: Callable[[Any], str | None] | None = None) -> str:
    """``"<file>:<line>: <field>: <message>"`` for each pydantic error (the first ``limit``, then a count)."""
    return summarise(pydantic_problems(exc, doc, where, template=template, detail=detail), limit)
