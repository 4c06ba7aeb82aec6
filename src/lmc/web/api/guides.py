"""``/api/v1/guides``: the traveller manuals - which destinations and languages exist, and their coverage."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Path

from lmc.web.api.deps import check_found
from lmc.web.api.envelope import ERRORS, single

router = APIRouter(tags=["guides"])


@lru_cache(maxsize=1)
def _guide_index() -> tuple[dict, ...]:
    return tuple(_rows())


def guide_index() -> list[dict]:
    """One row per destination and language (content ships with the package, so it is read once)."""
    return [dict(r) for r in _guide_index()]


def _rows() -> list[dict]:
    """One row per destination and language: translated share, and the page and PDF addresses."""
    from lmc.guides import coverage, load_all
    from lmc.guides.model import LANGS

    guides = load_all()
    cov = coverage(guides).to_frame()
    rows = []
    for g in guides:
        for lang in LANGS:
            c = cov[(cov["country"] == g.country) & (cov["lang"] == lang)]
            share = float(c["translated"].sum() / c["total"].sum()) if len(c) and c["total"].sum() else 0.0
            rows.append({"country": g.country, "lang": lang, "name": g.name.get(lang) or g.name.get("en"),
                         "translated_share": round(share, 3), "reviewed": g.reviewed.isoformat(),
                         "html": f"/guides/{g.country}/{lang}", "pdf": f"/guides/{g.country}/{lang}.pdf"})
    return rows


@router.get("/guides", summary="Traveller manuals: destinations, languages, coverage", responses=ERRORS)
def guides():
    return single(guide_index(), source="lmc.guides content/*.yaml (a source on every item)")


@router.get("/guides/{iso3}", summary="One destination's manual in every language", responses=ERRORS)
def guide(iso3: str = Path(..., pattern=r"^[A-Za-z]{3}$")):
    rows = guide_index()
    check_found("destination", iso3.upper(), sorted({r["country"] for r in rows}))
    return single([r for r in rows if r["country"] == iso3.upper()])
