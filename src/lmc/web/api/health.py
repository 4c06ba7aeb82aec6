"""``GET /api/v1/health``: is the app up, and is there a built index to show."""

from __future__ import annotations

from fastapi import APIRouter, Request

from lmc import __version__
from lmc.web.api.envelope import single
from lmc.web.errors import NotBuiltError

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness and build status")
async def health(request: Request):
    """Always 200 while the app runs; ``data.index_built`` says whether pages have numbers to show."""
    store = request.app.state.store
    try:
        b = store.get()
        built = {"index_built": True, "years": [min(b.years), max(b.years)], "build_key": b.key}
    except NotBuiltError as exc:
        built = {"index_built": False, "message": str(exc)}
    return single({"status": "ok", "version": __version__, **built})
