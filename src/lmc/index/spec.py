"""The frozen build spec: every construction choice of an index, per stage, validated at the boundary.

``IndexSpec`` = framework + one small frozen spec per stage. ``load_pipeline`` reads the stage choices from a
pipeline YAML (format in docs/index.md); without one, COINr's defaults apply: min-max to 0-100 then a weighted
arithmetic mean that skips missing children and re-scales the remaining weights.
Option names follow the OECD/JRC handbook; COINr's function names (``n_minmax``, ``a_gmean``, ...) are accepted
as aliases so COINr users can keep their vocabulary.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

from lmc.errors import suggest
from lmc.index.errors import SpecError, finite, where
from lmc.index.framework import Framework
from lmc.index.yamlio import LineDict, load_yaml

ImputeMethod = Literal["none", "mean", "median", "latest", "linear", "constant"]
TreatMethod = Literal["none", "winsorise", "log", "boxcox"]
TreatFallback = Literal["log", "boxcox", "none"]
NormaliseMethod = Literal["none", "minmax", "zscore", "goalposts", "dist_target", "dist_max", "dist_ref", "rank",
                          "percentile", "borda", "fracmax"]
RankTies = Literal["min", "average"]
WeightsMethod = Literal["nominal", "equal", "pca"]
AggregateMethod = Literal["arithmetic", "geometric", "harmonic", "generalised", "copeland"]
StageName = Literal["denominate", "impute", "screen", "treat", "normalise", "weights", "aggregate"]

STAGES: tuple[str, ...] = get_args(StageName)
PRE_STAGES: tuple[str, ...] = ("denominate", "impute", "screen", "treat")

ALIASES: dict[str, str] = {
    "n_minmax": "minmax", "min-max": "minmax", "min_max": "minmax", "n_zscore": "zscore", "z-score": "zscore",
    "n_goalposts": "goalposts", "n_dist2targ": "dist_target", "n_dist2max": "dist_max", "n_dist2ref": "dist_ref",
    "n_rank": "rank", "n_prank": "percentile", "n_borda": "borda", "n_fracmax": "fracmax",
    "a_amean": "arithmetic", "amean": "arithmetic", "a_gmean": "geometric", "gmean": "geometric",
    "a_hmean": "harmonic", "hmean": "harmonic", "a_genmean": "generalised", "generalized": "generalised",
    "a_copeland": "copeland", "i_mean": "mean", "i_median": "median", "i_mean_grp": "mean", "i_median_grp": "median",
    "winsorize": "winsorise", "log_CT": "log", "none": "none",
}


def canonical(value: Any) -> Any:
    return ALIASES.get(value, value) if isinstance(value, str) else value


@dataclass(frozen=True)
class DenominateSpec:
    """Divide indicators by a denominator column. ``by`` overrides the framework's ``denominator`` per indicator."""

    enabled: bool = False
    by: dict[str, str] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class ImputeSpec:
    """Fill missing values: cross-section ``mean``/``median`` (optionally ``by`` a group column) or, in a panel,
    ``latest`` (last observation carried forward), ``linear`` (interpolate, constant at the ends) or
    ``constant`` (nearest observation)."""

    method: ImputeMethod = "none"
    by: str | None = None


@dataclass(frozen=True)
class ScreenSpec:
    """Drop units whose share of available indicator values is below ``min_availability`` (COINr ``byNA``)."""

    min_availability: float | None = None


