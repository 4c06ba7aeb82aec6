"""Amtrak (../shared/data/gtfs/amtrak_2021): five time zones, trips running over three days, times like 7:10:00."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from lmc.corridor.plan import plan


def _expected(gtfs_dir, trip_short: str, stop: str, column: str, service_day: dt.date, stop_tz: str) -> dt.datetime:
    """Local time of a raw stop_time, computed by hand: agency zone America/New_York, noon minus 12 h."""
    from zoneinfo import ZoneInfo

    d = gtfs_dir / "amtrak_2021"
    trips = pd.read_csv(d / "trips.txt", dtype=str)
    cal = pd.read_csv(d / "calendar.txt", dtype=str)
    ymd = service_day.strftime("%Y%m%d")
    wd = service_day.strftime("%A").lower()
    active = set(cal.loc[(cal["start_date"] <= ymd) & (cal["end_date"] >= ymd) & (cal[wd] == "1"), "service_id"])
    tids = set(trips.loc[(trips["trip_short_name"] == trip_short) & trips["service_id"].isin(active), "trip_id"])
    st = pd.read_csv(d / "stop_times.txt", dtype=str)
    raw = st.loc[st["trip_id"].isin(tids) & (st["stop_id"] == stop), column].iloc[0]
    h, m, s = (int(x) for x in raw.split(":"))
    noon = dt.datetime(service_day.year, service_day.month, service_day.day, 12, tzinfo=ZoneInfo("America/New_York"))
    return (noon - dt.timedelta(hours=12) + dt.timedelta(hours=h, minutes=m, seconds=s)).astimezone(ZoneInfo(stop_tz))


def test_new_york_to_chicago_local_times(amtrak, gtfs_dir):
    p = plan(amtrak, "NYP", "CHI", "2021-10-12", "08:00", kind="pareto")
    direct = [j for j in p.journeys if j.transfers == 0]
    assert direct, "the Lake Shore Limited runs New York - Chicago without a change"
    leg = direct[0].legs[0]
    assert leg.departure.utcoffset() == dt.timedelta(hours=-4)  # New York, EDT
    assert leg.arrival.utcoffset() == dt.timedelta(hours=-5)  # Chicago, CDT
    assert leg.arrival == _expected(gtfs_dir, leg.trip_name, "CHI", "arrival_time", dt.date(2021, 10, 12),
                                    "America/Chicago")
    assert leg.arrival.date() == dt.date(2021, 10, 13)
    arrivals = [j.arrival for j in p.journeys]
    assert arrivals == sorted(arrivals)


def test_multi_day_trip_into_the_pacific_zone(amtrak, gtfs_dir):
    j = plan(amtrak, "Chicago Union Station", "SEA", "2021-10-12", "08:00", kind="earliest").journeys[0]
    leg = j.legs[-1]
    assert j.arrival.utcoffset() == dt.timedelta(hours=-7)  # Seattle, PDT
    assert j.arrival - j.departure > dt.timedelta(hours=40)
    assert leg.arrival == _expected(gtfs_dir, leg.trip_name, "SEA", "arrival_time", dt.date(2021, 10, 12),
                                    "America/Los_Angeles")


def test_trip_started_days_earlier_is_boardable(amtrak):
    # Southwest Chief leaves Chicago in the afternoon; boarding at Albuquerque (Mountain time) on the next
    # calendar day uses the previous service day's trip, with stop_times past 24:00
    j = plan(amtrak, "ABQ", "LAX", "2021-10-13", "00:00", kind="earliest").journeys[0]
    assert j.departure.utcoffset() == dt.timedelta(hours=-6)  # Albuquerque, MDT
    assert j.departure.date() == dt.date(2021, 10, 13)
    assert j.arrival.utcoffset() == dt.timedelta(hours=-7)


def test_xrl_stations_platforms_and_zones(gtfs_dir, tt_cache):
    """Hong Kong XRL: a station name stands for its platforms; West Kowloon is Asia/Hong_Kong, the rest Shanghai."""
    from lmc.corridor.timetable import load_timetable

    tt = load_timetable(gtfs_dir / "mtr_xrl_hongkong_2026", cache_dir=tt_cache)
    j = plan(tt, "香港西九龍", "廣州南", "2026-01-27", "08:00", kind="earliest").journeys[0]
    leg = j.legs[0]
    assert leg.from_stop_id == "WEK_pf" and leg.to_stop_id == "GZN_pf"
    assert leg.departure.tzinfo.key == "Asia/Hong_Kong" and leg.arrival.tzinfo.key == "Asia/Shanghai"
    assert leg.departure.isoformat() >= "2026-01-27T08:00"
