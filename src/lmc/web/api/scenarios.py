"""``/api/v1/scenarios``: list the built-in what-if scenarios, show one, and run it with adjusted shocks.

Runs are bounded: at most :data:`MAX_DRAWS` Monte Carlo draws, one run at a time (a second concurrent request gets
429), and a wall-clock limit of :data:`TIMEOUT_S` seconds (504). A run writes nothing: the result is computed in
memory (``run_scenario(spec, out_dir=None)``) and returned.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from lmc.errors import LmcError
from lmc.web.api.deps import check_found
from lmc.web.api.envelope import ERRORS, single

router = APIRouter(tags=["scenarios"])

MAX_DRAWS = 2000
TIMEOUT_S = 60.0
_running = threading.Semaphore(1)


class Busy(LmcError):
    """Another scenario is running (HTTP 429)."""


class TooSlow(LmcError):
    """The run passed the time limit (HTTP 504)."""


class ShockChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    index: int = Field(ge=0, le=50, description="Position of the shock in the scenario's `shocks` list.")
    value: float = Field(ge=-1e13, le=1e13, description="The shock's new value (same units and op as declared).")


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shocks: list[ShockChange] = Field(default=[], max_length=20)
    draws: int | None = Field(default=None, ge=10, le=MAX_DRAWS, description="Monte Carlo draws (bounded).")


def scenario_names() -> list[str]:
    from lmc.flows.scenarios import builtin_names

    return builtin_names()


def scenario_spec(name: str):
    from lmc.flows.scenarios import load_scenario

    check_found("scenario", name, scenario_names())
    return load_scenario(name)


def spec_dict(spec) -> dict[str, Any]:
    d = spec.model_dump(mode="json")
    d["shocks"] = [{"index": i, **s} for i, s in enumerate(d["shocks"])]
    return d


def adjusted(spec, changes: list[ShockChange], draws: int | None):
    """The scenario with some shock values replaced and the draws bounded; names are re-checked by the run."""
    from lmc.errors import ValidationError

    shocks = list(spec.shocks)
    for c in changes:
        if c.index >= len(shocks):
            raise ValidationError(f"shock index {c.index}: scenario {spec.name} has {len(shocks)} shocks "
                                  f"(0-{len(shocks) - 1}).")
        shocks[c.index] = shocks[c.index].model_copy(update={"value": float(c.value)})
    options = dict(spec.options)
    wanted = draws if draws is not None else options.get("draws")
    if wanted is not None:
        options["draws"] = int(min(max(int(wanted), 10), MAX_DRAWS))
    return spec.model_copy(update={"shocks": shocks, "options": options})


def _run_sync(spec, settings) -> dict[str, Any]:
    from lmc.flows.scenarios import run_scenario

    try:
        # a model failing a back-cast still runs here; its result says so (validation, report's first line)
        res = run_scenario(spec, None, settings=settings, unvalidated=True)
    finally:
        _running.release()
    d = res.to_dict()
    d["summary"] = res.summary_frame().replace({float("nan"): None}).to_dict(orient="records")
    d["tables"] = {k: v[:200] for k, v in d["tables"].items()}  # bounded response
    return d


async def run_bounded(name: str, req: RunRequest, settings) -> dict[str, Any]:
    """Validate, run off the event loop, bound by one-at-a-time and :data:`TIMEOUT_S`."""
    spec = adjusted(scenario_spec(name), req.shocks, req.draws)
    if not _running.acquire(blocking=False):
        raise Busy("another scenario is running; try again in a few seconds.")
    try:
        task = asyncio.to_thread(_run_sync, spec, settings)
    except BaseException:
        _running.release()
        raise
    try:
        return await asyncio.wait_for(task, TIMEOUT_S)
    except asyncio.TimeoutError:
        raise TooSlow(f"scenario {name} took longer than {TIMEOUT_S:.0f} s; lower `draws`.") from None


@router.get("/scenarios", summary="Built-in scenarios", responses=ERRORS)
def scenarios():
    """``name, model, year, title`` of every built-in scenario."""
    from lmc.flows.scenarios import list_scenarios

    return single(list_scenarios().to_dict(orient="records"), source="lmc.flows scenarios/*.yaml")


@router.get("/scenarios/{name}", summary="One scenario: description, shocks, assumptions", responses=ERRORS)
def scenario(name: str = Path(..., max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")):
    return single(spec_dict(scenario_spec(name)))


@router.post("/scenarios/{name}/run", summary="Run a scenario with adjusted shocks (bounded)",
             responses={**ERRORS, 429: ERRORS[400] | {"description": "Another run in progress."},
                        504: ERRORS[400] | {"description": "Time limit passed."}})
async def run(request: Request, req: RunRequest,
              name: str = Path(..., max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")):
    """Body: ``{"shocks": [{"index": 0, "value": -2.0}], "draws": 200}``. Returns headline numbers, the summary
    table and the model's tables (first 200 rows each). Nothing is written to disk."""
    return single(await run_bounded(name, req, request.app.state.settings))
