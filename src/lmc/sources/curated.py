"""The observatory's own reference data, shipped in the package and loaded like any other source.

Why: some facts have no open machine-readable publisher (names of the six countries in their own scripts, the
railway corridor's provinces, press-reported tourism figures and opening dates), yet every analysis needs them
in the warehouse with provenance. They live as YAML in :mod:`lmc.curated` (``countries.yaml``,
``provinces.yaml``, ``key_figures.yaml``, ``events.yaml`` - dated disruptions after the last UCDP year -, and
``rail_traffic.yaml`` - cross-border railway traffic), every record carrying ``source: {publisher, url, accessed}``;
this module validates them (file, line, field in every error) and turns them into tables.

Files are read from the installed package (``package:`` paths, see :func:`lmc.sources.fetch.packaged_file`);
there is no download and no expected hash (the hash of the packaged file is recorded).
Key figures are not turned into observations: they are press figures on differing bases (757,000 vs 1.02 M
Chinese visitors to Laos in 2019) and are read from ``key_figures`` with their labels. Yearly railway traffic is
(``rail_passenger_trips``, ``rail_freight_tonnes``), labelled derived where it is the difference of two cumulative
figures (:func:`derive_annual_traffic`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lmc import LMC_COUNTRIES, yamldoc
from lmc.errors import ParseError, suggest
from lmc.sources._common import conform, file_for, observations_of
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import lmc_pairs
from lmc.yamldoc import YamlDoc

COUNTRIES = SourceFile("package:curated/countries.yaml", "package:curated/countries.yaml")
PROVINCES = SourceFile("package:curated/provinces.yaml", "package:curated/provinces.yaml")
KEY_FIGURES = SourceFile("package:curated/key_figures.yaml", "package:curated/key_figures.yaml")
EVENTS = SourceFile("package:curated/events.yaml", "package:curated/events.yaml")
RAIL_TRAFFIC = SourceFile("package:curated/rail_traffic.yaml", "package:curated/rail_traffic.yaml")
FILES = (COUNTRIES, PROVINCES, KEY_FIGURES, EVENTS, RAIL_TRAFFIC)

_SRC = {"source_publisher": "VARCHAR", "source_url": "VARCHAR", "source_accessed": "VARCHAR"}

T_COUNTRIES = TableSpec(
    "countries",
    {
        "iso3": "VARCHAR",
        "iso2": "VARCHAR",
        "iso_numeric": "VARCHAR",
        "name_en": "VARCHAR",
        "name_official_en": "VARCHAR",
        "name_zh": "VARCHAR",
        "local_language": "VARCHAR",
        "name_local": "VARCHAR",
        "capital_en": "VARCHAR",
        "capital_zh": "VARCHAR",
        "capital_local": "VARCHAR",
        "time_zones": "VARCHAR",
        "utc_offset": "VARCHAR",
        "currency": "VARCHAR",
        "currency_name": "VARCHAR",
        **_SRC,
    },
    "The six LMC countries: ISO codes, names (English, Chinese, local), capitals, IANA time zones, currencies.",
    ("iso3",),
    files=(COUNTRIES.path,),
)
T_PROVINCES = TableSpec(
    "provinces",
    {
        "code": "VARCHAR",
        "code_system": "VARCHAR",
        "country": "VARCHAR",
        "level": "VARCHAR",
        "parent": "VARCHAR",
        "name_en": "VARCHAR",
        "name_zh": "VARCHAR",
        "name_local": "VARCHAR",
        "seat_en": "VARCHAR",
        "lat": "DOUBLE",
        "lon": "DOUBLE",
        "point_kind": "VARCHAR",
        "point_source_url": "VARCHAR",
        "corridor": "VARCHAR",
        **_SRC,
    },
    "Corridor provinces/prefectures (Yunnan; Lao provinces; Thai provinces to Bangkok) with codes "
    "(ISO 3166-2 or GB/T 2260) and a sourced reference point (station or airport, not a centroid).",
    ("code",),
    files=(PROVINCES.path,),
)
T_KEY_FIGURES = TableSpec(
    "key_figures",
    {
        "id": "VARCHAR",
        "indicator": "VARCHAR",
        "unit": "VARCHAR",
        "year": "INTEGER",
        "period": "VARCHAR",
        "value": "DOUBLE",
        "measure": "VARCHAR",
        "basis": "VARCHAR",
        "note": "VARCHAR",
        "confidence": "VARCHAR",
        **_SRC,
        "source_published": "VARCHAR",
    },
    "Press and official figures (tourism arrivals by origin, trade, railway traffic); conflicting figures are all "
    "kept, each with its basis.",
    ("id",),
    files=(KEY_FIGURES.path,),
)
T_KEY_EVENTS = TableSpec(
    "key_events",
    {
        "id": "VARCHAR",
        "date": "DATE",
        "unit": "VARCHAR",
        "kind": "VARCHAR",
        "event": "VARCHAR",
        **_SRC,
        "source_published": "VARCHAR",
    },  # fmt: skip
    "Dated events: railway openings and services, border reopenings.",
    ("id",),
    files=(KEY_FIGURES.path,),
)

EVENT_KINDS: tuple[str, ...] = ("armed_conflict", "armed_clash", "ceasefire", "border_closure", "border_reopening",
                                "service_suspension", "service_resumption", "natural_disaster", "political_crisis")
"""What ``events.yaml`` records (see its header): disruptions of connectivity and their ends."""

T_EVENTS = TableSpec(
    "events",
    {
        "id": "VARCHAR", "unit": "VARCHAR", "kind": "VARCHAR", "start_date": "DATE", "end_date": "DATE",
        "as_of": "DATE", "title": "VARCHAR", "note": "VARCHAR", **_SRC, "source_published": "VARCHAR",
    },  # fmt: skip
    "Dated disruption events (armed conflict and clashes, border closures and reopenings, ceasefires, disasters), "
    "one row per event and affected unit (ISO3 or canonical pair); end_date NULL = still in force on as_of, the "
    "date of the latest source.",
    ("id", "unit"),
    files=(EVENTS.path,),
)
RAIL_KINDS: tuple[str, ...] = ("cumulative", "period", "service_level")
RAIL_METRICS: tuple[str, ...] = ("passenger_trips", "freight_tonnes", "passenger_trains_per_day",
                                 "freight_trains_per_day", "cross_border_crossings")
T_RAIL = TableSpec(
    "rail_traffic",
    {
        "id": "VARCHAR", "line": "VARCHAR", "section": "VARCHAR", "unit": "VARCHAR", "kind": "VARCHAR",
        "metric": "VARCHAR", "since": "DATE", "as_of": "DATE", "period_start": "DATE", "period_end": "DATE", "value": "DOUBLE",
        "scope": "VARCHAR", **_SRC, "source_published": "VARCHAR",
    },  # fmt: skip
    "Published cross-border railway traffic figures: cumulative since a date, period totals, service levels.",
    ("id",),
    files=(RAIL_TRAFFIC.path,),
)
T_RAIL_ANNUAL = TableSpec(
    "rail_traffic_annual",
    {
        "line": "VARCHAR", "section": "VARCHAR", "unit": "VARCHAR", "metric": "VARCHAR", "year": "INTEGER",
        "period_start": "DATE",
        "period_end": "DATE", "value": "DOUBLE", "derived": "BOOLEAN", "derived_from": "VARCHAR",
        "scope": "VARCHAR", **_SRC, "source_published": "VARCHAR",
    },  # fmt: skip
    "Yearly passenger trips and freight: published full-year totals, and values DERIVED as the difference of two "
    "cumulative figures one year apart (derived = true; derived_from names both figures; year = the year the "
    "period ends; the source columns are the later figure's).",
    ("line", "section", "metric", "year"),
    files=(RAIL_TRAFFIC.path,),
)


# ------------------------------------------------------------------------------------------------------------------
# YAML with line numbers


def _load(path: Path) -> YamlDoc:
    doc = yamldoc.load(path, error=ParseError,
                       syntax="{where}: line {line}, column {column}: not valid YAML ({problem})")
    if not isinstance(doc.data, dict):
        raise ParseError(f"{path}: line 1: expected a mapping at the top level")
    return doc


def _records(path: Path, key: str, required: Sequence[str]) -> list[dict[str, Any]]:
    doc = _load(path)
    items = doc.data.get(key)
    if not isinstance(items, list) or not items:
        raise ParseError(f"{path}: line 1: missing or empty list {key!r}")
    out = []
    for i, rec in enumerate(items):
        line = doc.line((key, i))
        if not isinstance(rec, dict):
            raise ParseError(f"{path}: line {line}: {key}[{i}] is not a mapping")
        for field in required:
            if rec.get(field) in (None, ""):
                raise ParseError(f"{path}: line {line}, field {key}[{i}].{field}: value is missing")
        src = rec.get("source")
        if not isinstance(src, dict):
            raise ParseError(f"{path}: line {line}, field {key}[{i}].source: every record needs a source mapping")
        for field in ("publisher", "url", "accessed"):
            if src.get(field) in (None, ""):
                raise ParseError(f"{path}: line {line}, field {key}[{i}].source.{field}: value is missing")
        out.append({**rec, "_line": line})
    return out


def _src_cols(rec: Mapping[str, Any]) -> dict[str, Any]:
    s = rec["source"]
    return {
        "source_publisher": str(s["publisher"]),
        "source_url": str(s["url"]),
        "source_accessed": str(s["accessed"]),
        "source_published": None if s.get("published") is None else str(s.get("published")),
    }


def _unique(path: Path, recs: list[dict[str, Any]], key: str, field: str) -> None:
    seen: dict[str, int] = {}
    for r in recs:
        v = str(r[field])
        if v in seen:
            raise ParseError(f"{path}: line {r['_line']}, field {key}.{field}: {v!r} repeats line {seen[v]}")
        seen[v] = r["_line"]


# ------------------------------------------------------------------------------------------------------------------


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, COUNTRIES)
    recs = _records(p, "countries", ["iso3", "iso2", "name_en", "name_zh", "name_local", "capital_en", "time_zones",
                                     "currency"])  # fmt: skip
    _unique(p, recs, "countries", "iso3")
    for r in recs:
        if r["iso3"] not in LMC_COUNTRIES:
            raise ParseError(f"{p}: line {r['_line']}, field countries.iso3: {r['iso3']!r} is not an LMC country")
    countries = pd.DataFrame(
        [
            {
                **{c: r.get(c) for c in T_COUNTRIES.columns if not c.startswith("source_")},
                "time_zones": ",".join(r["time_zones"]) if isinstance(r["time_zones"], list) else str(r["time_zones"]),
                **_src_cols(r),
            }
            for r in recs
        ]  # fmt: skip
    )

    p = file_for(paths, PROVINCES)
    recs = _records(p, "provinces", ["code", "code_system", "country", "level", "name_en", "name_local"])
    _unique(p, recs, "provinces", "code")
    for r in recs:
        if (r.get("lat") is None) != (r.get("lon") is None):
            raise ParseError(f"{p}: line {r['_line']}, field provinces.lat/lon: give both or neither")
        if r.get("lat") is not None and r.get("point_source") is None:
            raise ParseError(f"{p}: line {r['_line']}, field provinces.point_source: a point needs its source")
    provinces = pd.DataFrame(
        [
            {
                **{c: r.get(c) for c in T_PROVINCES.columns if not c.startswith(("source_", "point_source"))},
                "point_source_url": (r.get("point_source") or {}).get("url"),
                **_src_cols(r),
            }
            for r in recs
        ]  # fmt: skip
    )

    p = file_for(paths, KEY_FIGURES)
    recs = _records(p, "figures", ["id", "indicator", "unit", "period", "value", "basis"])
    _unique(p, recs, "figures", "id")
    for r in recs:
        if not isinstance(r["value"], int | float):
            raise ParseError(f"{p}: line {r['_line']}, field figures.value: {r['value']!r} is not a number")
    figures = pd.DataFrame(
        [
            {**{c: r.get(c) for c in T_KEY_FIGURES.columns if not c.startswith("source_")}, **_src_cols(r)}
            for r in recs
        ]  # fmt: skip
    )
    figures["value"] = figures["value"].astype("float64")
    figures["year"] = pd.array(figures["year"], dtype="Int64")
    events_recs = _records(p, "events", ["id", "date", "unit", "event"])
    _unique(p, events_recs, "events", "id")
    for r in events_recs:
        if not isinstance(r["date"], _dt.date):
            raise ParseError(f"{p}: line {r['_line']}, field events.date: {r['date']!r} is not a YYYY-MM-DD date")
    events = pd.DataFrame(
        [
            {**{c: r.get(c) for c in T_KEY_EVENTS.columns if not c.startswith("source_")}, **_src_cols(r)}
            for r in events_recs
        ]  # fmt: skip
    )
    rail = _rail_traffic(file_for(paths, RAIL_TRAFFIC))
    return {
        T_COUNTRIES.name: conform(countries, T_COUNTRIES),
        T_PROVINCES.name: conform(provinces, T_PROVINCES),
        T_KEY_FIGURES.name: conform(figures, T_KEY_FIGURES),
        T_KEY_EVENTS.name: conform(events, T_KEY_EVENTS),
        T_EVENTS.name: conform(_events(file_for(paths, EVENTS)), T_EVENTS),
        T_RAIL.name: conform(rail, T_RAIL),
        T_RAIL_ANNUAL.name: conform(derive_annual_traffic(rail), T_RAIL_ANNUAL),
    }


def _date(path: Path, rec: Mapping[str, Any], key: str, field: str, *, required: bool) -> _dt.date | None:
    v = rec.get(field)
    if v is None and not required:
        return None
    if not isinstance(v, _dt.date):
        raise ParseError(f"{path}: line {rec['_line']}, field {key}.{field}: {v!r} is not a YYYY-MM-DD date")
    return v


def _unit_ok(unit: object) -> bool:
    return unit in LMC_COUNTRIES or unit in lmc_pairs()


def _events(p: Path) -> pd.DataFrame:
    """``events.yaml`` -> one row per (event, unit), validated: kind, units, dates in order."""
    recs = _records(p, "events", ["id", "kind", "units", "start", "as_of", "title"])
    _unique(p, recs, "events", "id")
    rows = []
    for r in recs:
        where = f"{p}: line {r['_line']}, field events.{{}}"
        if r["kind"] not in EVENT_KINDS:
            raise ParseError(where.format("kind") + f": {r['kind']!r} is not one of {', '.join(EVENT_KINDS)}"
                             + suggest(str(r["kind"]), EVENT_KINDS))
        units = r["units"] if isinstance(r["units"], list) else [r["units"]]
        for u in units:
            if not _unit_ok(u):
                raise ParseError(where.format("units") + f": {u!r} is not an LMC country or canonical pair "
                                 "(e.g. 'THA-KHM')")
        start = _date(p, r, "events", "start", required=True)
        end = _date(p, r, "events", "end", required=False)
        as_of = _date(p, r, "events", "as_of", required=True)
        if end is not None and end < start:
            raise ParseError(where.format("end") + f": {end} is before start {start}")
        if as_of < start:
            raise ParseError(where.format("as_of") + f": {as_of} is before start {start}")
        for u in units:
            rows.append({"id": r["id"], "unit": u, "kind": r["kind"], "start_date": start, "end_date": end,
                         "as_of": as_of, "title": r["title"], "note": r.get("note"), **_src_cols(r)})
    return pd.DataFrame(rows)


def _rail_traffic(p: Path) -> pd.DataFrame:
    """``rail_traffic.yaml`` -> one row per published figure, validated (kind, metric, the dates each kind needs)."""
    recs = _records(p, "figures", ["id", "line", "section", "unit", "kind", "metric", "value"])
    _unique(p, recs, "figures", "id")
    needs = {"cumulative": ("since", "as_of"), "period": ("period_start", "period_end"), "service_level": ("as_of",)}
    rows = []
    for r in recs:
        where = f"{p}: line {r['_line']}, field figures.{{}}"
        for field, allowed in (("kind", RAIL_KINDS), ("metric", RAIL_METRICS)):
            if r[field] not in allowed:
                raise ParseError(where.format(field) + f": {r[field]!r} is not one of {', '.join(allowed)}"
                                 + suggest(str(r[field]), allowed))
        if not _unit_ok(r["unit"]):
            raise ParseError(where.format("unit") + f": {r['unit']!r} is not an LMC country or canonical pair")
        if not isinstance(r["value"], int | float) or r["value"] < 0:
            raise ParseError(where.format("value") + f": {r['value']!r} is not a non-negative number")
        dates = {f: _date(p, r, "figures", f, required=f in needs[r["kind"]])
                 for f in ("since", "as_of", "period_start", "period_end")}
        rows.append({**{k: r.get(k) for k in ("id", "line", "section", "unit", "kind", "metric", "scope")}, **dates,
                     "value": float(r["value"]), **_src_cols(r)})
    return pd.DataFrame(rows)


def derive_annual_traffic(figures: pd.DataFrame, tolerance_days: int = 3) -> pd.DataFrame:
    """Yearly traffic per line and metric (passenger trips, freight tonnes) from the published figures.

    * a published ``period`` figure covering one calendar year is taken as it is (``derived`` false);
    * two ``cumulative`` figures of the same line, section, metric and start whose dates are one year apart (within
      ``tolerance_days``), or the start date (zero) and a figure one year later, give the year between them
      (``derived`` true, ``derived_from`` naming both figures, ``year`` = the year the period ends, e.g. the
      China-Laos Railway's operating year 3 Dec 2021 - 2 Dec 2022 is 2022).
    A published figure wins over a derived one for the same year. Nothing is interpolated between figures that are
    not one year apart.
    """
    cols = list(T_RAIL_ANNUAL.columns)
    src = ["source_publisher", "source_url", "source_accessed", "source_published"]
    out: list[dict[str, Any]] = []
    flows = figures[figures["metric"].isin(["passenger_trips", "freight_tonnes"])]
    for r in flows[flows["kind"] == "period"].itertuples(index=False):
        ps, pe = r.period_start, r.period_end
        if ps.month == 1 and ps.day == 1 and pe == _dt.date(ps.year, 12, 31):
            out.append({"line": r.line, "section": r.section, "unit": r.unit, "metric": r.metric, "year": ps.year,
                        "period_start": ps,
                        "period_end": pe, "value": r.value, "derived": False, "derived_from": r.id,
                        "scope": r.scope, **{c: getattr(r, c) for c in src}})
    published = {(o["line"], o["section"], o["metric"], o["year"]) for o in out}
    cum = flows[flows["kind"] == "cumulative"].sort_values("as_of")
    for (line, section, metric, since), g in cum.groupby(["line", "section", "metric", "since"]):
        points = [(since - _dt.timedelta(days=1), 0.0, None)] + list(zip(g["as_of"], g["value"], g["id"]))
        for i, (d0, v0, id0) in enumerate(points):
            for d1, v1, id1 in points[i + 1:]:
                if abs((d1 - d0).days - 365) > tolerance_days or (line, section, metric, d1.year) in published:
                    continue
                rec = g[g["id"] == id1].iloc[0]
                out.append({"line": line, "section": section, "unit": rec["unit"], "metric": metric, "year": d1.year,
                            "period_start": d0 + _dt.timedelta(days=1), "period_end": d1, "value": v1 - v0,
                            "derived": True, "derived_from": ",".join(x for x in (id0, id1) if x),
                            "scope": rec["scope"], **{c: rec[c] for c in src}})
    return pd.DataFrame(out, columns=cols)


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``rail_passenger_trips`` and ``rail_freight_tonnes`` per pair and year for the whole line, from
    ``rail_traffic_annual`` (derived values included; the table says which; section figures stay in the table)."""
    a = tables[T_RAIL_ANNUAL.name]
    a = a[a["section"] == "whole_line"]
    name = {"passenger_trips": "rail_passenger_trips", "freight_tonnes": "rail_freight_tonnes"}
    return observations_of(a["metric"].map(name), a["unit"], a["year"], a["value"])


def package_paths() -> dict[str, Path]:
    """Local paths of the curated files inside the installed package (for tests and offline use)."""
    import lmc

    pkg = Path(lmc.__file__).parent
    return {f.path: pkg / f.path.removeprefix("package:") for f in FILES}


SOURCE = Source(
    id="curated",
    title="LMC Observatory curated reference data (countries, corridor provinces, key figures, events, rail traffic)",
    publisher="LMC Observatory (curated from ISO 3166, IANA tz, ISO 4217 and the sources cited on every record)",
    homepage="package:lmc/curated",
    licence="MIT (the project's curation, as the package); facts belong to the cited publishers",
    files=FILES,
    tables=(T_COUNTRIES, T_PROVINCES, T_KEY_FIGURES, T_KEY_EVENTS, T_EVENTS, T_RAIL, T_RAIL_ANNUAL),
    parse=parse,
    observations=observations,
    coverage="6 countries, 15 corridor provinces/prefectures, key figures 2018-2025, key events 2009-2024, "
             "disruption events 2021-2025, China-Laos and Thai-Lao railway traffic 2021-2025",
    notes="Shipped in the package (no download). Key figures keep conflicting values side by side, labelled; yearly "
          "rail traffic derived from cumulative figures is labelled derived.",
    curated=True,
)