@dataclass(frozen=True)
class TreatSpec:
    """Outlier treatment. ``winsorise`` is COINr's default: winsorise up to ``winmax`` points while
    |skew| >= ``skew_thresh`` and kurtosis >= ``kurt_thresh``; if it still fails, apply ``fallback`` to the
    original values (``log``: log(x - min + 0.01 (max - min)); ``boxcox``: Box-Cox with ``boxcox_lambda``)."""

    method: TreatMethod = "none"
    winmax: int = 5
    skew_thresh: float = 2.0
    kurt_thresh: float = 3.5
    fallback: TreatFallback = "log"
    boxcox_lambda: float = 0.0
    indicators: dict[str, Any] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class NormaliseSpec:
    """Normalisation of each indicator (directions applied first, except goalposts/targets which use them).

    ``minmax``: to ``range``; ``zscore``: to ``mean``/``sd``; ``goalposts``: framework goalposts, clipped, times
    ``scale``; ``dist_target``: (x - min)/(target - min), capped at 1 if ``cap``, times ``scale``; ``dist_max``:
    x / max (after min shift) times scale; ``dist_ref``: x / x[``ref`` unit] times scale; ``rank``; ``percentile``
    (percentile ranks 0-``scale``); ``borda`` (rank - 1); ``fracmax`` x / max. ``ties``: how ``rank``,
    ``percentile`` and ``borda`` rank tied values, ``min`` (COINr's default, R ``ties.method = "min"``) or
    ``average`` (mean of the tied ranks, so all-equal values sit mid-scale). ``pooled``: in a panel, compute the
    bounds over all years (fixed goalposts across years)."""

    method: NormaliseMethod = "minmax"
    range: tuple[float, float] = (0.0, 100.0)
    mean: float = 0.0
    sd: float = 1.0
    scale: float = 100.0
    cap: bool = True
    ref: str | None = None
    ties: RankTies = "min"
    pooled: bool = True
    indicators: dict[str, Any] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class WeightsSpec:
    """Weights: ``nominal`` (framework), ``equal`` (all 1) or ``pca`` (indicator weights within each parent from
    the squared loadings of the first principal component); ``values`` overrides single codes."""

    method: WeightsMethod = "nominal"
    values: dict[str, float] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class AggregateSpec:
    """Aggregation: a ``method`` for all levels, overridden ``by_level`` (level -> method) or ``by_node``
    (aggregate code -> method). ``p`` is the power of the generalised mean. ``min_availability`` gives NaN to a
    unit whose share of available children is below it (COINr ``dat_thresh``)."""

    method: AggregateMethod = "arithmetic"
    p: float = 2.0
    by_level: dict[int, str] | None = field(default=None, hash=False)
    by_node: dict[str, str] | None = field(default=None, hash=False)
    min_availability: float | None = None

    def method_for(self, code: str, level: int) -> str:
        if self.by_node and code in self.by_node:
            return self.by_node[code]
        if self.by_level and level in self.by_level:
            return self.by_level[level]
        return self.method


@dataclass(frozen=True)
class IndexSpec:
    """Everything :func:`lmc.index.build` needs besides the data. Frozen: a build is a pure function of it."""

    framework: Framework
    denominate: DenominateSpec = DenominateSpec()
    impute: ImputeSpec = ImputeSpec()
    screen: ScreenSpec = ScreenSpec()
    treat: TreatSpec = TreatSpec()
    normalise: NormaliseSpec = NormaliseSpec()
    weights: WeightsSpec = WeightsSpec()
    aggregate: AggregateSpec = AggregateSpec()
    order: tuple[str, ...] = PRE_STAGES

    def with_stage(self, stage: str, **changes: Any) -> IndexSpec:
        """A copy with one stage's options changed (validated like the YAML)."""
        cur = getattr(self, stage)
        merged = {f.name: getattr(cur, f.name) for f in fields(cur)}
        if "method" in changes:  # a new method starts from that stage's defaults
            merged = {}
        merged.update(changes)
        return replace(self, **{stage: parse_stage(stage, merged, framework=self.framework)})

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for s in STAGES:
            out[s] = {k: (list(v) if isinstance(v, tuple) else v)
                      for k, v in dataclasses.asdict(getattr(self, s)).items()}
        out["order"] = list(self.order)
        return out


_STAGE_CLASSES: dict[str, type] = {"denominate": DenominateSpec, "impute": ImputeSpec, "screen": ScreenSpec,
                                   "treat": TreatSpec, "normalise": NormaliseSpec, "weights": WeightsSpec,
                                   "aggregate": AggregateSpec}


