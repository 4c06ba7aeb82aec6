"""The corridor feed: in sync with its YAML, valid for gtfs-kit, sourced, every service with open evidence, and right
about the journeys travellers ask for (Kunming - Vientiane, Kunming - Bangkok and back, Vientiane - Bangkok)."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
import pytest

from lmc.corridor.feed_build import FEED_DIR, YAML_PATH, build_files, load_yaml
from lmc.corridor.plan import plan

DAY = "2026-06-01"


def test_feed_files_match_the_yaml():
    files = build_files(load_yaml(YAML_PATH))
    for name, text in files.items():
        assert (FEED_DIR / name).read_text(encoding="utf-8") == text, f"{name} is stale: run lmc corridor build-feed"


def test_gtfs_kit_reads_and_rates_the_feed_good():
    import gtfs_kit as gk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        feed = gk.read_feed(FEED_DIR, dist_units="km")
        q = feed.assess_quality().set_index("indicator")["value"]
    assert q["assessment"] == "good feed"
    assert set(feed.stops["stop_timezone"]) == {"Asia/Shanghai", "Asia/Vientiane", "Asia/Bangkok"}
    assert feed.calendar["end_date"].max() >= "20261231"
    names = set(feed.stops["stop_name"])
    for station in ("Kunming South", "Mohan", "Boten", "Luang Prabang", "Vang Vieng", "Vientiane", "Nong Khai",
                    "Thanaleng", "Khamsavath (Vientiane)", "Ayutthaya", "Nakhon Ratchasima", "Khon Kaen",
                    "Udon Thani"):
        assert station in names


def test_every_record_has_a_source():
    src = pd.read_csv(FEED_DIR / "sources.txt", dtype=str)
    for table, ids in (("trips", pd.read_csv(FEED_DIR / "trips.txt", dtype=str)["trip_id"]),
                       ("stops", pd.read_csv(FEED_DIR / "stops.txt", dtype=str)["stop_id"]),
                       ("routes", pd.read_csv(FEED_DIR / "routes.txt", dtype=str)["route_id"]),
                       ("calendar", pd.read_csv(FEED_DIR / "calendar.txt", dtype=str)["service_id"])):
        assert set(ids) <= set(src.loc[src["table_name"] == table, "record_id"]), table
    assert src["url"].str.startswith("http").all() and src["accessed"].str.len().eq(10).all()


def test_every_service_with_open_evidence_is_in_the_feed():
    trips = pd.read_csv(FEED_DIR / "trips.txt", dtype=str).set_index("trip_id")
    freq = pd.read_csv(FEED_DIR / "frequencies.txt", dtype=str).set_index("trip_id")
    notes = pd.read_csv(FEED_DIR / "trip_notes.txt", dtype=str).set_index("trip_id")
    st = pd.read_csv(FEED_DIR / "stop_times.txt", dtype=str)
    stops_of = st.groupby("trip_id")["stop_id"].apply(list)
    # Rapid 134, the Udon Thani - Khamsavath pair, K11, the second Kunming - Vientiane pair, the Xishuangbanna /
    # Pu'er - Luang Prabang pair, the Lao and the Chinese domestic EMUs
    for tid in ("134", "UDT-KHS", "KHS-UDT", "K11", "D86", "INTL2-N", "XSBLP-S-2024", "XSBLP-N-2024", "PUELP-S",
                "PUELP-N", "LAO-EMU-N", "LAO-EMU-S", "CN-EMU-XSB-S", "CN-EMU-XSB-N", "CN-EMU-MOH-S", "CN-EMU-MOH-N"):
        assert tid in trips.index, tid
    assert stops_of["134"] == ["KHS", "THL", "NKI", "UDT", "KKN", "NRS", "AYU", "KTA"]
    assert stops_of["133"] == ["KTA", "AYU", "NRS", "KKN", "UDT", "NKI", "THL", "KHS"]  # the Thai stations
    assert stops_of["PUELP-S"] == ["PUE", "XSB", "MLA", "MOH", "BOT", "NAT", "MXA", "LPB"]  # eight stations, 2025
    assert stops_of["XSBLP-S-2024"] == ["XSB", "MLA", "MOH", "BOT", "MXA", "LPB"]  # six stations, 2024
    cal = pd.read_csv(FEED_DIR / "calendar.txt", dtype=str).set_index("service_id")
    xsb = cal.loc[trips.loc["XSBLP-S-2024", "service_id"]]
    assert xsb["start_date"] == "20240413" and (xsb[["monday", "friday", "saturday", "sunday"]] == "1").all()
    assert (xsb[["tuesday", "wednesday", "thursday"]] == "0").all()
    # clock times not in open data: frequency-based, inexact, with a note; their stop times all timepoint 0
    assert (freq["exact_times"] == "0").all()
    assert set(freq.index) <= set(notes.index)
    assert st.loc[st["trip_id"].isin(freq.index), "timepoint"].eq("0").all()
    for tid in freq.index:
        assert "not in open data" in notes.loc[tid, "note"] and "check" in notes.loc[tid, "note"].lower(), tid
    # published times stay published: D887 departs Kunming South 08:00 Beijing time (07:00 in the feed's zone)
    d887 = st[st["trip_id"] == "D887"].iloc[0]
    assert (d887["departure_time"], d887["timepoint"]) == ("07:00:00", "1")


@pytest.mark.parametrize(("origin", "destination"), [("Kunming", "Bangkok"), ("Bangkok", "Kunming"),
                                                     ("Kunming South", "Mohan"), ("Vientiane", "Bangkok")])
def test_the_journeys_travellers_ask_for_take_under_48_hours(corridor_tt, origin, destination):
    p = plan(corridor_tt, origin, destination, DAY, "07:00")
    assert p.journeys, p.reason
    j = p.journeys[0]
    assert j.departure >= dt.datetime.fromisoformat(f"{DAY}T07:00:00").replace(tzinfo=j.departure.tzinfo)
    assert j.duration < dt.timedelta(hours=48)
    assert p.reason is None


def test_kunming_bangkok_uses_the_estimated_rapid_134_and_says_so(corridor_tt):
    j = plan(corridor_tt, "Kunming", "Bangkok", DAY, "07:00", kind="earliest").journeys[0]
    rides = [leg for leg in j.legs if leg.mode == "ride"]
    assert [leg.trip_name for leg in rides] == ["D887", "Rapid 134"]
    assert [leg.mode for leg in j.legs][1] == "transfer"  # the road between Vientiane station and Khamsavath
    r134 = rides[-1]
    assert r134.frequency_based and r134.estimated and r134.headway_min == 90
    assert "Rapid 134" in r134.note and "not in open data" in r134.note
    assert j.estimated and j.notes == (r134.note,)
    d = plan(corridor_tt, "Kunming", "Bangkok", DAY, "07:00", kind="earliest").to_dict()["journeys"][0]
    assert d["estimated"] is True and d["notes"] == [r134.note]
    assert d["legs"][-1]["frequency_based"] is True and d["legs"][-1]["note"] == r134.note
    assert d["legs"][0]["frequency_based"] is False and d["legs"][0]["note"] is None


def test_kunming_south_to_vientiane_international_train(corridor_tt):
    p = plan(corridor_tt, "Kunming South", "Vientiane", DAY, "07:00")
    j = p.journeys[0]
    assert j.transfers == 0 and len(j.legs) == 1
    leg = j.legs[0]
    assert leg.trip_id == "D887" and leg.route_id == "LCR-INTL"
    # published: dep 08:00 Beijing time, arr 16:30 Lao time, the same day
    assert leg.departure.isoformat() == "2026-06-01T08:00:00+08:00"
    assert leg.arrival.isoformat() == "2026-06-01T16:30:00+07:00"
    assert j.duration == dt.timedelta(hours=9, minutes=30)
    steps = {c.stop_id: c for c in leg.clearance}
    assert set(steps) == {"MOH", "BOT"}
    assert steps["MOH"].arrival.utcoffset() == dt.timedelta(hours=8)
    assert steps["BOT"].arrival.utcoffset() == dt.timedelta(hours=7)
    total = sum((c.departure - c.arrival for c in leg.clearance), dt.timedelta())
    assert dt.timedelta(hours=1, minutes=30) <= total <= dt.timedelta(hours=2)  # "reduced from 3 h to 2 h"
    assert leg.estimated and not leg.frequency_based  # the clearance times are derived, the train is scheduled
    d = p.to_dict()["journeys"][0]
    assert d["departure"].endswith("+08:00") and d["arrival"].endswith("+07:00")


def test_observed_times_are_not_flagged(corridor_tt):
    """D888 Vientiane 08:00 -> Luang Prabang 09:44 are both a traveller's observed times: not estimated."""
    j = plan(corridor_tt, "VTE", "LPB", DAY, "07:30", kind="earliest").journeys[0]
    (leg,) = j.legs
    assert (leg.trip_id, leg.departure.strftime("%H:%M"), leg.arrival.strftime("%H:%M")) == ("D888", "08:00", "09:44")
    assert not leg.estimated and not j.estimated and j.notes == ()


