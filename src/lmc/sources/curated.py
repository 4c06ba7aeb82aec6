"""The observatory's own reference data, shipped in the package and loaded like any other source.

Why: some facts have no open machine-readable publisher (names of the six countries in their own scripts, the
railway corridor's provinces, press-reported tourism figures and opening dates), yet every analysis needs them
in the warehouse with provenance. They live as YAML in :mod:`lmc.curated` (``countries.yaml``,
``provinces.yaml``, ``key_figures.yaml``), every record carrying ``source: {publisher, url, accessed}``; this
module validates them (file, line, field in every error) and turns them into tables.

Files are read from the installed package (``package:`` paths, see :func:`lmc.sources.fetch.packaged_file`);
there is no download and no expected hash (the hash of the packaged file is recorded).
Key figures are not turned into observations: they are press figures on differing bases (757,000 vs 1.02 M
Chinese visitors to Laos in 2019) and are read from ``key_figures`` with their labels.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lmc import LMC_COUNTRIES, yamldoc
from lmc.errors import ParseError
from lmc.sources._common import conform, file_for
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.yamldoc import YamlDoc

COUNTRIES = SourceFile("package:curated/countries.yaml", "package:curated/countries.yaml")
PROVINCES = SourceFile("package:curated/provinces.yaml", "package:curated/provinces.yaml")
KEY_FIGURES = SourceFile("package:curated/key_figures.yaml", "package:curated/key_figures.yaml")

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
    return {
        T_COUNTRIES.name: conform(countries, T_COUNTRIES),
        T_PROVINCES.name: conform(provinces, T_PROVINCES),
        T_KEY_FIGURES.name: conform(figures, T_KEY_FIGURES),
        T_KEY_EVENTS.name: conform(events, T_KEY_EVENTS),
    }


def package_paths() -> dict[str, Path]:
    """Local paths of the curated files inside the installed package (for tests and offline use)."""
    import lmc

    pkg = Path(lmc.__file__).parent
    return {f.path: pkg / f.path.removeprefix("package:") for f in (COUNTRIES, PROVINCES, KEY_FIGURES)}


SOURCE = Source(
    id="curated",
    title="LMC Observatory curated reference data (countries, corridor provinces, key figures)",
    publisher="LMC Observatory (curated from ISO 3166, IANA tz, ISO 4217 and the sources cited on every record)",
    homepage="package:lmc/curated",
    licence="MIT (the project's curation, as the package); facts belong to the cited publishers",
    files=(COUNTRIES, PROVINCES, KEY_FIGURES),
    tables=(T_COUNTRIES, T_PROVINCES, T_KEY_FIGURES, T_KEY_EVENTS),
    parse=parse,
    coverage="6 countries, 15 corridor provinces/prefectures, key figures 2018-2025, events 2009-2024",
    notes="Shipped in the package (no download). Key figures keep conflicting values side by side, labelled.",
    curated=True,
)
