"""Atomic, loud ingestion of a source into the warehouse, with provenance.

Each source goes through one step shape: *fetch* its files (:mod:`lmc.sources.fetch`), *parse* them with the
connector's pure parser, *stage* the frames in the ``staging`` schema while casting every declared column to its
declared type, and *swap* the staged tables in. Staging and swap happen inside ONE DuckDB transaction, together with
the source's ``provenance`` rows, its ``sources`` row and the rebuilt ``observations`` view, so a file that does not
parse, a value that does not cast, or a missing column rolls everything back: the previous tables stay as they were
and the error names source, file, line (when the parser reports it) and column.

Warehouse layout (schema ``main``):

* one table per declared :class:`~lmc.sources.base.TableSpec` (its ``name``), columns in declared order and types;
* ``obs_<source>``: the source's long observations (indicator, unit, year, value, source), unioned into the
  ``observations`` view;
* ``provenance``: one row per file (source, file, url, origin, sha256, expected_sha256, bytes, retrieved_at,
  licence, rows, code_version, hash_ok, loaded_at);
* ``sources``: one row per loaded source (what ``lmc data status`` shows).
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
import warnings as _warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from lmc import __version__
from lmc.config import Settings, get_settings
from lmc.errors import LmcError, ParseError, WarehouseError
from lmc.sources.base import Source, TableSpec
from lmc.sources.fetch import Downloader, FetchedFile, FetchedSource, fetch_source, http_download, packaged_file
from lmc.warehouse.db import OBSERVATIONS, PROVENANCE, SOURCES, connect, fetch_one
from lmc.warehouse.guards import check_rows, files_of, kept_tables, loaded_rows

Progress = Callable[[str, int, int], None]
"""``progress(message, done, total)``: called before each source and once at the end."""

OBS_COLUMNS: dict[str, str] = {"indicator": "VARCHAR", "unit": "VARCHAR", "year": "INTEGER", "value": "DOUBLE"}
HELPER_COLUMNS = ("_line", "_file")

# ISO3 ('LAO'), undirected pair ('CHN-LAO'), directed pair ('CHN>LAO'), or an ISO 3166-2 style province code.
_UNIT_RE = re.compile(r"^[A-Z]{3}$|^[A-Z]{3}[->][A-Z]{3}$|^[A-Z]{2,3}-[A-Z0-9]{1,4}$")

_PROVENANCE_DDL = f"""
CREATE TABLE IF NOT EXISTS main.{PROVENANCE} (
    source VARCHAR NOT NULL, file VARCHAR NOT NULL, url VARCHAR, origin VARCHAR, sha256 VARCHAR NOT NULL,
    expected_sha256 VARCHAR, bytes BIGINT, retrieved_at TIMESTAMP, licence VARCHAR, rows BIGINT,
    code_version VARCHAR, hash_ok BOOLEAN, loaded_at TIMESTAMP
)"""
_SOURCES_DDL = f"""
CREATE TABLE IF NOT EXISTS main.{SOURCES} (
    source VARCHAR PRIMARY KEY, title VARCHAR, publisher VARCHAR, homepage VARCHAR, licence VARCHAR,
    coverage VARCHAR, tables VARCHAR[], rows BIGINT, observations BIGINT, year_min INTEGER, year_max INTEGER,
    files INTEGER, retrieved_at TIMESTAMP, hash_ok BOOLEAN, code_version VARCHAR, loaded_at TIMESTAMP
)"""


# --- results -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableLoad:
    """A table as loaded: name, row count, column names."""

    name: str
    rows: int
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceLoad:
    """What happened to one source in a pull: loaded (``ok``) or rejected with ``error`` (old tables intact)."""

    source: str
    ok: bool
    tables: tuple[TableLoad, ...] = ()
    files: tuple[FetchedFile, ...] = ()
    observations: int = 0
    year_min: int | None = None
    year_max: int | None = None
    licence: str = ""
    warnings: tuple[str, ...] = ()
    error: str | None = None
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def hash_ok(self) -> bool | None:
        known = [f.hash_ok for f in self.files if f.hash_ok is not None]
        return all(known) if known else None


@dataclass(frozen=True, slots=True)
class PullResult:
    """The outcome of :func:`pull`: one :class:`SourceLoad` per source asked for, in order."""

    loads: tuple[SourceLoad, ...]
    warehouse: Path
    seconds: float

    @property
    def ok(self) -> bool:
        return all(load.ok for load in self.loads)

    @property
    def failed(self) -> tuple[SourceLoad, ...]:
        return tuple(load for load in self.loads if not load.ok)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for load in self.loads for w in load.warnings)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "source": ld.source,
                    "status": "ok" if ld.ok else "FAILED",
                    "tables": len(ld.tables),
                    "rows": ld.rows,
                    "observations": ld.observations,
                    "years": _years(ld.year_min, ld.year_max),
                    "files": len(ld.files),
                    "hash_ok": ld.hash_ok,
                    "seconds": round(ld.seconds, 2),
                }
                for ld in self.loads
            ],
            columns=["source", "status", "tables", "rows", "observations", "years", "files", "hash_ok", "seconds"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "warehouse": str(self.warehouse),
            "seconds": round(self.seconds, 3),
            "ok": self.ok,
            "sources": [
                {
                    "source": ld.source,
                    "ok": ld.ok,
                    "error": ld.error,
                    "rows": ld.rows,
                    "observations": ld.observations,
                    "year_min": ld.year_min,
                    "year_max": ld.year_max,
                    "licence": ld.licence,
                    "tables": {t.name: t.rows for t in ld.tables},
                    "files": [
                        {"file": f.path, "sha256": f.sha256, "hash_ok": f.hash_ok, "bytes": f.bytes,
                         "origin": f.origin}
                        for f in ld.files
                    ],
                    "warnings": list(ld.warnings),
                    "seconds": round(ld.seconds, 3),
                }
                for ld in self.loads
            ],
        }


def _years(lo: int | None, hi: int | None) -> str:
    if lo is None or hi is None:
        return ""
    return str(lo) if lo == hi else f"{lo}-{hi}"


# --- helpers -----------------------------------------------------------------------------------------------------


def _q(name: str) -> str:
    """Quote an identifier for DuckDB."""
    return '"' + name.replace('"', '""') + '"'


def code_version(source: Source) -> str:
    """Package version plus a hash of the connector module's code: a changed parser shows in provenance."""
    module = sys.modules.get(getattr(source.parse, "__module__", ""), None)
    path = getattr(module, "__file__", None)
    if path and Path(path).is_file():
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]
        return f"{__version__}+{digest}"
    return __version__


