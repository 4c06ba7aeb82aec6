"""The one place where country names and codes become ISO3, and visa codings become one ordinal scale.

Why one place: every source spells countries its own way (OpenFlights "Burma", UN DESA "Viet Nam" and
"Lao People's Democratic Republic", Glottolog ``;``-separated ISO2 lists, UNESCO lower-case ISO2 with
comma-separated transboundary lists, WDI mixing regional aggregates such as ``EAS`` or — confusingly — ``LMC``
"lower middle income" in with countries). If each connector guessed on its own, two tables would disagree on
what a country is. Connectors call :func:`iso3_from_name`, :func:`iso3_from_iso2`, :func:`is_country_iso3` and
:func:`harmonise_visa`; nothing else in the package maps names to codes.

ISO 3166-1 comes from :mod:`pycountry` (Debian iso-codes). Names it does not know are in :data:`NAME_ALIASES`,
each one seen in a mirrored source; a name that maps to ``None`` is deliberately not a country (a region, an
aggregate, a disputed or historical entity without an ISO3 code).

Visa openness (Passport Index). The dataset used three codings:

* era 1, snapshots before 2020 (header ``Code``): ``3`` visa-free, ``2``/``1`` (see below), ``0`` visa required,
  ``-1`` own country;
* era 2, 2020-01 .. 2020-10 (header ``Code``): a number of days (visa-free stay), ``VF``, ``VOA``, ``ETA``,
  ``VR``, ``-1``;
* era 3, from 2020-11 (header ``Requirement``): a number of days, ``visa free``, ``visa on arrival``, ``e-visa``,
  ``eta`` (only from 2025-01-12; earlier ``e-visa`` includes ETAs), ``visa required``, ``no admission``,
  ``covid ban``, ``Hayya Entry Permit``, ``EVW`` (UK electronic visa waiver, 2021), ``-1``.

The old README labels era-1 code ``2`` "visa on arrival" and ``1`` "eTA". The data say the reverse: pairing the
2019-11-23 matrix with the 2020-02-07 one, 8,262 of 8,358 code-2 pairs became ``ETA`` and 718 of 719 code-1
pairs became ``VOA`` (``tests/sources/test_passport_index.py`` recomputes this from the mirror). We therefore read
era-1 ``2`` as eTA/e-visa and ``1`` as visa on arrival (:data:`ERA1_SWAPPED` documents the choice).

All codings map to one ordinal **openness** scale (higher = easier entry for a tourist):

====  ==================  ============================================================================
 0    no admission        ``no admission``, ``covid ban``
 1    visa required       ``0``/``VR``/``visa required``
 2    e-visa              ``e-visa`` (era 3, an online visa applied for in advance; ETAs before 2025)
 3    eTA                 ``ETA``/``eta``/``EVW``/era-1 ``2``/``Hayya Entry Permit`` (pre-travel authorisation)
 4    visa on arrival     ``VOA``/``visa on arrival``/era-1 ``1``
 5    visa-free           ``3``/``VF``/``visa free`` or a number of days (then ``max_stay_days`` = days)
====  ==================  ============================================================================

Own-country rows (``-1``) get openness ``NULL`` and category ``own country``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
import pycountry

from lmc import LMC_COUNTRIES

# --------------------------------------------------------------------------------------------------------------
# Countries

# Codes that are not ISO 3166-1 but that sources use for real countries or territories.
EXTRA_ISO3: dict[str, str] = {"XKX": "Kosovo"}

# WDI (World Bank) aggregate codes: regions, income and lending groups. Never countries. Note ``LMC`` here is
# "Lower middle income", not the Lancang-Mekong Cooperation.
WDI_AGGREGATES: frozenset[str] = frozenset(
    """AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX INX LAC LCN LDC LIC LMC LMY
    LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA TSS UMC WLD""".split()
)

# Retired or non-standard ISO3-like codes still used by some sources (CEPII GeoDist, 2011) -> current ISO3.
# ``YUG`` (Yugoslavia) and ``ANT`` (Netherlands Antilles) have no successor code and are kept as they are.
LEGACY_ISO3: dict[str, str] = {"ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "PAL": "PSE"}

# Names seen in mirrored sources that pycountry does not resolve (or resolves wrongly). ``None`` = not a country.
NAME_ALIASES: dict[str, str | None] = {
    # OpenFlights
    "burma": "MMR",
    "myanmar": "MMR",
    "laos": "LAO",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "south korea": "KOR",
    "north korea": "PRK",
    "korea": "KOR",
    "republic of korea": "KOR",
    "democratic people's republic of korea": "PRK",
    "russia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "taiwan": "TWN",
    "macau": "MAC",
    "macao": "MAC",
    "hong kong": "HKG",
    "brunei": "BRN",
    "east timor": "TLS",
    "timor leste": "TLS",
    "cape verde": "CPV",
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "congo (kinshasa)": "COD",
    "congo (brazzaville)": "COG",
    "democratic republic of the congo": "COD",
    "democratic republic of congo": "COD",
    "dr congo": "COD",
    "republic of the congo": "COG",
    "republic of congo": "COG",
    "congo": "COG",
    "swaziland": "SWZ",
    "eswatini": "SWZ",
    "macedonia": "MKD",
    "north macedonia": "MKD",
    "moldova": "MDA",
    "czech republic": "CZE",
    "czechia": "CZE",
    "tanzania": "TZA",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "micronesia": "FSM",
    "micronesia (country)": "FSM",
    "palestine": "PSE",
    "west bank": "PSE",
    "gaza strip": "PSE",
    "state of palestine": "PSE",
    "virgin islands": "VIR",
    "british virgin islands": "VGB",
    "turkey": "TUR",
    "turkiye": "TUR",
    "vatican city": "VAT",
    "holy see": "VAT",
    "saint helena": "SHN",
    "falkland islands": "FLK",
    "reunion": "REU",
    "curacao": "CUW",
    "kosovo": "XKX",
    "the bahamas": "BHS",
    "bahamas": "BHS",
    "the gambia": "GMB",
    "gambia": "GMB",
    "wallis and futuna": "WLF",
    "saint barthelemy": "BLM",
    "saint martin": "MAF",
    "sint maarten": "SXM",
    "netherlands antilles": None,  # dissolved 2010, no current ISO3
    "johnston atoll": None,
    "wake island": "UMI",
    "midway islands": "UMI",
    "svalbard": "SJM",
    "jersey": "JEY",
    "guernsey": "GGY",
    "isle of man": "IMN",
    "united states": "USA",
    "united states of america": "USA",
    "usa": "USA",
    "united kingdom": "GBR",
    "uk": "GBR",
    "great britain": "GBR",
    "england": "GBR",
    "scotland": "GBR",
    "wales": "GBR",
    "northern ireland": "GBR",
    "people's republic of china": "CHN",
    "china": "CHN",
    "mainland china": "CHN",
    "china, hong kong sar": "HKG",
    "china, hong kong special administrative region": "HKG",
    "china, macao sar": "MAC",
    "china, macao special administrative region": "MAC",
    "china, taiwan province of china": "TWN",
    "china (taiwan)": "TWN",
    "republic of china": "TWN",
    "cambodia": "KHM",
    "kampuchea": "KHM",
    "thailand": "THA",
    "siam": "THA",
    "lao pdr": "LAO",
    "lao people's democratic republic": "LAO",
    "lao people's dem. rep.": "LAO",
    "myanmar (burma)": "MMR",
    "socialist republic of vietnam": "VNM",
    "russian federation": "RUS",
    "iran (islamic republic of)": "IRN",
    "syrian arab republic": "SYR",
    "republic of moldova": "MDA",
    "united republic of tanzania": "TZA",
    "bolivia (plurinational state of)": "BOL",
    "venezuela (bolivarian republic of)": "VEN",
    "micronesia (fed. states of)": "FSM",
    "micronesia (federated states of)": "FSM",
    "united states virgin islands": "VIR",
    "sint maarten (dutch part)": "SXM",
    "saint martin (french part)": "MAF",
    "curaçao": "CUW",
    "réunion": "REU",
    "côte d'ivoire": "CIV",
    "channel islands": None,  # Jersey + Guernsey, no single ISO3 (WDI uses CHI)
    "kyrgyzstan": "KGZ",
    "slovakia": "SVK",
    "the netherlands": "NLD",
    "holland": "NLD",
    "bosnia": "BIH",
    "bosnia-herzegovina": "BIH",
    "bosnia and herzegovina": "BIH",
    "trinidad & tobago": "TTO",
    "antigua & barbuda": "ATG",
    "st. lucia": "LCA",
    "st. kitts and nevis": "KNA",
    "st. vincent and the grenadines": "VCT",
    "sao tome and principe": "STP",
    "são tomé and príncipe": "STP",
    "guinea bissau": "GNB",
    "abkhazia": None,
    "south ossetia": None,
    "transnistria": None,
    "northern cyprus": None,
    "somaliland": None,
    "western sahara": "ESH",
    "soviet union": None,
    "yugoslavia": None,
    "east germany": None,
    "west germany": "DEU",
    "czechoslovakia": None,
    "serbia and montenegro": None,
    # spellings seen in OpenFlights airlines, twin cities and UN DESA
    "hong kong sar of china": "HKG",
    "lao peoples democratic republic": "LAO",
    "netherland": "NLD",
    "somali republic": "SOM",
    "dem. people's republic of korea": "PRK",
    "wallis and futuna islands": "WLF",
    "bosnia and hercegovina": "BIH",
    "georgia (country)": "GEO",
    "grece": "GRC",
    "kazakhstah": "KAZ",
    "madagaskar": "MDG",
    "moldavia": "MDA",
    "republic of ireland": "IRL",
    "surinam": "SUR",
    "s.africa": "ZAF",
    "u.a.e.": "ARE",
    "uae": "ARE",
    # regions and aggregates (UN DESA, OWID, MOTS): deliberately not countries
    "others": None,
    "asean": None,
    "east asia": None,
    "east europe": None,
    "the americas": None,
    "middle east": None,
    "oceania": None,
    "grand total": None,
    "caribbean": None,
    "melanesia": None,
    "polynesia": None,
    "micronesia (region)": None,
    "south america": None,
    "north america": None,
    "south asia": None,
    "east asia & pacific": None,
    "europe & central asia": None,
    "latin america & caribbean": None,
    "middle east & north africa": None,
    "sub-saharan africa": None,
    "world": None,
    "europe": None,
    "asia": None,
    "africa": None,
}


def _norm(name: str) -> str:
    """Case-, accent- and space-insensitive key for a country name."""
    s = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    s = s.replace("’", "'").replace("`", "'").strip().lower()
    return re.sub(r"\s+", " ", s)


@lru_cache(maxsize=1)
def _name_table() -> dict[str, str | None]:
    table: dict[str, str | None] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                table[_norm(value)] = c.alpha_3
    for code, name in EXTRA_ISO3.items():
        table[_norm(name)] = code
    for alias, code in NAME_ALIASES.items():
        table[_norm(alias)] = code
    return table


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    """Every code accepted as a country or territory: ISO 3166-1 alpha-3 plus :data:`EXTRA_ISO3`."""
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(EXTRA_ISO3)


@lru_cache(maxsize=1)
def _iso2_table() -> dict[str, str]:
    table = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    table["XK"] = "XKX"
    return table


def iso3_from_name(name: object) -> str | None:
    """ISO3 for an English country name as any mirrored source spells it, or ``None`` (not a country/unknown)."""
    if name is None or (isinstance(name, float) and np.isnan(name)) or name is pd.NA:
        return None
    key = _norm(str(name))
    if not key:
        return None
    table = _name_table()
    if key in table:
        return table[key]
    if ", " in key:
        a, b = key.split(", ", 1)
        flipped = f"{b} {a}"  # "Korea, Republic of"
        if flipped in table:
            return table[flipped]
        if table.get(a):  # "Réunion, France" -> REU, "England, United Kingdom" -> GBR
            return table[a]
        last = key.rsplit(", ", 1)[1]  # "Ohio, United States" -> USA
        if last in table:
            return table[last]
    return None


def iso3_from_names(names: pd.Series) -> pd.Series:
    """Vectorised :func:`iso3_from_name` (maps each distinct name once). Returns a string series with NA."""
    uniques = pd.unique(names.dropna())
    mapping = {u: iso3_from_name(u) for u in uniques}
    return names.map(mapping).astype("string")


def current_iso3(code: object) -> object:
    """A retired code (``ROM``, ``ZAR``, ``TMP``, ``PAL``) as today's ISO3; other values unchanged."""
    return LEGACY_ISO3.get(code, code) if isinstance(code, str) else code


