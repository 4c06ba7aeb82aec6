"""Hardening of the app (issue 15, web half), in process: bounded scenario input (422 with the range, before any
work), paged and capped results, JSON without NaN/Inf, relative links that ignore the Host header, error bodies
without server paths, PIDs or library internals, stated fallbacks for missing UNESCO sites, and no disk cache
written by the corridor pages. The server-in-a-subprocess cases (memory, lock, 429 under load, files written) are
in tests/faults/test_web_server.py."""

from __future__ import annotations

import math
import re

import pytest

from lmc.flows.scenarios import builtin_names, load_scenario
from lmc.web.bounds import shock_range


def _err(r) -> dict:
    body = r.json()
    assert set(body) == {"error"} and body["error"]["status"] == r.status_code, body
    return body["error"]


# ------------------------------------------------------------------------------------------------ bounded input
CASES = [(n, i) for n in builtin_names() for i in range(len(load_scenario(n).shocks))]


@pytest.mark.parametrize("name, index", CASES)
def test_every_shock_out_of_its_range_is_422_with_the_range_and_runs_nothing(client, app, name, index):
    spec = load_scenario(name)
    rng = shock_range(spec.model, spec.shocks[index])
    assert rng.bounded
    jobs = app.state.pool.jobs
    for value in (rng.hi + max(1.0, abs(rng.hi)), rng.lo - max(1.0, abs(rng.lo)), 1e308, -1e308):
        r = client.post(f"/api/v1/scenarios/{name}/run", json={"shocks": [{"index": index, "value": value}]})
        assert r.status_code == 422, r.text
        e = _err(r)
        assert e["code"] == "out_of_range" and f"allowed from {rng.lo:.12g} to {rng.hi:.12g}" in e["message"]
    assert app.state.pool.jobs == jobs


@pytest.mark.parametrize("query", [
    "s2=-10000000",  # the issue: drove the server to 10.4 GB
    "s2=-1e5",       # the issue: a 19 MB page with 102,000 rows
    "s1=-200",       # growth of -200 % a year
    "s0=1e308",
])
def test_the_hostile_scenario_links_of_the_issue_answer_422_at_once(client, app, query):
    jobs = app.state.pool.jobs
    r = client.get(f"/scenarios?name=lao-exports-20pct&run=1&{query}&lang=en")
    assert r.status_code == 422
    assert "out of range; allowed from" in r.text and len(r.content) < 100_000
    assert 'id="scenario-result"' not in r.text and app.state.pool.jobs == jobs


@pytest.mark.parametrize("query, needle", [
    ("s0=abc", "is not a number"), ("s0=inf", "is not a number"), ("s0=nan", "is not a number"),
    ("draws=100000", "allowed from 10 to 2000"), ("draws=-1", "allowed from 10 to 2000"),
])
def test_scenario_form_rejects_non_numbers_and_bad_draws(client, app, query, needle):
    jobs = app.state.pool.jobs
    r = client.get(f"/scenarios?name=railway-travel-time&run=1&{query}&lang=en")
    assert r.status_code == 422 and needle in r.text
    assert app.state.pool.jobs == jobs


def test_scenario_form_and_api_show_each_shocks_range(client):
    spec = load_scenario("lao-exports-20pct")
    ranges = [shock_range(spec.model, s) for s in spec.shocks]
    html = client.get("/scenarios?name=lao-exports-20pct&lang=en").text
    for i, r in enumerate(ranges):
        assert f'name="s{i}" value="{spec.shocks[i].value}" min="{r.lo}" max="{r.hi}"' in html
    shocks = client.get("/api/v1/scenarios/lao-exports-20pct").json()["data"]["shocks"]
    assert [s["range"] for s in shocks] == [{"min": r.lo, "max": r.hi} for r in ranges]
    assert ranges[2].lo >= 2015 and ranges[2].hi <= 2040  # base_year: the trend model's years


@pytest.mark.parametrize("method, url, body, needle", [
    ("get", "/api/v1/scores?page_size=0", None, "parameter 'page_size': 0 is out of range; allowed from 1 to 5000"),
    ("get", "/api/v1/routes/access?station=VTE&date=2026-06-01&budget=5", None, "allowed from 10 to 1440"),
    ("post", "/api/v1/scenarios/railway-travel-time/run", {"draws": 5}, "allowed from 10 to 2000"),
    ("post", "/api/v1/scenarios/railway-travel-time/run", {"shocks": [{"index": 99, "value": 1}]},
     "parameter 'shocks.0.index': 99 is out of range; allowed from 0 to 50"),
])
def test_422_names_the_whole_allowed_range(client, method, url, body, needle):
    r = getattr(client, method)(url, **({"json": body} if body is not None else {}))
    assert r.status_code == 422
    e = _err(r)
    assert e["code"] == "out_of_range" and needle in e["message"], e


