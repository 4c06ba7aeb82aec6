"""The planner on small hand-built feeds (all synthetic_*): each feed exercises one rule with a known answer."""

from __future__ import annotations

import datetime as dt

import pytest
from corridor_helpers import write_feed

from lmc.corridor.gtfs import read_feed
from lmc.corridor.plan import PlannerError, plan
from lmc.corridor.timetable import build_timetable
from lmc.errors import LmcError, ParseError

AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nA,Synthetic,http://x,{tz}\n"
CAL = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n" \
      "WK,1,1,1,1,1,0,0,20260101,20261231\n"


def _tt(tmp_path, name, files):
    return build_timetable(read_feed(write_feed(tmp_path / name, files)))


@pytest.fixture()
def synthetic_messy(tmp_path):
    """BOM, spaces in headers and values, hours without a leading zero, an overnight trip, no optional files."""
    folder = tmp_path / "synthetic_messy"
    folder.mkdir()
    (folder / "agency.txt").write_bytes("\ufeffagency_id, agency_name ,agency_url,agency_timezone\n"
                                        "A,Synthetic,http://x,Asia/Vientiane\n".encode("utf-8"))
    (folder / "stops.txt").write_text("stop_id , stop_name,stop_lat,stop_lon\nA, Alpha ,18.0,102.0\n"
                                      "B,Beta,18.5,102.5\nC,Gamma,19.0,103.0\n", encoding="utf-8")
    (folder / "routes.txt").write_text("route_id,agency_id,route_short_name,route_type\nR,A,Night,2\n")
    (folder / "trips.txt").write_text("route_id,service_id,trip_id\nR,WK,T1\n")
    (folder / "stop_times.txt").write_text("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                                           "T1,9:05:00,9:05:00,A,1\nT1,23:50:00,24:10:00,B,2\n"
                                           "T1,25:30:00,25:30:00,C,3\n")
    (folder / "calendar.txt").write_text(CAL)
    return folder


def test_bom_spaces_missing_optional_files_and_overnight(synthetic_messy):
    p = plan(build_timetable(read_feed(synthetic_messy)), "Alpha", "C", "2026-06-02", "09:00", kind="earliest")
    (j,) = p.journeys
    assert j.departure.isoformat() == "2026-06-02T09:05:00+07:00"
    assert j.arrival.isoformat() == "2026-06-03T01:30:00+07:00"  # 25:30 is 01:30 the next morning
    # the trip started the day before still runs past midnight into a query on the next service day
    p2 = plan(build_timetable(read_feed(synthetic_messy)), "B", "C", "2026-06-03", "00:00", kind="earliest")
    assert p2.journeys[0].departure.isoformat() == "2026-06-03T00:10:00+07:00"


def test_time_zone_change_shows_local_times(tmp_path):
    tt = _tt(tmp_path, "synthetic_tz", {
        "agency.txt": AGENCY.format(tz="Asia/Shanghai"),
        "stops.txt": """stop_id,stop_name,stop_lat,stop_lon,stop_timezone
                        K,Kun,25,102,Asia/Shanghai
                        V,Vie,18,102.6,Asia/Vientiane""",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,X,2",
        "trips.txt": "route_id,service_id,trip_id\nR,WK,T",
        "stop_times.txt": """trip_id,arrival_time,departure_time,stop_id,stop_sequence
                             T,08:00:00,08:00:00,K,1
                             T,17:30:00,17:30:00,V,2""",
        "calendar.txt": CAL})
    (j,) = plan(tt, "Kun", "Vie", "2026-06-01", "07:00").journeys
    # stop_times are in the agency zone (UTC+8): 17:30 there is 16:30 in Vientiane
    assert j.departure.isoformat() == "2026-06-01T08:00:00+08:00"
    assert j.arrival.isoformat() == "2026-06-01T16:30:00+07:00"
    assert j.duration == dt.timedelta(hours=9, minutes=30)


def _transfer_feed(tmp_path, mtt: str):
    return _tt(tmp_path, f"synthetic_transfer_{mtt or 'none'}", {
        "agency.txt": AGENCY.format(tz="Asia/Bangkok"),
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,13,100\nS,S,13.1,100.1\nZ,Z,13.2,100.2",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,X,3",
        "trips.txt": "route_id,service_id,trip_id\nR,WK,IN\nR,WK,FAST\nR,WK,SLOW",
        "stop_times.txt": """trip_id,arrival_time,departure_time,stop_id,stop_sequence
                             IN,09:00:00,09:00:00,A,1
                             IN,10:00:00,10:00:00,S,2
                             FAST,10:03:00,10:03:00,S,1
                             FAST,10:30:00,10:30:00,Z,2
                             SLOW,10:10:00,10:10:00,S,1
                             SLOW,10:50:00,10:50:00,Z,2""",
        "calendar.txt": CAL,
        **({"transfers.txt": f"from_stop_id,to_stop_id,transfer_type,min_transfer_time\nS,S,2,{mtt}"} if mtt else {}),
    })


