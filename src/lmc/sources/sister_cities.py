"""Twin towns and sister cities (Wikipedia lists, scraped and geocoded by Hekman/twincities).

Why: city twinning is a grassroots channel of soft connectivity (exchanges, delegations, school links) and one of
the few people-to-people measures at sub-national scale. Country names are English names; they become ISO3 via
:mod:`lmc.sources.harmonise` ("England, United Kingdom" -> GBR). Pairs are undated and coverage follows Wikipedia
editors (China is heavily covered, Laos and Myanmar thinly), so the observation is dated by the scrape (2026) and
should be read as "links known today", not a time series.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources._common import (
    conform,
    file_for,
    github_raw,
    observations_of,
    read_csv,
    to_float,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import iso3_from_names, pair_unit

SNAPSHOT_YEAR = 2026

PAIRS = SourceFile(
    "sister_cities/twin_cities_geocoded.csv",
    # the mirror file is the repository's geocoded list; its path at this commit is taken to be app/public/
    github_raw("Hekman/twincities@84ebdec26ee6878367953cfbc56311ae6452752b", "app/public/twin_cities.csv"),
    "0964bc76ba1dffa002c1c7257292bf42f1c828d2df44aab22490341a708dd60a",
    bytes=1793895,
)

T_TWINS = TableSpec(
    "twin_cities",
    {
        "city1": "VARCHAR",
        "iso3_1": "VARCHAR",
        "city2": "VARCHAR",
        "iso3_2": "VARCHAR",
        "lat1": "DOUBLE",
        "lng1": "DOUBLE",
        "lat2": "DOUBLE",
        "lng2": "DOUBLE",
        "country1": "VARCHAR",
        "country2": "VARCHAR",
    },
    "Twin-city pairs as listed on Wikipedia (one row per listing; a pair may be listed from both sides).",
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, PAIRS)
    df = read_csv(p, columns=["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"])
    out = pd.DataFrame(
        {
            "city1": to_str(df, "city1", p, required=True),
            "country1": to_str(df, "country1", p),
            "lat1": to_float(df, "lat1", p),
            "lng1": to_float(df, "lng1", p),
            "city2": to_str(df, "city2", p, required=True),
            "country2": to_str(df, "country2", p),
            "lat2": to_float(df, "lat2", p),
            "lng2": to_float(df, "lng2", p),
        }
    )
    out["iso3_1"] = iso3_from_names(out["country1"])
    out["iso3_2"] = iso3_from_names(out["country2"])
    return {T_TWINS.name: conform(out, T_TWINS)}


def distinct_pairs(twins: pd.DataFrame) -> pd.DataFrame:
    """Distinct undirected city pairs between two different countries (a pair listed from both sides counts once)."""
    t = twins.dropna(subset=["iso3_1", "iso3_2"])
    t = t[t["iso3_1"] != t["iso3_2"]]
    a = list(zip(t["iso3_1"], t["city1"], strict=True))
    b = list(zip(t["iso3_2"], t["city2"], strict=True))
    key = [tuple(sorted((x, y))) for x, y in zip(a, b, strict=True)]
    t = t.assign(_key=key).drop_duplicates("_key")
    return t.drop(columns="_key")


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``twin_city_links``: distinct twin-city pairs per undirected country pair with an LMC country (as of 2026)."""
    t = distinct_pairs(tables[T_TWINS.name])
    t = t[t["iso3_1"].isin(LMC_COUNTRIES) | t["iso3_2"].isin(LMC_COUNTRIES)]
    units = pd.Series([pair_unit(a, b) for a, b in zip(t["iso3_1"], t["iso3_2"], strict=True)])
    counts = units.value_counts()
    return observations_of("twin_city_links", counts.index.astype(str), SNAPSHOT_YEAR, counts.to_numpy())


SOURCE = Source(
    id="sister_cities",
    title="Twin towns and sister cities (Wikipedia lists, geocoded)",
    publisher='Hekman/twincities scrape of Wikipedia "List of twin towns and sister cities in ..." pages',
    homepage="https://en.wikipedia.org/wiki/Lists_of_twin_towns_and_sister_cities",
    licence="repository MIT; underlying Wikipedia text CC BY-SA 4.0",
    files=(PAIRS,),
    tables=(T_TWINS,),
    parse=parse,
    observations=observations,
    coverage="25,917 listed pairs worldwide; undated (scraped 2026)",
    notes="Not Wikidata P190; no dates; coverage depends on Wikipedia editors.",
)
