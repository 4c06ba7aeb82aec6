"""The REST API under ``/api/v1``: one router per resource, all sharing :mod:`lmc.web.api.envelope`."""

from __future__ import annotations

from fastapi import APIRouter

from lmc.web.api import (guides, health, indicators, key_series, mechanisms, pairs, provenance, routes, scenarios,
                         scores, uncertainty)


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    for module in (health, scores, indicators, pairs, uncertainty, scenarios, routes, guides, mechanisms, provenance,
                   key_series):
        router.include_router(module.router)
    return router
