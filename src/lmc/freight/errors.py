"""Errors of the freight engine (subclasses of :class:`lmc.errors.LmcError`: the CLI prints one line, exit 2)."""

from __future__ import annotations

from lmc.errors import ValidationError


class FreightInputError(ValidationError):
    """The freight model's inputs file does not validate (message names file, line and field)."""


class FreightScenarioError(ValidationError):
    """An unknown freight scenario or a bad scenario parameter (message lists the valid ones)."""
