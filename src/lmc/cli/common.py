"""Shared CLI pieces: consoles, output formats and rendering of tables, used by every command module.

Piped or redirected output (stdout not a terminal) is meant to be read whole, grepped or saved: there the consoles
are :data:`PIPE_WIDTH` columns wide instead of Rich's 80, so tables keep their natural width (no cell cut to ``…``)
and long lines are not folded. ``COLUMNS`` or an explicit ``width`` still wins.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when used: `lmc --help` and `lmc route` load neither pandas nor Rich's console here
    import pandas as pd
    from rich.console import Console

PIPE_WIDTH = 1000
"""Console width when the output is not a terminal: wide enough that no table is squeezed or cut."""

console: Console
err_console: Console


def __getattr__(name: str) -> Any:
    """``console`` and ``err_console``, made at first use (Rich is imported then, not at start-up)."""
    if name in ("console", "err_console"):
        return _console(stderr=name == "err_console")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _console(stderr: bool = False) -> Console:
    name = "err_console" if stderr else "console"
    made = globals().get(name)
    if made is None:
        made = globals()[name] = _make_console(stderr)
    return made


def _make_console(stderr: bool) -> Console:
    """A Rich console that is :data:`PIPE_WIDTH` wide when it does not write to a terminal.

    The width is decided at each print, not when the console is made, since the stream may be swapped (tests,
    redirection).
    """
    from rich.console import Console, ConsoleDimensions

    class _Console(Console):
        @property
        def size(self) -> ConsoleDimensions:
            size = super().size
            if self._width is None and not self.is_terminal:
                return ConsoleDimensions(PIPE_WIDTH, size.height)
            return size

        @size.setter
        def size(self, new_size: tuple[int, int]) -> None:
            Console.size.fset(self, new_size)  # type: ignore[attr-defined]

    return _Console(stderr=stderr)


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def print_frame(df: pd.DataFrame, fmt: OutputFormat = OutputFormat.table, *, title: str | None = None,
                max_rows: int = 200) -> None:
    """Render a data frame as a Rich table, CSV or JSON records on stdout."""
    import pandas as pd
    from rich.table import Table

    if fmt is OutputFormat.csv:
        sys.stdout.write(df.to_csv(index=False))
        return
    if fmt is OutputFormat.json:
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, date_format="iso") + "\n")
        return
    table = Table(title=title, show_lines=False)
    for col in df.columns:
        justify = "right" if pd.api.types.is_numeric_dtype(df[col]) else "left"
        table.add_column(str(col), justify=justify)
    for row in df.head(max_rows).itertuples(index=False):
        table.add_row(*["" if _isna(v) else _fmt(v) for v in row])
    _console().print(table)
    if len(df) > max_rows:
        _console().print(f"[dim]... {len(df) - max_rows} more rows (use --format csv for all)[/dim]")


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def print_data(result: Any, fmt: OutputFormat) -> bool:
    """Print a typed result in a machine format: JSON of ``to_dict()`` or CSV of ``to_frame()``.

    Returns True when it printed (``json``/``csv``); False for ``table``, which each command renders its own way::

        if print_data(result, fmt):
            return
        print_frame(result.to_frame().drop(columns=[...]), fmt, title=...)
    """
    if fmt is OutputFormat.json:
        print_json(result.to_dict())
        return True
    if fmt is OutputFormat.csv:
        print_frame(result.to_frame(), fmt)
        return True
    return False


def _isna(v: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _fmt(v: Any) -> str:
    """A table cell: thousands separators from 1,000 up, four significant digits below, never scientific notation
    for the magnitudes the observatory shows (a reader compares 963,700 with 1,010,644, not 9.637e+05 with them)."""
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return str(v)
        if v.is_integer() and 1900 <= v <= 2100:
            return str(int(v))  # a year held as a float (a payback year, a percentile of years)
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:.4g}" if v == 0 or abs(v) >= 1e-4 else f"{v:.3e}"  # .4g writes 0.000123 in full
    return str(v)
