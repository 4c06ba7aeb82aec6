"""Freight statistics of the China-Laos Railway, the Mohan port and the Land-Sea Corridor: format, checks, ``SOURCE``.

The series are curated in ``lmc/curated/freight_series.yaml`` (a source on every value); Lao exports to China are
read from ``lmc/flows/data/lao_china_trade.yaml``, their one home. The loader produces the warehouse tables
``freight_series`` and ``freight_commodities``.

Why derive yearly values here: most railway figures are published as cumulative totals since the line opened
(2021-12-03), at anniversaries. :func:`derive_operating_years` turns two totals of one series and one counting body
about a year apart into that year's value (the difference), labelled ``derived`` with both dates, so a reader
sees that the "year" runs December to December and how it was obtained.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from lmc import yamldoc
from lmc.errors import ParseError, ValidationError, unknown
from lmc.sources._common import conform, file_for
from lmc.sources._curated_schema import Frozen, Reference
from lmc.sources.base import Source, SourceFile, TableSpec

SERIES_FILE = SourceFile("package:curated/freight_series.yaml", "package:curated/freight_series.yaml")
TRADE_FILE = SourceFile("package:flows/data/lao_china_trade.yaml", "package:flows/data/lao_china_trade.yaml")

LINE_OPENED = _dt.date(2021, 12, 3)
"""The China-Laos Railway opened to traffic on 2021-12-03 (cumulative totals count from this day)."""
YEAR_WINDOW = (350, 380)
"""Two cumulative totals this many days apart (inclusive) make one derived operating year."""


class SeriesDef(Frozen):
    unit: str
    label: str
    label_zh: str


class Annual(Frozen):
    series: str
    year: int = Field(ge=2015, le=2100)
    value: float = Field(ge=0)
    basis: str = Field(min_length=1)
    bound: Literal["lower"] | None = None
    note: str | None = None
    source: Reference


class DerivedAnnual(Annual):
    method: str = Field(min_length=1)


class Cumulative(Frozen):
    series: str
    as_of: _dt.date
    value: float = Field(ge=0)
    basis: str = Field(min_length=1)
    note: str | None = None
    source: Reference


class Dated(Frozen):
    series: str
    as_of: int | str
    value: float = Field(ge=0)
    basis: str = Field(min_length=1)
    method: str | None = Field(default=None, description="How the value was derived, when it is not as published.")
    note: str | None = None
    source: Reference


class YearToDate(Frozen):
    series: str
    start: _dt.date
    end: _dt.date
    value: float = Field(ge=0)
    growth: float | None = Field(default=None, gt=-1, description="Year-on-year growth published with the value "
                                                                  "(a fraction: 0.193 = +19.3%).")
    bound: Literal["lower"] | None = None
    basis: str = Field(min_length=1)
    note: str | None = None
    source: Reference


class Commodities(Frozen):
    year: int
    route: Literal["china_laos_railway", "land_sea_corridor"] = "china_laos_railway"
    direction: Literal["export", "import", "both"]
    items: str = Field(min_length=1)
    source: Reference


class FreightFile(Frozen):
    schema_version: Literal[1]
    series: dict[str, SeriesDef]
    annual: tuple[Annual, ...]
    derived_annual: tuple[DerivedAnnual, ...] = ()
    cumulative: tuple[Cumulative, ...] = ()
    dated: tuple[Dated, ...] = ()
    year_to_date: tuple[YearToDate, ...] = ()
    commodities: tuple[Commodities, ...] = ()


# --------------------------------------------------------------------------------------------------------------


def derive_operating_years(cumulative: pd.DataFrame, opened: _dt.date = LINE_OPENED,
                           window: tuple[int, int] = YEAR_WINDOW) -> pd.DataFrame:
    """Yearly values from cumulative totals: one row per pair of consecutive totals of the same ``series`` and
    ``basis`` whose dates are ``window`` days apart, plus the first year when a total falls ``window`` days after
    ``opened``. Columns: series, basis, start, end, year (of ``end``), value (the difference), from_value, to_value.

    Pure: ``cumulative`` needs columns series, basis, as_of (dates), value.
    """
    rows = []
    lo, hi = window
    for (series, basis), grp in cumulative.sort_values("as_of").groupby(["series", "basis"], sort=True):
        points = [(opened, 0.0)] + list(zip(grp["as_of"], grp["value"].astype(float), strict=True))
        for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
            if lo <= (d1 - d0).days <= hi:
                start = d0 if d0 == opened else d0 + _dt.timedelta(days=1)
                rows.append({"series": series, "basis": basis, "start": start, "end": d1, "year": d1.year,
                             "value": round(v1 - v0, 6), "from_value": v0, "to_value": v1})
    return pd.DataFrame(rows, columns=["series", "basis", "start", "end", "year", "value", "from_value", "to_value"])


# --------------------------------------------------------------------------------------------------------------
# Reading and validation


def _load(path: Path) -> FreightFile:
    doc = yamldoc.load(path, error=ParseError)
    try:
        data = FreightFile.model_validate(doc.data)
    except PydanticValidationError as exc:
        raise ValidationError(yamldoc.pydantic_message(exc, doc)) from exc
    problems = []
    for key in ("annual", "derived_annual", "cumulative", "dated", "year_to_date"):
        for i, rec in enumerate(getattr(data, key)):
            if rec.series not in data.series:
                problems.append(f"{doc.where}:{doc.line((key, i, 'series'))}: {key}.{i}.series: "
                                + unknown("series", rec.series, data.series))
    seen: dict[tuple, int] = {}
    for i, rec in enumerate(data.annual):
        k = (rec.series, rec.year, rec.basis)
        if k in seen:
            problems.append(f"{doc.where}:{doc.line(('annual', i))}: annual.{i}: {rec.series} {rec.year} with this "
                            f"basis repeats annual.{seen[k]}")
        seen.setdefault(k, i)
    for i, y in enumerate(data.year_to_date):
        if not (y.start <= y.end and y.start.year == y.end.year):
            problems.append(f"{doc.where}:{doc.line(('year_to_date', i))}: year_to_date.{i}: start {y.start} and end "
                            f"{y.end} must be in order and in one year")
    if problems:
        raise ValidationError(yamldoc.summarise(problems))
    return data


def _published(ref: Reference) -> str | None:
    return None if ref.published is None else str(ref.published)


T_SERIES = TableSpec("freight_series", {
    "series": "VARCHAR", "label": "VARCHAR", "label_zh": "VARCHAR", "unit": "VARCHAR", "kind": "VARCHAR",
    "year": "INTEGER", "period": "VARCHAR", "value": "DOUBLE", "basis": "VARCHAR", "bound": "VARCHAR",
    "derived": "BOOLEAN", "method": "VARCHAR", "note": "VARCHAR", "growth": "DOUBLE", "source_publisher": "VARCHAR",
    "source_url": "VARCHAR", "source_accessed": "DATE", "source_published": "VARCHAR",
}, "Freight statistics per year and dated levels: China-Laos Railway tonnes (whole line, cross-border, Lao section), "
   "trains, trains per day, Mohan port cargo, Land-Sea Corridor rail-sea containers and trains, the value of trade "
   "through the corridor, Lao exports to China. kind: annual (calendar year as published), derived_annual (from a "
   "published value by `method`), operating_year (DERIVED: difference of two cumulative totals, `period` gives the "
   "dates), cumulative (total since 2021-12-03 at `period`), dated (a level at `period`), year_to_date (a total "
   "over `period` within one year, with the year-on-year `growth` published with it, a fraction). bound 'lower' = "
   "'more than'.",
    (), files=(SERIES_FILE.path, TRADE_FILE.path))
T_COMMODITIES = TableSpec("freight_commodities", {
    "year": "INTEGER", "direction": "VARCHAR", "items": "VARCHAR", "source_publisher": "VARCHAR",
    "source_url": "VARCHAR", "source_accessed": "DATE", "source_published": "VARCHAR",
    "route": "VARCHAR",
}, "Leading commodities where reported, on the China-Laos Railway and the Land-Sea Corridor (`route`; direction as "
   "seen from China).", (),
    files=(SERIES_FILE.path,))


def series_frame(data: FreightFile, trade: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Every value of the file (and the Lao export series from ``trade``) as rows of :data:`T_SERIES`."""
    defs = data.series
    rows: list[dict[str, Any]] = []

    def add(series: str, kind: str, year: int, period: str, value: float, basis: str, ref: Reference, *,
            bound: str | None = None, derived: bool = False, method: str | None = None, note: str | None = None,
            growth: float | None = None, label: tuple[str, str, str] | None = None) -> None:
        lab = label or (defs[series].label, defs[series].label_zh, defs[series].unit)
        rows.append({"series": series, "label": lab[0], "label_zh": lab[1], "unit": lab[2], "kind": kind,
                     "year": year, "period": period, "value": value, "basis": basis, "bound": bound,
                     "derived": derived, "method": method, "note": note, "growth": growth,
                     "source_publisher": ref.publisher,
                     "source_url": ref.url, "source_accessed": ref.accessed, "source_published": _published(ref)})

    for a in data.annual:
        add(a.series, "annual", a.year, str(a.year), a.value, a.basis, a.source, bound=a.bound, note=a.note)
    for a in data.derived_annual:
        add(a.series, "derived_annual", a.year, str(a.year), a.value, a.basis, a.source, derived=True,
            method=a.method, note=a.note)
    for c in data.cumulative:
        add(c.series, "cumulative", c.as_of.year, f"{LINE_OPENED.isoformat()}..{c.as_of.isoformat()}", c.value,
            c.basis, c.source, note=c.note)
    for d in data.dated:
        add(d.series, "dated", int(str(d.as_of)[:4]), str(d.as_of), d.value, d.basis, d.source, note=d.note,
            derived=d.method is not None, method=d.method)
    for y in data.year_to_date:
        add(y.series, "year_to_date", y.end.year, f"{y.start}..{y.end}", y.value, y.basis, y.source, bound=y.bound,
            note=y.note, growth=y.growth)
    cum = pd.DataFrame([{"series": c.series, "basis": c.basis, "as_of": c.as_of, "value": c.value, "ref": c.source}
                        for c in data.cumulative], columns=["series", "basis", "as_of", "value", "ref"])
    if len(cum):
        refs = {(r.series, r.basis, r.as_of): r.ref for r in cum.itertuples()}
        for r in derive_operating_years(cum).itertuples():
            ref = refs[(r.series, r.basis, r.end)]
            method = (f"DERIVED: cumulative total {r.to_value:g} at {r.end} minus {r.from_value:g} at "
                      f"{r.start - _dt.timedelta(days=1) if r.from_value else LINE_OPENED} (since opening); "
                      f"an operating year {r.start}..{r.end}, not a calendar year")
            if r.from_value:
                prev = refs[(r.series, r.basis, r.start - _dt.timedelta(days=1))]
                method += f"; earlier total: {prev.publisher} {prev.url}"
            add(r.series, "operating_year", r.year, f"{r.start}..{r.end}", r.value, r.basis, ref, derived=True,
                method=method)
    for o in (trade or {}).get("observations", []):
        src = o["source"]
        ref = Reference(publisher=src["publisher"], url=src["url"], accessed=src["accessed"],
                        published=src.get("published"))
        add("lao_exports_to_china", "annual", int(o["year"]), str(o["year"]), float(o["value_usd"]) / 1e9,
            str(o["basis"]), ref, label=("Lao exports to China (read from lmc/flows/data/lao_china_trade.yaml)",
                                         "老挝对华出口额", "USD bn"))
    return pd.DataFrame(rows, columns=list(T_SERIES.columns))


