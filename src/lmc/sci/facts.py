"""Curated facts the SCI needs (links, timetables, ASEAN, RCEP, agreements involving China, religion, official
arrivals, corridor provinces, the depth of cooperation mechanisms), loaded from the package's YAML and validated so
that no record enters the index without a source.

The loaders return plain data frames: the indicator functions in :mod:`lmc.indicators` take frames, never files.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

import pandas as pd
from pydantic import (BaseModel, ConfigDict, Field, ValidationError as PydanticValidationError, field_validator,
                      model_validator)

from lmc import LMC_COUNTRIES, yamldoc
from lmc.errors import ValidationError
from lmc.sources.harmonise import lmc_pairs
from lmc.sci.framework import data_path


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    publisher: str = Field(min_length=2)
    url: str = Field(min_length=8)
    accessed: dt.date
    via: str | None = None
    note: str | None = None


def _pair(v: str) -> str:
    if v not in lmc_pairs():
        raise ValueError(f"{v!r} is not a canonical LMC pair (e.g. 'CHN-LAO'); valid: {', '.join(lmc_pairs())}")
    return v


def _iso(v: str) -> str:
    if v not in LMC_COUNTRIES:
        raise ValueError(f"{v!r} is not one of {' '.join(LMC_COUNTRIES)}")
    return v


class Link(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    pair: str
    kind: Literal["rail_infrastructure", "rail_passenger_service", "rail_freight_service", "road_bridge"]
    name: str
    opened: dt.date
    closed: dt.date | None = None
    suspended: tuple[int, ...] = ()
    note: str | None = None
    source: Source
    _p = field_validator("pair")(_pair)


class Timetable(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    pair: str
    route: str
    from_: dt.date = Field(alias="from")
    hours: float = Field(gt=0, lt=100)
    suspended: tuple[int, ...] = ()
    note: str | None = None
    source: Source
    _p = field_validator("pair")(_pair)


class Membership(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    iso3: str
    joined: dt.date | None = None
    in_force: dt.date | None = None
    note: str | None = None
    source: Source
    _i = field_validator("iso3")(_iso)


AgreementKind = Literal["fta", "fta_upgrade", "navigation", "security", "visa"]
AGREEMENT_KINDS: tuple[str, ...] = get_args(AgreementKind)


class Agreement(BaseModel):
    """A bilateral or plurilateral agreement in force between LMC countries. It binds every pair of its ``parties``
    (only the pairs that include ``hub`` when one is given) from the year it entered into force."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    kind: AgreementKind
    name: str
    parties: tuple[str, ...] = Field(min_length=2)
    hub: str | None = None
    in_force: dt.date
    note: str | None = None
    source: Source

    @field_validator("parties")
    @classmethod
    def _parties(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for c in v:
            _iso(c)
        return v

    @model_validator(mode="after")
    def _hub_is_a_party(self) -> "Agreement":
        if self.hub is not None and self.hub not in self.parties:
            raise ValueError(f"hub {self.hub!r} is not one of the parties {list(self.parties)}")
        return self

    def pairs(self) -> list[str]:
        return [p for p in lmc_pairs() if set(p.split("-")) <= set(self.parties)
                and (self.hub is None or self.hub in p.split("-"))]


class Religion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    buddhist_majority: tuple[str, ...]
    source: Source


class Arrival(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    origin: str
    destination: str
    year: int = Field(ge=1990, le=2100)
    value: float = Field(ge=0)
    note: str | None = None
    source: Source
    _o = field_validator("origin", "destination")(_iso)


class PairFacts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    links: tuple[Link, ...]
    timetables: tuple[Timetable, ...]
    asean: tuple[Membership, ...]
    rcep: tuple[Membership, ...]
    agreements: tuple[Agreement, ...]
    religion: Religion
    arrivals: tuple[Arrival, ...]

    # frames for the indicator functions ------------------------------------------------------------------
    def links_frame(self) -> pd.DataFrame:
        rows = [{"pair": x.pair, "kind": x.kind, "id": x.id, "opened_year": x.opened.year,
                 "closed_year": x.closed.year if x.closed else None,
                 "suspended": tuple(x.suspended)} for x in self.links]
        return pd.DataFrame(rows, columns=["pair", "kind", "id", "opened_year", "closed_year", "suspended"])

    def timetables_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"pair": t.pair, "from_date": t.from_, "hours": t.hours, "suspended": t.suspended}
                             for t in self.timetables], columns=["pair", "from_date", "hours", "suspended"])

    def asean_years(self) -> dict[str, int | None]:
        return {m.iso3: (m.joined.year if m.joined else None) for m in self.asean}

    def rcep_years(self) -> dict[str, int | None]:
        return {m.iso3: (m.in_force.year if m.in_force else None) for m in self.rcep}

    def agreements_frame(self) -> pd.DataFrame:
        """One row per agreement and pair it binds: ``id, kind, pair, year`` (year of entry into force)."""
        return pd.DataFrame([{"id": a.id, "kind": a.kind, "pair": p, "year": a.in_force.year}
                             for a in self.agreements for p in a.pairs()], columns=["id", "kind", "pair", "year"])

    def arrivals_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"origin": a.origin, "destination": a.destination, "year": a.year,
                              "arrivals": float(a.value)} for a in self.arrivals],
                            columns=["origin", "destination", "year", "arrivals"])

    def sources(self) -> list[dict]:
        """Every distinct source of the curated facts (for the report's source list)."""
        seen: dict[str, dict] = {}
        groups = [*self.links, *self.timetables, *self.asean, *self.rcep, *self.agreements, *self.arrivals,
                  self.religion]
        for rec in groups:
            s = rec.source
            seen.setdefault(s.url, {"publisher": s.publisher, "url": s.url, "accessed": s.accessed.isoformat()})
        return list(seen.values())


