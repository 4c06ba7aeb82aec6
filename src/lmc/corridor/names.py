"""The names people use for stops and places: stop_ids, stop names in any language, and place names.

A query matches, case, accents of Latin script, spaces and punctuation aside: a stop_id; a stop_code (the number
on the pole); a stop name, with or
without a bracketed part ("Khamsavath" for "Khamsavath (Vientiane)"); a name from translations.txt (昆明南,
กรุงเทพอภิวัฒน์); a place name from the project's ``aliases.txt`` extension (Kunming, 昆明, Bangkok, กรุงเทพ,
Vientiane, 万象, ວຽງຈັນ), which stands for *every* station of that place. All the stops a query matches are
returned, and a station stands for its platforms. An unknown name raises :class:`PlannerError` with the closest
names in any of those lists.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np

from lmc.corridor.timetable import Timetable
from lmc.errors import LmcError, suggest


class PlannerError(LmcError):
    """A journey query the user can fix: unknown stop, bad date or time, date outside the feed."""


def norm(text: str) -> str:
    """Comparison key of a name: NFKC, case-folded, Latin accents dropped, punctuation and spaces collapsed.

    Marks of Thai, Lao and other scripts are kept (they are letters there, not accents).
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(c for c in decomposed if not (unicodedata.combining(c) and "\u0300" <= c <= "\u036f"))
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\-_'’.,]+", " ", text).strip()


def _without_brackets(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()


def name_index(tt: Timetable) -> dict[str, set[int]]:
    """Normalised name -> stops, over stop names (with and without brackets), translations and aliases.

    Built once per timetable (cached on it).
    """
    idx = tt._day_cache.get("name_index")
    if idx is not None:
        return idx
    idx = {}

    def add(name: str, stop: int) -> None:
        for key in {norm(name), norm(_without_brackets(str(name)))}:
            if key:
                idx.setdefault(key, set()).add(int(stop))

    for i, n in enumerate(tt.stop_names):
        add(str(n), i)
    for s, n in zip(tt.alt_stop, tt.alt_name):
        add(str(n), int(s))
    for n, s in zip(tt.alias_name, tt.alias_stop):
        idx.setdefault(norm(str(n)), set()).add(int(s))
    tt._day_cache["name_index"] = idx
    return idx


def known_names(tt: Timetable) -> list[str]:
    """Every name a query may use (stop names, translations, aliases), for suggestions."""
    names = {str(n) for n in tt.stop_names} | {str(n) for n in tt.alt_name} | {str(n) for n in tt.alias_name}
    return sorted(n for n in names if n)


def resolve_stops(tt: Timetable, query: str) -> np.ndarray:
    """Stop indices meant by ``query`` (see the module docstring), sorted; a station adds its platforms."""
    q = str(query).strip()
    ids = tt.stop_index()
    codes = tt._day_cache.get("stop_codes")
    if codes is None:
        codes = {}
        for i, c in enumerate(tt.stop_codes):
            if str(c):
                codes.setdefault(str(c), set()).add(i)
        tt._day_cache["stop_codes"] = codes
    if q in ids:
        hits = {ids[q]}
    elif q in codes:
        hits = set(codes[q])
    else:
        hits = set(name_index(tt).get(norm(q), set()))
        if not hits:
            hits = {v for k, v in ids.items() if k.casefold() == q.casefold()}
    if not hits:
        names = known_names(tt)
        hint = suggest(q, names) or suggest(norm(q), [norm(n) for n in names])
        if not hint:
            hint = suggest(q, sorted(ids))
        sample = ", ".join(sorted({str(n) for n in tt.stop_names if str(n)})[:12])
        raise PlannerError(f"unknown stop or station {q!r}.{hint} Names, places and stop_ids all work; "
                           f"`lmc corridor stations` lists them (e.g. {sample}, ...).")
    out = set(hits)
    for h in hits:  # a station means its platforms
        out.update(np.flatnonzero(tt.stop_parent == h).tolist())
    return np.array(sorted(out), dtype=np.int64)


def stop_translations(tt: Timetable) -> dict[str, dict[str, str]]:
    """stop_id -> {language: name} from translations.txt (for pages that show names in the reader's language)."""
    out: dict[str, dict[str, str]] = {}
    for s, n, lang in zip(tt.alt_stop, tt.alt_name, tt.alt_lang):
        out.setdefault(str(tt.stop_ids[int(s)]), {})[str(lang)] = str(n)
    return out


def place_names(tt: Timetable) -> dict[str, list[str]]:
    """stop_id -> the place names (aliases.txt) that include it."""
    out: dict[str, list[str]] = {}
    for n, s in zip(tt.alias_name, tt.alias_stop):
        names = out.setdefault(str(tt.stop_ids[int(s)]), [])
        if str(n) not in names:
            names.append(str(n))
    return out
