"""The one error tree of the observatory.

Every error a user can cause derives from :class:`LmcError`; the CLI prints its message (no traceback) and exits
with code 2. Messages name the file, line, field or option at fault and, where there is a closed set of valid
values, suggest the closest one (see :func:`suggest`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class LmcError(Exception):
    """Base class: a problem the user can fix (bad input, missing data, bad option)."""


class ConfigError(LmcError):
    """A setting in the environment or ``lmc.toml`` is invalid."""


class SourceError(LmcError):
    """A data source could not be fetched or parsed."""


class FetchError(SourceError):
    """No mirror and no publisher URL produced the file; the message lists every place tried."""


class ParseError(SourceError):
    """A source file does not parse or does not match its declared schema (names file, line, column)."""


class ShrinkError(SourceError):
    """A load would lose rows (fewer than the loaded table or the declared minimum); the previous tables stay."""


class WarehouseError(LmcError):
    """The warehouse is missing, locked or does not hold what was asked for."""


class WarehouseBusyError(WarehouseError):
    """Another process holds the warehouse's write lock (a pull is running): retry later (the web answers 503)."""


class ValidationError(LmcError):
    """A curated file, framework, spec or scenario does not validate (names file and field)."""


def suggest(name: str, valid: Iterable[str], *, n: int = 3) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest valid names, or ``""`` when nothing is close."""
    matches = difflib.get_close_matches(str(name), [str(v) for v in valid], n=n, cutoff=0.5)
    if not matches:
        return ""
    return " Did you mean " + " or ".join(repr(m) for m in matches) + "?"


def unknown(kind: str, name: str, valid: Iterable[str]) -> str:
    """A uniform 'unknown X' message listing valid values and the closest match."""
    valid = sorted({str(v) for v in valid})
    shown = ", ".join(valid[:40]) + (" ..." if len(valid) > 40 else "")
    return f"unknown {kind} {name!r}.{suggest(name, valid)} Valid: {shown}"
