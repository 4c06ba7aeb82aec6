"""Warehouse tables + curated facts -> every indicator's observed values, keyed by the framework's indicator ids.

:func:`load_tables` is the thin loader (the only function here that touches the warehouse, through
:func:`lmc.warehouse.db.read_table`); :func:`compute_indicators` is pure: frames in, frames out. An indicator whose
inputs are absent is reported in ``unavailable`` with the reason instead of being guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.indicators import country as C
from lmc.indicators import pair as P

# Tables the SCI reads; a missing one makes its indicators unavailable (reported), it does not stop the build.
TABLES: tuple[str, ...] = (
    "openflights_routes", "visa_requirements", "migrant_stock", "oxcgrt_c8_daily", "thailand_arrivals",
    "glottolog_language_countries", "glottolog_languages", "cepii_dist", "unesco_sites", "unesco_site_countries",
    "twin_cities", "wdi", "wdi_tourism", "owid_series", "openflights_airports", "mechanisms", "mechanism_members", "mechanism_sectors", "mechanism_programmes",
)


# Columns each table must have; a table whose schema drifted makes its indicators unavailable (with the missing
# columns named) instead of breaking the build.
REQUIRED: dict[str, tuple[str, ...]] = {
    "openflights_routes": ("airline", "src_iata", "dst_iata", "src_iso3", "dst_iso3"),
    "visa_requirements": ("snapshot_date", "passport", "destination", "openness"),
    "migrant_stock": ("year", "origin", "destination", "stock"),
    "glottolog_language_countries": ("glottocode", "level", "iso3"),
    "glottolog_languages": ("glottocode", "family_id"),
    "cepii_dist": ("iso_o", "iso_d", "contig", "comlang_ethno"),
    "unesco_sites": ("id_no", "date_inscribed"),
    "unesco_site_countries": ("id_no", "iso3"),
    "twin_cities": ("city1", "iso3_1", "city2", "iso3_2"),
    "wdi": ("iso3", "indicator", "year", "value"),
    "owid_series": ("iso3", "indicator", "year", "value"),
    "wdi_tourism": ("iso3", "year", "tourism_departures"),
    "corridor_stop_times": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
    "corridor_stops": ("stop_id", "stop_name"),
}


def schema_problems(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Tables present but lacking required columns -> message naming the missing columns."""
    out = {}
    for name, cols in REQUIRED.items():
        if name in tables:
            miss = [c for c in cols if c not in tables[name].columns]
            if miss:
                out[name] = f"table {name} lacks column(s) {', '.join(miss)}"
    return out


@dataclass(frozen=True)
class Facts:
    """Curated inputs as plain frames/maps (built by :mod:`lmc.sci.facts`)."""

    links: pd.DataFrame
    timetables: pd.DataFrame
    asean: Mapping[str, int | None]
    rcep: Mapping[str, int | None]
    visa_agreements: pd.DataFrame
    buddhist_majority: tuple[str, ...]
    arrivals: pd.DataFrame
    provinces: pd.DataFrame
    railway_opened_year: int
    international_service_year: int
    no_service_hours: float = 48.0


@dataclass
class IndicatorValues:
    """Observed values per indicator id (``unit, year, value``) and the reasons for those not available."""

    values: dict[str, pd.DataFrame] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)


def load_tables(settings=None, names: Iterable[str] = TABLES) -> dict[str, pd.DataFrame]:
    """Read the warehouse tables the SCI uses; absent tables are simply not in the result."""
    from lmc.warehouse.db import connect, table_names

    con = connect(settings, read_only=True)
    try:
        present = set(table_names(con))
        return {n: con.execute(f'SELECT * FROM main."{n}"').df() for n in names if n in present}
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------------- adapters
def _col(df: pd.DataFrame, *candidates: str) -> str | None:
    low = {c.lower(): c for c in df.columns}
    for c in candidates:
        if c.lower() in low:
            return low[c.lower()]
    return None


def thailand_arrivals_directed(t: pd.DataFrame) -> pd.DataFrame:
    """Thailand's arrivals by nationality -> ``origin, destination, year, arrivals`` (non-aggregate rows, one
    value per origin-year: the final figure is preferred over the provisional one, then the larger)."""
    o = _col(t, "origin_iso3", "origin", "iso3")
    a = _col(t, "arrivals", "value")
    if o is None or a is None or "year" not in t.columns:
        raise KeyError("thailand_arrivals lacks origin/year/arrivals columns")
    d = t.copy()
    if "is_aggregate" in d.columns:
        d = d[~d["is_aggregate"].fillna(False).astype(bool)]
    d = d[d[o].isin(LMC_COUNTRIES) & d[a].notna()]
    prov = d["provisional"].fillna(False).astype(bool) if "provisional" in d.columns else False
    d = d.assign(_prov=prov).sort_values(["_prov", a], ascending=[True, False])
    d = d.drop_duplicates([o, "year"], keep="first")
    dest = d[_col(d, "destination")] if _col(d, "destination") else "THA"
    return pd.DataFrame({"origin": d[o].astype(str), "destination": dest, "year": d["year"].astype(int),
                         "arrivals": d[a].astype(float)})


