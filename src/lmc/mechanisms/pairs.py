"""Shared mechanisms per pair of LMC countries per year: the input of the index's institutions pillar.

Pairs are the 15 unordered pairs of the six LMC countries, coded ``'CHN-LAO'`` named by
:func:`lmc.sources.harmonise.pair_unit` (LMC order CHN MMR LAO THA KHM VNM: ``'MMR-LAO'``, never ``'LAO-MMR'``). A mechanism is shared by a pair in a year
when both are country members that year (rules in :func:`lmc.mechanisms.frames.membership_in_years`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.mechanisms.frames import RegistryLike, as_frames, membership_in_years
from lmc.sources.harmonise import lmc_pairs, pair_unit


def shared_mechanisms_detail(registry: RegistryLike, years: Iterable[int],
                             countries: Sequence[str] = LMC_COUNTRIES) -> pd.DataFrame:
    """Long frame (pair, year, mechanism): which mechanisms each pair shares in each year."""
    f = as_frames(registry)
    years = sorted({int(y) for y in years})
    mem = membership_in_years(f, years)
    mem = mem[mem["member"].isin(list(countries))]
    both = mem.merge(mem, on=["mechanism", "year"], suffixes=("_a", "_b"))
    both = both[both["member_a"] != both["member_b"]]
    pairs = [pair_unit(a, b) for a, b in zip(both["member_a"], both["member_b"], strict=True)]
    out = pd.DataFrame({"pair": pairs, "year": both["year"].astype(int), "mechanism": both["mechanism"]})
    return out.drop_duplicates().reset_index(drop=True)


def shared_mechanisms_by_pair_year(registry: RegistryLike, years: Iterable[int],
                                   countries: Sequence[str] = LMC_COUNTRIES) -> pd.DataFrame:
    """Columns ``pair, year, shared``: every pair x every year (zeros included), pairs in canonical order.

    ``registry`` is a validated :class:`~lmc.sources.mechanisms.Registry` or the four warehouse tables.
    """
    years = sorted({int(y) for y in years})
    detail = shared_mechanisms_detail(registry, years, countries)
    counts = detail.groupby(["pair", "year"]).size()
    pairs = lmc_pairs(countries)
    grid = pd.MultiIndex.from_product([pairs, years], names=["pair", "year"])
    out = counts.reindex(grid, fill_value=0).rename("shared").reset_index()
    out["year"] = out["year"].astype("int64")
    out["shared"] = out["shared"].astype("int64")
    return out
