"""Helpers every connector uses: loud CSV reading, typed column conversion, schema conformance, raw URLs, and the
shape of the long observations frame.

Why here: a parse error must name file, line and column the same way in every source, and a frame must leave a
connector with exactly the declared columns and types, whichever source it came from. (Private module: the
registry skips names starting with ``_``.)

Line numbers assume one record per physical line (true of every mirrored CSV except where a quoted field holds a
newline, where the reported line is the record's position and may be a little early).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lmc.errors import ParseError
from lmc.sources.base import SourceFile, TableSpec
from lmc.sources.harmonise import directed_units

# ----------------------------------------------------------------------------------------------------------------
# URLs


def github_raw(repo_at_commit: str, path: str) -> str:
    """Raw URL of ``path`` in ``owner/repo@commit`` (the MANIFEST's ``github_repo_and_commit``)."""
    repo, commit = repo_at_commit.split("@", 1)
    return f"https://raw.githubusercontent.com/{repo}/{commit}/{path.lstrip('/')}"


def file_for(paths: Mapping[str, Path], f: SourceFile) -> Path:
    """The local path the fetcher resolved for a declared file (a clear error when the caller forgot it)."""
    try:
        return Path(paths[f.path])
    except KeyError:
        raise ParseError(f"no local file given for {f.path!r} (have: {', '.join(sorted(paths)) or 'none'})") from None


# ----------------------------------------------------------------------------------------------------------------
# Reading


def _label(path: Path) -> str:
    return str(path)


def read_csv(
    path: Path,
    *,
    columns: Sequence[str] | None = None,
    sep: str = ",",
    header: bool = True,
    names: Sequence[str] | None = None,
    na_values: Sequence[str] = ("",),
    usecols: Sequence[str] | None = None,
    encoding: str = "utf-8",
) -> pd.DataFrame:
    """Read a CSV with every column as a string; errors become :class:`ParseError` naming file and line.

    ``columns``: header names that must be present (a missing one is named, with the header line). For a file
    without a header give ``header=False`` and ``names``; a row with the wrong number of fields is an error.
    """
    path = Path(path)
    try:
        df = pd.read_csv(
            path,
            sep=sep,
            header=0 if header else None,
            names=list(names) if names is not None else None,
            dtype=str,
            keep_default_na=False,
            na_values=list(na_values),
            usecols=list(usecols) if usecols is not None else None,
            encoding=encoding,
            engine="c",
            on_bad_lines="error",
        )
    except UnicodeDecodeError as exc:
        raise _decode_error(path, encoding, exc) from exc
    except pd.errors.EmptyDataError as exc:
        raise ParseError(f"{_label(path)}: line 1: the file is empty") from exc
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = f"line {m.group(1)}" if m else "somewhere"
        raise ParseError(f"{_label(path)}: {where}: {_short(exc)}") from exc
    except ValueError as exc:  # usecols not found
        m = re.search(r"\[(.*)\]", str(exc))
        missing = m.group(1) if m else str(exc)
        raise ParseError(f"{_label(path)}: line 1: missing column(s) {missing}") from exc
    if columns is not None:
        require_columns(df, columns, path)
    if usecols is None:
        _check_last_record(path, sep, len(df.columns), encoding)
    return df.reset_index(drop=True)


def _check_last_record(path: Path, sep: str, n_fields: int, encoding: str) -> None:
    """A truncated file usually ends mid-record; pandas pads such a row with NULLs, so count its fields here."""
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    lines = tail.rstrip(b"\r\n").split(b"\n")
    if not lines or size == 0:
        return
    last = lines[-1].decode(encoding, errors="replace").rstrip("\r")
    try:
        fields = next(csv.reader([last], delimiter=sep))
    except (csv.Error, StopIteration):
        return
    if '"' in last and last.count('"') % 2:
        return  # the last record spans lines (quoted newline): pandas has already validated it
    if len(fields) < n_fields:
        with open(path, "rb") as fh:
            line_no = fh.read().rstrip(b"\r\n").count(b"\n") + 1
        raise ParseError(
            f"{_label(path)}: line {line_no}: record has {len(fields)} of {n_fields} fields (file truncated?)"
        )


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[-1][:200]


def _decode_error(path: Path, encoding: str, exc: UnicodeDecodeError) -> ParseError:
    """The parser's offset is relative to its read buffer: decode the file ourselves to find the real line."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as real:
        exc = real
        line = data[: real.start].count(b"\n") + 1
        return ParseError(f"{_label(path)}: line {line}: bytes are not valid {encoding} ({exc.reason})")
    return ParseError(f"{_label(path)}: bytes are not valid {encoding} ({exc.reason})")


def require_columns(df: pd.DataFrame, columns: Sequence[str], path: Path) -> None:
    """ParseError naming the first expected column absent from the header (with the closest header name)."""
    from lmc.errors import suggest

    present = [str(c) for c in df.columns]
    for col in columns:
        if col not in present:
            raise ParseError(
                f"{_label(Path(path))}: line 1: missing column {col!r}.{suggest(col, present)} "
                f"Header has: {', '.join(present[:20])}{' ...' if len(present) > 20 else ''}"
            )


def read_excel_rows(path: Path, sheet: int | str = 0) -> list[list[object]]:
    """All rows of one sheet of an .xls/.xlsx file as lists (raw cells); errors become ParseError."""
    path = Path(path)
    try:
        engine = "xlrd" if path.suffix.lower() == ".xls" else "openpyxl"
        with warnings.catch_warnings():  # pandas deprecates the xlrd engine; .xls files still need it
            warnings.simplefilter("ignore")
            df = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine=engine)
    except Exception as exc:  # xlrd/openpyxl raise many types for corrupt files
        raise ParseError(f"{_label(path)}: not a readable spreadsheet ({type(exc).__name__}: {_short(exc)})") from exc
    return df.astype(object).where(df.notna(), None).values.tolist()


# ----------------------------------------------------------------------------------------------------------------
# Typed conversion with line numbers


def _first_bad(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0])


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | (s.astype("string").str.strip() == "").fillna(True)


def reject_first(bad: pd.Series, values: pd.Series, path: Path, col: str, why: str, *, line_offset: int = 2) -> None:
    """Raise ParseError for the first row where ``bad`` is true: ``file: line N, column 'c': <value> <why>``."""
    mask = bad.fillna(True) if bad.dtype == "boolean" else bad
    if mask.any():
        i = _first_bad(mask)
        v = values.iloc[i]
        shown = repr(v) if isinstance(v, str) else v
        raise ParseError(f"{_label(Path(path))}: line {i + line_offset}, column {col!r}: {shown} {why}")


def no_single_download(what: str) -> Callable[[bytes], bytes]:
    """A ``derive`` for a DERIVED file that no single download can rebuild: a pull without a mirror says why."""

    def derive(upstream: bytes) -> bytes:
        raise ParseError(f"{what}, which one download cannot reproduce; use a mirror that holds the file "
                         "(see ../shared/data/mirror)")

    return derive


def to_float(df: pd.DataFrame, col: str, path: Path, *, required: bool = False, line_offset: int = 2) -> pd.Series:
    """Column ``col`` as float64; a non-numeric (or, if ``required``, empty) cell raises ParseError with its line."""
    s = df[col]
    out = pd.to_numeric(s, errors="coerce").astype("float64")
    blank = _blank(s)
    bad = out.isna() & ~blank
    if bad.any():
        i = _first_bad(bad)
        raise ParseError(f"{_label(Path(path))}: line {i + line_offset}, column {col!r}: {s.iloc[i]!r} is not a number")
    if required and blank.any():
        i = _first_bad(blank)
        raise ParseError(f"{_label(Path(path))}: line {i + line_offset}, column {col!r}: value is missing")
    return out


def to_int(df: pd.DataFrame, col: str, path: Path, *, required: bool = False, line_offset: int = 2) -> pd.Series:
    """Column ``col`` as nullable Int64 (``"2019.0"`` accepted); fractions and junk raise ParseError with the line."""
    f = to_float(df, col, path, required=required, line_offset=line_offset)
    frac = f.notna() & (f != np.floor(f.fillna(0)))
    if frac.any():
        i = _first_bad(frac)
        raise ParseError(
            f"{_label(Path(path))}: line {i + line_offset}, column {col!r}: {df[col].iloc[i]!r} is not a whole number"
        )
    return f.astype("Int64")


def to_str(df: pd.DataFrame, col: str, path: Path, *, required: bool = False, line_offset: int = 2) -> pd.Series:
    """Column ``col`` as a stripped string series; if ``required``, an empty cell raises ParseError with its line."""
    s = df[col].astype("string").str.strip()
    if required:
        blank = s.isna() | (s == "")
        if blank.any():
            i = _first_bad(blank.fillna(True))
            raise ParseError(f"{_label(Path(path))}: line {i + line_offset}, column {col!r}: value is missing")
    return s.where(s != "", pd.NA)


def to_bool(df: pd.DataFrame, col: str, path: Path, *, line_offset: int = 2) -> pd.Series:
    """Column ``col`` as nullable boolean from True/False, Y/N, 1/0."""
    s = df[col].astype("string").str.strip().str.lower()
    mapping = {"true": True, "false": False, "y": True, "n": False, "1": True, "0": False, "yes": True, "no": False}
    out = s.map(mapping)
    bad = out.isna() & s.notna() & (s != "")
    if bad.any():
        i = _first_bad(bad)
        raise ParseError(
            f"{_label(Path(path))}: line {i + line_offset}, column {col!r}: {df[col].iloc[i]!r} is not true/false"
        )
    return out.astype("boolean")


def to_date(df: pd.DataFrame, col: str, path: Path, *, fmt: str = "%Y-%m-%d", line_offset: int = 2) -> pd.Series:
    """Column ``col`` as ``datetime.date`` objects (DuckDB DATE); a malformed date raises ParseError with its line."""
    s = df[col]
    out = pd.to_datetime(s, format=fmt, errors="coerce")
    bad = out.isna() & ~_blank(s)
    if bad.any():
        i = _first_bad(bad)
        raise ParseError(f"{_label(Path(path))}: line {i + line_offset}, column {col!r}: {s.iloc[i]!r} is not a date")
    return out.dt.date.astype(object).where(out.notna(), None)


# ----------------------------------------------------------------------------------------------------------------
# Schema conformance

_PANDAS_TYPES = {
    "VARCHAR": "string",
    "TEXT": "string",
    "BIGINT": "Int64",
    "INTEGER": "Int64",
    "SMALLINT": "Int16",
    "TINYINT": "Int8",
    "DOUBLE": "float64",
    "FLOAT": "float64",
    "BOOLEAN": "boolean",
}


def conform(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Exactly the declared columns, in order, with pandas dtypes matching the declared DuckDB types.

    A declared column the frame lacks is a programming error in the connector (``KeyError`` names it). ``DATE``
    columns must already hold ``datetime.date`` objects (see :func:`to_date`); ``VARCHAR[]`` holds lists.
    """
    missing = [c for c in spec.columns if c not in df.columns]
    if missing:
        raise KeyError(f"table {spec.name!r}: connector produced no column(s) {missing}")
    out = df.loc[:, list(spec.columns)].reset_index(drop=True).copy()
    for col, typ in spec.columns.items():
        base = typ.upper()
        if base in _PANDAS_TYPES:
            out[col] = out[col].astype(_PANDAS_TYPES[base])
    return out


def csv_bytes(df: pd.DataFrame, sep: str = ",") -> bytes:
    """A frame as CSV bytes (for ``derive`` functions), no index, ``\\n`` line ends."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, sep=sep, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buf.getvalue().encode("utf-8")


# ----------------------------------------------------------------------------------------------------------------
# Observations: the long frame a connector's ``observations`` returns

OBSERVATION_COLUMNS = ("indicator", "unit", "year", "value")


def observation_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Exactly ``indicator, unit, year, value`` in that order, ``year`` as int64 and ``value`` as float64."""
    return df[list(OBSERVATION_COLUMNS)].astype({"value": "float64", "year": "int64"})


def observations_of(indicator: object, unit: object, year: object, value: object) -> pd.DataFrame:
    """Observations from four columns (a scalar, e.g. one indicator name or one year, is repeated on every row)."""
    return observation_frame(pd.DataFrame({"indicator": indicator, "unit": unit, "year": year, "value": value}))


def observation_rows(rows: Sequence[tuple[str, str, int, float]]) -> pd.DataFrame:
    """Observations from ``(indicator, unit, year, value)`` tuples."""
    return observation_frame(pd.DataFrame(list(rows), columns=list(OBSERVATION_COLUMNS)))


def melt_observations(wide: pd.DataFrame, *, unit: str | tuple[str, str] = "unit",
                      year: str | int = "year") -> pd.DataFrame:
    """Observations from a wide frame with one column per indicator (the column name is the indicator).

    ``unit``: the column holding the unit, or ``(origin, destination)`` columns that become the directed unit
    ``'A>B'``. ``year``: the column holding the year, or one year for every row. Every other column is an indicator.
    """
    keys = [unit] if isinstance(unit, str) else list(unit)
    if isinstance(year, str):
        keys.append(year)
    long = wide.melt(id_vars=keys, var_name="indicator", value_name="value")
    if isinstance(unit, str):
        long = long.rename(columns={unit: "unit"})
    else:
        long["unit"] = directed_units(long[unit[0]], long[unit[1]])
    if isinstance(year, str):
        long = long.rename(columns={year: "year"})
    else:
        long["year"] = year
    return observation_frame(long)