def _where(source: Source, spec: TableSpec | None, frame: pd.DataFrame | None = None, row: int | None = None) -> str:
    """'source X, file F, line N' as precisely as is known."""
    parts = [f"source {source.id}"]
    file_name: str | None = None
    line: Any = None
    if frame is not None and row is not None:
        if "_file" in frame.columns:
            file_name = str(frame["_file"].iloc[row])
        if "_line" in frame.columns:
            line = frame["_line"].iloc[row]
    if file_name is None and spec is not None:
        files = files_of(source, spec)
        file_name = ", ".join(files) if files else None
    if file_name:
        parts.append(f"file {file_name}")
    if line is not None and not pd.isna(line):
        parts.append(f"line {int(line)}")
    elif row is not None and spec is not None:
        parts.append(f"table {spec.name} row {row + 1}")
    return ", ".join(parts)


def _parse(source: Source, fetched: Mapping[str, FetchedFile]) -> dict[str, pd.DataFrame]:
    """Run the connector's parser; any failure becomes a ParseError that names the source and its files."""
    paths = {name: f.local for name, f in fetched.items()}
    try:
        frames = source.parse(paths)
    except LmcError as exc:
        msg = str(exc)
        raise ParseError(msg if source.id in msg else f"source {source.id}: {msg}") from exc
    except Exception as exc:  # pandas/openpyxl/... errors: keep their text, it usually has the line
        files = ", ".join(fetched)
        hint = ""
        if isinstance(exc, KeyError):
            hint = f" (a column the parser expects is missing: {exc})"
        raise ParseError(f"source {source.id}, file {files}: does not parse: {type(exc).__name__}: {exc}{hint}") from exc
    if not isinstance(frames, Mapping):
        raise ParseError(f"source {source.id}: parser returned {type(frames).__name__}, not a dict of frames")
    return dict(frames)


def check_columns(source: Source, spec: TableSpec, frame: pd.DataFrame) -> list[str]:
    """Raise ParseError naming the first declared column missing from ``frame``; return undeclared extra columns."""
    present = set(map(str, frame.columns))
    for col in spec.columns:
        if col not in present:
            from lmc.errors import suggest

            raise ParseError(
                f"{_where(source, spec)}: column {col!r} is missing from table {spec.name}"
                f"{suggest(col, present - set(HELPER_COLUMNS))} (columns present: "
                f"{', '.join(sorted(present - set(HELPER_COLUMNS)))})"
            )
    return sorted(present - set(spec.columns) - set(HELPER_COLUMNS))