def iso3_from_iso2(code: object) -> str | None:
    """ISO3 for an ISO 3166-1 alpha-2 code (any case), or ``None``."""
    if not isinstance(code, str):
        return None
    return _iso2_table().get(code.strip().upper())


def iso3_list_from_iso2(codes: object, sep: str = ",") -> list[str]:
    """A separated ISO2 list (UNESCO ``"kh,la"``, Glottolog ``"CN;LA"``) as ISO3 codes, unknown codes dropped."""
    if not isinstance(codes, str):
        return []
    out: list[str] = []
    for part in codes.split(sep):
        iso3 = iso3_from_iso2(part)
        if iso3 and iso3 not in out:
            out.append(iso3)
    return out


# Country names in Thai, as the Ministry of Tourism and Sports' cleaned ASEAN arrivals file writes them (the Latin
# normalisation of :func:`iso3_from_name` would erase Thai script, so they have their own exact-match table).
THAI_NAMES: dict[str, str] = {
    "กัมพูชา": "KHM", "บรูไนดารุสซาลาม": "BRN", "พม่า": "MMR", "เมียนมา": "MMR", "ฟิลิปปินส์": "PHL",
    "มาเลเซีย": "MYS", "ลาว": "LAO", "สิงคโปร์": "SGP", "อินโดนีเซีย": "IDN", "เวียดนาม": "VNM", "จีน": "CHN",
    "ไทย": "THA",
}


