"""SCI test fixtures: the shared pulled warehouse (tests/fixtures_warehouse.py) with a private LMC home per use,
so the SCI's step cache and outputs never collide between tests or xdist workers."""

from __future__ import annotations

from fixtures_warehouse import _pulled, pulled_warehouse  # noqa: F401  (re-exported fixtures)
