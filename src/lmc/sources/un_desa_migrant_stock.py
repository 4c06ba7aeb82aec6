"""UN DESA International Migrant Stock 2019: bilateral stock by origin and destination, 1990-2019.

Why: diasporas are the long-run channel of people-to-people ties (and a gravity covariate for tourism). The
matrix is wide with UN English names ("Viet Nam", "Lao People's Democratic Republic"); it becomes
``migrant_stock (year, origin, destination, stock)`` in ISO3. ``..`` and ``-`` mean no estimate and become
missing (the row is dropped); zero stocks are dropped too (the matrix is sparse). A name the harmoniser does not
know, other than the few regions listed in :data:`NOT_COUNTRIES`, is an error: a renamed country column would
otherwise drop its rows silently.

The LMC long file is DERIVED from the wide file; it is parsed only to check it agrees.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.errors import ParseError
from lmc.sources._common import (
    conform,
    csv_bytes,
    file_for,
    github_raw,
    observations_of,
    read_csv,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import directed_units, iso3_from_name, iso3_from_names

REPO = "guyabel/stepladderChapter@4a81585e8ca3566aed8fd48c2870d316fe06f53f"

WIDE = SourceFile(
    "un_desa_migrant_stock/UN_MigrantStockByOriginAndDestination_2019_clean.csv",
    github_raw(REPO, "UN_MigrantStockByOriginAndDestination_2019_clean.csv"),
    "5aa066f9666b2cabac0347fc2e2794ef99767fc36aa44cc12de82c32d40e4cda",
    bytes=965426,
)


def derive_lmc_long(upstream: bytes) -> bytes:
    """Wide matrix -> long rows with an LMC origin or destination and stock > 0 (as the mirror's extract)."""
    w = pd.read_csv(io.BytesIO(upstream), na_values=["..", "-"])
    long = w.melt(id_vars=["Year", "Dest"], var_name="Origin", value_name="stock")
    long["stock"] = pd.to_numeric(long["stock"], errors="coerce")
    long["dest_lmc_iso3"] = long["Dest"].map(
        lambda n: iso3_from_name(n) if iso3_from_name(n) in LMC_COUNTRIES else None
    )
    long["origin_lmc_iso3"] = long["Origin"].map(
        lambda n: iso3_from_name(n) if iso3_from_name(n) in LMC_COUNTRIES else None
    )
    keep = (long["dest_lmc_iso3"].notna() | long["origin_lmc_iso3"].notna()) & (long["stock"] > 0)
    return csv_bytes(long[keep])


LMC_LONG = SourceFile(
    "un_desa_migrant_stock/migrant_stock_2019rev_lmc_long.csv",
    github_raw(REPO, "UN_MigrantStockByOriginAndDestination_2019_clean.csv"),
    "5c7e461ffcb7736060e43e1cbaabef44bf173bc6a0568ca217c3466b2e355a71",
    bytes=134384,
    derived=True,
    derive=derive_lmc_long,
)

NOT_COUNTRIES = frozenset({"Caribbean", "South America", "Melanesia", "Polynesia", "Channel Islands"})
"""Names in the 2019 matrix without one ISO3 code (regions; the Channel Islands are Jersey and Guernsey together):
their rows are left out on purpose."""


def _check_names(names: pd.Series, iso: pd.Series, path: Path, what: str, lines: pd.Series) -> None:
    """ParseError for the first name that is neither a known country nor in :data:`NOT_COUNTRIES`."""
    unknown = iso.isna().to_numpy() & ~names.isin(NOT_COUNTRIES).to_numpy()
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise ParseError(f"{path}: line {int(lines.iloc[i])}, {what} {names.iloc[i]!r}: not a country name the "
                         f"harmoniser knows (renamed?) and not a known region; its rows would be lost")


T_STOCK = TableSpec(
    "migrant_stock",
    {"year": "INTEGER", "origin": "VARCHAR", "destination": "VARCHAR", "stock": "DOUBLE"},
    "Mid-year international migrant stock (persons) by origin and destination country (ISO3), stock > 0.",
    ("year", "origin", "destination"),
    files=(WIDE.path,),
    min_rows=70_000,  # the 2019 matrix gives 76,473
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, WIDE)
    w = read_csv(p, columns=["Year", "Dest"], na_values=("", "..", "-"))
    origins = [c for c in w.columns if c not in ("Year", "Dest")]
    year = to_int(w, "Year", p, required=True)
    dest = to_str(w, "Dest", p, required=True)
    values = w[origins].apply(pd.to_numeric, errors="coerce")
    bad = values.isna() & w[origins].notna()
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise ParseError(f"{p}: line {r + 2}, column {origins[c]!r}: {w[origins].iat[r, c]!r} is not a number")
    origin_iso = iso3_from_names(pd.Series(origins))
    dest_iso = iso3_from_names(dest)
    _check_names(pd.Series(origins), origin_iso, p, "origin column", pd.Series([1] * len(origins)))
    _check_names(dest, dest_iso, p, "column 'Dest'", pd.Series(range(2, len(dest) + 2)))
    arr = values.to_numpy(dtype="float64")
    rows, cols = np.nonzero(np.nan_to_num(arr) > 0)
    stock = pd.DataFrame(
        {
            "year": year.to_numpy()[rows],
            "origin": origin_iso.to_numpy()[cols],
            "destination": dest_iso.to_numpy()[rows],
            "stock": arr[rows, cols],
        }
    ).dropna(subset=["origin", "destination"])
    stock = stock.groupby(["year", "origin", "destination"], as_index=False)["stock"].sum()

    p = file_for(paths, LMC_LONG)
    df = read_csv(p, columns=["Year", "Dest", "Origin", "stock", "dest_lmc_iso3", "origin_lmc_iso3"])
    to_int(df, "Year", p, required=True)
    to_float(df, "stock", p, required=True)
    lmc_rows = stock["origin"].isin(LMC_COUNTRIES) | stock["destination"].isin(LMC_COUNTRIES)
    if abs(len(df) - int(lmc_rows.sum())) > 0.05 * len(df):
        raise ParseError(f"{p}: {len(df)} rows but the wide matrix gives {int(lmc_rows.sum())} LMC rows (stale?)")
    return {T_STOCK.name: conform(stock, T_STOCK)}


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``migrant_stock`` per directed pair origin>destination where either side is an LMC country."""
    s = tables[T_STOCK.name]
    s = s[s["origin"].isin(LMC_COUNTRIES) | s["destination"].isin(LMC_COUNTRIES)]
    units = directed_units(s["origin"], s["destination"])
    return observations_of("migrant_stock", units, s["year"], s["stock"])


SOURCE = Source(
    id="un_desa_migrant_stock",
    title="UN DESA International Migrant Stock 2019 (bilateral)",
    publisher="UN DESA Population Division (cleaned CSV by G. Abel)",
    homepage="https://www.un.org/development/desa/pd/content/international-migrant-stock",
    licence="UN DESA terms (2019 edition stated as CC BY 3.0 IGO)",
    files=(WIDE, LMC_LONG),
    tables=(T_STOCK,),
    parse=parse,
    observations=observations,
    coverage="1990, 1995, 2000, 2005, 2010, 2015, 2019; all countries",
    notes="Stocks by place of birth where available, else citizenship; small cells modelled. Newer editions exist.",
)