def c8_daily(t: pd.DataFrame) -> pd.DataFrame:
    """OxCGRT C8 daily table -> ``iso3, date, c8`` (column names vary by connector version)."""
    iso = _col(t, "iso3", "code", "country_code")
    day = _col(t, "date", "day")
    val = _col(t, "c8", "international_travel_controls", "value", "c8_level")
    if not (iso and day and val):
        raise KeyError(f"oxcgrt_c8_daily: cannot find iso3/date/c8 columns in {list(t.columns)}")
    return pd.DataFrame({"iso3": t[iso], "date": pd.to_datetime(t[day]), "c8": t[val].astype(float)})


def _population(wdi: pd.DataFrame, years) -> pd.DataFrame:
    p = C.wdi_series(wdi, "SP.POP.TOTL", years)
    return p.rename(columns={"unit": "iso3", "value": "population"})


# ---------------------------------------------------------------------------------------------------- assembly
def compute_indicators(tables: Mapping[str, pd.DataFrame], facts: Facts, years: Iterable[int],
                       shared_mechanisms: pd.DataFrame | None = None) -> IndicatorValues:
    """Every indicator the framework knows how to compute, from the tables present.

    ``shared_mechanisms`` is :func:`lmc.mechanisms.pairs.shared_mechanisms_by_pair_year` output (computed by the
    caller, which may import the mechanisms engine).
    """
    years = list(years)
    out = IndicatorValues()
    v, un = out.values, out.unavailable
    bad = schema_problems(tables)
    tables = {k: t for k, t in tables.items() if k not in bad}

    def need(ind: str, *names: str) -> bool:
        miss = [n for n in names if n not in tables]
        if miss:
            why = [bad[n] for n in miss if n in bad]
            un[ind] = "; ".join(why) if why else f"warehouse table(s) not present: {', '.join(miss)}"
        return not miss

    # mobility ------------------------------------------------------------------------------------------------
    if need("air_routes", "openflights_routes"):
        v["air_routes"] = P.air_routes(tables["openflights_routes"], years)
    if need("air_airlines", "openflights_routes"):
        v["air_airlines"] = P.air_airlines(tables["openflights_routes"], years)
    if need("visa_openness", "visa_requirements"):
        v["visa_openness"] = P.visa_openness(tables["visa_requirements"], years)
    v["land_links"] = P.land_links(facts.links, years)
    v["rail_travel_hours"] = P.rail_travel_hours(facts.timetables, years, no_service_hours=facts.no_service_hours)
    thai = None
    if "thailand_arrivals" in tables:
        try:
            thai = thailand_arrivals_directed(tables["thailand_arrivals"])
        except KeyError as exc:
            un["tourist_arrivals:thailand"] = str(exc)
    arrivals = P.directed_arrivals(thai, facts.arrivals)
    v["tourist_arrivals"] = P.tourist_arrivals_filled(arrivals, years)
    if need("migrant_stock", "migrant_stock"):
        v["migrant_stock"] = P.migrant_stock(tables["migrant_stock"], years)
    if need("covid_border_closure", "oxcgrt_c8_daily"):
        try:
            v["covid_border_closure"] = P.covid_border_closure(P.c8_yearly_means(c8_daily(tables["oxcgrt_c8_daily"])),
                                                               years)
        except KeyError as exc:
            un["covid_border_closure"] = str(exc)
    # institutions --------------------------------------------------------------------------------------------
    if shared_mechanisms is not None:
        v["shared_mechanisms"] = P.shared_mechanisms(shared_mechanisms, years)
    else:
        un["shared_mechanisms"] = "mechanisms registry tables not present in the warehouse"
    v["rcep_both"] = P.both_member(facts.rcep, years)
    v["asean_both"] = P.both_member(facts.asean, years)
    v["visa_exemption_agreement"] = P.agreement_in_force(facts.visa_agreements, years)
    # culture -------------------------------------------------------------------------------------------------
    if need("shared_languages", "glottolog_language_countries", "glottolog_languages"):
        lc = tables["glottolog_language_countries"]
        lc = lc[lc["level"] == "language"]
        fam = tables["glottolog_languages"][["glottocode", "family_id"]]
        langs = lc.merge(fam, on="glottocode", how="left")
        v["shared_languages"], v["shared_language_families"] = P.shared_languages(langs, years)
    else:
        un["shared_language_families"] = un["shared_languages"]
    if need("common_language", "cepii_dist"):
        v["common_language"] = P.cepii_dummy(tables["cepii_dist"], "comlang_ethno", years)
    if need("contiguity", "cepii_dist"):
        v["contiguity"] = P.cepii_dummy(tables["cepii_dist"], "contig", years)
    if need("shared_heritage", "unesco_site_countries", "unesco_sites"):
        v["shared_heritage"] = P.transboundary_heritage(tables["unesco_site_countries"], tables["unesco_sites"], years)
    v["shared_religion"] = P.both_in_set(facts.buddhist_majority, years)
    # people --------------------------------------------------------------------------------------------------
    if need("twin_cities", "twin_cities"):
        v["twin_cities"] = P.twin_city_links(tables["twin_cities"], years)
    if need("flows_per_capita", "wdi"):
        v["flows_per_capita"] = P.per_capita(v["tourist_arrivals"], _population(tables["wdi"], years))
    net = C.wdi_series(tables["wdi"], "IT.NET.USER.ZS", years) if "wdi" in tables else P._frame([])
    if not len(net) and "owid_series" in tables:
        net = C.wdi_series(tables["owid_series"], "internet_users_pct", years)
    if len(net) or need("internet_use", "owid_series"):
        if len(net):
            v["internet_use"] = P.pair_min(net.rename(columns={"unit": "iso3"}), years)
            v["internet_use_country"] = net
        else:
            un["internet_use"] = un["internet_use_country"] = "no internet-use series in wdi or owid_series"
    else:
        un["internet_use_country"] = un["internet_use"]
    # country level -------------------------------------------------------------------------------------------
    if "wdi" in tables:
        w = tables["wdi"]
        pop = C.wdi_series(w, "SP.POP.TOTL", years)
        dep = C.wdi_series(w, "ST.INT.DPRT", years)
        if not len(dep) and "wdi_tourism" in tables:
            wt = tables["wdi_tourism"]
            dep = C.wdi_series(pd.DataFrame({"iso3": wt["iso3"], "indicator": "ST.INT.DPRT", "year": wt["year"],
                                             "value": wt["tourism_departures"]}), "ST.INT.DPRT", years)
        if len(dep):
            v["tourist_departures_per_1000"] = C.ratio(dep, pop, scale=1000.0)
        else:
            un["tourist_departures_per_1000"] = "series ST.INT.DPRT not in the wdi or wdi_tourism tables"
        v["air_departures_per_million"] = C.ratio(C.wdi_series(w, "IS.AIR.DPRT", years), pop, scale=1e6)
        v["migrant_share"] = C.ratio(C.wdi_series(w, "SM.POP.TOTL", years), pop, scale=100.0)
    else:
        for k in ("tourist_departures_per_1000", "air_departures_per_million", "migrant_share"):
            un[k] = "warehouse table(s) not present: wdi"
    v["asean_member"] = C.member(facts.asean, years)
    v["rcep_in_force"] = C.member(facts.rcep, years)
    if need("world_heritage_sites", "unesco_site_countries", "unesco_sites"):
        v["world_heritage_sites"] = C.heritage_count(tables["unesco_site_countries"], tables["unesco_sites"], years)
    # province level ------------------------------------------------------------------------------------------
    prov = facts.provinces
    v["passenger_stations"] = C.passenger_stations(prov, facts.railway_opened_year, years)
    v["international_train_stop"] = C.international_stop(prov, facts.international_service_year, years)
    if need("intl_air_routes", "openflights_routes"):
        v["intl_air_routes"] = C.province_air_routes(prov, tables["openflights_routes"], years)
    if need("province_heritage", "unesco_sites"):
        v["province_heritage"] = C.province_heritage(prov, tables["unesco_sites"], years)
    if need("rail_time_to_hubs", "corridor_stop_times", "corridor_stops"):
        v["rail_time_to_hubs"] = C.province_rail_hours(
            prov, tables["corridor_stop_times"], tables["corridor_stops"],
            hubs={"CHN": "Kunming South", "LAO": "Vientiane"}, opened_year=facts.railway_opened_year,
            cross_border_year=facts.international_service_year, years=years, no_service_hours=24.0)
    if need("province_twin_cities", "twin_cities"):
        v["province_twin_cities"] = C.province_twin_cities(prov, tables["twin_cities"], years)
    return out


# Airports standing for each country on the report's map: the LMC gateway for China (Kunming), capitals elsewhere.
MAP_AIRPORTS: dict[str, str] = {"CHN": "KMG", "MMR": "NYT", "LAO": "VTE", "THA": "BKK", "KHM": "PNH", "VNM": "HAN"}


def map_points(airports: pd.DataFrame) -> dict[str, tuple[float, float, str]]:
    """``iso3 -> (longitude, latitude, city)`` of :data:`MAP_AIRPORTS` from the OpenFlights airports table."""
    a = airports.set_index("iata")
    out = {}
    for c, code in MAP_AIRPORTS.items():
        if code in a.index:
            r = a.loc[code]
            out[c] = (float(r["longitude"]), float(r["latitude"]), str(r["city"]))
    return out