def _literal_values(tp: Any) -> tuple[str, ...] | None:
    if typing.get_origin(tp) is Literal:
        return get_args(tp)
    return None


def parse_stage(stage: str, options: Any, *, framework: Framework | None = None, file: str | None = None,
                prefix: str = "") -> Any:
    """Validate the options of one stage (a mapping, ``true``/``false`` or a bare method name)."""
    if stage not in _STAGE_CLASSES:
        raise SpecError(f"{where(file, None, prefix + stage)}" + _unknown("stage", stage, STAGES))
    cls = _STAGE_CLASSES[stage]
    if options is None or options is True and stage != "denominate":
        return cls()
    if stage == "denominate" and isinstance(options, bool):
        return DenominateSpec(enabled=options)
    if isinstance(options, str):
        options = {"method": options}
    if isinstance(options, (int, float)) and stage == "screen":
        options = {"min_availability": options}
    if not isinstance(options, dict):
        raise SpecError(f"{where(file, None, prefix + stage)}expected a mapping of options, got {options!r}")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    kwargs: dict[str, Any] = {}
    if stage == "denominate" and "enabled" not in options:
        kwargs["enabled"] = True
    for key, value in options.items():
        line = options.line_of(key) if isinstance(options, LineDict) else None
        fname = f"{prefix}{stage}.{key}"
        if key not in names:
            raise SpecError(f"{where(file, line, fname)}" + _unknown(f"{stage} option", key, names))
        tp = hints[key]
        allowed = _literal_values(tp)
        if allowed is not None:
            value = canonical(value)
            if value not in allowed:
                raise SpecError(f"{where(file, line, fname)}" + _unknown(f"{stage} {key}", value, allowed))
        elif key == "range":
            if not (isinstance(value, (list, tuple)) and len(value) == 2):
                raise SpecError(f"{where(file, line, fname)}must be [low, high], got {value!r}")
            value = (_float(value[0], file, line, fname), _float(value[1], file, line, fname))
            if not value[1] > value[0]:
                raise SpecError(f"{where(file, line, fname)}high must exceed low, got {list(value)}")
        elif key in ("by_level",):
            value = {int(k): canonical(v) for k, v in dict(value).items()}
            for lv, m in value.items():
                if m not in get_args(AggregateMethod):
                    raise SpecError(f"{where(file, line, fname)}" + _unknown("aggregation method", m,
                                                                              get_args(AggregateMethod)))
                if framework is not None and not 2 <= lv <= framework.max_level:
                    raise SpecError(f"{where(file, line, fname)}no aggregation level {lv} (levels 2-"
                                    f"{framework.max_level})")
        elif key == "by_node":
            value = {str(k): canonical(v) for k, v in dict(value).items()}
            for code, m in value.items():
                if framework is not None and code not in framework.aggregates:
                    raise SpecError(f"{where(file, line, fname)}" + _unknown("aggregate", code, framework.aggregates))
                if m not in get_args(AggregateMethod):
                    raise SpecError(f"{where(file, line, fname)}" + _unknown("aggregation method", m,
                                                                              get_args(AggregateMethod)))
        elif key in ("indicators", "values", "by") and isinstance(value, dict):
            if framework is not None:
                valid = framework.indicators if key != "values" else framework.codes
                for code in value:
                    if code not in valid:
                        raise SpecError(f"{where(file, line, fname)}" + _unknown("code", code, valid))
            if key == "indicators":
                value = {k: v if isinstance(v, cls) else _parse_override(stage, k, v, framework, file, prefix)
                         for k, v in value.items()}
            elif key == "values":
                value = {k: _float(v, file, line, f"{fname}.{k}") for k, v in value.items()}
                for k, v in value.items():
                    if v < 0:
                        raise SpecError(f"{where(file, line, f'{fname}.{k}')}a weight must be >= 0, got {v}")
            else:
                value = {str(k): str(v) for k, v in value.items()}
        elif key in ("by", "ref"):
            value = None if value is None else str(value)
            if key == "by" and framework is not None and value is not None and framework.groups \
                    and value not in framework.groups:
                raise SpecError(f"{where(file, line, fname)}" + _unknown("group column", value, framework.groups))
        elif key in ("enabled", "cap", "pooled"):
            if not isinstance(value, bool):
                raise SpecError(f"{where(file, line, fname)}must be true or false, got {value!r}")
        elif key == "winmax":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise SpecError(f"{where(file, line, fname)}must be an integer >= 0, got {value!r}")
        else:
            value = None if value is None else _float(value, file, line, fname)
            if key in ("min_availability",) and value is not None and not 0 <= value <= 1:
                raise SpecError(f"{where(file, line, fname)}must be between 0 and 1, got {value}")
            if key in ("sd", "scale") and value is not None and value <= 0:
                raise SpecError(f"{where(file, line, fname)}must be > 0, got {value}")
            if key == "skew_thresh" and value is not None and value < 0:
                raise SpecError(f"{where(file, line, fname)}is a threshold on |skewness|: must be >= 0, got {value}")
        kwargs[key] = value
    return cls(**kwargs)


