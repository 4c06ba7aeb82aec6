"""The face-validity suite: dated, sourced facts (``data/validity.yaml``) that the SCI must reproduce.

An index is trusted when it reproduces what is known. Each statement names units, a measure (the index, a pillar,
an indicator or the cross-border rail services), years and a machine-checkable comparison; :func:`check` evaluates
every statement on a build and returns a :class:`ValidityResult` (one row per statement: what was observed and
whether it holds). ``lmc build`` runs it every time, writes ``validity.csv`` and stops with exit code 2 when a
statement fails unless ``--allow-invalid`` is given (:mod:`lmc.reports.build`).

Comparisons of a score between two years are like for like (:func:`lmc.sci.explain.like_for_like`): on the
indicators present in both years, so that a source starting or stopping cannot pass or fail a statement by itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError as PydanticValidationError, model_validator

from lmc import LMC_COUNTRIES, yamldoc
from lmc.errors import LmcError, ValidationError
from lmc.sci.explain import like_for_like
from lmc.sci.framework import Framework, data_path
from lmc.sci.score import Arrays
from lmc.sources.harmonise import lmc_pairs

GROUPS: dict[str, tuple[str, ...]] = {
    "all_pairs": tuple(lmc_pairs()),
    "china_pairs": tuple(p for p in lmc_pairs() if p.startswith("CHN-")),
    "all_countries": LMC_COUNTRIES,
}
FACT_MEASURES: tuple[str, ...] = ("rail_links",)
"""Measures read from the curated facts rather than the scores or the panel."""


class InvalidBuildError(LmcError):
    """At least one known fact is not reproduced by the build (the CLI prints the table and exits with 2)."""

    def __init__(self, result: "ValidityResult") -> None:
        self.result = result
        failed = ", ".join(result.failed)
        super().__init__(f"{result.summary()}; not reproduced: {failed}. Fix the data or the framework (never the "
                         f"statement), or build with --allow-invalid to write the outputs and list the failures in "
                         f"the report.")


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    publisher: str = Field(min_length=2)
    url: str = Field(pattern=r"^https?://\S+$")
    accessed: dt.date
    note: str | None = None


class Check(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    kind: Literal["change", "level"]
    year: int | None = None
    base: int | None = None
    from_: int | None = Field(default=None, alias="from")
    to: int | None = None
    direction: Literal["lower", "higher", "at_least", "at_most"]
    margin: float = Field(default=0.0, ge=0)
    value: float | None = None

    @model_validator(mode="after")
    def _complete(self) -> "Check":
        if self.kind == "change":
            if self.year is None or self.base is None or self.direction not in ("lower", "higher"):
                raise ValueError("a change check needs year, base and direction lower|higher")
        elif self.from_ is None or self.to is None or self.value is None or self.direction not in ("at_least",
                                                                                                  "at_most"):
            raise ValueError("a level check needs from, to, value and direction at_least|at_most")
        return self

    def describe(self) -> str:
        if self.kind == "change":
            op = "<" if self.direction == "lower" else ">"
            m = f" by more than {self.margin:g}" if self.margin else ""
            return f"{self.year} {op} {self.base}{m}"
        op = ">=" if self.direction == "at_least" else "<="
        span = f"{self.from_}" if self.from_ == self.to else f"every year {self.from_}-{self.to}"
        return f"{op} {self.value:g} in {span}"


class Statement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    statement: str = Field(min_length=20)
    units: tuple[str, ...] | str
    measure: str
    check: Check
    source: Source

    def unit_list(self) -> tuple[str, ...]:
        if isinstance(self.units, str):
            return GROUPS[self.units]
        return self.units

    @model_validator(mode="after")
    def _units(self) -> "Statement":
        if isinstance(self.units, str):
            if self.units not in GROUPS:
                raise ValueError(f"units: unknown group {self.units!r}; use a list of units or one of "
                                 f"{', '.join(GROUPS)}")
            return self
        for u in self.units:
            if u not in lmc_pairs() and u not in LMC_COUNTRIES:
                raise ValueError(f"units: {u!r} is not an LMC country (ISO3) or canonical pair (e.g. CHN-LAO)")
        return self


class Statements(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    statements: tuple[Statement, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "Statements":
        ids = [s.id for s in self.statements]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate statement id(s): {', '.join(dup)}")
        return self


def load_statements(path: Path | None = None, framework: Framework | None = None) -> Statements:
    """Read and validate the statements (default: the package's). Errors name file, line and field; a measure
    that is neither the index, a pillar, a computed indicator nor a fact measure is an error too."""
    path = path or data_path("validity.yaml")
    doc = yamldoc.load(path)
    if not isinstance(doc.data, dict):
        raise ValidationError(f"{path}: expected a mapping with `statements`")
    try:
        st = Statements(**doc.data)
    except PydanticValidationError as exc:
        raise ValidationError(yamldoc.pydantic_message(exc, doc, limit=1)) from exc
    if framework is not None:
        from lmc.errors import unknown

        valid = ["index", *framework.pillar_ids(), *FACT_MEASURES,
                 *[i.id for i in framework.indicators if i.status == "computed"]]
        for k, s in enumerate(st.statements):
            if s.measure not in valid:
                line = doc.line(("statements", k, "measure"))
                raise ValidationError(f"{path}:{line}: statements.{k}.measure (id {s.id!r}): "
                                      + unknown("measure", s.measure, valid))
    return st


@dataclass(frozen=True, eq=False)
class ValidityResult:
    """One row per statement: ``id, statement, units, measure, check, observed, basis, pass, source, url``."""

    table: pd.DataFrame

    @property
    def total(self) -> int:
        return len(self.table)

    @property
    def passed(self) -> int:
        return int(self.table["pass"].sum())

    @property
    def failed(self) -> list[str]:
        return list(self.table.loc[~self.table["pass"], "id"])

    @property
    def ok(self) -> bool:
        return self.passed == self.total

    def summary(self) -> str:
        return f"{self.passed} of {self.total} known facts reproduced"

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict:
        return {"passed": self.passed, "total": self.total, "failed": self.failed}


@dataclass(frozen=True, eq=False)
class Evidence:
    """What a build offers the checks: the nominal scores, the scoring arrays (for like-for-like comparisons), the
    published indicator panel and the curated rail services per pair and year."""

    scores: pd.DataFrame
    arrays: Arrays
    framework: Framework
    panel: pd.DataFrame
    rail_links: pd.DataFrame  # unit, year, value


def _fmt(v: float) -> str:
    return "missing" if v is None or np.isnan(v) else f"{v:.4g}" if abs(v) < 10 else f"{v:.1f}"


class _Lookup:
    def __init__(self, ev: Evidence) -> None:
        self.ev = ev
        self.pillars = ("index", *ev.arrays.pillars)
        self._lfl: dict[tuple[int, int], tuple[dict, dict]] = {}
        p = ev.panel
        self.panel = {(r.indicator, r.unit, int(r.year)): float(r.value) for r in p.itertuples(index=False)}
        self.rail = {(r.unit, int(r.year)): float(r.value) for r in ev.rail_links.itertuples(index=False)}
        s = ev.scores
        self.scores = {(r.unit, int(r.year), r.pillar): float(r.score) for r in s.itertuples(index=False)}

    def level_value(self, measure: str, unit: str, year: int) -> float:
        if measure in self.pillars:
            return self.scores.get((unit, year, measure), np.nan)
        if measure == "rail_links":
            return self.rail.get((unit, year), np.nan)
        return self.panel.get((measure, unit, year), np.nan)

    def change_values(self, measure: str, unit: str, year: int, base: int) -> tuple[float, float, str]:
        """(value in ``year``, value in ``base``, basis): scores like for like, other measures as they are."""
        if measure not in self.pillars:
            return self.level_value(measure, unit, year), self.level_value(measure, unit, base), ""
        key = (year, base)
        if key not in self._lfl:
            self._lfl[key] = like_for_like(self.ev.arrays, self.ev.framework, base, year)
        scores, dropped = self._lfl[key]
        level = "pair" if "-" in unit else "country"
        ls = scores[level]
        i = ls.units.index(unit)
        t1, t0 = self.ev.arrays.years.index(year), self.ev.arrays.years.index(base)
        mat = ls.index if measure == "index" else ls.pillars[:, :, self.ev.arrays.pillars.index(measure)]
        fw = self.ev.framework
        drop = [d for d in dropped.get(level, []) if measure == "index" or fw.indicator(d).pillar == measure]
        if level == "country":  # a country's pillars blend its pairs' pillars
            drop += [f"{d} (pairs)" for d in dropped.get("pair", [])
                     if measure == "index" or fw.indicator(d).pillar == measure]
        basis = "like for like" + (f", without {', '.join(drop)}" if drop else "")
        return float(mat[i, t1]), float(mat[i, t0]), basis


def check(statements: Statements, evidence: Evidence) -> ValidityResult:
    """Evaluate every statement on a build. Years beyond the build's range fail with the reason stated."""
    look = _Lookup(evidence)
    years = set(evidence.arrays.years)
    rows = []
    for st in statements.statements:
        c = st.check
        parts, ok, basis = [], True, ""
        for u in st.unit_list():
            if c.kind == "change":
                if c.year not in years or c.base not in years:
                    parts.append(f"{u}: {c.year} or {c.base} not built")
                    ok = False
                    continue
                v1, v0, basis = look.change_values(st.measure, u, c.year, c.base)
                good = (v1 < v0 - c.margin) if c.direction == "lower" else (v1 > v0 + c.margin)
                good = bool(good) and not (np.isnan(v1) or np.isnan(v0))
                parts.append(f"{u}: {c.year} {_fmt(v1)} vs {c.base} {_fmt(v0)}")
            else:
                span = [y for y in range(c.from_, c.to + 1) if y in years]
                vals = [look.level_value(st.measure, u, y) for y in span]
                bad = [(y, v) for y, v in zip(span, vals) if np.isnan(v)
                       or (v < c.value if c.direction == "at_least" else v > c.value)]
                good = bool(span) and not bad
                if not span:
                    parts.append(f"{u}: no year of {c.from_}-{c.to} built")
                    ok = False
                    continue
                seen = [v for v in vals if not np.isnan(v)]
                txt = f"{u}: {_fmt(min(seen)) if seen else 'missing'}-{_fmt(max(seen)) if seen else 'missing'} " \
                      f"in {span[0]}-{span[-1]}"
                if bad:
                    txt += f" (fails in {', '.join(str(y) for y, _ in bad)})"
                parts.append(txt)
            ok = ok and good
        rows.append({"id": st.id, "statement": st.statement, "units": ", ".join(st.unit_list()),
                     "measure": st.measure, "check": c.describe(), "observed": "; ".join(parts), "basis": basis,
                     "pass": ok, "source": st.source.publisher, "url": st.source.url})
    return ValidityResult(pd.DataFrame(rows, columns=["id", "statement", "units", "measure", "check", "observed",
                                                      "basis", "pass", "source", "url"]))
