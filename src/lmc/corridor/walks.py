"""Walking between stops: which stops are within a radius of each other, and how long the walk takes.

Feeds rarely list every walk a rider can make: Big Blue Bus lists 143, many feeds none, so a rider could not cross
the street. Journey planners (R5, OpenTripPlanner, pyraptor) add walks from the stops' coordinates; so do we, for
every pair of stops within ``radius_m`` (default 400 m) that transfers.txt does not already link, at
``speed_mps`` (default 1.2 m/s, a common planning value for an unhurried walk) along the straight line.
The straight line is shorter than the street path, so walks are optimistic within the radius; keep it small.
"""

from __future__ import annotations

import math

import numpy as np

EARTH_RADIUS_M = 6371008.8
DEFAULT_RADIUS_M = 400.0
DEFAULT_SPEED_MPS = 1.2


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (vectorised; NaN where a coordinate is missing)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((np.radians(lon2) - np.radians(lon1)) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def pairs_within(lat: np.ndarray, lon: np.ndarray, radius_m: float, candidates: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ordered pairs ``(i, j)``, ``i != j``, of points at most ``radius_m`` apart, with their distance in metres.

    ``candidates`` (boolean mask) limits the points considered; points without coordinates are skipped. A k-d tree
    on the unit sphere finds the pairs (SciPy), the haversine formula measures them.
    """
    ok = np.isfinite(lat) & np.isfinite(lon)
    if candidates is not None:
        ok &= candidates
    pts = np.flatnonzero(ok)
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    if len(pts) < 2 or radius_m <= 0:
        return empty
    from scipy.spatial import cKDTree

    phi, lam = np.radians(lat[pts]), np.radians(lon[pts])
    xyz = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])
    chord = 2 * math.sin(min(radius_m / EARTH_RADIUS_M, math.pi) / 2) * (1 + 1e-9)
    pairs = cKDTree(xyz).query_pairs(chord, output_type="ndarray")
    if len(pairs) == 0:
        return empty
    a, b = pts[pairs[:, 0]], pts[pairs[:, 1]]
    d = haversine_m(lat[a], lon[a], lat[b], lon[b])
    keep = d <= radius_m
    a, b, d = a[keep], b[keep], d[keep]
    return np.r_[a, b], np.r_[b, a], np.r_[d, d]


def walk_seconds(distance_m: np.ndarray, speed_mps: float) -> np.ndarray:
    """Whole seconds to walk ``distance_m`` at ``speed_mps`` (rounded up: a walk never arrives early)."""
    return np.ceil(np.asarray(distance_m, dtype=float) / speed_mps).astype(np.int64)
