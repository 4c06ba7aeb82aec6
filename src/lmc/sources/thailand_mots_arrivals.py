"""Thailand Ministry of Tourism and Sports: international tourist arrivals by nationality, 2019-2022.

Why: the only bilateral tourism-by-origin table found for the region (Thailand as destination), e.g. China 10.997 M
arrivals in 2019, 13 k in 2021, 274 k in 2022: the border-closure shock in one line.

Each MOTS sheet gives the current year (``P`` = preliminary) and the previous year, so a year appears in two
files and the values may differ by revision. ``thailand_arrivals`` keeps both rows (``source_file`` tells them
apart); the observations use the value from the latest file for each year (the most revised).

The tidy CSV is DERIVED from the three sheets with :func:`sheet_rows` (also used here to validate each sheet);
an online pull derives it from one sheet (one URL = one file; the 2022 sheet gives 2021 and 2022).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc.errors import ParseError
from lmc.sources._common import (
    conform,
    csv_bytes,
    file_for,
    github_raw,
    observations_of,
    read_csv,
    read_excel_rows,
    to_bool,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import directed_unit, iso3_from_name

REPO = "eatrabyo/dads-5001-mini-project@fe020619c2d0683faf3f1638a99b54f635aa4a8d"
_SHA = {  # year -> (sha256, bytes) from the MANIFEST
    "2020": ("f3adbfed95c38e5705938aa21294d96a3d5c0fbd4f07c91accfaf6f9a265fe1c", 16599),
    "2021": ("118556c25e82242dfb44f260f7ad0b0fa6d09c8835cb229228cbb57597dba528", 18096),
    "2022": ("c36e665b3066abcb14577e9e4627f6cdefe391a923a8baa7a7269311ed2f1202", 17292),
}
SHEETS = {
    y: SourceFile(
        f"tourism_bilateral/thailand_mots/{y}_TH_no_of_arrival.xlsx",
        github_raw(REPO, f"data_source/{y}_TH_no_of_arrival.xlsx"),
        sha,
        bytes=size,
    )
    for y, (sha, size) in _SHA.items()
}


def sheet_rows(rows: list[list[object]], source_file: str, label: str = "") -> pd.DataFrame:
    """One MOTS sheet (raw cells) -> tidy rows for both years it holds. Raises ParseError naming the row."""
    header_at = next(
        (i for i, r in enumerate(rows) if r and isinstance(r[0], str) and r[0].strip().lower() == "nationality"), None
    )
    if header_at is None:
        raise ParseError(f"{label or source_file}: no 'Nationality' header row (not a MOTS arrivals sheet?)")
    years = []
    for cell in rows[header_at][1:3]:
        m = re.fullmatch(r"\s*(\d{4})(?:\.0)?\s*(P?)\s*", str(cell))
        if not m:
            raise ParseError(f"{label or source_file}: row {header_at + 1}: {cell!r} is not a year like 2020P")
        years.append((int(m.group(1)), m.group(2) == "P"))
    out = []
    for i in range(header_at + 1, len(rows)):
        r = rows[i]
        name = re.sub(r"\s+", " ", str(r[0] or "")).strip()
        if not name:
            continue
        for (year, prov), value in zip(years, r[1:3], strict=True):
            try:
                arrivals = float(value)
            except (TypeError, ValueError):
                raise ParseError(
                    f"{label or source_file}: row {i + 1}, {name}: arrivals {value!r} is not a number"
                ) from None
            iso3 = iso3_from_name(name)
            out.append(
                {
                    "destination": "THA",
                    "source_file": source_file,
                    "origin_iso3": iso3,
                    "is_aggregate": iso3 is None,
                    "nationality": name,
                    "year": year,
                    "provisional": prov,
                    "arrivals": arrivals,
                }
            )
        if name.lower() == "grand total":
            break
    return pd.DataFrame(out)


def derive_tidy(upstream: bytes) -> bytes:
    """One MOTS sheet (.xlsx bytes) -> the tidy CSV's rows for its two years."""
    df = pd.read_excel(io.BytesIO(upstream), header=None, dtype=object, engine="openpyxl")
    rows = df.astype(object).where(df.notna(), None).values.tolist()
    return csv_bytes(sheet_rows(rows, "2022_TH_no_of_arrival.xlsx"))


TIDY = SourceFile(
    "tourism_bilateral/thailand_mots/thailand_arrivals_by_nationality_2019-2022_tidy.csv",
    SHEETS["2022"].url,
    "1e2e7be758d53ca1a69aa644b80ab2d330797f5d0d63401b3ec65c9ea1eee325",
    bytes=24857,
    derived=True,
    derive=derive_tidy,
)

T_ARRIVALS = TableSpec(
    "thailand_arrivals",
    {
        "year": "INTEGER",
        "origin_iso3": "VARCHAR",
        "nationality": "VARCHAR",
        "arrivals": "DOUBLE",
        "provisional": "BOOLEAN",
        "source_file": "VARCHAR",
        "is_aggregate": "BOOLEAN",
    },
    "International tourist arrivals to Thailand by nationality (regions have is_aggregate = true, no ISO3); "
    "a year appears once per MOTS file that reports it.",
    files=(TIDY.path,),
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    for f in SHEETS.values():
        if f.path in paths:
            p = Path(paths[f.path])
            sheet_rows(read_excel_rows(p), p.name, str(p))  # validates the sheet
    p = file_for(paths, TIDY)
    df = read_csv(p, columns=["source_file", "origin_iso3", "is_aggregate", "nationality", "year", "provisional",
                              "arrivals"])  # fmt: skip
    out = pd.DataFrame(
        {
            "year": to_int(df, "year", p, required=True),
            "origin_iso3": to_str(df, "origin_iso3", p),
            "nationality": to_str(df, "nationality", p, required=True),
            "arrivals": to_float(df, "arrivals", p, required=True),
            "provisional": to_bool(df, "provisional", p),
            "source_file": to_str(df, "source_file", p, required=True),
            "is_aggregate": to_bool(df, "is_aggregate", p),
        }
    )
    return {T_ARRIVALS.name: conform(out, T_ARRIVALS)}


def latest_by_year(arrivals: pd.DataFrame) -> pd.DataFrame:
    """One row per (year, nationality): the value from the latest MOTS file (most revised)."""
    return (
        arrivals.sort_values("source_file")
        .drop_duplicates(["year", "nationality", "origin_iso3"], keep="last")
        .reset_index(drop=True)
    )


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``tourist_arrivals`` per directed pair origin>THA and year (latest revision)."""
    a = latest_by_year(tables[T_ARRIVALS.name])
    a = a[~a["is_aggregate"].fillna(True) & a["origin_iso3"].notna()]
    units = [directed_unit(o, "THA") for o in a["origin_iso3"]]
    return observations_of("tourist_arrivals", units, a["year"], a["arrivals"])


SOURCE = Source(
    id="thailand_mots_arrivals",
    title="Thailand international tourist arrivals by nationality, 2019-2022",
    publisher="Ministry of Tourism and Sports, Thailand",
    homepage="https://www.mots.go.th/more_news_new.php?cid=411",
    licence="Thai government statistics; licence not stated",
    files=(*SHEETS.values(), TIDY),
    tables=(T_ARRIVALS,),
    parse=parse,
    observations=observations,
    coverage="Thailand as destination, ~50 nationalities + regions, 2019-2022",
    notes="P = preliminary; a year appears in two files (values may differ by revision).",
)