def iso3_from_thai_name(name: object) -> str | None:
    """ISO3 for a country name in Thai script (:data:`THAI_NAMES`, whitespace-insensitive), or ``None``."""
    if not isinstance(name, str):
        return None
    return THAI_NAMES.get(re.sub(r"\s+", "", name))


# Gleditsch-Ward state numbers (UCDP's ``gwno_*`` columns) of the six LMC countries.
GWNO_LMC: dict[str, str] = {"710": "CHN", "775": "MMR", "812": "LAO", "800": "THA", "811": "KHM", "816": "VNM"}


def lmc_iso3_from_gwno(codes: object) -> list[str]:
    """The LMC countries among a comma-separated list of Gleditsch-Ward numbers (``"811, 800"`` -> KHM, THA), in
    the LMC's order; other states are left out (UCDP uses GW numbers, not ISO codes)."""
    if not isinstance(codes, str):
        return []
    found = {GWNO_LMC[c.strip()] for c in codes.split(",") if c.strip() in GWNO_LMC}
    return [c for c in LMC_COUNTRIES if c in found]


def is_country_iso3(code: object) -> bool:
    """True for an ISO3 country/territory code; False for WDI aggregates (``EAS``, ``WLD``, ``LMC``...) and junk."""
    return isinstance(code, str) and code in iso3_codes() and code not in WDI_AGGREGATES


