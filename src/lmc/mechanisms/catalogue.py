"""Browsing the registry: the list of mechanisms and everything about one of them."""

from __future__ import annotations

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.mechanisms.results import MechanismDetail, MechanismList
from lmc.sources.mechanisms import Registry


def list_mechanisms(registry: Registry) -> MechanismList:
    """One row per mechanism, in registry order, with the LMC countries it covers and its primary source."""
    rows = []
    for m in registry.mechanisms:
        countries = m.countries()
        rows.append({
            "id": m.id, "abbreviation": m.abbreviation, "name_en": m.name_en, "name_zh": m.name_zh,
            "type": m.type, "status": m.status, "founded": m.founded,
            "countries": len(countries),
            "lmc_countries": " ".join(c for c in LMC_COUNTRIES if c in countries),
            "partners": len(m.partners), "sectors": len(m.sectors), "programmes": len(m.programmes),
            "source": m.source.url,
        })
    df = pd.DataFrame(rows)
    df["founded"] = df["founded"].astype("Int64")
    return MechanismList(df)


def mechanism_detail(registry: Registry, key: str) -> MechanismDetail:
    """Everything the registry holds on one mechanism (by id or abbreviation), with names of codes resolved."""
    m = registry.get(key)
    name = registry.codes.name

    def src(keys: tuple[str, ...]) -> str:
        return " ".join(keys)

    members = pd.DataFrame([{"code": x.code, "name": name(x.code), "kind": x.kind, "role": "member",
                             "joined": x.joined, "left": x.left, "note": x.note, "src": src(x.src or m.members_src)}
                            for x in m.members])
    partners = pd.DataFrame([{"code": p.code, "name": name(p.code), "kind": "partner", "role": p.role,
                              "joined": p.since, "left": p.until, "note": p.note, "src": src(p.src)}
                             for p in m.partners],
                            columns=["code", "name", "kind", "role", "joined", "left", "note", "src"])
    for df in (members, partners):
        for c in ("joined", "left"):
            df[c] = df[c].astype("Int64")
    programmes = pd.DataFrame([{"programme": p.name, "year": p.year, "sectors": " ".join(p.sectors),
                                "src": src(p.src)} for p in m.programmes],
                              columns=["programme", "year", "sectors", "src"])
    programmes["year"] = programmes["year"].astype("Int64")
    funding = pd.DataFrame([{"instrument": x.name, "detail": x.detail, "src": src(x.src)}
                            for x in m.funding_instruments], columns=["instrument", "detail", "src"])
    references = pd.DataFrame([{"key": k, "publisher": r.publisher, "url": r.url, "accessed": r.accessed.isoformat(),
                                "note": r.note} for k, r in m.references.items()],
                              columns=["key", "publisher", "url", "accessed", "note"])
    record = {
        "id": m.id, "abbreviation": m.abbreviation, "name_en": m.name_en, "name_zh": m.name_zh,
        "type": m.type, "type_description": registry.vocabulary.types.get(m.type),
        "status": m.status, "last_activity": m.last_activity, "initiator": m.initiator,
        "initiator_name": name(m.initiator) if m.initiator else None, "parent": m.parent,
        "founded": m.founded, "founded_note": m.founded_note,
        "founding_document": m.founding_document.title, "founding_date": m.founding_document.date,
        "sectors": list(m.sectors), "members_note": m.members_note, "funding_note": m.funding_note,
        "source": {"publisher": m.source.publisher, "url": m.source.url, "accessed": m.source.accessed.isoformat()},
    }
    return MechanismDetail(record, members, partners, programmes, funding, references)