class Province(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    iso3: str
    name: dict[str, str]
    stations: tuple[str, ...]
    international_stop: bool
    airports: tuple[str, ...]
    cities: tuple[str, ...]
    whc_ids: tuple[int, ...]
    source: Source
    _i = field_validator("iso3")(_iso)


class CorridorProvinces(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    railway_opened: dt.date
    international_service_from: dt.date
    stations_source: Source
    international_stops_source: Source
    provinces: tuple[Province, ...]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([{
            "code": p.code, "iso3": p.iso3, "name_en": p.name.get("en", p.code), "name_zh": p.name.get("zh", ""),
            "n_stations": len(p.stations), "stations": tuple(p.stations), "international_stop": p.international_stop,
            "airports": tuple(p.airports), "cities": tuple(p.cities), "whc_ids": tuple(p.whc_ids),
        } for p in self.provinces])


class DepthRecord(BaseModel):
    """How deep one mechanism of the registry is (see ``data/mechanism_depth.yaml``): each attribute is the year
    from which it holds, or None."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    secretariat: int | None = Field(default=None, ge=1945, le=2100)
    funding: int | None = Field(default=None, ge=1945, le=2100)
    binding: int | None = Field(default=None, ge=1945, le=2100)
    mekong_x: bool = False
    not_counted: dict[str, str] = Field(default_factory=dict)
    note: str = Field(min_length=10)
    source: Source

    @field_validator("not_counted")
    @classmethod
    def _members(cls, v: dict[str, str]) -> dict[str, str]:
        for c in v:
            _iso(c)
        return v

    def weight(self, year: int) -> float:
        """Depth in ``year``: (1 + secretariat + funding + binding) / 4, and 0 for a partner-led Mekong-X framework."""
        if self.mekong_x:
            return 0.0
        have = sum(1 for a in (self.secretariat, self.funding, self.binding) if a is not None and a <= year)
        return (1 + have) / 4


class MechanismDepth(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    agreement_weights: dict[AgreementKind, float]
    mechanisms: tuple[DepthRecord, ...]

    @field_validator("agreement_weights")
    @classmethod
    def _all_kinds(cls, v: dict[str, float]) -> dict[str, float]:
        missing = [k for k in AGREEMENT_KINDS if k not in v]
        if missing:
            raise ValueError(f"no weight for agreement kind(s) {', '.join(missing)}")
        return v

    def with_agreement_weights(self, agreements: pd.DataFrame) -> pd.DataFrame:
        """``agreements`` (``PairFacts.agreements_frame``) with a ``weight`` column by kind."""
        return agreements.assign(weight=agreements["kind"].map(self.agreement_weights).astype(float))

    def weights(self, years) -> pd.DataFrame:
        """``mechanism, year, weight`` for every record and year."""
        return pd.DataFrame([(r.id, int(y), r.weight(int(y))) for r in self.mechanisms for y in years],
                            columns=["mechanism", "year", "weight"])

    def excluded_members(self) -> pd.DataFrame:
        """``mechanism, member``: memberships the SCI does not count."""
        return pd.DataFrame([(r.id, c) for r in self.mechanisms for c in r.not_counted],
                            columns=["mechanism", "member"])

    def check_covers(self, registry_ids) -> None:
        """Every mechanism of the registry needs a depth record (a new mechanism must be assessed, not skipped)."""
        have = {r.id for r in self.mechanisms}
        missing = sorted(set(registry_ids) - have)
        if missing:
            raise ValidationError(f"{data_path('mechanism_depth.yaml')}: no depth record for mechanism(s) "
                                  f"{', '.join(missing)} of the registry; add one (secretariat, funding, binding, "
                                  f"source)")


def _load(path: Path, model: type[BaseModel]):
    doc = yamldoc.load(path)
    if not isinstance(doc.data, dict):
        raise ValidationError(f"{path}: expected a mapping at the top level")
    try:
        return model(**doc.data)
    except PydanticValidationError as exc:
        raise ValidationError(yamldoc.pydantic_message(exc, doc, limit=1)) from exc


def load_pair_facts(path: Path | None = None) -> PairFacts:
    return _load(path or data_path("pair_facts.yaml"), PairFacts)


def load_corridor_provinces(path: Path | None = None) -> CorridorProvinces:
    return _load(path or data_path("corridor_provinces.yaml"), CorridorProvinces)


def load_mechanism_depth(path: Path | None = None) -> MechanismDepth:
    return _load(path or data_path("mechanism_depth.yaml"), MechanismDepth)


@lru_cache(maxsize=1)
def default_mechanism_depth() -> MechanismDepth:
    return load_mechanism_depth()


@lru_cache(maxsize=1)
def default_pair_facts() -> PairFacts:
    return load_pair_facts()


@lru_cache(maxsize=1)
def default_corridor() -> CorridorProvinces:
    return load_corridor_provinces()
