"""Names of the things the observatory shows, in English and Chinese: countries, pairs, corridor provinces and
stations. One place, used by the reports and the web pages, so no page shows a raw code (``CN-5301``, ``KMS``)
where a reader expects a name.

Sources: the curated ``countries.yaml`` and ``provinces.yaml`` shipped in the package (a source on every record),
the index's ``corridor_provinces.yaml``
and the corridor feed's ``translations.txt`` (station names in Chinese from the railway facts). A station without
a Chinese name in the feed keeps its English name (it has no established Chinese form in the data).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from lmc import LMC_COUNTRIES, yamldoc


@lru_cache(maxsize=None)
def _curated(name: str) -> list[dict]:
    from lmc.curated import __file__ as curated_init

    raw = yamldoc.safe_load((Path(curated_init).parent / f"{name}.yaml").read_text(encoding="utf-8"))
    return raw[name]


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, str]]:
    return {c["iso3"]: {"en": c["name_en"], "zh": c["name_zh"]} for c in _curated("countries")}


@lru_cache(maxsize=1)
def _provinces() -> dict[str, dict[str, str]]:
    """Province names under both codings: the curated reference data (ISO 3166-2 / GB/T 2260, ``CN-5301``) and the
    index's corridor provinces (``CN-YN-KM``, :mod:`lmc.sci.facts`)."""
    from lmc.sci.facts import load_corridor_provinces

    out = {p["code"]: {"en": p["name_en"], "zh": p["name_zh"]} for p in _curated("provinces")}
    out.update({p.code: dict(p.name) for p in load_corridor_provinces().provinces})
    return out


def corridor_provinces() -> list:
    """The index's corridor provinces (code, names, the stations serving each), in running order."""
    from lmc.sci.facts import load_corridor_provinces

    return list(load_corridor_provinces().provinces)


def country_record(iso3: str) -> dict:
    """One country's curated record (names in English, Chinese and its own script, capitals, ...)."""
    return next(c for c in _curated("countries") if c["iso3"] == iso3)


def country_name(iso3: str, lang: str) -> str:
    names = _countries().get(iso3)
    return names.get(lang, names["en"]) if names else iso3


def province_name(code: str, lang: str) -> str:
    names = _provinces().get(code)
    return names.get(lang, names["en"]) if names else code


def unit_name(unit: str, lang: str) -> str:
    """A country, an undirected pair ``CHN-LAO`` (中国–老挝), a directed pair ``CHN>LAO`` or a province code, by
    name; anything else unchanged."""
    if unit in _provinces():
        return province_name(unit, lang)
    for sep, join in (("-", "–"), (">", " → ")):
        parts = unit.split(sep)
        if len(parts) == 2 and all(p in LMC_COUNTRIES for p in parts):
            return join.join(country_name(p, lang) for p in parts)
    return country_name(unit, lang)


@lru_cache(maxsize=1)
def _station_names() -> dict[str, dict[str, str]]:
    from lmc.corridor.plan import FEED_DIR

    out: dict[str, dict[str, str]] = {}
    with open(FEED_DIR / "stops.txt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out[r["stop_id"]] = {"en": r["stop_name"]}
    with open(FEED_DIR / "translations.txt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["table_name"] == "stops" and r["field_name"] == "stop_name" and r["record_id"] in out:
                out[r["record_id"]][r["language"]] = r["translation"]
    return out


def station_name(stop: str, lang: str) -> str:
    """A corridor station by stop_id or English name, in ``lang`` (English where the feed has no translation)."""
    names = _station_names()
    rec = names.get(stop) or next((v for v in names.values() if v["en"] == stop), None)
    return rec.get(lang, rec["en"]) if rec else stop


@lru_cache(maxsize=4)
def _feed_translations(table: str, field: str) -> dict[str, dict[str, str]]:
    """``record_id -> {language: text}`` of one table and field of the feed's translations.txt."""
    from lmc.corridor.plan import FEED_DIR

    out: dict[str, dict[str, str]] = {}
    with open(FEED_DIR / "translations.txt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["table_name"] == table and r["field_name"] == field:
                out.setdefault(r["record_id"], {})[r["language"]] = r["translation"]
    return out


def _base_trip(trip_id: str | None) -> str:
    """A run of a frequency-based trip is named ``<trip_id>@<start>`` by the planner: its trip's id."""
    return (trip_id or "").split("@", 1)[0]


def trip_name(trip_id: str | None, default: str | None, lang: str) -> str:
    """A corridor train's name in ``lang`` (``133次快车`` for Rapid 133), else its feed name."""
    return (_feed_translations("trips", "trip_short_name").get(_base_trip(trip_id), {}).get(lang) or default
            or trip_id or "")


def trip_note(trip_id: str | None, default: str, lang: str) -> tuple[str, str]:
    """What a traveller must know about a train's times, in ``lang`` where the feed has it, and the language of
    the text returned (``("…", "en")`` when the note exists only in English)."""
    text = _feed_translations("trip_notes", "note").get(_base_trip(trip_id), {}).get(lang)
    return (text, lang) if text else (default, "en")


def clearance_text(stop_id: str, default: str, lang: str) -> tuple[str, str]:
    """A border control's description at ``stop_id`` in ``lang`` where the feed has it, and the text's language."""
    text = _feed_translations("clearance", "description").get(stop_id, {}).get(lang)
    return (text, lang) if text else (default, "en")


def untranslated_stations(lang: str) -> list[str]:
    """English names of the stations with no name in ``lang`` in the feed (shown in English)."""
    return [v["en"] for v in _station_names().values() if lang not in v]
