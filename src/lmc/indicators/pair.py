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
from lmc.indicators.imputation import fill_series, regimes_for
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
    """Fastest scheduled rail time between the pair's corridor cities in effect at the end of each year.

    ``timetables``: ``pair, from_date, hours`` and optionally ``suspended`` (tuple of years whose 31 December fell in
    a suspension of that service). The latest record whose ``from_date`` is on or before 31 December is the one in
    effect; if that year is one of its suspended years, or there is none, the pair is coded ``no_service_hours``
    (the indicator's worst goalpost): "no scheduled service", not an estimate.
    """
    rows = []
    tt = timetables.copy()
    tt["from_date"] = pd.to_datetime(tt["from_date"])
    if "suspended" not in tt.columns:
        tt["suspended"] = [()] * len(tt)
    for p in lmc_pairs():
        sub = tt[tt["pair"] == p].sort_values("from_date")
        for y in years:
            cur = sub[sub["from_date"] <= pd.Timestamp(year=y, month=12, day=31)]
            ok = len(cur) and y not in tuple(cur["suspended"].iloc[-1] or ())
            rows.append((p, y, float(cur["hours"].iloc[-1]) if ok else float(no_service_hours)))
    return _frame(rows)


def directed_arrivals(*frames: pd.DataFrame) -> pd.DataFrame:
    """Stack directed arrival tables ``origin, destination, year, arrivals[, source]``; where two give the same
    origin-destination-year, the first frame wins (the caller orders them by authority). Returns
    ``origin, destination, year, arrivals, source``."""
    cols = ["origin", "destination", "year", "arrivals", "source"]
    parts = [f.assign(source=f["source"] if "source" in f.columns else "")[cols]
             for f in frames if f is not None and len(f)]
    if not parts:
        return pd.DataFrame(columns=cols)
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


