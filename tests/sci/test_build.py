"""The SCI pipeline on the warehouse pulled from the shared mirror: coverage, determinism, provenance, caching."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fixtures_warehouse import SCI_TEST_N
from lmc import LMC_COUNTRIES
from lmc.sources.harmonise import lmc_pairs
from lmc.sci.facts import default_corridor
from lmc.sci.framework import default_framework
from lmc.sci.pipeline import run
from lmc.sci.score import SciSpec, make_arrays, score_all, transform

N = SCI_TEST_N  # the CLI default (2000), as the session build


@pytest.fixture(scope="module")
def settings_factory(pulled_warehouse, tmp_path_factory):
    def make(name: str):
        home = tmp_path_factory.mktemp(name)
        return pulled_warehouse.model_copy(update={"home": home})
    return make


@pytest.fixture(scope="module")
def first(sci_report_build):
    """The session's SCI build (tests/fixtures_warehouse.py), shared with the report tests."""
    return sci_report_build


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


def test_panel_values_trace_to_the_mirror_files(first):
    """Raw panel cells equal the published figures, read by hand from ../shared/data/mirror."""
    p = first.panel[first.panel["level"] == "pair"].set_index(["indicator", "unit", "year"]).sort_index()
    # un_desa_migrant_stock/migrant_stock_2019rev_lmc_long.csv, 2019: Lao PDR-born in Thailand 934,936 and
    # Thai-born in Lao PDR 3,490 (both directions summed); Myanmar-born in Thailand 1,858,735 (no row the other way)
    assert p.loc[("migrant_stock", "LAO-THA", 2019), "raw"] == 934936 + 3490
    assert p.loc[("migrant_stock", "MMR-THA", 2019), "raw"] == 1858735
    # CEPII GeoDist: China and Laos share a border, China and Thailand do not
    assert set(p.loc[("contiguity", "CHN-LAO"), "value"]) == {1.0}
    assert set(p.loc[("contiguity", "CHN-THA"), "value"]) == {0.0}


def test_imputed_cells_are_flagged(first):
    p = first.panel
    assert set(p["flag"]) <= {"observed", "interpolated", "carried_forward", "carried_back", "missing"}
    assert p.loc[p["flag"] == "missing", "value"].isna().all()
    plain = p[~p["indicator"].isin(["tourist_arrivals", "flows_per_capita"])]  # these fill per direction
    assert plain.loc[plain["flag"] != "observed", "raw"].isna().all()
    obs = p[p["flag"] == "observed"]
    assert (obs["raw"] == obs["value"]).all()


def test_second_run_uses_the_cache(first, pulled_warehouse, monkeypatch):
    """A second run in the same home computes neither the indicators nor the uncertainty analysis again."""
    from lmc.sci import pipeline

    def must_not_run(*args, **kwargs):
        raise AssertionError("recomputed although the cache holds this step")

    monkeypatch.setattr(pipeline, "compute_step", must_not_run)
    monkeypatch.setattr(pipeline.unc, "run", must_not_run)
    again = run(pulled_warehouse.model_copy(update={"home": first.out_dir.parent}), n=N, pull=False)
    pd.testing.assert_frame_equal(again.scores, first.scores)
    pd.testing.assert_frame_equal(again.uncertainty.rank_intervals, first.uncertainty.rank_intervals)
    assert again.key == first.key
    # and a different design is a different key: the cache is keyed by its inputs
    with pytest.raises(AssertionError, match="recomputed"):
        run(pulled_warehouse.model_copy(update={"home": first.out_dir.parent}), n=N + 16, pull=False)


def test_uncertainty_has_enough_runs_and_sobol_factors(first):
    u = first.uncertainty
    assert u.runs >= N
    assert list(u.sobol["factor"]) == ["normalise", "aggregate", "weights", "per_capita", "impute"]
    ri = u.rank_intervals
    assert (ri["rank_p05"] <= ri["rank_p95"]).all()


def _engine_pair_index(arrays, framework):
    """The nominal pair index rebuilt by lmc.index.build (goalposts + arithmetic) from the same pair panel;
    ``log1p`` indicators are passed in log space with their goalposts alike (the engine's goalposts are linear)."""
    from lmc.index import build, from_frame, make_framework, make_spec

    la = arrays.levels["pair"]
    records = [{"code": "SCI", "name": "SCI", "parent": None}]
    records += [{"code": p, "name": framework.pillar(p).name.en, "parent": "SCI", "weight": framework.pillar(p).weight}
                for p in arrays.pillars if p in la.pillar_of]
    for k, ind in enumerate(la.indicators):
        lo, hi = transform(np.asarray(la.goalposts[k], dtype=float), la.transforms[k])
        records.append({"code": ind, "name": ind, "parent": la.pillar_of[k], "weight": float(la.weights[k]),
                        "direction": int(la.directions[k]), "goalposts": (float(lo), float(hi))})
    fw = make_framework(records, name="SCI pair level")
    cube = la.values["linear"]
    rows = [{"uCode": u, "Time": int(y), **{ind: float(transform(cube[i, t, k], la.transforms[k]))
                                            for k, ind in enumerate(la.indicators)}}
            for i, u in enumerate(la.units) for t, y in enumerate(arrays.years)]
    data = from_frame(pd.DataFrame(rows), fw, source="SCI pair panel")
    res = build(make_spec(fw, {"normalise": {"method": "goalposts"}, "aggregate": {"method": "arithmetic"}}), data)
    return res.score()


