"""Explanations and robustness (issue 13): contributions add up to the score against the median, like-for-like
comparisons leave out what only one year has, and the robustness table ranks every pair under each correction
undone and geometric aggregation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmc.sci.explain import common_arrays, contributions
from lmc.sci.framework import default_framework
from lmc.sci.score import Arrays, LevelArrays, SciSpec, aggregate, make_arrays, normalised, score_all


def _level(level, units, values, pillar_of, goalposts=None):
    k = values.shape[2]
    return LevelArrays(level, tuple(units), tuple(f"synthetic_{i}" for i in range(k)), {"linear": values},
                       ("none",) * k, np.array(goalposts or [[0, 100]] * k, dtype=float), np.ones(k, dtype=int),
                       np.ones(k), tuple(pillar_of))


def test_like_for_like_drops_an_indicator_only_one_year_has():
    """Two units, one pillar of two indicators; the second starts in 2023 (a source break). The plain change mixes
    the new source in; like for like compares the first indicator alone."""
    years = (2022, 2023)
    v = np.array([[[40.0, np.nan], [60.0, 0.0]],   # unit A: 40 -> 60, the new source scores 0
                  [[50.0, np.nan], [50.0, 100.0]]])  # unit B: unchanged, the new source scores 100
    arr = Arrays(years, ("mobility",), {"pair": _level("pair", ["CHN-LAO", "LAO-THA"], v, ["mobility"] * 2)})
    masked, dropped = common_arrays(arr, 2022, 2023)
    assert dropped["pair"] == ["synthetic_1"]
    plain = aggregate(normalised(arr.levels["pair"], "goalposts", "linear"), np.ones(2))
    same = aggregate(normalised(masked.levels["pair"], "goalposts", "linear"), np.ones(2))
    np.testing.assert_allclose(plain, [[40, 30], [50, 75]])  # A seems to fall, B to rise: the source, not change
    np.testing.assert_allclose(same, [[40, 60], [50, 50]])


def test_contributions_add_up_to_the_score_minus_the_median_unit(sci_report_build):
    """On the build: a pair's points equal its index minus the index of a pair with the median score on every
    indicator it has (computed here independently, through the scoring functions)."""
    res = sci_report_build
    fw = default_framework()
    panels = {lv: {"linear": g.drop(columns="level")} for lv, g in res.panel.groupby("level")}
    from lmc.sci.facts import default_corridor

    arrays = make_arrays(panels, fw, list(res.years), list(default_corridor().frame()["code"]), res.excluded)
    y = res.latest_year
    co = contributions(arrays, fw, y)
    pd.testing.assert_frame_equal(co.reset_index(drop=True), res.contributions.reset_index(drop=True))
    pa = arrays.levels["pair"]
    t = arrays.years.index(y)
    s = normalised(pa, "goalposts", "linear")[:, t, :]
    med = np.nanmedian(np.where(np.isnan(s).all(axis=0), 0, s), axis=0)
    nominal = score_all(arrays, SciSpec(), fw)["pair"].index[:, t]
    for i, u in enumerate(pa.units):
        ref_scores = np.where(np.isnan(s[i]), np.nan, med)[None, None, :]  # the median pair, same indicators
        from lmc.sci.score import pillar_scores

        ref = aggregate(pillar_scores(ref_scores, pa.pillar_of, arrays.pillars, pa.weights), np.ones(4))[0, 0]
        pts = co[(co["level"] == "pair") & (co["unit"] == u)]["points"].sum()
        assert pts == pytest.approx(nominal[i] - ref, abs=1e-4), u
    # a country's pillar is 2/3 the mean of its five pairs' pillars and 1/3 its own indicators (all of it when it
    # has none that year): a pair-level indicator contributes that share of the mean of its pairs' points. China
    # has no own mobility value in 2025 (departures and conflict are not carried out of the reopening year).
    c = co[co["level"] == "country"].set_index(["unit", "indicator"])["points"]
    p = co[co["level"] == "pair"].set_index(["unit", "indicator"])["points"]
    own = set(co.loc[(co["unit"] == "CHN") & (co["indicator_level"] == "country"), "pillar"])
    assert own == {"institutions", "culture", "people"}
    mine = [u for u in pa.units if "CHN" in u.split("-")]
    for ind, pillar in (("rail_travel_hours", "mobility"), ("institutional_depth", "institutions"),
                        ("contiguity", "culture"), ("flows_per_capita", "people")):
        share = 2 / 3 if pillar in own else 1.0
        assert c.loc[("CHN", ind)] == pytest.approx(share * np.mean([p.get((u, ind), 0.0) for u in mine]), abs=1e-5)
    assert set(co.loc[co["level"] == "country", "indicator_level"]) == {"pair", "country"}


def test_robustness_ranks_every_pair_under_each_correction_undone(sci_report_build):
    rb = sci_report_build.robustness
    fw = default_framework()
    assert len(rb) == 15 and rb["year"].eq(sci_report_build.latest_year).all()
    for v in [x.id for x in fw.variants] + ["geometric"]:
        assert rb[f"rank_{v}"].between(1, 15).all() and rb[f"rank_{v}"].min() == 1
    nominal = sci_report_build.scores
    latest = nominal[(nominal["level"] == "pair") & (nominal["year"] == sci_report_build.latest_year)
                     & (nominal["pillar"] == "index")].set_index("unit")["rank"]
    assert (rb.set_index("unit")["rank"] == latest.reindex(rb["unit"])).all()
    # the issue's evaluation: dividing flows by the two populations' sum pushes the China pairs down
    r = rb.set_index("unit")
    assert (r.loc[["CHN-LAO", "CHN-THA"], "rank_per_capita_sum"] >= r.loc[["CHN-LAO", "CHN-THA"], "rank"]).all()
    assert (r["lowest"] >= r["rank"]).all() and (r["highest"] <= r["rank"]).all()


def test_a_variant_swaps_indicators_and_rejects_what_is_not_an_alternative():
    fw = default_framework()
    before = fw.variant("all_undone")
    ids = {i.id for i in before.indicators_for("pair")}
    assert {"asean_both", "rcep_both", "shared_mechanisms", "flows_per_capita_sum", "covid_border_closure"} <= ids
    assert not {"institutional_depth", "disruption", "flows_per_capita"} & ids
    assert {i.id for i in fw.indicators_for("pair")} >= {"institutional_depth", "disruption"}
    from lmc.errors import ValidationError

    with pytest.raises(ValidationError, match="unknown variant"):
        fw.variant("no_such_variant")
    raw = fw.model_dump()
    raw["variants"] = [{"id": "synthetic_bad", "name": {"en": "x", "zh": "x"}, "correction": "adds a computed one",
                        "add": ["disruption"]}]
    with pytest.raises(Exception, match="is not an alternative indicator"):
        type(fw)(**raw)
