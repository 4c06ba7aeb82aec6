"""World Bank World Development Indicators: 19 selected series (long) and a tourism extract.

Why: the country-level denominators and controls of the observatory (GDP, population, migrant stock, trade,
remittances, air departures, connectivity) plus international tourism arrivals/departures/receipts, which the
World Bank stopped updating after 2020 and which no mirrored WDI copy has, hence the Kaggle extract of WDI.

Regional and income aggregates (``EAS``, ``WLD``, ``LMC`` = lower middle income, ...) are dropped with
:func:`lmc.sources.harmonise.is_country_iso3`; ``CHI`` (Channel Islands, no ISO3) is dropped with them.

The long file is DERIVED (a stack of 19 per-indicator files); an online pull derives it from one World Bank API
call for all 19 indicators (:func:`derive_long`).
"""

from __future__ import annotations

import json
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
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import is_country_iso3

INDICATORS = (
    "NY.GDP.MKTP.CD", "NY.GDP.PCAP.CD", "NY.GDP.PCAP.PP.CD", "SP.POP.TOTL", "SM.POP.TOTL", "SM.POP.NETM",
    "SM.POP.REFG", "IS.AIR.DPRT", "ST.INT.RCPT.XP.ZS", "ST.INT.XPND.MP.ZS", "TX.VAL.MRCH.CD.WT", "TM.VAL.MRCH.CD.WT",
    "BX.TRF.PWKR.CD.DT", "IT.CEL.SETS.P2", "IT.NET.BBND.P2", "SE.TER.ENRR", "PA.NUS.FCRF", "PA.NUS.PPP",
    "SP.URB.TOTL.IN.ZS",
)  # fmt: skip
_API = "https://api.worldbank.org/v2/country/all/indicator/" + ";".join(INDICATORS) + "?source=2&format=json"


def _api_records(upstream: bytes) -> list[dict]:
    payload = json.loads(upstream)
    if not isinstance(payload, list) or len(payload) < 2 or payload[1] is None:
        raise ValueError("World Bank API answer has no data page")
    return payload[1]


def derive_long(upstream: bytes) -> bytes:
    """World Bank API JSON (all 19 indicators, 1995 on) -> ``Country Name,Country Code,Indicator Code,Year,Value``."""
    recs = [r for r in _api_records(upstream) if r.get("value") is not None and int(r["date"]) >= 1995]
    df = pd.DataFrame(
        {
            "Country Name": [r["country"]["value"] for r in recs],
            "Country Code": [r["countryiso3code"] for r in recs],
            "Indicator Code": [r["indicator"]["id"] for r in recs],
            "Year": [int(r["date"]) for r in recs],
            "Value": [r["value"] for r in recs],
        }
    ).sort_values(["Country Code", "Indicator Code", "Year"])
    return csv_bytes(df)


def derive_indicators(upstream: bytes) -> bytes:
    """World Bank API JSON (all years) -> ``indicator_code,indicator_name,first_year_in_source,last_year_in_source``."""
    recs = [r for r in _api_records(upstream) if r.get("value") is not None]
    df = pd.DataFrame(
        {
            "code": [r["indicator"]["id"] for r in recs],
            "name": [r["indicator"]["value"] for r in recs],
            "year": [int(r["date"]) for r in recs],
        }  # fmt: skip
    )
    g = df.groupby(["code", "name"])["year"].agg(["min", "max"]).reset_index()
    g.columns = ["indicator_code", "indicator_name", "first_year_in_source", "last_year_in_source"]
    return csv_bytes(g)


LONG = SourceFile(
    "wdi/wdi_selected_long_1995_latest.csv",
    _API + "&per_page=200000&date=1995:2025",
    "79edac53593f7da76022bc13d63862177cf1d232b22ff59c569e6b9b6c9837f1",
    bytes=6218839,
    derived=True,
    derive=derive_long,
)
INDICATOR_LIST = SourceFile(
    "wdi/wdi_selected_indicators.csv",
    _API + "&per_page=500000",
    "8fd1126a1189ed5ab842fc54d666a7a2fcdc41ed0bbc92140c37836684ab4726",
    bytes=1332,
    derived=True,
    derive=derive_indicators,
)
TOURISM = SourceFile(
    "wdi/world_tourism_economy_data_1999-2023.csv",
    github_raw("hsuchyisee/DV2@3fe653a20bbed4d86c66b5bbc7a3502e46606830", "data/world_tourism_economy_data.csv"),
    "f088821fc7cd4049d86a640d844d4ba2eb8a9691332becd6cd269d5923408192",
    bytes=519171,
)

