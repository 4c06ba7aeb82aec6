"""Read any GTFS feed (zip or folder) into plain string tables, forgiving of the usual defects of published feeds.

Published feeds are messier than the reference: byte-order marks, spaces around header names and values, times
written ``7:10:00`` (no leading zero) or past ``24:00:00``, optional files missing. Those are read. What would give
wrong answers is refused: a file that is not UTF-8 (GTFS requires it; guessing another encoding garbles names), a
departure before its arrival, times that go backwards along a trip, a feed without trips.

This module only *reads*: every column stays a string except times (seconds since "noon minus 12 h" of the service
day) and a few numeric columns. Building arrays for routing is :mod:`lmc.corridor.timetable`'s job.

Errors a user can fix raise :class:`lmc.errors.ParseError` naming the file, the line (1-based, header = line 1)
and the field, in one line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lmc.errors import ParseError

REQUIRED: dict[str, tuple[str, ...]] = {
    "agency.txt": ("agency_timezone",),
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id",),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_id", "stop_sequence"),
}
EXTENSIONS = ("clearance.txt", "trip_notes.txt", "aliases.txt", "gaps.txt")
"""This project's extensions of GTFS (other tools ignore them): border-control steps at stops (``clearance.txt``),
what a traveller must know about a trip's times (``trip_notes.txt``), place names standing for several stations
(``aliases.txt``) and known gaps in the data (``gaps.txt``). See docs/corridor.md."""
OPTIONAL = ("calendar.txt", "calendar_dates.txt", "frequencies.txt", "transfers.txt", "feed_info.txt",
            "translations.txt", *EXTENSIONS)


@dataclass(frozen=True)
class GtfsFeed:
    """The tables of one feed as data frames of strings (times already parsed to seconds, ``-1`` if blank)."""

    source: str
    tables: dict[str, pd.DataFrame] = field(repr=False)
    fingerprint: str = ""

    def table(self, name: str) -> pd.DataFrame | None:
        """The table ``name`` (e.g. ``"stops"``) or ``None`` when the optional file is absent."""
        return self.tables.get(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


class _Folder:
    """Uniform access to the files of a folder or a zip (also a zip whose files sit in one sub-folder)."""

    def __init__(self, path: Path):
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if path.is_dir():
            self._names = {p.name: str(p) for p in path.iterdir() if p.is_file()}
        elif path.is_file() and zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            for info in self._zip.infolist():
                name = info.filename.rsplit("/", 1)[-1]
                if name and not info.filename.startswith("__MACOSX") and name not in self._names:
                    self._names[name] = info.filename
        else:
            raise ParseError(f"{path}: not a GTFS folder or zip file.")

    def has(self, name: str) -> bool:
        return name in self._names

    def read_bytes(self, name: str) -> bytes:
        if self._zip is not None:
            return self._zip.read(self._names[name])
        return Path(self._names[name]).read_bytes()


def _decode(raw: bytes, where: str) -> str:
    """The text of a feed file. GTFS requires UTF-8 (a byte-order mark is tolerated); anything else is an error
    naming the line and field of the first bad byte, never a silent guess at another encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(f"{where}: the file is UTF-16; GTFS files must be UTF-8 (re-save it as UTF-8).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8-sig", "replace")]), [])
        before = raw[line_start:exc.start].decode("utf-8", "replace")
        col = len(next(csv.reader([before + "x"]), [""])) - 1
        field = f" field {header[col].strip()!r}:" if 0 <= col < len(header) and line > 1 else ""
        raise ParseError(f"{where}: line {line}:{field} byte 0x{raw[exc.start]:02x} is not UTF-8 (GTFS files must "
                         "be UTF-8; re-save the file as UTF-8).") from None


def _distinct(col: pd.Series):
    """The codes and distinct values of a column, the values as an Arrow string array (vectorised string work)."""
    import pyarrow as pa

    codes, uniques = pd.factorize(col, sort=False)
    return codes, pa.array(np.asarray(uniques, dtype=object), type=pa.string())


def _strip(col: pd.Series) -> pd.Series:
    """Strip spaces from every value, working on the distinct values only (feeds repeat ids and times a lot)."""
    import pyarrow.compute as pc

    codes, values = _distinct(col)
    stripped = pc.utf8_trim_whitespace(values)
    if (codes >= 0).all() and pc.all(pc.equal(values, stripped)).as_py() is not False:
        return col
    out = np.append(np.asarray(stripped.to_pylist(), dtype=object), "")[codes]  # code -1 (missing) -> ""
    return pd.Series(out, index=col.index, dtype=object)


