"""The freight model's inputs (``lmc/freight/data/routes.yaml``): schema and checks, errors naming file:line: field.

Every number in the file is either a single published value or a range ``low, mode, high`` drawn as a triangular
distribution; each has a ``basis`` (source, derived, assumption) and, for sourced or derived figures, a reference
key. :func:`load_inputs` returns the validated, frozen :class:`FreightInputs`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import Field, model_validator
from pydantic import ValidationError as PydanticValidationError

from lmc import yamldoc
from lmc.errors import unknown
from lmc.freight.errors import FreightInputError
from lmc.sources._curated_schema import Frozen, Reference

Basis = Literal["source", "derived", "assumption"]
Mode = Literal["rail_clr", "rail_china", "road", "sea", "river"]


class Quantity(Frozen):
    """A single ``value`` or a range ``low <= mode <= high`` (drawn triangular), with its basis."""

    value: float | None = None
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    unit: str | None = None
    basis: Basis = "assumption"
    src: str | None = None
    label: str | None = None
    label_zh: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Quantity:
        ranged = (self.low, self.mode, self.high)
        if self.value is None and None in ranged:
            raise ValueError("give either 'value' or all of 'low', 'mode', 'high'")
        if self.value is not None and any(v is not None for v in ranged):
            raise ValueError("give either 'value' or a range, not both")
        if self.value is None and not self.low <= self.mode <= self.high:  # type: ignore[operator]
            raise ValueError(f"need low <= mode <= high, got {self.low}, {self.mode}, {self.high}")
        return self

    @property
    def central(self) -> float:
        return float(self.value if self.value is not None else self.mode)  # type: ignore[arg-type]

    @property
    def bounds(self) -> tuple[float, float, float]:
        if self.value is not None:
            return (self.value, self.value, self.value)
        return (self.low, self.mode, self.high)  # type: ignore[return-value]


class Weight(Frozen):
    label: str
    label_zh: str
    low: float = Field(ge=0)
    mode: float = Field(ge=0)
    high: float = Field(ge=0)


class Leg(Frozen):
    mode: Mode
    km: float = Field(gt=0)
    hours: float | Quantity
    basis: Basis
    src: str | None = None
    note: str | None = None

    @property
    def hours_q(self) -> Quantity:
        return self.hours if isinstance(self.hours, Quantity) else Quantity(value=self.hours, basis=self.basis,
                                                                             src=self.src)


class Family(Frozen):
    label: str
    label_zh: str


class Route(Frozen):
    family: str
    label: str
    label_zh: str
    legs: tuple[str, ...] = Field(min_length=1)
    mohan_rail: bool = False
    borders: int = Field(default=0, ge=0)
    mohan_road: bool = False
    transships: int = Field(default=0, ge=0)
    ports: int = Field(default=0, ge=0)
    available_from: int | None = None
    src: str | None = None


class OdRoute(Frozen):
    route: str
    access: tuple[str, ...] = ()


class YearInputs(Frozen):
    train_gross_tonnes: Quantity
    rail_border_hours: Quantity
    trains_per_day: Quantity
    demand_index: Quantity
    demand_index_vte: Quantity | None = Field(default=None, description="China-Laos trade index for Vientiane.")
    lsc_cities: Quantity | None = Field(default=None, description="Cities the Land-Sea Corridor's trains serve.")
    mohan_road_extra_hours: Quantity = Quantity(value=0.0, basis="assumption")


class Meta(Frozen):
    base_year: int
    years: tuple[int, ...]
    currency: str
    unit: str


class FreightInputs(Frozen):
    schema_version: Literal[1]
    meta: Meta
    references: dict[str, Reference]
    parameters: dict[str, Quantity]
    origins: dict[str, Weight]
    destinations: dict[str, Weight]
    legs: dict[str, Leg]
    families: dict[str, Family]
    routes: dict[str, Route]
    od_routes: dict[str, tuple[OdRoute, ...]]
    years: dict[int, YearInputs]
    calibration: dict[str, Quantity]
    origin_file: str = ""

    @property
    def ods(self) -> tuple[str, ...]:
        return tuple(self.od_routes)


REQUIRED_PARAMETERS = (
    "value_of_time", "cost_scale", "tonnes_per_teu", "road_rate", "rail_vs_road", "rail_rate_china", "sea_rate",
    "river_rate", "port_handling", "transship_cost", "transship_hours", "road_border_cost", "rail_border_cost",
    "road_border_hours", "lsc_in_market_share", "load_headroom", "lsc_network_elasticity", "market_mt",
)
REQUIRED_CALIBRATION = ("clr_cross_border_mt", "mohan_road_mt", "hekou_road_mt", "lsc_teu")
YEAR_FIELDS = ("train_gross_tonnes", "rail_border_hours", "trains_per_day", "demand_index", "demand_index_vte",
               "lsc_cities", "mohan_road_extra_hours")


def _check(inp: FreightInputs, doc: yamldoc.YamlDoc) -> list[str]:
    out: list[str] = []

    def bad(path: tuple, msg: str) -> None:
        out.append(f"{doc.where}:{doc.line(path) or 1}: {yamldoc.field_name(path)}: {msg}")

    refs = inp.references
    for name, q in inp.parameters.items():
        if q.src is not None and q.src not in refs:
            bad(("parameters", name, "src"), unknown("reference", q.src, refs))
    for name in REQUIRED_PARAMETERS:
        if name not in inp.parameters:
            bad(("parameters",), f"missing parameter {name!r}")
    for name in REQUIRED_CALIBRATION:
        if name not in inp.calibration:
            bad(("calibration",), f"missing calibration target {name!r}")
    for name, q in inp.calibration.items():
        if q.src is not None and q.src not in refs:
            bad(("calibration", name, "src"), unknown("reference", q.src, refs))
    for lid, leg in inp.legs.items():
        if leg.src is not None and leg.src not in refs:
            bad(("legs", lid, "src"), unknown("reference", leg.src, refs))
    for rid, r in inp.routes.items():
        if r.family not in inp.families:
            bad(("routes", rid, "family"), unknown("family", r.family, inp.families))
        for j, lid in enumerate(r.legs):
            if lid not in inp.legs:
                bad(("routes", rid, "legs", j), unknown("leg", lid, inp.legs))
        if r.src is not None and r.src not in refs:
            bad(("routes", rid, "src"), unknown("reference", r.src, refs))
        if r.mohan_road and r.borders < 1:
            bad(("routes", rid, "mohan_road"), "a route crossing Mohan by road needs borders >= 1")
    for od, alts in inp.od_routes.items():
        o, _, d = od.partition("-")
        if o not in inp.origins:
            bad(("od_routes", od), unknown("origin", o, inp.origins))
        if d not in inp.destinations:
            bad(("od_routes", od), unknown("destination", d, inp.destinations))
        if len(alts) < 2:
            bad(("od_routes", od), "a pair needs at least two routes to choose from")
        for j, a in enumerate(alts):
            if a.route not in inp.routes:
                bad(("od_routes", od, j, "route"), unknown("route", a.route, inp.routes))
            for k, lid in enumerate(a.access):
                if lid not in inp.legs:
                    bad(("od_routes", od, j, "access", k), unknown("leg", lid, inp.legs))
    for y in inp.meta.years:
        if y not in inp.years:
            bad(("years",), f"no inputs for year {y} listed in meta.years")
    if inp.meta.base_year not in inp.meta.years:
        bad(("meta", "base_year"), f"{inp.meta.base_year} is not one of meta.years {list(inp.meta.years)}")
    elif inp.meta.base_year in inp.years and inp.years[inp.meta.base_year].lsc_cities is None:
        bad(("years", inp.meta.base_year), "the base year needs lsc_cities (the Land-Sea Corridor's network)")
    for y, yi in inp.years.items():
        for field in YEAR_FIELDS:
            q = getattr(yi, field)
            if q is not None and q.src is not None and q.src not in refs:
                bad(("years", y, field, "src"), unknown("reference", q.src, refs))
    return out


def package_path() -> Path:
    return Path(str(resources.files("lmc.freight").joinpath("data/routes.yaml")))


def load_inputs(path: Path | str | None = None) -> FreightInputs:
    """The validated inputs from ``path`` (default: the packaged file). Bad input raises
    :class:`~lmc.freight.errors.FreightInputError` naming file, line and field."""
    if path is None:
        return _packaged()
    return _load(Path(path))


def _load(path: Path) -> FreightInputs:
    doc = yamldoc.load(path, error=FreightInputError)
    data: Any = doc.data
    try:
        inp = FreightInputs.model_validate(data)
    except PydanticValidationError as exc:
        raise FreightInputError(yamldoc.pydantic_message(exc, doc)) from exc
    problems = _check(inp, doc)
    if problems:
        raise FreightInputError(yamldoc.summarise(problems))
    return inp.model_copy(update={"origin_file": str(path)})


@lru_cache(maxsize=1)
def _packaged() -> FreightInputs:
    return _load(package_path())


def inputs_table(inp: FreightInputs | None = None) -> pd.DataFrame:
    """Every drawn input with its range and basis (source, derived, assumption) and the reference it rests on: what
    a scenario report lists so a reader sees which numbers are published and which are judgements."""
    inp = load_inputs() if inp is None else inp
    refs = inp.references
    rows = []

    def add(name: str, q: Quantity, label: str, label_zh: str, unit: str | None) -> None:
        lo, mode, hi = q.bounds
        ref = refs.get(q.src) if q.src else None
        rows.append({"input": name, "label": label, "label_zh": label_zh, "low": lo, "most_likely": mode, "high": hi,
                     "unit": unit or "", "basis": q.basis, "url": ref.url if ref else "", "note": q.note or ""})

    for k, q in inp.parameters.items():
        add(k, q, q.label or k, q.label_zh or k, q.unit)
    year_labels = {"train_gross_tonnes": ("hauled tonnage per cross-border train", "跨境货物列车牵引吨数", "t"),
                   "rail_border_hours": ("rail clearance at Mohan-Boten", "磨憨—磨丁铁路口岸通关时间", "h"),
                   "trains_per_day": ("cross-border freight trains a day (year's average)", "跨境货物列车日均开行列数",
                                      "trains/day"),
                   "demand_index": ("China-ASEAN trade index (base year = 1)", "中国—东盟贸易指数（基准年=1）", "index"),
                   "demand_index_vte": ("China-Laos trade index (base year = 1)", "中国—老挝贸易指数（基准年=1）", "index"),
                   "lsc_cities": ("cities served by Land-Sea Corridor trains", "陆海新通道班列覆盖城市数", "cities"),
                   "mohan_road_extra_hours": ("Covid queue at the Mohan road crossing", "磨憨公路口岸疫情排队时间", "h")}
    for k, leg in inp.legs.items():
        add(f"leg:{k}", leg.hours_q.model_copy(update={"note": leg.note}), f"hours: {k}", f"运行时间：{k}", "h")
    for y, yi in sorted(inp.years.items()):
        for field, (en, zh, unit) in year_labels.items():
            q = getattr(yi, field)
            if q is not None and not (field == "mohan_road_extra_hours" and q.bounds == (0.0, 0.0, 0.0)):
                add(f"{field}:{y}", q, f"{y}: {en}", f"{y}年{zh}", unit)
    for k, q in inp.calibration.items():
        add(f"calibration:{k}", q, f"{inp.meta.base_year} target: {k}", f"{inp.meta.base_year}年校准目标：{k}", None)
    return pd.DataFrame(rows)
