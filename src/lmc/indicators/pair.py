"""Pair-level indicators: pure functions from tidy frames to ``(unit, year, value)`` rows.

Each function takes the columns it needs (documented in its docstring), works for any subset of the six countries,
and returns one row per canonical pair (``'CHN-LAO'``) and year for which the value is *observed* or follows from a
documented coding rule. Missing stays missing here: gap filling is the panel's job (:mod:`lmc.indicators.panel`),
where every filled cell is flagged. Tests check each function on small hand-made frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources.harmonise import lmc_pairs, pair_unit, split_pair

COLUMNS = ["unit", "year", "value"]


def _frame(rows: list[tuple[str, int, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    return df


def _constant(values: Mapping[str, float], years: Iterable[int]) -> pd.DataFrame:
    """A time-invariant pair value repeated over ``years`` (one vintage applied to every year)."""
    return _frame([(p, y, float(values.get(p, 0.0))) for p in lmc_pairs() for y in years])


def _lmc_dyads(df: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    ok = df[a].isin(LMC_COUNTRIES) & df[b].isin(LMC_COUNTRIES) & (df[a] != df[b])
    out = df.loc[ok].copy()
    out["pair"] = [pair_unit(x, y) for x, y in zip(out[a], out[b])]
    return out


# ---------------------------------------------------------------------------------------------------- mobility
def air_routes(routes: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Distinct airport-to-airport routes between the two countries, both directions.

    ``routes``: ``src_iata, dst_iata, src_iso3, dst_iso3`` (one row per operating airline, as OpenFlights). A route
    flown by three airlines counts once; A->B and B->A count as two routes. One vintage (2014) for every year.
    """
    d = _lmc_dyads(routes, "src_iso3", "dst_iso3")
    n = d.drop_duplicates(["src_iata", "dst_iata"]).groupby("pair").size()
    return _constant(n.to_dict(), years)


