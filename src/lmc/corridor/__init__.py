"""lmc.corridor: the China-Laos-Thailand rail corridor as GTFS, a journey planner for any GTFS feed,
accessibility of heritage sites from stations, and multi-day itineraries.

Modules, in pipeline order: ``gtfs`` (read and validate a feed), ``walks`` (walks between nearby stops),
``interpolate`` (blank stop times), ``timetable`` (arrays + disk cache + service-day layout), ``csa`` (round-based
Connection Scan, numba for large inputs), ``names`` (stops and places in any language), ``explain`` (why there is
no journey), ``plan`` (``plan() -> JourneyPlan``), ``access``, ``itinerary``; ``feed_build`` turns
``timetable.yaml`` into the GTFS files in ``feed/``. See docs/corridor.md.
"""