def tourist_arrivals_filled(arrivals: pd.DataFrame, years: Iterable[int],
                            reopen: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Like :func:`tourist_arrivals`, but each *direction* is filled on its own by the imputation policy
    (:mod:`lmc.indicators.imputation`, regimes of the pair) before the directions are summed, so a pair's series
    does not jump when one direction's reporting pauses for a year.

    Returns ``unit, year, value, filled, flag, source_years, source``: ``value`` = sum of the directions observed
    that year (NaN if none), ``filled`` = sum of the directions available after filling (NaN if none),
    ``flag`` = ``observed`` when every summed direction was observed, else the fill flag of the first filled one;
    ``source`` and ``source_years`` list each summed direction (``"CHN>LAO: curated 2022"``). A direction missing
    that year (never reported, or too far from its observations) is not in the sum: the source lists what is.
    """
    years_arr = np.array(sorted(set(int(y) for y in years)))
    a = arrivals[arrivals["year"].isin(set(years_arr))]
    rows = []
    if len(a):
        a = a.assign(pair=[pair_unit(o, d) for o, d in zip(a["origin"], a["destination"])])
    for p in lmc_pairs():
        sub = a[a["pair"] == p] if len(a) else a
        if not len(sub):
            continue
        regimes = regimes_for(p, years_arr, reopen or {})
        per_dir = []
        for (o, d), g in sub.groupby(["origin", "destination"]):
            g = g.set_index("year")
            raw = g["arrivals"].reindex(years_arr).to_numpy(dtype=float)
            f = fill_series(years_arr, raw, regimes, g["source"].reindex(years_arr).to_list())
            per_dir.append((f"{o}>{d}", raw, f))
        for i, y in enumerate(years_arr):
            parts = [(name, raw[i], f) for name, raw, f in per_dir if not np.isnan(f.values[i])]
            if not parts:
                continue
            observed = [raw_i for _, raw_i, _ in parts if not np.isnan(raw_i)]
            fills = [f.flags[i] for _, _, f in parts if f.flags[i] != "observed"]
            rows.append((p, int(y), float(sum(observed)) if observed else np.nan,
                         float(sum(f.values[i] for _, _, f in parts)), fills[0] if fills else "observed",
                         "; ".join(f"{n}: {f.source_years[i]}" for n, _, f in parts),
                         "; ".join(f"{n}: {f.sources[i]}" for n, _, f in parts)))
    df = pd.DataFrame(rows, columns=["unit", "year", "value", "filled", "flag", "source_years", "source"])
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


def agreements_in_force(agreements: pd.DataFrame, years: Iterable[int], *, weighted: bool = True) -> pd.DataFrame:
    """Agreements binding the pair in each year: ``agreements`` has one row per agreement and pair (``id, pair,
    year`` = year of entry into force, ``weight``); each agreement counts from that year, by its ``weight``
    (``weighted=False``: 1 each). 0 where none."""
    rows = []
    for p in lmc_pairs():
        sub = agreements[agreements["pair"] == p] if len(agreements) else agreements
        for y in years:
            live = sub[sub["year"] <= y].drop_duplicates("id") if len(sub) else sub
            rows.append((p, y, float(live["weight"].sum() if weighted else len(live))))
    return _frame(rows)


def add_values(*frames: pd.DataFrame) -> pd.DataFrame:
    """The sum of several ``unit, year, value`` frames, on the unit-years present in all of them."""
    out = frames[0][["unit", "year", "value"]]
    for f in frames[1:]:
        out = out.merge(f[["unit", "year", "value"]], on=["unit", "year"], suffixes=("", "_b"))
        out = out.assign(value=out["value"] + out["value_b"]).drop(columns="value_b")
    return _frame(list(zip(out["unit"], out["year"], out["value"])))


def shared_mechanisms(shared: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Shared memberships by pair and year from the mechanisms registry (``pair, year, shared`` or ``n``); pairs in
    canonical form or either order are accepted."""
    years = set(years)
    s = shared.rename(columns={"shared": "n"}).copy()
    s["pair"] = [pair_unit(*str(x).replace(">", "-").split("-")) for x in s["pair"]]
    s = s[s["year"].isin(years)]
    g = s.groupby(["pair", "year"])["n"].sum().reset_index()
    return _frame(list(zip(g["pair"], g["year"], g["n"].astype(float))))


def mechanism_depth(detail: pd.DataFrame, weights: pd.DataFrame, excluded: pd.DataFrame,
                    years: Iterable[int]) -> pd.DataFrame:
    """Shared mechanisms weighted by depth: for each pair and year, the sum of the depth weights of the mechanisms
    both countries belong to.

    ``detail``: ``pair, year, mechanism`` (which mechanisms each pair shares; from the registry); ``weights``:
    ``mechanism, year, weight`` (0 for partner-led Mekong-X frameworks); ``excluded``: ``mechanism, member``
    (memberships not counted, e.g. RCEP for Myanmar). A mechanism without a weight counts 0 (the loader checks that
    every registry mechanism has one). Every pair and year gets a row (0 when nothing is shared)."""
    years = list(years)
    d = detail[detail["year"].isin(set(years))].copy()
    if len(excluded) and len(d):
        bad = set(zip(excluded["mechanism"], excluded["member"]))
        keep = [not any((m, c) in bad for c in split_pair(p)) for p, m in zip(d["pair"], d["mechanism"])]
        d = d[keep]
    d = d.merge(weights, on=["mechanism", "year"], how="left").fillna({"weight": 0.0})
    tot = d.groupby(["pair", "year"])["weight"].sum().to_dict()
    return _frame([(p, y, float(tot.get((p, y), 0.0))) for p in lmc_pairs() for y in years])


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


def per_capita(pair_values: pd.DataFrame, population: pd.DataFrame, *, per: float = 1000.0,
               denominator: str = "smaller") -> pd.DataFrame:
    """A pair value per ``per`` people of the **smaller** partner's population (``iso3, year, population``);
    ``denominator="sum"`` divides by the two populations' sum instead (the rule before issue 13, kept for the
    robustness table only).

    Why the smaller partner: a flow between China and Laos is felt in everyday life mostly in Laos; dividing by the
    two populations' sum would let China's 1.4 billion swamp every China pair (CHN-LAO arrivals per capita of the
    sum are ~0 while a Lao resident meets Chinese visitors constantly), and dividing by the larger one likewise.
    Rows whose population is missing for either country are dropped. Extra columns (``filled``, ``flag``,
    ``source``...) are kept; ``filled`` is divided alike.
    """
    pop = {(r.iso3, int(r.year)): float(r.population) for r in population.itertuples(index=False)
           if not pd.isna(r.population)}
    out = pair_values.copy()
    denom = []
    for unit, year in zip(pair_values["unit"], pair_values["year"]):
        a, b = split_pair(unit)
        pa, pb = pop.get((a, int(year))), pop.get((b, int(year)))
        denom.append((min(pa, pb) if denominator == "smaller" else pa + pb) if (pa and pb) else np.nan)
    denom_arr = np.asarray(denom, dtype=float)
    out["value"] = out["value"].to_numpy(dtype=float) / denom_arr * per
    if "filled" in out.columns:
        out["filled"] = out["filled"].to_numpy(dtype=float) / denom_arr * per
    out = out[~np.isnan(denom_arr)].reset_index(drop=True)
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
