"""The SCI framework: pillars and indicators declared in ``data/framework.yaml``, validated on load.

Why a schema: the framework is the index's contract with its readers (what is measured, from where, which way is
better), so a missing rationale or source, a wrong direction or a pillar typo must fail loudly at load time with
the file and field named, not surface as an odd score later.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError as PydanticValidationError, model_validator

from lmc import LMC_COUNTRIES, yamldoc
from lmc.errors import ValidationError, unknown

Level = Literal["pair", "country", "province"]
LEVELS: tuple[str, ...] = ("pair", "country", "province")


class Text(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Pillar(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    name: Text
    weight: float = Field(gt=0)
    description: str = Field(min_length=10)


class Break(BaseModel):
    """A break in an indicator's series: from ``year`` on, the values come from a different source or definition."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    year: int = Field(ge=1990, le=2100)
    note: str = Field(min_length=10)


class Indicator(BaseModel):
    """One indicator. ``goalposts`` are in raw units; ``transform`` applies to value and goalposts alike."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    level: Level
    pillar: str
    name: Text
    rationale: str = Field(min_length=10)
    source: str = Field(min_length=2)
    source_note: str = Field(min_length=10)
    direction: Literal[1, -1]
    unit: str = Field(min_length=1)
    transform: Literal["none", "log1p"] = "none"
    goalposts: tuple[float, float]
    coverage: str = Field(min_length=2)
    time_varying: bool = True
    status: Literal["computed", "alternative", "not_supported"] = "computed"
    """``alternative``: computed for the robustness table only (a correction undone), never in the nominal index."""
    alternative_note: str | None = None
    per_capita_alternative: str | None = None
    weight: float = Field(default=1.0, gt=0)
    breaks: tuple[Break, ...] = ()
    """Source breaks (shown with the indicator in the methodology and the report); values across a break are
    never interpolated."""

    @model_validator(mode="after")
    def _goalposts_ordered(self) -> "Indicator":
        lo, hi = self.goalposts
        if not lo < hi:
            raise ValueError(f"goalposts must be [lo, hi] with lo < hi, got {list(self.goalposts)}")
        return self


class Variant(BaseModel):
    """A construction the robustness table compares with the nominal one: ``add`` alternative indicators enter,
    ``remove`` computed indicators leave (e.g. a correction undone)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    name: Text
    correction: str = Field(min_length=10)
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    combined: bool = False
    """True for the variant that undoes every correction at once (the "before" of a before/after comparison)."""


class Framework(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    short: str
    version: str
    first_year: int = Field(ge=1990, le=2100)
    countries: tuple[str, ...]
    pillars: tuple[Pillar, ...]
    indicators: tuple[Indicator, ...]
    variants: tuple[Variant, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> "Framework":
        if tuple(self.countries) != LMC_COUNTRIES:
            raise ValueError(f"countries must be {list(LMC_COUNTRIES)} in that order")
        pillar_ids = [p.id for p in self.pillars]
        if len(set(pillar_ids)) != len(pillar_ids):
            raise ValueError("duplicate pillar id")
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.id in seen:
                raise ValueError(f"duplicate indicator id {ind.id!r}")
            seen.add(ind.id)
            if ind.pillar not in pillar_ids:
                raise ValueError(f"indicator {ind.id!r}: " + unknown("pillar", ind.pillar, pillar_ids))
            if ind.per_capita_alternative and ind.per_capita_alternative not in {i.id for i in self.indicators}:
                raise ValueError(f"indicator {ind.id!r}: per_capita_alternative names no indicator")
        status = {i.id: i.status for i in self.indicators}
        for v in self.variants:
            for ind in v.add:
                if status.get(ind) != "alternative":
                    why = unknown("indicator", ind, list(status)) if ind not in status else status[ind]
                    raise ValueError(f"variant {v.id!r}: add: {ind!r} is not an alternative indicator ({why})")
            for ind in v.remove:
                if status.get(ind) != "computed":
                    raise ValueError(f"variant {v.id!r}: remove: {ind!r} is not a computed indicator")
        for lvl in ("pair", "country"):
            for p in pillar_ids:
                if not any(i.level == lvl and i.pillar == p and i.status == "computed" for i in self.indicators):
                    raise ValueError(f"pillar {p!r} has no computed {lvl}-level indicator")
        return self

    # convenience -------------------------------------------------------------------------------------------
    def pillar_ids(self) -> list[str]:
        return [p.id for p in self.pillars]

    def indicators_for(self, level: str, *, computed_only: bool = True) -> list[Indicator]:
        return [i for i in self.indicators if i.level == level and (i.status == "computed" or not computed_only)]

    def with_alternatives(self, level: str) -> list[Indicator]:
        """Computed and alternative indicators of ``level``: everything the panels are built for."""
        return [i for i in self.indicators if i.level == level and i.status != "not_supported"]

    def variant(self, variant_id: str) -> "Framework":
        """The framework with a variant's indicators swapped in (``add`` computed, ``remove`` alternative)."""
        v = next((x for x in self.variants if x.id == variant_id), None)
        if v is None:
            raise ValidationError(unknown("variant", variant_id, [x.id for x in self.variants]))
        swap = {**{i: "computed" for i in v.add}, **{i: "alternative" for i in v.remove}}
        inds = tuple(i.model_copy(update={"status": swap[i.id]}) if i.id in swap else i for i in self.indicators)
        return self.model_copy(update={"indicators": inds})

    def indicator(self, ind_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == ind_id:
                return i
        raise ValidationError(unknown("indicator", ind_id, [i.id for i in self.indicators]))

    def pillar(self, pid: str) -> Pillar:
        for p in self.pillars:
            if p.id == pid:
                return p
        raise ValidationError(unknown("pillar", pid, self.pillar_ids()))


def data_path(name: str) -> Path:
    """Path of a file shipped in ``lmc/sci/data``."""
    return Path(str(resources.files("lmc.sci").joinpath("data", name)))


def load_framework(path: Path | None = None) -> Framework:
    """Read and validate a framework YAML (default: the package's). Raises ValidationError naming file, line, field."""
    path = path or data_path("framework.yaml")
    doc = yamldoc.load(path)
    if not isinstance(doc.data, dict):
        raise ValidationError(f"{path}: expected a mapping at the top level")
    try:
        return Framework(**doc.data)
    except PydanticValidationError as exc:
        raise ValidationError(yamldoc.pydantic_message(exc, doc, limit=1)) from exc


@lru_cache(maxsize=1)
def default_framework() -> Framework:
    return load_framework()