def _read_csv(text: str, where: str) -> pd.DataFrame:
    """Strings everywhere, headers and values stripped, blank lines skipped.

    Arrow's CSV reader does the work (about twice as fast as pandas' on a 130k-row stop_times.txt); a file it
    refuses (rows with a different number of fields) is read by pandas, which accepts short rows and names the
    problem of others.
    """
    if not text.strip():
        return pd.DataFrame()
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]), [])
    try:
        if len(set(header)) != len(header):
            raise pa.ArrowInvalid("duplicate column names")
        table = pacsv.read_csv(io.BytesIO(text.encode("utf-8")), convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in header}, strings_can_be_null=False,
            quoted_strings_can_be_null=False))
        df = table.to_pandas()
    except pa.ArrowInvalid:
        try:
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                             skipinitialspace=True, skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL)
        except (pd.errors.ParserError, ValueError) as exc:
            raise ParseError(f"{where}: not valid CSV: {exc}") from exc
    df.columns = [str(c).strip().lstrip("\ufeff").strip().lower() for c in df.columns]
    if any(sp in text for sp in (" ,", ", ", " \n", "\n ", " \r", "\t")) or text.startswith(" "):
        for col in df.columns:
            df[col] = _strip(df[col])
    return df


def parse_times(values: pd.Series, where: str, column: str) -> np.ndarray:
    """GTFS ``H:MM:SS`` strings (hours may exceed 24 or lack a leading zero) to seconds; blanks become -1.

    Works on the distinct strings with Arrow compute. Raises :class:`ParseError` naming the first bad line
    (header = line 1).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, u = _distinct(values.astype(str))
    u = pc.utf8_trim_whitespace(u)
    blank = pc.equal(u, "").to_numpy(zero_copy_only=False)
    ok = pc.match_substring_regex(u, r"^\d{1,3}:[0-5]?\d:[0-5]?\d$").to_numpy(zero_copy_only=False)
    bad = ~ok & ~blank
    if bad.any():
        first = int(np.flatnonzero(np.isin(codes, np.flatnonzero(bad)))[0])
        raise ParseError(f"{where}: line {first + 2}: field {column!r}: {u[int(codes[first])].as_py()!r} is not a "
                         "time H:MM:SS.")
    secs = np.full(len(u) + 1, -1, dtype=np.int64)  # the extra slot: code -1 (missing value)
    if ok.any():
        parts = pc.cast(pc.list_flatten(pc.split_pattern(u.filter(pa.array(ok)), ":")), pa.int64())
        hms = parts.to_numpy().reshape(-1, 3)
        secs[:-1][ok] = hms[:, 0] * 3600 + hms[:, 1] * 60 + hms[:, 2]
    return secs[codes]


def fmt_time(sec: int) -> str:
    """Seconds since noon minus 12 h as GTFS ``HH:MM:SS`` (hours may exceed 23)."""
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


def check_stop_times(trip: np.ndarray, seq: np.ndarray, arr: np.ndarray, dep: np.ndarray, stop: np.ndarray,
                     where: str) -> None:
    """Times must not run backwards: departure >= arrival at a stop, and each arrival >= the departure from the
    previous timed stop of the same trip (in stop_sequence order). Blank times (-1) are skipped.

    Raises :class:`ParseError` naming the line (header = line 1), the field and both times.
    """
    both = (arr >= 0) & (dep >= 0) & (dep < arr)
    if both.any():
        i = int(np.flatnonzero(both)[0])
        raise ParseError(f"{where}: line {i + 2}: field 'departure_time': {fmt_time(int(dep[i]))} is before "
                         f"arrival_time {fmt_time(int(arr[i]))} (trip {trip[i]!r}, stop {stop[i]!r}).")
    codes = pd.factorize(trip, sort=False)[0]
    order = np.lexsort((seq, codes))
    t_o, a_o = codes[order], arr[order]
    d_o = np.where(dep[order] >= 0, dep[order], a_o)  # a stop with one time uses it for both
    idx = np.arange(len(order))
    last_timed = np.maximum.accumulate(np.where(d_o >= 0, idx, -1))
    prev = np.r_[-1, last_timed[:-1]]
    ok_prev = prev >= 0
    prev_c = np.where(ok_prev, prev, 0)
    a_chk = np.where(a_o >= 0, a_o, d_o)
    bad = ok_prev & (a_chk >= 0) & (t_o[prev_c] == t_o) & (a_chk < d_o[prev_c])
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        i, p = int(order[r]), int(order[prev_c[r]])
        field = "arrival_time" if arr[i] >= 0 else "departure_time"
        raise ParseError(f"{where}: line {i + 2}: field {field!r}: {fmt_time(int(a_chk[r]))} at stop {stop[i]!r} is "
                         f"before the departure {fmt_time(int(d_o[prev_c[r]]))} from the previous stop "
                         f"{stop[p]!r} (line {p + 2}): times go backwards along trip {trip[i]!r}.")


def _fingerprint(folder: _Folder, names: list[str]) -> str:
    h = hashlib.sha256()
    for name in sorted(names):
        h.update(name.encode())
        h.update(hashlib.sha256(folder.read_bytes(name)).digest())
    return h.hexdigest()


def read_feed(path: str | Path) -> GtfsFeed:
    """Read the feed at ``path`` (a folder or a zip). Required files and columns are checked; optional ones may
    be missing. ``calendar.txt`` and ``calendar_dates.txt`` may each be absent but not both."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ParseError(f"GTFS feed {path} does not exist.")
    folder = _Folder(path)
    tables: dict[str, pd.DataFrame] = {}
    present: list[str] = []
    for name, cols in REQUIRED.items():
        if not folder.has(name):
            raise ParseError(f"{path}: required file {name} is missing.")
        present.append(name)
        where = f"{path}/{name}"
        df = _read_csv(_decode(folder.read_bytes(name), where), where)
        for col in cols:
            if col not in df.columns:
                from lmc.errors import suggest

                raise ParseError(f"{where}: line 1: required column {col!r} is missing.{suggest(col, df.columns)}")
        tables[name[:-4]] = df
    for name in OPTIONAL:
        if folder.has(name):
            present.append(name)
            where = f"{path}/{name}"
            tables[name[:-4]] = _read_csv(_decode(folder.read_bytes(name), where), where)
    if "calendar" not in tables and "calendar_dates" not in tables:
        raise ParseError(f"{path}: neither calendar.txt nor calendar_dates.txt is present.")

    if len(tables["trips"]) == 0:
        raise ParseError(f"{path}/trips.txt: no trips: the feed has nothing to plan on.")
    st = tables["stop_times"]
    where = f"{path}/stop_times.txt"
    if len(st) == 0:
        raise ParseError(f"{where}: no stop times (only a header): the feed has no trips to plan on.")
    for col in ("arrival_time", "departure_time"):
        if col not in st.columns:
            st[col] = ""
    arr = parse_times(st["arrival_time"], where, "arrival_time")
    dep = parse_times(st["departure_time"], where, "departure_time")
    seq = pd.to_numeric(st["stop_sequence"], errors="coerce")
    if seq.isna().any():
        pos = int(np.flatnonzero(seq.isna().to_numpy())[0])
        raise ParseError(f"{where}: line {pos + 2}: field 'stop_sequence': {st['stop_sequence'].iloc[pos]!r} is not "
                         "an integer.")
    st["seq"] = seq.astype(np.int64)
    check_stop_times(st["trip_id"].to_numpy(dtype=object), st["seq"].to_numpy(), arr, dep,
                     st["stop_id"].to_numpy(dtype=object), where)
    # a stop with only one of the two times uses it for both (common in hand-written feeds)
    st["arr_s"] = np.where(arr < 0, dep, arr)
    st["dep_s"] = np.where(dep < 0, arr, dep)
    if "frequencies" in tables:
        fr = tables["frequencies"]
        fw = f"{path}/frequencies.txt"
        fr["start_s"] = parse_times(fr["start_time"], fw, "start_time")
        fr["end_s"] = parse_times(fr["end_time"], fw, "end_time")
        fr["headway_s"] = pd.to_numeric(fr["headway_secs"], errors="coerce").fillna(0).astype(np.int64)
        exact = fr["exact_times"] if "exact_times" in fr.columns else pd.Series("", index=fr.index)
        fr["exact"] = exact.astype(str).str.strip().eq("1")
    return GtfsFeed(source=str(path), tables=tables, fingerprint=_fingerprint(folder, present))
