"""Property-based run of schemathesis against the app's OpenAPI spec (bounded: a few examples per operation).

Every generated request must get a documented status with a body that matches the documented schema - the error
envelope included - and never a 500. Errors must use the one envelope (documented for 400/404/422/429/503/504).
The GET operations are driven with valid data; the scenario run (POST, the one expensive operation) gets a bounded
test of its own: at most 3 valid bodies actually run (one cheap scenario, at most 20 draws), plus invalid bodies and
names (422/404, nothing runs) and one request while another run holds the slot (429). (schemathesis' pytest plugin
does not load under this pytest, so the operations are driven through their Hypothesis strategies directly.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.internal.conjecture import providers as hypothesis_providers
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

MAX_EXAMPLES = 6  # per operation; ~25 operations -> about 150 requests in a few seconds
RUN_PATH = "/api/v1/scenarios/{name}/run"
CHEAP_SCENARIO = "railway-travel-time"  # one shock, a logit model: a 20-draw run takes well under a second
MAX_RUNS = 3  # valid bodies that actually run the model
MAX_RUN_DRAWS = 20
ERROR_CODES = {400: {"invalid_parameter"}, 404: {"not_found"}, 422: {"invalid_parameter", "out_of_range"},
               429: {"busy"}}


@pytest.fixture(autouse=True)
def _examples_independent_of_imports(monkeypatch):
    """Make the derandomised examples depend on the test alone. Hypothesis mixes into its draws a pool of constants
    read from every *local* module imported so far (``_get_local_constants``), so with ``derandomize=True`` the
    examples still changed with whichever tests pytest-xdist had run earlier in the worker. The pool is emptied
    (and its cache cleared) for these tests; if Hypothesis renames it, this fails loudly rather than going flaky."""
    monkeypatch.setattr(hypothesis_providers, "_get_local_constants", hypothesis_providers.Constants)
    hypothesis_providers.CONSTANTS_CACHE.cache.clear()
    yield
    hypothesis_providers.CONSTANTS_CACHE.cache.clear()


def test_api_conforms_to_its_openapi_spec(app):
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    ran = 0
    for result in schema.get_all_operations():
        op = result.ok()
        if op.method.upper() == "POST":
            continue
        ran += 1

        @given(case=op.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            # Filters name units, years and pillars that exist only in the build, so a schema-valid but unknown
            # value gets a documented 400 with a did-you-mean; the "valid data is accepted" check is left out.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            check()
        except BaseException as exc:  # noqa: BLE001 - FailureGroup is a BaseExceptionGroup; collect every operation's failure, then report them together
            failures.append(f"{op.method.upper()} {op.path}: {type(exc).__name__}: {str(exc)[:600]}")
    assert ran >= 20
    assert not failures, "\n\n".join(failures)


def _run_operation(app):
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    ops = [r.ok() for r in schema.get_all_operations()]
    found = [op for op in ops if op.method.upper() == "POST" and op.path.endswith("/scenarios/{name}/run")]
    assert len(found) == 1, [f"{op.method} {op.path}" for op in ops if op.method.upper() == "POST"]
    return found[0]


def _assert_envelope(response, allowed: set[int]) -> None:
    """A documented status; an error is exactly ``{"error": {"status", "code", "message"}}`` and agrees with it."""
    assert response.status_code in allowed, (response.status_code, response.text[:300])
    body = response.json()
    if response.status_code == 200:
        assert set(body) == {"data", "meta"} and {"headline", "summary", "tables"} <= set(body["data"])
        return
    assert set(body) == {"error"}, body
    err = body["error"]
    assert set(err) == {"status", "code", "message"}, err
    assert err["status"] == response.status_code and err["code"] in ERROR_CODES[response.status_code]
    assert isinstance(err["message"], str) and err["message"].strip()


def test_scenario_run_valid_bodies_conform(app):
    """Valid bodies (any shock list, bounded draws) on a real scenario: 200 with the result, or 400 for a shock
    index the scenario does not have; the response matches the spec. At most MAX_RUNS model runs."""
    op = _run_operation(app)
    statuses: list[int] = []

    @given(case=op.as_strategy(GenerationMode.POSITIVE, path_parameters={"name": CHEAP_SCENARIO}))
    @settings(max_examples=MAX_RUNS, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        assert isinstance(case.body, dict)
        draws = case.body.get("draws")
        case.body["draws"] = min(draws, MAX_RUN_DRAWS) if isinstance(draws, int) else MAX_RUN_DRAWS
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
        _assert_envelope(response, {200, 400})
        statuses.append(response.status_code)

    check()
    assert 1 <= len(statuses) <= MAX_RUNS and 200 in statuses


def test_scenario_run_invalid_requests_are_rejected_in_the_envelope(app):
    """Schema-invalid bodies or names: 422 (or 404 for a well-formed unknown name), in the error envelope, and
    no model run (the run slot stays free). Bodies that are not JSON at all - including bytes that are not UTF-8,
    which FastAPI alone would answer with a bare 400 - are 422 too (see the test below)."""
    op = _run_operation(app)
    statuses: list[int] = []
    jobs = app.state.pool.jobs

    @given(case=op.as_strategy(GenerationMode.NEGATIVE))
    @settings(max_examples=8, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
        _assert_envelope(response, {404, 422})
        statuses.append(response.status_code)

    check()
    assert 422 in statuses
    assert app.state.pool.jobs == jobs  # nothing ran


def test_scenario_run_while_busy_is_429(web_settings, built_out):
    """A run while a job holds the one worker slot gets the documented 429 in the envelope, with Retry-After,
    and nothing runs."""
    import asyncio
    import threading
    import time

    from lmc.web.app import create_app

    app = create_app(web_settings, out_dir=built_out, workers=1)
    pool = app.state.pool
    holder = threading.Thread(target=lambda: asyncio.run(pool.run("time:sleep", 3)))
    holder.start()
    try:
        deadline = time.monotonic() + 30
        while pool.busy == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        op = _run_operation(app)
        case = op.Case(path_parameters={"name": CHEAP_SCENARIO}, body={"draws": 10}, media_type="application/json")
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    finally:
        holder.join()
        pool.close()
    _assert_envelope(response, {429})
    retry = response.headers["retry-after"]  # schemathesis keeps each header as a list of values
    assert int(retry[0] if isinstance(retry, list) else retry) > 0
    assert "retry in a few seconds" in response.json()["error"]["message"]
    assert pool.jobs == 1  # the holder's only


@pytest.mark.parametrize("body, why", [
    (b"{", "Expecting property name"),            # JSON syntax error (FastAPI: RequestValidationError)
    (b'{"draws": 20,}', "Expecting property name"),
    (b'"\xc3"', "not UTF-8"),                      # FastAPI alone: 400 "There was an error parsing the body"
    (b"R\x9a", "not UTF-8"),                       # a body Hypothesis draws in NEGATIVE mode
    (b"[" * 100_000, "nested too deeply"),          # RecursionError in json.loads: FastAPI alone gives 400 too
])
def test_scenario_run_malformed_body_is_422_in_the_envelope(app, body, why):
    """Every body that cannot be decoded as JSON gets the same answer: 422 invalid_parameter in the envelope,
    with a message saying what is wrong with the body; nothing runs."""
    op = _run_operation(app)
    jobs = app.state.pool.jobs
    case = op.Case(path_parameters={"name": CHEAP_SCENARIO}, body=body, media_type="application/json")
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    _assert_envelope(response, {422})
    message = response.json()["error"]["message"]
    assert message.startswith("request body: not valid JSON") and why in message, message
    assert app.state.pool.jobs == jobs  # nothing ran
