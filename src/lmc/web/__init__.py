"""lmc.web: the observatory in a browser - dashboard pages, a REST API and data downloads, in English and Chinese.

``create_app(settings)`` (:mod:`lmc.web.app`) builds a read-only FastAPI application over what the library
already produced or computes on demand:

* the built Soft Connectivity Index (``lmc build`` writes ``<home>/out``: scores, rank intervals, the indicator
  panel, sources), read by :mod:`lmc.web.store` and never modified;
* the warehouse's ``provenance`` table (through :func:`lmc.warehouse.db.read_table`);
* scenarios (:mod:`lmc.flows.scenarios`), the journey planner (:mod:`lmc.corridor.plan`), the traveller manuals
  (:mod:`lmc.guides`) and the mechanisms registry (:mod:`lmc.mechanisms`), called with validated, bounded inputs.

Pages live in :mod:`lmc.web.pages` (Jinja2 templates, Plotly served from the installed ``plotly`` package, no
CDN), the API under ``/api/v1`` in :mod:`lmc.web.api` (one router per resource, one error envelope, pagination).
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    # FastAPI is imported only when the app is wanted, so ``import lmc.web`` stays cheap
    if name == "create_app":
        from lmc.web.app import create_app

        return create_app
    raise AttributeError(f"module 'lmc.web' has no attribute {name!r}")
