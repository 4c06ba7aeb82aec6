"""UCDP/PRIO Armed Conflict Dataset v24.1: conflict-years 1946-2023 (CC BY 4.0).

Why: armed conflict closes borders and roads and keeps travellers away (Myanmar since 2021; the Thai-Cambodian
border in 2011 and again in 2025). The dataset records each state-based conflict-year with an intensity band:
1 = 25-999 battle-related deaths in the year, 2 = 1,000 or more. These are bands, not death counts. It ends in
2023: later events (the 2025 Thailand-Cambodia clashes) are curated as dated events with sources
(``lmc/curated/events.yaml``).

Countries are Gleditsch-Ward numbers (``gwno_loc``, ``gwno_a``, ``gwno_b``; comma-separated where a conflict has
several), mapped to ISO3 for the six LMC countries in :mod:`lmc.sources.harmonise`. Files: the byte-exact release
(third-party copy of UCDP's CSV) and a DERIVED LMC extract (rows from 1989 where the location or a primary side is
an LMC country, with ``lmc_iso3_involved``), which :func:`derive_lmc` rebuilds byte for byte from the release.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.errors import ParseError
from lmc.sources._common import (
    conform,
    csv_bytes,
    file_for,
    github_raw,
    observation_rows,
    read_csv,
    reject_first,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import lmc_iso3_from_gwno

REPO = "AbhiyanshuSingh/Global-Conflict-Hotspots@097bab44a31bdb83bda2e277bed71ba76282300d"

RELEASE = SourceFile(
    "ucdp_acd/UcdpPrioConflict_v24_1.csv",
    github_raw(REPO, "csv files/UcdpPrioConflict_v24_1.csv").replace(" ", "%20"),
    "07154da122e0eb77f91839bba8a8f62b61faf68b33df9c650c9e8a509df90d41",
    bytes=395231,
)

_COLS = ["conflict_id", "location", "side_a", "side_a_id", "side_a_2nd", "side_b", "side_b_id", "side_b_2nd",
         "incompatibility", "territory_name", "year", "intensity_level", "cumulative_intensity", "type_of_conflict",
         "start_date", "end_date", "gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd", "gwno_loc", "region"]


def lmc_involved(df: pd.DataFrame) -> pd.Series:
    """``;``-joined LMC ISO3 codes named in ``gwno_loc``, ``gwno_a`` or ``gwno_b`` (alphabetical), '' if none."""
    return pd.Series([";".join(sorted({c for col in ("gwno_loc", "gwno_a", "gwno_b")
                                        for c in lmc_iso3_from_gwno(r[col])}))
                      for r in df[["gwno_loc", "gwno_a", "gwno_b"]].to_dict("records")], index=df.index)


def derive_lmc(upstream: bytes) -> bytes:
    """The release -> its LMC extract (rows from 1989 involving an LMC country, plus ``lmc_iso3_involved``), ordered
    by location (stable: release order within a location)."""
    df = pd.read_csv(io.BytesIO(upstream), dtype=str, keep_default_na=False)
    df["lmc_iso3_involved"] = lmc_involved(df)
    df = df[(df["lmc_iso3_involved"] != "") & (df["year"].astype(int) >= 1989)]
    return csv_bytes(df.sort_values("location", kind="stable"))


LMC_EXTRACT = SourceFile(
    "ucdp_acd/ucdp_acd_v24_1_lmc_1989-2023.csv",
    RELEASE.url,
    "67946f3e2b15a12791f769e9a410249a4bc2c270a4e345b74438e445798d708a",
    bytes=16754,
    derived=True,
    derive=derive_lmc,
)

T_CONFLICTS = TableSpec(
    "ucdp_conflicts",
    {"conflict_id": "INTEGER", "year": "INTEGER", "location": "VARCHAR", "side_a": "VARCHAR", "side_b": "VARCHAR",
     "incompatibility": "TINYINT", "territory_name": "VARCHAR", "intensity_level": "TINYINT",
     "cumulative_intensity": "TINYINT", "type_of_conflict": "TINYINT", "start_date": "VARCHAR",
     "end_date": "VARCHAR", "gwno_a": "VARCHAR", "gwno_b": "VARCHAR", "gwno_loc": "VARCHAR", "region": "VARCHAR",
     "lmc_iso3_involved": "VARCHAR"},
    "Every state-based conflict-year 1946-2023 (UCDP/PRIO ACD v24.1). intensity_level 1 = 25-999 battle-related "
    "deaths in the year, 2 = 1,000+; type_of_conflict 1 extrasystemic, 2 interstate, 3 intrastate, 4 "
    "internationalised intrastate; gwno_* are Gleditsch-Ward numbers; lmc_iso3_involved lists the LMC countries "
    "named in gwno_loc/gwno_a/gwno_b (';', alphabetical).",
    ("conflict_id", "year"),
    files=(RELEASE.path,),
)


def _table(path: Path) -> pd.DataFrame:
    df = read_csv(path, columns=_COLS)
    out = pd.DataFrame({
        "conflict_id": to_int(df, "conflict_id", path, required=True),
        "year": to_int(df, "year", path, required=True),
        "location": to_str(df, "location", path, required=True),
        "side_a": to_str(df, "side_a", path), "side_b": to_str(df, "side_b", path),
        "incompatibility": to_int(df, "incompatibility", path),
        "territory_name": to_str(df, "territory_name", path),
        "intensity_level": to_int(df, "intensity_level", path, required=True),
        "cumulative_intensity": to_int(df, "cumulative_intensity", path),
        "type_of_conflict": to_int(df, "type_of_conflict", path, required=True),
        "start_date": to_str(df, "start_date", path), "end_date": to_str(df, "end_date", path),
        "gwno_a": to_str(df, "gwno_a", path), "gwno_b": to_str(df, "gwno_b", path),
        "gwno_loc": to_str(df, "gwno_loc", path, required=True), "region": to_str(df, "region", path),
    })
    for col, ok in (("intensity_level", (1, 2)), ("type_of_conflict", (1, 2, 3, 4))):
        reject_first(~out[col].isin(ok), out[col], path, col, f"is not one of {list(ok)}")
    out["lmc_iso3_involved"] = lmc_involved(out.fillna({"gwno_a": "", "gwno_b": ""})).astype("string")
    return out


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    release = _table(file_for(paths, RELEASE))
    if LMC_EXTRACT.path in paths:  # the extract must agree with the release it was derived from
        p = file_for(paths, LMC_EXTRACT)
        ext = _table(p)
        mine = release[(release["lmc_iso3_involved"] != "") & (release["year"] >= 1989)]
        got = set(zip(ext["conflict_id"], ext["year"]))
        want = set(zip(mine["conflict_id"], mine["year"]))
        if got != want:
            extra = sorted(got - want) or sorted(want - got)
            raise ParseError(f"{p}: the LMC extract and the release disagree on conflict-years, e.g. "
                             f"(conflict_id, year) = {extra[0]}")
    return {T_CONFLICTS.name: conform(release, T_CONFLICTS)}


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per LMC country and year from 1989 (the country is a conflict location, ``gwno_loc``):
    ``conflict_intensity_max`` (0 none, 1 minor, 2 war) and ``conflicts_active`` (number of conflicts); years with
    no conflict-year are 0 (the dataset lists every conflict-year, so absence is an observation)."""
    c = tables[T_CONFLICTS.name]
    rows = []
    years = range(1989, int(c["year"].max()) + 1)
    located = [(iso, int(y), int(i)) for loc, y, i in zip(c["gwno_loc"], c["year"], c["intensity_level"])
               for iso in lmc_iso3_from_gwno(loc)]
    for iso in LMC_COUNTRIES:
        for y in years:
            hits = [i for (c3, yy, i) in located if c3 == iso and yy == y]
            rows.append(("conflict_intensity_max", iso, y, float(max(hits, default=0))))
            rows.append(("conflicts_active", iso, y, float(len(hits))))
    return observation_rows(rows)


SOURCE = Source(
    id="ucdp_acd",
    title="UCDP/PRIO Armed Conflict Dataset v24.1 (conflict-years 1946-2023)",
    publisher="Uppsala Conflict Data Program (UCDP) and Peace Research Institute Oslo (PRIO); third-party copy",
    homepage="https://ucdp.uu.se/downloads/index.html#armedconflict",
    licence="CC BY 4.0 (UCDP); the copying repository has no licence file",
    files=(RELEASE, LMC_EXTRACT),
    tables=(T_CONFLICTS,),
    parse=parse,
    observations=observations,
    coverage="worldwide 1946-2023; LMC extract 1989-2023 (Myanmar 103 conflict-years, Thailand 21, KHM-THA 2011)",
    notes="Intensity bands (25-999 / 1,000+ battle-related deaths), not death counts. Cite Davies, Pettersson & "
          "Öberg (2024), Journal of Peace Research; Gleditsch et al. (2002).",
)
