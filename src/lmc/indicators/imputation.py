"""The imputation policy: the one place where a missing indicator cell may be filled, and how.

Why one policy: before it, values observed in 2019 were carried into 2020-2022 (Chinese arrivals in Laos shown at
~1 M in 2022, when 45,249 came), and a 2014 route network was copied into every year to 2025. A reader takes such
cells for observations. The rules below keep every filled value inside the conditions it was observed in and say,
for every cell, whether it was observed, where it came from and how old it is.

**Regimes.** Each unit's years fall into regimes that must never borrow values from one another:

* ``pre``: years before 2020 (before the Covid border closures);
* ``closing``: 2020, the year the closures began (open until February-March, closed after);
* ``closure``: from 2021 to the year before the unit reopened;
* ``reopening``: the year the unit reopened (part closed, part open);
* ``open``: the years after it.

The two transition years are regimes of their own because they are like neither neighbour: 2020 arrivals were
mostly first-quarter arrivals (Vietnam received 959,200 Chinese visitors in 2020, 83.5% fewer than in 2019, over
96% of its 2020 arrivals in the first quarter), and a reopening year is a recovery year (China reopened on 2023-01-08, but group tours to
Laos resumed only from February 2023). A transition year is therefore only ever observed, never filled.

A country reopened on the first day from which its OxCGRT C8 international travel control stayed at 1 (screening)
or 0 (no measures) to the end of the tracker (:func:`reopening_dates`): Laos 2022-05-09, China 2023-01-08. A pair
(or a directed pair) reopened when the later of its two countries did, a province when its country did. Without C8
data every unit is given the common calendar: ``closure`` to 2022, ``reopening`` 2023 (:data:`DEFAULT_REOPENING_YEAR`).

**Filling**, per unit and indicator series, inside one regime only:

* between two observations of the same regime: linear interpolation (flag ``interpolated``);
* after the last / before the first observation of the regime: the nearest observation carried for at most
  :data:`MAX_CARRY_YEARS` years (flags ``carried_forward`` / ``carried_back``); further away the cell is
  ``missing``;
* a regime without an observation stays ``missing``; so does every cell when the method is ``none``.

Every cell keeps ``flag``, ``source_years`` (its own year when observed; the year carried; ``"y0-y1"`` for an
interpolation) and ``source`` (the source of the observation(s) it came from).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources.harmonise import iso3_from_iso2, split_pair

ImputeMethod = Literal["linear", "none"]
"""``linear`` = this policy; ``none`` = nothing filled (an alternative of the uncertainty analysis)."""

FLAGS = ("observed", "interpolated", "carried_forward", "carried_back", "missing")
REGIMES = ("pre", "closing", "closure", "reopening", "open")
FIRST_CLOSURE_YEAR = 2020
MAX_CARRY_YEARS = 2
DEFAULT_REOPENING_YEAR = 2023
"""Without C8 data: closure to 2022, reopening 2023, open from 2024 (China, the last to reopen, did so on
2023-01-08)."""


@dataclass(frozen=True)
class Filled:
    """One filled series, aligned with the years given to :func:`fill_series`."""

    values: np.ndarray
    flags: list[str]
    source_years: list[str]
    sources: list[str]


def reopening_dates(c8_daily: pd.DataFrame, countries: Sequence[str] = LMC_COUNTRIES) -> dict[str, dt.date]:
    """First date from which each country's C8 (``iso3, date, c8``) stays <= 1 until its last coded day.

    A country whose last coded day is above 1 has not reopened within the data and is left out (the caller then
    uses :data:`DEFAULT_REOPENING_YEAR`). Days before 2020-03-01 are ignored (controls had not begun).
    """
    out: dict[str, dt.date] = {}
    d = c8_daily[c8_daily["iso3"].isin(countries)].dropna(subset=["c8"]).copy()
    d["date"] = pd.to_datetime(d["date"])
    d = d[d["date"] >= "2020-03-01"].sort_values("date")
    for iso, g in d.groupby("iso3"):
        above = g.loc[g["c8"].astype(float) > 1, "date"]
        if above.empty:
            out[str(iso)] = g["date"].iloc[0].date()
            continue
        later = g[g["date"] > above.iloc[-1]]
        if not later.empty:
            out[str(iso)] = later["date"].iloc[0].date()
    return out


def reopening_years(dates: Mapping[str, dt.date], countries: Sequence[str] = LMC_COUNTRIES) -> dict[str, int]:
    """Country -> reopening year (:data:`DEFAULT_REOPENING_YEAR` where no date is known)."""
    return {c: (dates[c].year if c in dates else DEFAULT_REOPENING_YEAR) for c in countries}


def unit_countries(unit: str) -> tuple[str, ...]:
    """The countries a unit belongs to: ``'LAO'``; ``'CHN-LAO'``/``'CHN>LAO'`` -> both; a province code
    (``'CN-53'``, ``'LA-VT'``, ``'TH-43'``) -> its country by the ISO 3166-1 alpha-2 prefix."""
    if len(unit) == 3 and unit.isalpha():
        return (unit,)
    if ">" in unit or (len(unit) == 7 and unit[3] == "-"):
        return split_pair(unit)
    iso3 = iso3_from_iso2(unit.split("-", 1)[0])
    return (iso3,) if iso3 else ()


def regimes_for(unit: str, years: Sequence[int], reopen: Mapping[str, int]) -> list[str]:
    """The regime of each year for ``unit`` (see the module docstring)."""
    r = max((reopen.get(c, DEFAULT_REOPENING_YEAR) for c in unit_countries(unit)), default=DEFAULT_REOPENING_YEAR)
    out = []
    for y in years:
        if y < FIRST_CLOSURE_YEAR:
            out.append("pre")
        elif y == FIRST_CLOSURE_YEAR:
            out.append("closing")
        elif y < r:
            out.append("closure")
        elif y == r:
            out.append("reopening")
        else:
            out.append("open")
    return out


def fill_series(years: Sequence[int] | np.ndarray, values: np.ndarray, regimes: Sequence[str] | None = None,
                sources: Sequence[object] | None = None, method: ImputeMethod = "linear") -> Filled:
    """Fill one series by the policy. ``values`` aligned with sorted ``years`` (NaN = missing); ``regimes`` one
    label per year (default: all one regime); ``sources`` the source of each observed value (default ``''``)."""
    years = np.asarray(years, dtype=int)
    v = np.asarray(values, dtype=float).copy()
    n = len(v)
    regimes = list(regimes) if regimes is not None else ["all"] * n
    src = ["" if s is None or (isinstance(s, float) and np.isnan(s)) else str(s)
           for s in (sources if sources is not None else [""] * n)]
    obs = ~np.isnan(v)
    flags = ["observed" if o else "missing" for o in obs]
    syears = [str(int(y)) if o else "" for y, o in zip(years, obs)]
    out_src = [src[i] if obs[i] else "" for i in range(n)]
    if method == "none" or obs.all() or not obs.any():
        return Filled(v, flags, syears, out_src)
    for regime in dict.fromkeys(regimes):
        idx = [i for i in range(n) if regimes[i] == regime]
        seen = [i for i in idx if obs[i]]
        if not seen:
            continue
        for i in idx:
            if obs[i]:
                continue
            before = [j for j in seen if j < i]
            after = [j for j in seen if j > i]
            if before and after:
                a, b = before[-1], after[0]
                v[i] = float(np.interp(years[i], [years[a], years[b]], [v[a], v[b]]))
                flags[i], syears[i] = "interpolated", f"{years[a]}-{years[b]}"
                out_src[i] = src[a] if src[a] == src[b] else "; ".join(x for x in (src[a], src[b]) if x)
                continue
            j = before[-1] if before else after[0]
            if abs(int(years[i]) - int(years[j])) > MAX_CARRY_YEARS:
                continue
            v[i] = v[j]
            flags[i] = "carried_forward" if before else "carried_back"
            syears[i], out_src[i] = str(int(years[j])), src[j]
    return Filled(v, flags, syears, out_src)


def cell_sources(source: str) -> list[str]:
    """The source ids in a panel cell's ``source`` (``"CHN>LAO: curated:pair_facts.arrivals; ..."`` lists the
    directions summed; the direction prefixes are dropped)."""
    return [re.sub(r"^[A-Z]{3}>[A-Z]{3}: ", "", part) for part in str(source).split("; ") if part]


def coverage(panel: pd.DataFrame) -> pd.DataFrame:
    """Cells per indicator by flag, the observed share, and the sources of the observed cells with the number of
    cells each contributed to (``"tourism_tha_asean_2011_2024: 30 | curated:pair_facts.arrivals: 18"``): the
    audit's imputation table."""
    t = panel.groupby(["indicator", "flag"]).size().unstack("flag", fill_value=0)
    for f in FLAGS:
        if f not in t.columns:
            t[f] = 0
    t = t[list(FLAGS)]
    t["cells"] = t.sum(axis=1)
    t["observed_share"] = t["observed"] / t["cells"]
    if "source" in panel.columns:
        obs = panel[panel["flag"] == "observed"]
        counts: dict[str, dict[str, int]] = {}
        for ind, src in zip(obs["indicator"], obs["source"]):
            for s in dict.fromkeys(cell_sources(src)):
                counts.setdefault(ind, {}).setdefault(s, 0)
                counts[ind][s] += 1
        t["sources"] = [" | ".join(f"{s}: {n}" for s, n in sorted(counts.get(i, {}).items(), key=lambda x: -x[1]))
                        for i in t.index]
    return t.reset_index()
