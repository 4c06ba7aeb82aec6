"""OpenAlex research output and co-authorship by country pair, 1990-2023 (OpenAlex CC0, via bavla/OpenAlex).

Why: the "knowledge" side of people-to-people bonds - the seed article's "deficit of knowledge about the region".
Co-authored works measure how much researchers of two countries actually work together, and who the six countries
co-author with (each other, or the USA, UK, France, Germany, Japan and Australia).

The network (Vladimir Batagelj's country co-authorship build from the OpenAlex API, 2024-08-27) is symmetric, so
each pair appears twice in the file, and its diagonal is the country's total works ``T`` (works with at least one
author from the country); counts are as defined by that build (country of any author), not restricted to Mekong
topics. The tables keep every row as published; the observations give each LMC pair once.

Both files are DERIVED from per-year Pajek networks in a zip; without a mirror the pull fails with that explanation.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources._common import (
    conform,
    file_for,
    no_single_download,
    observation_rows,
    read_csv,
    reject_first,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import iso3_from_iso2, pair_unit

HOMEPAGE = "https://github.com/bavla/OpenAlex/tree/main/Countries/27aug24"


_no_single_download = no_single_download("the OpenAlex co-authorship tables are derived from the per-year Pajek "
                                         "networks in bavla/OpenAlex's WrldCo_years.zip")
PAIRS = SourceFile(
    "openalex_coauthorship/openalex_country_coauthorship_lmc_1990-2023.csv",
    HOMEPAGE,
    "27b55004acf41ae1e4b7833542e9605853ec460fc3d1598127761cc987228b68",
    bytes=531684,
    derived=True,
    derive=_no_single_download,
)
TOTALS = SourceFile(
    "openalex_coauthorship/openalex_country_works_total_lmc_1990-2023.csv",
    HOMEPAGE,
    "b4c85cc6d1387579448e405123797d3dfc4ba08e1c11d88efbddecd6b8e24a50",
    bytes=2760,
    derived=True,
    derive=_no_single_download,
)

T_PAIRS = TableSpec(
    "openalex_coauthorship",
    {"year": "INTEGER", "iso2_a": "VARCHAR", "iso2_b": "VARCHAR", "iso3_a": "VARCHAR", "iso3_b": "VARCHAR",
     "works": "BIGINT"},
    "Works co-authored by authors from both countries, per year (one side an LMC country; each pair appears in both "
    "orders; a == b is the country's total works). ISO3 NULL for codes without one.",
    ("year", "iso2_a", "iso2_b"),
    files=(PAIRS.path,),
)
T_TOTALS = TableSpec(
    "openalex_works",
    {"year": "INTEGER", "iso2": "VARCHAR", "iso3": "VARCHAR", "works": "BIGINT"},
    "Works with at least one author from the country, per year (the six LMC countries).",
    ("year", "iso2"),
    files=(TOTALS.path,),
)

PEERS_WEST: tuple[str, ...] = ("USA", "GBR", "FRA", "DEU", "JPN", "AUS")
"""The reference partners the issue names: the USA, UK, France, Germany, Japan and Australia."""


def _iso2(df: pd.DataFrame, col: str, path: Path) -> pd.Series:
    s = to_str(df, col, path, required=True)
    reject_first(~s.str.fullmatch(r"[A-Z]{2}"), s, path, col, "is not a two-letter country code")
    return s


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, PAIRS)
    df = read_csv(p, columns=["year", "country_a_iso2", "country_b_iso2", "value"])
    a, b = _iso2(df, "country_a_iso2", p), _iso2(df, "country_b_iso2", p)
    pairs = pd.DataFrame({"year": to_int(df, "year", p, required=True), "iso2_a": a, "iso2_b": b,
                          "iso3_a": a.map(iso3_from_iso2).astype("string"),
                          "iso3_b": b.map(iso3_from_iso2).astype("string"),
                          "works": to_int(df, "value", p, required=True)})
    p = file_for(paths, TOTALS)
    df = read_csv(p, columns=["year", "country_iso2", "coauthored_works_T"])
    c = _iso2(df, "country_iso2", p)
    totals = pd.DataFrame({"year": to_int(df, "year", p, required=True), "iso2": c,
                           "iso3": c.map(iso3_from_iso2).astype("string"),
                           "works": to_int(df, "coauthored_works_T", p, required=True)})
    for name, frame, path in (("value", pairs, PAIRS.path), ("coauthored_works_T", totals, TOTALS.path)):
        reject_first(frame["works"] < 0, frame["works"], paths[path], name, "is negative")
    return {T_PAIRS.name: conform(pairs, T_PAIRS), T_TOTALS.name: conform(totals, T_TOTALS)}


def lmc_pair_works(pairs: pd.DataFrame) -> pd.DataFrame:
    """Co-authored works per undirected LMC pair and year (``pair, year, works``), each pair once (the file lists
    both orders with the same count)."""
    d = pairs[pairs["iso3_a"].isin(LMC_COUNTRIES) & pairs["iso3_b"].isin(LMC_COUNTRIES)
              & (pairs["iso3_a"] != pairs["iso3_b"])]
    d = d.assign(pair=[pair_unit(x, y) for x, y in zip(d["iso3_a"], d["iso3_b"], strict=True)])
    return d.groupby(["pair", "year"], as_index=False)["works"].max()


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``coauthored_works`` per undirected LMC pair and year; ``research_works`` per LMC country and year."""
    pw = lmc_pair_works(tables[T_PAIRS.name])
    t = tables[T_TOTALS.name]
    t = t[t["iso3"].isin(LMC_COUNTRIES)]
    rows = [("coauthored_works", p, int(y), float(w)) for p, y, w in zip(pw["pair"], pw["year"], pw["works"])]
    rows += [("research_works", c, int(y), float(w)) for c, y, w in zip(t["iso3"], t["year"], t["works"])]
    return observation_rows(rows)


SOURCE = Source(
    id="openalex_coauthorship",
    title="OpenAlex research works and co-authorship by country pair, 1990-2023",
    publisher="Vladimir Batagelj (bavla/OpenAlex), from the OpenAlex API (group-by authorships.countries), 2024-08-27",
    homepage=HOMEPAGE,
    licence="OpenAlex data CC0 1.0; the repository has no licence file",
    files=(PAIRS, TOTALS),
    tables=(T_PAIRS, T_TOTALS),
    parse=parse,
    observations=observations,
    coverage="every pair with one LMC country, 1990-2023 (OpenAlex as of 2024-08-27)",
    notes="Counts as defined by the repository author's network build (country of any author); not restricted to "
          "Mekong topics. 2023 totals: CN 237,887, TH 13,923, VN 10,955, KH 2,656, MM 709, LA 393.",
)
