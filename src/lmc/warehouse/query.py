"""Reading the warehouse for people: status, one source's details, exports and ad-hoc SQL.

Each function returns a frozen result with ``to_frame()``/``to_dict()`` so the CLI (and later the web API) render the
same object. Everything here opens the warehouse read-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from lmc.atomic import atomic_path
from lmc.config import Settings, get_settings
from lmc.errors import WarehouseError, unknown
from lmc.sources.base import Source
from lmc.warehouse.db import PROVENANCE, SOURCES, connect, fetch_one, table_names

ExportFormat = Literal["csv", "parquet", "xlsx"]
EXPORT_FORMATS: tuple[str, ...] = ("csv", "parquet", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # one sheet, minus the header row


# --- status ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusResult:
    """One row per declared source (and any loaded source no longer declared): what the warehouse holds."""

    frame: pd.DataFrame
    warehouse: Path
    files: int

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"warehouse": str(self.warehouse), "files": self.files,
                "sources": self.frame.astype(object).where(self.frame.notna(), None).to_dict(orient="records")}

    @property
    def loaded(self) -> int:
        return int((self.frame["rows"].notna()).sum())


STATUS_COLUMNS = ["source", "rows", "observations", "years", "licence", "retrieved", "hash_ok", "files", "tables"]


def status(settings: Settings | None = None, registry: dict[str, Source] | None = None) -> StatusResult:
    """What is loaded, per source: rows, observations, years, licence, when retrieved, whether hashes matched."""
    from lmc.sources.registry import all_sources

    settings = settings or get_settings()
    reg = registry if registry is not None else all_sources()
    con = connect(settings, read_only=True)
    try:
        if SOURCES not in table_names(con):
            raise WarehouseError(f"the warehouse {settings.warehouse} holds no sources yet; run `lmc data pull`.")
        loaded = con.execute(
            f"SELECT source, rows, observations, year_min, year_max, licence, retrieved_at, hash_ok, files, "
            f"len(tables) AS tables FROM main.{SOURCES}"
        ).df()
        n_files = int(fetch_one(con, f"SELECT count(*) FROM main.{PROVENANCE}")[0])
    finally:
        con.close()
    by_id = {r["source"]: r for r in loaded.to_dict(orient="records")}
    rows = []
    for sid in list(reg) + sorted(set(by_id) - set(reg)):
        r = by_id.get(sid)
        if r is None:
            rows.append({"source": sid, "rows": None, "observations": None, "years": "", "licence": reg[sid].licence,
                         "retrieved": "not pulled", "hash_ok": None, "files": None, "tables": None})
            continue
        lo, hi = r["year_min"], r["year_max"]
        years = "" if pd.isna(lo) else (str(int(lo)) if lo == hi else f"{int(lo)}-{int(hi)}")
        retrieved = "" if pd.isna(r["retrieved_at"]) else pd.Timestamp(r["retrieved_at"]).strftime("%Y-%m-%d %H:%M")
        rows.append({"source": sid, "rows": int(r["rows"]), "observations": int(r["observations"]), "years": years,
                     "licence": r["licence"], "retrieved": retrieved,
                     "hash_ok": None if pd.isna(r["hash_ok"]) else bool(r["hash_ok"]),
                     "files": int(r["files"]), "tables": int(r["tables"])})
    frame = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    for col in ("rows", "observations", "files", "tables"):
        frame[col] = frame[col].astype("Int64")
    return StatusResult(frame, settings.warehouse, n_files)


def source_fingerprints(settings: Settings | None = None) -> dict[str, dict[str, str]]:
    """Per loaded source, what identifies the data it holds: a digest of its files' SHA-256 and the date it was last
    retrieved. Two builds compare these to say which sources changed between them (``lmc build`` records them in
    ``build.json``); {} without a warehouse or provenance."""
    import hashlib

    settings = settings or get_settings()
    if not settings.warehouse.is_file():
        return {}
    con = connect(settings, read_only=True)
    try:
        if PROVENANCE not in table_names(con):
            return {}
        rows = con.execute(f"SELECT source, file, sha256, retrieved_at FROM main.{PROVENANCE} "
                           "ORDER BY source, file").fetchall()
    finally:
        con.close()
    out: dict[str, dict[str, str]] = {}
    for source in dict.fromkeys(r[0] for r in rows):
        mine = [r for r in rows if r[0] == source]
        digest = hashlib.sha256("\n".join(f"{f}:{sha}" for _, f, sha, _ in mine).encode()).hexdigest()[:16]
        dates = [pd.Timestamp(r[3]).date().isoformat() for r in mine if r[3] is not None]
        out[source] = {"sha256": digest, "retrieved": max(dates) if dates else ""}
    return out


def missing_sources(settings: Settings | None = None, registry: dict[str, Source] | None = None) -> tuple[str, ...]:
    """Declared sources that the warehouse does not hold (every one when there is no warehouse yet), in order.

    What ``lmc build`` checks before computing anything: an interrupted first pull leaves a warehouse with some
    sources only, and a build from part of the data would change the rankings without saying so.
    """
    from lmc.sources.registry import all_sources

    settings = settings or get_settings()
    declared = list(registry if registry is not None else all_sources())
    if not settings.warehouse.is_file():
        return tuple(declared)
    con = connect(settings, read_only=True)
    try:
        loaded = ({r[0] for r in con.execute(f"SELECT source FROM main.{SOURCES}").fetchall()}
                  if SOURCES in table_names(con) else set())
    finally:
        con.close()
    return tuple(s for s in declared if s not in loaded)


# --- one source --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source's declaration joined with what the warehouse holds for it (``files``/``tables`` frames)."""

    source: Source
    files: pd.DataFrame
    tables: pd.DataFrame
    loaded: bool

    def to_frame(self) -> pd.DataFrame:
        return self.files.copy()

    def to_dict(self) -> dict[str, Any]:
        s = self.source
        return {
            "id": s.id, "title": s.title, "publisher": s.publisher, "homepage": s.homepage, "licence": s.licence,
            "coverage": s.coverage, "notes": s.notes, "loaded": self.loaded,
            "files": self.files.astype(object).where(self.files.notna(), None).to_dict(orient="records"),
            "tables": self.tables.astype(object).where(self.tables.notna(), None).to_dict(orient="records"),
        }