def _parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    data = _load(file_for(paths, SERIES_FILE))
    trade_doc = yamldoc.load(file_for(paths, TRADE_FILE), error=ParseError)
    com = pd.DataFrame([{"year": c.year, "direction": c.direction, "items": c.items,
                         "source_publisher": c.source.publisher, "source_url": c.source.url,
                         "source_accessed": c.source.accessed, "source_published": _published(c.source),
                         "route": c.route}
                        for c in data.commodities], columns=list(T_COMMODITIES.columns))
    return {T_SERIES.name: conform(series_frame(data, trade_doc.data), T_SERIES),
            T_COMMODITIES.name: conform(com, T_COMMODITIES)}


def package_paths() -> dict[str, Path]:
    """Local paths of the two files inside the installed package."""
    root = Path(str(resources.files("lmc")))
    return {f.path: root / f.path.removeprefix("package:") for f in (SERIES_FILE, TRADE_FILE)}


@lru_cache(maxsize=1)
def load_series() -> pd.DataFrame:
    """The packaged freight series as one frame (:data:`T_SERIES` columns), for engines that need observed values
    without a warehouse (the freight model's calibration and back-casts)."""
    return _parse(package_paths())[T_SERIES.name]


SOURCE = Source(
    id="freight_series",
    title="Freight statistics: China-Laos Railway, Mohan port, New International Land-Sea Trade Corridor",
    publisher="LMC Observatory (curated from China Railway, Kunming Customs, China Railway Nanning Group and others "
              "as reported by Xinhua and other outlets; a source on every value)",
    homepage="package:curated/freight_series.yaml",
    licence="MIT (the project's curation, as the package); facts belong to the cited publishers",
    files=(SERIES_FILE, TRADE_FILE),
    tables=(T_SERIES, T_COMMODITIES),
    parse=_parse,
    coverage="2017-2025 (railway 2022-2025; Land-Sea Corridor 2017, 2019, 2022-2025); yearly values from "
             "cumulative totals are derived and labelled",
    notes="Lao exports to China are read from lmc/flows/data/lao_china_trade.yaml (not repeated).",
    curated=True,
)
