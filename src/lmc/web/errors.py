"""The web's errors: one class per answer the app gives, each with its HTTP status and stable code, and the rule
that no error text shows a server path, a process id or a lock message.

Every error body - the API's ``{"error": {"status", "code", "message"}}`` and the pages' error text - goes through
:func:`public_message`. Library errors (:class:`~lmc.errors.LmcError` raised by the engines) keep their message,
which names the field and the valid values, with any absolute path on this machine withheld; other exceptions
are bugs, logged on the server and answered without details.
"""

from __future__ import annotations

import re
from pathlib import Path

from lmc.errors import LmcError, WarehouseError


class WebError(LmcError):
    """An error with its HTTP status, stable code and, for "retry later" answers, a ``Retry-After``."""

    status: int = 400
    code: str = "invalid_parameter"
    retry_after: int | None = None

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        if retry_after is not None:
            self.retry_after = retry_after


class BadParameter(WebError):
    """A query parameter outside its closed set of valid values (HTTP 400)."""


class OutOfRange(WebError):
    """A number outside its allowed range; the message gives the range (HTTP 422)."""

    status, code = 422, "out_of_range"


class NotFoundError(WebError):
    """A unit, pair, scenario, file or other named thing does not exist (HTTP 404)."""

    status, code = 404, "not_found"


class NotBuiltError(WebError, WarehouseError):
    """The index has not been built into the output folder yet, or there is no warehouse (HTTP 503)."""

    status, code = 503, "not_available"


class WarehouseBusy(WebError):
    """The warehouse is locked by a writer (``lmc data pull``): retry shortly (HTTP 503, ``Retry-After``)."""

    status, code, retry_after = 503, "warehouse_busy", 10


class Busy(WebError):
    """Every worker slot is taken (HTTP 429, ``Retry-After``)."""

    status, code, retry_after = 429, "busy", 5


class TooSlow(WebError):
    """A job passed its wall-clock limit and was stopped (HTTP 504)."""

    status, code = 504, "timeout"


class LimitExceeded(WebError):
    """A job passed its CPU or memory limit and was stopped (HTTP 422: the same values would fail again)."""

    status, code = 422, "limit_exceeded"


class WorkerLost(WebError):
    """The worker processes could not be reached (HTTP 503, retry)."""

    status, code, retry_after = 503, "not_available", 5


class ModelFailed(WebError):
    """A model could not be estimated or solved for the given values (HTTP 422); the library's own message,
    which quotes its internals (PPML, solver), stays in the server log."""

    status, code = 422, "model_failed"


class JobError(WebError):
    """An error a worker process reported, with the status and code it computed there."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def public_status(exc: LmcError) -> tuple[int, str]:
    """(HTTP status, code) of an error: its own for a :class:`WebError`, 400 ``invalid_parameter`` for any other
    :class:`LmcError` (bad input the library rejected, with its message)."""
    if isinstance(exc, WebError):
        return exc.status, exc.code
    return 400, "invalid_parameter"


_LOCK = re.compile(r"could not set lock|conflicting lock", re.IGNORECASE)
"""DuckDB's own words for a lock held by another process."""
_LOCKED = re.compile(r"could not set lock|conflicting lock|\block(ed)?\b|\bbusy\b", re.IGNORECASE)


def is_lock_error(exc: BaseException) -> bool:
    """Whether a warehouse error is DuckDB refusing a connection because another process (a pull) holds the
    write lock. DuckDB says so only in its message ("Could not set lock on file ...: Conflicting lock is held in
    ... (PID n)"), which :func:`lmc.warehouse.db.connect` quotes or words as "busy"; the web cannot import duckdb
    (layering), so the text is what there is to go on."""
    return isinstance(exc, WarehouseError) and bool(_LOCKED.search(str(exc)))


WAREHOUSE_BUSY = "the warehouse is being updated (a data pull is running); retry in a few seconds."

_PATH = re.compile(r"(?<![\w.~:/-])/[^\s'\"`()<>\[\]{},;]+")
_PID = re.compile(r"\s*\(PID[\s:=]*\d+\)|\s*\bPID[\s:=]*\d+", re.IGNORECASE)


def _withhold(m: re.Match) -> str:
    token = m.group(0)
    top = token.split("/")[1]
    return "[path withheld]" if top and Path("/" + top).exists() else token


def public_message(text: str) -> str:
    """``text`` as a client may see it: absolute paths on this machine withheld (an address such as
    ``/api/v1/scores`` is kept: its first folder does not exist here), process ids removed, and a DuckDB lock
    message replaced by :data:`WAREHOUSE_BUSY`."""
    if _LOCK.search(text):
        return WAREHOUSE_BUSY
    return _PID.sub("", _PATH.sub(_withhold, text))


def message_of(exc: LmcError) -> str:
    """The public message of an error (see :func:`public_message`)."""
    return WAREHOUSE_BUSY if is_lock_error(exc) else public_message(str(exc))