def show_source(source_id: str, settings: Settings | None = None,
                registry: dict[str, Source] | None = None) -> SourceInfo:
    """The declaration of one source, with per-file provenance and per-table rows when it has been pulled."""
    from lmc.sources.registry import get_source

    settings = settings or get_settings()
    src = get_source(source_id, registry)
    files = pd.DataFrame(
        [{"file": f.path, "url": f.url, "expected_sha256": f.sha256, "derived": f.derived} for f in src.files],
        columns=["file", "url", "expected_sha256", "derived"],
    )
    tables = pd.DataFrame(
        [{"table": t.name, "columns": len(t.columns), "description": t.description} for t in src.tables],
        columns=["table", "columns", "description"],
    )
    loaded = False
    if settings.warehouse.is_file():
        con = connect(settings, read_only=True)
        try:
            names = set(table_names(con))
            if PROVENANCE in names:
                prov = con.execute(
                    f"SELECT file, sha256, hash_ok, bytes, rows, retrieved_at, origin FROM main.{PROVENANCE} "
                    "WHERE source = ?", [source_id]).df()
                if len(prov):
                    loaded = True
                    files = files.merge(prov, on="file", how="outer")
            counts = []
            for t in tables["table"]:
                counts.append(int(fetch_one(con, f'SELECT count(*) FROM main."{t}"')[0])
                              if t in names else None)
            tables["rows"] = pd.array(counts, dtype="Int64")
        finally:
            con.close()
    return SourceInfo(src, files, tables, loaded)


# --- export ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportResult:
    table: str
    path: Path
    format: str
    rows: int

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "path": str(self.path), "format": self.format, "rows": self.rows}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.to_dict()])


