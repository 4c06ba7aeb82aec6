"""Land border crossings and dated visa measures: schema, checks and ``SOURCE``.

Curated in ``lmc/curated/border_status.yaml`` (a source on every record): the status of the region's main land
crossings as last reported (open, restricted, closed; with the date of the report, never assumed later), and the
dated visa rules for the six countries' citizens that a Passport Index snapshot may predate (bilateral agreements,
unilateral exemptions, with their first and last day). Loaded into the warehouse tables ``border_crossings`` and
``visa_measures``; :mod:`lmc.reports.key_series` shows them on the front page.

Every problem reads ``<file>:<line>: <field>: <message>``; all of a file's problems are reported at once.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from lmc import yamldoc
from lmc.errors import ParseError, ValidationError
from lmc.sources._common import conform, file_for
from lmc.sources._curated_schema import Frozen, Reference
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import pair_unit

FILE = SourceFile("package:curated/border_status.yaml", "package:curated/border_status.yaml")

STATUSES: tuple[str, ...] = ("open", "restricted", "closed")
RULES: tuple[str, ...] = ("visa_free", "visa_on_arrival", "e_visa", "visa_required")
_PARTIAL_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")

Iso3 = Literal["CHN", "MMR", "LAO", "THA", "KHM", "VNM"]


class Texts(Frozen):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Crossing(Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Texts
    countries: tuple[Iso3, Iso3]
    modes: tuple[Literal["road", "rail", "river"], ...] = Field(min_length=1)
    status: Literal["open", "restricted", "closed"]
    since: _dt.date | str | None = None
    as_of: _dt.date
    events: tuple[str, ...] = ()
    note: Texts
    source: Reference
    see_also: tuple[Reference, ...] = ()


class VisaMeasure(Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Texts
    kind: Literal["bilateral_agreement", "unilateral"]
    passports: tuple[Iso3, ...] = Field(min_length=1)
    destination: Iso3
    rule: Literal["visa_free", "visa_on_arrival", "e_visa", "visa_required"]
    max_stay_days: int | None = Field(default=None, ge=1, le=365)
    in_force: _dt.date
    until: _dt.date | None = None
    note: str | None = None
    source: Reference
    see_also: tuple[Reference, ...] = ()


class BorderFile(Frozen):
    schema_version: Literal[1]
    crossings: tuple[Crossing, ...] = Field(min_length=1)
    visa_measures: tuple[VisaMeasure, ...] = ()


def _load(path: Path) -> BorderFile:
    doc = yamldoc.load(path, error=ParseError)
    try:
        data = BorderFile.model_validate(doc.data)
    except PydanticValidationError as exc:
        raise ValidationError(yamldoc.pydantic_message(exc, doc)) from exc
    problems: list[str] = []
    for key in ("crossings", "visa_measures"):
        seen: dict[str, int] = {}
        for i, rec in enumerate(getattr(data, key)):
            where = f"{doc.where}:{doc.line((key, i))}: {key}.{i}"
            if rec.id in seen:
                problems.append(f"{where}.id: {rec.id!r} repeats {key}.{seen[rec.id]}")
            seen.setdefault(rec.id, i)
            refs = (rec.source, *rec.see_also)
            if any(r.accessed > _dt.date.today() for r in refs):
                problems.append(f"{where}.source.accessed: a date in the future")
            if key == "crossings":
                if rec.countries[0] == rec.countries[1]:
                    problems.append(f"{where}.countries: a crossing joins two different countries")
                since = str(rec.since) if rec.since is not None else None
                if since is not None and not _PARTIAL_DATE.match(since):
                    problems.append(f"{where}.since: {since!r} is not YYYY-MM or YYYY-MM-DD")
                elif since is not None and since > rec.as_of.isoformat():
                    problems.append(f"{where}.since: {since} is after as_of {rec.as_of}")
            else:
                if rec.destination in rec.passports:
                    problems.append(f"{where}.passports: a country's own citizens need no visa measure")
                if rec.until is not None and rec.until < rec.in_force:
                    problems.append(f"{where}.until: {rec.until} is before in_force {rec.in_force}")
    if problems:
        raise ValidationError(yamldoc.summarise(problems))
    return data


def _src(ref: Reference) -> dict[str, object]:
    return {"source_publisher": ref.publisher, "source_url": ref.url, "source_accessed": ref.accessed,
            "source_published": None if ref.published is None else str(ref.published)}


def _see_also(refs: tuple[Reference, ...]) -> str | None:
    return "; ".join(f"{r.publisher} {r.url}" for r in refs) or None


_SRC_COLS = {"source_publisher": "VARCHAR", "source_url": "VARCHAR", "source_accessed": "DATE",
             "source_published": "VARCHAR", "see_also": "VARCHAR"}
T_CROSSINGS = TableSpec("border_crossings", {
    "id": "VARCHAR", "name_en": "VARCHAR", "name_zh": "VARCHAR", "country_a": "VARCHAR", "country_b": "VARCHAR",
    "unit": "VARCHAR", "modes": "VARCHAR", "status": "VARCHAR", "since": "VARCHAR", "as_of": "DATE",
    "events": "VARCHAR", "note_en": "VARCHAR", "note_zh": "VARCHAR", **_SRC_COLS,
}, "Main land border crossings of the region and their status as last reported: open, restricted (some traffic, "
   "hours or one direction only) or closed; since = when the status began (where dated), as_of = the date of the "
   "latest source reporting it (nothing assumed after). events = ids in the curated events table.",
    ("id",), files=(FILE.path,))
T_MEASURES = TableSpec("visa_measures", {
    "id": "VARCHAR", "name_en": "VARCHAR", "name_zh": "VARCHAR", "kind": "VARCHAR", "passport": "VARCHAR",
    "destination": "VARCHAR", "rule": "VARCHAR", "max_stay_days": "INTEGER", "in_force": "DATE", "until": "DATE",
    "note": "VARCHAR", **_SRC_COLS,
}, "Dated visa measures between the six countries, one row per passport: bilateral agreements and unilateral "
   "exemptions, with the first (in_force) and last day (until; NULL = no end announced).",
    ("id", "passport"), files=(FILE.path,))


def frames(data: BorderFile) -> dict[str, pd.DataFrame]:
    """The file as rows of :data:`T_CROSSINGS` and :data:`T_MEASURES`."""
    crossings = [{"id": c.id, "name_en": c.name.en, "name_zh": c.name.zh, "country_a": c.countries[0],
                  "country_b": c.countries[1], "unit": pair_unit(*c.countries), "modes": " ".join(c.modes),
                  "status": c.status, "since": None if c.since is None else str(c.since), "as_of": c.as_of,
                  "events": " ".join(c.events) or None, "note_en": c.note.en, "note_zh": c.note.zh,
                  **_src(c.source), "see_also": _see_also(c.see_also)} for c in data.crossings]
    measures = [{"id": m.id, "name_en": m.name.en, "name_zh": m.name.zh, "kind": m.kind, "passport": p,
                 "destination": m.destination, "rule": m.rule, "max_stay_days": m.max_stay_days,
                 "in_force": m.in_force, "until": m.until, "note": m.note, **_src(m.source),
                 "see_also": _see_also(m.see_also)}
                for m in data.visa_measures for p in m.passports]
    return {T_CROSSINGS.name: pd.DataFrame(crossings, columns=list(T_CROSSINGS.columns)),
            T_MEASURES.name: pd.DataFrame(measures, columns=list(T_MEASURES.columns))}


def _parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    out = frames(_load(file_for(paths, FILE)))
    return {T_CROSSINGS.name: conform(out[T_CROSSINGS.name], T_CROSSINGS),
            T_MEASURES.name: conform(out[T_MEASURES.name], T_MEASURES)}


def package_paths() -> dict[str, Path]:
    """The local path of the packaged file (tests, offline use)."""
    return {FILE.path: Path(str(resources.files("lmc"))) / FILE.path.removeprefix("package:")}


SOURCE = Source(
    id="border_status",
    title="Land border crossings and dated visa measures of the Lancang-Mekong countries",
    publisher="LMC Observatory (curated from governments, news agencies and newspapers; a source on every record)",
    homepage="package:curated/border_status.yaml",
    licence="MIT (the project's curation, as the package); facts belong to the cited publishers",
    files=(FILE,),
    tables=(T_CROSSINGS, T_MEASURES),
    parse=_parse,
    coverage="7 land crossings (status as last reported, 2024-2025); visa measures 2024 onwards",
    notes="A status holds as of its source's date; the front page shows that date beside it.",
    curated=True,
)
