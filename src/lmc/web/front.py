"""The front page's key series as the page lays them out, in the page's language.

:func:`view` turns one :class:`lmc.reports.key_series.KeySeries` into plain rows for ``overview.html.j2``: names in
the page's language (countries and crossings from the curated data), numbers by kind (:mod:`lmc.reports.numfmt`),
every value with the address and date of its source, derived values marked. Publishers' names are proper names and
stay as they are (the template marks them ``lang="en"``).
"""

from __future__ import annotations

from typing import Any

from lmc.reports.key_series import KeySeries
from lmc.reports.labels import country_name
from lmc.reports.numfmt import fmt

RAIL_COLUMNS: tuple[str, ...] = ("passengers", "freight", "cross_border_freight")
STATUS_ORDER = {"closed": 0, "restricted": 1, "open": 2}


def _src(s) -> dict[str, str]:
    """A source for a link: publisher, address (web addresses only) and its date (published, else read)."""
    return {"publisher": s.publisher, "url": s.url if s.url.startswith("http") else "",
            "date": s.published or s.accessed, "published": s.published, "accessed": s.accessed}


def view(ks: KeySeries, lang: str) -> dict[str, Any]:
    """The four series and the change line, ready to render."""
    arrivals = []
    for s in ks.arrivals:
        b, x = s.base, s.latest
        arrivals.append({
            "iso3": s.destination, "name": country_name(s.destination, lang),
            "base": fmt(b.value, "count") if b else None, "base_src": _src(b.source) if b else None,
            "latest": fmt(x.value, "count") if x else None, "latest_year": x.year if x else None,
            "latest_src": _src(x.source) if x else None, "provisional": bool(x and x.provisional),
            "share": fmt(s.share_of_base, "share") if s.share_of_base is not None else None})
    years = sorted({r.year for r in ks.rail})
    cells = {(r.series, r.year): r for r in ks.rail}
    rail = []
    for y in years:
        row = {"year": y, "cells": []}
        for name in RAIL_COLUMNS:
            r = cells.get((name, y))
            row["cells"].append(None if r is None else {
                "value": fmt(r.value, "number", digits=1 if name == "passengers" or r.value >= 10 else 2),
                "derived": r.derived,
                "lower": r.bound == "lower", "period": r.period, "src": _src(r.source)})
        rail.append(row)
    borders = [{"id": c.id, "name": c.name[lang] if lang in c.name else c.name["en"], "status": c.status,
                "since": c.since, "as_of": c.as_of, "note": c.note.get(lang) or c.note["en"],
                "note_lang": lang if lang in c.note else "en", "src": _src(c.source)}
               for c in sorted(ks.borders, key=lambda c: STATUS_ORDER.get(c.status, 9))]
    matrix = {(v.passport, v.destination): v for v in ks.visas}
    order = [s.destination for s in ks.arrivals]
    countries = ["CHN", *order]
    visas = [{"passport": p, "name": country_name(p, lang), "cells": [
        None if p == d or (p, d) not in matrix else {
            "rule": matrix[p, d].rule, "days": matrix[p, d].max_stay_days, "as_of": matrix[p, d].as_of,
            "measure": matrix[p, d].measure, "also": matrix[p, d].also, "src": _src(matrix[p, d].source)}
        for d in countries]} for p in countries]
    measures = [{"id": m.id, "name": m.name.get(lang, m.name["en"]), "passport": country_name(m.passport, lang),
                 "destination": country_name(m.destination, lang), "rule": m.rule, "days": m.max_stay_days,
                 "in_force": m.in_force, "until": m.until, "src": _src(m.source)} for m in ks.measures]
    return {"arrivals": arrivals, "rail": rail, "rail_columns": RAIL_COLUMNS, "borders": borders,
            "visa_countries": [(c, country_name(c, lang)) for c in countries], "visas": visas,
            "visa_snapshot": ks.visa_snapshot, "measures": _one_per_measure(measures), "change": ks.change,
            "missing": ks.missing, "newest": _newest(ks, lang)}


def _one_per_measure(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per measure, its passports joined (Thailand's 60 days for four countries' citizens)."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r["id"] in out:
            out[r["id"]]["passport"] += "、" if any("\u4e00" <= ch <= "\u9fff" for ch in r["passport"]) else ", "
            out[r["id"]]["passport"] += r["passport"]
        else:
            out[r["id"]] = dict(r)
    return list(out.values())


def _newest(ks: KeySeries, lang: str) -> dict[str, str]:
    """The newest dated fact, named in the page's language."""
    n = dict(ks.change.newest)
    if n.get("section") == "borders":
        c = next((c for c in ks.borders if c.id == n.get("item")), None)
        n["name"] = (c.name.get(lang) or c.name["en"]) if c else n.get("item", "")
    elif n.get("section") == "arrivals":
        n["name"] = country_name(n.get("item", ""), lang)
    elif n.get("section") == "measures":
        m = next((m for m in ks.measures if m.id == n.get("item")), None)
        n["name"] = (m.name.get(lang) or m.name["en"]) if m else n.get("item", "")
    else:
        n["name"] = n.get("item", "")
    return n
