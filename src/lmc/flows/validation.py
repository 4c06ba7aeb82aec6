"""Back-casts: every model must reproduce dated history before its scenarios are trusted.

A **back-cast** calibrates a model on information available before an event, imposes the event's observed
conditions (never its outcome), and compares the predicted median and 90% band with what was observed. It passes
when the observation lies inside the band (or, for a directional check, when the stated rule holds); the rule is
fixed in the check's code before any result is seen, and never depends on the outcome.

The checks live in a registry so that other models add theirs without touching this module::

    from lmc.flows.validation import BackCastRow, back_cast

    @back_cast("freight_route_2024", model="freight", title="Freight route shares, 2024")
    def _freight(ctx):
        ...
        return [BackCastRow(...)]

and list their module in :data:`CHECK_MODULES`. :func:`validate` runs them all (``lmc scenario validate``);
:func:`model_status` tells a scenario run whether its model passed, failed or has no back-cast (a scenario whose
model failed runs only when asked explicitly, and its report says so on the first line).
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

CHECK_MODULES: list[str] = ["lmc.flows.backcasts", "lmc.flows.backcasts_freight"]
"""Modules whose import registers back-casts (append yours)."""
MODEL_PACKAGES: dict[str, tuple[str, ...]] = {"freight": ("lmc.freight", "lmc.curated")}
"""Packages besides lmc.flows whose code and data decide a model's back-casts (they enter its fingerprint)."""
N_DRAWS = 300
"""Monte Carlo draws per back-cast (enough for stable 5th and 95th percentiles); read at call time."""
COLUMNS = ["model", "check", "event", "calibration", "quantity", "unit", "predicted_median", "predicted_p05",
           "predicted_p95", "observed", "passed", "rule", "source", "note"]


@dataclass(frozen=True)
class BackCastRow:
    """One compared quantity: what the model predicted (median, 5-95% band) and what was observed."""

    event: str
    calibration: str
    quantity: str
    unit: str
    predicted_median: float
    predicted_p05: float
    predicted_p95: float
    observed: float
    source: str
    passed: bool
    rule: str = "observed inside the 90% band"
    note: str = ""

    @staticmethod
    def banded(draws: np.ndarray, observed: float, **kw: Any) -> BackCastRow:
        """A row for the default rule: ``observed`` inside the 5-95% band of ``draws``."""
        lo, med, hi = (float(x) for x in np.percentile(np.asarray(draws, dtype=float), [5, 50, 95]))
        return BackCastRow(predicted_median=med, predicted_p05=lo, predicted_p95=hi, observed=float(observed),
                           passed=bool(lo <= observed <= hi), **kw)


@dataclass(frozen=True)
class BackCastContext:
    n_draws: int = 300
    seed: int = 0
    settings: Any = None


@dataclass(frozen=True)
class BackCast:
    id: str
    model: str
    title: str
    run: Callable[[BackCastContext], list[BackCastRow]]
    explain: Callable[[str, str], str] | None = None
    """(event, lang) -> what the model leaves out that bears on a failed row of this check ('' when it says
    nothing); shown with the failure by the CLI, the reports, the API and the web."""


REGISTRY: dict[str, BackCast] = {}


def register(check: BackCast) -> BackCast:
    """Add (or replace) a back-cast in the registry."""
    REGISTRY[check.id] = check
    return check


def back_cast(id: str, *, model: str, title: str,
              explain: Callable[[str, str], str] | None = None) -> Callable[[Callable], Callable]:
    """Decorator form of :func:`register` for a function ``(ctx) -> list[BackCastRow]``."""
    def deco(fn: Callable[[BackCastContext], list[BackCastRow]]) -> Callable:
        register(BackCast(id=id, model=model, title=title, run=fn, explain=explain))
        return fn
    return deco


def failure_reason(model: str, event: str, lang: str = "en") -> str:
    """Why ``model`` fails the back-cast ``event``, in ``lang``, as its check explains it ('' when none does)."""
    for c in checks((model,)):
        if c.explain is not None:
            text = c.explain(event, lang)
            if text:
                return text
    return ""


def checks(models: list[str] | tuple[str, ...] | None = None) -> list[BackCast]:
    for mod in CHECK_MODULES:
        importlib.import_module(mod)
    return [c for c in REGISTRY.values() if models is None or c.model in models]


NO_BACK_CAST: dict[str, str] = {
    "railway": "LCRC publishes no accounts, so no revenue, cost or cash figure exists to compare with; the traffic "
               "inputs themselves are observations (2022-2025)",
}
"""Models without a back-cast, and why."""


@dataclass(frozen=True)
class ValidationResult:
    """Every back-cast row; ``passed`` when all pass."""

    table: pd.DataFrame
    n_draws: int
    seed: int

    @property
    def passed(self) -> bool:
        return bool(len(self.table)) and bool(self.table["passed"].all())

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "n_draws": self.n_draws, "seed": self.seed,
                "checks": self.table.replace({np.nan: None}).to_dict(orient="records")}

    def failures(self) -> pd.DataFrame:
        return self.table[~self.table["passed"]]


