"""OpenFlights: airports, airlines and the (June 2014) airline route network.

Why: the route network is the only open, worldwide record of which international air links exist between the
LMC countries. It is a 2014 snapshot of routes, not passenger volumes; its observations say so in the indicator
name. Country names (``"Burma"``) are harmonised to ISO3 in :mod:`lmc.sources.harmonise`.
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
    melt_observations,
    read_csv,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import iso3_from_iso2, iso3_from_names

REPO = "jpatokal/openflights@5a0360255a5a2ff2b9f1e9cb199716da68a8a33f"

AIRPORTS = SourceFile(
    "openflights/airports.dat",
    github_raw(REPO, "data/airports.dat"),
    "9387cdb38df5bd664da823f8ccb69fdd9b33a1888f5b7cca09c34a3cd9ff59f9",
    bytes=1127225,
)
AIRPORTS_EXT = SourceFile(
    "openflights/airports-extended.dat",
    github_raw(REPO, "data/airports-extended.dat"),
    "7579a583b42fdf323bd689abfb1246634d9d8c0a10b6cdde79ff7c454fb957e5",
    bytes=1670162,
)
AIRLINES = SourceFile(
    "openflights/airlines.dat",
    github_raw(REPO, "data/airlines.dat"),
    "39be1a432e8b04ebc12860c29281c974a9cb52169c82b2456a835d66ab1548a1",
    bytes=396896,
)
ROUTES = SourceFile(
    "openflights/routes.dat",
    github_raw(REPO, "data/routes.dat"),
    "bd373706238134f619c624c606dccc74c05c2582a977c489c81de501735f2390",
    bytes=2377148,
)
COUNTRIES = SourceFile(
    "openflights/countries.dat",
    github_raw(REPO, "data/countries.dat"),
    "5cbd1a7da0f4f8003f595d22d80f025f483caad7a0672354ef9bc70221d348ed",
    bytes=5989,
)
PLANES = SourceFile(
    "openflights/planes.dat",
    github_raw(REPO, "data/planes.dat"),
    "04ba419335a6ff1fd0e0383d0454ff5162b9e39fc76c0a02271b5fc57483d3ce",
    bytes=8331,
)

_AIRPORT_RAW = [
    "airport_id", "name", "city", "country", "iata", "icao", "latitude", "longitude",
    "altitude_ft", "utc_offset_h", "dst", "tz", "type", "data_source",
]  # fmt: skip
_AIRPORT_COLS = {
    "airport_id": "INTEGER",
    "name": "VARCHAR",
    "city": "VARCHAR",
    "country": "VARCHAR",
    "iso3": "VARCHAR",
    "iata": "VARCHAR",
    "icao": "VARCHAR",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
    "altitude_ft": "DOUBLE",
    "utc_offset_h": "DOUBLE",
    "dst": "VARCHAR",
    "tz": "VARCHAR",
    "type": "VARCHAR",
    "data_source": "VARCHAR",
}

T_AIRPORTS = TableSpec(
    "openflights_airports",
    _AIRPORT_COLS,
    "Airports (airports.dat, type=airport); country harmonised to iso3 (Burma -> MMR).",
    ("airport_id",),
    files=(AIRPORTS.path,),
    min_rows=7_000,  # the pinned file gives 7,698
)
T_PLACES = TableSpec(
    "openflights_places",
    _AIRPORT_COLS,
    "airports-extended.dat: airports plus train stations, ferry terminals and user-added places (see `type`).",
    ("airport_id",),
    files=(AIRPORTS_EXT.path,),
    min_rows=11_500,  # 12,668
)
T_AIRLINES = TableSpec(
    "openflights_airlines",
    {
        "airline_id": "INTEGER",
        "name": "VARCHAR",
        "alias": "VARCHAR",
        "iata": "VARCHAR",
        "icao": "VARCHAR",
        "callsign": "VARCHAR",
        "country": "VARCHAR",
        "iso3": "VARCHAR",
        "active": "BOOLEAN",
    },
    "Airlines (c. 2017); country harmonised to iso3 where the name is a country.",
    ("airline_id",),
    files=(AIRLINES.path,),
    min_rows=5_500,  # 6,162
)
T_ROUTES = TableSpec(
    "openflights_routes",
    {
        "airline": "VARCHAR",
        "airline_id": "INTEGER",
        "src_iata": "VARCHAR",
        "src_id": "INTEGER",
        "dst_iata": "VARCHAR",
        "dst_id": "INTEGER",
        "codeshare": "BOOLEAN",
        "stops": "INTEGER",
        "equipment": "VARCHAR",
        "src_iso3": "VARCHAR",
        "dst_iso3": "VARCHAR",
    },
    "Directional airline routes as of June 2014, one row per operating airline; iso3 via the airports table.",
    files=(ROUTES.path,),
    min_rows=60_000,  # 67,663
)
T_COUNTRIES = TableSpec(
    "openflights_countries",
    {"name": "VARCHAR", "iso2": "VARCHAR", "dafif_code": "VARCHAR", "iso3": "VARCHAR"},
    "OpenFlights country names with ISO 3166-1 alpha-2 and DAFIF codes.",
    files=(COUNTRIES.path,),
    min_rows=240,  # 261
)
T_PLANES = TableSpec(
    "openflights_planes",
    {"name": "VARCHAR", "iata": "VARCHAR", "icao": "VARCHAR"},
    "Aircraft types.",
    files=(PLANES.path,),
    min_rows=220,  # 246
)


def _airports(path: Path) -> pd.DataFrame:
    raw = read_csv(path, header=False, names=_AIRPORT_RAW, na_values=("", "\\N"))
    out = pd.DataFrame(
        {
            "airport_id": to_int(raw, "airport_id", path, required=True, line_offset=1),
            "name": to_str(raw, "name", path),
            "city": to_str(raw, "city", path),
            "country": to_str(raw, "country", path),
            "iata": to_str(raw, "iata", path),
            "icao": to_str(raw, "icao", path),
            "latitude": to_float(raw, "latitude", path, required=True, line_offset=1),
            "longitude": to_float(raw, "longitude", path, required=True, line_offset=1),
            "altitude_ft": to_float(raw, "altitude_ft", path, line_offset=1),
            "utc_offset_h": to_float(raw, "utc_offset_h", path, line_offset=1),
            "dst": to_str(raw, "dst", path),
            "tz": to_str(raw, "tz", path),
            "type": to_str(raw, "type", path),
            "data_source": to_str(raw, "data_source", path),
        }
    )
    out["iso3"] = iso3_from_names(out["country"])
    return out


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """The six .dat files -> airports, places, airlines, routes, countries, planes (see the TableSpecs)."""
    airports = _airports(file_for(paths, AIRPORTS))
    places = _airports(file_for(paths, AIRPORTS_EXT))

    p = file_for(paths, AIRLINES)
    raw = read_csv(
        p,
        header=False,
        names=["airline_id", "name", "alias", "iata", "icao", "callsign", "country", "active"],
        na_values=("", "\\N"),
    )
    airlines = pd.DataFrame(
        {
            "airline_id": to_int(raw, "airline_id", p, required=True, line_offset=1),
            "name": to_str(raw, "name", p),
            "alias": to_str(raw, "alias", p),
            "iata": to_str(raw, "iata", p),
            "icao": to_str(raw, "icao", p),
            "callsign": to_str(raw, "callsign", p),
            "country": to_str(raw, "country", p),
            "active": raw["active"].astype("string").str.strip().str.upper().map({"Y": True, "N": False}),
        }
    )
    airlines["iso3"] = iso3_from_names(airlines["country"])

    p = file_for(paths, ROUTES)
    raw = read_csv(
        p,
        header=False,
        names=["airline", "airline_id", "src_iata", "src_id", "dst_iata", "dst_id", "codeshare", "stops", "equipment"],
        na_values=("", "\\N"),
    )
    routes = pd.DataFrame(
        {
            "airline": to_str(raw, "airline", p, required=True, line_offset=1),
            "airline_id": to_int(raw, "airline_id", p, line_offset=1),
            "src_iata": to_str(raw, "src_iata", p, required=True, line_offset=1),
            "src_id": to_int(raw, "src_id", p, line_offset=1),
            "dst_iata": to_str(raw, "dst_iata", p, required=True, line_offset=1),
            "dst_id": to_int(raw, "dst_id", p, line_offset=1),
            "codeshare": raw["codeshare"].astype("string").str.strip().eq("Y").fillna(False),
            "stops": to_int(raw, "stops", p, required=True, line_offset=1),
            "equipment": to_str(raw, "equipment", p),
        }
    )
    iso_by_id = places.drop_duplicates("airport_id").set_index("airport_id")["iso3"]
    routes["src_iso3"] = routes["src_id"].map(iso_by_id).astype("string")
    routes["dst_iso3"] = routes["dst_id"].map(iso_by_id).astype("string")
    # some routes lack the airport id (\\N) but carry the IATA code
    iso_by_iata = places.dropna(subset=["iata"]).drop_duplicates("iata").set_index("iata")["iso3"]
    for side in ("src", "dst"):
        routes[f"{side}_iso3"] = routes[f"{side}_iso3"].fillna(routes[f"{side}_iata"].map(iso_by_iata))

    p = file_for(paths, COUNTRIES)
    raw = read_csv(p, header=False, names=["name", "iso2", "dafif_code"], na_values=("", "\\N"))
    countries = pd.DataFrame(
        {
            "name": to_str(raw, "name", p, required=True, line_offset=1),
            "iso2": to_str(raw, "iso2", p),
            "dafif_code": to_str(raw, "dafif_code", p),
        }
    )
    countries["iso3"] = countries["iso2"].map(iso3_from_iso2).astype("string")

    p = file_for(paths, PLANES)
    raw = read_csv(p, header=False, names=["name", "iata", "icao"], na_values=("", "\\N"))
    planes = pd.DataFrame({c: to_str(raw, c, p) for c in ("name", "iata", "icao")})

    return {
        T_AIRPORTS.name: conform(airports, T_AIRPORTS),
        T_PLACES.name: conform(places, T_PLACES),
        T_AIRLINES.name: conform(airlines, T_AIRLINES),
        T_ROUTES.name: conform(routes, T_ROUTES),
        T_COUNTRIES.name: conform(countries, T_COUNTRIES),
        T_PLANES.name: conform(planes, T_PLANES),
    }


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """International routes touching an LMC country, counted per directed country pair (network as of 2014).

    ``air_routes_2014``: distinct (src airport, dst airport) pairs; ``air_route_airlines_2014``: airline-route rows.
    """
    r = tables[T_ROUTES.name].dropna(subset=["src_iso3", "dst_iso3"])
    r = r[(r["src_iso3"] != r["dst_iso3"]) & (r["src_iso3"].isin(LMC_COUNTRIES) | r["dst_iso3"].isin(LMC_COUNTRIES))]
    keys = ["src_iso3", "dst_iso3"]
    counts = pd.DataFrame(
        {
            "air_routes_2014": r.drop_duplicates([*keys, "src_iata", "dst_iata"]).groupby(keys).size(),
            "air_route_airlines_2014": r.groupby(keys).size(),
        }
    ).reset_index()
    return melt_observations(counts, unit=("src_iso3", "dst_iso3"), year=2014)


SOURCE = Source(
    id="openflights",
    title="OpenFlights airports, airlines and routes",
    publisher="OpenFlights.org (airports largely from OurAirports; routes from Airline Route Mapper)",
    homepage="https://openflights.org/data.php",
    licence="ODbL 1.0 + DbCL 1.0",
    files=(AIRPORTS, AIRPORTS_EXT, AIRLINES, ROUTES, COUNTRIES, PLANES),
    tables=(T_AIRPORTS, T_PLACES, T_AIRLINES, T_ROUTES, T_COUNTRIES, T_PLANES),
    parse=parse,
    observations=observations,
    coverage="worldwide; routes as of June 2014, airlines c. 2017, airports 2017-2019",
    notes="Routes show which links exist, not passengers, seats or frequency. Myanmar appears as 'Burma'.",
)
