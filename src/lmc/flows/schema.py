"""Scenario files: the schema, with documented bounds on every parameter, and their checks before anything runs.

Why bounds: a scenario reaches the models from a YAML file, the CLI or a web form. Growth of -200%, ``sigma=1e308``,
``visa_required=1e308``, ``draws: 0`` or a binary file must fail at once with one line naming the field and its
allowed range, never after minutes of computation or with a traceback. Three layers, all here:

* the pydantic models (:class:`ShockSpec`, :class:`ScenarioSpec` and one options model per model kind) carry
  ``Field(ge=..., le=...)`` bounds; every option of every model is declared, unknown options are refused;
* :func:`variable_bounds` gives each model's shockable variables with their allowed range and unit: a ``set``
  value must lie in it, an ``add`` may move by at most its width, a ``scale`` factor lies in ``[0, SCALE_MAX]``
  (the models check the resulting value too);
* :func:`check_spec` applies both and returns the typed options; :func:`parameter_bounds` and
  :func:`options_schema` expose the same bounds for forms (the web) and documentation.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from lmc.errors import unknown
from lmc.flows.errors import ScenarioError

Model = Literal["choice", "ge", "trend", "railway", "freight"]
MODELS: tuple[str, ...] = ("choice", "ge", "trend", "railway", "freight")
SCALE_MAX = 100.0
"""Largest factor a ``scale`` shock may apply."""
MAX_SHOCKS = 50
MAX_FILE_BYTES = 1_000_000
"""A scenario file larger than this is refused (scenarios are a few hundred bytes)."""
MAX_TABLE_ROWS = 5_000
"""No result table has more rows (the largest, the GE pair table, has 69 x 69 = 4,761)."""
YEAR_BOUNDS = (1986, 2071)
"""Years any scenario may name: the first year of the GE panel to the end of the railway concession."""

ISO3 = r"^[A-Z]{3}$"


class ShockSpec(BaseModel):
    """One shock: ``variable`` changed by ``op`` (set/add/scale) to/by ``value`` for some units in ``year``.

    Units: ``destinations`` (choice model: ids, nests or ISO3 countries; optionally only some ``modes`` and
    ``segments``), ``pairs`` ([exporter, importer]; with ``symmetric`` both directions) or ``countries`` (GE: every
    international pair involving them).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    variable: str = Field(min_length=1, max_length=64)
    value: float = Field(ge=-1e12, le=1e12, allow_inf_nan=False,
                         description="New value (set), change (add) or factor (scale); the variable's own range "
                                     "applies (see parameter_bounds).")
    op: Literal["set", "add", "scale"] = "set"
    year: int | None = Field(None, ge=YEAR_BOUNDS[0], le=YEAR_BOUNDS[1])
    destinations: list[str] | None = Field(None, max_length=20)
    modes: list[Literal["air", "rail", "road"]] | None = Field(None, max_length=3)
    segments: list[str] | None = Field(None, max_length=5)
    pairs: list[tuple[str, str]] | None = Field(None, max_length=300)
    countries: list[str] | None = Field(None, max_length=70)
    symmetric: bool = True
    range: tuple[float, float] | None = Field(None, description="GE only: the value is uncertain; the draws take it "
                                              "uniformly in [low, high] (which holds value), the central run uses value.")
    note: str | None = Field(None, max_length=500)