def test_minimum_transfer_time_is_honoured(tmp_path):
    free = plan(_transfer_feed(tmp_path, ""), "A", "Z", "2026-06-01", "08:00", kind="earliest").journeys[0]
    assert [leg.trip_id for leg in free.legs] == ["IN", "FAST"]
    held = plan(_transfer_feed(tmp_path, "300"), "A", "Z", "2026-06-01", "08:00", kind="earliest").journeys[0]
    assert [leg.trip_id for leg in held.legs] == ["IN", "SLOW"]  # 10:03 is within 5 min of the 10:00 arrival
    assert held.transfers == 1


def test_calendar_exceptions_and_frequencies(tmp_path):
    tt = _tt(tmp_path, "synthetic_calendar", {
        "agency.txt": AGENCY.format(tz="Asia/Bangkok"),
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,A,13,100\nB,B,13.1,100.1",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,X,3",
        "trips.txt": "route_id,service_id,trip_id\nR,WK,T\nR,SUN,F",
        "stop_times.txt": """trip_id,arrival_time,departure_time,stop_id,stop_sequence
                             T,08:00:00,08:00:00,A,1
                             T,08:20:00,08:20:00,B,2
                             F,06:00:00,06:00:00,A,1
                             F,06:15:00,06:15:00,B,2""",
        "calendar.txt": CAL,
        "calendar_dates.txt": "service_id,date,exception_type\nWK,20260602,2\nSUN,20260607,1",
        "frequencies.txt": "trip_id,start_time,end_time,headway_secs\nF,06:00:00,09:00:00,1200",
    })
    # Monday: the weekday trip
    mon = plan(tt, "A", "B", "2026-06-01", "07:30", kind="earliest").journeys[0]
    assert mon.legs[0].trip_id == "T" and mon.departure.strftime("%H:%M") == "08:00"
    # Tuesday 2 June is removed: next weekday trip is Wednesday's
    tue = plan(tt, "A", "B", "2026-06-02", "07:30", kind="earliest").journeys[0]
    assert tue.departure.date() == dt.date(2026, 6, 3)
    # Sunday 7 June is added for the frequency-based service: every 20 min from 06:00
    sun = plan(tt, "A", "B", "2026-06-07", "06:41", kind="earliest").journeys[0]
    assert sun.departure.strftime("%H:%M") == "07:00" and sun.legs[0].trip_id.startswith("F@")


def test_parent_station_stands_for_its_platforms(tmp_path):
    tt = _tt(tmp_path, "synthetic_station", {
        "agency.txt": AGENCY.format(tz="Asia/Bangkok"),
        "stops.txt": """stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
                        ST,Central,13,100,1,
                        P1,Central platform 1,13,100,0,ST
                        P2,Central platform 2,13.0005,100,0,ST
                        B,Far,13.5,100.5,0,""",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,X,2",
        "trips.txt": "route_id,service_id,trip_id\nR,WK,T",
        "stop_times.txt": """trip_id,arrival_time,departure_time,stop_id,stop_sequence
                             T,08:00:00,08:00:00,P2,1
                             T,09:00:00,09:00:00,B,2""",
        "calendar.txt": CAL})
    (j,) = plan(tt, "Central", "Far", "2026-06-01", "07:00", kind="earliest").journeys
    assert j.legs[0].from_stop_id == "P2"


def test_profile_query_lists_each_later_departure(tmp_path):
    tt = _transfer_feed(tmp_path, "")
    p = plan(tt, "S", "Z", "2026-06-01", "10:00", kind="profile", window_minutes=30)
    # both are on the profile: leaving later (10:10) is worth something even though it arrives later
    assert [j.departure.strftime("%H:%M") for j in p.journeys] == ["10:03", "10:10"]
    assert [j.arrival.strftime("%H:%M") for j in p.journeys] == ["10:30", "10:50"]
    p2 = plan(tt, "S", "Z", "2026-06-01", "10:05", kind="profile", window_minutes=30)
    assert [j.departure.strftime("%H:%M") for j in p2.journeys] == ["10:10"]


def test_user_errors_name_what_is_wrong(tmp_path, synthetic_messy):
    tt = build_timetable(read_feed(synthetic_messy))
    with pytest.raises(PlannerError, match="Did you mean 'Alpha'"):
        plan(tt, "Alpah", "C", "2026-06-02", "09:00")
    with pytest.raises(PlannerError, match="no service on 2031-01-01"):
        plan(tt, "Alpha", "C", "2031-01-01", "09:00")
    with pytest.raises(PlannerError, match="HH:MM"):
        plan(tt, "Alpha", "C", "2026-06-02", "25:00")
    bad = write_feed(tmp_path / "synthetic_bad_time", {
        "agency.txt": AGENCY.format(tz="Asia/Bangkok"), "stops.txt": "stop_id,stop_name\nA,A",
        "routes.txt": "route_id\nR", "trips.txt": "route_id,service_id,trip_id\nR,WK,T",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,8h00,8:00:00,A,1",
        "calendar.txt": CAL})
    with pytest.raises(ParseError, match=r"stop_times.txt: line 2: field 'arrival_time'"):
        read_feed(bad)
    (bad / "trips.txt").unlink()
    with pytest.raises(ParseError, match="required file trips.txt is missing"):
        read_feed(bad)
    assert issubclass(ParseError, LmcError)


