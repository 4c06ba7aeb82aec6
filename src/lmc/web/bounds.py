"""Allowed ranges of the numbers the web accepts, read from the pydantic schemas that declare them.

Bounds are declared once, as ``Field(ge=, le=, gt=, lt=)`` (``annotated_types`` metadata): on FastAPI parameters,
on request bodies and on the scenario schemas of :mod:`lmc.flows`. :func:`field_range` reads them, so that

* a 422 for a parameter out of range states the whole allowed range, not only the bound it crossed
  (:func:`param_range`, used by the app's validation handler);
* a scenario shock's new value - from the API or the page's GET form - is checked against its range before any
  work starts (:func:`shock_range`); the form shows the same range as ``min``/``max``.

A scenario shock's range comes from :mod:`lmc.flows`: the bounds of ``ShockSpec.value`` and each model's variable
ranges (``lmc.flows.schema.variable_bounds``); for a variable lmc.flows does not bound (yet), the web's fallback,
:data:`WEB_FALLBACK_LEVELS`. Every adjusted scenario is also validated again by ``ScenarioSpec`` and by the flows
stage's own ``check_spec`` (:func:`check_declared`), so any bound or rule declared there applies to the web at once.
"""

from __future__ import annotations

import importlib
import math
import types
import typing
from dataclasses import dataclass
from typing import Any

import annotated_types as at
from pydantic import BaseModel

from lmc.flows.scenarios import ShockSpec