def _line_of_value(local: Path | None, value: object, limit: int = 64 << 20) -> int | None:
    """First line of a text file holding ``value`` as a whole field (a hint when the parser gives no ``_line``)."""
    if local is None or value is None or not local.is_file() or local.stat().st_size > limit:
        return None
    needle = str(value)
    try:
        with open(local, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                if needle in re.split(r"[,;\t|]", line.rstrip("\r\n").replace('"', "")):
                    return n
    except OSError:
        return None
    return None


def _stage_table(con: duckdb.DuckDBPyConnection, source: Source, spec: TableSpec, frame: pd.DataFrame,
                 local: Path | None = None) -> int:
    """Cast ``frame`` into ``staging.<name>`` with the declared types; a value that does not cast is named.

    ``local`` is the file the table comes from (when it is one file): used to find the line of a bad value when
    the parser did not record ``_line``.
    """
    view = f"_lmc_frame_{spec.name}"
    con.register(view, frame)
    try:
        casts = ", ".join(f"TRY_CAST({_q(c)} AS {t}) AS {_q(c)}" for c, t in spec.columns.items())
        bad_counts = ", ".join(
            f"count_if({_q(c)} IS NOT NULL AND TRY_CAST({_q(c)} AS {t}) IS NULL)" for c, t in spec.columns.items()
        )
        try:
            counts = fetch_one(con, f"SELECT {bad_counts} FROM {_q(view)}") if spec.columns else ()
        except duckdb.Error as exc:
            raise ParseError(f"{_where(source, spec)}: table {spec.name} cannot be typed: {exc}") from exc
        for (col, typ), n_bad in zip(spec.columns.items(), counts or (), strict=False):
            if n_bad:
                row, value = fetch_one(
                    con,
                    f"SELECT i, v FROM (SELECT row_number() OVER () - 1 AS i, {_q(col)} AS v FROM {_q(view)}) "
                    f"WHERE v IS NOT NULL AND TRY_CAST(v AS {typ}) IS NULL LIMIT 1"
                )
                where = _where(source, spec, frame, int(row))
                if "_line" not in frame.columns:
                    hint = _line_of_value(local, value)
                    if hint is not None:
                        where += f" (first line holding that value: line {hint})"
                raise ParseError(
                    f"{where}, column {col!r}: value {value!r} is not {typ} "
                    f"({n_bad:,} bad value{'s' if n_bad > 1 else ''} in table {spec.name})"
                )
        con.execute(f"CREATE OR REPLACE TABLE staging.{_q(spec.name)} AS SELECT {casts} FROM {_q(view)}")
    finally:
        con.unregister(view)
    for col in spec.primary_key:
        row = fetch_one(
            con,
            f"SELECT i FROM (SELECT row_number() OVER () - 1 AS i, {_q(col)} AS v FROM staging.{_q(spec.name)}) "
            "WHERE v IS NULL LIMIT 1"
        )
        if row is not None:
            raise ParseError(f"{_where(source, spec, frame, int(row[0]))}, column {col!r}: key column is empty")
    if spec.primary_key:
        key = ", ".join(_q(c) for c in spec.primary_key)
        dup = fetch_one(
            con,
            f"SELECT {key}, count(*) FROM staging.{_q(spec.name)} GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
        )
        if dup is not None:
            raise ParseError(
                f"{_where(source, spec)}: key ({', '.join(spec.primary_key)}) = {tuple(dup[:-1])!r} occurs "
                f"{dup[-1]} times in table {spec.name}"
            )
    return int(fetch_one(con, f"SELECT count(*) FROM staging.{_q(spec.name)}")[0])


def _stage_observations(con: duckdb.DuckDBPyConnection, source: Source, obs: pd.DataFrame) -> tuple[int, list[str]]:
    spec = TableSpec(name=f"obs_{source.id}", columns=OBS_COLUMNS, description="observations")
    check_columns(source, spec, obs)
    n = _stage_table(con, source, spec, obs[list(OBS_COLUMNS)])
    notes: list[str] = []
    odd = con.execute(f"SELECT DISTINCT unit FROM staging.{_q(spec.name)} LIMIT 100000").fetchall()
    strange = sorted({u for (u,) in odd if u is None or not _UNIT_RE.match(u)}, key=str)
    if strange:
        notes.append(f"{source.id}: {len(strange)} observation unit(s) are not ISO3, 'AAA-BBB', 'AAA>BBB' or a "
                     f"province code, e.g. {strange[:3]}")
    return n, notes


def _owned_tables(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """table name -> source that loaded it, from the ``sources`` table."""
    rows = con.execute(f"SELECT source, tables FROM main.{SOURCES}").fetchall()
    return {t: src for src, tables in rows for t in (tables or [])}


def _obs_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema='main' AND table_type='BASE TABLE' "
        "AND table_name LIKE 'obs\\_%' ESCAPE '\\' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def rebuild_observations_view(con: duckdb.DuckDBPyConnection) -> None:
    """``observations`` = UNION ALL of every ``obs_<source>`` table (an empty, typed view when there is none)."""
    parts = [f"SELECT indicator, unit, year, value, source FROM main.{_q(t)}" for t in _obs_tables(con)]
    body = "\nUNION ALL\n".join(parts) or (
        "SELECT NULL::VARCHAR AS indicator, NULL::VARCHAR AS unit, NULL::INTEGER AS year, NULL::DOUBLE AS value, "
        "NULL::VARCHAR AS source WHERE false"
    )
    con.execute(f"CREATE OR REPLACE VIEW main.{OBSERVATIONS} AS {body}")


def ensure_meta(con: duckdb.DuckDBPyConnection) -> None:
    """Create the bookkeeping tables and the observations view if the warehouse is new."""
    con.execute(_PROVENANCE_DDL)
    con.execute(_SOURCES_DDL)
    if OBSERVATIONS not in {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema='main'").fetchall()}:
        rebuild_observations_view(con)


def _year_range(con: duckdb.DuckDBPyConnection, source: Source, obs_table: str | None,
                kept: set[str]) -> tuple[int | None, int | None]:
    """Years covered: from the observations if any, else from ``year`` columns and DATE/TIMESTAMP columns (of the
    staged tables, or of the loaded ones for ``kept`` tables)."""
    if obs_table:
        lo, hi = fetch_one(con, f"SELECT min(year), max(year) FROM staging.{_q(obs_table)}")
        if lo is not None:
            return int(lo), int(hi)
    exprs: list[str] = []
    for spec in source.tables:
        schema = "main" if spec.name in kept else "staging"
        for col, typ in spec.columns.items():
            t = typ.upper()
            if col.lower() == "year" and any(k in t for k in ("INT", "DOUBLE", "DECIMAL")):
                exprs.append(f"SELECT min({_q(col)})::INTEGER AS lo, max({_q(col)})::INTEGER AS hi "
                             f"FROM {schema}.{_q(spec.name)}")
            elif t.startswith(("DATE", "TIMESTAMP")):
                exprs.append(f"SELECT year(min({_q(col)}))::INTEGER AS lo, year(max({_q(col)}))::INTEGER AS hi "
                             f"FROM {schema}.{_q(spec.name)}")
    if not exprs:
        return None, None
    lo, hi = fetch_one(con, f"SELECT min(lo), max(hi) FROM ({' UNION ALL '.join(exprs)})")
    return (int(lo) if lo is not None else None, int(hi) if hi is not None else None)


# --- the load ----------------------------------------------------------------------------------------------------


def load_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    fetched: Mapping[str, FetchedFile],
    frames: Mapping[str, pd.DataFrame],
    *,
    unavailable: Mapping[str, str] | None = None,
    accept_shrink: bool = False,
) -> SourceLoad:
    """Stage ``frames`` and swap them in, with provenance, in ONE transaction (rolled back on any error).

    ``frames`` are the parser's output keyed by table name. ``unavailable`` lists optional files that could not be
    had (path -> why): tables parsed only from them keep their loaded rows. Raises :class:`ParseError` (bad
    content), :class:`~lmc.errors.ShrinkError` (the load would lose rows, see :mod:`lmc.warehouse.guards`) or
    :class:`WarehouseError` (a table name owned by another source); the warehouse is then unchanged.
    """
    t0 = time.perf_counter()
    notes: list[str] = []
    unavailable = dict(unavailable or {})
    kept_specs = kept_tables(source, unavailable)
    missing = [t.name for t in source.tables if t.name not in frames and t not in kept_specs]
    if missing:
        raise ParseError(f"source {source.id}: the parser produced no table {missing[0]!r} "
                         f"(it produced: {', '.join(frames) or 'none'})")
    version = code_version(source)
    ensure_meta(con)
    con.execute("BEGIN TRANSACTION")
    try:
        owned = _owned_tables(con)
        for spec in source.tables:
            owner = owned.get(spec.name)
            if owner is not None and owner != source.id:
                raise WarehouseError(f"source {source.id}: table {spec.name!r} is already loaded by source {owner!r}")
        con.execute("CREATE SCHEMA IF NOT EXISTS staging")
        loads: list[TableLoad] = []
        kept: set[str] = set()
        for spec in source.tables:
            old_rows = loaded_rows(con, spec.name) if owned.get(spec.name) == source.id else None
            if spec in kept_specs:
                files = ", ".join(files_of(source, spec))
                why = "; ".join(unavailable[f] for f in files_of(source, spec))
                if old_rows is not None:
                    kept.add(spec.name)
                    loads.append(TableLoad(spec.name, old_rows, tuple(spec.columns)))
                    notes.append(f"{source.id}: optional file {files} is unavailable; kept the previously loaded "
                                 f"table {spec.name} ({old_rows:,} rows). Why: {why}")
                    continue
                notes.append(f"{source.id}: optional file {files} is unavailable and nothing was loaded from it "
                             f"before; table {spec.name} is empty")
                frame = frames.get(spec.name, pd.DataFrame({c: [] for c in spec.columns}))
            else:
                frame = frames[spec.name]
            extra = check_columns(source, spec, frame)
            if extra:
                notes.append(f"{source.id}: table {spec.name} has undeclared column(s) {extra}; not loaded")
            files = files_of(source, spec)
            local = fetched[files[0]].local if len(files) == 1 and files[0] in fetched else None
            rows = _stage_table(con, source, spec, frame, local)
            accepted = check_rows(source, spec, rows, old_rows, fetched, accept_shrink=accept_shrink)
            if accepted:
                notes.append(accepted)
            loads.append(TableLoad(spec.name, rows, tuple(spec.columns)))
        n_obs = 0
        obs_table: str | None = None
        if source.observations is not None:
            try:
                obs = source.observations({**frames, **{t: con.execute(f"SELECT * FROM main.{_q(t)}").df()
                                                        for t in kept}})
            except LmcError:
                raise
            except Exception as exc:
                raise ParseError(f"source {source.id}: building observations failed: {type(exc).__name__}: {exc}") from exc
            if obs is not None:
                obs_table = f"obs_{source.id}"
                n_obs, obs_notes = _stage_observations(con, source, obs)
                notes.extend(obs_notes)
        year_min, year_max = _year_range(con, source, obs_table, kept)

        # swap: previous tables of this source out, staged tables in
        declared = {t.name for t in source.tables}
        for old in [t for t, src in owned.items() if src == source.id and t not in declared]:
            con.execute(f"DROP TABLE IF EXISTS main.{_q(old)}")
        for spec in source.tables:
            if spec.name in kept:
                continue
            con.execute(f"CREATE OR REPLACE TABLE main.{_q(spec.name)} AS FROM staging.{_q(spec.name)}")
            con.execute(f"DROP TABLE staging.{_q(spec.name)}")
        if obs_table:
            con.execute(f"CREATE OR REPLACE TABLE main.{_q(obs_table)} AS "
                        f"SELECT *, ?::VARCHAR AS source FROM staging.{_q(obs_table)}", [source.id])
            con.execute(f"DROP TABLE staging.{_q(obs_table)}")
        else:
            con.execute(f"DROP TABLE IF EXISTS main.{_q('obs_' + source.id)}")
        rebuild_observations_view(con)

        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        rows_by_file: dict[str, int] = {}
        for spec, ld in zip(source.tables, loads, strict=True):
            files = files_of(source, spec)
            for f in files:
                rows_by_file[f] = rows_by_file.get(f, 0) + ld.rows
        kept_files = sorted({f for spec in source.tables if spec.name in kept for f in files_of(source, spec)})
        con.execute(f"DELETE FROM main.{PROVENANCE} WHERE source = ? AND NOT list_contains(?, file)",
                    [source.id, kept_files])
        for f in fetched.values():
            con.execute(
                f"INSERT INTO main.{PROVENANCE} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [source.id, f.path, f.url, f.origin, f.sha256, f.expected_sha256, f.bytes,
                 f.retrieved_at.replace(tzinfo=None), source.licence, rows_by_file.get(f.path), version, f.hash_ok,
                 now],
            )
        known = [f.hash_ok for f in fetched.values() if f.hash_ok is not None]
        retrieved = max((f.retrieved_at for f in fetched.values()), default=None)
        con.execute(f"DELETE FROM main.{SOURCES} WHERE source = ?", [source.id])
        con.execute(
            f"INSERT INTO main.{SOURCES} VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [source.id, source.title, source.publisher, source.homepage, source.licence, source.coverage,
             [t.name for t in source.tables], sum(ld.rows for ld in loads), n_obs, year_min, year_max,
             len(fetched) + len(kept_files), retrieved.replace(tzinfo=None) if retrieved else None,
             all(known) if known else None, version, now],
        )
        con.execute("DROP SCHEMA IF EXISTS staging CASCADE")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    warns = tuple(w for f in fetched.values() for w in f.warnings) + tuple(notes)
    return SourceLoad(source.id, True, tuple(loads), tuple(fetched.values()), n_obs, year_min, year_max,
                      source.licence, warns, None, time.perf_counter() - t0)


