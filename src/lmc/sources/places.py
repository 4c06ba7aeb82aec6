"""The registry of places along the Kunming-Vientiane-Bangkok line: schema, validation, loader and ``SOURCE``.

Economic zones, dry ports, logistics and industrial parks and freight terminals are curated in the package
(``lmc/curated/places.yaml``), each record and each figure with ``source: {publisher, url, accessed}``. This module
is the one place that knows the format:

* a frozen pydantic schema (:class:`Place`, :class:`Figure`, :class:`Location`);
* checks beyond types: type, measure, unit and precision from the file's vocabulary (did-you-mean), country codes
  of the six LMC countries (plus the investor economies the sources name), points inside the corridor, years and
  figure dates not in the future, unique ids. Every problem reads ``<file>:<line>: <field> (id 'x'): <message>``;
* :func:`load_places` for the analyses, and :data:`SOURCE`, which loads the warehouse tables ``places`` (one row
  per place) and ``place_figures`` (one row per dated figure).

All problems are collected so a curator fixes a file in one pass; :class:`PlaceRegistryError` carries them all.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BeforeValidator, Field
from pydantic import ValidationError as PydanticValidationError

from lmc import LMC_COUNTRIES, yamldoc
from lmc.errors import ParseError, ValidationError, unknown
from lmc.sources._common import conform
from lmc.sources._curated_schema import Frozen, Reference
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.yamldoc import YamlDoc

PACKAGE_FILE = "curated/places.yaml"
FILE = SourceFile("package:" + PACKAGE_FILE, "package:" + PACKAGE_FILE)

MIN_YEAR = 1945
INVESTOR_ECONOMIES = frozenset({*LMC_COUNTRIES, "SGP", "AUS", "HKG", "JPN", "KOR", "MYS", "TWN", "USA"})
"""Codes accepted in ``investor_countries``: the LMC six and the economies the sources name as investors."""
CORRIDOR_BOX = {"lat": (12.0, 27.5), "lon": (97.0, 107.0)}
"""Bounding box of the corridor (Kunming to Bangkok); a point outside it is a typo (swapped lat/lon, a sign)."""
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _date_text(value: Any) -> Any:
    """YAML reads ``2022`` as an int and ``2022-12-04`` as a date; keep them as the text the curator wrote."""
    return value.isoformat() if isinstance(value, _dt.date) else str(value) if isinstance(value, int) else value


class Location(Frozen):
    """A reference point for the map, with what it is (``precision``) and where it comes from."""

    lat: float
    lon: float
    precision: str
    basis: str = Field(min_length=1)
    source: Reference


class Figure(Frozen):
    """One dated figure about a place (investment, firms, jobs, cargo ...)."""

    measure: str
    kind: Literal["reported", "signed", "planned", "capacity"]
    value: float
    unit: str
    as_of: Annotated[str, BeforeValidator(_date_text)] = Field(
        description="YYYY, YYYY-MM or YYYY-MM-DD: the date the figure refers to.")
    note: str | None = None
    source: Reference


class Place(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_en: str = Field(min_length=1)
    name_zh: str | None = None
    name_zh_curated: bool = False
    type: str
    countries: tuple[str, ...] = Field(min_length=1)
    province: str = Field(min_length=1)
    location: Location
    opened: int | None
    opened_note: str | None = None
    operator: str | None = None
    investor_countries: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    note: str | None = None
    source: Reference


class Vocabulary(Frozen):
    types: dict[str, str]
    measures: dict[str, str]
    units: tuple[str, ...]
    precisions: tuple[str, ...]


class PlaceRegistry(Frozen):
    schema_version: Literal[1]
    vocabulary: Vocabulary
    places: tuple[Place, ...] = Field(min_length=1)
    origin: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.places)


class PlaceRegistryError(ValidationError):
    """The places registry does not validate; ``problems`` lists every message, the first is the exception's."""

    def __init__(self, problems: Sequence[str]):
        self.problems = tuple(problems)
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(self.problems[0] + more)


def package_path() -> Path:
    return Path(str(resources.files("lmc").joinpath(PACKAGE_FILE)))


