"""CEPII GeoDist (Mayer & Zignago 2011): bilateral distances, contiguity, common language, colonial ties.

Why: the standard time-invariant covariates of every gravity model (flows engine) and a measure of "natural"
proximity against which soft connectivity is judged. The full 224x224 table is kept (structural gravity fixed
effects need all pairs); the LMC extract is parsed only to check it agrees with the full table.

CEPII's 2011 codes ``ROM``, ``ZAR``, ``TMP``, ``PAL`` become ``ROU``, ``COD``, ``TLS``, ``PSE``
(:data:`lmc.sources.harmonise.LEGACY_ISO3`); ``"."`` means missing.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from itertools import combinations
from pathlib import Path

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.errors import ParseError
from lmc.sources._common import (
    conform,
    csv_bytes,
    file_for,
    github_raw,
    observation_rows,
    read_csv,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import current_iso3, pair_unit

REPO = "chrisssch/world-trade@98bdac87c07a20279ad2ff7e19e1f1e9ebd5f2da"
VINTAGE_YEAR = 2011

DIST = SourceFile(
    "cepii_geodist/dist_cepii.csv",
    github_raw(REPO, "data/dist_cepii.csv"),
    "f6d0d46067556453455d95dcf0a67771b4d9202e960c69c293db3e685df16ea7",
    bytes=2957050,
)


def derive_lmc(upstream: bytes) -> bytes:
    """Rows of the full dist_cepii.csv where iso_o or iso_d is an LMC country (semicolon-separated).

    Written the way the mirror's extract was made (pandas round trip), so the bytes and sha256 agree.
    """
    df = pd.read_csv(io.BytesIO(upstream), sep=";")
    df = df[df["iso_o"].isin(LMC_COUNTRIES) | df["iso_d"].isin(LMC_COUNTRIES)]
    return csv_bytes(df, sep=";")


DIST_LMC = SourceFile(
    "cepii_geodist/dist_cepii_lmc.csv",
    github_raw(REPO, "data/dist_cepii.csv"),
    "c74ed798180453e7506f218356d946e9e95a5ccfac36184399805c1d273f38a7",
    bytes=157293,
    derived=True,
    derive=derive_lmc,
)
GEO = SourceFile(
    "cepii_geodist/geo_cepii.csv",
    github_raw(REPO, "data/geo_cepii.csv"),
    "6bd0c211b6a305207d6255736a73a90e1081590f64de58e21f92c3ffcfba47d8",
    bytes=37947,
)

_DUMMIES = ["contig", "comlang_off", "comlang_ethno", "colony", "comcol", "curcol", "col45", "smctry"]
_DISTS = ["dist", "distcap", "distw", "distwces"]

T_DIST = TableSpec(
    "cepii_dist",
    {
        "iso_o": "VARCHAR",
        "iso_d": "VARCHAR",
        "contig": "TINYINT",
        "comlang_off": "TINYINT",
        "comlang_ethno": "TINYINT",
        "colony": "TINYINT",
        "comcol": "TINYINT",
        "smctry": "TINYINT",
        "dist": "DOUBLE",
        "distcap": "DOUBLE",
        "distw": "DOUBLE",
        "distwces": "DOUBLE",
        "curcol": "TINYINT",
        "col45": "TINYINT",
    },
    "All 224x224 dyads (incl. iso_o = iso_d): 0/1 ties and distances in km (distw/distwces population-weighted).",
    ("iso_o", "iso_d"),
    files=(DIST.path,),
)
T_GEO = TableSpec(
    "cepii_geo",
    {
        "iso2": "VARCHAR",
        "iso3": "VARCHAR",
        "country": "VARCHAR",
        "area_km2": "DOUBLE",
        "landlocked": "TINYINT",
        "continent": "VARCHAR",
        "city_en": "VARCHAR",
        "lat": "DOUBLE",
        "lon": "DOUBLE",
        "langoff_1": "VARCHAR",
        "langoff_2": "VARCHAR",
        "langoff_3": "VARCHAR",
        "colonizer1": "VARCHAR",
    },
    "Country attributes (one row per country and main city listed).",
    files=(GEO.path,),
)


def _dist(path: Path) -> pd.DataFrame:
    df = read_csv(path, sep=";", columns=["iso_o", "iso_d", *_DUMMIES, *_DISTS], na_values=("", "."))
    out = pd.DataFrame(
        {
            "iso_o": to_str(df, "iso_o", path, required=True).map(current_iso3),
            "iso_d": to_str(df, "iso_d", path, required=True).map(current_iso3),
        }
    )
    for c in _DUMMIES:
        out[c] = to_int(df, c, path, required=True)
    for c in _DISTS:
        out[c] = to_float(df, c, path, required=c in ("dist", "distcap"))
    return out


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    full = _dist(file_for(paths, DIST))
    lmc_path = file_for(paths, DIST_LMC)
    lmc = _dist(lmc_path)
    expected = int((full["iso_o"].isin(LMC_COUNTRIES) | full["iso_d"].isin(LMC_COUNTRIES)).sum())
    if len(lmc) != expected:
        raise ParseError(f"{lmc_path}: has {len(lmc)} rows; the full table has {expected} LMC rows (stale extract?)")

    p = file_for(paths, GEO)
    raw = p.read_bytes()
    g = read_csv(p, sep=";", columns=["iso2", "iso3", "country", "area", "landlocked", "continent", "city_en", "lat",
                                      "lon", "langoff_1", "langoff_2", "langoff_3", "colonizer1"],
                 na_values=("", "."), encoding="latin-1" if _not_utf8(raw) else "utf-8")  # fmt: skip
    geo = pd.DataFrame(
        {
            "iso2": to_str(g, "iso2", p),
            "iso3": to_str(g, "iso3", p, required=True).map(current_iso3),
            "country": to_str(g, "country", p),
            "area_km2": to_float(g, "area", p),
            "landlocked": to_int(g, "landlocked", p),
            "continent": to_str(g, "continent", p),
            "city_en": to_str(g, "city_en", p),
            "lat": to_float(g, "lat", p),
            "lon": to_float(g, "lon", p),
            "langoff_1": to_str(g, "langoff_1", p),
            "langoff_2": to_str(g, "langoff_2", p),
            "langoff_3": to_str(g, "langoff_3", p),
            "colonizer1": to_str(g, "colonizer1", p),
        }
    )
    return {T_DIST.name: conform(full, T_DIST), T_GEO.name: conform(geo, T_GEO)}


def _not_utf8(raw: bytes) -> bool:
    try:
        io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8").read()
        return False
    except UnicodeDecodeError:
        return True


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Distance (km, population-weighted and between capitals), contiguity and common language per LMC pair."""
    d = tables[T_DIST.name].set_index(["iso_o", "iso_d"])
    rows = []
    for a, b in combinations(LMC_COUNTRIES, 2):
        if (a, b) not in d.index:
            continue
        r = d.loc[(a, b)]
        unit = pair_unit(a, b)
        for ind, col in (("distance_weighted_km", "distw"), ("distance_capitals_km", "distcap"),
                         ("contiguity", "contig"), ("common_language_ethno", "comlang_ethno"),
                         ("common_language_official", "comlang_off")):  # fmt: skip
            rows.append((ind, unit, VINTAGE_YEAR, float(r[col])))
    return observation_rows(rows)


SOURCE = Source(
    id="cepii_geodist",
    title="CEPII GeoDist: bilateral distances and ties",
    publisher="CEPII (Mayer & Zignago 2011)",
    homepage="http://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=6",
    licence="CEPII licence (Etalab Open Licence 2.0 per CEPII; verify)",
    files=(DIST, DIST_LMC, GEO),
    tables=(T_DIST, T_GEO),
    parse=parse,
    observations=observations,
    coverage="224 x 224 countries, time-invariant (2011 release)",
    notes="Retired codes ROM/ZAR/TMP/PAL mapped to ROU/COD/TLS/PSE; YUG and ANT kept. Observations dated 2011.",
    extra={"vintage_year": VINTAGE_YEAR},
)
