"""``GET /api/v1/provenance`` (every file in the warehouse, with hash and licence) and ``/api/v1/sources``."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from lmc.web.api.deps import built
from lmc.web.api.envelope import TABULAR, Paging, paginated, paging
from lmc.web.store import BuiltIndex, _records, warehouse_table

router = APIRouter(tags=["provenance"])

PROVENANCE_COLUMNS = ["source", "file", "url", "sha256", "bytes", "retrieved_at", "licence", "hash_ok"]


def provenance_rows(settings) -> list[dict]:
    """The warehouse's provenance table (read-only); the local ``origin`` path is not exposed. 503 while a pull
    holds the warehouse (retry) or before the first pull."""
    df = warehouse_table("provenance", settings)
    return _records(df[[c for c in PROVENANCE_COLUMNS if c in df.columns]])


@router.get("/provenance", summary="Every source file in the warehouse: URL, sha256, licence", responses=TABULAR)
def provenance(request: Request, source: str | None = Query(None, max_length=64, pattern=r"^[a-z0-9_]+$"),
               fmt: Literal["json", "csv"] = Query("json", alias="format"), paging: Paging = Depends(paging)):
    rows = provenance_rows(request.app.state.settings)
    if source:
        rows = [r for r in rows if r.get("source") == source]
    return paginated(request, rows, paging, fmt, PROVENANCE_COLUMNS, source="warehouse table provenance")


@router.get("/sources", summary="Sources behind the index's indicators, with licences", responses=TABULAR)
def sources(request: Request, fmt: Literal["json", "csv"] = Query("json", alias="format"),
            paging: Paging = Depends(paging), b: BuiltIndex = Depends(built)):
    return paginated(request, _records(b.sources), paging, fmt, licences=list(b.licences),
                     source="lmc build (out/sources.csv)")
