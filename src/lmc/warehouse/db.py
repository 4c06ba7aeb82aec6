"""The one way into the DuckDB warehouse file: :func:`connect` and :func:`read_table`.

Everything else in the project reads the warehouse through these two functions, so the rules live here: a
read-only connection is the default (many readers, no accidental writes), a missing warehouse is a user error that
says how to create it, and an unknown table name suggests the closest one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from lmc.config import Settings, get_settings
from lmc.errors import WarehouseBusyError, WarehouseError, unknown

# Tables the warehouse keeps about itself (not source data).
PROVENANCE = "provenance"
SOURCES = "sources"
OBSERVATIONS = "observations"
META_TABLES = (PROVENANCE, SOURCES)


def warehouse_path(settings: Settings | None = None) -> Path:
    """The warehouse file named by the settings (it may not exist yet)."""
    return (settings or get_settings()).warehouse


SANDBOX: dict[str, object] = {
    "enable_external_access": False,  # no files but the warehouse: no COPY TO, EXPORT, ATTACH, read_csv('/etc/...')
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,  # and no SET/RESET/PRAGMA to undo the above
}
"""DuckDB settings of a sandboxed connection (``lmc sql``): it sees the warehouse's tables and nothing else."""


def connect(settings: Settings | None = None, read_only: bool = True, *,
            sandbox: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse. Read-only by default; a writable connection creates the file and its folder.

    ``sandbox`` (read-only only) also locks out files, extensions and settings (:data:`SANDBOX`), for SQL typed by
    a user. Raises :class:`WarehouseError` when a read-only connection is asked for and no warehouse exists yet, or
    when another process holds the write lock.
    """
    path = warehouse_path(settings)
    if read_only and not path.is_file():
        raise WarehouseError(f"no warehouse at {path}; run `lmc data pull` first.")
    if not read_only:
        if sandbox:
            raise ValueError("a sandboxed connection is read-only")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=dict(SANDBOX) if sandbox else {})
    except duckdb.IOException as exc:
        first = str(exc).splitlines()[0]
        if "lock" in first.lower():
            raise WarehouseBusyError(f"the warehouse {path} is busy: another lmc process is writing it (a pull?); "
                                     f"retry when it has finished ({first})") from exc
        raise WarehouseError(f"cannot open the warehouse {path}: {first}") from exc


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and views of the main schema, sorted."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def read_table(name: str, settings: Settings | None = None) -> pd.DataFrame:
    """A whole warehouse table (or view, e.g. ``observations``) as a data frame.

    Unknown names raise :class:`WarehouseError` listing the tables there are and the closest match.
    """
    con = connect(settings, read_only=True)
    try:
        names = table_names(con)
        if name not in names:
            raise WarehouseError(unknown("warehouse table", name, names))
        return con.execute(f'SELECT * FROM main."{name}"').df()
    finally:
        con.close()


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple | None:
    """The first row of a query, or None. Fetches everything so the connection has no pending result (DuckDB 2
    refuses further work on a connection while a result is half-read)."""
    rows = con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
    return rows[0] if rows else None
