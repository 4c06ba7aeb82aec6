"""Read any GTFS feed (zip or folder) into plain string tables, forgiving of the usual defects of published feeds.

Published feeds are messier than the reference: byte-order marks, spaces around header names and values, times
written ``7:10:00`` (no leading zero) or past ``24:00:00``, optional files missing. This module only *reads*:
every column stays a string except times (seconds since "noon minus 12 h" of the service day) and a few numeric
columns. Building arrays for routing is :mod:`lmc.corridor.timetable`'s job.

Errors a user can fix raise :class:`lmc.errors.ParseError` naming the file, the line (1-based, header = line 1)
and the field.
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
OPTIONAL = ("calendar.txt", "calendar_dates.txt", "frequencies.txt", "transfers.txt", "feed_info.txt",
            "translations.txt", "clearance.txt")
"""``clearance.txt`` is this project's extension (ignored by other tools): border-control steps at stops."""


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
    for enc in ("utf-8-sig", "utf-16"):
        try:
            text = raw.decode(enc)
            return text.lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:  # pragma: no cover - cp1252 decodes nearly everything
        raise ParseError(f"{where}: cannot decode the file as UTF-8: {exc}") from exc


def _read_csv(text: str, where: str) -> pd.DataFrame:
    """Strings everywhere, headers and values stripped, blank lines skipped."""
    if not text.strip():
        return pd.DataFrame()
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                         skipinitialspace=True, skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ParseError(f"{where}: not valid CSV: {exc}") from exc
    df.columns = [str(c).strip().lstrip("\ufeff").strip().lower() for c in df.columns]
    for col in df.columns:
        df[col] = df[col].astype(str).str.strip()
    return df


def parse_times(values: pd.Series, where: str, column: str) -> np.ndarray:
    """GTFS ``H:MM:SS`` strings (hours may exceed 24 or lack a leading zero) to seconds; blanks become -1.

    Raises :class:`ParseError` naming the first bad line (header = line 1).
    """
    s = values.astype(str).str.strip()
    blank = s.eq("")
    parts = s.str.extract(r"^(\d{1,3}):([0-5]?\d):([0-5]?\d)$")
    bad = parts[0].isna() & ~blank
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ParseError(f"{where}: line {pos + 2}: field {column!r}: {s.iloc[pos]!r} is not a time H:MM:SS.")
    out = np.full(len(s), -1, dtype=np.int64)
    ok = ~blank.to_numpy()
    if ok.any():
        h = parts[0].to_numpy()[ok].astype(np.int64)
        m = parts[1].to_numpy()[ok].astype(np.int64)
        sec = parts[2].to_numpy()[ok].astype(np.int64)
        out[ok] = h * 3600 + m * 60 + sec
    return out


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

    st = tables["stop_times"]
    where = f"{path}/stop_times.txt"
    for col in ("arrival_time", "departure_time"):
        if col not in st.columns:
            st[col] = ""
    arr = parse_times(st["arrival_time"], where, "arrival_time")
    dep = parse_times(st["departure_time"], where, "departure_time")
    # a stop with only one of the two times uses it for both (common in hand-written feeds)
    arr = np.where(arr < 0, dep, arr)
    dep = np.where(dep < 0, arr, dep)
    st["arr_s"] = arr
    st["dep_s"] = dep
    seq = pd.to_numeric(st["stop_sequence"], errors="coerce")
    if seq.isna().any():
        pos = int(np.flatnonzero(seq.isna().to_numpy())[0])
        raise ParseError(f"{where}: line {pos + 2}: field 'stop_sequence': {st['stop_sequence'].iloc[pos]!r} is not "
                         "an integer.")
    st["seq"] = seq.astype(np.int64)
    if "frequencies" in tables:
        fr = tables["frequencies"]
        fw = f"{path}/frequencies.txt"
        fr["start_s"] = parse_times(fr["start_time"], fw, "start_time")
        fr["end_s"] = parse_times(fr["end_time"], fw, "end_time")
        fr["headway_s"] = pd.to_numeric(fr["headway_secs"], errors="coerce").fillna(0).astype(np.int64)
    return GtfsFeed(source=str(path), tables=tables, fingerprint=_fingerprint(folder, present))
