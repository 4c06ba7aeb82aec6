"""'No journey' explains itself, in text and in JSON: no service that date, the last departure gone, the feed's
validity ending, a known gap in the data, a stop no train serves."""

from __future__ import annotations

import json

import pytest
from corridor_helpers import write_feed
from typer.testing import CliRunner

from lmc.cli import app
from lmc.corridor.gtfs import read_feed
from lmc.corridor.plan import PlannerError, plan
from lmc.corridor.timetable import build_timetable

runner = CliRunner()
AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nA,Synthetic,http://x,Asia/Bangkok\n"


@pytest.fixture()
def synthetic_weekdays(tmp_path):
    """One trip A 08:00 -> B 09:00 on the Wednesdays of June 2026, and a stop C no trip serves."""
    return build_timetable(read_feed(write_feed(tmp_path / "synthetic_weekdays", {
        "agency.txt": AGENCY,
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,13,100\nB,Beta,13.5,100.5\nC,Gamma,14,101",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,X,2",
        "trips.txt": "route_id,service_id,trip_id\nR,WK,T",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                          "T,08:00:00,08:00:00,A,1\nT,09:00:00,09:00:00,B,2",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                        "WK,0,0,1,0,0,0,0,20260601,20260630",
    })))


def test_no_service_on_that_date_names_the_next(synthetic_weekdays):
    p = plan(synthetic_weekdays, "Alpha", "Beta", "2026-06-06", "07:00")  # a Saturday: Sat, Sun, Mon searched
    assert not p.journeys and p.reason.code == "no_service_on_date"
    assert "2026-06-06 (Saturday)" in p.reason.message and "2026-06-10 (Wednesday) at 08:00" in p.reason.message
    assert plan(synthetic_weekdays, "Alpha", "Beta", "2026-06-08", "07:00").journeys  # Monday finds Wednesday's


def test_last_departure_gone(synthetic_weekdays):
    p = plan(synthetic_weekdays, "Alpha", "Beta", "2026-06-03", "10:00")  # Wednesday after the only train
    assert p.reason.code == "last_departure_gone"
    assert "left at 08:00, before 10:00" in p.reason.message


def test_validity_ends(synthetic_weekdays):
    p = plan(synthetic_weekdays, "Alpha", "Beta", "2026-06-27", "07:00")  # the last Wednesday has passed
    assert p.reason.code == "validity_ends" and "2026-06-30" in p.reason.message
    with pytest.raises(PlannerError, match="runs from 2026-06-01 to 2026-06-30"):
        plan(synthetic_weekdays, "Alpha", "Beta", "2026-07-02", "07:00")


def test_a_stop_no_train_serves(synthetic_weekdays):
    p = plan(synthetic_weekdays, "Alpha", "Gamma", "2026-06-01", "07:00")
    assert p.reason.code == "no_trains_at_stop" and "arrives at Gamma" in p.reason.message


def test_known_gap_by_name_on_the_corridor(corridor_tt):
    p = plan(corridor_tt, "Eshan", "Kunming South", "2026-06-01", "07:00")
    assert p.reason.code == "known_gap"
    assert "Chinese stations between Kunming and Mohan" in p.reason.message


def test_json_and_text_carry_the_reason(lmc_home):
    res = runner.invoke(app, ["route", "Eshan", "Mohan", "--date", "2026-06-01", "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["journeys"] == [] and d["reason"]["code"] == "known_gap" and "Eshan" in d["reason"]["message"]
    txt = " ".join(runner.invoke(app, ["route", "Eshan", "Mohan", "--date", "2026-06-01"]).stdout.split())
    assert "No journey from Eshan to Mohan" in txt and "no train in the feed serves Eshan" in txt
    ok = json.loads(runner.invoke(app, ["route", "KMS", "VTE", "--date", "2026-06-01", "--json"]).stdout)
    assert ok["reason"] is None
