"""Disruptions of connectivity as clean per-unit, per-year tables: Covid border controls, armed conflict, dated events.

Why here: the SCI's Covid closure indicator and conflict indicator come from these functions, and a later stage
(a disruption measure, face-validity checks against dated events) builds on the same tables instead of re-reading
the sources. Every function is pure (frames in, frames out) and documents its coding rules.

* :func:`covid_closure_share` - share of a year's days on which travel between two countries faced quarantine or
  a ban on arrivals on at least one side (OxCGRT C8 >= 2), 0..1;
* :func:`conflict_country_year` / :func:`conflict_pair_year` - UCDP/PRIO intensity bands (0 none, 1 = 25-999
  battle-related deaths, 2 = 1,000+) of conflicts located in a country, or fought between the two states of a pair;
* :func:`disrupted_share` - the SCI's disruption measure: the share of a year's days on which travel between two
  countries was disrupted by Covid controls, a curated border closure or armed clash, or interstate conflict;
* :func:`event_days` - for curated dated events (``events`` table): days per unit, year and kind on which an event
  was in force (an ongoing event counts up to its ``as_of`` date only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources.harmonise import lmc_iso3_from_gwno, lmc_pairs, pair_unit, split_pair

CLOSED_FROM_LEVEL = 2
"""C8 level from which a border counts as closed to ordinary travel: 2 = quarantine for arrivals, 3 = ban on some
regions, 4 = total closure. (A mandatory quarantine ends leisure travel as surely as a ban: China kept all arrivals
in quarantine until 2023-01-07.)"""


def _closed_by_country(c8_daily: pd.DataFrame, days: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Per LMC country, for each of ``days``: 1 closed (C8 >= :data:`CLOSED_FROM_LEVEL`), 0 open, NaN unknown.
    After a country's last coded day it counts as open if that day's level was below the threshold (the tracker
    stopped coding reopened countries)."""
    d = c8_daily[c8_daily["iso3"].isin(LMC_COUNTRIES)].dropna(subset=["c8"])
    closed: dict[str, np.ndarray] = {}
    for c in LMC_COUNTRIES:
        s = d[d["iso3"] == c].assign(date=lambda x: pd.to_datetime(x["date"])).set_index("date")["c8"].astype(float)
        s = s[~s.index.duplicated()].reindex(days)
        if s.notna().any():
            last = s.last_valid_index()
            if s[last] < CLOSED_FROM_LEVEL:
                s[s.index > last] = 0.0
        closed[c] = np.where(s.isna(), np.nan, (s >= CLOSED_FROM_LEVEL).astype(float))
    return closed


def _pair_closed(closed: dict[str, np.ndarray], pair: str) -> np.ndarray:
    """A day is closed for a pair when either side is closed; unknown when neither is closed and one is unknown."""
    a, b = split_pair(pair)
    either = np.fmax(closed[a], closed[b])
    either[np.isnan(closed[a]) | np.isnan(closed[b])] = np.nan
    return np.where((closed[a] == 1) | (closed[b] == 1), 1.0, either)


def _days(years: list[int]) -> pd.DatetimeIndex:
    return pd.date_range(f"{min(years)}-01-01", f"{max(years)}-12-31") if years else pd.DatetimeIndex([])