def air_airlines(routes: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Distinct airlines flying at least one direct route between the two countries (``airline`` code column)."""
    d = _lmc_dyads(routes, "src_iso3", "dst_iso3")
    d = d[d["airline"].notna()]
    n = d.groupby("pair")["airline"].nunique()
    return _constant(n.to_dict(), years)


def visa_openness(visa: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Mean visa openness of both directions, per year: the mean over that year's snapshots of
    ``(openness[a->b] + openness[b->a]) / 2``.

    ``visa``: ``snapshot_date, passport, destination, openness`` (openness on the 0..5 scale). A year without any
    snapshot gives no row; a snapshot where one direction is missing is skipped.
    """
    years = list(years)
    v = visa.loc[visa["passport"].isin(LMC_COUNTRIES) & visa["destination"].isin(LMC_COUNTRIES)
                 & (visa["passport"] != visa["destination"]) & visa["openness"].notna(),
                 ["snapshot_date", "passport", "destination", "openness"]].copy()
    if v.empty:
        return _frame([])
    v["year"] = pd.to_datetime(v["snapshot_date"]).dt.year
    v["openness"] = v["openness"].astype("float64")
    v["pair"] = [pair_unit(a, b) for a, b in zip(v["passport"], v["destination"])]
    per_snap = v.groupby(["pair", "snapshot_date", "year"]).agg(n=("openness", "size"), o=("openness", "mean"))
    per_snap = per_snap[per_snap["n"] == 2].reset_index()
    yearly = per_snap.groupby(["pair", "year"])["o"].mean().reset_index()
    yearly = yearly[yearly["year"].isin(years)]
    return _frame(list(zip(yearly["pair"], yearly["year"], yearly["o"])))


def land_links(links: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Cross-border rail and road links in operation per year.

    ``links``: ``pair, opened_year, closed_year (or None), suspended (tuple of years)``. A link counts in every
    year from its opening year to its closing year, except suspended years. Pairs without a link get 0 (nothing
    documented), which is a coding, not an estimate.
    """
    rows = []
    for p in lmc_pairs():
        sub = links[links["pair"] == p]
        for y in years:
            n = 0
            for r in sub.itertuples(index=False):
                closed = r.closed_year if r.closed_year is not None and not pd.isna(r.closed_year) else 9999
                if r.opened_year <= y <= closed and y not in tuple(r.suspended or ()):
                    n += 1
            rows.append((p, y, float(n)))
    return _frame(rows)


def rail_travel_hours(timetables: pd.DataFrame, years: Iterable[int], *, no_service_hours: float) -> pd.DataFrame:
    """Fastest scheduled through time between the capitals in effect at the end of each year.

    ``timetables``: ``pair, from_date, hours``. Pairs or years with no through timetable are coded
    ``no_service_hours`` (the indicator's worst goalpost): "no scheduled service", not an estimate.
    """
    rows = []
    tt = timetables.copy()
    tt["from_date"] = pd.to_datetime(tt["from_date"])
    for p in lmc_pairs():
        sub = tt[tt["pair"] == p].sort_values("from_date")
        for y in years:
            cur = sub[sub["from_date"] <= pd.Timestamp(year=y, month=12, day=31)]
            rows.append((p, y, float(cur["hours"].iloc[-1]) if len(cur) else float(no_service_hours)))
    return _frame(rows)


def directed_arrivals(*frames: pd.DataFrame) -> pd.DataFrame:
    """Stack directed arrival tables ``origin, destination, year, arrivals``; where two sources give the same
    origin-destination-year, the first frame wins (warehouse statistics before curated press figures)."""
    parts = [f[["origin", "destination", "year", "arrivals"]] for f in frames if f is not None and len(f)]
    if not parts:
        return pd.DataFrame(columns=["origin", "destination", "year", "arrivals"])
    st = pd.concat(parts, ignore_index=True)
    st = st[st["origin"].isin(LMC_COUNTRIES) & st["destination"].isin(LMC_COUNTRIES)
            & (st["origin"] != st["destination"]) & st["arrivals"].notna()]
    st["year"] = st["year"].astype("int64")
    return st.drop_duplicates(["origin", "destination", "year"], keep="first").reset_index(drop=True)


def tourist_arrivals(arrivals: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Arrivals between the pair: the sum of the directions reported for that year (``directed_arrivals`` frame)."""
    years = set(years)
    a = arrivals[arrivals["year"].isin(years)]
    if a.empty:
        return _frame([])
    a = a.assign(pair=[pair_unit(o, d) for o, d in zip(a["origin"], a["destination"])])
    s = a.groupby(["pair", "year"])["arrivals"].sum().reset_index()
    return _frame(list(zip(s["pair"], s["year"], s["arrivals"])))


def tourist_arrivals_filled(arrivals: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Like :func:`tourist_arrivals`, but each *direction* is gap-filled on its own before the directions are
    summed, so a pair's series does not jump when the reporting country changes (e.g. Thailand's statistics up to
    2022, Laos' from 2024).

    Returns ``unit, year, value, filled, flag``: ``value`` = sum of the directions observed that year (NaN if
    none), ``filled`` = sum of the gap-filled directions, ``flag`` = ``observed`` when every direction that has
    data was observed that year, else the fill flag of the first filled direction. Directions never reported are
    left out (not invented).
    """
    from lmc.indicators.panel import fill_series

    years_arr = np.array(sorted(set(int(y) for y in years)))
    a = arrivals[arrivals["year"].isin(set(years_arr))]
    rows = []
    if len(a):
        a = a.assign(pair=[pair_unit(o, d) for o, d in zip(a["origin"], a["destination"])])
    for p in lmc_pairs():
        sub = a[a["pair"] == p] if len(a) else a
        if not len(sub):
            continue
        obs = np.zeros(len(years_arr))
        any_obs = np.zeros(len(years_arr), dtype=bool)
        filled = np.zeros(len(years_arr))
        flags = ["observed"] * len(years_arr)
        for (_o, _d), g in sub.groupby(["origin", "destination"]):
            raw = g.set_index("year")["arrivals"].reindex(years_arr).to_numpy(dtype=float)
            f, fl = fill_series(years_arr, raw, "linear")
            ok = ~np.isnan(raw)
            obs += np.where(ok, raw, 0.0)
            any_obs |= ok
            filled += f
            flags = [a_ if a_ != "observed" else b_ for a_, b_ in zip(flags, fl)]
        for i, y in enumerate(years_arr):
            rows.append((p, int(y), float(obs[i]) if any_obs[i] else np.nan, float(filled[i]), flags[i]))
    df = pd.DataFrame(rows, columns=["unit", "year", "value", "filled", "flag"])
    df["year"] = df["year"].astype("int64")
    return df


def migrant_stock(stock: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Migrants born in one country living in the other, both directions summed, in the years observed.

    ``stock``: ``year, origin, destination, stock``. Only observed years are returned (UN DESA is five-yearly).
    """
    years = set(years)
    s = _lmc_dyads(stock, "origin", "destination")
    s = s[s["year"].isin(years) & s["stock"].notna()]
    g = s.groupby(["pair", "year"])["stock"].sum().reset_index()
    return _frame(list(zip(g["pair"], g["year"], g["stock"].astype(float))))


def covid_border_closure(c8_yearly: pd.DataFrame, years: Iterable[int], *, first_year: int = 2020,
                         last_year: int = 2022) -> pd.DataFrame:
    """Mean of the two countries' yearly mean OxCGRT C8 level.

    ``c8_yearly``: ``iso3, year, c8`` (yearly means). Years before ``first_year`` and after ``last_year`` are coded
    0 (no Covid controls existed / the tracker ended after all six had reopened); years inside the window without
    data for both countries give no row (the panel fills and flags them).
    """
    lookup = {(r.iso3, int(r.year)): float(r.c8) for r in c8_yearly.itertuples(index=False) if not pd.isna(r.c8)}
    rows = []
    for p in lmc_pairs():
        a, b = split_pair(p)
        for y in years:
            if y < first_year or y > last_year:
                rows.append((p, y, 0.0))
            elif (a, y) in lookup and (b, y) in lookup:
                rows.append((p, y, (lookup[(a, y)] + lookup[(b, y)]) / 2))
    return _frame(rows)


def c8_yearly_means(c8_daily: pd.DataFrame) -> pd.DataFrame:
    """Daily C8 (``iso3, date, c8``) -> yearly mean per country (``iso3, year, c8``)."""
    d = c8_daily[c8_daily["iso3"].isin(LMC_COUNTRIES)].copy()
    d["year"] = pd.to_datetime(d["date"]).dt.year
    return d.groupby(["iso3", "year"])["c8"].mean().reset_index()


# ---------------------------------------------------------------------------------------------------- institutions
def both_member(joined: Mapping[str, int | None], years: Iterable[int]) -> pd.DataFrame:
    """1 when both countries are members (joined in or before the year), else 0. ``joined``: iso3 -> year/None."""
    rows = []
    for p in lmc_pairs():
        a, b = split_pair(p)
        for y in years:
            ja, jb = joined.get(a), joined.get(b)
            rows.append((p, y, float(ja is not None and jb is not None and ja <= y and jb <= y)))
    return _frame(rows)


def agreement_in_force(agreements: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """1 from the year a bilateral agreement enters into force (``pair, year``), else 0."""
    first = agreements.groupby("pair")["year"].min().to_dict() if len(agreements) else {}
    return _frame([(p, y, float(p in first and first[p] <= y)) for p in lmc_pairs() for y in years])


def shared_mechanisms(shared: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Shared memberships by pair and year from the mechanisms registry (``pair, year, shared`` or ``n``); pairs in
    canonical form or either order are accepted."""
    years = set(years)
    s = shared.rename(columns={"shared": "n"}).copy()
    s["pair"] = [pair_unit(*str(x).replace(">", "-").split("-")) for x in s["pair"]]
    s = s[s["year"].isin(years)]
    g = s.groupby(["pair", "year"])["n"].sum().reset_index()
    return _frame(list(zip(g["pair"], g["year"], g["n"].astype(float))))


# ---------------------------------------------------------------------------------------------------- culture
def shared_languages(languages: pd.DataFrame, years: Iterable[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Languages spoken in both countries, and language families present in both.

    ``languages``: one row per (language, country): ``glottocode, family_id, iso3`` (language-level languoids
    only). A language with no family (isolate) counts as its own family. Returns ``(languages, families)``.
    """
    lang = languages[languages["iso3"].isin(LMC_COUNTRIES)].drop_duplicates(["glottocode", "iso3"])
    fam = lang.assign(family=lang["family_id"].where(lang["family_id"].notna() & (lang["family_id"] != ""),
                                                     lang["glottocode"]))
    by_c = {c: set(lang.loc[lang["iso3"] == c, "glottocode"]) for c in LMC_COUNTRIES}
    fam_c = {c: set(fam.loc[fam["iso3"] == c, "family"]) for c in LMC_COUNTRIES}
    nl, nf = {}, {}
    for p in lmc_pairs():
        a, b = split_pair(p)
        nl[p] = len(by_c[a] & by_c[b])
        nf[p] = len(fam_c[a] & fam_c[b])
    return _constant(nl, years), _constant(nf, years)


def cepii_dummy(dist: pd.DataFrame, column: str, years: Iterable[int]) -> pd.DataFrame:
    """A CEPII GeoDist 0/1 dyadic variable (``iso_o, iso_d, <column>``); 1 if either direction says 1."""
    d = _lmc_dyads(dist, "iso_o", "iso_d")
    v = d.groupby("pair")[column].max().astype(float).to_dict()
    return _constant(v, years)


def transboundary_heritage(site_countries: pd.DataFrame, sites: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """World Heritage properties whose States Parties include both countries, from the inscription year.

    ``site_countries``: ``id_no, iso3``; ``sites``: ``id_no, date_inscribed``.
    """
    sc = site_countries[site_countries["iso3"].isin(LMC_COUNTRIES)]
    ins = sites.set_index("id_no")["date_inscribed"].to_dict()
    pairs_sites: dict[str, list[int]] = {}
    for sid, g in sc.groupby("id_no"):
        cs = sorted(set(g["iso3"]))
        for i in range(len(cs)):
            for j in range(i + 1, len(cs)):
                pairs_sites.setdefault(pair_unit(cs[i], cs[j]), []).append(int(ins.get(sid, 0) or 0))
    return _frame([(p, y, float(sum(1 for yi in pairs_sites.get(p, []) if yi <= y)))
                   for p in lmc_pairs() for y in years])


def both_in_set(members: Iterable[str], years: Iterable[int]) -> pd.DataFrame:
    """1 when both countries belong to a (time-invariant) set, e.g. Buddhist-majority countries."""
    m = set(members)
    return _constant({p: float(set(split_pair(p)) <= m) for p in lmc_pairs()}, years)


# ---------------------------------------------------------------------------------------------------- people
def twin_city_links(twins: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Distinct twin-city pairs between the two countries (``city1, iso3_1, city2, iso3_2``), undated."""
    d = _lmc_dyads(twins, "iso3_1", "iso3_2")
    key = [tuple(sorted((f"{c1}|{i1}", f"{c2}|{i2}")))
           for c1, i1, c2, i2 in zip(d["city1"], d["iso3_1"], d["city2"], d["iso3_2"])]
    d = d.assign(key=key).drop_duplicates("key")
    return _constant(d.groupby("pair").size().to_dict(), years)


def per_capita(pair_values: pd.DataFrame, population: pd.DataFrame, *, per: float = 1000.0) -> pd.DataFrame:
    """A pair value per ``per`` people of the two countries' combined population (``iso3, year, population``).

    Rows whose population is missing for either country are dropped.
    """
    pop = {(r.iso3, int(r.year)): float(r.population) for r in population.itertuples(index=False)
           if not pd.isna(r.population)}
    keep = []
    out = pair_values.copy()
    for i, r in enumerate(pair_values.itertuples(index=False)):
        a, b = split_pair(r.unit)
        pa, pb = pop.get((a, r.year)), pop.get((b, r.year))
        keep.append(bool(pa and pb))
        denom = (pa + pb) if (pa and pb) else np.nan
        out.iloc[i, out.columns.get_loc("value")] = r.value / denom * per
        if "filled" in out.columns:
            out.iloc[i, out.columns.get_loc("filled")] = r.filled / denom * per
    out = out[keep].reset_index(drop=True)
    if "filled" not in out.columns:
        out = out[out["value"].notna()].reset_index(drop=True)
    return out


def pair_min(country_values: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """The lower of the two countries' values (``iso3, year, value``): the bottleneck of a two-sided channel."""
    lookup = {(r.iso3, int(r.year)): float(r.value) for r in country_values.itertuples(index=False)
              if not pd.isna(r.value)}
    rows = []
    for p in lmc_pairs():
        a, b = split_pair(p)
        for y in years:
            if (a, y) in lookup and (b, y) in lookup:
                rows.append((p, y, min(lookup[(a, y)], lookup[(b, y)])))
    return _frame(rows)


__all__ = [n for n in dir() if not n.startswith("_") and n not in {"annotations", "np", "pd"}]
