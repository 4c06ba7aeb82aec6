"""Oxford COVID-19 Government Response Tracker: daily Stringency Index and C8 international travel controls.

Why: 2020-2023 border closures are the largest shock to people-to-people connectivity in the series; any
before/after comparison (e.g. the China-Laos Railway opening in December 2021, during closure) must control for
them. Tables are kept **daily** (``oxcgrt_stringency_daily``, ``oxcgrt_c8_daily``) because reopening dates matter;
yearly aggregates are the observations (mean stringency, mean C8, days with total border closure).

Caveat carried from the mirror: the C8 copy (OWID republication) ends in late Nov / early Dec 2021, so it misses
the 2022 reopenings of VNM, LAO, MMR and China's closure to January 2023. The Stringency Index runs to 2022-12-31
(CHN to 2023-02-28), national, state (incl. 31 Chinese provinces) and city rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry

from lmc.errors import ParseError
from lmc.sources._common import (
    conform,
    file_for,
    github_raw,
    melt_observations,
    read_csv,
    to_date,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import is_country_iso3, iso3_from_names

REPO = "OxCGRT/covid-policy-dataset@e7f66ee39654293b5c068efd2f195bd591dc27f6"

STRINGENCY = SourceFile(
    "oxcgrt/OxCGRT_timeseries_StringencyIndex_v1.csv",
    github_raw(REPO, "data/timeseries_indices/OxCGRT_timeseries_StringencyIndex_v1.csv"),
    "c28b5bab905286ec94dd5e0ab822c00a7fe4c471b70dc66bf225529b01460c69",
    bytes=2527943,
)
CODEBOOK = SourceFile(
    "oxcgrt/documentation_and_codebook.md",
    github_raw(REPO, "documentation_and_codebook.md"),
    "18f0f36b687d5aa8c25a6fce3a064118f5d07b45ecc24bea72cc451fca6fa555",
    bytes=102805,
)
C8 = SourceFile(
    "oxcgrt/owid_international-travel-covid_2020-01-01_2021-12-02.csv",
    github_raw(
        "skylerg022/covid-travel-restrictions@1ba09e6dba8c811d3147c23de25ed9dcea34fe43",
        "data/international-travel-covid.csv",
    ),
    "a2a596f4a4413b09048c1a1ba29ac90d483757cb4d3ce89a73d4b44360ab777c",
    bytes=3349977,
)

T_STRINGENCY = TableSpec(
    "oxcgrt_stringency_daily",
    {
        "country_code": "VARCHAR",
        "country_name": "VARCHAR",
        "region_code": "VARCHAR",
        "region_name": "VARCHAR",
        "city_code": "VARCHAR",
        "city_name": "VARCHAR",
        "jurisdiction": "VARCHAR",
        "date": "DATE",
        "stringency": "DOUBLE",
    },
    "Daily Stringency Index 0-100 per jurisdiction (NAT_TOTAL, STATE_TOTAL incl. Chinese provinces, CITY_TOTAL).",
    files=(STRINGENCY.path,),
)
T_C8 = TableSpec(
    "oxcgrt_c8_daily",
    {"iso3": "VARCHAR", "entity": "VARCHAR", "date": "DATE", "c8": "TINYINT"},
    "Daily C8 international travel controls: 0 none, 1 screening, 2 quarantine from high-risk regions, "
    "3 ban on some regions, 4 ban on all regions / total border closure. Ends late 2021 (OWID copy).",
    ("iso3", "date"),
    files=(C8.path,),
)

_ID_COLS = ["CountryCode", "CountryName", "RegionCode", "RegionName", "CityCode", "CityName", "Jurisdiction"]


def _stringency(path: Path) -> pd.DataFrame:
    wide = read_csv(path, columns=_ID_COLS)
    day_cols = [c for c in wide.columns if c not in _ID_COLS]
    dates = pd.to_datetime(pd.Series(day_cols), format="%d%b%Y", errors="coerce")
    if dates.isna().any():
        bad = day_cols[int(dates.isna().to_numpy().argmax())]
        raise ParseError(f"{path}: line 1, column {bad!r}: not a DDMonYYYY date")
    values = wide[day_cols].apply(pd.to_numeric, errors="coerce")
    raw = wide[day_cols]
    bad = values.isna() & raw.notna() & (raw != "")
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise ParseError(f"{path}: line {r + 2}, column {day_cols[c]!r}: {raw.iat[r, c]!r} is not a number")
    ids = pd.DataFrame({k: to_str(wide, c, path) for k, c in zip(
        ["country_code", "country_name", "region_code", "region_name", "city_code", "city_name", "jurisdiction"],
        _ID_COLS, strict=True)})  # fmt: skip
    arr = values.to_numpy(dtype="float64")
    n_rows, n_days = arr.shape
    long = ids.loc[np.repeat(np.arange(n_rows), n_days)].reset_index(drop=True)
    long["date"] = np.tile(dates.dt.date.to_numpy(), n_rows)
    long["stringency"] = arr.reshape(-1)
    return long[long["stringency"].notna()]


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    stringency = _stringency(file_for(paths, STRINGENCY))

    p = file_for(paths, CODEBOOK)
    text = p.read_text(encoding="utf-8", errors="strict") if p.stat().st_size else ""
    if "C8" not in text:
        raise ParseError(f"{p}: line 1: the codebook does not define C8 (empty or wrong file?)")

    p = file_for(paths, C8)
    df = read_csv(p, columns=["Entity", "Code", "Day", "international_travel_controls"])
    c8 = pd.DataFrame(
        {
            "entity": to_str(df, "Entity", p, required=True),
            "code": to_str(df, "Code", p),
            "date": to_date(df, "Day", p),
            "c8": to_int(df, "international_travel_controls", p, required=True),
        }
    )
    if not c8["c8"].between(0, 4).all():
        i = int((~c8["c8"].between(0, 4)).to_numpy().argmax())
        raise ParseError(f"{p}: line {i + 2}, column 'international_travel_controls': {c8['c8'].iloc[i]} not in 0..4")
    by_code = c8["code"].where(c8["code"].map(is_country_iso3).astype(bool))
    c8["iso3"] = by_code.fillna(iso3_from_names(c8["entity"]))
    c8 = c8.dropna(subset=["iso3"])
    return {T_STRINGENCY.name: conform(stringency, T_STRINGENCY), T_C8.name: conform(c8, T_C8)}


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per country (national rows) and year: ``covid_stringency_mean``, ``covid_c8_mean``, ``covid_border_closed_days``.

    Chinese provinces (state rows ``CHN_YN`` ...) also get ``covid_stringency_mean`` under their ISO 3166-2 code
    (``CN-YN`` Yunnan), the unit the corridor analyses use.
    """
    s_all = tables[T_STRINGENCY.name]
    s_all = s_all.assign(year=pd.to_datetime(s_all["date"]).dt.year)
    s = s_all[s_all["jurisdiction"] == "NAT_TOTAL"]
    a = s.groupby(["country_code", "year"])["stringency"].mean().rename("covid_stringency_mean").reset_index()
    a = melt_observations(a, unit="country_code")
    prov = s_all[(s_all["jurisdiction"] == "STATE_TOTAL") & (s_all["country_code"] == "CHN")]
    prov = prov.assign(unit=prov["region_code"].str.replace("CHN_", "CN-", regex=False))
    prov = prov[prov["unit"].map(lambda c: pycountry.subdivisions.get(code=c) is not None).astype(bool)]
    p = prov.groupby(["unit", "year"])["stringency"].mean().rename("covid_stringency_mean").reset_index()
    p = melt_observations(p)
    c = tables[T_C8.name]
    c = c.assign(year=pd.to_datetime(c["date"]).dt.year, closed=(c["c8"] == 4).astype(float))
    g = c.groupby(["iso3", "year"]).agg(covid_c8_mean=("c8", "mean"), covid_border_closed_days=("closed", "sum"))
    b = melt_observations(g.reset_index(), unit="iso3")
    return pd.concat([a, p, b], ignore_index=True)


SOURCE = Source(
    id="oxcgrt",
    title="OxCGRT Stringency Index and C8 international travel controls (daily)",
    publisher="Oxford COVID-19 Government Response Tracker, Blavatnik School of Government (C8 via Our World in Data)",
    homepage="https://github.com/OxCGRT/covid-policy-dataset",
    licence="CC BY 4.0",
    files=(STRINGENCY, CODEBOOK, C8),
    tables=(T_STRINGENCY, T_C8),
    parse=parse,
    observations=observations,
    coverage="stringency 2020-01-01 .. 2022-12-31 (CHN to 2023-02-28); C8 2020-01-01 .. 2021-12-02",
    notes="C8 copy ends late 2021 (misses 2022 reopenings); the full C8 series is in OxCGRT_compact_national_v1.csv.",
)
