"""lmc.corridor: the China-Laos-Thailand rail corridor as GTFS, a journey planner for any GTFS feed,
accessibility of heritage sites from stations, and multi-day itineraries.

Modules, in pipeline order: ``gtfs`` (read a feed), ``timetable`` (arrays + disk cache + service-day layout),
``csa`` (round-based Connection Scan, numba), ``plan`` (``plan() -> JourneyPlan``), ``access``, ``itinerary``;
``feed_build`` turns ``timetable.yaml`` into the GTFS files in ``feed/``. See docs/corridor.md.
"""
