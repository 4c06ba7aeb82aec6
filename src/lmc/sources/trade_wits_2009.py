"""World Bank WITS (UN Comtrade): total merchandise trade by reporter and partner, 2009 only.

Why: the one mirrored bilateral trade cross-section that includes LAO, KHM and VNM, so flows within the LMC can
be checked against a gravity prediction for one year. Values are in thousand US$ as reported: exports by the
reporter to the partner, imports by the reporter from the partner (mirror flows may disagree).
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
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import current_iso3, directed_units

TRADE = SourceFile(
    "trade_wits_2009/WITS_trade2009.csv",
    github_raw("ClaudeGrasland/trade@0a6fc98496f32e561254f577f9440b344d582c06", "data/WITS_trade2009.csv"),
    "92aaca4c574681a439c65b7744b764bd347f2d9df6446ecb96015588a4c418cc",
    bytes=2510840,
)
VALUE = "TradeValue in 1000 USD"

T_TRADE = TableSpec(
    "wits_trade_2009",
    {
        "reporter": "VARCHAR",
        "partner": "VARCHAR",
        "year": "INTEGER",
        "flow": "VARCHAR",
        "value_kusd": "DOUBLE",
        "reporter_name": "VARCHAR",
        "partner_name": "VARCHAR",
    },  # fmt: skip
    "Total merchandise exports/imports (thousand US$) reported by `reporter` with `partner`, 2009.",
    ("reporter", "partner", "flow"),
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, TRADE)
    df = read_csv(p, sep=";", columns=["ReporterISO3", "ReporterName", "PartnerISO3", "PartnerName", "Year",
                                       "TradeFlowName", VALUE])  # fmt: skip
    out = pd.DataFrame(
        {
            "reporter": to_str(df, "ReporterISO3", p, required=True).map(current_iso3),
            "partner": to_str(df, "PartnerISO3", p, required=True).map(current_iso3),
            "year": to_int(df, "Year", p, required=True),
            "flow": to_str(df, "TradeFlowName", p, required=True).str.lower(),
            "value_kusd": to_float(df, VALUE, p, required=True),
            "reporter_name": to_str(df, "ReporterName", p),
            "partner_name": to_str(df, "PartnerName", p),
        }
    )
    out = out.groupby(["reporter", "partner", "flow"], as_index=False).agg(
        year=("year", "first"), value_kusd=("value_kusd", "sum"), reporter_name=("reporter_name", "first"),
        partner_name=("partner_name", "first"),
    )  # fmt: skip
    return {T_TRADE.name: conform(out, T_TRADE)}


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``exports_reported_kusd`` (reporter>partner) and ``imports_reported_kusd`` (partner>reporter), LMC pairs only."""
    t = tables[T_TRADE.name]
    t = t[t["reporter"].isin(LMC_COUNTRIES) | t["partner"].isin(LMC_COUNTRIES)]
    t = t[
        t["reporter"].str.fullmatch(r"[A-Z]{3}")
        & t["partner"].str.fullmatch(r"[A-Z]{3}")
        & (t["reporter"] != t["partner"])
    ]
    ex = t[t["flow"] == "export"]
    im = t[t["flow"] == "import"]
    parts = [
        observations_of("exports_reported_kusd", directed_units(ex["reporter"], ex["partner"]), ex["year"],
                        ex["value_kusd"]),
        observations_of("imports_reported_kusd", directed_units(im["partner"], im["reporter"]), im["year"],
                        im["value_kusd"]),
    ]
    return pd.concat(parts, ignore_index=True)


SOURCE = Source(
    id="trade_wits_2009",
    title="WITS / UN Comtrade total merchandise trade by partner, 2009",
    publisher="World Bank WITS (UN Comtrade)",
    homepage="https://wits.worldbank.org/",
    licence="UN Comtrade/WITS terms (redistribution of raw extracts may be restricted; verify)",
    files=(TRADE,),
    tables=(T_TRADE,),
    parse=parse,
    observations=observations,
    coverage="173 reporters x partners, 2009 only",
    notes="One-year cross-section; reporter and partner figures for the same flow can differ.",
)