class ScenarioSpec(BaseModel):
    """A scenario file. ``baseline`` shocks (optional) define the starting point relative to the calibrated model;
    ``shocks`` define the scenario relative to that baseline. ``options`` are checked against the model's options
    schema (:data:`OPTIONS`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=64)
    title: str | None = Field(None, max_length=200)
    description: str = Field(max_length=5_000)
    model: Model
    year: int = Field(ge=YEAR_BOUNDS[0], le=YEAR_BOUNDS[1])
    baseline: list[ShockSpec] = Field([], max_length=MAX_SHOCKS)
    shocks: list[ShockSpec] = Field([], max_length=MAX_SHOCKS)
    options: dict[str, Any] = Field({}, max_length=20)
    assumptions: list[str] = Field([], max_length=30)

    @field_validator("assumptions")
    @classmethod
    def _short(cls, v: list[str]) -> list[str]:
        for i, a in enumerate(v):
            if len(a) > 1_000:
                raise ValueError(f"assumption {i} is longer than 1,000 characters")
        return v


class _Options(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Seed of the Monte Carlo (numpy default_rng).")


class ChoiceOptions(_Options):
    draws: int = Field(200, ge=10, le=2_000, description="Monte Carlo draws (each recalibrates the model).")
    calibration_year: Literal[2019, 2024] = Field(2024, description="Year whose sourced arrivals the model "
                                                  "reproduces.")


class GEOptions(_Options):
    draws: int = Field(100, ge=10, le=500, description="Draws of coefficients, sigma and assumed costs.")
    sigma: float = Field(7.0, gt=1.0, le=20.0, description="Elasticity of substitution (Advanced Guide: 7).")
    sigma_range: tuple[float, float] = Field((5.0, 9.0), description="Range of sigma in the draws, each in (1, 20].")
    cost_spread: tuple[float, float] = Field((0.5, 2.0), description="Each trade_cost_pct shock is multiplied by a "
                                             "factor drawn in this range, each in [0, 10].")
    focus: str | None = Field(None, pattern=ISO3, description="Country whose partners are charted (ISO3).")
    formula: str | None = Field(None, max_length=300, description="PPML formula of the trade costs.")

    @model_validator(mode="after")
    def _ranges(self) -> GEOptions:
        lo, hi = self.sigma_range
        if not (1.0 < lo <= hi <= 20.0):
            raise ValueError(f"sigma_range must satisfy 1 < low <= high <= 20; got [{lo:g}, {hi:g}]")
        a, b = self.cost_spread
        if not (0.0 <= a <= b <= 10.0):
            raise ValueError(f"cost_spread must satisfy 0 <= low <= high <= 10; got [{a:g}, {b:g}]")
        return self


class TrendOptions(_Options):
    draws: int | None = Field(None, ge=0, le=2_000, description="Accepted for a uniform form; unused: the trend's "
                              "intervals are analytic (Student t).")
    horizon: int | None = Field(None, ge=2025, le=2060, description="Last year of the projection (default: the "
                                "scenario year, at least 2030).")
    window: tuple[int, int] | None = Field(None, description="Observation years [first, last] the trend is fitted "
                                           "on, each in 2000-2030, first < last.")

    @field_validator("window")
    @classmethod
    def _window(cls, w: tuple[int, int] | None) -> tuple[int, int] | None:
        if w is not None and not (2000 <= w[0] < w[1] <= 2030):
            raise ValueError(f"window must be [first, last] with 2000 <= first < last <= 2030; got {list(w)}")
        return w


class RailwayOptions(_Options):
    draws: int = Field(2_000, ge=10, le=20_000, description="Monte Carlo draws of the cash-flow inputs.")
    fare_real_growth_pct: float = Field(0.0, ge=-5.0, le=5.0, description="Real growth of fares a year (0 = "
                                        "indexed to inflation).")
    tariff_real_growth_pct: float = Field(0.0, ge=-5.0, le=5.0, description="Real growth of freight tariffs a "
                                          "year (0 = indexed to inflation).")
    freight_source: Literal["model", "fixed"] = Field(
        "model", description="model: Lao-section freight from the freight route-choice model's tonnes (default); "
        "fixed: the railway model's own path (sourced ramp, then growth), for comparison.")
    freight_scenario: str | None = Field(None, max_length=64, description="A built-in freight route-choice scenario "
                                         "(e.g. thai-standard-gauge-link) whose change applies to the model's tonnes.")

    @model_validator(mode="after")
    def _scenario_needs_model(self) -> RailwayOptions:
        if self.freight_scenario is not None and self.freight_source != "model":
            raise ValueError("freight_scenario needs freight_source: model")
        return self


class FreightOptions(_Options):
    draws: int = Field(10_000, ge=10, le=20_000, description="Monte Carlo draws of the freight route-choice inputs, "
                       "each calibrated to 2023 (a draw costs microseconds: 10,000 by default).")
    question: Literal["route-choice", "value-added"] = Field(
        "route-choice", description="route-choice: the calibrated model with the scenario's shocks; value-added: "
        "what the freight series and the places registry say about freight stopping in Yunnan and Laos (no model).")


OPTIONS: dict[str, type[_Options]] = {"choice": ChoiceOptions, "ge": GEOptions, "trend": TrendOptions,
                                      "railway": RailwayOptions, "freight": FreightOptions}

GE_VARIABLES: dict[str, tuple[float, float, str]] = {
    "ln_dist": (0.0, 12.0, "log of km"), "cntg": (0.0, 1.0, "1 = shared land border"),
    "lang": (0.0, 1.0, "1 = common language"), "clny": (0.0, 1.0, "1 = colonial link"),
    "rta": (0.0, 1.0, "1 = trade agreement in force"), "intl_brdr": (0.0, 1.0, "1 = international flow"),
    "trade_cost_pct": (-90.0, 1_000.0, "% change in ad valorem trade cost"),
    "route_closed_pct": (0.0, 100.0, "% of the link's trade through crossings that close (their trade stops; "
                                     "open routes keep their cost)"),
}
FREIGHT_VARIABLES: dict[str, tuple[float, float, str]] = {
    "mohan_clearance_factor": (0.05, 1.0, "factor on the clearance time at Mohan-Boten, rail and road (1 = today)"),
    "sg_link_opening_year": (2026.0, 2045.0, "first year of a Vientiane-Bangkok standard-gauge freight path"),
}
TREND_VARIABLES: dict[str, tuple[float, float, str]] = {
    "base_value_usd": (1e6, 1e12, "US$ in the base year"), "growth_pct": (-50.0, 100.0, "% a year"),
    "base_year": (2015.0, 2024.0, "year"),
}


def variable_bounds(model: str) -> dict[str, tuple[float, float, str]]:
    """Shockable variables of ``model`` -> (low, high, unit) of the value they may take."""
    if model == "choice":
        from lmc.flows.choice import VARIABLES

        return dict(VARIABLES)
    if model == "ge":
        return dict(GE_VARIABLES)
    if model == "trend":
        return dict(TREND_VARIABLES)
    if model == "freight":
        return dict(FREIGHT_VARIABLES)
    if model == "railway":
        from lmc.flows.railway_finance import _raw, load_inputs

        inputs = load_inputs()
        units = {k: str(v.get("unit", "")) for k, v in _raw()["inputs"].items()}
        return {k: (lo, hi, units[k]) for k, (lo, hi) in inputs.bounds.items()}
    raise ScenarioError(unknown("model", model, MODELS))


def parameter_bounds(model: str) -> pd.DataFrame:
    """One row per shockable variable and per option of ``model``: kind, name, low, high, unit or description."""
    rows = [{"kind": "variable", "name": k, "low": lo, "high": hi, "unit": unit}
            for k, (lo, hi, unit) in variable_bounds(model).items()]
    props = OPTIONS[model].model_json_schema()["properties"]
    for k, p in props.items():
        lo = p.get("minimum", p.get("exclusiveMinimum"))
        hi = p.get("maximum", p.get("exclusiveMaximum"))
        rows.append({"kind": "option", "name": k, "low": lo, "high": hi, "unit": p.get("description", "")})
    return pd.DataFrame(rows, columns=["kind", "name", "low", "high", "unit"])


def options_schema(model: str) -> dict[str, Any]:
    """JSON schema of ``model``'s options (bounds as ``minimum``/``maximum``), e.g. for a web form."""
    return OPTIONS[model].model_json_schema()


