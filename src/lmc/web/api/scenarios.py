"""``/api/v1/scenarios``: list the built-in what-if scenarios, show one, and run it with adjusted shocks.

A run is checked before any work: each changed shock value must lie in its range (:func:`lmc.web.bounds.shock_range`,
listed per shock by ``GET /scenarios/{name}``) and the adjusted scenario must validate against the flows schema
(422 ``out_of_range`` otherwise, with the allowed range); draws are at most :data:`MAX_DRAWS`. The run itself goes
to the worker pool (:mod:`lmc.web.workers`: CPU, memory and time limits; 429 when every slot is taken) and writes
nothing. Results are kept in memory per adjusted scenario, so the pages of one result (``page``, ``page_size``:
every table is paged alike) and a shared link cost one run.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from lmc.web.api.deps import check_found
from lmc.web.api.envelope import ERRORS, Paging, single
from lmc.web.bounds import check_declared, draws_range, shock_range
from lmc.web.errors import BadParameter, OutOfRange
from lmc.web.jobs import MAX_RESULT_ROWS

router = APIRouter(tags=["scenarios"])

MAX_DRAWS = 2000
MIN_DRAWS = 10
RUN_PAGE_SIZE = 200
MAX_RUN_PAGE_SIZE = 1000


class ShockChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    index: int = Field(ge=0, le=50, description="Position of the shock in the scenario's `shocks` list.")
    value: float = Field(allow_inf_nan=False, description="The shock's new value (same units and op as declared), "
                                                          "within the shock's `range` (GET /scenarios/{name}).")


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    shocks: list[ShockChange] = Field(default=[], max_length=20)
    draws: int | None = Field(default=None, ge=MIN_DRAWS, le=MAX_DRAWS, description="Monte Carlo draws (bounded).")


def scenario_names() -> list[str]:
    from lmc.flows.scenarios import builtin_names

    return builtin_names()


def scenario_spec(name: str):
    from lmc.flows.scenarios import load_scenario

    check_found("scenario", name, scenario_names())
    return load_scenario(name)


def spec_dict(spec) -> dict[str, Any]:
    """The scenario as JSON, each shock with its index and allowed ``range`` ({min, max})."""
    d = spec.model_dump(mode="json")
    d["shocks"] = [{"index": i, **s, "range": {"min": (r := shock_range(spec.model, sh)).lo, "max": r.hi}}
                   for i, (s, sh) in enumerate(zip(d["shocks"], spec.shocks))]
    return d


def adjusted(spec, changes: list[ShockChange], draws: int | None):
    """The scenario with some shock values replaced and the draws bounded, validated again by the flows schema
    and its rules. Raises :class:`OutOfRange` (422) naming the shock or option and its allowed range."""
    from lmc.flows.errors import ScenarioError
    from lmc.flows.scenarios import ScenarioSpec

    shocks = list(spec.shocks)
    for c in changes:
        if c.index >= len(shocks):
            raise BadParameter(f"shock index {c.index}: scenario {spec.name} has {len(shocks)} shocks"
                               + (f" (0-{len(shocks) - 1})." if shocks else "."))
        s = shocks[c.index]
        rng = shock_range(spec.model, s)
        if not rng.admits(c.value):
            raise OutOfRange(f"shock {c.index} ({s.variable}, op {s.op}): {c.value:g} is out of range; allowed "
                             f"{rng.describe()}.")
        shocks[c.index] = s.model_copy(update={"value": float(c.value)})
    options = dict(spec.options)
    allowed = draws_range(spec.model, MAX_DRAWS)
    if draws is not None:
        if not allowed.admits(draws):
            raise OutOfRange(f"draws: {draws} is out of range for a {spec.model} scenario; allowed "
                             f"{allowed.describe()}.")
        options["draws"] = draws
    elif "draws" in options:  # the scenario's own number, within the web's limit
        options["draws"] = int(min(options["draws"], MAX_DRAWS))
    try:
        new = ScenarioSpec.model_validate({**spec.model_dump(), "shocks": [s.model_dump() for s in shocks],
                                           "options": options})
        check_declared(new)
    except PydanticValidationError as exc:  # a bound or rule the flows schema declares
        e = exc.errors()[0]
        where = ".".join(str(x) for x in e["loc"])
        raise OutOfRange(f"scenario {spec.name}: {where}: {e['msg']}.") from None
    except ScenarioError as exc:  # a rule of lmc.flows (check_spec): its message names field and range
        raise OutOfRange(str(exc)) from None
    return new


async def run_bounded(app, name: str, req: RunRequest) -> dict[str, Any]:
    """Check, then run in the worker pool (or take the kept result of the same adjusted scenario)."""
    spec = adjusted(scenario_spec(name), req.shocks, req.draws)
    state = app.state
    return await state.results.get(("scenario", spec.model_dump_json()),
                                   lambda: state.pool.run("lmc.web.jobs:scenario", spec.model_dump(),
                                                          state.job_settings))


def result_page(result: dict[str, Any], page: int, page_size: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """One page of every table of a run result (``summary`` and ``tables``), and the paging meta."""
    start = (page - 1) * page_size
    rows = result["rows"]
    data = {k: v for k, v in result.items() if k != "rows"}
    data["summary"] = result["summary"][start:start + page_size]
    data["tables"] = {k: v[start:start + page_size] for k, v in result["tables"].items()}
    meta = {"page": page, "page_size": page_size,
            "pages": max([1, *(math.ceil(min(n, MAX_RESULT_ROWS) / page_size) for n in rows.values())]),
            "rows": rows, "max_rows": MAX_RESULT_ROWS}
    return data, meta


async def run_paging(page: int = Query(1, ge=1, le=1000, description="Page of every result table, from 1."),
                     page_size: int = Query(RUN_PAGE_SIZE, ge=1, le=MAX_RUN_PAGE_SIZE,
                                            description=f"Rows per table and page (default {RUN_PAGE_SIZE}).")
                     ) -> Paging:
    return Paging(page, page_size)


@router.get("/scenarios", summary="Built-in scenarios", responses=ERRORS)
def scenarios():
    """``name, model, year, title`` of every built-in scenario."""
    from lmc.flows.scenarios import list_scenarios

    return single(list_scenarios().to_dict(orient="records"), source="lmc.flows scenarios/*.yaml")


@router.get("/scenarios/{name}", summary="One scenario: description, shocks with their ranges, assumptions",
            responses=ERRORS)
def scenario(name: str = Path(..., max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")):
    return single(spec_dict(scenario_spec(name)))


@router.post("/scenarios/{name}/run", summary="Run a scenario with adjusted shocks (bounded)",
             responses={**ERRORS, 429: ERRORS[400] | {"description": "Every worker is busy; see Retry-After."},
                        504: ERRORS[400] | {"description": "Time limit passed."}})
async def run(request: Request, req: RunRequest,
              name: str = Path(..., max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$"),
              paging: Paging = Depends(run_paging)):
    """Body: ``{"shocks": [{"index": 0, "value": -2.0}], "draws": 200}``. Each value must lie in its shock's
    ``range`` (422 otherwise, before anything runs). Returns headline numbers, the summary table and the model's
    tables, a page of each (``meta.rows``: the rows of each table, at most ``meta.max_rows`` kept). Nothing is
    written to disk."""
    result = await run_bounded(request.app, name, req)
    data, meta = result_page(result, paging.page, paging.page_size)
    return single(data, **meta)
