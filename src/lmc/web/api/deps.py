"""Shared pieces of the routers: the current build, and checks of names against closed sets (with did-you-mean)."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request

from lmc.errors import unknown
from lmc.web.errors import BadParameter, NotFoundError
from lmc.web.store import BuiltIndex

async def built(request: Request) -> BuiltIndex:
    """The current build (a FastAPI dependency); raises NotBuiltError -> 503 when there is none. Async: the
    store only stats two files at most once a second, so no thread-pool hop is needed."""
    return request.app.state.store.get()


def check_choice(param: str, value: str | None, valid: Iterable[str]) -> None:
    """400 naming the parameter, the valid values and the closest one."""
    valid = list(valid)
    if value is not None and value not in valid:
        raise BadParameter(f"parameter {param!r}: " + unknown(param, value, valid))


def check_found(kind: str, value: str, valid: Iterable[str]) -> None:
    """404 naming what was asked for and the closest valid name."""
    valid = list(valid)
    if value not in valid:
        raise NotFoundError(unknown(kind, value, valid))