_LMC_RANK = {c: i for i, c in enumerate(LMC_COUNTRIES)}


def _pair_key(code: str) -> tuple[int, str]:
    return (_LMC_RANK.get(code, len(_LMC_RANK)), code)


def pair_unit(a: str, b: str) -> str:
    """Undirected pair unit ``'CHN-LAO'``, the one naming rule for pairs across the observatory.

    LMC countries come first, in the LMC's own order ``CHN MMR LAO THA KHM VNM`` (so ``'MMR-LAO'`` and
    ``'THA-KHM'``, as the region writes them), then any other country alphabetically (``'CHN-USA'``, ``'FRA-USA'``).
    Every table, chart and join uses this function, so one pair has exactly one name.
    """
    if a == b:
        raise ValueError(f"a pair needs two different countries, got {a!r} twice")
    x, y = sorted((a, b), key=_pair_key)
    return f"{x}-{y}"


def split_pair(unit: str) -> tuple[str, str]:
    """``'CHN-LAO'`` -> ``('CHN', 'LAO')``; ``'CHN>LAO'`` -> ``('CHN', 'LAO')``."""
    sep = ">" if ">" in unit else "-"
    a, b = unit.split(sep)
    return a, b


def lmc_pairs(countries: Iterable[str] = LMC_COUNTRIES) -> list[str]:
    """The undirected pairs of ``countries`` in canonical order: CHN-MMR, CHN-LAO, ..., KHM-VNM (15 for the six)."""
    ordered = sorted(set(countries), key=_pair_key)
    return [pair_unit(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]]