def test_bounds_declared_in_the_flows_schema_apply_without_a_web_change(monkeypatch):
    """When lmc.flows declares a bound (Field(ge, le) on ShockSpec.value, or any rule of ScenarioSpec), the web
    applies it: the form's range narrows, and a value the schema refuses is 422 before any work."""
    from pydantic import Field, model_validator

    import lmc.flows.scenarios as flows
    import lmc.web.bounds as bounds
    from lmc.web.api.scenarios import ShockChange, adjusted
    from lmc.web.errors import OutOfRange

    class synthetic_BoundedShock(flows.ShockSpec):
        value: float = Field(ge=-5, le=5)

    monkeypatch.setattr(bounds, "ShockSpec", synthetic_BoundedShock)
    shock = load_scenario("railway-travel-time").shocks[0]  # travel_time_h, add: at most 72 either way
    r = shock_range("choice", shock)
    assert (r.lo, r.hi) == (-5, 5)

    class synthetic_StrictSpec(flows.ScenarioSpec):
        @model_validator(mode="after")
        def _small(self):
            if any(abs(s.value) > 2 for s in self.shocks):
                raise ValueError("synthetic rule: |value| at most 2")
            return self

    monkeypatch.setattr(flows, "ScenarioSpec", synthetic_StrictSpec)
    spec = load_scenario("railway-travel-time")
    assert adjusted(spec, [ShockChange(index=0, value=-1.5)], 20).shocks[0].value == -1.5
    with pytest.raises(OutOfRange, match="synthetic rule"):
        adjusted(spec, [ShockChange(index=0, value=-3)], 20)


def test_variable_ranges_options_and_rules_of_lmc_flows_schema_replace_the_web_fallback(monkeypatch):
    """Where lmc.flows.schema declares a variable's range, an options model and check_spec, the web uses them
    (not its fallback): the shock's range, the draws allowed and every rule, all 422 before any work."""
    from types import SimpleNamespace

    from pydantic import BaseModel, Field

    import lmc.web.bounds as bounds
    from lmc.flows.errors import ScenarioError
    from lmc.web.api.scenarios import ShockChange, adjusted, spec_dict
    from lmc.web.errors import OutOfRange

    class synthetic_TrendOptions(BaseModel):
        draws: int | None = Field(None, ge=0, le=500)

    def check_spec(spec):
        if spec.shocks[1].value == 42:
            raise ScenarioError(f"scenario {spec.name}: shocks.1.value: synthetic rule against 42")

    schema = SimpleNamespace(variable_bounds=lambda model: {"base_year": (2015.0, 2024.0, "year")},
                             SCALE_MAX=100.0, OPTIONS={"trend": synthetic_TrendOptions}, check_spec=check_spec)
    monkeypatch.setattr(bounds, "_flows_schema", lambda: schema)
    spec = load_scenario("lao-exports-20pct")
    ranges = [s["range"] for s in spec_dict(spec)["shocks"]]
    assert ranges[2] == {"min": 2015, "max": 2024}  # declared by lmc.flows, not the web's 2015-2040
    assert ranges[1] == {"min": -99, "max": 200}  # not declared there: the web fallback
    with pytest.raises(OutOfRange, match="allowed from 2015 to 2024"):
        adjusted(spec, [ShockChange(index=2, value=2030)], None)
    with pytest.raises(OutOfRange, match="allowed from 1 to 500"):
        adjusted(spec, [], 1000)
    with pytest.raises(OutOfRange, match="synthetic rule against 42"):
        adjusted(spec, [ShockChange(index=1, value=42)], None)
    assert adjusted(spec, [ShockChange(index=2, value=2020)], 300).options["draws"] == 300


# ------------------------------------------------------------------------------------------------ capped, paged
def test_run_results_are_paged_alike_for_every_table(client):
    url = "/api/v1/scenarios/lao-exports-20pct/run"
    full = client.post(f"{url}?page_size=1000", json={}).json()
    n = full["meta"]["rows"]["summary"]
    assert n == len(full["data"]["summary"]) > 5 and full["meta"]["pages"] == 1
    seen, page = [], 1
    while True:
        r = client.post(f"{url}?page_size=5&page={page}", json={}).json()
        assert len(r["data"]["summary"]) <= 5 and r["meta"]["pages"] == math.ceil(max(r["meta"]["rows"].values()) / 5)
        seen += r["data"]["summary"]
        if page >= r["meta"]["pages"]:
            break
        page += 1
    assert seen == full["data"]["summary"]


