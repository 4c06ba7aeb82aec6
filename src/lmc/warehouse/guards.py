"""Loads never lose rows: the checks a staged table passes before it replaces the loaded one.

Why: a file cut at a line boundary parses fine, and a publisher file may differ from the recorded one, so a load
that "succeeds" can still replace 67,663 routes by 34,215. Three rules, driven by the declarations
(:class:`~lmc.sources.base.SourceFile`, :class:`~lmc.sources.base.TableSpec`), so every connector gets them:

* a table may not fall more than :data:`SHRINK_LIMIT` below the table already loaded, nor below its declared
  ``min_rows``; ``accept_shrink`` (``lmc data pull --accept-shrink``) loads it anyway, on purpose, with a warning;
* a table parsed only from *optional* files that could not be had keeps its previously loaded rows (and their
  provenance), and the load says so;
* a declared column missing from a parsed table is an error (``ingest.check_columns``), never dropped rows.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from lmc.errors import ShrinkError
from lmc.sources.base import Source, TableSpec
from lmc.sources.fetch import FetchedFile
from lmc.warehouse.db import fetch_one

SHRINK_LIMIT = 0.10
"""A new table with more than this share fewer rows than the loaded one is refused."""


def files_of(source: Source, spec: TableSpec) -> tuple[str, ...]:
    """The files a table is parsed from (its declaration, or the source's only file)."""
    if spec.files:
        return spec.files
    if len(source.files) == 1:
        return (source.files[0].path,)
    return ()


def kept_tables(source: Source, unavailable: Mapping[str, str]) -> tuple[TableSpec, ...]:
    """Tables whose every file is an optional file that could not be had: their loaded rows are kept."""
    return tuple(spec for spec in source.tables
                 if files_of(source, spec) and all(f in unavailable for f in files_of(source, spec)))


def loaded_rows(con: duckdb.DuckDBPyConnection, table: str) -> int | None:
    """Rows of ``main.<table>``, or None when there is no such table."""
    exists = fetch_one(con, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                            "AND table_name = ?", [table])
    if not exists or not exists[0]:
        return None
    return int(fetch_one(con, f'SELECT count(*) FROM main."{table}"')[0])


def _named_files(source: Source, spec: TableSpec, fetched: Mapping[str, FetchedFile]) -> str:
    """The table's files, those that are not the recorded bytes first (the likely culprits), with their origin."""
    files = [f for f in files_of(source, spec) if f in fetched]
    suspects = [f for f in files if fetched[f].hash_ok is not True] or files
    if not suspects:
        return f"table {spec.name}"
    return ", ".join(f"file {f} (from {fetched[f].origin})" for f in suspects)


def check_rows(source: Source, spec: TableSpec, rows: int, old_rows: int | None,
               fetched: Mapping[str, FetchedFile], *, accept_shrink: bool = False) -> str | None:
    """Refuse a staged table that would lose rows (see the module docstring).

    Raises :class:`ShrinkError` naming the file(s) and the reason; returns a warning when ``accept_shrink`` let a
    shrinking table through, else None.
    """
    reasons = []
    if spec.min_rows and rows < spec.min_rows:
        reasons.append(f"table {spec.name} has {rows:,} rows, fewer than the {spec.min_rows:,} a complete copy "
                       "gives (a truncated file?)")
    if old_rows and rows < (1 - SHRINK_LIMIT) * old_rows:
        reasons.append(f"table {spec.name} would shrink from {old_rows:,} to {rows:,} rows "
                       f"({(rows - old_rows) / old_rows:+.0%}), more than {SHRINK_LIMIT:.0%} below the loaded table")
    if not reasons:
        return None
    what = f"source {source.id}, {_named_files(source, spec, fetched)}: " + "; ".join(reasons)
    if accept_shrink:
        return f"{what}; accepted on purpose (--accept-shrink)"
    raise ShrinkError(f"{what}. Refused: the previous tables are kept. To load it on purpose: "
                      f"`lmc data pull {source.id} --accept-shrink`.")
