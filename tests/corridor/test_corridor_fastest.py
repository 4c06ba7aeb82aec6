"""Fastest scheduled times between the corridor countries' main stations (the gravity panel's rail travel time)."""

from __future__ import annotations

import pytest

from lmc.corridor.plan import fastest_times


@pytest.fixture(scope="module")
def times_2025():
    return fastest_times([2025]).set_index(["origin", "destination"])


def test_kunming_to_vientiane_is_the_international_train(times_2025) -> None:
    row = times_2025.loc[("CHN", "LAO")]
    # D887: Kunming South 08:00 (UTC+8) -> Vientiane 16:30 (UTC+7) = 9.5 h door to door, clearance included
    assert row["rail_time_h"] == pytest.approx(9.5)
    assert row["from_stop"] == "Kunming South" and row["to_stop"] == "Vientiane"
    assert row["transfers"] == 0


def test_only_pairs_with_a_journey_are_listed(times_2025) -> None:
    # southbound Vientiane -> Bangkok has no published times (Rapid 134), so no LAO->THA or CHN->THA row
    assert ("LAO", "THA") not in times_2025.index and ("CHN", "THA") not in times_2025.index
    assert (times_2025["rail_time_h"] > 0).all()
    assert set(times_2025.reset_index()["year"]) == {2025}
