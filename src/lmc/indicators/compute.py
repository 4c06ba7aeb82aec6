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
from lmc.indicators import air as A
from lmc.indicators import country as C
from lmc.indicators import disruption as D
from lmc.indicators import knowledge as K
from lmc.indicators import pair as P
from lmc.indicators.imputation import reopening_dates, reopening_years

# Tables the SCI reads; a missing one makes its indicators unavailable (reported), it does not stop the build.
TABLES: tuple[str, ...] = (
    "openflights_routes", "vrs_route_legs", "visa_requirements", "migrant_stock", "oxcgrt_legacy_c8_daily",
    "thailand_arrivals", "thailand_asean_arrivals", "vietnam_arrivals_annual", "openalex_coauthorship",
    "openalex_works", "ucdp_conflicts", "events",
    "glottolog_language_countries", "glottolog_languages", "cepii_dist", "unesco_sites", "unesco_site_countries",
    "twin_cities", "wdi", "wdi_tourism", "owid_series", "openflights_airports", "mechanisms", "mechanism_members",
    "mechanism_sectors", "mechanism_programmes",
)


# Columns each table must have; a table whose schema drifted makes its indicators unavailable (with the missing
# columns named) instead of breaking the build.
REQUIRED: dict[str, tuple[str, ...]] = {
    "openflights_routes": ("airline", "src_iata", "dst_iata", "src_iso3", "dst_iso3"),
    "vrs_route_legs": ("snapshot_date", "airline_icao", "origin_icao", "origin_iata", "origin_iso3", "dest_icao",
                       "dest_iata", "dest_iso3"),
    "oxcgrt_legacy_c8_daily": ("iso3", "date", "c8"),
    "thailand_asean_arrivals": ("year", "origin_iso3", "arrivals"),
    "vietnam_arrivals_annual": ("year", "origin_iso3", "is_aggregate", "arrivals"),
    "openalex_coauthorship": ("year", "iso3_a", "iso3_b", "works"),
    "openalex_works": ("year", "iso3", "works"),
    "ucdp_conflicts": ("year", "gwno_loc", "gwno_a", "gwno_b", "intensity_level", "type_of_conflict"),
    "events": ("id", "unit", "kind", "start_date", "end_date", "as_of"),
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


LMC_SQL = "(" + ", ".join(f"'{c}'" for c in LMC_COUNTRIES) + ")"
ROW_FILTERS: dict[str, str] = {"oxcgrt_legacy_c8_daily": f" WHERE iso3 IN {LMC_SQL}"}
"""Rows the SCI never uses, left in the warehouse (the 181 other countries' daily Covid controls)."""


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
    agreements: pd.DataFrame  # id, kind, pair, year, weight (one row per agreement and pair it binds)
    buddhist_majority: tuple[str, ...]
    arrivals: pd.DataFrame
    provinces: pd.DataFrame
    railway_opened_year: int
    international_service_year: int
    no_service_hours: float = 48.0
    mechanism_weights: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["mechanism", "year", "weight"]))
    """Depth of each registry mechanism per year (``lmc.sci.facts.MechanismDepth.weights``)."""
    mechanism_excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["mechanism", "member"]))


@dataclass(frozen=True)
class MechanismInputs:
    """The mechanisms registry as the institutions indicators need it (computed by the caller, which may import the
    mechanisms engine): ``detail`` (``pair, year, mechanism``: shared memberships), ``members``
    (``mechanism, member, year``) and ``shared`` (``pair, year, shared``: plain counts)."""

    detail: pd.DataFrame
    members: pd.DataFrame
    shared: pd.DataFrame


@dataclass
class IndicatorValues:
    """Observed values per indicator id (``unit, year, value[, source]``), the reasons for those not available,
    and each country's reopening year after the Covid closures (the imputation policy's regimes)."""

    values: dict[str, pd.DataFrame] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    reopen: dict[str, int] = field(default_factory=dict)
    reopen_dates: dict[str, str] = field(default_factory=dict)