def test_nominal_pair_index_matches_the_shared_index_engine(first):
    """lmc.index.build (goalposts + arithmetic) rebuilds the SCI's nominal pair index to rounding: the SCI's
    orchestration (log1p, pooled goalposts, pillar tree, missing values skipped) composes the engine faithfully."""
    fw = default_framework()
    panels = {lv: {"linear": g.drop(columns="level")} for lv, g in first.panel.groupby("level")}
    provinces = list(default_corridor().frame()["code"])
    arrays = make_arrays(panels, fw, list(first.years), provinces, first.excluded)
    ours = score_all(arrays, SciSpec(), fw)["pair"]
    eng = _engine_pair_index(arrays, fw)
    assert len(eng) == 15 * len(first.years)
    diffs = [abs(ours.index[i, t] - eng.loc[(u, int(y))]) for i, u in enumerate(ours.units)
             for t, y in enumerate(first.years)]
    assert max(diffs) < 1e-9
    # and the nominal index is the one the build wrote (scores are rounded to 6 decimals there)
    idx = first.scores[(first.scores["level"] == "pair") & (first.scores["pillar"] == "index")]
    got = {(r.unit, r.year): r.score for r in idx.itertuples()}
    assert max(abs(got[(u, int(y))] - ours.index[i, t]) for i, u in enumerate(ours.units)
               for t, y in enumerate(first.years)) <= 5e-7


# ---------------------------------------------------------------------------------------------------- issue 12
def _cells(first, indicator, unit):
    p = first.panel
    return p[(p["indicator"] == indicator) & (p["unit"] == unit)].set_index("year")


def test_air_connectivity_is_observed_after_the_pandemic_not_copied_from_2014(first):
    air = _cells(first, "air_route_share", "CHN-LAO")
    assert air.loc[2025, "flag"] == "observed" and air.loc[2025, "source"] == "vrs_routes"
    assert air.loc[2016, "flag"] == "carried_forward" and air.loc[2016, "source_years"] == "2014"
    assert air.loc[2019, "flag"] == "missing"  # five years after the 2014 network: not carried
    assert air.loc[2025, "value"] != air.loc[2016, "value"]
    assert {y: air.loc[y, "flag"] for y in (2020, 2021, 2022)} == {2020: "missing", 2021: "missing", 2022: "missing"}
    fw = default_framework().indicator("air_route_share")
    assert [b.year for b in fw.breaks] == [2023]


def test_coauthorship_observed_in_at_least_90_percent_of_pair_years_to_2023(first):
    p = first.panel
    c = p[(p["indicator"] == "coauthorship_intensity") & (p["year"] <= 2023)]
    assert len(c) == 15 * (2023 - 2015 + 1) and (c["flag"] == "observed").mean() >= 0.9
    # Laos 2023: 36 co-authored works with China of 393 Lao works
    assert _cells(first, "coauthorship_intensity", "CHN-LAO").loc[2023, "raw"] == pytest.approx(100 * 36 / 393)


def test_china_laos_arrivals_2022_are_observed_and_far_below_2019(first):
    a = _cells(first, "tourist_arrivals", "CHN-LAO")
    assert a.loc[2022, "flag"] == "observed"  # never carried (the issue allows missing; the figure was found)
    assert a.loc[2022, "value"] < 0.3 * a.loc[2019, "value"]
    assert a.loc[2022, "value"] == 45249 and a.loc[2019, "value"] == 1022727  # Lao tourism statistics


def test_china_laos_closure_2022_is_at_least_2021(first):
    c = _cells(first, "disruption", "CHN-LAO")
    assert c.loc[2022, "value"] >= c.loc[2021, "value"] == 1.0
    assert c.loc[2022, "flag"] == "observed" and c.loc[2022, "source"] == "oxcgrt_legacy"


def test_filled_cells_never_cross_a_regime_nor_carry_more_than_two_years(first):
    from lmc.indicators.imputation import regimes_for

    reopen = {c: int(d[:4]) for c, d in first.reopening.items()}
    assert first.reopening["CHN"] == "2023-01-08" and first.reopening["LAO"] == "2022-05-09"
    p = first.panel
    filled = p[p["flag"].isin(["interpolated", "carried_forward", "carried_back"])
               & ~p["indicator"].isin(["tourist_arrivals", "flows_per_capita"])]  # these list years per direction
    assert len(filled) > 0
    for r in filled.itertuples():
        years = [int(y) for y in str(r.source_years).split("-")]
        if r.flag != "interpolated":
            assert abs(r.year - years[0]) <= 2, r
        span = list(range(min(years + [r.year]), max(years + [r.year]) + 1))
        assert len(set(regimes_for(r.unit, span, reopen))) == 1, r
    assert (filled["source"].str.len() > 0).all()


def test_coverage_names_the_sources_of_observed_cells(first):
    cov = first.audit["coverage"].set_index(["level", "indicator"])
    assert "tourism_tha_asean_2011_2024" in cov.loc[("pair", "tourist_arrivals"), "sources"]
    assert cov.loc[("pair", "air_route_share"), "sources"].startswith("vrs_routes")
