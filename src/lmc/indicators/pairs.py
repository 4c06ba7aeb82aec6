"""Pair identifiers: the 15 undirected LMC country pairs in canonical order.

A pair is written ``'A-B'`` with A before B in the LMC order ``CHN MMR LAO THA KHM VNM`` (so ``'CHN-LAO'``, never
``'LAO-CHN'``); a direction is written ``'A>B'`` (origin > destination). One place for this so that every table,
chart and test agrees on the order.
"""

from __future__ import annotations

from itertools import combinations

from lmc import LMC_COUNTRIES

_ORDER = {c: i for i, c in enumerate(LMC_COUNTRIES)}


def pair_id(a: str, b: str) -> str:
    """The canonical undirected id of two distinct LMC countries (order of the arguments does not matter)."""
    if a == b:
        raise ValueError(f"a pair needs two different countries, got {a!r} twice")
    x, y = sorted((a, b), key=lambda c: _ORDER[c])
    return f"{x}-{y}"


def split_pair(pid: str) -> tuple[str, str]:
    a, b = pid.split("-")
    return a, b


def all_pairs(countries: tuple[str, ...] = LMC_COUNTRIES) -> list[str]:
    """The 15 pairs in canonical order: CHN-MMR, CHN-LAO, ..., KHM-VNM."""
    return [pair_id(a, b) for a, b in combinations(countries, 2)]


def is_lmc(code: object) -> bool:
    return isinstance(code, str) and code in _ORDER