def test_result_tables_are_capped_in_the_worker(monkeypatch, web_settings):
    import lmc.web.jobs as jobs

    monkeypatch.setattr(jobs, "MAX_RESULT_ROWS", 3)
    d = jobs.scenario(load_scenario("lao-exports-20pct").model_dump(), web_settings)
    assert len(d["summary"]) == 3 and d["rows"]["summary"] > 3
    assert all(len(v) <= 3 for v in d["tables"].values())
    assert d["rows"]["path"] == d["rows"]["summary"]


def test_scenario_page_shows_its_table_a_page_at_a_time(client, monkeypatch):
    import lmc.web.pages as pages

    monkeypatch.setattr(pages, "SCENARIO_PAGE_ROWS", 5)
    first = client.get("/scenarios?name=lao-exports-20pct&run=1&lang=en")
    assert first.status_code == 200 and "Rows 1–5 of" in first.text
    assert first.text.count("<tr>") >= 5
    nxt = re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1)
    assert nxt.startswith("/scenarios?") and "page=2" in nxt
    second = client.get(nxt.replace("&amp;", "&"))
    assert "Rows 6–10 of" in second.text and 'rel="prev"' in second.text


# ------------------------------------------------------------------------------------------------ JSON, links
def test_non_finite_numbers_are_null_in_json_and_empty_in_csv():
    from lmc.web.api.envelope import FastJSON, to_csv

    assert FastJSON({}).render({"a": math.nan, "b": [math.inf, 1.5, -math.inf], "c": {"d": math.nan}}) == \
        b'{"a":null,"b":[null,1.5,null],"c":{"d":null}}'
    assert to_csv([{"x": math.inf, "y": 2.0}, {"x": math.nan, "y": None}]) == "x,y\n,2.0\n,\n"


HOST = "evil.example:6666"


def test_links_are_relative_and_never_echo_the_host_header(client):
    from lmc.web.pages import PAGES

    for path in [*PAGES, "/country/LAO", "/pair/CHN-LAO", "/api/docs", "/scenarios?name=railway-travel-time"]:
        r = client.get(path, headers={"host": HOST})
        assert r.status_code == 200 and "evil.example" not in r.text, path
    html = client.get("/explorer?level=pair&lang=en", headers={"host": HOST}).text
    assert 'href="/explorer?level=pair&amp;lang=zh"' in html  # the language link: relative, the query kept
    body = client.get("/api/v1/scores?page_size=10&page=2", headers={"host": HOST}).json()
    links = body["links"]
    assert links["self"] == "/api/v1/scores?page_size=10&page=2"
    assert links["next"] == "/api/v1/scores?page_size=10&page=3" and links["prev"].endswith("page=1")


# ------------------------------------------------------------------------------------------------ error bodies
def test_public_messages_withhold_paths_pids_and_lock_text():
    from lmc.errors import WarehouseError
    from lmc.web.errors import WAREHOUSE_BUSY, is_lock_error, public_message

    lock = ('cannot open the warehouse /work/x/.lmc/warehouse.duckdb: IO Error: Could not set lock on file '
            '"/work/x/.lmc/warehouse.duckdb": Conflicting lock is held in /usr/bin/python3.11 (PID 4242) by user '
            'root. See also https://duckdb.org/docs/connect/concurrency')
    assert public_message(lock) == WAREHOUSE_BUSY
    assert is_lock_error(WarehouseError(lock))
    assert is_lock_error(WarehouseError("the warehouse /w.duckdb is busy: another lmc process is writing it"))
    assert not is_lock_error(WarehouseError("unknown warehouse table 'x'. Valid: provenance"))
    msg = public_message("GTFS feed /work/wt/src/lmc/corridor/feed does not exist (worker PID 77).")
    assert msg == "GTFS feed [path withheld] does not exist (worker)."
    assert public_message("held by (PID 12) and pid=13") == "held by and"
    kept = "see /api/v1/scores and https://example.org/a/b, 3 km/h, CHN/LAO"
    assert public_message(kept) == kept


def _no_internals(text: str, *paths) -> None:
    for p in paths:
        assert str(p) not in text
    assert not re.search(r"(?<![\w.])/(work|tmp|root|home|usr|etc)/", text), text
    for word in ("PID", "Traceback", ".py\"", "pyfixest", "Conflicting lock", "duckdb"):
        assert word not in text, (word, text)


