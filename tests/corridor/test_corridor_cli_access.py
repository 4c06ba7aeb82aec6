"""CLI shape of `lmc route --json`, accessibility (pure function) and itineraries (feasible, GeoJSON)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from lmc.cli import app
from lmc.corridor.access import accessibility, load_attractions, rail_minutes, unesco_sites_frame
from lmc.corridor.itinerary import plan_itinerary
from lmc.corridor.plan import parse_after, parse_date

runner = CliRunner()


def test_route_json_shape(lmc_home):
    res = runner.invoke(app, ["route", "Kunming South", "Vientiane", "--date", "2026-06-01", "--after", "07:00",
                              "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    j = data["journeys"][0]
    assert {"departure", "arrival", "transfers", "legs"} <= set(j)
    assert {"route", "trip", "from_stop_id", "to_stop_id", "departure", "arrival"} <= set(j["legs"][0])
    assert j["departure"] == "2026-06-01T08:00:00+08:00" and j["arrival"] == "2026-06-01T16:30:00+07:00"


def test_route_unknown_stop_suggests(lmc_home):
    res = runner.invoke(app, ["route", "Kunming Sout", "Vientiane", "--date", "2026-06-01", "--after", "07:00"])
    assert res.exit_code == 2
    assert "Did you mean 'Kunming South'" in res.output
    assert "Traceback" not in res.output


def test_access_needs_warehouse_or_no_unesco(lmc_home):
    res = runner.invoke(app, ["corridor", "access", "--station", "Vientiane", "--date", "2026-06-01"])
    assert res.exit_code == 2 and "lmc data pull" in res.output
    ok = runner.invoke(app, ["corridor", "access", "--no-unesco", "--station", "Vientiane", "--date", "2026-06-01",
                             "--after", "07:00", "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert "Patuxai" in ok.stdout


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


def test_itinerary_is_feasible_and_exports_geojson(corridor_tt, sites, tmp_path):
    r = plan_itinerary(sites, origin="Vientiane", days=4, start="2026-06-01", feed=corridor_tt,
                       interests=("temples", "heritage"))
    assert len(r.days) == 4 and r.days[0].station_id == "VTE"
    prev_station = "VTE"
    for d in r.days:
        if d.journey:
            assert d.journey.legs[0].from_stop_id == prev_station
            assert d.journey.departure.date() == d.date
        prev_station = d.station_id
    seen = [v["site_id"] for d in r.days for v in d.visits]
    assert len(seen) == len(set(seen)) and "unesco:479" in seen
    path = r.write_geojson(tmp_path / "trip.geojson")
    gj = json.loads(path.read_text())
    assert gj["type"] == "FeatureCollection"
    assert {f["geometry"]["type"] for f in gj["features"]} == {"Point", "LineString"}
