"""Typed, frozen result objects of the mechanism analyses; the CLI, exports and charts render these.

Each holds its tables as data frames and answers ``to_frame()`` (the main table) and ``to_dict()`` (JSON-ready).
Frames are not copied on access: treat them as read-only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records: NaN/NA -> None, numpy scalars -> Python."""
    out = []
    for row in df.to_dict(orient="records"):
        clean = {}
        for k, v in row.items():
            if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                clean[str(k)] = None
            elif hasattr(v, "item"):
                clean[str(k)] = v.item()
            elif isinstance(v, tuple | frozenset | set):
                clean[str(k)] = list(v)
            else:
                clean[str(k)] = v
        out.append(clean)
    return out


@dataclass(frozen=True, slots=True, eq=False)
class MechanismList:
    """One row per mechanism: id, abbreviation, names, type, status, founding year, members, sectors, source."""

    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        return {"mechanisms": _records(self.table)}


@dataclass(frozen=True, slots=True, eq=False)
class MechanismDetail:
    """Everything the registry says about one mechanism, with the sources it cites."""

    record: dict[str, Any]
    members: pd.DataFrame
    partners: pd.DataFrame
    programmes: pd.DataFrame
    funding: pd.DataFrame
    references: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Members and partners in one table (kind distinguishes them)."""
        return pd.concat([self.members, self.partners], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        return {**self.record, "members": _records(self.members), "partners": _records(self.partners),
                "programmes": _records(self.programmes), "funding_instruments": _records(self.funding),
                "references": _records(self.references)}


@dataclass(frozen=True, slots=True, eq=False)
class OverlapResult:
    """A square Jaccard matrix between mechanisms (index and columns = mechanism ids, same order).

    ``basis`` says what was compared ("members: country, current" or "sectors"); ``sizes`` is the size of each
    mechanism's set; ``intersections`` the square matrix of shared counts behind each ratio.
    """

    matrix: pd.DataFrame
    intersections: pd.DataFrame
    sizes: pd.Series
    basis: str

    def to_frame(self) -> pd.DataFrame:
        """The matrix with a first column ``mechanism`` (the CSV the issue specifies)."""
        out = self.matrix.copy()
        out.insert(0, "mechanism", out.index.astype(str))
        return out.reset_index(drop=True)

    def pairs(self) -> pd.DataFrame:
        """Long form, one row per unordered pair (a, b), a before b in matrix order, sorted by Jaccard."""
        ids = list(self.matrix.index)
        rows = []
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                rows.append({"a": a, "b": b, "shared": int(self.intersections.loc[a, b]),
                             "jaccard": float(self.matrix.loc[a, b])})
        df = pd.DataFrame(rows, columns=["a", "b", "shared", "jaccard"])
        return df.sort_values(["jaccard", "shared"], ascending=False, kind="stable").reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        ids = [str(i) for i in self.matrix.index]
        return {"basis": self.basis, "mechanisms": ids,
                "sizes": {k: int(v) for k, v in self.sizes.items()},
                "jaccard": [[None if pd.isna(x) else float(x) for x in row] for row in self.matrix.to_numpy()]}


@dataclass(frozen=True, slots=True, eq=False)
class CongestionResult:
    """Number of active mechanisms per country x sector (``matrix``), and the long table with their ids."""

    matrix: pd.DataFrame
    long: pd.DataFrame
    include_dormant: bool

    def to_frame(self) -> pd.DataFrame:
        out = self.matrix.copy()
        out.insert(0, "country", out.index.astype(str))
        return out.reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        return {"include_dormant": self.include_dormant, "cells": _records(self.long)}


@dataclass(frozen=True, slots=True, eq=False)
class CandidatesResult:
    """Country-sector cells served by at least ``threshold`` mechanisms, with those mechanisms' programmes."""

    table: pd.DataFrame
    programmes: pd.DataFrame
    threshold: int

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "candidates": _records(self.table),
                "programmes": _records(self.programmes)}


@dataclass(frozen=True, slots=True, eq=False)
class TimelineResult:
    """Creation timeline (one row per mechanism, by founding year) and dated events (joins, programmes)."""

    founding: pd.DataFrame
    events: pd.DataFrame
    undated: tuple[str, ...] = field(default=())
    """Mechanisms without a founding year (not on the timeline)."""

    def to_frame(self) -> pd.DataFrame:
        return self.founding

    def to_dict(self) -> dict[str, Any]:
        return {"founding": _records(self.founding), "events": _records(self.events),
                "undated": list(self.undated)}


@dataclass(frozen=True, slots=True, eq=False)
class NetworkResult:
    """The bipartite country-mechanism network: node centralities and the edge list.

    Centralities are networkx's bipartite versions (normalised by the size of the other node set). ``graph`` is
    the networkx graph itself (node attribute ``kind`` = country | mechanism).
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    graph: Any

    def to_frame(self) -> pd.DataFrame:
        return self.nodes

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": _records(self.nodes), "edges": _records(self.edges)}
