"""The planner against a brute-force search (tests/corridor/corridor_brute.py) on every shipped test feed, walking
between stops included: Big Blue Bus (400 random queries on Tue 2020-03-03), Amtrak (five time zones, trips over
three days), the Hong Kong XRL (stations with platforms) and the corridor feed (frequency-based trips, border
controls, a road transfer).

Exact equality is required (no tolerance): both searches work in integer seconds. For every query the best arrival
with at most k rides must agree for every k (which covers the earliest arrival and the Pareto front on arrival x
transfers), and the footpaths the timetable builds must be those the reference computes by comparing every pair of
stops. The extracted journeys must be real, connected itineraries.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from corridor_brute import INF, BruteDay

from lmc.corridor import csa
from lmc.corridor.gtfs import read_feed
from lmc.corridor.plan import FEED_DIR, plan
from lmc.corridor.timetable import build_timetable, day_connections, days_back, horizon_days

BBB_DAY = dt.date(2020, 3, 3)


def _check(feed, tt, day: dt.date, tz: str, n_queries: int, seed: int, hours=(5, 21)) -> tuple[int, int]:
    """Random queries on ``day``; returns (queries with a journey, those whose Pareto front has > 1 journey)."""
    brute = BruteDay(feed, [str(s) for s in tt.stop_ids], day, back=days_back(tt), ahead=horizon_days(tt),
                     radius_m=tt.walk_radius_m, speed=tt.walk_speed_mps)
    fp_tt = {(int(f), int(t)): int(d) for f in range(tt.n_stops)
             for t, d in zip(tt.fp_to[tt.fp_start[f]:tt.fp_start[f + 1]], tt.fp_dur[tt.fp_start[f]:tt.fp_start[f + 1]])}
    assert fp_tt == brute.fp  # the footpaths: transfers.txt, platforms, walks within the radius
    assert np.array_equal(tt.stop_mtt, brute.mtt)
    dc = day_connections(tt, day)
    rng = np.random.default_rng(seed)
    served = np.unique(brute.frm)
    day0 = int(dt.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)).timestamp())
    found = multi = 0
    for q in range(n_queries):
        o, d = rng.choice(served, size=2, replace=False)
        t0 = day0 + int(rng.integers(hours[0] * 3600, hours[1] * 3600))
        lab = csa.run(dc, t0, np.array([o]), np.array([d]), tt.fp_start, tt.fp_to, tt.fp_dur, tt.stop_mtt,
                      tt.n_stops, max_rounds=12)
        ref = brute.search(t0, np.array([o]), np.array([d]), max_rounds=12)
        assert [int(x) for x in lab.best] == ref, (q, o, d, t0, list(lab.best), ref)
        if ref[-1] < INF:
            found += 1
            multi += len({r for r in ref if r < INF}) > 1
    return found, multi


@pytest.fixture(scope="module")
def bbb_feed(bbb):
    return bbb


def test_big_blue_bus_matches_brute_force_with_walks(bbb_feed):
    feed, tt = bbb_feed
    assert len(tt.fp_to) > 5 * 143  # walks between nearby stops, not only the 143 rows of transfers.txt
    found, multi = _check(feed, tt, BBB_DAY, "America/Los_Angeles", 400, 20200303)
    assert found >= 250  # the check is not vacuous
    assert multi >= 30  # and Pareto fronts with more than one journey occur


def test_amtrak_matches_brute_force(gtfs_dir):
    feed = read_feed(gtfs_dir / "amtrak_2021")
    found, _ = _check(feed, build_timetable(feed), dt.date(2021, 10, 12), "America/New_York", 120, 7)
    assert found >= 60


def test_xrl_matches_brute_force(gtfs_dir):
    feed = read_feed(gtfs_dir / "mtr_xrl_hongkong_2026")
    found, _ = _check(feed, build_timetable(feed), dt.date(2026, 1, 27), "Asia/Hong_Kong", 80, 11, hours=(7, 20))
    assert found >= 40


def test_corridor_feed_matches_brute_force():
    feed = read_feed(FEED_DIR)
    found, _ = _check(feed, build_timetable(feed), dt.date(2026, 6, 1), "Asia/Vientiane", 200, 5, hours=(0, 24))
    assert found >= 100


def test_walk_radius_and_speed_change_the_answer_as_they_should(bbb_feed):
    feed, tt = bbb_feed
    no_walks = build_timetable(feed, walk_radius_m=0)
    assert len(no_walks.fp_to) == 143  # transfers.txt only
    slow = build_timetable(feed, walk_speed_mps=0.6)
    found, _ = _check(feed, slow, BBB_DAY, "America/Los_Angeles", 60, 3)
    assert found >= 30


def test_extracted_journeys_are_connected(bbb_feed):
    _, tt = bbb_feed
    rng = np.random.default_rng(7)
    ids = tt.stop_ids
    checked = walked = 0
    for _ in range(40):
        o, d = rng.choice(len(ids), size=2, replace=False)
        p = plan(tt, str(ids[o]), str(ids[d]), BBB_DAY, "08:30", kind="pareto")
        for j in p.journeys:
            checked += 1
            walked += any(leg.mode == "transfer" for leg in j.legs)
            assert j.legs[0].from_stop_id == ids[o] and j.legs[-1].to_stop_id == ids[d]
            assert j.departure.isoformat() >= "2020-03-03T08:30"
            for a, b in zip(j.legs, j.legs[1:]):
                assert a.to_stop_id == b.from_stop_id or b.mode == "transfer" or a.mode == "transfer"
                assert a.arrival <= b.departure
            for leg in j.legs:
                assert leg.departure <= leg.arrival
            assert j.transfers == max(0, j.rides - 1)
        arrivals = [j.arrival for j in p.journeys]
        transfers = [j.transfers for j in p.journeys]
        assert arrivals == sorted(arrivals)
        assert transfers == sorted(transfers, reverse=True)  # Pareto: earlier arrival costs more transfers
    assert checked >= 20 and walked >= 5