def test_bangkok_to_luang_prabang_the_same_day_by_lao_emu(corridor_tt):
    j = plan(corridor_tt, "KTA", "Luang Prabang", DAY, "20:00", kind="earliest").journeys[0]
    modes = [(leg.mode, leg.from_stop_id, leg.to_stop_id) for leg in j.legs]
    assert modes == [("ride", "KTA", "KHS"), ("transfer", "KHS", "VTE"), ("ride", "VTE", "LPB")]
    assert j.legs[1].duration >= dt.timedelta(minutes=45)
    assert [c.stop_id for c in j.legs[0].clearance] == ["NKI"]
    assert j.legs[0].arrival.isoformat() == "2026-06-02T09:05:00+07:00"
    assert j.legs[2].trip_name == "Lao EMU" and j.legs[2].frequency_based
    assert j.duration < dt.timedelta(hours=18)  # was 36 h with one Lao train a day


def test_fastest_scheduled_times_leave_out_estimated_trains(corridor_tt):
    from lmc.corridor.plan import fastest_times

    sched = fastest_times([2026], feed=corridor_tt).set_index(["origin", "destination"])
    assert ("LAO", "THA") not in sched.index  # Rapid 134 has no published time
    assert sched.loc[("CHN", "LAO"), "rail_time_h"] == pytest.approx(9.5)
    every = fastest_times([2026], feed=corridor_tt, scheduled_only=False).set_index(["origin", "destination"])
    # Vientiane station, 45 min by road to Khamsavath, then 134 (11 h 40, estimated)
    assert every.loc[("LAO", "THA"), "rail_time_h"] == pytest.approx(12 + 25 / 60, abs=1e-3)
    assert bool(every.loc[("LAO", "THA"), "estimated"])
