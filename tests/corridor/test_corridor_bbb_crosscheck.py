"""Cross-check of the planner against a brute-force search on 600 random Big Blue Bus queries (Tue 2020-03-03).

Exact equality is required (no tolerance): both searches work in integer seconds on the same timetable.
For every query the best arrival with at most k rides must agree for every k (which covers both the earliest
arrival and the Pareto front on arrival x transfers), and the journey the planner extracts must be a real,
connected itinerary arriving at that time.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from corridor_brute import INF, BruteDay

from lmc.corridor import csa
from lmc.corridor.plan import plan
from lmc.corridor.timetable import day_connections

DAY = dt.date(2020, 3, 3)
N_QUERIES = 600


@pytest.fixture(scope="module")
def brute(bbb):
    feed, tt = bbb
    return BruteDay(feed, tt, DAY)


def test_random_queries_match_brute_force(bbb, brute):
    feed, tt = bbb
    dc = day_connections(tt, DAY)
    rng = np.random.default_rng(20200303)
    served = np.unique(brute.frm)
    day0 = int(dt.datetime(2020, 3, 3, tzinfo=dt.timezone(dt.timedelta(hours=-8))).timestamp())
    end_of_day = int(brute.arr.max())
    found = 0
    multi = 0
    for q in range(N_QUERIES):
        o, d = rng.choice(served, size=2, replace=False)
        t0 = day0 + int(rng.integers(5 * 3600, 21 * 3600))
        lab = csa.run(dc, t0, np.array([o]), np.array([d]), tt.fp_start, tt.fp_to, tt.fp_dur, tt.stop_mtt,
                      tt.n_stops, max_rounds=12)
        ref = brute.search(t0, np.array([o]), np.array([d]), max_rounds=12)
        for k in range(13):
            if ref[k] < INF:
                assert int(lab.best[k]) == ref[k], (q, o, d, t0, k, list(lab.best), ref)
            else:  # the brute force sees one service day only; the planner may continue into the next
                assert int(lab.best[k]) >= end_of_day or int(lab.best[k]) >= INF // 2, (q, k)
        if ref[-1] < INF:
            found += 1
            if len({r for r in ref if r < INF}) > 1:
                multi += 1
    assert found >= 400  # the check is not vacuous
    assert multi >= 50  # and Pareto fronts with more than one journey occur


def test_extracted_journeys_are_connected(bbb):
    _, tt = bbb
    rng = np.random.default_rng(7)
    ids = tt.stop_ids
    checked = 0
    for _ in range(40):
        o, d = rng.choice(len(ids), size=2, replace=False)
        p = plan(tt, str(ids[o]), str(ids[d]), DAY, "08:30", kind="pareto")
        for j in p.journeys:
            checked += 1
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
    assert checked >= 20
