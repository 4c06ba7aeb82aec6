"""Errors raised by :mod:`lmc.flows`; all are :class:`lmc.errors.LmcError`, so the CLI prints one line, exit 2."""

from __future__ import annotations

from lmc.errors import LmcError, ValidationError


class GravityDataError(ValidationError):
    """A gravity data file or frame lacks a column the formula names, or holds unusable values."""


class ScenarioError(ValidationError):
    """A scenario names an unknown country, variable, destination or year (the message lists valid ones)."""


class ConvergenceError(LmcError):
    """A fixed point or estimator did not converge; carries the iteration log instead of a silent result."""

    def __init__(self, message: str, log: list[str] | None = None) -> None:
        self.log = list(log or [])
        tail = self.log[-8:]
        detail = ("; iteration log (last %d): " % len(tail) + " | ".join(tail)) if tail else ""
        super().__init__(message + detail)
