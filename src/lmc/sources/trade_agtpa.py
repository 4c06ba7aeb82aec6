"""WTO/UNCTAD *Advanced Guide to Trade Policy Analysis* (Yotov et al. 2016): the structural-gravity teaching data.

Why: the flows engine validates its PPML gravity and GE estimates against the book's published benchmarks on
exactly these panels (69 countries incl. CHN, MMR, THA; manufacturing trade incl. intra-national, 1986-2006).
They are reference data for method validation, not observatory indicators, so they produce no observations.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc.errors import ParseError
from lmc.sources._common import conform, file_for, github_raw, require_columns
from lmc.sources.base import Source, SourceFile, TableSpec

REPO = "paulofelipe/Structural-Gravity@4a565796136e17ab7c8607356434e5024919f22f"

CH1_APP1 = SourceFile(
    "trade_agtpa/Chapter1Application1.dta",
    github_raw(REPO, "Data/Chapter1Application1.dta"),
    "90f70f002e107cd91e4e2bed5e3dd9df535d555934c04fb86eec02995826eea6",
    bytes=3309443,
)
CH1_EX1 = SourceFile(
    "trade_agtpa/Chapter1Exercise1.dta",
    github_raw(REPO, "Data/Chapter1Exercise1.dta"),
    "bc6bf01c885e4f50cecb9de8af2c622efc8b3a4b4c2f0a0f46edecb1ca8d89b2",
    bytes=948182,
)
CH2_APP2 = SourceFile(
    "trade_agtpa/Chapter2Application2.dta",
    github_raw(REPO, "Data/Chapter2Application2.dta"),
    "60ead74eb51db9c4d0406a4b7668e97cbedbeaccf324beba362123f7ae547547",
    bytes=3709529,
)

_BASE = {"exporter": "VARCHAR", "importer": "VARCHAR", "year": "INTEGER", "trade": "DOUBLE", "dist": "DOUBLE",
         "cntg": "TINYINT", "lang": "TINYINT", "clny": "TINYINT"}  # fmt: skip
T_CH1_APP1 = TableSpec(
    "agtpa_ch1_app1",
    {**_BASE, "pair_id": "INTEGER"},
    "Ch.1 Applications 1-2 (traditional gravity, distance puzzle): manufacturing trade incl. intra-national, US$.",
    ("exporter", "importer", "year"),
    files=(CH1_APP1.path,),
)
T_CH1_EX1 = TableSpec(
    "agtpa_ch1_ex1",
    {**_BASE, "rta": "TINYINT", "wto": "TINYINT"},
    "Ch.1 Exercise 1 (WTO membership effects), 65 countries.",
    ("exporter", "importer", "year"),
    files=(CH1_EX1.path,),
)
T_CH2_APP2 = TableSpec(
    "agtpa_ch2_app2",
    {**_BASE, "pair_id": "INTEGER", "rta": "TINYINT"},
    "Ch.2 Application 2 (general-equilibrium effects of RTAs / NAFTA): the Ch.1 panel plus an RTA dummy.",
    ("exporter", "importer", "year"),
    files=(CH2_APP2.path,),
)


def _read(path: Path, spec: TableSpec) -> pd.DataFrame:
    try:
        df = pd.read_stata(path, convert_categoricals=False)
    except Exception as exc:  # pandas raises ValueError/struct.error/UnicodeDecodeError on corrupt Stata files
        raise ParseError(f"{path}: not a readable Stata file ({type(exc).__name__}: {exc})") from exc
    df.columns = [str(c).lower() for c in df.columns]
    require_columns(df, list(spec.columns), path)
    for col in ("year", "pair_id", "cntg", "lang", "clny", "rta", "wto"):
        if col in df.columns:
            bad = df[col].notna() & (df[col] != df[col].round())
            if bad.any():
                i = int(bad.to_numpy().argmax())
                raise ParseError(f"{path}: record {i + 1}, column {col!r}: {df[col].iloc[i]!r} is not a whole number")
            df[col] = df[col].round().astype("Int64")
    return df


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    return {
        spec.name: conform(_read(file_for(paths, f), spec), spec)
        for f, spec in ((CH1_APP1, T_CH1_APP1), (CH1_EX1, T_CH1_EX1), (CH2_APP2, T_CH2_APP2))
    }


SOURCE = Source(
    id="trade_agtpa",
    title="Advanced Guide to Trade Policy Analysis: structural gravity data (Yotov et al. 2016)",
    publisher="WTO / UNCTAD (Yotov, Piermartini, Monteiro, Larch 2016)",
    homepage="https://vi.unctad.org/tpa/",
    licence="WTO/UNCTAD training material; no explicit open licence (attribute the source)",
    files=(CH1_APP1, CH1_EX1, CH2_APP2),
    tables=(T_CH1_APP1, T_CH1_EX1, T_CH2_APP2),
    parse=parse,
    coverage="69 countries (incl. CHN, MMR, THA; not LAO, KHM, VNM), 1986-2006",
    notes="Validation data for the gravity engine (book Table 1 benchmarks); no observations.",
)
