"""``/api/v1/mechanisms``: the registry of cooperation mechanisms, their overlaps and their timeline."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from lmc.web.api.envelope import ERRORS, TABULAR, Paging, paginated, single, paging
from lmc.web.store import _records

router = APIRouter(tags=["mechanisms"])


@lru_cache(maxsize=1)
def registry():
    from lmc.mechanisms import load_registry

    return load_registry(None)


def overlap(by: str):
    from lmc.mechanisms import membership_overlap, sector_overlap

    return membership_overlap(registry()) if by == "members" else sector_overlap(registry())


def timeline_frame():
    from lmc.mechanisms import timeline

    return timeline(registry()).to_frame()


def mechanism_rows() -> list[dict]:
    from lmc.mechanisms import list_mechanisms

    return _records(list_mechanisms(registry()).to_frame())


@router.get("/mechanisms", summary="Cooperation mechanisms (registry)", responses=TABULAR)
def mechanisms(request: Request, fmt: Literal["json", "csv"] = Query("json", alias="format"),
               paging: Paging = Depends(paging)):
    return paginated(request, mechanism_rows(), paging, fmt, source="lmc curated/mechanisms.yaml")


@router.get("/mechanisms/overlap", summary="Jaccard overlap between mechanisms", responses=ERRORS)
def mechanisms_overlap(by: Literal["members", "sectors"] = Query("members")):
    """A square matrix: ``{"mechanisms": [ids], "matrix": [[...]]}`` (current members or sectors)."""
    res = overlap(by)
    m = res.matrix
    return single({"basis": by, "mechanisms": [str(c) for c in m.columns],
                   "matrix": [[None if v != v else round(float(v), 4) for v in row] for row in m.to_numpy()]})


@router.get("/mechanisms/timeline", summary="Founding and later events of the mechanisms", responses=TABULAR)
def mechanisms_timeline(request: Request, fmt: Literal["json", "csv"] = Query("json", alias="format"),
                        paging: Paging = Depends(paging)):
    return paginated(request, _records(timeline_frame()), paging, fmt)


@router.get("/mechanisms/{mechanism}", summary="One mechanism with members and sources", responses=ERRORS)
def mechanism(mechanism: str = Path(..., max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")):
    from lmc.mechanisms import mechanism_detail

    from lmc.web.api.deps import check_found

    ids = [r["id"] for r in mechanism_rows()] + [r["abbreviation"] for r in mechanism_rows()]
    check_found("mechanism", mechanism, ids + [i.lower() for i in ids])
    d = mechanism_detail(registry(), mechanism).to_dict()
    return single(d)
