"""Fault tests: each scenario runs the real ``lmc`` command in a subprocess (killed, doubled, fed corrupt files or
hostile SQL) against a small home in a temporary folder, then checks what is left. Helpers: :mod:`faultkit`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from faultkit import Publisher


@pytest.fixture()
def publisher() -> Iterator[Publisher]:
    """A local HTTP server standing in for the publishers (stopped after the test)."""
    pub = Publisher()
    try:
        yield pub
    finally:
        pub.close()