def _shock_error(spec: ScenarioSpec, where: str, s: ShockSpec, msg: str) -> ScenarioError:
    return ScenarioError(f"scenario {spec.name}: {where}.value: {msg}")


def check_spec(spec: ScenarioSpec) -> _Options:
    """Bounds of every shock value and every option, before any model runs; returns the typed options."""
    try:
        opts = OPTIONS[spec.model](**spec.options)
    except PydanticValidationError as exc:
        e = exc.errors()[0]
        field = ".".join(str(x) for x in e["loc"]) or "options"
        if e["type"] == "extra_forbidden":
            raise ScenarioError(f"scenario {spec.name}: options.{field}: "
                                + unknown(f"{spec.model} option", field, OPTIONS[spec.model].model_fields)) from exc
        ctx = e.get("ctx") or {}
        rng = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in ctx.items() if k in ("ge", "gt", "le", "lt"))
        raise ScenarioError(f"scenario {spec.name}: options.{field}: {e['msg']}"
                            + (f" (allowed: {rng})" if rng else "") + f"; got {e.get('input')!r}") from exc
    bounds = variable_bounds(spec.model)
    for side, items in (("baseline", spec.baseline), ("shocks", spec.shocks)):
        for i, s in enumerate(items):
            where = f"{side}.{i}"
            if s.variable not in bounds:
                raise ScenarioError(f"scenario {spec.name}: {where}.variable: "
                                    + unknown("variable", s.variable, bounds))
            lo, hi, unit = bounds[s.variable]
            if s.op == "set" and not lo <= s.value <= hi:
                raise _shock_error(spec, where, s, f"{s.variable} must be between {lo:g} and {hi:g} ({unit}); "
                                                   f"got {s.value:g}")
            if s.op == "add" and abs(s.value) > hi - lo:
                raise _shock_error(spec, where, s, f"an 'add' to {s.variable} must lie between {lo - hi:g} and "
                                                   f"{hi - lo:g} ({unit}); got {s.value:g}")
            if s.op == "scale" and not 0 <= s.value <= SCALE_MAX:
                raise _shock_error(spec, where, s, f"a 'scale' factor must be between 0 and {SCALE_MAX:g}; "
                                                   f"got {s.value:g}")
            if s.range is not None:
                a, b = s.range
                if spec.model != "ge":
                    raise ScenarioError(f"scenario {spec.name}: {where}.range: only ge shocks take a range (the "
                                        f"{spec.model} model draws its own uncertain inputs)")
                if not (a <= s.value <= b and (s.op != "set" or lo <= a and b <= hi)):
                    raise ScenarioError(f"scenario {spec.name}: {where}.range: need low <= value <= high"
                                        + (f" within {lo:g} to {hi:g} ({unit})" if s.op == "set" else "")
                                        + f"; got [{a:g}, {b:g}] with value {s.value:g}")
    return opts
