"""The corridor feed: in sync with its YAML, valid for gtfs-kit, sourced, and right about Kunming -> Vientiane."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd

from lmc.corridor.feed_build import FEED_DIR, YAML_PATH, build_files, load_yaml
from lmc.corridor.plan import plan


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
                    "Thanaleng", "Khamsavath (Vientiane)"):
        assert station in names


def test_every_trip_stop_and_transfer_has_a_source():
    src = pd.read_csv(FEED_DIR / "sources.txt", dtype=str)
    trips = pd.read_csv(FEED_DIR / "trips.txt", dtype=str)
    stops = pd.read_csv(FEED_DIR / "stops.txt", dtype=str)
    assert set(trips["trip_id"]) <= set(src.loc[src["table_name"] == "trips", "record_id"])
    assert set(stops["stop_id"]) <= set(src.loc[src["table_name"] == "stops", "record_id"])
    assert src["url"].str.startswith("http").all() and src["accessed"].str.len().eq(10).all()


def test_kunming_south_to_vientiane_international_train(corridor_tt):
    p = plan(corridor_tt, "Kunming South", "Vientiane", "2026-06-01", "07:00")
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
    assert leg.estimated  # intermediate times are derived and flagged
    d = p.to_dict()["journeys"][0]
    assert d["departure"].endswith("+08:00") and d["arrival"].endswith("+07:00")


def test_bangkok_to_luang_prabang_uses_the_road_transfer(corridor_tt):
    j = plan(corridor_tt, "KTA", "Luang Prabang", "2026-06-01", "20:00", kind="earliest").journeys[0]
    modes = [(leg.mode, leg.from_stop_id, leg.to_stop_id) for leg in j.legs]
    assert modes == [("ride", "KTA", "KHS"), ("transfer", "KHS", "VTE"), ("ride", "VTE", "LPB")]
    assert j.legs[1].duration >= dt.timedelta(minutes=45)
    assert [c.stop_id for c in j.legs[0].clearance] == ["NKI"]
    assert j.legs[0].arrival.isoformat() == "2026-06-02T09:05:00+07:00"


def test_station_names_in_chinese_resolve(corridor_tt):
    j = plan(corridor_tt, "昆明南", "万象", "2026-06-01", "07:00", kind="earliest").journeys[0]
    assert (j.legs[0].from_stop_id, j.legs[-1].to_stop_id) == ("KMS", "VTE")
