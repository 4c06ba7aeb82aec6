"""Fixtures of the corridor tests: the shared GTFS feeds (read in place), an isolated timetable cache, and a
builder for small hand-written feeds (every one named synthetic_*)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def gtfs_dir(shared_dir: Path) -> Path:
    d = shared_dir / "data" / "gtfs"
    assert d.is_dir(), f"shared GTFS feeds not found at {d}"
    return d


@pytest.fixture(scope="session")
def tt_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("timetables")


@pytest.fixture(scope="session")
def bbb(gtfs_dir: Path, tt_cache: Path):
    from lmc.corridor.gtfs import read_feed
    from lmc.corridor.timetable import build_timetable

    feed = read_feed(gtfs_dir / "bigbluebus_santa_monica_2020")
    return feed, build_timetable(feed)


@pytest.fixture(scope="session")
def amtrak(gtfs_dir: Path, tt_cache: Path):
    from lmc.corridor.timetable import load_timetable

    return load_timetable(gtfs_dir / "amtrak_2021", cache_dir=tt_cache)


@pytest.fixture(scope="session")
def corridor_tt(tt_cache: Path):
    from lmc.corridor.plan import FEED_DIR
    from lmc.corridor.timetable import load_timetable

    return load_timetable(FEED_DIR, cache_dir=tt_cache)
