"""Shared CLI pieces: consoles, output formats and rendering of tables, used by every command module."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def print_frame(df: pd.DataFrame, fmt: OutputFormat = OutputFormat.table, *, title: str | None = None,
                max_rows: int = 200) -> None:
    """Render a data frame as a Rich table, CSV or JSON records on stdout."""
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
    console.print(table)
    if len(df) > max_rows:
        console.print(f"[dim]... {len(df) - max_rows} more rows (use --format csv for all)[/dim]")


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"
    return str(v)
