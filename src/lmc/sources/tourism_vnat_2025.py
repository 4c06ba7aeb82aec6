"""Vietnam's international arrivals by market and month, 2025 (Vietnam National Authority of Tourism).

Why: the observed 2025 figures for China, Cambodia, Laos and Thailand as origins (China 5,282,002; Cambodia 687,132;
Laos 179,340), which otherwise would be carried forward or taken from press rounding. Myanmar has no row.

Two files from the same scrape of VNAT's statistics pages: the wide sheet (market x January..December + Total,
with regional subtotals such as ``1. Asia``) and the same figures in long format. The parser reads the wide sheet
and checks every month against the long file and every row's Total against its months, so a scraping slip is an
error naming the sheet row, not a silent number. No licence is stated for the scrape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc.errors import ParseError
from lmc.sources._common import conform, file_for, github_raw, observations_of, read_excel_rows
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import directed_unit, iso3_from_name

REPO = "nho646800-wq/2025-vietnam-tourism-market-analysis@feef584a01f801ccad2c4319267b4284e29ffd25"
YEAR = 2025
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

WIDE = SourceFile(
    "tourism_vnat_2025/VNAT_International_Arrivals_2025.xlsx",
    github_raw(REPO, "VNAT_International_Arrivals_2025.xlsx"),
    "462e0ff1f8bd623030dbce0668293aa232228c999349b269894cfdf71feab898",
    bytes=16674,
)
LONG = SourceFile(
    "tourism_vnat_2025/VNAT_Tableau_Data.xlsx",
    github_raw(REPO, "VNAT_Tableau_Data.xlsx"),
    "7907a0f2a60edb91c8f8a160b09ef82c81dec745a0cc24d83632a6078ea49b67",
    bytes=13359,
)

T_MONTHLY = TableSpec(
    "vietnam_arrivals_monthly",
    {"year": "INTEGER", "month": "INTEGER", "market": "VARCHAR", "origin_iso3": "VARCHAR", "is_aggregate": "BOOLEAN",
     "arrivals": "DOUBLE"},
    "International arrivals to Vietnam by market and month (VNAT); regional subtotals and 'Other countries in ...' "
    "rows have is_aggregate = true and no ISO3.",
    ("year", "month", "market"),
    files=(WIDE.path,),
)
T_ANNUAL = TableSpec(
    "vietnam_arrivals_annual",
    {"year": "INTEGER", "market": "VARCHAR", "origin_iso3": "VARCHAR", "is_aggregate": "BOOLEAN", "arrivals": "DOUBLE"},
    "Full-year arrivals to Vietnam by market (the sheet's Total column, checked against the months).",
    ("year", "market"),
    files=(WIDE.path,),
)


def _number(value: object, where: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ParseError(f"{where}: {value!r} is not a number") from None


def _wide(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = read_excel_rows(path)
    if not rows or [str(c).strip() for c in rows[0][:14]] != ["Market", *MONTHS, "Total"]:
        raise ParseError(f"{path}: row 1: expected the header Market, January .. December, Total")
    monthly, annual = [], []
    for i, r in enumerate(rows[1:], start=2):
        market = re.sub(r"\s+", " ", str(r[0] or "")).strip()
        if not market:
            continue
        iso3 = iso3_from_name(market)
        aggregate = iso3 is None
        if aggregate and not re.match(r"^(\d+\. |Other countries|Total$)", market):
            raise ParseError(f"{path}: row {i}, Market: {market!r} is neither a country nor a regional subtotal")
        values = [_number(v, f"{path}: row {i}, {market}, {m}") for v, m in zip(r[1:13], MONTHS, strict=True)]
        total = _number(r[13], f"{path}: row {i}, {market}, Total")
        if abs(sum(values) - total) > 0.5:
            raise ParseError(f"{path}: row {i}, {market}: months sum to {sum(values):,.0f}, Total says {total:,.0f}")
        monthly += [(YEAR, k, market, iso3, aggregate, v) for k, v in enumerate(values, start=1)]
        annual.append((YEAR, market, iso3, aggregate, total))
    return (pd.DataFrame(monthly, columns=list(T_MONTHLY.columns)),
            pd.DataFrame(annual, columns=list(T_ANNUAL.columns)))


def _check_long(path: Path, monthly: pd.DataFrame) -> None:
    """Every (market, month) of the long file equals the wide sheet's cell."""
    rows = read_excel_rows(path)
    if not rows or [str(c).strip() for c in rows[0][:4]] != ["Market", "Date", "Month", "Visitors"]:
        raise ParseError(f"{path}: row 1: expected the header Market, Date, Month, Visitors")
    wide = {(m, k): v for m, k, v in zip(monthly["market"], monthly["month"], monthly["arrivals"])}
    for i, r in enumerate(rows[1:], start=2):
        market, month = str(r[0] or "").strip(), str(r[2] or "").strip()
        if month not in MONTHS:
            raise ParseError(f"{path}: row {i}, Month: {month!r} is not a month name")
        value = _number(r[3], f"{path}: row {i}, Visitors")
        key = (market, MONTHS.index(month) + 1)
        if key not in wide:
            raise ParseError(f"{path}: row {i}: market {market!r} is not in {WIDE.path}")
        if abs(wide[key] - value) > 0.5:
            raise ParseError(f"{path}: row {i}, {market} {month}: {value:,.0f} but the wide sheet says {wide[key]:,.0f}")


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    monthly, annual = _wide(file_for(paths, WIDE))
    _check_long(file_for(paths, LONG), monthly)
    return {T_MONTHLY.name: conform(monthly, T_MONTHLY), T_ANNUAL.name: conform(annual, T_ANNUAL)}


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``tourist_arrivals`` per directed pair origin>VNM for 2025 (countries only, not subtotals)."""
    a = tables[T_ANNUAL.name]
    a = a[~a["is_aggregate"].astype(bool)]
    return observations_of("tourist_arrivals", [directed_unit(o, "VNM") for o in a["origin_iso3"]], a["year"],
                           a["arrivals"])


SOURCE = Source(
    id="tourism_vnat_2025",
    title="Vietnam international arrivals by market and month, 2025",
    publisher="Vietnam National Authority of Tourism (VNAT), scraped by nho646800-wq/2025-vietnam-tourism-market-analysis",
    homepage="https://vietnamtourism.gov.vn/en/statistic/international",
    licence="VNAT statistics; no licence stated for the scrape",
    files=(WIDE, LONG),
    tables=(T_MONTHLY, T_ANNUAL),
    parse=parse,
    observations=observations,
    coverage="Vietnam as destination, 29 markets + regional subtotals, January-December 2025",
    notes="No Myanmar row. The long-format file is checked against the wide sheet cell by cell.",
)