@dataclass(frozen=True)
class Range:
    """``lo`` ≤ (or <) x ≤ (or <) ``hi``; a missing side is unbounded. Numbers must be finite in any case."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False

    def admits(self, x: float) -> bool:
        if not math.isfinite(x):
            return False
        if self.lo is not None and (x <= self.lo if self.lo_open else x < self.lo):
            return False
        return not (self.hi is not None and (x >= self.hi if self.hi_open else x > self.hi))

    def __and__(self, other: Range) -> Range:
        lo, lo_open = self.lo, self.lo_open
        if other.lo is not None and (lo is None or other.lo > lo or (other.lo == lo and other.lo_open)):
            lo, lo_open = other.lo, other.lo_open
        hi, hi_open = self.hi, self.hi_open
        if other.hi is not None and (hi is None or other.hi < hi or (other.hi == hi and other.hi_open)):
            hi, hi_open = other.hi, other.hi_open
        return Range(lo, hi, lo_open, hi_open)

    @property
    def bounded(self) -> bool:
        return self.lo is not None and self.hi is not None

    def describe(self) -> str:
        """'from 10 to 2000', 'at least 0', 'less than 1', or 'any finite number'."""
        lo = None if self.lo is None else f"{'more than' if self.lo_open else 'at least'} {_g(self.lo)}"
        hi = None if self.hi is None else f"{'less than' if self.hi_open else 'at most'} {_g(self.hi)}"
        if lo and hi:
            if not (self.lo_open or self.hi_open):
                return f"from {_g(self.lo)} to {_g(self.hi)}"
            return f"{lo} and {hi}"
        return lo or hi or "any finite number"


def _g(x: float) -> str:
    return f"{x:.12g}"


def field_range(info: Any) -> Range:
    """The range declared on a pydantic ``FieldInfo`` or a FastAPI parameter (their ``metadata``)."""
    r = Range()
    for m in getattr(info, "metadata", ()) or ():
        if isinstance(m, at.Interval):
            r = r & Range(m.ge if m.ge is not None else m.gt, m.le if m.le is not None else m.lt,
                          m.ge is None and m.gt is not None, m.le is None and m.lt is not None)
        elif isinstance(m, at.Ge):
            r = r & Range(lo=m.ge)
        elif isinstance(m, at.Gt):
            r = r & Range(lo=m.gt, lo_open=True)
        elif isinstance(m, at.Le):
            r = r & Range(hi=m.le)
        elif isinstance(m, at.Lt):
            r = r & Range(hi=m.lt, hi_open=True)
    return r


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``M``, ``M | None`` or ``list[M]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list, tuple):
        for a in typing.get_args(annotation):
            if (m := _model_in(a)) is not None:
                return m
    return None


def _model_field_range(model: type[BaseModel], path: tuple[Any, ...]) -> Range | None:
    info = None
    for key in path:
        if isinstance(key, int):  # a list index: stay on the element model
            continue
        if model is None or key not in model.model_fields:
            return None
        info = model.model_fields[key]
        model = _model_in(info.annotation)  # type: ignore[assignment]
    return field_range(info) if info is not None else None


def param_range(route: Any, loc: tuple[Any, ...]) -> Range | None:
    """The declared range of the request parameter at ``loc`` (a validation error's location, e.g.
    ``("query", "draws")`` or ``("body", "shocks", 0, "value")``) of a FastAPI route, or ``None``."""
    dependant = getattr(route, "dependant", None)
    if dependant is None or len(loc) < 2:
        return None
    where, rest = loc[0], tuple(loc[1:])
    stack = [dependant]
    while stack:
        d = stack.pop()
        stack += d.dependencies
        if where == "body":
            for p in d.body_params:
                model = _model_in(p.field_info.annotation)
                if model is not None:
                    return _model_field_range(model, rest)
        else:
            for p in getattr(d, f"{where}_params", ()):
                if p.alias == rest[0]:
                    return field_range(p.field_info)
    return None


# ------------------------------------------------------------------------------------------------ scenarios
def _flows_schema() -> Any:
    """``lmc.flows.schema``, where the flows stage declares each model's shockable variables with their ranges
    (``variable_bounds``), its options models (``OPTIONS``, ``Field(ge=, le=)``) and ``check_spec``; ``None`` while
    that module does not exist (then :data:`WEB_FALLBACK_LEVELS` stands in)."""
    try:
        return importlib.import_module("lmc.flows.schema")
    except ImportError:
        return None


WEB_FALLBACK_LEVELS: dict[str, tuple[float, float]] = {
    # destination choice (lmc.flows.choice.VARIABLES)
    "travel_time_h": (0, 72),          # hours to the destination; three days covers any overland route here
    "cost_cny": (0, 100_000),          # CNY per trip
    "visa_required": (0, 1),           # share of visitors needing a visa
    "heritage_sites": (0, 100),        # sites at the destination
    "available": (0, 1),               # the destination is open (1) or closed (0)
    # claim against trend (lmc.flows.trend)
    "base_value_usd": (0, 1e11),       # annual Lao exports to China; US$100 bn is ~25x the 2024 figure
    "growth_pct": (-99, 200),          # % a year; -100 % and below would be no trade or negative trade
    "base_year": (2015, 2040),         # the trend model's years
    # structural gravity GE (dummies of the Advanced Guide panel, log distance, ad valorem cost)
    "cntg": (0, 1), "lang": (0, 1), "clny": (0, 1), "rta": (0, 1), "intl_brdr": (0, 1),
    "ln_dist": (0, 10),                # ln km: e^10 = 22,000 km, more than half the Earth's circumference
    "trade_cost_pct": (-99, 1000),     # % ad valorem change in trade cost
}
"""Web-layer FALLBACK ranges of scenario shock variables (levels of the variable), used only for a variable that
:mod:`lmc.flows` does not bound itself (``lmc.flows.schema.variable_bounds``). A variable in neither gets ±10 times
its built-in value (at least ±10). To be deleted once every variable is declared in lmc.flows."""

SCALE_FALLBACK = 10.0
"""Largest ``scale`` factor when lmc.flows declares none (``lmc.flows.schema.SCALE_MAX``)."""


def shock_range(model: str, shock: Any) -> Range:
    """Allowed new values of a built-in scenario's shock (a ``ShockSpec``) in a ``model`` scenario: the variable's
    range as lmc.flows declares it (else the web fallback) for ``op: set``, a change of at most the range's width
    either way for ``add``, a factor from 0 to the largest scale for ``scale``; within the bounds of
    ``ShockSpec.value`` itself."""
    schema = _flows_schema()
    declared = schema.variable_bounds(model) if schema is not None else {}
    if shock.op == "scale":
        rng = Range(0, float(getattr(schema, "SCALE_MAX", SCALE_FALLBACK)))
    else:
        if shock.variable in declared:
            lo, hi = declared[shock.variable][:2]
        elif shock.variable in WEB_FALLBACK_LEVELS:
            lo, hi = WEB_FALLBACK_LEVELS[shock.variable]
        else:
            m = 10 * max(1.0, abs(float(shock.value)))
            lo, hi = -m, m
        rng = Range(-(hi - lo), hi - lo) if shock.op == "add" else Range(lo, hi)
    return field_range(ShockSpec.model_fields["value"]) & rng


def draws_range(model: str, web_max: int) -> Range:
    """Allowed Monte Carlo draws of a ``model`` scenario: what its options model in lmc.flows declares, and at
    most ``web_max`` (the web's own limit)."""
    schema = _flows_schema()
    declared = Range()
    if schema is not None and "draws" in schema.OPTIONS[model].model_fields:
        declared = field_range(schema.OPTIONS[model].model_fields["draws"])
    return declared & Range(1, web_max)


def check_declared(spec: Any) -> None:
    """Every rule lmc.flows declares for a scenario (``check_spec``: variables, ranges, options), where it does;
    raises its :class:`~lmc.flows.errors.ScenarioError`."""
    schema = _flows_schema()
    if schema is not None:
        schema.check_spec(spec)
