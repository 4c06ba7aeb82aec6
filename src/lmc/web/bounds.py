"""Allowed ranges of the numbers the web accepts, read from the pydantic schemas that declare them.

Bounds are declared once, as ``Field(ge=, le=, gt=, lt=)`` (``annotated_types`` metadata): on FastAPI parameters,
on request bodies and on the scenario schemas of :mod:`lmc.flows`. :func:`field_range` reads them, so that

* a 422 for a parameter out of range states the whole allowed range, not only the bound it crossed
  (:func:`param_range`, used by the app's validation handler);
* a scenario shock's new value - from the API or the page's GET form - is checked against its range before any
  work starts (:func:`shock_range`); the form shows the same range as ``min``/``max``.

A scenario shock's range is the intersection of what :mod:`lmc.flows` declares on ``ShockSpec.value`` and the web's
fallback, :data:`WEB_FALLBACK_LEVELS`, a plausible range per model variable. The fallback exists because the flows
schemas do not yet bound every variable; where they do, the tighter bound wins, and the web re-validates every
adjusted scenario through ``ScenarioSpec`` itself, so any bound or validator added there applies automatically.
"""

from __future__ import annotations

import math
import types
import typing
from dataclasses import dataclass
from typing import Any

import annotated_types as at
from pydantic import BaseModel

from lmc.flows.scenarios import TREND_YEARS, ShockSpec


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


# ------------------------------------------------------------------------------------------------ scenario shocks
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
    "base_year": (min(TREND_YEARS), max(TREND_YEARS)),  # the trend model's years
    # structural gravity GE (dummies of the Advanced Guide panel, log distance, ad valorem cost)
    "cntg": (0, 1), "lang": (0, 1), "clny": (0, 1), "rta": (0, 1), "intl_brdr": (0, 1),
    "ln_dist": (0, 10),                # ln km: e^10 = 22,000 km, more than half the Earth's circumference
    "trade_cost_pct": (-99, 1000),     # % ad valorem change in trade cost
}
"""Web-layer FALLBACK bounds of scenario shock variables, as levels of the variable. A shock with ``op: set``
takes a value in the level range; ``op: add`` a change of at most the range's width either way; ``op: scale``
a factor from 0 to 10. A variable not listed gets ±10 times its built-in value (at least ±10). To be dropped
variable by variable as :mod:`lmc.flows` declares its own bounds."""

SCALE_FALLBACK = Range(0, 10)


def _fallback(variable: str, op: str, builtin_value: float) -> Range:
    if op == "scale":
        return SCALE_FALLBACK
    if variable in WEB_FALLBACK_LEVELS:
        lo, hi = WEB_FALLBACK_LEVELS[variable]
    else:
        m = 10 * max(1.0, abs(float(builtin_value)))
        lo, hi = -m, m
    if op == "add":
        return Range(-(hi - lo), hi - lo)
    return Range(lo, hi)


def shock_range(shock: Any) -> Range:
    """Allowed new values of a built-in scenario's shock (a ``ShockSpec``): the flows schema's bound on
    ``ShockSpec.value`` intersected with the web fallback for the shock's variable and op."""
    return field_range(ShockSpec.model_fields["value"]) & _fallback(shock.variable, shock.op, shock.value)
