"""The REST API against a real (small) build: the relied-on contracts, filters, pagination, CSV, the one error
envelope, bounded scenario runs, and safety (headers, path traversal, read-only)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

ENVELOPE_KEYS = {"status", "code", "message"}


def _error(r) -> dict:
    body = r.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == ENVELOPE_KEYS
    assert body["error"]["status"] == r.status_code
    return body["error"]


def test_health_is_200_and_reports_the_build(client, built_out):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    d = r.json()["data"]
    assert d["status"] == "ok" and d["index_built"] is True
    years = pd.read_csv(built_out / "scores.csv")["year"]
    assert d["years"] == [int(years.min()), int(years.max())]


def test_scores_pair_year_contract_matches_scores_csv(client, built_out):
    csv = pd.read_csv(built_out / "scores.csv")
    year = int(csv["year"].max()) - 1
    r = client.get(f"/api/v1/scores?level=pair&year={year}")
    assert r.status_code == 200
    rows = r.json()["data"]
    expected = csv[(csv["level"] == "pair") & (csv["year"] == year)]
    assert len(rows) == len(expected) > 0
    for row in rows:
        assert {"unit", "year", "pillar", "score", "rank"} <= set(row)
        assert row["year"] == year
    got = {(x["unit"], x["pillar"]): (x["score"], x["rank"]) for x in rows}
    for e in expected.itertuples():
        score, rank = got[(e.unit, e.pillar)]
        assert score == pytest.approx(e.score, abs=1e-4)
        assert rank == e.rank
    # index rows first, best rank first
    assert rows[0]["pillar"] == "index" and rows[0]["rank"] == 1


def test_scores_filters_combine(client, built_out):
    csv = pd.read_csv(built_out / "scores.csv")
    r = client.get("/api/v1/scores", params={"level": "country", "unit": "lao", "pillar": "mobility"})
    rows = r.json()["data"]
    exp = csv[(csv["level"] == "country") & (csv["unit"] == "LAO") & (csv["pillar"] == "mobility")]
    assert sorted(x["year"] for x in rows) == sorted(exp["year"].tolist())
    assert {x["unit"] for x in rows} == {"LAO"}


def test_pagination_default_500_and_links(client, built_out):
    total = len(pd.read_csv(built_out / "scores.csv"))
    assert total > 500  # the build is large enough to need pages
    first = client.get("/api/v1/scores").json()
    assert len(first["data"]) == 500 and first["meta"]["page_size"] == 500
    assert first["meta"]["total"] == total and first["meta"]["pages"] == -(-total // 500)
    assert first["links"]["prev"] is None and "page=2" in first["links"]["next"]
    seen = []
    url = "/api/v1/scores?page_size=400"
    while url:
        page = client.get(url).json()
        seen += page["data"]
        url = page["links"]["next"]
    assert len(seen) == total
    assert len({(x["level"], x["unit"], x["year"], x["pillar"]) for x in seen}) == total


def test_csv_format_gives_the_same_rows(client):
    j = client.get("/api/v1/scores?level=country&year=2020").json()["data"]
    r = client.get("/api/v1/scores?level=country&year=2020&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    df = pd.read_csv(io.StringIO(r.text))
    assert list(df.columns[:5]) == ["unit", "year", "pillar", "score", "rank"]
    assert len(df) == len(j) == int(r.headers["x-total-count"])


@pytest.mark.parametrize("url, status, needle", [
    ("/api/v1/scores?pillar=mobilty", 400, "mobility"),  # did-you-mean
    ("/api/v1/scores?level=pair&unit=CHN-LOA", 400, "CHN-LAO"),
    ("/api/v1/scores?year=1990", 400, "covers"),
    ("/api/v1/scores?level=galaxy", 422, "level"),
    ("/api/v1/scores?page_size=0", 422, "page_size"),
    ("/api/v1/scores?year=abc", 422, "year"),
    ("/api/v1/pairs/CHN-XYZ", 404, "pair"),
    ("/api/v1/scenarios/no-such-thing", 404, "scenario"),
    ("/api/v1/mechanisms/nope", 404, "mechanism"),
    ("/api/v1/routes?origin=Atlantis&destination=VTE&date=2026-06-01", 400, "Atlantis"),
    ("/api/v1/routes?origin=KMS&destination=VTE&date=2026-02-31", 400, "2026-02-31"),
    ("/api/v1/nothing-here", 404, "Not Found"),
])
def test_one_error_envelope(client, url, status, needle):
    r = client.get(url)
    assert r.status_code == status, r.text
    err = _error(r)
    assert needle in err["message"]


def test_head_is_answered_like_get_without_a_body(client):
    r = client.head("/")
    assert r.status_code == 200 and r.content == b"" and "default-src" in r.headers["content-security-policy"]


def test_wrong_method_uses_the_envelope(client):
    r = client.delete("/api/v1/scores")
    assert r.status_code == 405
    _error(r)


def test_not_built_is_503_with_how_to_fix(empty_client):
    r = empty_client.get("/api/v1/scores?level=pair&year=2024")
    assert r.status_code == 503
    assert "lmc build" in _error(r)["message"]
    assert empty_client.get("/api/v1/health").json()["data"]["index_built"] is False
    page = empty_client.get("/")
    assert page.status_code == 200 and "lmc build" in page.text


def test_pair_profile_consistent_with_scores(client, built_out):
    csv = pd.read_csv(built_out / "scores.csv")
    d = client.get("/api/v1/pairs/chn-lao").json()["data"]
    latest = int(csv["year"].max())
    exp = csv[(csv["unit"] == "CHN-LAO") & (csv["year"] == latest)].set_index("pillar")["score"]
    assert {p["pillar"]: p["score"] for p in d["pillars"]} == pytest.approx(exp.round(4).to_dict(), abs=1e-4)
    assert d["rank_intervals"] and all(r["rank_p05"] <= r["rank_p95"] for r in d["rank_intervals"])
    # the pair's indicator panel: every computed pair-level indicator of the framework (public_attitudes is
    # declared but not supported), one row per indicator and year of the build, equal to indicators.csv
    from lmc.sci.framework import default_framework

    computed = {i.id for i in default_framework().indicators_for("pair")}
    # 21 + co-authorship (issue 12); issue 13: one institutions measure (institutional_depth) for ASEAN, RCEP, the
    # mechanisms and the agreements, and disruption in place of the Covid-only closure
    assert "public_attitudes" not in computed and len(computed) == 19
    panel = pd.DataFrame(d["indicators"])
    assert set(panel["indicator"]) == computed
    years = sorted(csv["year"].unique())
    assert len(panel) == len(computed) * len(years)
    assert not panel.duplicated(["indicator", "year"]).any() and sorted(panel["year"].unique()) == years
    ind = pd.read_csv(built_out / "indicators.csv")
    exp_panel = ind[(ind["level"] == "pair") & (ind["unit"] == "CHN-LAO")].drop(columns=["level", "unit"])
    got = panel.set_index(["indicator", "year"]).sort_index()
    exp_panel = exp_panel.set_index(["indicator", "year"]).sort_index()
    assert list(got.index) == list(exp_panel.index)
    assert (got["flag"] == exp_panel["flag"]).all()
    assert got["value"].to_numpy() == pytest.approx(exp_panel["value"].to_numpy(), abs=1e-9, nan_ok=True)
    raw = got["raw"]
    # facts of the pair: China and Laos share a border in every year; RCEP (in force for both on 1 January 2022)
    # deepens their shared institutions; the railway cut the rail trip below 10 h from 2023
    assert (raw.xs("contiguity") == 1).all()
    inst = raw.xs("institutional_depth")
    assert inst.loc[2022] > inst.loc[2021]
    rail = raw.xs("rail_travel_hours")
    assert rail.loc[2022] > 24 and rail[rail.index >= 2023].lt(10).all()


def test_pairs_lists_fifteen(client):
    rows = client.get("/api/v1/pairs").json()["data"]
    assert len(rows) == 15 and sorted(r["rank"] for r in rows)[0] == 1


def test_indicators_carry_sources(client):
    rows = client.get("/api/v1/indicators?page_size=5000").json()["data"]
    assert rows and all(r["source"] and len(r["source_note"]) >= 10 for r in rows)
    vals = client.get("/api/v1/indicators/values?level=pair&unit=CHN-LAO").json()
    assert vals["meta"]["total"] > 0
    assert {v["flag"] for v in vals["data"]} <= {"observed", "interpolated", "carried_forward", "carried_back",
                                                  "missing"}


def test_provenance_lists_every_warehouse_file(client, web_settings):
    from lmc.warehouse.db import read_table

    prov = read_table("provenance", web_settings)
    r = client.get("/api/v1/provenance?page_size=5000").json()
    assert r["meta"]["total"] == len(prov)
    assert all(len(x["sha256"]) == 64 and x["licence"] for x in r["data"])
    assert "origin" not in r["data"][0]  # local paths are not exposed


def test_uncertainty_and_sobol(client, built_out):
    ri = pd.read_csv(built_out / "rank_intervals.csv")
    r = client.get("/api/v1/uncertainty?level=pair&year=2020").json()
    assert r["meta"]["total"] == len(ri[(ri["level"] == "pair") & (ri["year"] == 2020)])
    s = client.get("/api/v1/uncertainty/sobol").json()["data"]
    assert {x["factor"] for x in s} == set(pd.read_csv(built_out / "sobol.csv")["factor"])


def test_route_plan_kunming_vientiane(client):
    stations = client.get("/api/v1/routes/stations").json()
    ids = {s["stop_id"] for s in stations["data"]}
    assert {"KMS", "VTE", "MOH", "BOT"} <= ids
    assert stations["meta"]["feed_start"] <= "20260601" <= stations["meta"]["feed_end"]
    d = client.get("/api/v1/routes", params={"origin": "KMS", "destination": "VTE", "date": "2026-06-01",
                                             "after": "06:00"}).json()["data"]
    # the published D887 (as tests/corridor): Kunming South 08:00 Beijing time -> Vientiane 16:30 Lao time, the
    # same day, 9.5 h door to door with the border clearance at Mohan and Boten included; local times and offsets
    j = d["journeys"][0]
    assert j["departure"] == "2026-06-01T08:00:00+08:00" and j["arrival"] == "2026-06-01T16:30:00+07:00"
    assert j["transfers"] == 0 and j["duration_minutes"] == 570
    (leg,) = j["legs"]
    assert (leg["trip"], leg["route"], leg["from_stop_id"], leg["to_stop_id"]) == ("D887", "LCR-INTL", "KMS", "VTE")
    assert (leg["departure"], leg["arrival"]) == (j["departure"], j["arrival"])
    assert (leg["departure_tz"], leg["arrival_tz"]) == ("Asia/Shanghai", "Asia/Vientiane")
    assert [c["stop_id"] for c in leg["clearance"]] == ["MOH", "BOT"]
    assert all(c["minutes"] > 0 for c in leg["clearance"])
    assert d["query"]["feed"] == "lmc.corridor feed (GTFS)"  # names the feed, never a server path


def test_scenario_run_bounded_and_adjustable(client):
    spec = client.get("/api/v1/scenarios/railway-travel-time").json()["data"]
    assert spec["shocks"][0]["index"] == 0
    base = client.post("/api/v1/scenarios/railway-travel-time/run", json={"draws": 20})
    assert base.status_code == 200, base.text
    bigger = client.post("/api/v1/scenarios/railway-travel-time/run",
                         json={"draws": 20, "shocks": [{"index": 0, "value": 2 * spec["shocks"][0]["value"]}]})
    assert bigger.status_code == 200
    b0 = base.json()["data"]["headline"]["change_by_destination"]["laos"]
    b1 = bigger.json()["data"]["headline"]["change_by_destination"]["laos"]
    assert b1 > b0 > 0  # a larger cut in travel time sends more visitors to Laos
    assert client.post("/api/v1/scenarios/railway-travel-time/run", json={"draws": 100000}).status_code == 422
    r = client.post("/api/v1/scenarios/railway-travel-time/run", json={"shocks": [{"index": 9, "value": 1}]})
    assert r.status_code == 400 and "shock index 9" in _error(r)["message"]
    assert client.post("/api/v1/scenarios/railway-travel-time/run", json={"evil": 1}).status_code == 422


def test_every_builtin_scenario_runs_through_the_api(client):
    """Each built-in runs with the fewest draws and answers 200 with strict JSON. reopening-2023 used to give 500:
    a destination closed in the baseline had change_pct = inf, which JSON cannot carry; it is null now."""
    from lmc.flows.scenarios import builtin_names

    names = [x["name"] for x in client.get("/api/v1/scenarios").json()["data"]]
    assert sorted(names) == builtin_names() and len(names) == 9
    for name in names:
        r = client.post(f"/api/v1/scenarios/{name}/run", json={"draws": 10})
        assert r.status_code == 200, (name, r.text[:300])
        d = json.loads(r.text, parse_constant=lambda c: pytest.fail(f"{name}: {c} in the response"))["data"]
        assert d["name"] == name and d["headline"] and d["summary"]
        if name == "reopening-2023":
            rows = {x["destination"]: x for x in d["tables"]["visitors"]}
            assert rows["thailand"]["visitors_baseline"] == 0 and rows["thailand"]["change_pct"] is None
            assert rows["puer"]["change_pct"] < 0


def test_guides_and_mechanisms(client):
    g = client.get("/api/v1/guides").json()["data"]
    assert {r["lang"] for r in g} >= {"en", "zh"}
    assert all(r["translated_share"] == 1.0 for r in g if r["lang"] in ("en", "zh"))
    o = client.get("/api/v1/mechanisms/overlap").json()["data"]
    m = o["matrix"]
    n = len(o["mechanisms"])
    assert len(m) == n and all(m[i][j] == m[j][i] for i in range(n) for j in range(n))
    tl = client.get("/api/v1/mechanisms/timeline").json()["data"]
    assert [x["year"] for x in tl] == sorted(x["year"] for x in tl)


def test_security_headers_everywhere(client):
    for url in ("/", "/api/v1/health", "/static/app.css", "/api/v1/nothing"):
        h = client.get(url).headers
        assert "default-src 'self'" in h["content-security-policy"]
        assert "script-src 'self';" in h["content-security-policy"]  # no inline script, no CDN
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("name", ["../build.json", "..%2Fbuild.json", "%2e%2e%2fscores.csv", "/etc/passwd",
                                  "build.json", "scores.csv%00.txt"])
def test_downloads_refuse_anything_not_listed(client, name):
    r = client.get(f"/downloads/{name}")
    assert r.status_code == 404


def test_download_serves_the_built_file(client, built_out):
    r = client.get("/downloads/scores.csv")
    assert r.status_code == 200 and r.content == (built_out / "scores.csv").read_bytes()
    assert "attachment" in r.headers["content-disposition"]


def test_plotly_is_served_from_the_package(client):
    import plotly

    r = client.get("/static/vendor/plotly.min.js")
    assert r.status_code == 200
    assert r.content == (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


def test_app_is_read_only(client, built_out):
    before = {p.name: p.stat().st_mtime_ns for p in built_out.iterdir()}
    for url in ("/", "/explorer", "/downloads", "/api/v1/scores", "/methodology"):
        client.get(url)
    client.post("/api/v1/scenarios/railway-finance/run", json={"draws": 20})
    assert {p.name: p.stat().st_mtime_ns for p in built_out.iterdir()} == before


def test_openapi_documents_every_resource(client):
    spec = client.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/v1/health", "/api/v1/scores", "/api/v1/indicators", "/api/v1/pairs", "/api/v1/uncertainty",
              "/api/v1/scenarios", "/api/v1/scenarios/{name}/run", "/api/v1/routes", "/api/v1/guides",
              "/api/v1/mechanisms", "/api/v1/provenance"):
        assert p in paths, p
    params = {p["name"] for p in spec["paths"]["/api/v1/scores"]["get"]["parameters"]}
    assert {"level", "unit", "year", "pillar", "page", "page_size", "format"} <= params
    assert json.dumps(spec)  # serialisable
    docs = client.get("/api/docs").text  # the reference page is rendered locally from the same spec
    assert "/api/v1/scores" in docs and "page_size" in docs and "cdn" not in docs.lower()


def test_store_reads_the_runs_with_or_without_build_json(built_out, sci_report_build, tmp_path):
    """``lmc build`` writes build.json; outputs written without it still give the runs (from datapackage.json)."""
    import shutil

    from lmc.web.store import Store

    assert Store(built_out).get().runs == sci_report_build.uncertainty.runs > 0
    out = tmp_path / "out"
    shutil.copytree(built_out, out, ignore=shutil.ignore_patterns("report*"))
    (out / "build.json").unlink()
    b = Store(out).get()
    assert b.runs == sci_report_build.uncertainty.runs and b.key == ""


def test_store_picks_up_a_new_build_without_restart(built_out, tmp_path, monkeypatch):
    import shutil
    import time as _time

    from lmc.web.errors import NotBuiltError
    from lmc.web.store import Store

    out = tmp_path / "out"
    store = Store(out)
    with pytest.raises(NotBuiltError, match="lmc build"):
        store.get()
    shutil.copytree(built_out, out)
    monkeypatch.setattr(store, "_checked", _time.monotonic() - 5)
    first = store.get()
    assert first.years and first.units["pair"]
    scores = pd.read_csv(out / "scores.csv")
    scores.loc[0, "score"] = 12.3456
    tmp = out / "scores.csv.tmp"
    scores.to_csv(tmp, index=False)
    tmp.replace(out / "scores.csv")
    monkeypatch.setattr(store, "_checked", _time.monotonic() - 5)
    second = store.get()
    assert second is not first
    r0 = scores.iloc[0]
    got = second.score_records(level=r0["level"], year=int(r0["year"]), unit=r0["unit"], pillar=r0["pillar"])
    assert got[0]["score"] == pytest.approx(12.3456)


def test_key_series_api_and_its_csv(client):
    r = client.get("/api/v1/key-series")
    assert r.status_code == 200
    d = r.json()["data"]
    assert {"arrivals", "rail", "borders", "visas", "measures", "change"} <= set(d)
    tha = next(a for a in d["arrivals"] if a["destination"] == "THA")
    assert tha["base"]["value"] == 10_997_169 and tha["latest"]["year"] == 2024
    closed = [b["id"] for b in d["borders"] if b["status"] == "closed"]
    assert closed == ["tha_khm_land_border"]
    csv_text = client.get("/api/v1/key-series/rail?format=csv").text
    head, *rows = csv_text.strip().splitlines()
    assert head.startswith("series,year,value,unit,period,derived") and "source_url" in head and len(rows) >= 12
    page = client.get("/api/v1/key-series/visas?page_size=10").json()
    assert page["meta"]["total"] == 30 and len(page["data"]) == 10 and page["links"]["next"].startswith("/api/v1/")
    bad = client.get("/api/v1/key-series/tiles")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_parameter"