def covid_closure_share(c8_daily: pd.DataFrame, years: Iterable[int], *, first_year: int = 2020,
                        pairs: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of each year's days on which at least one country of the pair had C8 >= :data:`CLOSED_FROM_LEVEL`.

    ``c8_daily``: ``iso3, date, c8``. Coding rules, not estimates: years before ``first_year`` are 0 (no Covid
    controls existed); after a country's last coded day it counts as open if that day's level was below
    :data:`CLOSED_FROM_LEVEL` (it had reopened: the tracker stopped coding reopened countries), else its days are
    unknown and the year gets no row. Returns ``unit, year, value, source`` (source ``oxcgrt_legacy``).
    """
    pairs = list(pairs or lmc_pairs())
    years = sorted(set(int(y) for y in years))
    days = pd.date_range(f"{first_year}-01-01", f"{max(max(years, default=first_year), first_year)}-12-31")
    closed = _closed_by_country(c8_daily, days)
    yr = days.year.to_numpy()
    rows = []
    for p in pairs:
        either = _pair_closed(closed, p)
        for y in years:
            if y < first_year:
                rows.append((p, y, 0.0))
                continue
            sel = either[yr == y]
            if len(sel) and not np.isnan(sel).any():
                rows.append((p, y, float(sel.mean())))
    return pd.DataFrame([(*r, "oxcgrt_legacy") for r in rows], columns=["unit", "year", "value", "source"])


DISRUPTING_EVENTS: tuple[str, ...] = ("border_closure", "armed_clash")
"""Curated event kinds that interrupt travel between the two countries of a pair. (Service suspensions are
already in the rail indicators; conflict inside one country is the country-level ``armed_conflict``; ceasefires,
reopenings and disasters are not closures.)"""


def disrupted_share(c8_daily: pd.DataFrame | None, events: pd.DataFrame | None, conflicts: pd.DataFrame | None,
                    years: Iterable[int], *, covid_from: int = 2020) -> pd.DataFrame:
    """Share of each year's days on which travel between the pair was disrupted, from three sources, each day
    counted once:

    * Covid controls: either side at C8 >= :data:`CLOSED_FROM_LEVEL` (as :func:`covid_closure_share`; 0 before
      ``covid_from``);
    * curated events of :data:`DISRUPTING_EVENTS` on the pair (``events`` table; an event without end counts to its
      ``as_of`` date only);
    * UCDP/PRIO interstate conflict between the two states (``conflicts``): the whole year, since UCDP dates
      conflicts by year only.

    A year whose Covid state is unknown on some day not covered by an event or conflict gets no row (unknown, not
    open). Returns ``unit, year, value, source`` (``source`` names what contributed: ``oxcgrt_legacy``, the event ids,
    ``ucdp_acd``).
    """
    years = sorted(set(int(y) for y in years))
    days = _days(years)
    yr = days.year.to_numpy()
    closed = (_closed_by_country(c8_daily, days) if c8_daily is not None
              else {c: np.full(len(days), np.nan) for c in LMC_COUNTRIES})
    for c in closed:
        closed[c][days.year < covid_from] = 0.0
    ev_days: dict[str, np.ndarray] = {p: np.zeros(len(days), dtype=bool) for p in lmc_pairs()}
    ev_ids: dict[tuple[str, int], list[str]] = {}
    if events is not None and len(events):
        e = events[events["kind"].isin(DISRUPTING_EVENTS) & events["unit"].isin(lmc_pairs())]
        for r in e.itertuples(index=False):
            end = r.end_date if r.end_date is not None and not pd.isna(r.end_date) else r.as_of
            hit = (days >= pd.Timestamp(r.start_date)) & (days <= pd.Timestamp(end))
            ev_days[r.unit] |= hit
            for y in sorted(set(yr[hit])):
                ev_ids.setdefault((r.unit, int(y)), []).append(str(r.id))
    war: set[tuple[str, int]] = set()
    if conflicts is not None and len(conflicts):
        cp = conflict_pair_year(conflicts, years)
        war = {(u, int(y)) for u, y, i in zip(cp["unit"], cp["year"], cp["intensity"]) if i > 0}
    rows = []
    for p in lmc_pairs():
        cov = _pair_closed(closed, p)
        for y in years:
            sel = yr == y
            if (p, y) in war:
                rows.append((p, y, 1.0, "ucdp_acd"))
                continue
            day = np.where(ev_days[p][sel], 1.0, cov[sel])
            if np.isnan(day).any():
                continue
            src = ["oxcgrt_legacy"] if (cov[sel] == 1).any() else []
            src += ev_ids.get((p, y), [])
            rows.append((p, y, float(day.mean()), "; ".join(src) or "oxcgrt_legacy"))
    return pd.DataFrame(rows, columns=["unit", "year", "value", "source"])


def _located(conflicts: pd.DataFrame) -> pd.DataFrame:
    rows = [(iso, int(y), int(i), int(t)) for loc, y, i, t in zip(conflicts["gwno_loc"], conflicts["year"],
                                                                    conflicts["intensity_level"],
                                                                    conflicts["type_of_conflict"])
            for iso in lmc_iso3_from_gwno(loc)]
    return pd.DataFrame(rows, columns=["iso3", "year", "intensity", "type"])


def conflict_country_year(conflicts: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Per LMC country and year up to the last UCDP year: ``intensity`` (highest band of the conflicts located in
    the country, 0 if none), ``conflicts`` (number located there). ``conflicts`` is the ``ucdp_conflicts`` table.
    Years after the dataset's last year give no row (its absence says nothing)."""
    last = int(conflicts["year"].max()) if len(conflicts) else 0
    loc = _located(conflicts)
    g = loc.groupby(["iso3", "year"]).agg(intensity=("intensity", "max"), conflicts=("intensity", "size"))
    rows = []
    for c in LMC_COUNTRIES:
        for y in sorted(set(years)):
            if y > last:
                continue
            hit = g.loc[(c, y)] if (c, y) in g.index else None
            rows.append((c, y, float(hit["intensity"]) if hit is not None else 0.0,
                         int(hit["conflicts"]) if hit is not None else 0))
    return pd.DataFrame(rows, columns=["unit", "year", "intensity", "conflicts"])


def conflict_pair_year(conflicts: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Per LMC pair and year up to the last UCDP year: ``intensity`` of interstate conflict between the two states
    (primary sides ``gwno_a``/``gwno_b``), 0 if none (e.g. THA-KHM 2011 = 1)."""
    last = int(conflicts["year"].max()) if len(conflicts) else 0
    found: dict[tuple[str, int], float] = {}
    for a, b, y, i in zip(conflicts["gwno_a"], conflicts["gwno_b"], conflicts["year"], conflicts["intensity_level"]):
        sa, sb = lmc_iso3_from_gwno(a), lmc_iso3_from_gwno(b)
        for x in sa:
            for z in sb:
                if x != z:
                    k = (pair_unit(x, z), int(y))
                    found[k] = max(found.get(k, 0.0), float(i))
    return pd.DataFrame([(p, y, found.get((p, y), 0.0)) for p in lmc_pairs() for y in sorted(set(years)) if y <= last],
                        columns=["unit", "year", "intensity"])


def event_days(events: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Days per unit, year and kind on which at least one curated event of that kind was in force (``events``
    table: ``id, unit, kind, start_date, end_date, as_of``; overlapping events count a day once). An event without
    ``end_date`` counts to its ``as_of`` date, not beyond (what is not reported is not assumed). Returns
    ``unit, year, kind, days, events`` (``events``: the ids, comma-separated)."""
    years = set(int(y) for y in years)
    spans: dict[tuple[str, int, str], tuple[set[int], list[str]]] = {}
    for r in events.itertuples(index=False):
        start = pd.Timestamp(r.start_date)
        end = pd.Timestamp(r.end_date if r.end_date is not None and not pd.isna(r.end_date) else r.as_of)
        for day in pd.date_range(start, end):
            if day.year in years:
                days, ids = spans.setdefault((r.unit, day.year, r.kind), (set(), []))
                days.add(day.toordinal())
                if r.id not in ids:
                    ids.append(r.id)
    rows = [(u, y, k, len(days), ",".join(ids)) for (u, y, k), (days, ids) in sorted(spans.items())]
    return pd.DataFrame(rows, columns=["unit", "year", "kind", "days", "events"])