T_WDI = TableSpec(
    "wdi",
    {"iso3": "VARCHAR", "indicator": "VARCHAR", "year": "INTEGER", "value": "DOUBLE"},
    "19 WDI series for countries and territories (aggregates dropped), 1995 on; indicator = WDI code.",
    ("iso3", "indicator", "year"),
    files=(LONG.path,),
)
T_INDICATORS = TableSpec(
    "wdi_indicators",
    {"indicator": "VARCHAR", "name": "VARCHAR", "first_year_in_source": "INTEGER", "last_year_in_source": "INTEGER"},
    "Names and year ranges of the WDI series.",
    ("indicator",),
    files=(INDICATOR_LIST.path,),
)
# extract column -> WDI code
TOURISM_CODES = {
    "tourism_receipts": "ST.INT.RCPT.CD",
    "tourism_arrivals": "ST.INT.ARVL",
    "tourism_exports": "ST.INT.RCPT.XP.ZS",
    "tourism_departures": "ST.INT.DPRT",
    "tourism_expenditures": "ST.INT.XPND.MP.ZS",
    "gdp": "NY.GDP.MKTP.CD",
    "inflation": "FP.CPI.TOTL.ZG",
    "unemployment": "SL.UEM.TOTL.ZS",
}
T_TOURISM = TableSpec(
    "wdi_tourism",
    {"iso3": "VARCHAR", "country": "VARCHAR", "year": "INTEGER", **{k: "DOUBLE" for k in TOURISM_CODES}},
    "Kaggle extract of WDI, country-year: tourism receipts (US$), arrivals, exports share, departures, expenditures "
    "share, GDP, inflation, unemployment. Tourism columns empty after 2020.",
    ("iso3", "year"),
    files=(TOURISM.path,),
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, LONG)
    df = read_csv(p, columns=["Country Name", "Country Code", "Indicator Code", "Year", "Value"])
    long = pd.DataFrame(
        {
            "iso3": to_str(df, "Country Code", p, required=True),
            "indicator": to_str(df, "Indicator Code", p, required=True),
            "year": to_int(df, "Year", p, required=True),
            "value": to_float(df, "Value", p),
        }
    )
    long = long[long["iso3"].map(is_country_iso3).astype(bool) & long["value"].notna()]

    p = file_for(paths, INDICATOR_LIST)
    df = read_csv(p, columns=["indicator_code", "indicator_name", "first_year_in_source", "last_year_in_source"])
    inds = pd.DataFrame(
        {
            "indicator": to_str(df, "indicator_code", p, required=True),
            "name": to_str(df, "indicator_name", p),
            "first_year_in_source": to_int(df, "first_year_in_source", p),
            "last_year_in_source": to_int(df, "last_year_in_source", p),
        }
    )

    p = file_for(paths, TOURISM)
    df = read_csv(p, columns=["country", "country_code", "year", *TOURISM_CODES])
    tour = pd.DataFrame(
        {
            "iso3": to_str(df, "country_code", p, required=True),
            "country": to_str(df, "country", p),
            "year": to_int(df, "year", p, required=True),
            **{c: to_float(df, c, p) for c in TOURISM_CODES},
        }
    )
    tour = tour[tour["iso3"].map(is_country_iso3).astype(bool)]
    return {
        T_WDI.name: conform(long, T_WDI),
        T_INDICATORS.name: conform(inds, T_INDICATORS),
        T_TOURISM.name: conform(tour, T_TOURISM),
    }


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every WDI value (indicator = WDI code), plus ST.INT.ARVL / ST.INT.DPRT / ST.INT.RCPT.CD from the extract."""
    w = tables[T_WDI.name].rename(columns={"iso3": "unit"})
    t = tables[T_TOURISM.name]
    extra = []
    for col in ("tourism_arrivals", "tourism_departures", "tourism_receipts"):
        part = t[["iso3", "year", col]].dropna().rename(columns={"iso3": "unit", col: "value"})
        extra.append(part.assign(indicator=TOURISM_CODES[col]))
    return observation_frame(pd.concat([w, *extra], ignore_index=True))


SOURCE = Source(
    id="wdi",
    title="World Bank WDI: 19 selected indicators and the tourism extract",
    publisher="World Bank, World Development Indicators (tourism extract: Kaggle 'Tourism and Economic Impact')",
    homepage="https://data.worldbank.org/",
    licence="CC BY 4.0 (WDI); Kaggle extract licence not stated",
    files=(LONG, INDICATOR_LIST, TOURISM),
    tables=(T_WDI, T_INDICATORS, T_TOURISM),
    parse=parse,
    observations=observations,
    coverage="all economies, 1995-2025 (indicator-specific); tourism 1999-2020",
    notes="Values are revised in every WDI release. Aggregates dropped. ST.INT.ARVL/DPRT/RCPT.CD only via the extract.",
)