def validate(models: list[str] | tuple[str, ...] | None = None, *, n_draws: int | None = None, seed: int = 0,
             settings=None, progress: Callable[[str], None] | None = None) -> ValidationResult:
    """Run the registered back-casts (of ``models``, or all) and collect one row per compared quantity."""
    progress = progress or (lambda _m: None)
    n_draws = n_draws or N_DRAWS
    ctx = BackCastContext(n_draws=n_draws, seed=seed, settings=settings)
    rows = []
    for c in checks(models):
        progress(f"back-cast {c.id} ({c.model}): {c.title}")
        for r in c.run(ctx):
            rows.append({"model": c.model, "check": c.id, **asdict(r)})
    table = pd.DataFrame(rows, columns=COLUMNS)
    for model in table["model"].unique():     # every run settles its models' status for later scenario runs
        _remember(model, table[table["model"] == model], n_draws, seed, settings)
    return ValidationResult(table=table, n_draws=n_draws, seed=seed)


def write_validation(result: ValidationResult, out_dir: str | Path) -> Path:
    """``validation.csv`` in ``out_dir`` (written atomically)."""
    from lmc.atomic import write_text

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "validation.csv"
    write_text(path, result.to_frame().to_csv(index=False))
    return path


# --------------------------------------------------------------------------------------------------- status
State = Literal["passed", "failed", "none"]


@dataclass(frozen=True)
class ModelStatus:
    """What a scenario report says on its first line about its model's back-casts."""

    model: str
    state: State
    n_checks: int = 0
    failed: tuple[str, ...] = ()
    rows: list[dict[str, Any]] = field(default_factory=list, compare=False)

    def line(self, label: str) -> str:
        if self.state == "none":
            return f"Validation: no back-cast exists for the {label} ({NO_BACK_CAST.get(self.model, 'no observed outcome')})."
        if self.state == "passed":
            return (f"Validation: the {label} passes its {self.n_checks} back-casts (lmc scenario validate; "
                    "bands and observations in docs/flows.md).")
        return (f"UNVALIDATED: the {label} fails {len(self.failed)} of its {self.n_checks} back-casts "
                f"({'; '.join(self.failed)}); this run was requested with --unvalidated.")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``reasons`` gives, for each failed back-cast its check explains, the explanation in English
        and Chinese."""
        reasons = {}
        for event in self.failed:
            en, zh = failure_reason(self.model, event, "en"), failure_reason(self.model, event, "zh")
            if en or zh:
                reasons[event] = {"en": en, "zh": zh}
        return {"model": self.model, "state": self.state, "n_checks": self.n_checks, "failed": list(self.failed),
                "reasons": reasons}


def _fingerprint(model: str, n_draws: int, seed: int, settings) -> str:
    """Hash of the model's registered checks, the flows code and data files, the provenance of the warehouse
    sources the model reads (:mod:`lmc.flows.inputs`) and the cache folder: a changed input, a new pull of a source
    or another home reruns."""
    from lmc.flows.inputs import fingerprint, sources_of

    ids = ",".join(sorted(f"{c.id}:{c.run.__module__}.{c.run.__qualname__}" for c in checks((model,))))
    h = hashlib.sha256(f"{model}|{n_draws}|{seed}|{ids}|{settings.cache_dir}".encode())
    for package in ("lmc.flows", *MODEL_PACKAGES.get(model, ())):
        pkg = resources.files(package)
        for folder in (pkg, pkg.joinpath("data")):
            if folder.is_dir():
                for name in sorted(p.name for p in folder.iterdir() if p.name.endswith((".py", ".yaml"))):
                    h.update(folder.joinpath(name).read_bytes())
    h.update(fingerprint(sources_of((model,)), settings).encode())
    return h.hexdigest()[:20]


_MEMO: dict[str, ModelStatus] = {}


def _status_path(model: str, key: str, settings) -> Path:
    return settings.cache_dir / "flows" / f"validation-{model}-{key}.json"


def _status(model: str, rows: list[dict[str, Any]]) -> ModelStatus:
    failed = tuple(dict.fromkeys(str(r["event"]) for r in rows if not r["passed"]))
    return ModelStatus(model=model, state="failed" if failed else "passed", n_checks=len(rows), failed=failed,
                       rows=rows)


def _remember(model: str, table: pd.DataFrame, n_draws: int, seed: int, settings) -> ModelStatus:
    """Keep ``model``'s rows as its status (memory and the cache file) for later scenario runs."""
    from lmc.atomic import write_text
    from lmc.config import get_settings

    settings = settings or get_settings()
    key = _fingerprint(model, n_draws, seed, settings)
    rows = table.replace({np.nan: None}).to_dict(orient="records")
    status = _MEMO[key] = _status(model, rows)
    try:
        path = _status_path(model, key, settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps({"model": model, "rows": rows}, default=float))
    except OSError:
        pass  # a read-only home still gets the status, just not the cache
    return status


def model_status(model: str, *, n_draws: int | None = None, seed: int = 0, settings=None) -> ModelStatus:
    """The back-cast status of ``model``, computed once per set of inputs and cached (memory, then
    ``<LMC_HOME>/cache/flows/validation-<model>-<hash>.json``; ``lmc scenario validate`` fills both)."""
    from lmc.config import get_settings

    if not checks((model,)):
        return ModelStatus(model=model, state="none")
    settings = settings or get_settings()
    n_draws = n_draws or N_DRAWS
    key = _fingerprint(model, n_draws, seed, settings)
    if key in _MEMO:
        return _MEMO[key]
    path = _status_path(model, key, settings)
    if path.is_file():
        try:
            status = _MEMO[key] = _status(model, json.loads(path.read_text(encoding="utf-8"))["rows"])
            return status
        except (OSError, ValueError, KeyError):
            pass
    validate((model,), n_draws=n_draws, seed=seed, settings=settings)
    return _MEMO[key]
