"""The jobs the web app hands to its worker processes (:mod:`lmc.web.workers`): a scenario run and a manual's PDF.

They run in a forked, limited process and return plain, picklable values. Results are capped here, in the worker,
so that no run can send the server more than :data:`MAX_RESULT_ROWS` rows per table; the API and the page show
them a page at a time.
"""

from __future__ import annotations

import logging
from typing import Any

from lmc.flows.errors import ConvergenceError, GravityDataError
from lmc.flows.scenarios import ScenarioSpec, run_scenario
from lmc.web.errors import ModelFailed

log = logging.getLogger("lmc.web.jobs")

MAX_RESULT_ROWS = 10_000
"""Rows kept per result table (the true count is reported beside it)."""


def _capped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return rows[:MAX_RESULT_ROWS]


def scenario(spec: dict[str, Any], settings) -> dict[str, Any]:
    """Run a (validated) scenario in memory: headline, summary table and model tables, with row counts."""
    s = ScenarioSpec.model_validate(spec)
    try:
        # a model that fails its back-cast still runs on the web; the result says so first (validation)
        res = run_scenario(s, None, settings=settings, unvalidated=True)
    except (GravityDataError, ConvergenceError) as exc:
        log.warning("scenario %s: %s", s.name, exc)  # the PPML/solver detail stays in the server log
        raise ModelFailed(f"the {s.model} model of scenario {s.name} could not be estimated or solved for these "
                          f"values; try values closer to the scenario's own.") from None
    d = res.to_dict()
    summary = res.summary_frame()
    d["summary"] = summary.astype(object).where(summary.notna(), None).to_dict(orient="records")
    d["rows"] = {"summary": len(d["summary"]), **{k: len(v) for k, v in d["tables"].items()}}
    d["summary"] = _capped(d["summary"])
    d["tables"] = {k: _capped(v) for k, v in d["tables"].items()}
    d.pop("files", None)  # nothing is written
    return d


def guide_pdf(iso3: str, lang: str, url_pattern: str) -> bytes:
    """One traveller manual as an A5 PDF booklet (its QR code points at ``url_pattern``)."""
    from lmc.guides import load_guide, localise
    from lmc.guides.render import render_pdf

    data, _ = render_pdf(localise(load_guide(iso3), lang), url_pattern_=url_pattern)
    return data