def export_table(table: str, fmt: ExportFormat | None = None, out: Path | None = None,
                 settings: Settings | None = None) -> ExportResult:
    """Write a warehouse table or view to CSV, Parquet or XLSX; the file appears whole or not at all.

    ``out`` is a file or a folder (an existing one, or a name without extension). A file's extension decides the
    format; a ``fmt`` that contradicts it, or an extension that is none of csv, parquet, xlsx, is refused (no
    CSV written under a .json name). Without a file name the format is ``fmt`` (default csv).
    """
    settings = settings or get_settings()
    if fmt is not None and fmt not in EXPORT_FORMATS:
        raise WarehouseError(unknown("export format", fmt, EXPORT_FORMATS))
    if out is not None and Path(out).suffix and not Path(out).is_dir():
        ext = Path(out).suffix.lower().lstrip(".")
        if ext not in EXPORT_FORMATS:
            raise WarehouseError(f"{out}: export writes {', '.join('.' + f for f in EXPORT_FORMATS)} files; "
                                 f"name the file with one of these extensions.")
        if fmt is not None and fmt != ext:
            raise WarehouseError(f"{out}: the extension says {ext} but --format says {fmt}; make them agree.")
        fmt = ext  # type: ignore[assignment]
    fmt = fmt or "csv"
    out = Path(out) if out is not None else settings.out_dir / f"{table}.{fmt}"
    if out.is_dir() or not out.suffix:  # a folder (existing, or a name without extension)
        out = out / f"{table}.{fmt}"
    con = connect(settings, read_only=True)
    try:
        names = table_names(con)
        if table not in names:
            raise WarehouseError(unknown("warehouse table", table, names))
        rows = int(fetch_one(con, f'SELECT count(*) FROM main."{table}"')[0])
        with atomic_path(out) as tmp:
            if fmt == "xlsx":
                if rows > XLSX_MAX_ROWS:
                    raise WarehouseError(f"table {table} has {rows:,} rows, more than one XLSX sheet holds "
                                         f"({XLSX_MAX_ROWS:,}); export it as csv or parquet.")
                df = con.execute(f'SELECT * FROM main."{table}"').df()
                for col in df.columns:  # Excel has no time zones
                    if isinstance(df[col].dtype, pd.DatetimeTZDtype):
                        df[col] = df[col].dt.tz_localize(None)
                df.to_excel(tmp, index=False, sheet_name=table[:31], engine="openpyxl")
            else:
                opts = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
                con.execute(f"COPY (SELECT * FROM main.\"{table}\") TO '{tmp.as_posix()}' ({opts})")
    finally:
        con.close()
    return ExportResult(table, out, fmt, rows)


# --- SQL ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SqlResult:
    query: str
    frame: pd.DataFrame
    truncated: bool

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "truncated": self.truncated,
                "rows": self.frame.astype(object).where(self.frame.notna(), None).to_dict(orient="records")}


QUERY_TYPES = ("SELECT", "EXPLAIN")
"""Statement types ``lmc sql`` runs (SELECT covers WITH, FROM-first, DESCRIBE, SHOW and SUMMARIZE)."""


def _one_query(query: str) -> None:
    """Refuse, with one line, anything but exactly one read-only query (the sandbox refuses the rest anyway)."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise WarehouseError(f"SQL error: {str(exc).splitlines()[0]}") from exc
    if not statements:
        raise WarehouseError("no SQL statement given.")
    if len(statements) > 1:
        raise WarehouseError(f"refused: `lmc sql` runs exactly one statement, this has {len(statements)}.")
    kind = statements[0].type.name
    pivot = kind == "MULTI" and query.lstrip().upper().startswith(("PIVOT", "UNPIVOT"))  # PIVOT plans as MULTI
    if kind not in QUERY_TYPES and not pivot:
        raise WarehouseError(f"refused: `lmc sql` runs read-only queries (SELECT, WITH, FROM, DESCRIBE, SHOW, "
                             f"SUMMARIZE, PIVOT, EXPLAIN); this one is {kind}.")


def _sql_error(exc: duckdb.Error) -> WarehouseError:
    first = str(exc).splitlines()[0]
    if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in first:
        return WarehouseError(f"refused: `lmc sql` reads the warehouse's tables only, no files, extensions or "
                              f"settings ({first})")
    return WarehouseError(f"SQL error: {first}")


def run_sql(query: str, settings: Settings | None = None, limit: int | None = None) -> SqlResult:
    """Run one read-only query on a sandboxed connection (see :data:`lmc.warehouse.db.SANDBOX`): writes, files,
    extensions, settings and several statements are refused with one line. ``limit`` caps the rows fetched."""
    _one_query(query)
    con = connect(settings, read_only=True, sandbox=True)
    try:
        try:
            rel = con.sql(query)
            if rel is None:
                return SqlResult(query, pd.DataFrame(), False)
            if limit is not None:
                df = rel.limit(limit + 1).df()
                truncated = len(df) > limit
                df = df.head(limit)
            else:
                df, truncated = rel.df(), False
        except duckdb.Error as exc:
            raise _sql_error(exc) from exc
    finally:
        con.close()
    return SqlResult(query, df, truncated)