def directed_unit(origin: str, destination: str) -> str:
    """Directed pair unit ``'CHN>LAO'`` (origin > destination)."""
    return f"{origin}>{destination}"


def directed_units(origin: Iterable[str], destination: Iterable[str]) -> list[str]:
    """Vectorised :func:`directed_unit`: one ``'A>B'`` per (origin, destination)."""
    return [directed_unit(o, d) for o, d in zip(origin, destination, strict=True)]


# --------------------------------------------------------------------------------------------------------------
# Visa openness

OPENNESS_LABELS: dict[int, str] = {
    0: "no admission",
    1: "visa required",
    2: "e-visa",
    3: "eTA",
    4: "visa on arrival",
    5: "visa-free",
}
"""The ordinal visa-openness scale (see the module docstring)."""

ERA1_SWAPPED = True
"""Era-1 (2019) codes 1 and 2 are read as VOA and eTA respectively, the reverse of the old README (evidence above)."""

_ERA1 = {"3": 5, "2": 3 if ERA1_SWAPPED else 4, "1": 4 if ERA1_SWAPPED else 3, "0": 1}
_ERA2 = {"VF": 5, "VOA": 4, "ETA": 3, "VR": 1}
_ERA3 = {
    "visa free": 5,
    "visa on arrival": 4,
    "eta": 3,
    "hayya entry permit": 3,
    "evw": 3,
    "e-visa": 2,
    "visa required": 1,
    "no admission": 0,
    "covid ban": 0,
}
_CATEGORY_OVERRIDES = {
    "covid ban": "no admission (covid ban)",
    "hayya entry permit": "eTA (Hayya permit)",
    "evw": "eTA (UK electronic visa waiver)",
}


def coding_era(snapshot_date: str) -> int:
    """Which Passport Index coding a snapshot uses: 1 before 2020, 2 in 2020-01..2020-10, 3 from 2020-11."""
    if snapshot_date < "2020-01-01":
        return 1
    if snapshot_date < "2020-11-01":
        return 2
    return 3


class UnknownVisaCode(ValueError):
    """A requirement value that none of the three codings knows; carries the offending value."""

    def __init__(self, value: str, era: int) -> None:
        super().__init__(f"unknown visa requirement {value!r} for coding era {era}")
        self.value = value
        self.era = era


def harmonise_visa_value(raw: str, snapshot_date: str) -> tuple[int | None, int | None, str]:
    """One raw requirement -> ``(openness, max_stay_days, category)``. Raises :class:`UnknownVisaCode`."""
    value = str(raw).strip()
    era = coding_era(snapshot_date)
    if value == "-1":
        return None, None, "own country"
    if era == 1:
        if value in _ERA1:
            o = _ERA1[value]
            return o, None, OPENNESS_LABELS[o]
        raise UnknownVisaCode(value, era)
    if re.fullmatch(r"\d+", value):
        days = int(value)
        if days <= 0:
            raise UnknownVisaCode(value, era)
        return 5, days, OPENNESS_LABELS[5]
    table = _ERA2 if era == 2 else _ERA3
    key = value if era == 2 else value.lower()
    if key in table:
        o = table[key]
        return o, None, _CATEGORY_OVERRIDES.get(key, OPENNESS_LABELS[o])
    raise UnknownVisaCode(value, era)


def harmonise_visa(snapshot_date: pd.Series, raw: pd.Series) -> pd.DataFrame:
    """Vectorised :func:`harmonise_visa_value` over distinct (date, value) pairs.

    Returns a frame aligned with the inputs: ``openness`` (Int8), ``max_stay_days`` (Int16), ``category``.
    Raises :class:`UnknownVisaCode` for the first value no coding knows (the caller names file and line).
    """
    keys = pd.DataFrame({"d": snapshot_date.astype(str), "r": raw.astype(str)})
    distinct = keys.drop_duplicates()
    rows = [harmonise_visa_value(r, d) for d, r in zip(distinct["d"], distinct["r"], strict=True)]
    lookup = distinct.assign(
        openness=pd.array([r[0] for r in rows], dtype="Int8"),
        max_stay_days=pd.array([r[1] for r in rows], dtype="Int16"),
        category=pd.array([r[2] for r in rows], dtype="string"),
    )
    out = keys.merge(lookup, on=["d", "r"], how="left", sort=False)
    out.index = raw.index
    return out[["openness", "max_stay_days", "category"]]