def ingest(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    settings: Settings | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    offline: bool | None = None,
    download: Downloader = http_download,
    use_cache: bool = True,
    accept_shrink: bool = False,
) -> SourceLoad:
    """Fetch, parse and load one source (see the module docstring). Raises on failure; the warehouse is unchanged.

    ``accept_shrink`` loads a table even when it has fewer rows than the loaded one or its declared minimum.
    """
    t0 = time.perf_counter()
    if source.curated:
        got = FetchedSource({f.path: packaged_file(source.id, f) for f in source.files})
    else:
        got = fetch_source(source, settings, mirrors=mirrors, offline=offline, download=download,
                           use_cache=use_cache)
    fetched = got.files
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        frames = _parse(source, fetched)
    load = load_source(con, source, fetched, frames, unavailable=got.unavailable, accept_shrink=accept_shrink)
    parser_warnings = tuple(f"{source.id}: {w.message}" for w in caught
                            if not issubclass(w.category, (DeprecationWarning, FutureWarning)))
    return SourceLoad(load.source, True, load.tables, load.files, load.observations, load.year_min,
                      load.year_max, load.licence, load.warnings + parser_warnings, None,
                      time.perf_counter() - t0)


def pull(
    sources: Iterable[str] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    offline: bool | None = None,
    download: Downloader = http_download,
    keep_going: bool = True,
    registry: Mapping[str, Source] | None = None,
    accept_shrink: bool = False,
) -> PullResult:
    """Fetch and load sources (all declared ones by default) into the warehouse, each atomically.

    A source that fails is reported in the result (``ok=False`` with its error) and its previous tables stay; with
    ``keep_going=False`` the first failure is raised instead. ``mirrors`` (tried before the settings' mirrors) and
    ``offline`` override the settings; ``registry`` replaces the discovered connectors (tests). A load that would
    lose rows is refused unless ``accept_shrink`` (see :mod:`lmc.warehouse.guards`).
    """
    from lmc.sources.registry import all_sources, get_source

    settings = settings or get_settings()
    reg = dict(registry if registry is not None else all_sources())
    ids = list(sources) if sources else list(reg)
    for sid in ids:
        get_source(sid, reg)  # an unknown id fails here, before anything is fetched, with a did-you-mean
    all_mirrors = tuple(mirrors or ()) + tuple(m for m in settings.mirrors if m not in (mirrors or ()))
    t0 = time.perf_counter()
    loads: list[SourceLoad] = []
    con = connect(settings, read_only=False)
    try:
        ensure_meta(con)
        for i, sid in enumerate(ids):
            if progress:
                progress(sid, i, len(ids))
            s0 = time.perf_counter()
            try:
                loads.append(ingest(con, reg[sid], settings, mirrors=all_mirrors, offline=offline,
                                    download=download, accept_shrink=accept_shrink))
            except Exception as exc:  # one broken source must not stop the others; its error is reported
                if not keep_going:
                    raise
                msg = str(exc) if isinstance(exc, LmcError) else f"source {sid}: internal error in the connector: {type(exc).__name__}: {exc}"
                loads.append(SourceLoad(sid, False, licence=reg[sid].licence, error=msg,
                                        seconds=time.perf_counter() - s0))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if progress:
        progress("done", len(ids), len(ids))
    return PullResult(tuple(loads), settings.warehouse, time.perf_counter() - t0)