def _as_of_date(text: str) -> _dt.date | None:
    """The first day a ``YYYY[-MM[-DD]]`` date can mean, or None if it is not one."""
    if not _DATE.match(text):
        return None
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        return _dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def _check_place(p: Place, vocab: Vocabulary, say) -> None:
    """Semantic checks of one schema-valid place; ``say(loc, message)`` records a problem at that field."""
    today = _dt.date.today()
    if p.type not in vocab.types:
        say(("type",), unknown("place type", p.type, vocab.types))
    for j, c in enumerate(p.countries):
        if c not in LMC_COUNTRIES:
            say(("countries", j), unknown("LMC country code", c, LMC_COUNTRIES))
    for j, c in enumerate(p.investor_countries):
        if c not in INVESTOR_ECONOMIES:
            say(("investor_countries", j), unknown("investor economy code", c, INVESTOR_ECONOMIES))
    loc = p.location
    if loc.precision not in vocab.precisions:
        say(("location", "precision"), unknown("precision", loc.precision, vocab.precisions))
    for axis in ("lat", "lon"):
        lo, hi = CORRIDOR_BOX[axis]
        value = getattr(loc, axis)
        if not lo <= value <= hi:
            say(("location", axis), f"{value} is outside the corridor ({lo}..{hi}); lat/lon swapped?")
    if p.opened is not None and not MIN_YEAR <= p.opened <= today.year:
        say(("opened",), f"year {p.opened} is outside {MIN_YEAR}..{today.year}.")
    if p.name_zh is None and p.name_zh_curated:
        say(("name_zh_curated",), "flags a curated Chinese name, but 'name_zh' is empty.")
    for j, f in enumerate(p.figures):
        if f.measure not in vocab.measures:
            say(("figures", j, "measure"), unknown("measure", f.measure, vocab.measures))
        if f.unit not in vocab.units:
            say(("figures", j, "unit"), unknown("unit", f.unit, vocab.units))
        when = _as_of_date(f.as_of)
        if when is None:
            say(("figures", j, "as_of"), f"{f.as_of!r} is not a date YYYY, YYYY-MM or YYYY-MM-DD.")
        elif when > today or when.year < MIN_YEAR:
            say(("figures", j, "as_of"), f"{f.as_of} is outside {MIN_YEAR}..today.")
        if f.value < 0:
            say(("figures", j, "value"), f"{f.value} is negative.")


class _Top(Frozen):
    """The file's top level, with places still raw (each is validated alone, so one bad record hides no other)."""

    schema_version: Literal[1]
    vocabulary: Vocabulary
    places: list[Any] = Field(min_length=1)


def validate_data(data: Any, doc: YamlDoc) -> tuple[PlaceRegistry | None, list[str]]:
    """The registry and the list of problems (empty when valid) for parsed YAML ``data`` located by ``doc``."""
    def at(path: Sequence[str | int], place_id: str, message: str) -> None:
        problems.append(f"{doc.where}:{doc.line(path) or 1}: {yamldoc.field_name(path)} (id {place_id!r}): {message}")

    try:
        top = _Top.model_validate(data)
    except PydanticValidationError as exc:
        return None, yamldoc.pydantic_problems(exc, doc)
    problems: list[str] = []
    places: list[Place] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(top.places):
        try:
            place = Place.model_validate(rec)
        except PydanticValidationError as exc:
            problems += yamldoc.pydantic_problems(
                [{**e, "loc": ("places", i, *e["loc"])} for e in exc.errors()], doc)
            continue
        if place.id in seen:
            at(("places", i, "id"), place.id, f"id {place.id!r} repeats places[{seen[place.id]}].")
        seen.setdefault(place.id, i)
        _check_place(place, top.vocabulary, lambda loc, msg, i=i, pid=place.id: at(("places", i, *loc), pid, msg))
        places.append(place)
    if problems:
        return None, problems
    return PlaceRegistry(schema_version=1, vocabulary=top.vocabulary, places=tuple(places), origin=doc.where), []


def validate_file(path: Path | str) -> tuple[PlaceRegistry | None, list[str]]:
    """Validate a places file; YAML syntax errors raise :class:`ParseError` naming file and line."""
    doc = yamldoc.load(Path(path), error=ParseError)
    return validate_data(doc.data, doc)


