"""Overlap between mechanisms: Jaccard similarity of their member sets and of their sector sets.

Jaccard(A, B) = |A ∩ B| / |A ∪ B|: 1 for identical sets, 0 for disjoint ones. It is the natural measure of
"these two mechanisms gather the same countries" (P. Jaccard, 1901); two empty sets give NaN
(nothing to compare) rather than a made-up 0 or 1.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from lmc.mechanisms.frames import RegistryLike, as_frames, current_members
from lmc.mechanisms.results import OverlapResult


def jaccard_matrix(sets: Mapping[str, frozenset[str] | set[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pure kernel: square Jaccard and intersection-count matrices for named sets, in the mapping's order."""
    ids = list(sets)
    n = len(ids)
    inter = np.zeros((n, n), dtype=int)
    jac = np.full((n, n), np.nan)
    for i, a in enumerate(ids):
        for j in range(i, n):
            sa, sb = sets[a], sets[ids[j]]
            k = len(sa & sb)
            u = len(sa | sb)
            inter[i, j] = inter[j, i] = k
            jac[i, j] = jac[j, i] = k / u if u else np.nan
    index = pd.Index(ids, name="mechanism")
    return pd.DataFrame(jac, index=index, columns=ids), pd.DataFrame(inter, index=index, columns=ids)


def membership_overlap(registry: RegistryLike, *, kinds: tuple[str, ...] = ("country",),
                       include_dormant: bool = True) -> OverlapResult:
    """Jaccard of current members between every pair of mechanisms (default: countries only).

    ``kinds`` may add ``"subnational"`` or ``"partner"``; the issue's matrix is countries only, current members.
    """
    f = as_frames(registry)
    mech = f.mechanisms if include_dormant else f.mechanisms[f.mechanisms["status"] != "dormant"]
    sets = current_members(f, kinds, mech["mechanism"])
    jac, inter = jaccard_matrix(sets)
    sizes = pd.Series({k: len(v) for k, v in sets.items()}, name="size")
    return OverlapResult(jac, inter, sizes, f"members: {', '.join(kinds)}, current")


def sector_overlap(registry: RegistryLike, *, include_dormant: bool = True) -> OverlapResult:
    """Jaccard of priority-sector sets between every pair of mechanisms."""
    f = as_frames(registry)
    mech = f.mechanisms if include_dormant else f.mechanisms[f.mechanisms["status"] != "dormant"]
    grouped = f.sectors.groupby("mechanism", sort=False)["sector"].agg(lambda s: frozenset(map(str, s)))
    sets = {m: grouped.get(m, frozenset()) for m in mech["mechanism"]}
    jac, inter = jaccard_matrix(sets)
    sizes = pd.Series({k: len(v) for k, v in sets.items()}, name="size")
    return OverlapResult(jac, inter, sizes, "sectors")
