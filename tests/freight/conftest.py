"""Shared fixtures: one calibrated model per session (small n keeps the tests fast; results use the same code)."""

from __future__ import annotations

import pytest

from lmc.freight.model import fit


@pytest.fixture(scope="session")
def model():
    return fit(n=600, seed=7)