def test_disk_cache_round_trip(tmp_path, synthetic_messy):
    import numpy as np

    from lmc.corridor.timetable import load_timetable

    cache = tmp_path / "cache"
    first = load_timetable(synthetic_messy, cache_dir=cache)
    assert len(list(cache.glob("*.npz"))) == 1
    second = load_timetable(synthetic_messy, cache_dir=cache)
    for name in ("c_dep", "c_arr", "c_from", "c_to", "stop_ids", "trip_ids", "cal_days"):
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
    assert second.tz_names == first.tz_names
    a = plan(first, "Alpha", "C", "2026-06-02", "09:00").to_dict()["journeys"]
    b = plan(second, "Alpha", "C", "2026-06-02", "09:00").to_dict()["journeys"]
    assert a == b


def test_feed_builder_names_the_bad_field():
    import copy

    from lmc.corridor.feed_build import YAML_PATH, build_files, load_yaml
    from lmc.errors import ValidationError

    data = load_yaml(YAML_PATH)
    bad = copy.deepcopy(data)
    bad["trips"][0]["stops"][1][0] = "YUXX"
    with pytest.raises(ValidationError, match=r"trips\[0\]\.stops\[1\]: unknown stop_id 'YUXX'.*Did you mean 'YUX'"):
        build_files(bad)
    bad = copy.deepcopy(data)
    del bad["trips"][0]["sources"]
    with pytest.raises(ValidationError, match=r"trips\[0\]: field 'sources' is missing"):
        build_files(bad)
    bad = copy.deepcopy(data)
    bad["trips"][0]["stops"][2][1] = "06:00"
    with pytest.raises(ValidationError, match="times go backwards"):
        build_files(bad)


def _street_feed(tmp_path):
    """Line 1 ends at S1; line 2 starts at S2 on the other side of the street, 111 m away; no transfers.txt."""
    return _tt(tmp_path, "synthetic_street", {
        "agency.txt": AGENCY.format(tz="Asia/Bangkok"),
        "stops.txt": """stop_id,stop_name,stop_lat,stop_lon
                        A,A,13.0,100.0
                        S1,Main St north,13.0010,100.1
                        S2,Main St south,13.0000,100.1
                        Z,Z,13.0,100.2""",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,3",
        "trips.txt": "route_id,service_id,trip_id\nR1,WK,T1\nR2,WK,T2",
        "stop_times.txt": """trip_id,arrival_time,departure_time,stop_id,stop_sequence
                             T1,08:00:00,08:00:00,A,1
                             T1,08:10:00,08:10:00,S1,2
                             T2,08:12:00,08:12:00,S2,1
                             T2,08:30:00,08:30:00,Z,2""",
        "calendar.txt": CAL})


def test_a_rider_can_cross_the_street(tmp_path):
    tt = _street_feed(tmp_path)
    (j,) = plan(tt, "A", "Z", "2026-06-01", "07:00", kind="earliest").journeys
    assert [(leg.mode, leg.from_stop_id, leg.to_stop_id) for leg in j.legs] == [
        ("ride", "A", "S1"), ("transfer", "S1", "S2"), ("ride", "S2", "Z")]
    walk = j.legs[1]
    assert walk.duration == dt.timedelta(seconds=93)  # 111.2 m at 1.2 m/s, rounded up
    assert j.arrival.strftime("%H:%M") == "08:30"


def test_walking_radius_and_speed_are_settable(tmp_path):
    from lmc.corridor.gtfs import read_feed as rf

    folder = tmp_path / "synthetic_street"
    _street_feed(tmp_path)
    none = build_timetable(rf(folder), walk_radius_m=100)  # the street is 111 m wide: no walk
    p = plan(none, "A", "Z", "2026-06-01", "07:00", kind="earliest")
    assert not p.journeys and p.reason.code == "not_connected"
    slow = build_timetable(rf(folder), walk_speed_mps=0.5)  # 223 s: the 08:12 bus leaves before the walk ends
    (j,) = plan(slow, "A", "Z", "2026-06-01", "07:00", kind="earliest").journeys
    assert j.legs[-1].departure.isoformat() == "2026-06-02T08:12:00+07:00"  # the next day's
    with pytest.raises(LmcError, match="walking speed must be positive"):
        build_timetable(rf(folder), walk_speed_mps=0)


def test_walks_between_stops_match_a_comparison_of_every_pair():
    import numpy as np

    from lmc.corridor.walks import haversine_m, pairs_within

    rng = np.random.default_rng(3)
    lat = 34.0 + rng.random(300) * 0.05
    lon = -118.5 + rng.random(300) * 0.05
    lat[7] = np.nan  # a stop without coordinates walks nowhere
    a, b, d = pairs_within(lat, lon, 400.0)
    got = {(int(x), int(y)): float(z) for x, y, z in zip(a, b, d)}
    full = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    want = {(i, j): full[i, j] for i, j in zip(*np.nonzero(full <= 400.0)) if i != j}
    assert got.keys() == want.keys() and len(want) > 100
    assert all(abs(got[k] - want[k]) < 1e-6 for k in want)
