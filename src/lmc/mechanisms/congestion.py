"""Mechanism congestion per country x sector, and the coordination candidates it points to.

"Congestion" (Asia Foundation 2019, in the registry's facts) is the crowding of several mechanisms on the same
countries and themes. Here it is counted, not judged: for each country and sector, how many active mechanisms
have that country as a current member *and* list that sector as a priority. Partners (donors, dialogue partners)
are not members and do not count. Cells served by three or more mechanisms are coordination candidates: places
where programmes of different mechanisms are most likely to duplicate or could be joined up.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.errors import ValidationError, unknown
from lmc.mechanisms.frames import RegistryLike, as_frames
from lmc.mechanisms.results import CandidatesResult, CongestionResult


def _cells(registry: RegistryLike, countries: Sequence[str], include_dormant: bool) -> tuple[pd.DataFrame, tuple]:
    """Long table (country, sector, mechanism) of every membership x sector combination."""
    f = as_frames(registry)
    mech = f.mechanisms if include_dormant else f.mechanisms[f.mechanisms["status"] == "active"]
    mem = f.members[(f.members["kind"] == "country") & f.members["left"].isna()
                    & f.members["mechanism"].isin(mech["mechanism"])]
    known = set(f.members.loc[f.members["kind"] == "country", "member"].astype(str))
    for c in countries:
        if c not in known:
            raise ValidationError(unknown("country", c, known))
    mem = mem[mem["member"].isin(list(countries))][["mechanism", "member"]]
    cells = mem.merge(f.sectors[["mechanism", "sector"]], on="mechanism").rename(columns={"member": "country"})
    return cells[["country", "sector", "mechanism"]], f.vocabulary


def congestion(registry: RegistryLike, countries: Sequence[str] = LMC_COUNTRIES, *,
               include_dormant: bool = False) -> CongestionResult:
    """Count of (active) mechanisms per country x sector; rows in ``countries`` order, columns in vocabulary order."""
    cells, vocab = _cells(registry, countries, include_dormant)
    order = {m: i for i, m in enumerate(pd.unique(as_frames(registry).mechanisms["mechanism"]))}
    long = (cells.assign(_o=cells["mechanism"].map(order)).sort_values("_o", kind="stable")
            .groupby(["country", "sector"], sort=False)["mechanism"]
            .agg(n_mechanisms="count", mechanisms=lambda s: " ".join(s)).reset_index())
    matrix = (long.pivot(index="country", columns="sector", values="n_mechanisms")
              .reindex(index=list(countries), columns=list(vocab)).fillna(0).astype(int))
    matrix.index.name, matrix.columns.name = "country", None
    c_rank = {c: i for i, c in enumerate(countries)}
    s_rank = {s: i for i, s in enumerate(vocab)}
    long = long.sort_values(["country", "sector"], key=lambda col: col.map(c_rank if col.name == "country"
                                                                           else s_rank)).reset_index(drop=True)
    return CongestionResult(matrix, long, include_dormant)


def coordination_candidates(registry: RegistryLike, countries: Sequence[str] = LMC_COUNTRIES, *,
                            threshold: int = 3, include_dormant: bool = False) -> CandidatesResult:
    """Country-sector cells served by ``threshold`` or more mechanisms, most crowded first, with programmes.

    A programme is listed for a cell when its mechanism serves the cell and the programme is tagged with the
    cell's sector (programme sectors are assigned in the registry).
    """
    if threshold < 1:
        raise ValidationError(f"threshold must be at least 1 (got {threshold}).")
    f = as_frames(registry)
    cong = congestion(f, countries, include_dormant=include_dormant)
    cand = cong.long[cong.long["n_mechanisms"] >= threshold].copy()
    progs = f.programmes.copy()
    progs["sector"] = progs["sectors"].fillna("").astype(str).str.split()
    progs = progs.explode("sector").dropna(subset=["sector"])
    progs = progs[progs["sector"] != ""]
    rows = []
    for r in cand.itertuples(index=False):
        mechs = r.mechanisms.split()
        p = progs[(progs["sector"] == r.sector) & progs["mechanism"].isin(mechs)]
        for q in p.itertuples(index=False):
            rows.append({"country": r.country, "sector": r.sector, "mechanism": q.mechanism,
                         "programme": q.programme, "year": q.year, "source_url": q.source_url})
    programmes = pd.DataFrame(rows, columns=["country", "sector", "mechanism", "programme", "year", "source_url"])
    counts = programmes.groupby(["country", "sector"]).size()
    cand["n_programmes"] = [int(counts.get((c, s), 0)) for c, s in zip(cand["country"], cand["sector"],
                                                                         strict=True)]
    c_rank = {c: i for i, c in enumerate(countries)}
    s_rank = {s: i for i, s in enumerate(f.vocabulary)}
    cand = (cand.assign(_c=cand["country"].map(c_rank), _s=cand["sector"].map(s_rank))
            .sort_values(["n_mechanisms", "_c", "_s"], ascending=[False, True, True], kind="stable")
            .drop(columns=["_c", "_s"]).reset_index(drop=True))
    return CandidatesResult(cand[["country", "sector", "n_mechanisms", "mechanisms", "n_programmes"]],
                            programmes, threshold)