def load_tables(settings=None, names: Iterable[str] = TABLES,
                filters: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Read the warehouse tables the SCI uses; absent tables are simply not in the result. ``filters`` adds, per
    table, a ``WHERE`` clause of its own (a caller that needs fewer rows than the SCI; replaces :data:`ROW_FILTERS`
    for that table)."""
    from lmc.warehouse.db import connect, table_names

    where = {**ROW_FILTERS, **(filters or {})}
    con = connect(settings, read_only=True)
    try:
        present = set(table_names(con))
        return {n: con.execute(f'SELECT * FROM main."{n}"{where.get(n, "")}').df() for n in names if n in present}
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
    """Thailand's arrivals by nationality (MOTS sheets) -> ``origin, destination, year, arrivals, provisional``
    (non-aggregate rows, one value per origin-year: the final figure is preferred over the provisional one, then
    the larger)."""
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
                         "arrivals": d[a].astype(float), "provisional": d["_prov"].to_numpy()})


def arrivals_by_authority(tables: Mapping[str, pd.DataFrame], curated: pd.DataFrame,
                          unavailable: dict[str, str]) -> pd.DataFrame:
    """Every directed arrivals figure, first source winning per origin-destination-year (see ``directed_arrivals``):
    Thailand's final MOTS sheets, then its cleaned ASEAN series 2011-2024 (later, more revised than the sheets'
    provisional figures), then the provisional sheets, then VNAT 2025, then curated official figures (labelled by
    their own ``source`` column if they have one)."""
    mots = pd.DataFrame(columns=["origin", "destination", "year", "arrivals", "provisional"])
    if "thailand_arrivals" in tables:
        try:
            mots = thailand_arrivals_directed(tables["thailand_arrivals"])
        except KeyError as exc:
            unavailable["tourist_arrivals:thailand"] = str(exc)
    provisional = mots["provisional"].astype(bool)
    frames = [mots[~provisional].assign(source="thailand_mots_arrivals")]
    if "thailand_asean_arrivals" in tables:
        t = tables["thailand_asean_arrivals"]
        frames.append(pd.DataFrame({"origin": t["origin_iso3"], "destination": "THA", "year": t["year"],
                                    "arrivals": t["arrivals"], "source": "tourism_tha_asean_2011_2024"}))
    frames.append(mots[provisional].assign(source="thailand_mots_arrivals (provisional)"))
    if "vietnam_arrivals_annual" in tables:
        v = tables["vietnam_arrivals_annual"]
        v = v[~v["is_aggregate"].astype(bool)]
        frames.append(pd.DataFrame({"origin": v["origin_iso3"], "destination": "VNM", "year": v["year"],
                                    "arrivals": v["arrivals"], "source": "tourism_vnat_2025"}))
    frames.append(curated if "source" in curated.columns else curated.assign(source="curated:pair_facts.arrivals"))
    return P.directed_arrivals(*frames)


def _population(wdi: pd.DataFrame, years) -> pd.DataFrame:
    p = C.wdi_series(wdi, "SP.POP.TOTL", years)
    return p.rename(columns={"unit": "iso3", "value": "population"})


# ---------------------------------------------------------------------------------------------------- assembly
def compute_indicators(tables: Mapping[str, pd.DataFrame], facts: Facts, years: Iterable[int],
                       mechanisms: MechanismInputs | None = None) -> IndicatorValues:
    """Every indicator the framework knows how to compute (including the alternatives the robustness table uses),
    from the tables present. ``mechanisms``: the registry's memberships (:class:`MechanismInputs`)."""
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

    # regimes of the imputation policy: each country's reopening after the Covid closures (C8)
    if "oxcgrt_legacy_c8_daily" in tables:
        dates = reopening_dates(tables["oxcgrt_legacy_c8_daily"])
        out.reopen_dates = {c: d.isoformat() for c, d in dates.items()}
        out.reopen = reopening_years(dates)
    else:
        out.reopen = reopening_years({})
    # mobility ------------------------------------------------------------------------------------------------
    if "openflights_routes" in tables or "vrs_route_legs" in tables:
        v.update(A.route_shares(tables.get("openflights_routes"), tables.get("vrs_route_legs"), years))
    else:
        un["air_route_share"] = un["air_airline_share"] = ("warehouse table(s) not present: openflights_routes, "
                                                           "vrs_route_legs")
    if need("visa_openness", "visa_requirements"):
        v["visa_openness"] = P.visa_openness(tables["visa_requirements"], years)
    v["land_links"] = P.land_links(facts.links, years)
    v["rail_travel_hours"] = P.rail_travel_hours(facts.timetables, years, no_service_hours=facts.no_service_hours)
    arrivals = arrivals_by_authority(tables, facts.arrivals, un)
    v["tourist_arrivals"] = P.tourist_arrivals_filled(arrivals, years, out.reopen)
    if need("migrant_stock", "migrant_stock"):
        v["migrant_stock"] = P.migrant_stock(tables["migrant_stock"], years)
    if need("covid_border_closure", "oxcgrt_legacy_c8_daily"):
        v["covid_border_closure"] = D.covid_closure_share(tables["oxcgrt_legacy_c8_daily"], years)
    if need("disruption", "oxcgrt_legacy_c8_daily", "events", "ucdp_conflicts"):
        v["disruption"] = D.disrupted_share(tables["oxcgrt_legacy_c8_daily"], tables["events"],
                                            tables["ucdp_conflicts"], years)
    if need("armed_conflict", "ucdp_conflicts"):
        cc = D.conflict_country_year(tables["ucdp_conflicts"], years)
        v["armed_conflict"] = pd.DataFrame({"unit": cc["unit"], "year": cc["year"], "value": cc["intensity"],
                                            "source": "ucdp_acd"})
    # institutions --------------------------------------------------------------------------------------------
    agreements = P.agreements_in_force(facts.agreements, years)
    if mechanisms is not None:
        v["shared_mechanisms"] = P.shared_mechanisms(mechanisms.shared, years)
        v["mechanism_depth"] = P.mechanism_depth(mechanisms.detail, facts.mechanism_weights,
                                                 facts.mechanism_excluded, years)
        v["institutional_depth"] = P.add_values(v["mechanism_depth"], agreements)
        v["institution_count"] = P.add_values(v["shared_mechanisms"],
                                              P.agreements_in_force(facts.agreements, years, weighted=False))
        v["regional_institutions"] = C.institution_depth(mechanisms.members, facts.mechanism_weights,
                                                         facts.mechanism_excluded, facts.agreements, years)
    else:
        for k in ("shared_mechanisms", "mechanism_depth", "institutional_depth", "institution_count",
                  "regional_institutions"):
            un[k] = "mechanisms registry tables not present in the warehouse"
    v["rcep_both"] = P.both_member(facts.rcep, years)
    v["asean_both"] = P.both_member(facts.asean, years)
    v["visa_exemption_agreement"] = P.agreement_in_force(facts.agreements[facts.agreements["kind"] == "visa"], years)
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
        pop = _population(tables["wdi"], years)
        v["flows_per_capita"] = P.per_capita(v["tourist_arrivals"], pop)
        v["flows_per_capita_sum"] = P.per_capita(v["tourist_arrivals"], pop, denominator="sum")
    if need("coauthorship_intensity", "openalex_coauthorship", "openalex_works"):
        v["coauthorship_intensity"] = K.coauthorship_intensity(tables["openalex_coauthorship"],
                                                               tables["openalex_works"], years)
    if need("coauthorship_lmc_share", "openalex_coauthorship"):
        v["coauthorship_lmc_share"] = K.coauthorship_lmc_share(tables["openalex_coauthorship"], years)
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
    if "openflights_routes" in tables or "vrs_route_legs" in tables:
        v["intl_air_route_share"] = A.province_route_shares(prov, tables.get("openflights_routes"),
                                                            tables.get("vrs_route_legs"), years)
    else:
        un["intl_air_route_share"] = un["air_route_share"]
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
