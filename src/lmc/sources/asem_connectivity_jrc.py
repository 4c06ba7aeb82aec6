"""JRC ASEM Sustainable Connectivity data (as shipped in the R package COINr): 51 countries x 49 indicators.

Why: an established composite connectivity index that includes all six LMC countries; the index engine rebuilds
it to validate its own construction against COINr's reference results, and its people-to-people indicators
(``Visa``, ``StMob``, ``Tourist``, ``MigStock``, ``Lang``, ``Flights``...) are benchmarks for ours.

The iData file is wide (one column per indicator, plus group and denominator columns); ``asem_data`` is its long
form over the numeric columns, ``asem_groups`` keeps the group labels, ``asem_meta`` is the index tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from lmc.errors import ParseError, suggest
from lmc.sources._common import conform, file_for, observations_of, read_csv, to_float, to_str
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import is_country_iso3

# The mirror copies came out of COINr at this commit; their path inside the repository is not known, so the
# download URL is the publisher's repository page (see the MANIFEST).
PUBLISHER_URL = "https://composite-indicators.jrc.ec.europa.eu/asem-sustainable-connectivity/repository"
REFERENCE_YEAR = 2018

IDATA = SourceFile(
    "asem_connectivity_jrc/ASEM_iData.csv",
    PUBLISHER_URL,
    "6f5f6c9335e3c0d70bba2c5f64f800fb9d8c25803cd9a984c626c7186afe833c",
    bytes=26812,
)
IMETA = SourceFile(
    "asem_connectivity_jrc/ASEM_iMeta.csv",
    PUBLISHER_URL,
    "51c67c62887bad6632d45793d05122c54ef8827c6cc9944e8f38409a7ef0b0a1",
    bytes=5819,
)

_GROUPS = ["GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"]

T_DATA = TableSpec(
    "asem_data",
    {"iso3": "VARCHAR", "country": "VARCHAR", "icode": "VARCHAR", "year": "INTEGER", "value": "DOUBLE"},
    "ASEM iData in long form: indicators and denominators (Area, Energy, GDP, Population) per country, ref. 2018.",
    ("iso3", "icode"),
    files=(IDATA.path,),
)
T_GROUPS = TableSpec(
    "asem_groups",
    {
        "iso3": "VARCHAR",
        "country": "VARCHAR",
        "gdp_group": "VARCHAR",
        "gdppc_group": "VARCHAR",
        "pop_group": "VARCHAR",
        "eurasia_group": "VARCHAR",
    },  # fmt: skip
    "Country groupings used by the ASEM index (size classes, Europe/Asia).",
    ("iso3",),
    files=(IDATA.path,),
)
T_META = TableSpec(
    "asem_meta",
    {
        "level": "INTEGER",
        "icode": "VARCHAR",
        "iname": "VARCHAR",
        "direction": "INTEGER",
        "weight": "DOUBLE",
        "unit": "VARCHAR",
        "target": "DOUBLE",
        "denominator": "VARCHAR",
        "parent": "VARCHAR",
        "type": "VARCHAR",
    },  # fmt: skip
    "Index tree: indicators (level 1) and aggregates with weights, directions, parents, denominators.",
    ("icode",),
    files=(IMETA.path,),
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, IDATA)
    df = read_csv(p, columns=["uName", "uCode", *_GROUPS, "Time"])
    iso3 = to_str(df, "uCode", p, required=True)
    bad = ~iso3.map(is_country_iso3).astype(bool)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ParseError(f"{p}: line {i + 2}, column 'uCode': {iso3.iloc[i]!r} is not an ISO3 country code")
    year = to_float(df, "Time", p, required=True)
    value_cols = [c for c in df.columns if c not in ("uName", "uCode", "Time", *_GROUPS)]
    values = np.column_stack([to_float(df, c, p).to_numpy() for c in value_cols])
    n, k = values.shape
    data = pd.DataFrame(
        {
            "iso3": np.repeat(iso3.to_numpy(), k),
            "country": np.repeat(df["uName"].to_numpy(), k),
            "icode": np.tile(np.array(value_cols, dtype=object), n),
            "year": np.repeat(year.to_numpy(), k).astype("int64"),
            "value": values.reshape(-1),
        }
    ).dropna(subset=["value"])
    groups = pd.DataFrame(
        {"iso3": iso3, "country": to_str(df, "uName", p), **{g.lower(): to_str(df, g, p) for g in _GROUPS}}
    )

    p = file_for(paths, IMETA)
    m = read_csv(p, columns=["Level", "iCode", "iName", "Direction", "Weight", "Unit", "Target", "Denominator",
                             "Parent", "Type"])  # fmt: skip
    meta = pd.DataFrame(
        {
            "level": to_float(m, "Level", p),
            "icode": to_str(m, "iCode", p, required=True),
            "iname": to_str(m, "iName", p),
            "direction": to_float(m, "Direction", p),
            "weight": to_float(m, "Weight", p),
            "unit": to_str(m, "Unit", p),
            "target": to_float(m, "Target", p),
            "denominator": to_str(m, "Denominator", p),
            "parent": to_str(m, "Parent", p),
            "type": to_str(m, "Type", p),
        }
    )
    _check_value_columns(value_cols, meta, data_path=file_for(paths, IDATA))
    meta["level"] = meta["level"].round().astype("Int64")
    meta["direction"] = meta["direction"].round().astype("Int64")
    return {
        T_DATA.name: conform(data, T_DATA),
        T_GROUPS.name: conform(groups, T_GROUPS),
        T_META.name: conform(meta, T_META),
    }


def _check_value_columns(value_cols: list[str], meta: pd.DataFrame, *, data_path: Path) -> None:
    """The iData's value columns must be exactly the iMeta's indicators and denominators: a renamed column would
    otherwise load as a new indicator while the real one silently loses its rows."""
    expected = list(meta.loc[meta["type"].isin(["Indicator", "Denominator"]), "icode"])
    extra = [c for c in value_cols if c not in expected]
    for code in expected:
        if code not in value_cols:
            raise ParseError(f"{data_path}: line 1: column {code!r}, an indicator or denominator of the iMeta, is "
                             f"missing.{suggest(code, extra)}")
    if extra:
        raise ParseError(f"{data_path}: line 1: column {extra[0]!r} is neither an indicator nor a denominator of the "
                         f"iMeta.{suggest(extra[0], expected)}")


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every ASEM indicator value as ``asem_<iCode>`` per country, reference year 2018."""
    d = tables[T_DATA.name]
    return observations_of("asem_" + d["icode"].astype(str), d["iso3"], d["year"], d["value"])


SOURCE = Source(
    id="asem_connectivity_jrc",
    title="ASEM Sustainable Connectivity index data (JRC, via COINr)",
    publisher="European Commission JRC, ASEM Sustainable Connectivity Portal (as shipped in R package COINr)",
    homepage=PUBLISHER_URL,
    licence="COINr MIT; underlying JRC/ASEM data EC reuse policy (CC BY 4.0; verify)",
    files=(IDATA, IMETA),
    tables=(T_DATA, T_GROUPS, T_META),
    parse=parse,
    observations=observations,
    coverage="51 ASEM countries incl. all six LMC; reference year 2018",
    notes="Mirror copies come from COINr (bluefoxr/COINr@b9682034); no raw URL known, so the download URL is the "
    "JRC repository page.",
    extra={"coinr_commit": "bluefoxr/COINr@b9682034635df03279896b6cb025cd3534f82cbb"},
)
