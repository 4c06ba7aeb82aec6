"""The SCI pipeline on the warehouse pulled from the shared mirror: coverage, determinism, provenance, caching."""

from __future__ import annotations

import pandas as pd
import pytest

from lmc import LMC_COUNTRIES
from lmc.sources.harmonise import lmc_pairs
from lmc.sci.framework import default_framework
from lmc.sci.pipeline import run

N = 64  # small uncertainty design for tests; the CLI default is 2000


@pytest.fixture(scope="module")
def settings_factory(pulled_warehouse, tmp_path_factory):
    def make(name: str):
        home = tmp_path_factory.mktemp(name)
        return pulled_warehouse.model_copy(update={"home": home})
    return make


@pytest.fixture(scope="module")
def first(settings_factory):
    return run(settings_factory("sci_a"), n=N, pull=False)


def test_scores_cover_6_countries_and_15_pairs_every_year_from_2015(first):
    s = first.scores
    assert list(s.columns) == ["level", "unit", "year", "pillar", "score", "rank"]
    years = list(range(2015, first.latest_year + 1))
    assert first.latest_year >= 2023
    idx = s[s["pillar"] == "index"]
    for y in years:
        assert set(idx[(idx["level"] == "country") & (idx["year"] == y)]["unit"]) == set(LMC_COUNTRIES)
        assert set(idx[(idx["level"] == "pair") & (idx["year"] == y)]["unit"]) == set(lmc_pairs())
    assert s["score"].between(0, 100).all()
    ranks = idx[(idx["level"] == "pair") & (idx["year"] == first.latest_year)]["rank"]
    assert ranks.min() == 1 and ranks.max() <= 15


def test_two_builds_give_identical_scores(first, settings_factory):
    second = run(settings_factory("sci_b"), n=N, pull=False)  # separate home: nothing shared through the cache
    pd.testing.assert_frame_equal(first.scores, second.scores)
    pd.testing.assert_frame_equal(first.uncertainty.rank_intervals, second.uncertainty.rank_intervals)
    assert first.key == second.key


def test_no_indicator_lacks_provenance(first):
    fw = default_framework()
    used = set(first.panel["indicator"])
    for ind_id in used:
        ind = fw.indicator(ind_id)
        assert ind.source and ind.source_note and ind.status == "computed"
    # every warehouse-backed indicator used is traced to a declared source with a licence
    src = first.sources
    assert (src["licence"].astype(str).str.len() > 0).all()
    assert (src["url"].astype(str).str.len() > 5).all()  # a URL, or the package file of curated data
    for ind_id in used:
        ind = fw.indicator(ind_id)
        if ind.source.startswith("curated:"):
            continue
        if ind.source.startswith("lmc."):
            continue
        assert src["used_for"].str.contains(ind_id).any() or ind_id in first.unavailable, ind_id


def test_imputed_cells_are_flagged(first):
    p = first.panel
    assert set(p["flag"]) <= {"observed", "interpolated", "carried_forward", "carried_back", "missing"}
    assert p.loc[p["flag"] == "missing", "value"].isna().all()
    plain = p[~p["indicator"].isin(["tourist_arrivals", "flows_per_capita"])]  # these fill per direction
    assert plain.loc[plain["flag"] != "observed", "raw"].isna().all()
    obs = p[p["flag"] == "observed"]
    assert (obs["raw"] == obs["value"]).all()


def test_second_run_uses_the_cache(settings_factory):
    s = settings_factory("sci_cache")
    a = run(s, n=N, pull=False)
    b = run(s, n=N, pull=False)
    assert b.timings["indicators"] < a.timings["indicators"]
    pd.testing.assert_frame_equal(a.scores, b.scores)


def test_uncertainty_has_enough_runs_and_sobol_factors(first):
    u = first.uncertainty
    assert u.runs >= N
    assert list(u.sobol["factor"]) == ["normalise", "aggregate", "weights", "per_capita", "impute"]
    ri = u.rank_intervals
    assert (ri["rank_p05"] <= ri["rank_p95"]).all()


def test_nominal_pair_index_matches_the_shared_index_engine(first):
    """lmc.index.build (goalposts + arithmetic) rebuilds the nominal pair index to rounding."""
    cc = first.audit["engine_crosscheck"].iloc[0]
    assert cc["compared"] == 15 * len(first.years), cc["note"]
    assert cc["max_abs_diff"] < 1e-9
