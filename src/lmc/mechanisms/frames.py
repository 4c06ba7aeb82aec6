"""The registry as four tidy frames: the common input of every analysis in :mod:`lmc.mechanisms`.

Analyses accept either a validated :class:`~lmc.sources.mechanisms.Registry` or the same four tables read back
from the warehouse (``mechanisms``, ``mechanism_members``, ``mechanism_sectors``, ``mechanism_programmes``), so the
index can call them on warehouse data and tests can call them on a hand-made registry. Either way they see the
same columns; this module is the only place that tells the two apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lmc.sources.mechanisms import Registry, registry_tables

TABLE_NAMES = ("mechanisms", "mechanism_members", "mechanism_sectors", "mechanism_programmes")

RegistryLike = Registry | Mapping[str, pd.DataFrame]
"""A validated registry, or its four warehouse tables keyed by table name."""


@dataclass(frozen=True, slots=True, eq=False)
class RegistryFrames:
    """Four frames, columns as in :data:`lmc.sources.mechanisms.TABLES`."""

    mechanisms: pd.DataFrame
    members: pd.DataFrame
    sectors: pd.DataFrame
    programmes: pd.DataFrame
    vocabulary: tuple[str, ...]
    """Sector vocabulary in its declared order (for a registry read from tables: the sectors that occur)."""


def as_frames(source: RegistryLike | RegistryFrames) -> RegistryFrames:
    """Normalise a registry or its warehouse tables into :class:`RegistryFrames`."""
    if isinstance(source, RegistryFrames):
        return source
    if isinstance(source, Registry):
        t = registry_tables(source)
        vocab = tuple(source.vocabulary.sectors)
    else:
        missing = [n for n in TABLE_NAMES if n not in source]
        if missing:
            raise KeyError(f"registry tables missing: {', '.join(missing)}")
        t = {n: source[n].copy() for n in TABLE_NAMES}
        vocab = tuple(sorted(set(t["mechanism_sectors"]["sector"].astype(str))))
    return RegistryFrames(t["mechanisms"], t["mechanism_members"], t["mechanism_sectors"],
                          t["mechanism_programmes"], vocab)


def current_members(frames: RegistryFrames, kinds: tuple[str, ...] = ("country",),
                    mechanisms: pd.Series | None = None) -> dict[str, frozenset[str]]:
    """Current members (not left) of each mechanism, of the given kinds, as sets keyed by mechanism id.

    Every mechanism appears, with an empty set when it has no member of those kinds.
    """
    mem = frames.members
    sel = mem[mem["kind"].isin(kinds) & mem["left"].isna()]
    ids = list(frames.mechanisms["mechanism"]) if mechanisms is None else list(mechanisms)
    grouped = sel.groupby("mechanism", sort=False)["member"].agg(lambda s: frozenset(map(str, s)))
    return {m: grouped.get(m, frozenset()) for m in ids}


def membership_in_years(frames: RegistryFrames, years: np.ndarray | list[int],
                        kinds: tuple[str, ...] = ("country",)) -> pd.DataFrame:
    """Long frame (mechanism, member, year) of who belongs to what in each of ``years``.

    Rules (documented in docs/mechanisms.md): a member counts from the year it joined, or from the founding year
    when the sources do not give the joining year; a mechanism without a founding year has no year-specific
    membership; a member stops counting in the year it left; a dormant mechanism stops counting after its
    ``last_activity`` year.
    """
    years = np.asarray(sorted(set(int(y) for y in years)), dtype=int)
    mech = frames.mechanisms[["mechanism", "founded", "status", "last_activity"]]
    mem = frames.members[frames.members["kind"].isin(kinds)][["mechanism", "member", "joined", "left"]]
    df = mem.merge(mech, on="mechanism", how="left")
    df = df[df["founded"].notna()]
    if df.empty or len(years) == 0:
        return pd.DataFrame({"mechanism": pd.Series(dtype="str"), "member": pd.Series(dtype="str"),
                             "year": pd.Series(dtype="int64")})
    start = df["joined"].fillna(df["founded"]).astype("int64").to_numpy()
    founded = df["founded"].astype("int64").to_numpy()
    start = np.maximum(start, founded)
    end = df["left"].astype("Float64").fillna(np.inf).to_numpy(dtype=float)  # exclusive
    dormant_end = np.where((df["status"] == "dormant").to_numpy() & df["last_activity"].notna().to_numpy(),
                           df["last_activity"].astype("Float64").fillna(np.inf).to_numpy(dtype=float) + 1,
                           np.inf)
    end = np.minimum(end, dormant_end)
    inside = (years[None, :] >= start[:, None]) & (years[None, :] < end[:, None])
    rows, cols = np.nonzero(inside)
    return pd.DataFrame({
        "mechanism": df["mechanism"].to_numpy()[rows].astype(str),
        "member": df["member"].to_numpy()[rows].astype(str),
        "year": years[cols],
    })
