"""UNESCO World Heritage List (2023 export): properties, inscription years, countries.

Why: shared and transboundary heritage is a cultural-connectivity asset and a tourism draw. The export codes
countries as lower-case ISO2, comma-separated for transboundary properties (``"kh,la"``); they become ISO3 lists
and one row per (site, country) in ``unesco_site_countries``.

The connector parses the DERIVED lite CSV (same rows, no HTML/French columns); an online pull derives it from the
official XLS with :func:`derive_lite`.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc.sources._common import (
    conform,
    csv_bytes,
    file_for,
    github_raw,
    observation_frame,
    read_csv,
    to_bool,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import iso3_list_from_iso2

REPO = "GabsPalomo/myTidyTuesdayContributions@183c952679bdb9f78085cbdd7307a0c9a4c2274f"
_DROPPED = ["name_fr", "short_description_en", "short_description_fr", "justification_en", "justification_fr",
            "states_name_fr", "region_fr"]  # fmt: skip

XLS = SourceFile(
    "unesco_whc/whc-sites-2023.xls",
    github_raw(REPO, "2024_02_06_heritage/data/whc-sites-2023.xls"),
    "6e3b5e2c55524bafc1632b4abddf33ca6ded89da6decb1f2808f05fa2e48b835",
    bytes=3404288,
)


def derive_lite(upstream: bytes) -> bytes:
    """The official XLS -> the lite CSV (drop long HTML text and French duplicates; rows unchanged)."""
    with warnings.catch_warnings():  # pandas deprecates xlrd; the .xls export still needs it
        warnings.simplefilter("ignore")
        df = pd.read_excel(io.BytesIO(upstream), engine="xlrd")
    return csv_bytes(df.drop(columns=[c for c in _DROPPED if c in df.columns]))


LITE = SourceFile(
    "unesco_whc/whc_sites_2023_lite.csv",
    github_raw(REPO, "2024_02_06_heritage/data/whc-sites-2023.xls"),
    "619d103ad4b27b0cde72c5be8450b62fac84bdb495fa891ec57692df03eff437",
    bytes=207112,
    derived=True,
    derive=derive_lite,
)

T_SITES = TableSpec(
    "unesco_sites",
    {
        "id_no": "INTEGER",
        "name_en": "VARCHAR",
        "category": "VARCHAR",
        "date_inscribed": "INTEGER",
        "latitude": "DOUBLE",
        "longitude": "DOUBLE",
        "iso3_list": "VARCHAR",
        "transboundary": "BOOLEAN",
        "states_name_en": "VARCHAR",
        "region_en": "VARCHAR",
        "danger": "BOOLEAN",
        "area_hectares": "DOUBLE",
        "criteria_txt": "VARCHAR",
    },
    "World Heritage properties as of the 2023 session; iso3_list is comma-separated ISO3 (several if transboundary).",
    ("id_no",),
    files=(LITE.path,),
)
T_SITE_COUNTRIES = TableSpec(
    "unesco_site_countries",
    {"id_no": "INTEGER", "iso3": "VARCHAR"},
    "One row per property and state party (transboundary properties split).",
    ("id_no", "iso3"),
    files=(LITE.path,),
)

_COLS = ["id_no", "name_en", "date_inscribed", "danger", "longitude", "latitude", "area_hectares", "criteria_txt",
         "category", "states_name_en", "region_en", "iso_code", "transboundary"]  # fmt: skip


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, LITE)
    df = read_csv(p, columns=_COLS)
    iso3_lists = [iso3_list_from_iso2(x) for x in df["iso_code"].astype(object).where(df["iso_code"].notna(), None)]
    sites = pd.DataFrame(
        {
            "id_no": to_int(df, "id_no", p, required=True),
            "name_en": to_str(df, "name_en", p, required=True),
            "category": to_str(df, "category", p, required=True),
            "date_inscribed": to_int(df, "date_inscribed", p, required=True),
            "latitude": to_float(df, "latitude", p),
            "longitude": to_float(df, "longitude", p),
            "iso3_list": [",".join(x) if x else None for x in iso3_lists],
            "transboundary": to_bool(df, "transboundary", p),
            "states_name_en": to_str(df, "states_name_en", p),
            "region_en": to_str(df, "region_en", p),
            "danger": to_bool(df, "danger", p),
            "area_hectares": to_float(df, "area_hectares", p),
            "criteria_txt": to_str(df, "criteria_txt", p),
        }
    )
    bridge = pd.DataFrame(
        {
            "id_no": sites["id_no"].repeat([len(x) for x in iso3_lists]).to_numpy(),
            "iso3": [c for x in iso3_lists for c in x],
        }
    ).drop_duplicates()
    return {T_SITES.name: conform(sites, T_SITES), T_SITE_COUNTRIES.name: conform(bridge, T_SITE_COUNTRIES)}


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``world_heritage_sites``: properties inscribed up to each year (1978-2023), per state party (ISO3).

    A transboundary property counts once for every state party it spans.
    """
    sites = tables[T_SITES.name][["id_no", "date_inscribed"]]
    b = tables[T_SITE_COUNTRIES.name].merge(sites, on="id_no")
    years = range(int(sites["date_inscribed"].min()), int(sites["date_inscribed"].max()) + 1)
    per_year = b.groupby(["iso3", "date_inscribed"]).size().unstack(fill_value=0)
    per_year = per_year.reindex(columns=list(years), fill_value=0).cumsum(axis=1)
    long = per_year.stack().rename("value").reset_index()
    long.columns = ["unit", "year", "value"]
    return observation_frame(long.assign(indicator="world_heritage_sites"))


SOURCE = Source(
    id="unesco_whc",
    title="UNESCO World Heritage List (2023 export)",
    publisher="UNESCO World Heritage Centre",
    homepage="https://whc.unesco.org/en/list/",
    licence="UNESCO WHC syndication terms (stated as CC BY-SA 3.0 IGO; verify)",
    files=(XLS, LITE),
    tables=(T_SITES, T_SITE_COUNTRIES),
    parse=parse,
    observations=observations,
    coverage="1,199 properties, inscriptions 1978-2023",
    notes="No inscriptions from 2024 on; one coordinate per property even when serial.",
)