def _parse_override(stage: str, code: str, v: Any, framework: Framework | None, file: str | None,
                    prefix: str) -> Any:
    """Per-indicator options: a mapping of the stage's options or a bare method name."""
    opts = v.items() if isinstance(v, dict) else {"method": v}.items()
    return parse_stage(stage, {kk: vv for kk, vv in opts if kk != "indicators"}, framework=framework, file=file,
                       prefix=f"{prefix}{stage}.indicators.{code}.")


def _float(v: Any, file: str | None, line: int | None, fname: str) -> float:
    return finite(v, where(file, line, fname), SpecError)


def _unknown(kind: str, name: Any, valid: Any) -> str:
    valid = [str(v) for v in valid]
    return f"unknown {kind} {name!r}.{suggest(str(name), valid)} Valid: {', '.join(valid)}"


def make_spec(framework: Framework, pipeline: dict[str, Any] | None = None, *, file: str | None = None) -> IndexSpec:
    """Build an :class:`IndexSpec` from a pipeline mapping ``{stage: options, ..., order: [...]}``."""
    pipeline = pipeline or {}
    if not isinstance(pipeline, dict):
        raise SpecError(f"{where(file, None)}a pipeline must be a mapping of stages, got {type(pipeline).__name__}")
    kwargs: dict[str, Any] = {}
    for key, opts in pipeline.items():
        line = pipeline.line_of(key) if isinstance(pipeline, LineDict) else None
        if key == "order":
            order = tuple(opts or ())
            for s in order:
                if s not in PRE_STAGES:
                    raise SpecError(f"{where(file, line, 'order')}" + _unknown("pre-normalisation stage", s,
                                                                              PRE_STAGES))
            kwargs["order"] = order + tuple(s for s in PRE_STAGES if s not in order)
            continue
        if key in ("name", "description"):
            continue
        if key not in STAGES:
            raise SpecError(f"{where(file, line, key)}" + _unknown("stage", key, STAGES + ("order",)))
        kwargs[key] = parse_stage(key, opts, framework=framework, file=file)
    return IndexSpec(framework=framework, **kwargs)


def load_pipeline(path: str | Path, framework: Framework) -> IndexSpec:
    """Read a pipeline YAML into an :class:`IndexSpec` for ``framework``."""
    doc = load_yaml(path)
    return make_spec(framework, doc, file=str(path))


def default_spec(framework: Framework) -> IndexSpec:
    """COINr's defaults: min-max 0-100, weighted arithmetic mean skipping missing children."""
    return IndexSpec(framework=framework)


def coinr_example_spec(framework: Framework) -> IndexSpec:
    """COINr's ``build_example_coin()`` pipeline on the ASEM data (see the reference README)."""
    return IndexSpec(framework=framework, denominate=DenominateSpec(enabled=True),
                     impute=ImputeSpec(method="mean", by="EurAsia_group"), screen=ScreenSpec(min_availability=0.9),
                     treat=TreatSpec(method="winsorise"), order=("denominate", "impute", "screen", "treat"))
