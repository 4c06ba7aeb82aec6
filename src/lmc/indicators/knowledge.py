"""Knowledge bonds from OpenAlex co-authorship: the seed's "deficit of knowledge about the region", measured.

* pair: works co-authored by researchers of both countries per 100 works of the **smaller** partner (Laos published
  393 works in 2023, 36 of them with Chinese co-authors: 9.2). Dividing by the smaller output asks how much of the
  smaller research community's work involves the partner; dividing by the larger (China's 237,887) would make every
  China pair look absent.
* country: the share (%) of a country's co-authored works with the other five LMC countries in its co-authorship with
  them plus the USA, UK, France, Germany, Japan and Australia - does it work with its neighbours or with the West?

Observed for every year of the network (1990-2023); a pair absent from a year's network co-authored nothing that
year (0, an observation, when both countries have output that year).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.sources.harmonise import lmc_pairs, split_pair
from lmc.sources.openalex_coauthorship import PEERS_WEST, lmc_pair_works

SOURCE = "openalex_coauthorship"
COLUMNS = ["unit", "year", "value", "source"]


def coauthorship_intensity(pairs: pd.DataFrame, totals: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Co-authored works per 100 works of the smaller partner, per LMC pair and year.

    ``pairs``: the ``openalex_coauthorship`` table (``year, iso3_a, iso3_b, works``); ``totals``: ``openalex_works``
    (``year, iso3, works``). A year without both countries' totals gives no row.
    """
    years = set(years)
    tot = {(r.iso3, int(r.year)): float(r.works) for r in totals.itertuples(index=False)}
    pw = lmc_pair_works(pairs)
    works = {(p, int(y)): float(w) for p, y, w in zip(pw["pair"], pw["year"], pw["works"])}
    rows = []
    for p in lmc_pairs():
        a, b = split_pair(p)
        for y in sorted(years):
            ta, tb = tot.get((a, y)), tot.get((b, y))
            if ta and tb:
                rows.append((p, y, 100.0 * works.get((p, y), 0.0) / min(ta, tb), SOURCE))
    return pd.DataFrame(rows, columns=COLUMNS)


def coauthorship_lmc_share(pairs: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """Share (%) of each LMC country's co-authored works with the other five LMC countries, in its co-authorship
    with them and :data:`~lmc.sources.openalex_coauthorship.PEERS_WEST`. No row where the denominator is 0."""
    years = set(years)
    d = pairs[pairs["iso3_a"].isin(LMC_COUNTRIES) & (pairs["iso3_a"] != pairs["iso3_b"]) & pairs["year"].isin(years)]
    rows = []
    for (c, y), g in d.groupby(["iso3_a", "year"]):
        lmc = float(g.loc[g["iso3_b"].isin(LMC_COUNTRIES), "works"].sum())
        west = float(g.loc[g["iso3_b"].isin(PEERS_WEST), "works"].sum())
        if lmc + west > 0:
            rows.append((c, int(y), 100.0 * lmc / (lmc + west), SOURCE))
    return pd.DataFrame(rows, columns=COLUMNS)