def load_places(path: Path | str | None = None) -> PlaceRegistry:
    """The validated registry from ``path`` (default: the one shipped in the package); raises
    :class:`PlaceRegistryError` naming file, line and field of every problem."""
    if path is None:
        return _packaged()
    registry, problems = validate_file(path)
    if registry is None:
        raise PlaceRegistryError(problems)
    return registry


@lru_cache(maxsize=1)
def _packaged() -> PlaceRegistry:
    registry, problems = validate_file(package_path())
    if registry is None:
        raise PlaceRegistryError(problems)
    return registry


# --------------------------------------------------------------------------------------------------------------
# Warehouse tables

_SRC = {"source_publisher": "VARCHAR", "source_url": "VARCHAR", "source_accessed": "DATE"}
T_PLACES = TableSpec("places", {
    "place": "VARCHAR", "name_en": "VARCHAR", "name_zh": "VARCHAR", "name_zh_curated": "BOOLEAN", "type": "VARCHAR",
    "countries": "VARCHAR", "province": "VARCHAR", "lat": "DOUBLE", "lon": "DOUBLE", "precision": "VARCHAR",
    "location_basis": "VARCHAR", "location_source_url": "VARCHAR", "opened": "INTEGER", "opened_note": "VARCHAR",
    "operator": "VARCHAR", "investor_countries": "VARCHAR", "note": "VARCHAR", **_SRC,
}, "Economic zones, dry ports, logistics and industrial parks, freight terminals along the Kunming-Vientiane-Bangkok "
   "line. lat/lon is a reference point of the stated precision (site, station, town, city), not a surveyed site; "
   "countries and investor_countries are space-separated ISO3 codes.", ("place",), files=(FILE.path,))
T_FIGURES = TableSpec("place_figures", {
    "place": "VARCHAR", "measure": "VARCHAR", "kind": "VARCHAR", "value": "DOUBLE", "unit": "VARCHAR",
    "as_of": "VARCHAR", "note": "VARCHAR", **_SRC,
}, "Dated figures per place (investment, projects, firms, jobs, cargo, containers, area, capacity); kind: reported, "
   "signed, planned or capacity. A figure without a dated source is not listed.", (), files=(FILE.path,))


def registry_tables(registry: PlaceRegistry) -> dict[str, pd.DataFrame]:
    """The registry as the two warehouse tables (:data:`T_PLACES`, :data:`T_FIGURES`)."""
    rows, figs = [], []
    for p in registry.places:
        src = {"source_publisher": p.source.publisher, "source_url": p.source.url, "source_accessed": p.source.accessed}
        rows.append({
            "place": p.id, "name_en": p.name_en, "name_zh": p.name_zh, "name_zh_curated": p.name_zh_curated,
            "type": p.type, "countries": " ".join(p.countries), "province": p.province, "lat": p.location.lat,
            "lon": p.location.lon, "precision": p.location.precision, "location_basis": p.location.basis,
            "location_source_url": p.location.source.url, "opened": p.opened, "opened_note": p.opened_note,
            "operator": p.operator, "investor_countries": " ".join(p.investor_countries), "note": p.note, **src,
        })
        for f in p.figures:
            figs.append({"place": p.id, "measure": f.measure, "kind": f.kind, "value": f.value, "unit": f.unit,
                         "as_of": f.as_of, "note": f.note, "source_publisher": f.source.publisher,
                         "source_url": f.source.url, "source_accessed": f.source.accessed})
    return {T_PLACES.name: conform(pd.DataFrame(rows, columns=list(T_PLACES.columns)), T_PLACES),
            T_FIGURES.name: conform(pd.DataFrame(figs, columns=list(T_FIGURES.columns)), T_FIGURES)}


def _parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    (path,) = paths.values()
    return registry_tables(load_places(path))


SOURCE = Source(
    id="places",
    title="Places along the Kunming-Vientiane-Bangkok line: economic zones, dry ports, logistics and industrial parks",
    publisher="LMC Observatory (curated from publishers' pages; a source on every record and figure)",
    homepage="package:" + PACKAGE_FILE,
    licence="MIT (the project's curation, as the package); facts belong to the cited publishers",
    files=(FILE,),
    tables=(T_PLACES, T_FIGURES),
    parse=_parse,
    coverage="13 places in China (Yunnan), Laos and Thailand; dated figures 2011-2024",
    notes="Points are reference points (station, town or city) with their precision, not surveyed sites.",
    curated=True,
)
