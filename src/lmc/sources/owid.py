"""Our World in Data series: internet users (% of population) and tourist departures per 1,000 people.

Why: internet use is the digital side of soft connectivity (WDI's IT.NET.USER.ZS is not in any mirrored WDI copy;
OWID republishes the ITU series), and departures per 1,000 people is the outbound-travel propensity used to
normalise tourism flows. OWID regions (``OWID_WRL``, "East Asia & Pacific") are dropped; entities without a
code are harmonised by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc.sources._common import (
    conform,
    file_for,
    github_raw,
    observation_frame,
    read_csv,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import is_country_iso3, iso3_from_names

INTERNET = SourceFile(
    "owid/share-of-individuals-using-the-internet.csv",
    github_raw(
        "Youssif-Alashry/Individuals-using-the-internet-dashboard@3827a14e3527229d9af005d4e08692d10cc1cbb9",
        "share-of-individuals-using-the-internet.csv",
    ),
    "301b48786f08aea7967621bdf988d363e2c85d1e124808bb4b7e1d3fb50b13e9",
    bytes=182229,
)
DEPARTURES = SourceFile(
    "owid/number-of-tourist-departures-per-1000_wb_un_2019.csv",
    github_raw(
        "owid/owid-datasets@48c9992ae317b35ed327fc36d2af75fe8b3ef7ed",
        "datasets/Number of tourist departures per 1000 - World Bank & UN (2019)/"
        "Number of tourist departures per 1000 - World Bank & UN (2019).csv",
    )
    .replace(" ", "%20")
    .replace("&", "%26"),
    "f2351c1f0b8e2f7f6a0b70462b9fffeb30ea4009e74dc8e595ee91722ecf5273",
    bytes=61881,
)

INTERNET_COL = "Individuals using the Internet (% of population)"
DEPARTURES_COL = "Number of departures (per 1000 people)"

T_OWID = TableSpec(
    "owid_series",
    {"iso3": "VARCHAR", "entity": "VARCHAR", "indicator": "VARCHAR", "year": "INTEGER", "value": "DOUBLE"},
    "OWID country-year series: internet_users_pct (ITU via OWID, 1990-2023; zeros before 1990), "
    "tourist_departures_per_1000 (World Bank & UN, 1995-2017).",
    ("iso3", "indicator", "year"),
    files=(
        INTERNET.path,
        DEPARTURES.path,
    ),
    min_rows=8_000,  # the pinned files give 8,901
)


def _series(path: Path, value_col: str, indicator: str, has_code: bool) -> pd.DataFrame:
    cols = ["Entity", "Code", "Year", value_col] if has_code else ["Entity", "Year", value_col]
    df = read_csv(path, columns=cols)
    entity = to_str(df, "Entity", path, required=True)
    if has_code:
        code = to_str(df, "Code", path)
        iso3 = code.where(code.map(is_country_iso3).astype(bool)).fillna(iso3_from_names(entity))
    else:
        iso3 = iso3_from_names(entity)
    out = pd.DataFrame(
        {
            "iso3": iso3,
            "entity": entity,
            "indicator": indicator,
            "year": to_int(df, "Year", path, required=True),
            "value": to_float(df, value_col, path, required=True),
        }
    )
    return out.dropna(subset=["iso3"])


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    a = _series(file_for(paths, INTERNET), INTERNET_COL, "internet_users_pct", has_code=True)
    b = _series(file_for(paths, DEPARTURES), DEPARTURES_COL, "tourist_departures_per_1000", has_code=False)
    return {T_OWID.name: conform(pd.concat([a, b], ignore_index=True), T_OWID)}


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    return observation_frame(tables[T_OWID.name].rename(columns={"iso3": "unit"}))


SOURCE = Source(
    id="owid",
    title="Our World in Data: internet users and tourist departures per 1,000",
    publisher="Our World in Data (based on ITU / World Bank and World Bank & UN population)",
    homepage="https://ourworldindata.org",
    licence="CC BY 4.0",
    files=(INTERNET, DEPARTURES),
    tables=(T_OWID,),
    parse=parse,
    observations=observations,
    coverage="internet 1990-2023; departures 1995-2017 (133 entities)",
    notes="Internet series has zeros for 1960-1989 (OWID fill); regions dropped.",
)
