"""The bilateral panel for gravity models: flows plus distance, contiguity, language, RTA/RCEP, visa openness,
travel time and Covid stringency, one row per origin x destination x year.

:func:`build_bilateral_panel` is a pure function over data frames (tested on small synthetic frames);
:func:`load_panel_inputs` is the thin warehouse loader that reads the tables named in the warehouse contract
(``cepii_dist``, ``visa_requirements``, ``wdi``, ``migrant_stock``, the arrivals tables ``thailand_arrivals``,
``thailand_asean_arrivals``, ``vietnam_arrivals_annual`` and the curated ``key_figures``, ``oxcgrt_stringency_daily``,
``oxcgrt_c8_daily``, ``oxcgrt_legacy_c8_daily``). Other covariates are optional frames keyed by
``origin, destination, year`` (or ``iso3, year`` for stringency), so analysts can add their own, sourced.

:func:`build_lmc_panel` composes the LMC panel (30 directed pairs x years) from those inputs: RCEP from
``data/rcep.yaml``, yearly Covid stringency from :func:`covid_yearly`, travel time from :func:`travel_times` (rail
where the corridor timetable gives a time, else an air-time estimate from great-circle distance), and a
``*_source`` column per variable. Rail times come in as a frame (``lmc.corridor.plan.fastest_times``): flows may
not import the corridor engine, so the caller (CLI, tests) passes them in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from lmc import LMC_COUNTRIES, yamldoc
from lmc.atomic import atomic_path
from lmc.flows.errors import GravityDataError

FlowSource = Literal["arrivals", "migrant_stock"]
FLOW_SOURCES: tuple[str, ...] = ("arrivals", "migrant_stock")
ARRIVAL_TABLES: tuple[str, ...] = ("thailand_arrivals", "thailand_asean_arrivals", "vietnam_arrivals_annual")
"""Warehouse tables of official arrivals by nationality (read with the curated ``key_figures``)."""
PANEL_KEYS = ["origin", "destination", "year"]

AIR_FIXED_H = 0.75
"""Air-time estimate, fixed part (taxi, climb, approach), hours. A project assumption, not a sourced figure."""
AIR_KMH = 800.0
"""Air-time estimate, block speed over the great-circle distance, km/h. A project assumption."""
COVID_START = 2020
"""First year of Covid-19 measures: OxCGRT starts on 2020-01-01; earlier years have none (stringency 0)."""

# Source ids as in the warehouse's ``sources``/``provenance`` tables (or the package file), for the *_source columns.
_SRC = {
    "arrivals": "warehouse arrivals", "migrant_stock": "un_desa_migrant_stock",
    "dist": "cepii_geodist", "visa": "passport_index", "wdi": "wdi", "rta": "lmc.flows data/rcep.yaml",
    "covid": "oxcgrt", "rail": "lmc.corridor timetable (GTFS feed)",
}


def _require(df: pd.DataFrame, cols: list[str], name: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise GravityDataError(f"table {name!r}: missing column(s) {', '.join(missing)}; has {', '.join(map(str, df.columns))}")


def curated_arrivals(key_figures: pd.DataFrame) -> pd.DataFrame:
    """The curated arrivals of the warehouse's ``key_figures`` (indicator ``tourist_arrivals``, directed units
    ``A>B``, full years): ``origin, destination, year, arrivals, source``. Where press figures disagree, the
    highest confidence wins; figures of low confidence (e.g. the seed article's) are left out."""
    _require(key_figures, ["id", "indicator", "unit", "year", "value", "confidence", "source_publisher",
                           "source_url"], "key_figures")
    k = key_figures[(key_figures["indicator"] == "tourist_arrivals") & key_figures["year"].notna()
                    & key_figures["unit"].astype(str).str.contains(">") & (key_figures["confidence"] != "low")]
    k = k.assign(_rank=k["confidence"].map({"high": 0, "medium": 1}).fillna(2)).sort_values("_rank")
    od = k["unit"].astype(str).str.split(">", n=1)
    out = pd.DataFrame({"origin": od.str[0], "destination": od.str[1], "year": k["year"].astype(int),
                        "arrivals": k["value"].astype(float),
                        "source": "key_figures:" + k["id"].astype(str) + " " + k["source_publisher"].astype(str)
                                  + " " + k["source_url"].astype(str)})
    return out.drop_duplicates(PANEL_KEYS, keep="first").reset_index(drop=True)


def flows_from_arrivals(tables: dict[str, pd.DataFrame], key_figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Official arrivals between countries -> ``origin, destination, year, flow, flow_source``.

    The order of authority is the SCI's (:func:`lmc.indicators.compute.arrivals_by_authority`): Thailand's final
    MOTS sheets, its ASEAN series 2011-2024, its provisional sheets, VNAT 2025, then the curated figures of
    ``key_figures`` (:func:`curated_arrivals`); regional aggregates are dropped.
    """
    from lmc.indicators.compute import arrivals_by_authority

    cur = curated_arrivals(key_figures) if key_figures is not None else pd.DataFrame(
        columns=["origin", "destination", "year", "arrivals", "source"])
    a = arrivals_by_authority(tables, cur, {})
    return pd.DataFrame({"origin": a["origin"].astype(str), "destination": a["destination"].astype(str),
                         "year": a["year"].astype(int), "flow": a["arrivals"].astype(float),
                         "flow_source": a["source"].astype(str)})


def flows_from_migrant_stock(stock: pd.DataFrame) -> pd.DataFrame:
    """UN DESA migrant stock -> ``origin, destination, year, flow`` (a stock, used as a people-to-people link)."""
    _require(stock, ["year", "origin", "destination", "stock"], "migrant_stock")
    df = stock.dropna(subset=["origin", "destination", "stock"])
    return pd.DataFrame({"origin": df["origin"].astype(str), "destination": df["destination"].astype(str),
                         "year": df["year"].astype(int), "flow": df["stock"].astype(float)})


COVID_BAN_CODE = "covid ban"
"""Passport Index's code for a Covid-19 entry ban (snapshots 2020-11 to 2023); a ban, not a visa rule."""


VISA_FREE = 5
"""Openness of a visa-free entry on the Passport Index scale (:data:`lmc.sources.harmonise.OPENNESS_LABELS`)."""


def _visa_by_year(visa: pd.DataFrame, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per (passport, destination, year): the visa **rule** and the Covid **ban**, kept apart.

    A snapshot's rule holds from its date to the next snapshot's (or to the end of its year, for the last one);
    ``visa_openness`` (0-5) is the day-weighted mean of the rule over the days of the year it is known (never before
    the pair's first snapshot) and ``visa_free`` the share of those days with visa-free entry, so a waiver during
    the year counts for the part of the year it was in force. ``visa_snapshot`` is the year's latest snapshot.
    ``covid_ban`` is the share of the year's snapshots that report a ban (0-1). Coding a ban as a closed visa rule
    would make visa openness absorb the pandemic (and flip its sign in a panel that spans it), so ban snapshots are
    not rules: the rule before a ban holds through it. ``pairs`` (``origin, destination``) limits the work to them.
    """
    _require(visa, ["snapshot_date", "passport", "destination", "openness"], "visa_requirements")
    v = visa
    if pairs is not None:
        keys = pd.MultiIndex.from_frame(pairs[["origin", "destination"]].drop_duplicates())
        v = v[pd.MultiIndex.from_arrays([v["passport"], v["destination"]]).isin(keys)]
    v = v.assign(date=pd.to_datetime(v["snapshot_date"]).dt.normalize())
    v["year"] = v["date"].dt.year.astype(int)
    raw = v["requirement_raw"].astype(str).str.strip().str.lower() if "requirement_raw" in v \
        else pd.Series("", index=v.index)
    v["_ban"] = (raw == COVID_BAN_CODE).astype(float)
    keys = ["passport", "destination", "year"]
    ban = v.groupby(keys, as_index=False)["_ban"].mean().rename(columns={"_ban": "covid_ban"})
    rule = v[(v["_ban"] == 0) & v["openness"].notna()].sort_values(["passport", "destination", "date"])
    rule = rule.drop_duplicates(["passport", "destination", "date"], keep="last")
    # each rule's interval [date, next date), the last one to the end of its year; split at year ends
    nxt = rule.groupby(["passport", "destination"])["date"].shift(-1)
    end = nxt.fillna(pd.to_datetime((rule["year"] + 1).astype(str) + "-01-01"))
    parts = []
    for y in range(int(rule["year"].min()) if len(rule) else 0, int(end.dt.year.max()) + 1 if len(rule) else 0):
        y0, y1 = pd.Timestamp(year=y, month=1, day=1), pd.Timestamp(year=y + 1, month=1, day=1)
        days = (end.clip(upper=y1) - rule["date"].clip(lower=y0)).dt.days
        on = days > 0
        parts.append(pd.DataFrame({"passport": rule.loc[on, "passport"], "destination": rule.loc[on, "destination"],
                                   "year": y, "days": days[on], "openness": rule.loc[on, "openness"].astype(float),
                                   "snap": rule.loc[on, "date"]}))
    cols = ["origin", "destination", "year", "visa_openness", "visa_free", "visa_snapshot", "covid_ban"]
    if not parts:
        return ban.rename(columns={"passport": "origin"}).reindex(columns=cols)
    iv = pd.concat(parts, ignore_index=True)
    iv["free_days"] = iv["days"] * (iv["openness"] == VISA_FREE)
    iv["open_days"] = iv["days"] * iv["openness"]
    g = iv.groupby(keys, as_index=False).agg(days=("days", "sum"), free_days=("free_days", "sum"),
                                              open_days=("open_days", "sum"), snap=("snap", "max"))
    g["visa_openness"] = g["open_days"] / g["days"]
    g["visa_free"] = g["free_days"] / g["days"]
    g["visa_snapshot"] = g["snap"].dt.strftime("%Y-%m-%d")
    out = g[[*keys, "visa_openness", "visa_free", "visa_snapshot"]].merge(ban, on=keys, how="outer")
    return out.rename(columns={"passport": "origin"})[cols]


COVID_C8_BAN = 3
"""OxCGRT C8 level from which a destination's international travel controls are a ban (3: ban on arrivals from some
regions; 4: ban on all regions or total border closure)."""


def exit_bans(pairs: pd.DataFrame) -> pd.DataFrame:
    """Share of each ``origin, destination, year`` under the origin's Covid exit ban (``data/covid_exit_bans.yaml``)."""
    import datetime as dt
    from importlib import resources

    raw = yamldoc.safe_load(resources.files("lmc.flows").joinpath("data/covid_exit_bans.yaml")
                            .read_text(encoding="utf-8"))
    out = pairs[PANEL_KEYS].drop_duplicates().copy()
    share = np.zeros(len(out))
    for b in raw["bans"]:
        start = b["start"]
        for k, (o, d, y) in enumerate(out[PANEL_KEYS].itertuples(index=False)):
            if o != b["origin"]:
                continue
            end = b["end_by_destination"].get(d, {}).get("end", b["end_default"])
            lo, hi = max(start, dt.date(y, 1, 1)), min(end, dt.date(y, 12, 31))
            days = (dt.date(y, 12, 31) - dt.date(y, 1, 1)).days + 1
            share[k] = max(share[k], max((hi - lo).days + 1, 0) / days)
    out["covid_ban_exit"] = share
    return out


def c8_ban_yearly(c8_daily: pd.DataFrame) -> pd.DataFrame:
    """``iso3, year, covid_ban_c8``: share of observed days with C8 international travel controls at a ban level."""
    _require(c8_daily, ["iso3", "date", "c8"], "oxcgrt_c8_daily")
    c = c8_daily.dropna(subset=["iso3", "c8"])
    c = c.assign(year=pd.to_datetime(c["date"]).dt.year.astype(int), ban=(c["c8"].astype(float) >= COVID_C8_BAN) * 1.0)
    return c.groupby(["iso3", "year"], as_index=False)["ban"].mean().rename(columns={"ban": "covid_ban_c8"})


def _gdp(wdi: pd.DataFrame, indicator: str) -> pd.DataFrame:
    _require(wdi, ["iso3", "indicator", "year", "value"], "wdi")
    g = wdi[wdi["indicator"] == indicator][["iso3", "year", "value"]].dropna()
    g = g.assign(year=g["year"].astype(int), value=g["value"].astype(float))
    return g[g["value"] > 0]


def covid_yearly(stringency_daily: pd.DataFrame, c8_daily: pd.DataFrame | None = None) -> pd.DataFrame:
    """OxCGRT daily tables -> ``iso3, year, stringency, stringency_days, c8_mean, c8_max, c8_days``.

    ``stringency`` is the yearly mean of the national (``NAT_TOTAL``) daily Stringency Index (0-100); ``c8_*`` the
    yearly mean and maximum of the daily C8 international travel controls (0-4) and the days observed (the
    mirror's C8 copy ends in late 2021, so 2021 covers about 11 months and 2022 has none). Pass the result as
    ``stringency=`` to :func:`build_bilateral_panel`.
    """
    _require(stringency_daily, ["country_code", "date", "stringency"], "oxcgrt_stringency_daily")
    s = stringency_daily
    if "jurisdiction" in s.columns:
        s = s[s["jurisdiction"] == "NAT_TOTAL"]
    s = s.dropna(subset=["stringency"])
    s = s.assign(iso3=s["country_code"].astype(str), year=pd.to_datetime(s["date"]).dt.year.astype(int))
    out = s.groupby(["iso3", "year"]).agg(stringency=("stringency", "mean"), stringency_days=("stringency", "size"))
    if c8_daily is not None:
        _require(c8_daily, ["iso3", "date", "c8"], "oxcgrt_c8_daily")
        c = c8_daily.dropna(subset=["iso3", "c8"])
        c = c.assign(iso3=c["iso3"].astype(str), year=pd.to_datetime(c["date"]).dt.year.astype(int),
                     c8=c["c8"].astype(float))
        g = c.groupby(["iso3", "year"]).agg(c8_mean=("c8", "mean"), c8_max=("c8", "max"), c8_days=("c8", "size"))
        out = out.join(g, how="outer")
    return out.reset_index()


def air_time_h(dist_km: pd.Series) -> pd.Series:
    """Estimated air travel time (hours) over a great-circle distance: ``AIR_FIXED_H + km / AIR_KMH`` (assumption)."""
    return AIR_FIXED_H + dist_km.astype(float) / AIR_KMH


def travel_times(pairs: pd.DataFrame, dist: pd.DataFrame | None, rail: pd.DataFrame | None = None) -> pd.DataFrame:
    """Travel time per ``origin, destination, year``: the fastest scheduled rail time where ``rail`` gives one,
    else the air-time estimate over CEPII's great-circle ``dist`` (:func:`air_time_h`).

    ``rail`` has ``origin, destination, year, rail_time_h`` (``lmc.corridor.plan.fastest_times`` builds it from the
    corridor timetable; optional ``from_stop, to_stop, date`` name the journey in the source column). Output:
    the keys, ``travel_time_h``, ``travel_mode`` (``rail`` / ``air``), ``travel_time_source``, and both
    components ``rail_time_h`` (NaN without a timetabled journey) and ``air_time_h``, so a model can use either.
    Note that the rail time, where it exists, is usually longer than the air estimate: it is the corridor's
    scheduled time, not the fastest mode.
    """
    _require(pairs, PANEL_KEYS, "pairs")
    out = pairs[PANEL_KEYS].drop_duplicates().reset_index(drop=True)
    air = pd.Series(np.nan, index=out.index)
    if dist is not None:
        _require(dist, ["iso_o", "iso_d", "dist"], "cepii_dist")
        d = dist.rename(columns={"iso_o": "origin", "iso_d": "destination"})[["origin", "destination", "dist"]]
        d = d.drop_duplicates(["origin", "destination"])
        km = out.merge(d, on=["origin", "destination"], how="left")["dist"]
        air = air_time_h(km.where(km > 0))
    out["travel_time_h"] = air.to_numpy()
    out["rail_time_h"] = np.nan
    out["air_time_h"] = air.to_numpy()
    out["travel_mode"] = np.where(air.notna(), "air", None)
    out["travel_time_source"] = np.where(
        air.notna(), f"estimate: {AIR_FIXED_H} h + {_SRC['dist']} great-circle dist / {AIR_KMH:.0f} km/h (assumption)",
        None)
    if rail is not None and len(rail):
        _require(rail, PANEL_KEYS + ["rail_time_h"], "rail travel times")
        r = rail.drop_duplicates(PANEL_KEYS).copy()
        r["year"] = r["year"].astype(int)
        how = r["from_stop"].astype(str) + " -> " + r["to_stop"].astype(str) if {"from_stop", "to_stop"} <= set(r) \
            else pd.Series("", index=r.index)
        if "date" in r.columns:
            how = how + ", " + r["date"].astype(str)
        r["_src"] = _SRC["rail"] + ": " + how
        m = out[PANEL_KEYS].merge(r[PANEL_KEYS + ["rail_time_h", "_src"]], on=PANEL_KEYS, how="left")
        has = m["rail_time_h"].notna().to_numpy()
        out.loc[has, "travel_time_h"] = m.loc[has, "rail_time_h"].to_numpy()
        out.loc[has, "rail_time_h"] = m.loc[has, "rail_time_h"].to_numpy()
        out.loc[has, "travel_mode"] = "rail"
        out.loc[has, "travel_time_source"] = m.loc[has, "_src"].to_numpy()
    return out


def build_bilateral_panel(
    flows: pd.DataFrame,
    *,
    dist: pd.DataFrame | None = None,
    visa: pd.DataFrame | None = None,
    wdi: pd.DataFrame | None = None,
    rta: pd.DataFrame | None = None,
    travel_time: pd.DataFrame | None = None,
    stringency: pd.DataFrame | None = None,
    gdp_indicator: str = "NY.GDP.MKTP.CD",
    countries: list[str] | None = None,
    years: list[int] | None = None,
    fill_visa_by_carry: bool = True,
) -> pd.DataFrame:
    """Join flows (``origin, destination, year, flow``) with the gravity covariates.

    Output columns: the keys, ``flow``, then whatever the inputs allow among ``dist, ln_dist, contig,
    comlang_off, comlang_ethno, colony, smctry, visa_openness, visa_snapshot, covid_ban, rta, travel_time_h (travel_mode,
    travel_time_source, rail_time_h, air_time_h), stringency_o, stringency_d, stringency_pair (c8_d_mean,
    c8_d_max), ln_gdp_o, ln_gdp_d``,
    and the fixed-effect keys ``exp_year, imp_year, pair`` (pair is symmetric, so A->B and
    B->A share one effect, as in the Advanced Guide). Visa rules and Covid entry bans are separate
    (:func:`_visa_by_year`: day-weighted rules, ``visa_openness`` and ``visa_free``). Years after the last snapshot
    take, with ``fill_visa_by_carry``, the latest earlier rule (flagged in the source column); years before a pair's
    first snapshot have no rule (NaN: the rule is not observed, and carrying one back could cross a change, e.g.
    Myanmar-Thailand's exemption of 2015-08-11); a ban is never carried.
    Missing covariates stay NaN: estimation drops those rows, never imputes silently.
    """
    _require(flows, PANEL_KEYS + ["flow"], "flows")
    panel = flows[PANEL_KEYS + ["flow"]].copy()
    panel["origin"] = panel["origin"].astype(str)
    panel["destination"] = panel["destination"].astype(str)
    panel["year"] = panel["year"].astype(int)
    if countries is not None:
        keep = set(countries)
        panel = panel[panel["origin"].isin(keep) & panel["destination"].isin(keep)]
    if years is not None:
        panel = panel[panel["year"].isin(set(years))]
    panel = panel.groupby(PANEL_KEYS, as_index=False)["flow"].sum(min_count=1)  # an unobserved flow stays NaN

    if dist is not None:
        _require(dist, ["iso_o", "iso_d", "dist"], "cepii_dist")
        cols = [c for c in ["dist", "contig", "comlang_off", "comlang_ethno", "colony", "smctry"] if c in dist]
        d = dist.rename(columns={"iso_o": "origin", "iso_d": "destination"})[["origin", "destination", *cols]]
        panel = panel.merge(d.drop_duplicates(["origin", "destination"]), on=["origin", "destination"], how="left")
        panel["ln_dist"] = np.log(panel["dist"].where(panel["dist"] > 0))

    if visa is not None:
        v = _visa_by_year(visa, panel)
        panel = panel.merge(v[PANEL_KEYS + ["covid_ban"]].dropna(), on=PANEL_KEYS, how="left")
        rules = v.dropna(subset=["visa_openness"]).drop(columns="covid_ban")
        if fill_visa_by_carry and len(rules):
            panel = pd.merge_asof(panel.sort_values("year"), rules.sort_values("year"), on="year",
                                  by=["origin", "destination"], direction="backward")
        else:
            panel = panel.merge(rules, on=PANEL_KEYS, how="left")

    if rta is not None:
        _require(rta, PANEL_KEYS + ["rta"], "rta")
        panel = panel.merge(rta[PANEL_KEYS + ["rta"]], on=PANEL_KEYS, how="left")
        panel["rta"] = panel["rta"].fillna(0.0)

    if travel_time is not None:
        _require(travel_time, ["origin", "destination", "travel_time_h"], "travel_time")
        on = PANEL_KEYS if "year" in travel_time.columns else ["origin", "destination"]
        extra = [c for c in ("travel_mode", "travel_time_source", "rail_time_h", "air_time_h")
                 if c in travel_time.columns]
        panel = panel.merge(travel_time[on + ["travel_time_h", *extra]].drop_duplicates(on), on=on, how="left")

    if stringency is not None:
        _require(stringency, ["iso3", "year", "stringency"], "stringency")
        s = stringency.groupby(["iso3", "year"], as_index=False)["stringency"].mean()
        panel = panel.merge(s.rename(columns={"iso3": "origin", "stringency": "stringency_o"}),
                            on=["origin", "year"], how="left")
        panel = panel.merge(s.rename(columns={"iso3": "destination", "stringency": "stringency_d"}),
                            on=["destination", "year"], how="left")
        panel["stringency_pair"] = (panel["stringency_o"] + panel["stringency_d"]) / 2  # NaN unless both known
        c8 = [c for c in ("c8_mean", "c8_max") if c in stringency.columns]
        if c8:  # the destination's controls on arrivals (C8), yearly mean and max
            c = stringency.groupby(["iso3", "year"], as_index=False)[c8].mean()
            panel = panel.merge(c.rename(columns={"iso3": "destination", **{k: k.replace("c8_", "c8_d_") for k in c8}}),
                                on=["destination", "year"], how="left")

    if wdi is not None:
        g = _gdp(wdi, gdp_indicator)
        panel = panel.merge(g.rename(columns={"iso3": "origin", "value": "gdp_o"}), on=["origin", "year"], how="left")
        panel = panel.merge(g.rename(columns={"iso3": "destination", "value": "gdp_d"}),
                            on=["destination", "year"], how="left")
        panel["ln_gdp_o"] = np.log(panel.pop("gdp_o"))
        panel["ln_gdp_d"] = np.log(panel.pop("gdp_d"))

    panel["exp_year"] = panel["origin"] + "_" + panel["year"].astype(str)
    panel["imp_year"] = panel["destination"] + "_" + panel["year"].astype(str)
    lo = np.where(panel["origin"] <= panel["destination"], panel["origin"], panel["destination"])
    hi = np.where(panel["origin"] <= panel["destination"], panel["destination"], panel["origin"])
    panel["pair"] = pd.Series(lo, index=panel.index).astype(str) + "-" + pd.Series(hi, index=panel.index).astype(str)
    return panel.sort_values(PANEL_KEYS).reset_index(drop=True)


def rcep_frame(pairs: pd.DataFrame) -> pd.DataFrame:
    """An ``rcep`` dummy for ``origin, destination, year`` rows: 1 from the year RCEP is in force for both partners.

    Membership and dates come from ``data/rcep.yaml`` (sourced; Myanmar's contested status is not coded). Pass the
    result as ``rta=`` to :func:`build_bilateral_panel` after renaming ``rcep`` to ``rta``, or merge it yourself.
    """
    from importlib import resources

    raw = yamldoc.safe_load(resources.files("lmc.flows").joinpath("data/rcep.yaml").read_text(encoding="utf-8"))
    since = {m["iso3"]: pd.Timestamp(str(m["in_force"])).year for m in raw["members"]}
    _require(pairs, PANEL_KEYS, "pairs")
    out = pairs[PANEL_KEYS].drop_duplicates().copy()
    o = out["origin"].map(since)
    d = out["destination"].map(since)
    both = np.maximum(o.to_numpy(dtype=float), d.to_numpy(dtype=float))  # NaN if either is not a member
    out["rcep"] = ((out["origin"] != out["destination"]) & ~np.isnan(both) & (out["year"].to_numpy() >= both)).astype(float)
    return out


def load_panel_inputs(settings=None, *, flow: FlowSource = "arrivals") -> dict[str, pd.DataFrame]:
    """Read the panel's inputs from the warehouse (thin loader; all logic is in :func:`build_bilateral_panel`).

    Keys: ``flows``, ``dist``, ``visa``, ``wdi``, ``stringency`` (:func:`covid_yearly` of the OxCGRT tables) and
    ``c8_daily`` (the legacy C8 series to 2022, for Covid entry bans). Tables that are missing from the warehouse
    are left out, so the panel simply lacks those covariates (or those flows).
    """
    if flow not in FLOW_SOURCES:
        from lmc.errors import unknown

        raise GravityDataError(unknown("flow source", flow, FLOW_SOURCES))
    from lmc.errors import WarehouseError
    from lmc.warehouse.db import read_table  # imported late: the warehouse is a lower stage, loaded on demand

    def optional(name: str) -> pd.DataFrame | None:
        try:
            return read_table(name, settings)
        except WarehouseError:
            return None

    out: dict[str, pd.DataFrame] = {}
    if flow == "arrivals":
        tables = {n: t for n in ARRIVAL_TABLES if (t := optional(n)) is not None}
        kf = optional("key_figures")
        if not tables and kf is None:
            raise GravityDataError("no arrivals in the warehouse (tables " + ", ".join(ARRIVAL_TABLES)
                                   + ", key_figures); run `lmc data pull` first")
        out["flows"] = flows_from_arrivals(tables, kf)
    else:
        out["flows"] = flows_from_migrant_stock(read_table(flow, settings))
    for key, name in (("dist", "cepii_dist"), ("visa", "visa_requirements"), ("wdi", "wdi")):
        if (t := optional(name)) is not None:
            out[key] = t
    if (legacy := optional("oxcgrt_legacy_c8_daily")) is not None:
        out["c8_daily"] = legacy[["iso3", "date", "c8"]]
    daily = optional("oxcgrt_stringency_daily")
    if daily is not None:
        out["stringency"] = covid_yearly(daily, optional("oxcgrt_c8_daily"))
    return out


def build_panel_from_warehouse(settings=None, *, flow: FlowSource = "arrivals", **kwargs) -> pd.DataFrame:
    """The bilateral panel from the warehouse's tables (see :func:`load_panel_inputs`)."""
    inputs = load_panel_inputs(settings, flow=flow)
    inputs.pop("c8_daily", None)
    return build_bilateral_panel(inputs.pop("flows"), **inputs, **kwargs)


def _panel_years(flows: pd.DataFrame, visa: pd.DataFrame | None) -> list[int]:
    """From the first observed flow year to the latest year of the flows or the visa snapshots."""
    if not len(flows):
        raise GravityDataError("flows: no rows between the panel's countries")
    last = int(flows["year"].max())
    if visa is not None and len(visa):
        last = max(last, int(pd.to_datetime(visa["snapshot_date"]).dt.year.max()))
    return list(range(int(flows["year"].min()), last + 1))


def build_lmc_panel(
    flows: pd.DataFrame,
    *,
    dist: pd.DataFrame | None = None,
    visa: pd.DataFrame | None = None,
    wdi: pd.DataFrame | None = None,
    stringency: pd.DataFrame | None = None,
    rail_times: pd.DataFrame | None = None,
    c8_daily: pd.DataFrame | None = None,
    flow_source: str = "arrivals",
    countries: tuple[str, ...] | list[str] = LMC_COUNTRIES,
    years: list[int] | None = None,
) -> pd.DataFrame:
    """The LMC bilateral panel: every directed pair of ``countries`` x ``years``, with a source column per variable.

    ``flow`` is NaN where the flow source has no observation: the rows stay so that covariates can be inspected
    and flows predicted; estimation drops them. A ``flow_source`` column in ``flows`` labels each row's source
    (curated records), otherwise ``flow_source`` names the table. Default years: the first flow year to the latest
    flow or visa-snapshot year. Covariates: CEPII distance, contiguity and language; visa openness (the rule, latest
    snapshot of the year, carried) and ``covid_ban`` (share of the year's snapshots with a Covid entry ban; 0 before
    2020); RCEP in force (``rta``, from
    ``data/rcep.yaml``); travel time (:func:`travel_times`); Covid stringency (``stringency`` =
    :func:`covid_yearly`; before 2020 there were no measures, so 0, flagged in ``stringency_source``); WDI GDP.
    """
    _require(flows, PANEL_KEYS + ["flow"], "flows")
    keep = list(countries)
    f = flows[flows["origin"].isin(keep) & flows["destination"].isin(keep) & (flows["origin"] != flows["destination"])]
    yrs = sorted(int(y) for y in years) if years is not None else _panel_years(f, visa)
    grid = pd.DataFrame([(o, d, y) for o in keep for d in keep if o != d for y in yrs], columns=PANEL_KEYS)
    grid = grid.merge(f[PANEL_KEYS + ["flow"]].groupby(PANEL_KEYS, as_index=False)["flow"].sum(min_count=1),
                      on=PANEL_KEYS, how="left")
    rta = rcep_frame(grid).rename(columns={"rcep": "rta"})
    tt = travel_times(grid, dist, rail_times)
    panel = build_bilateral_panel(grid, dist=dist, visa=visa, wdi=wdi, rta=rta, travel_time=tt,
                                  stringency=stringency, countries=keep, years=yrs)

    def src(value_col: str, label: str | pd.Series) -> pd.Series:
        has = panel[value_col].notna() if value_col in panel else pd.Series(False, index=panel.index)
        lab = label if isinstance(label, pd.Series) else pd.Series(label, index=panel.index)
        return lab.where(has, None)

    label = pd.Series(_SRC.get(flow_source, flow_source), index=panel.index)
    if "flow_source" in f.columns:
        per_row = panel[PANEL_KEYS].merge(f[PANEL_KEYS + ["flow_source"]].drop_duplicates(PANEL_KEYS), on=PANEL_KEYS,
                                          how="left")["flow_source"]
        label = per_row.where(per_row.notna(), label).set_axis(panel.index)
    panel["flow_source"] = src("flow", label)
    if "dist" in panel:
        panel["dist_source"] = src("dist", _SRC["dist"])  # dist, ln_dist, contig, comlang_*, colony, smctry
    if "visa_openness" in panel:
        snap = panel["visa_snapshot"].astype("string")
        snap_year = pd.to_datetime(snap, errors="coerce").dt.year
        how = np.where(snap_year < panel["year"], " (carried forward)", "")
        panel["visa_source"] = src("visa_openness", _SRC["visa"] + ": snapshot " + snap.fillna("") + how)
    # Covid bans, kept apart from visa rules: the destination's entry ban (Passport Index 'covid ban' snapshots,
    # or OxCGRT C8 at a ban level) and the origin's exit ban (curated), each as a share of the year
    entry = panel["covid_ban"] if "covid_ban" in panel else pd.Series(np.nan, index=panel.index)
    if c8_daily is not None and len(c8_daily):
        c8 = c8_ban_yearly(c8_daily).rename(columns={"iso3": "destination"})
        c8v = panel[["destination", "year"]].merge(c8, on=["destination", "year"], how="left")["covid_ban_c8"]
        entry = pd.Series(np.fmax(entry.to_numpy(dtype=float), c8v.to_numpy(dtype=float)), index=panel.index)
    panel["covid_ban_entry"] = entry
    panel["covid_ban_exit"] = panel[PANEL_KEYS].merge(exit_bans(panel), on=PANEL_KEYS, how="left")[
        "covid_ban_exit"].to_numpy()
    pre = panel["year"] < COVID_START
    panel.loc[pre, ["covid_ban_entry", "covid_ban_exit"]] = 0.0
    panel["covid_ban"] = np.fmax(panel["covid_ban_entry"], panel["covid_ban_exit"])
    panel["covid_ban_source"] = src("covid_ban", pd.Series(
        f"entry: {_SRC['visa']} 'covid ban' snapshots or {_SRC['covid']} C8 >= {COVID_C8_BAN}; exit: "
        "lmc.flows data/covid_exit_bans.yaml", index=panel.index).where(~pre, f"none before {COVID_START} (0)"))
    panel["rta_source"] = _SRC["rta"]
    if "stringency_o" in panel:
        pre = panel["year"] < COVID_START
        cols = [c for c in ("stringency_o", "stringency_d", "stringency_pair", "c8_d_mean", "c8_d_max") if c in panel]
        panel.loc[pre, cols] = 0.0
        label = pd.Series(_SRC["covid"], index=panel.index).where(~pre, f"none before {COVID_START} (0)")
        panel["stringency_source"] = src("stringency_pair", label)
    if "ln_gdp_o" in panel:
        panel["gdp_source"] = src("ln_gdp_o", _SRC["wdi"] + " NY.GDP.MKTP.CD")
    first = PANEL_KEYS + ["flow", "flow_source"]
    return panel[first + [c for c in panel.columns if c not in first]]


def build_lmc_panel_from_warehouse(settings=None, *, flow: FlowSource = "arrivals",
                                   rail_times: pd.DataFrame | None = None, years: list[int] | None = None
                                   ) -> pd.DataFrame:
    """The LMC bilateral panel from the warehouse (:func:`load_panel_inputs` then :func:`build_lmc_panel`)."""
    inputs = load_panel_inputs(settings, flow=flow)
    return build_lmc_panel(inputs.pop("flows"), **inputs, rail_times=rail_times, flow_source=flow, years=years)


def panel_summary(panel: pd.DataFrame) -> pd.DataFrame:
    """Per variable of an LMC panel: rows with a value, years covered, and its source(s)."""
    src_of = {"flow": "flow_source", "visa_openness": "visa_source", "covid_ban": "covid_ban_source", "rta": "rta_source",
              "travel_time_h": "travel_time_source", "stringency_pair": "stringency_source", "ln_gdp_o": "gdp_source",
              "ln_dist": "dist_source", "contig": "dist_source", "comlang_off": "dist_source"}
    rows = []
    for var, sc in src_of.items():
        if var not in panel:
            continue
        has = panel[var].notna()
        yrs = panel.loc[has, "year"]
        srcs = panel.loc[has, sc].dropna().astype(str) if sc in panel else pd.Series(dtype=str)
        if var == "travel_time_h" and "travel_mode" in panel:
            srcs = panel.loc[has, "travel_mode"].dropna().astype(str)
        kinds = srcs.str.replace(r"\s+https?://\S+", "", regex=True).str.split(":").str[0].value_counts()
        rows.append({"variable": var, "rows": int(has.sum()),
                     "years": f"{yrs.min()}-{yrs.max()}" if len(yrs) else "",
                     "source": "; ".join(f"{k} ({n})" for k, n in kinds.items())})
    return pd.DataFrame(rows, columns=["variable", "rows", "years", "source"])


PANEL_FORMATS: tuple[str, ...] = (".csv", ".parquet")


def check_panel_path(path: str | Path) -> Path:
    """``path`` if its suffix is a panel format (``.csv``, ``.parquet``); else a :class:`GravityDataError`."""
    p = Path(path)
    if p.suffix.lower() not in PANEL_FORMATS:
        from lmc.errors import unknown

        raise GravityDataError(f"{p}: " + unknown("panel file format", p.suffix.lower() or "(none)", PANEL_FORMATS))
    return p


def write_panel(panel: pd.DataFrame, path: str | Path) -> Path:
    """Write ``panel`` as CSV or Parquet (by suffix) via a temporary file and ``os.replace``."""
    p = check_panel_path(path)
    with atomic_path(p) as tmp:
        if p.suffix.lower() == ".csv":
            panel.to_csv(tmp, index=False)
        else:
            panel.to_parquet(tmp, index=False)
    return p
