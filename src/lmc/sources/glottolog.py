"""Glottolog CLDF v5.1: every languoid with its countries, family and a representative point.

Why: shared languages are one of the oldest channels of soft connectivity (the ASEM index has a ``Lang``
indicator); Glottolog is the open reference for which languages are spoken where. ``Countries`` is a ``;``-separated
ISO2 list, turned into ISO3 rows in ``glottolog_language_countries`` by :mod:`lmc.sources.harmonise`.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations
from pathlib import Path

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources._common import (
    conform,
    file_for,
    github_raw,
    observation_rows,
    read_csv,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import iso3_from_iso2, pair_unit

REPO = "glottolog/glottolog-cldf@b6d3ea20a1a305a94b1e8a1198943f26b7bd2756"
RELEASE_YEAR = 2024  # v5.1, October 2024

LANGUAGES = SourceFile(
    "glottolog/languages.csv",
    github_raw(REPO, "cldf/languages.csv"),
    "b5cb2e35d74d97d590469d3a219e16dd93629adf1e247c25a3da27327758c5e7",
    bytes=2413106,
)
PARAMETERS = SourceFile(
    "glottolog/parameters.csv",
    github_raw(REPO, "cldf/parameters.csv"),
    "bcd89a835710c82a5e3e3a672927cefde75dcf3f83601c0bb797bf67bb2097ae",
    bytes=2208,
)
CODES = SourceFile(
    "glottolog/codes.csv",
    github_raw(REPO, "cldf/codes.csv"),
    "cc1d2d2a4a27e3f9d396f255acfa755ee4a63125b8467f9f8f904ee0dc8717b4",
    bytes=1871,
)

T_LANGUAGES = TableSpec(
    "glottolog_languages",
    {
        "glottocode": "VARCHAR",
        "name": "VARCHAR",
        "level": "VARCHAR",
        "macroarea": "VARCHAR",
        "latitude": "DOUBLE",
        "longitude": "DOUBLE",
        "iso639_3": "VARCHAR",
        "family_id": "VARCHAR",
        "language_id": "VARCHAR",
        "countries_iso2": "VARCHAR",
        "first_year_documented": "INTEGER",
        "last_year_documented": "INTEGER",
        "is_isolate": "BOOLEAN",
    },
    "All languoids (family / language / dialect); filter level = 'language' for languages.",
    ("glottocode",),
    files=(LANGUAGES.path,),
)
T_LANG_COUNTRIES = TableSpec(
    "glottolog_language_countries",
    {"glottocode": "VARCHAR", "level": "VARCHAR", "iso3": "VARCHAR"},
    "One row per languoid and country where it is spoken (Countries ISO2 list harmonised to ISO3).",
    ("glottocode", "iso3"),
    files=(LANGUAGES.path,),
)
T_PARAMETERS = TableSpec(
    "glottolog_parameters",
    {"id": "VARCHAR", "name": "VARCHAR", "description": "VARCHAR", "datatype": "VARCHAR"},
    "CLDF ParameterTable (the values table is not mirrored).",
    files=(PARAMETERS.path,),
)
T_CODES = TableSpec(
    "glottolog_codes",
    {
        "id": "VARCHAR",
        "parameter_id": "VARCHAR",
        "name": "VARCHAR",
        "description": "VARCHAR",
        "numerical_value": "DOUBLE",
    },
    "CLDF CodeTable: labels of categorical parameter values.",
    files=(CODES.path,),
)

_COLS = [
    "ID", "Name", "Macroarea", "Latitude", "Longitude", "Glottocode", "ISO639P3code", "Level", "Countries",
    "Family_ID", "Language_ID", "First_Year_Of_Documentation", "Last_Year_Of_Documentation", "Is_Isolate",
]  # fmt: skip


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, LANGUAGES)
    df = read_csv(p, columns=_COLS)
    langs = pd.DataFrame(
        {
            "glottocode": to_str(df, "Glottocode", p, required=True),
            "name": to_str(df, "Name", p, required=True),
            "level": to_str(df, "Level", p, required=True),
            "macroarea": to_str(df, "Macroarea", p),
            "latitude": to_float(df, "Latitude", p),
            "longitude": to_float(df, "Longitude", p),
            "iso639_3": to_str(df, "ISO639P3code", p),
            "family_id": to_str(df, "Family_ID", p),
            "language_id": to_str(df, "Language_ID", p),
            "countries_iso2": to_str(df, "Countries", p),
            "first_year_documented": to_int(df, "First_Year_Of_Documentation", p),
            "last_year_documented": to_int(df, "Last_Year_Of_Documentation", p),
            "is_isolate": df["Is_Isolate"].astype("string").str.lower().map({"true": True, "false": False}),
        }
    )
    has = langs.dropna(subset=["countries_iso2"])
    bridge = (
        pd.DataFrame(
            {
                "glottocode": has["glottocode"].repeat(has["countries_iso2"].str.count(";") + 1).to_numpy(),
                "level": has["level"].repeat(has["countries_iso2"].str.count(";") + 1).to_numpy(),
                "iso3": [c for codes in has["countries_iso2"] for c in _iso3_or_none(codes)],
            }
        )
        .dropna(subset=["iso3"])
        .drop_duplicates(["glottocode", "iso3"])
    )

    p = file_for(paths, PARAMETERS)
    df = read_csv(p, columns=["ID", "Name", "Description", "datatype"])
    params = pd.DataFrame(
        {
            "id": to_str(df, "ID", p, required=True),
            "name": to_str(df, "Name", p),
            "description": to_str(df, "Description", p),
            "datatype": to_str(df, "datatype", p),
        }
    )
    p = file_for(paths, CODES)
    df = read_csv(p, columns=["ID", "Parameter_ID", "Name", "Description", "numerical_value"])
    codes = pd.DataFrame(
        {
            "id": to_str(df, "ID", p, required=True),
            "parameter_id": to_str(df, "Parameter_ID", p, required=True),
            "name": to_str(df, "Name", p),
            "description": to_str(df, "Description", p),
            "numerical_value": to_float(df, "numerical_value", p),
        }
    )
    return {
        T_LANGUAGES.name: conform(langs, T_LANGUAGES),
        T_LANG_COUNTRIES.name: conform(bridge, T_LANG_COUNTRIES),
        T_PARAMETERS.name: conform(params, T_PARAMETERS),
        T_CODES.name: conform(codes, T_CODES),
    }


def _iso3_or_none(codes: str) -> list[str | None]:
    """One entry per ``;``-separated ISO2 code (``None`` where unknown), so lengths match the repeat above."""
    return [iso3_from_iso2(c) for c in codes.split(";")]


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``languages_spoken`` per LMC country and ``shared_languages`` per undirected LMC pair (level = language)."""
    b = tables[T_LANG_COUNTRIES.name]
    b = b[b["level"] == "language"]
    rows = []
    by_country = {c: set(b.loc[b["iso3"] == c, "glottocode"]) for c in LMC_COUNTRIES}
    for c, s in by_country.items():
        rows.append(("languages_spoken", c, RELEASE_YEAR, float(len(s))))
    for a, c in combinations(LMC_COUNTRIES, 2):
        rows.append(("shared_languages", pair_unit(a, c), RELEASE_YEAR, float(len(by_country[a] & by_country[c]))))
    return observation_rows(rows)


SOURCE = Source(
    id="glottolog",
    title="Glottolog languoids (CLDF release 5.1)",
    publisher="Glottolog (Max Planck Institute for Evolutionary Anthropology)",
    homepage="https://glottolog.org",
    licence="CC BY 4.0",
    files=(LANGUAGES, PARAMETERS, CODES),
    tables=(T_LANGUAGES, T_LANG_COUNTRIES, T_PARAMETERS, T_CODES),
    parse=parse,
    observations=observations,
    coverage="worldwide, 26,953 languoids; release 5.1 (2024-10)",
    notes="values.csv (endangerment, classification) is not mirrored; one representative point per languoid.",
    extra={"release_year": RELEASE_YEAR},
)
