"""Thailand's international arrivals from nine ASEAN nationalities, 2011-2024 (Ministry of Tourism and Sports).

Why: extends ``thailand_mots_arrivals`` (2019-2022 sheets) back to 2011 and forward to 2024 for Myanmar, Laos,
Cambodia and Vietnam, so the Mekong pairs with Thailand have observed arrivals before and after the pandemic instead
of values carried across it (Laos 2021 = 733, as in the ministry's tables). There are no China rows.

The file is the repository author's cleaned CSV with Thai headers (country, Buddhist-era year 2554-2567 = 2011-2024,
tourists), re-serialised as UTF-8 for the mirror (DERIVED; values unchanged). Thai country names become ISO3 in
:mod:`lmc.sources.harmonise`. Government statistics re-published without a licence statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc.errors import ParseError
from lmc.sources._common import (
    conform,
    file_for,
    github_raw,
    observations_of,
    read_csv,
    reject_first,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import directed_unit, iso3_from_thai_name

REPO = "wirojko-byte/asean-tourist-dashboard@6c3b518204614407b00cfac4e859644d3e7e4d91"
BUDDHIST_ERA_OFFSET = 543
COL_COUNTRY, COL_YEAR, COL_TOURISTS = "ประเทศ", "ปี", "นักท่องเที่ยว_คน"


def derive_utf8(upstream: bytes) -> bytes:
    """The repository's CSV as UTF-8 text with ``\\n`` line ends (its bytes may carry a BOM or a Thai code page)."""
    for enc in ("utf-8-sig", "cp874"):
        try:
            text = upstream.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ParseError("ASEAN_Tourist-Amount_CLEANED.csv: neither UTF-8 nor Thai (cp874) text")
    return ("\n".join(text.splitlines()) + "\n").encode("utf-8")


ARRIVALS = SourceFile(
    "tourism_tha_asean_2011_2024/ASEAN_Tourist-Amount_CLEANED.csv",
    github_raw(REPO, "ASEAN_Tourist-Amount_CLEANED.csv"),
    "7493a19120699f0382843d7e8d89546d4dcf0738f1ddf4cc2cf3d46bc2d306d7",
    bytes=4810,
    derived=True,
    derive=derive_utf8,
)

T_ARRIVALS = TableSpec(
    "thailand_asean_arrivals",
    {"year": "INTEGER", "year_be": "INTEGER", "origin_iso3": "VARCHAR", "nationality_th": "VARCHAR",
     "arrivals": "DOUBLE"},
    "International tourist arrivals to Thailand by ASEAN nationality (KHM, BRN, MMR, PHL, MYS, LAO, SGP, IDN, VNM), "
    "2011-2024; year_be is the Buddhist-era year as published.",
    ("year", "origin_iso3"),
    files=(ARRIVALS.path,),
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, ARRIVALS)
    df = read_csv(p, columns=[COL_COUNTRY, COL_YEAR, COL_TOURISTS])
    name = to_str(df, COL_COUNTRY, p, required=True)
    iso3 = name.map(iso3_from_thai_name).astype("string")
    reject_first(iso3.isna(), name, p, COL_COUNTRY, "is not a known country name")
    be = to_int(df, COL_YEAR, p, required=True)
    reject_first(~be.between(2500, 2600), df[COL_YEAR], p, COL_YEAR, "is not a Buddhist-era year")
    out = pd.DataFrame({"year": be - BUDDHIST_ERA_OFFSET, "year_be": be, "origin_iso3": iso3,
                        "nationality_th": name, "arrivals": to_float(df, COL_TOURISTS, p, required=True)})
    return {T_ARRIVALS.name: conform(out, T_ARRIVALS)}


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``tourist_arrivals`` per directed pair origin>THA and year."""
    a = tables[T_ARRIVALS.name]
    return observations_of("tourist_arrivals", [directed_unit(o, "THA") for o in a["origin_iso3"]], a["year"],
                           a["arrivals"])


SOURCE = Source(
    id="tourism_tha_asean_2011_2024",
    title="Thailand international tourist arrivals from ASEAN nationalities, 2011-2024",
    publisher="Ministry of Tourism and Sports, Thailand (cleaned by wirojko-byte/asean-tourist-dashboard)",
    homepage="https://www.mots.go.th/more_news_new.php?cid=411",
    licence="Thai government statistics; licence not stated",
    files=(ARRIVALS,),
    tables=(T_ARRIVALS,),
    parse=parse,
    observations=observations,
    coverage="Thailand as destination; 9 ASEAN nationalities; 2011-2024 (Buddhist era 2554-2567)",
    notes="No China rows. Values can differ slightly from the 2019-2022 MOTS sheets (revisions).",
)
