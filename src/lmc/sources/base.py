"""What a data source declares, and the contract every connector module fulfils.

A connector is one module in :mod:`lmc.sources` that defines a module-level ``SOURCE`` (a :class:`Source`).
It declares where its files come from (a mirror-relative path, the download URL, the expected sha256), how to parse
them into tidy tables (pure function: paths in, data frames out), the schema of those tables and, optionally, how
to express them as long observations ``(indicator, unit, year, value)`` for the warehouse's ``observations`` view.

Fetching, caching, hashing, provenance and the atomic load into DuckDB are *not* the connector's business: they
live in :mod:`lmc.sources.fetch` and :mod:`lmc.warehouse`, so every source gets the same behaviour.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# DuckDB column types used in schemas. Kept as plain strings so a schema reads like DDL.
ColumnType = str


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file a source needs.

    ``path`` is relative to a mirror root and equals the MANIFEST's ``file`` column (e.g. ``openflights/routes.dat``);
    mirrors are tried first under that path. ``url`` is where the file is downloaded when no mirror has it: the raw
    URL at the pinned commit where the mirror copy is byte-exact, so online and mirror bytes agree. ``sha256`` is the
    expected digest (a different digest from a publisher is accepted with a warning and recorded). For a DERIVED file,
    ``derive`` turns the bytes downloaded from ``url`` (the full upstream file) into the derived file's bytes; mirrors
    already hold the derived file.
    """

    path: str
    url: str
    sha256: str | None = None
    derived: bool = False
    derive: Callable[[builtins.bytes], builtins.bytes] | None = None  # builtins: the field `bytes` shadows the type
    optional: bool = False
    """An optional file that cannot be had (or whose copy is corrupt) does not fail the load: the tables parsed only
    from optional files keep their previously loaded rows (see :mod:`lmc.warehouse.guards`)."""
    bytes: int | None = None
    """Expected size (MANIFEST ``bytes``), used only to say "truncated" when a copy's hash does not match."""


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A tidy warehouse table produced by a source: name, ordered columns with DuckDB types, and a description."""

    name: str
    columns: Mapping[str, ColumnType]
    description: str = ""
    primary_key: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    """``SourceFile.path`` values this table is parsed from (for provenance row counts and error messages).

    Optional: when empty and the source has a single file, that file is assumed. A parser may also add a column
    ``_line`` (the 1-based line of the file each row came from) and ``_file``; ingestion uses them to name the line
    of a bad value and drops them before loading.
    """
    min_rows: int = 0
    """The fewest rows a complete copy gives: a load with fewer is refused, since a download cut at a line boundary
    parses fine (see :mod:`lmc.warehouse.guards`). Declared a little below what the pinned files give."""


@dataclass(frozen=True, slots=True)
class Source:
    """A declared data source (see the module docstring)."""

    id: str
    title: str
    publisher: str
    homepage: str
    licence: str
    files: tuple[SourceFile, ...]
    tables: tuple[TableSpec, ...]
    parse: Callable[[Mapping[str, Path]], dict[str, pd.DataFrame]]
    """Paths keyed by ``SourceFile.path`` -> frames keyed by ``TableSpec.name``. Raises ParseError naming file/line/column."""
    coverage: str = ""
    notes: str = ""
    observations: Callable[[Mapping[str, pd.DataFrame]], pd.DataFrame] | None = None
    """Tables -> long frame with columns indicator, unit, year, value (unit = ISO3, 'CHN-LAO', 'CHN>LAO' or a province code)."""
    curated: bool = False
    """True for the reference data shipped inside the package (no download)."""
    extra: Mapping[str, object] = field(default_factory=dict)

    def table(self, name: str) -> TableSpec:
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)
