"""The corridor commands as travellers use them: `lmc route` (text, JSON, web), accessibility without a pulled
warehouse, itineraries with a visit every day, and every corridor command of README.md and docs/corridor.md run
exactly as written."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lmc.cli import app
from lmc.corridor.access import (
    accessibility,
    curated_unesco_sites,
    first_service_date,
    heritage_sites,
    load_attractions,
    rail_minutes,
    station_access,
    unesco_sites_frame,
)
from lmc.corridor.itinerary import plan_itinerary
from lmc.corridor.plan import PlannerError, parse_after, parse_date

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


def test_route_json_shape(lmc_home):
    res = runner.invoke(app, ["route", "Kunming South", "Vientiane", "--date", "2026-06-01", "--after", "07:00",
                              "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    j = data["journeys"][0]
    assert {"departure", "arrival", "transfers", "legs", "estimated", "notes"} <= set(j)
    assert {"route", "trip", "from_stop_id", "to_stop_id", "departure", "arrival", "estimated_times",
            "frequency_based", "note"} <= set(j["legs"][0])
    assert j["departure"] == "2026-06-01T08:00:00+08:00" and j["arrival"] == "2026-06-01T16:30:00+07:00"


def test_route_text_flags_estimated_legs(lmc_home):
    res = runner.invoke(app, ["route", "Vientiane", "Bangkok", "--date", "2026-06-01", "--after", "07:00"])
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())  # whatever the console width
    assert "estimated times" in out and "Rapid 134" in out
    assert "not in open data" in out and "Check the State Railway of Thailand" in out


def test_route_unknown_stop_suggests(lmc_home):
    res = runner.invoke(app, ["route", "Kunming Sout", "Vientiane", "--date", "2026-06-01", "--after", "07:00"])
    assert res.exit_code == 2
    assert "Did you mean 'Kunming South'" in res.output
    assert "Traceback" not in res.output


def test_web_flags_estimated_legs(lmc_home, tmp_path):
    from fastapi.testclient import TestClient

    from lmc.config import get_settings
    from lmc.web.app import create_app

    with TestClient(create_app(get_settings(), out_dir=tmp_path / "no_build")) as c:
        api = c.get("/api/v1/routes", params={"origin": "Vientiane", "destination": "Bangkok", "date": "2026-06-01",
                                              "after": "07:00"})
        assert api.status_code == 200, api.text
        j = api.json()["data"]["journeys"][0]
        assert j["estimated"] and j["legs"][0]["frequency_based"] and "not in open data" in j["notes"][0]
        page = c.get("/corridor", params={"from": "VTE", "to": "KTA", "date": "2026-06-01", "after": "07:00"})
        assert page.status_code == 200
        assert "estimated-note" in page.text and "Rapid 134" in page.text and "not in open data" in page.text
        none = c.get("/corridor", params={"from": "ESH", "to": "MOH", "date": "2026-06-01", "after": "07:00"})
        assert "no-journey-reason" in none.text and "Chinese stations between Kunming and Mohan" in none.text
        st = c.get("/api/v1/routes/stations").json()["data"]
        assert {s["stop_id"]: s["names"].get("zh") for s in st}["KMS"] == "昆明南"


def test_access_works_without_a_warehouse(lmc_home):
    res = runner.invoke(app, ["corridor", "access", "--station", "Luang Prabang", "--date", "2026-06-01",
                              "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert "Town of Luang Prabang" in res.stdout  # UNESCO, from the package's curated list
    ok = runner.invoke(app, ["corridor", "access", "--no-unesco", "--station", "Vientiane", "--date", "2026-06-01",
                             "--after", "07:00", "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert "Patuxai" in ok.stdout and "Town of Luang Prabang" not in ok.stdout


def test_access_date_defaults_to_the_next_service_date_and_refuses_1900(lmc_home, corridor_tt):
    assert first_service_date(corridor_tt, dt.date(2020, 1, 1)) == dt.date(2021, 12, 3)  # the line opened
    assert first_service_date(corridor_tt, dt.date(2026, 6, 1)) == dt.date(2026, 6, 1)
    with pytest.raises(PlannerError, match="validity ended on 2026-12-31"):
        first_service_date(corridor_tt, dt.date(2027, 1, 1))
    sites, _ = heritage_sites(None)
    r = station_access(sites, stations=["Luang Prabang"], feed=corridor_tt, today=dt.date(2026, 6, 1))
    assert r.date == dt.date(2026, 6, 1)
    res = runner.invoke(app, ["corridor", "access", "--date", "1900-01-01"])
    assert res.exit_code == 2 and "no service on 1900-01-01" in res.output and "runs from 2021-12-03" in res.output


def test_curated_unesco_sites_match_the_warehouse_list(mirror_dir):
    u = pd.read_csv(mirror_dir / "unesco_whc" / "whc_sites_2023_lite.csv")
    u["iso3_list"] = u["udnp_code"].astype(str).str.upper()
    full = unesco_sites_frame(u).set_index("site_id")
    curated = curated_unesco_sites().set_index("site_id")
    assert len(curated) >= 8 and set(curated.index) <= set(full.index)
    for sid, row in curated.iterrows():
        assert row["lat"] == pytest.approx(full.loc[sid, "lat"], abs=1e-5), sid
        assert row["lon"] == pytest.approx(full.loc[sid, "lon"], abs=1e-5), sid
        assert row["name"].strip() == full.loc[sid, "name"].strip()
        assert row["source"].startswith("UNESCO World Heritage Centre")


@pytest.fixture(scope="module")
def sites(mirror_dir):
    u = pd.read_csv(mirror_dir / "unesco_whc" / "whc_sites_2023_lite.csv")
    u["iso3_list"] = u["udnp_code"].astype(str).str.upper()
    return pd.concat([unesco_sites_frame(u), load_attractions()], ignore_index=True)


def test_accessibility_is_rail_plus_access(corridor_tt, sites):
    rail = {"Luang Prabang": rail_minutes(corridor_tt, "Luang Prabang", parse_date("2026-06-01"), parse_after("08:00"))}
    out = accessibility(rail, sites, budget_min=60, speed_kmh=30, detour=1.3)
    assert "unesco:479" in set(out["site_id"])  # Town of Luang Prabang, ~11 km from the station
    row = out[out["site_id"] == "unesco:479"].iloc[0]
    assert row["total_min"] == pytest.approx(row["rail_min"] + row["access_km"] / 30 * 60, abs=0.2)
    assert (out["total_min"] <= 60).all()
    wider = accessibility(rail, sites, budget_min=300, speed_kmh=30, detour=1.3)
    assert set(out["site_id"]) < set(wider["site_id"])  # a bigger budget reaches strictly more (by rail)
    far = wider[wider["via_stop_id"] != "LPB"]
    assert (far["rail_min"] > 0).all()


def _check_rules(r, origin_id: str):
    prev = origin_id
    for d in r.days:
        assert d.visits, f"day {d.day} has no visit"
        if d.journey:
            assert d.journey.legs[0].from_stop_id == prev or d.journey.legs[0].mode == "transfer"
            assert d.journey.departure.date() == d.date and d.journey.arrival.date() == d.date
        prev = d.station_id
    seen = [v["site_id"] for d in r.days for v in d.visits]
    assert len(seen) == len(set(seen))


def test_itinerary_visits_every_day_and_comes_home(corridor_tt, sites, tmp_path):
    r = plan_itinerary(sites, origin="Vientiane", days=3, start="2026-06-01", feed=corridor_tt,
                       interests=("temples", "heritage"))
    _check_rules(r, "VTE")
    assert r.returns_to_origin and not r.crosses_border and r.days[-1].station_id == "VTE"
    assert "unesco:479" in {v["site_id"] for d in r.days for v in d.visits}
    path = r.write_geojson(tmp_path / "trip.geojson")
    gj = json.loads(path.read_text())
    assert gj["type"] == "FeatureCollection"
    assert {f["geometry"]["type"] for f in gj["features"]} == {"Point", "LineString"}


def test_itinerary_never_crosses_a_border_the_interests_do_not_call_for(corridor_tt, sites):
    # four days of temples, heritage and history fill up in Laos: no trip to Kunming and back
    r = plan_itinerary(sites, origin="Vientiane", days=4, start="2026-06-01", feed=corridor_tt,
                       interests=("temples", "heritage", "history"))
    _check_rules(r, "VTE")
    assert not r.crosses_border and r.returns_to_origin
    assert all(not leg.clearance for d in r.days if d.journey for leg in d.journey.legs)


def test_itinerary_says_when_the_days_cannot_all_have_visits(corridor_tt, sites):
    with pytest.raises(PlannerError, match="no 2-day plan from Vientiane has a visit every day"):
        plan_itinerary(sites, origin="Vientiane", days=2, start="2026-06-01", feed=corridor_tt,
                       interests=("natural",))


def _documented_commands() -> list[str]:
    """Every `lmc route|corridor|itinerary` command in README.md and in the code blocks of docs/corridor.md."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    cmds = re.findall(r"`(lmc (?:route|corridor|itinerary)[^`]*)`", readme)
    docs = (REPO / "docs" / "corridor.md").read_text(encoding="utf-8")
    for block in re.findall(r"```bash\n(.*?)```", docs, flags=re.S):
        cmds += [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("lmc ")]
    # invocations, not mentions: no placeholders, no alternatives (`a|b`), more than the bare command name
    return [c for c in cmds if not re.search(r"\b(FROM|TO|YYYY|HH:MM|PATH)\b|\|", c)
            and c not in ("lmc route", "lmc itinerary")]


def test_every_documented_corridor_command_runs_as_written(lmc_home, tmp_path, monkeypatch):
    cmds = _documented_commands()
    assert len(cmds) >= 10 and any("corridor access --station" in c for c in cmds)
    monkeypatch.chdir(REPO)  # the docs use paths relative to the repository (../shared/...)
    for cmd in cmds:
        args = [a.replace("trip.geojson", str(tmp_path / "trip.geojson")) for a in shlex.split(cmd)[1:]]
        if args[:2] == ["corridor", "build-feed"]:
            continue  # rewrites the package's feed; test_feed_files_match_the_yaml covers it
        res = runner.invoke(app, args)
        assert res.exit_code == 0, f"{cmd}\n{res.output}"
