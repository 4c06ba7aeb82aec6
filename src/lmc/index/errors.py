"""Errors of the index engine: each names the file, line, field, indicator or unit at fault.

They subclass :class:`lmc.errors.ValidationError`, so the CLI prints one line and exits with code 2.
"""

from __future__ import annotations

import math

from lmc.errors import ValidationError


class FrameworkError(ValidationError):
    """The indicator tree is invalid (duplicate or unknown codes, cycles, orphans, bad weights or directions)."""


class IndexDataError(ValidationError):
    """The unit x indicator data are invalid (non-numeric or infinite values, duplicated units, missing columns)."""


class SpecError(ValidationError):
    """A pipeline, uncertainty or sensitivity spec names an unknown stage or option, or a bad value."""


class StageError(ValidationError):
    """A stage cannot run on these data (e.g. a geometric mean over non-positive values)."""


def where(file: str | None, line: int | None, field: str | None = None) -> str:
    """Format a location prefix such as ``"pipe.yaml:12: field 'normalise.method': "``."""
    parts = []
    if file:
        parts.append(f"{file}:{line}" if line else str(file))
    elif line:
        parts.append(f"line {line}")
    loc = ": ".join(parts)
    if field:
        loc = f"{loc}: field {field!r}" if loc else f"field {field!r}"
    return f"{loc}: " if loc else ""


def finite(value: object, loc: str, error: type[ValidationError]) -> float:
    """``value`` as a finite float, or ``error`` whose message starts with ``loc`` (see :func:`where`)."""
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise error(f"{loc}{value!r} is not a number") from None
    if not math.isfinite(f):
        raise error(f"{loc}must be finite, got {value!r}")
    return f