def test_error_bodies_show_no_server_path_pid_or_internals(client, empty_client, web_settings, tmp_path):
    """A scan of error answers: each is the envelope (API) or a page, and none names a path on this machine."""
    from fastapi.testclient import TestClient

    from lmc.web.app import create_app

    urls = ["/api/v1/scores?pillar=mobilty", "/api/v1/pairs/CHN-XYZ", "/api/v1/scenarios/nope",
            "/api/v1/routes?origin=Atlantis&destination=VTE&date=2026-06-01",
            "/api/v1/routes?origin=KMS&destination=VTE&date=2026-02-31", "/api/v1/nothing",
            "/downloads/..%2Fbuild.json", "/pair/CHN-ATL", "/explorer?pillar=x", "/guides/ATL/en"]
    for u in urls:
        r = client.get(u)
        assert r.status_code >= 400
        _no_internals(r.text, web_settings.home)
    for u in ("/api/v1/scores", "/api/v1/health", "/", "/downloads"):
        _no_internals(empty_client.get(u).text, web_settings.home)
    # no warehouse: 503 with what to run, no path
    bare = web_settings.model_copy(update={"warehouse": tmp_path / "none.duckdb", "mirrors": (str(tmp_path),)})
    with TestClient(create_app(bare, out_dir=tmp_path / "out"), raise_server_exceptions=False) as c:
        r = c.get("/api/v1/provenance")
        assert r.status_code == 503 and "lmc data pull" in _err(r)["message"]
        _no_internals(r.text, tmp_path)
        _no_internals(c.get("/methodology").text, tmp_path)
        # a scenario whose model data are not in the warehouse: the library's message names the pull that fixes it
        # and the warehouse it tried; the answer keeps the message and withholds the path
        r = c.post("/api/v1/scenarios/myanmar-border-closure/run", json={"draws": 10})
        msg = _err(r)["message"]
        assert r.status_code == 400 and "lmc data pull trade_agtpa" in msg and "[path withheld]" in msg
        _no_internals(r.text, tmp_path)
        c.app.state.pool.close()


def test_model_failures_keep_ppml_internals_in_the_server_log(monkeypatch, web_settings, caplog):
    import lmc.web.jobs as jobs
    from lmc.flows.errors import GravityDataError
    from lmc.web.errors import ModelFailed

    def fail(*a, **k):
        raise GravityDataError("trade panel: PPML failed for 'trade ~ x': pyfixest internal: singular matrix")

    monkeypatch.setattr(jobs, "run_scenario", fail)
    with pytest.raises(ModelFailed) as err:
        jobs.scenario(load_scenario("myanmar-border-closure").model_dump(), web_settings)
    assert err.value.status == 422 and err.value.code == "model_failed"
    assert "could not be estimated" in str(err.value) and "pyfixest" not in str(err.value)
    assert "singular matrix" in caplog.text


# ------------------------------------------------------------------------------------------------ corridor
def test_access_says_when_unesco_sites_are_missing(client, web_settings, tmp_path):
    from fastapi.testclient import TestClient

    from lmc.web.app import create_app

    q = {"station": "Luang Prabang", "date": "2026-06-01", "after": "08:00", "budget": 600}
    full = client.get("/api/v1/routes/access", params=q).json()
    assert full["meta"]["unesco_sites"] == "included"
    assert {"unesco", "curated"} <= {r["kind"] for r in full["data"]}
    bare = web_settings.model_copy(update={"warehouse": tmp_path / "none.duckdb"})
    with TestClient(create_app(bare, out_dir=tmp_path / "out")) as c:
        part = c.get("/api/v1/routes/access", params=q).json()
        page = c.get("/corridor", params={**q, "lang": "en"})
    assert part["meta"]["unesco_sites"].startswith("not included: there is no warehouse")
    assert {r["kind"] for r in part["data"]} == {"curated"}
    assert page.status_code == 200 and 'id="unesco-missing"' in page.text and "lmc data pull" in page.text


def test_corridor_pages_write_no_timetable_cache(client, monkeypatch):
    import lmc.corridor.timetable as timetable
    from lmc.web.api import routes

    def refuse(*a, **k):
        raise AssertionError("the web app wrote a timetable cache")

    monkeypatch.setattr(timetable, "save_timetable", refuse)
    routes.corridor_timetable.cache_clear()
    routes.stations.cache_clear()
    assert client.get("/corridor?from=KMS&to=VTE&date=2026-06-01&station=VTE").status_code == 200
    assert client.get("/api/v1/routes", params={"origin": "KMS", "destination": "VTE",
                                                "date": "2026-06-01"}).status_code == 200
