"""Feed validation (one clear line naming file, line and field; exit 2) and blank times filled by distance."""

from __future__ import annotations

import numpy as np
import pytest
from corridor_helpers import write_feed
from typer.testing import CliRunner

from lmc.cli import app
from lmc.corridor.gtfs import read_feed
from lmc.corridor.plan import plan
from lmc.corridor.timetable import build_timetable
from lmc.errors import ParseError

runner = CliRunner()
AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nA,Synthetic,http://x,Asia/Bangkok\n"
CAL = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n" \
      "WK,1,1,1,1,1,1,1,20260101,20261231\n"
STOPS = "stop_id,stop_name,stop_lat,stop_lon\nA,Alpha,13.0,100.0\nB,Beta,13.0,100.1\nC,Gamma,13.0,100.4\n"


def _feed(tmp_path, name: str, stop_times: str, **extra) -> object:
    return write_feed(tmp_path / name, {"agency.txt": AGENCY, "stops.txt": STOPS, "calendar.txt": CAL,
                                        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,X,3",
                                        "trips.txt": "route_id,service_id,trip_id\nR,WK,T",
                                        "stop_times.txt": stop_times, **extra})


def _cli_error(folder) -> str:
    res = runner.invoke(app, ["route", "A", "C", "--feed", str(folder), "--date", "2026-06-01"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1
    return res.output


def test_departure_before_arrival(tmp_path, lmc_home):
    f = _feed(tmp_path, "synthetic_dep_before_arr", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,08:00:00,08:00:00,A,1\nT,08:20:00,08:10:00,B,2\nT,08:40:00,08:40:00,C,3")
    with pytest.raises(ParseError, match=r"stop_times.txt: line 3: field 'departure_time': 08:10:00 is before "
                                         r"arrival_time 08:20:00 \(trip 'T', stop 'B'\)"):
        read_feed(f)
    assert "line 3" in _cli_error(f)


def test_times_going_backwards_along_a_trip(tmp_path, lmc_home):
    # rows out of order in the file: stop_sequence decides, and the line named is the offending row's
    f = _feed(tmp_path, "synthetic_backwards", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,08:30:00,08:30:00,C,3\nT,08:00:00,08:00:00,A,1\nT,08:40:00,08:40:00,B,2")
    with pytest.raises(ParseError, match=r"line 2: field 'arrival_time': 08:30:00 at stop 'C' is before the "
                                         r"departure 08:40:00 from the previous stop 'B' \(line 4\)"):
        read_feed(f)
    _cli_error(f)


def test_a_file_that_is_not_utf8(tmp_path, lmc_home):
    f = _feed(tmp_path, "synthetic_latin1", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
              "T,08:00:00,08:00:00,A,1\nT,08:40:00,08:40:00,C,2")
    (f / "stops.txt").write_bytes(STOPS.replace("Beta", "B\xe9ta").encode("latin-1"))
    with pytest.raises(ParseError, match=r"stops.txt: line 3: field 'stop_name': byte 0xe9 is not UTF-8"):
        read_feed(f)
    (f / "stops.txt").write_bytes(STOPS.encode("utf-16"))
    with pytest.raises(ParseError, match="stops.txt: the file is UTF-16; GTFS files must be UTF-8"):
        read_feed(f)
    assert "UTF-8" in _cli_error(f)


def test_a_feed_without_trips_is_an_error(tmp_path, lmc_home):
    f = _feed(tmp_path, "synthetic_header_only", "trip_id,arrival_time,departure_time,stop_id,stop_sequence")
    with pytest.raises(ParseError, match=r"stop_times.txt: no stop times \(only a header\)"):
        read_feed(f)
    assert "no stop times" in _cli_error(f)
    (f / "trips.txt").write_text("route_id,service_id,trip_id\n")
    with pytest.raises(ParseError, match="trips.txt: no trips"):
        read_feed(f)


def test_blank_times_are_interpolated_by_distance_and_flagged(tmp_path):
    # B is 1/4 of the way from A to C by straight-line distance (0.1 of 0.4 degrees of longitude), but 1/2 by
    # stop count: 08:00 + 1/4 x 40 min = 08:10, not 08:20
    st = ("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
          "T,08:00:00,08:00:00,A,1\nT,,,B,2\nT,08:40:00,08:40:00,C,3")
    tt = build_timetable(read_feed(_feed(tmp_path, "synthetic_blank", st)))
    (j,) = plan(tt, "Alpha", "Beta", "2026-06-01", "07:00", kind="earliest").journeys
    assert j.arrival.strftime("%H:%M") == "08:10" and j.legs[0].estimated
    # shape_dist_traveled, when the trip gives it for every stop, wins over coordinates
    st_sd = ("trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled\n"
             "T,08:00:00,08:00:00,A,1,0\nT,,,B,2,30\nT,08:40:00,08:40:00,C,3,40")
    tt = build_timetable(read_feed(_feed(tmp_path, "synthetic_blank_sd", st_sd)))
    (j,) = plan(tt, "Alpha", "Beta", "2026-06-01", "07:00", kind="earliest").journeys
    assert j.arrival.strftime("%H:%M") == "08:30"
    # no coordinates and no shape distance: stop count
    no_xy = "stop_id,stop_name\nA,Alpha\nB,Beta\nC,Gamma\n"
    tt = build_timetable(read_feed(_feed(tmp_path, "synthetic_blank_count", st, **{"stops.txt": no_xy})))
    (j,) = plan(tt, "Alpha", "Beta", "2026-06-01", "07:00", kind="earliest").journeys
    assert j.arrival.strftime("%H:%M") == "08:20"
    # a timed stop stays published
    (j,) = plan(tt, "Alpha", "Gamma", "2026-06-01", "07:00", kind="earliest").journeys
    assert not j.legs[0].estimated


def test_interpolation_kernel_on_two_trips():
    from lmc.corridor.interpolate import along_trip, fill_blank_times

    trip = np.array([0, 0, 0, 0, 1, 1, 1])
    sd = np.array([0, 10, 30, 40, np.nan, np.nan, np.nan])
    lat = np.zeros(7)
    lon = np.array([0, 0.1, 0.2, 0.3, 0, 0.2, 0.3])
    x, method = along_trip(trip, sd, lat, lon)
    assert list(method) == [0, 0, 0, 0, 1, 1, 1]
    arr = np.array([0, -1, -1, 400, 100, -1, 400])
    a, d, filled, keep = fill_blank_times(trip, arr, arr.copy(), x)
    assert list(a[:4]) == [0, 100, 300, 400] and a[5] == 300  # trip 1: 2/3 of the distance
    assert list(filled) == [False, True, True, False, False, True, False] and keep.all()
