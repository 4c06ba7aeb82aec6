"""China Railway stations with OpenStreetMap coordinates (wensimehrp/chinese-railway-gtfs).

Why: the corridor and accessibility work needs station points on the Chinese network, including the China-Laos
Railway (昆明南 Kunming South ... 磨憨 Mohan, 琅勃拉邦 Luang Prabang, 万象 Vientiane). Names are Chinese as in
12306; coordinates are WGS84 from OSM (ODbL).
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
    read_csv,
    to_float,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec

STATIONS = SourceFile(
    "rail_bus/china_railway_stations_osm.csv",
    github_raw("wensimehrp/chinese-railway-gtfs@3f527cf6bc3158a55777e28c7f2f6688443fcf35", "out.csv"),
    "47b8936ff840d07f3a99648ba8700a9e5603ccc0ea9d65ece27bbc8741ea6985",
    bytes=148912,
)

T_STATIONS = TableSpec(
    "railway_stations_cn",
    {"station_name": "VARCHAR", "lon": "DOUBLE", "lat": "DOUBLE"},
    "China Railway passenger stations (Chinese names) with OSM coordinates, incl. China-Laos Railway stations in Laos.",
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    p = file_for(paths, STATIONS)
    df = read_csv(p, columns=["station_name", "lon", "lat"])
    out = pd.DataFrame(
        {
            "station_name": to_str(df, "station_name", p, required=True),
            "lon": to_float(df, "lon", p, required=True),
            "lat": to_float(df, "lat", p, required=True),
        }
    )
    bad = ~(out["lon"].between(-180, 180) & out["lat"].between(-90, 90))
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ParseError(
            f"{p}: line {i + 2}, column 'lon'/'lat': ({out['lon'].iloc[i]}, {out['lat'].iloc[i]}) out of range"
        )
    return {T_STATIONS.name: conform(out, T_STATIONS)}


SOURCE = Source(
    id="china_railway_stations",
    title="China Railway stations (OSM coordinates)",
    publisher="wensimehrp/chinese-railway-gtfs (station coordinates from OpenStreetMap)",
    homepage="https://github.com/wensimehrp/chinese-railway-gtfs",
    licence="no repository licence; coordinates from OpenStreetMap (ODbL 1.0)",
    files=(STATIONS,),
    tables=(T_STATIONS,),
    parse=parse,
    coverage="4,761 stations, 2026 snapshot",
    notes="The weekly GTFS itself is published as release zips and is not mirrored.",
)
