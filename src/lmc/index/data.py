"""Index input data: units x indicators (x time), with unit names, groups and denominators.

Units may be countries (``CHN``), undirected pairs (``CHN-LAO``), directed pairs (``CHN>LAO``) or provinces
(``CHN.YN`` or any other code); the kind is detected once here so that later stages (and the Soft Connectivity
Index) can treat them natively. Invalid cells are reported with the file line, unit and indicator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from lmc.errors import suggest
from lmc.index.errors import IndexDataError
from lmc.index.framework import Framework

UnitKind = Literal["country", "pair", "directed_pair", "province", "mixed"]
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_PAIR = re.compile(r"^[A-Z]{3}-[A-Z]{3}$")
_DPAIR = re.compile(r"^[A-Z]{3}>[A-Z]{3}$")

ID_COLUMNS = ("uCode", "uName", "Time")


def unit_kind(code: str) -> UnitKind:
    """Classify one unit code: ``CHN`` country, ``CHN-LAO`` pair, ``CHN>LAO`` directed pair, else province."""
    if _COUNTRY.match(code):
        return "country"
    if _PAIR.match(code):
        return "pair"
    if _DPAIR.match(code):
        return "directed_pair"
    return "province"


def pair_members(code: str) -> tuple[str, str]:
    """The two countries of a pair code (``CHN-LAO`` or ``CHN>LAO``)."""
    kind = unit_kind(code)
    if kind not in ("pair", "directed_pair"):
        raise IndexDataError(f"unit {code!r} is not a pair (expected 'AAA-BBB' or 'AAA>BBB')")
    return code[:3], code[4:]


@dataclass(frozen=True)
class IndexData:
    """Validated input data.

    ``values``: float frame, index ``uCode`` (or ``(uCode, Time)`` for panels), one column per indicator, NaN =
    missing. ``groups``: string columns per unit; ``denominators``: float columns per unit; ``names``: uCode -> name.
    """

    values: pd.DataFrame
    groups: pd.DataFrame
    denominators: pd.DataFrame
    names: pd.Series
    source: str = "<frame>"

    @property
    def is_panel(self) -> bool:
        return isinstance(self.values.index, pd.MultiIndex)

    @property
    def units(self) -> tuple[str, ...]:
        idx = self.values.index
        return tuple(dict.fromkeys(idx.get_level_values(0) if self.is_panel else idx))

    @property
    def times(self) -> tuple:
        return tuple(sorted(set(self.values.index.get_level_values(1)))) if self.is_panel else ()

    @property
    def kind(self) -> UnitKind:
        kinds = {unit_kind(u) for u in self.units}
        return kinds.pop() if len(kinds) == 1 else "mixed"

    def at_time(self, t) -> IndexData:
        """The cross-section of a panel at time ``t``."""
        if not self.is_panel:
            return self
        sel = self.values.xs(t, level=1)
        g = self.groups.xs(t, level=1) if isinstance(self.groups.index, pd.MultiIndex) else self.groups
        d = self.denominators.xs(t, level=1) if isinstance(self.denominators.index, pd.MultiIndex) \
            else self.denominators
        return IndexData(values=sel, groups=g, denominators=d, names=self.names, source=f"{self.source}@{t}")

    def select(self, indicators: tuple[str, ...] | list[str]) -> IndexData:
        return IndexData(values=self.values[list(indicators)], groups=self.groups, denominators=self.denominators,
                         names=self.names, source=self.source)


def from_frame(df: pd.DataFrame, framework: Framework, *, source: str = "<frame>",
               first_line: int = 2) -> IndexData:
    """Validate a wide frame (``uCode``, optional ``uName``/``Time``, groups, denominators, indicators).

    Every indicator of ``framework`` must be a column; every value must be numeric and finite (empty = missing).
    ``first_line`` is the file line of the first data row, used in error messages.
    """
    if "uCode" not in df.columns:
        raise IndexDataError(f"{source}: no 'uCode' column.{suggest('uCode', map(str, df.columns))}")
    df = df.reset_index(drop=True)
    codes = df["uCode"]
    if codes.isna().any():
        i = int(np.flatnonzero(codes.isna().to_numpy())[0])
        raise IndexDataError(f"{source}:{i + first_line}: field 'uCode': empty unit code")
    codes = codes.astype(str).str.strip()
    panel = "Time" in df.columns and df["Time"].nunique(dropna=True) > 1
    key = list(zip(codes, df["Time"])) if panel else list(codes)
    dup = pd.Series(key).duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise IndexDataError(f"{source}:{i + first_line}: field 'uCode': duplicated unit {key[i]!r}")

    cols = [str(c) for c in df.columns]
    missing = [c for c in framework.indicators if c not in cols]
    if missing:
        c = missing[0]
        others = [x for x in cols if x not in framework.codes and x not in ID_COLUMNS]
        raise IndexDataError(f"{source}: indicator {c!r} of the framework has no column in the data."
                             f"{suggest(c, others)}" + (f" ({len(missing)} missing: {', '.join(missing[:10])})"
                                                        if len(missing) > 1 else ""))
    index = pd.MultiIndex.from_arrays([codes, df["Time"]], names=["uCode", "Time"]) if panel \
        else pd.Index(codes, name="uCode")

    def numeric_block(names: list[str], what: str) -> pd.DataFrame:
        out = {}
        for c in names:
            col = df[c]
            num = pd.to_numeric(col, errors="coerce")
            bad = num.isna() & col.notna() & (col.astype(str).str.strip() != "")
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise IndexDataError(f"{source}:{i + first_line}: {what} {c!r}, unit {codes[i]!r}: value "
                                     f"{col.iloc[i]!r} is not a number (leave the cell empty for a missing value)")
            arr = num.to_numpy(dtype=float)
            inf = np.isinf(arr)
            if inf.any():
                i = int(np.flatnonzero(inf)[0])
                raise IndexDataError(f"{source}:{i + first_line}: {what} {c!r}, unit {codes[i]!r}: infinite value")
            out[c] = arr
        return pd.DataFrame(out, index=index, columns=names, dtype=float)

    values = numeric_block(list(framework.indicators), "indicator")
    dens = [c for c in framework.denominators if c in cols]
    needed = {framework.by_code[i].denominator for i in framework.indicators} - {None}
    for d in sorted(needed):
        if d not in cols:
            raise IndexDataError(f"{source}: denominator {d!r} has no column in the data."
                                 f"{suggest(d, cols)}")
        if d not in dens:
            dens.append(d)
    denominators = numeric_block(dens, "denominator")
    gcols = [c for c in framework.groups if c in cols]
    groups = pd.DataFrame({c: df[c].astype(object).where(df[c].notna(), None).to_numpy() for c in gcols},
                          index=index, columns=gcols)
    names = pd.Series(df["uName"].astype(str).to_numpy() if "uName" in df.columns else codes.to_numpy(),
                      index=codes.to_numpy(), name="uName")
    names = names[~names.index.duplicated()]
    return IndexData(values=values, groups=groups, denominators=denominators, names=names, source=source)


def read_text_csv(path: str | Path, error: type[Exception] = IndexDataError) -> pd.DataFrame:
    """A CSV as text cells (empty = missing). An unreadable, empty, header-only or non-UTF-8 file raises ``error``
    naming the file (and the line, where there is one)."""
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except UnicodeDecodeError:  # pandas' offset is within its buffer: decode the file to find the line
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as real:
            exc = real
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{path}:{line}: not a UTF-8 text CSV (byte 0x{data[exc.start]:02x})") from exc
    except pd.errors.EmptyDataError as exc:
        raise error(f"{path}: the file is empty (expected a CSV with a header line)") from exc
    except pd.errors.ParserError as exc:
        raise error(f"{path}: not a readable CSV ({str(exc).strip().splitlines()[-1]})") from exc
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if df.empty:
        raise error(f"{path}: no data rows (only a header line)")
    return df


def read_data_csv(path: str | Path, framework: Framework) -> IndexData:
    """Read a wide CSV (COINr iData layout or the native one, which is the same) and validate it."""
    return from_frame(read_text_csv(path), framework, source=str(path))


