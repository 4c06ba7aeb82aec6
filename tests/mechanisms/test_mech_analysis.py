"""Analyses on the synthetic registry, checked against values computed by hand (see conftest's table), and
consistency checks on the real registry (vectorised results against direct loops over the registry objects)."""

from __future__ import annotations

import math
from itertools import combinations

import duckdb
import pandas as pd
import pytest

from lmc import LMC_COUNTRIES
from lmc.mechanisms import (
    as_frames,
    congestion,
    coordination_candidates,
    jaccard_matrix,
    lmc_pairs,
    mechanism_network,
    membership_overlap,
    sector_overlap,
    shared_mechanisms_by_pair_year,
    timeline,
)

# Hand-computed Jaccard of current country members (syn_c: JPN left 2015, CN-YN is subnational):
# A={CHN,LAO,THA} B={LAO,THA,KHM,VNM} C={LAO,USA} D={CHN,LAO,THA,MMR}
MEMBER_JACCARD = {("syn_a", "syn_b"): 2 / 5, ("syn_a", "syn_c"): 1 / 4, ("syn_a", "syn_d"): 3 / 4,
                  ("syn_b", "syn_c"): 1 / 5, ("syn_b", "syn_d"): 2 / 6, ("syn_c", "syn_d"): 1 / 5}
# Sectors: A={water,trade,tourism} B={water,trade,energy} C={trade,energy} D={water,tourism}
SECTOR_JACCARD = {("syn_a", "syn_b"): 2 / 4, ("syn_a", "syn_c"): 1 / 4, ("syn_a", "syn_d"): 2 / 3,
                  ("syn_b", "syn_c"): 2 / 3, ("syn_b", "syn_d"): 1 / 4, ("syn_c", "syn_d"): 0.0}


def test_jaccard_kernel_edge_cases():
    jac, inter = jaccard_matrix({"x": frozenset(), "y": frozenset(), "z": frozenset({"a"})})
    assert math.isnan(jac.loc["x", "y"]) and jac.loc["x", "z"] == 0 and jac.loc["z", "z"] == 1
    assert inter.loc["z", "z"] == 1


@pytest.mark.parametrize(("fn", "expected"), [(membership_overlap, MEMBER_JACCARD),
                                              (sector_overlap, SECTOR_JACCARD)])
def test_overlap_matches_hand_values(synthetic_registry, fn, expected):
    res = fn(synthetic_registry)
    m = res.matrix
    assert list(m.index) == list(m.columns) == ["syn_a", "syn_b", "syn_c", "syn_d"]
    for (a, b), v in expected.items():
        assert m.loc[a, b] == pytest.approx(v, abs=1e-15) and m.loc[b, a] == m.loc[a, b]
    assert all(m.loc[i, i] == 1 for i in m.index)
    frame = res.to_frame()
    assert list(frame.columns) == ["mechanism", "syn_a", "syn_b", "syn_c", "syn_d"]


def test_overlap_can_include_subnational_members(synthetic_registry):
    res = membership_overlap(synthetic_registry, kinds=("country", "subnational"))
    assert res.sizes["syn_c"] == 3  # LAO, USA, CN-YN
    assert res.matrix.loc["syn_a", "syn_c"] == pytest.approx(1 / 5)


def test_real_registry_mrc_lmc_is_four_sixths(real_registry):
    m = membership_overlap(real_registry).matrix
    assert m.loc["mrc", "lmc"] == pytest.approx(4 / 6, abs=1e-15)
    assert m.loc["lmc", "gms"] == pytest.approx(1.0)  # GMS: the six countries (China through Yunnan and Guangxi)
    # consistency with a direct computation for every pair
    for a, b in combinations(real_registry.mechanisms, 2):
        sa, sb = a.countries(), b.countries()
        assert m.loc[a.id, b.id] == pytest.approx(len(sa & sb) / len(sa | sb)), (a.id, b.id)


def test_congestion_counts_active_members_only(synthetic_registry):
    res = congestion(synthetic_registry)
    mat = res.matrix
    assert list(mat.index) == list(LMC_COUNTRIES)
    assert mat.loc["LAO", "trade"] == 3 and mat.loc["LAO", "water"] == 2 and mat.loc["LAO", "energy"] == 2
    assert mat.loc["THA", "water"] == 2 and mat.loc["THA", "tourism"] == 1
    assert mat.loc["CHN", "water"] == 1 and mat.loc["VNM", "energy"] == 1
    assert mat.loc["MMR"].sum() == 0  # only in the dormant syn_d
    assert mat.to_numpy().sum() == 3 + (2 + 3 + 1 + 2) + (2 + 2 + 1 + 1) + 3 + 3  # CHN LAO THA KHM VNM
    with_dormant = congestion(synthetic_registry, include_dormant=True).matrix
    assert with_dormant.loc["MMR", "water"] == 1 and with_dormant.loc["LAO", "water"] == 3


def test_congestion_unknown_country_is_a_clear_error(synthetic_registry):
    from lmc.errors import ValidationError

    with pytest.raises(ValidationError, match=r"unknown country 'LAOS'.*Did you mean 'LAO'"):
        congestion(synthetic_registry, ["LAOS"])


def test_coordination_candidates(synthetic_registry):
    res = coordination_candidates(synthetic_registry)
    assert res.to_frame()[["country", "sector", "n_mechanisms"]].values.tolist() == [["LAO", "trade", 3]]
    assert res.table.loc[0, "mechanisms"] == "syn_a syn_b syn_c"
    assert res.programmes["programme"].tolist() == ["Synthetic trade window"]
    two = coordination_candidates(synthetic_registry, threshold=2).table
    cells = set(map(tuple, two[["country", "sector"]].values.tolist()))
    assert cells == {("LAO", "trade"), ("LAO", "water"), ("LAO", "energy"), ("THA", "water"), ("THA", "trade")}
    assert two.iloc[0]["n_mechanisms"] == 3  # most crowded first


def test_pairs_by_year_hand_values(synthetic_registry):
    df = shared_mechanisms_by_pair_year(synthetic_registry, range(1994, 2017))
    assert list(df.columns) == ["pair", "year", "shared"]
    assert len(df) == 15 * 23 and list(pd.unique(df["pair"])) == lmc_pairs()
    got = df.set_index(["pair", "year"])["shared"]
    assert got["CHN-LAO", 1994] == 0 and got["CHN-LAO", 1995] == 1  # syn_d from its founding (joined unknown)
    assert got["CHN-LAO", 2000] == 2 and got["CHN-LAO", 2012] == 2 and got["CHN-LAO", 2013] == 1  # syn_d dormant
    assert got["LAO-THA", 2005] == 3 and got["LAO-THA", 2013] == 2
    assert got["LAO-VNM", 2009] == 0 and got["LAO-VNM", 2010] == 1  # VNM joined syn_b in 2010
    assert got["MMR-LAO", 2012] == 1 and got["MMR-LAO", 2013] == 0
    assert got["KHM-VNM", 2016] == 1 and got["CHN-VNM", 2016] == 0


def test_pair_codes_follow_the_fixed_order():
    pairs = lmc_pairs()
    assert len(pairs) == 15 and pairs[0] == "CHN-MMR" and "MMR-LAO" in pairs and "LAO-MMR" not in pairs
    assert pairs[-1] == "KHM-VNM"


def test_real_pairs_match_a_direct_loop(real_registry):
    years = [1990, 2000, 2010, 2016, 2022, 2025]
    df = shared_mechanisms_by_pair_year(real_registry, years).set_index(["pair", "year"])["shared"]

    def member(m, code, y):
        if m.founded is None or y < m.founded:
            return False
        if m.status == "dormant" and y > m.last_activity:
            return False
        return any(x.code == code and x.kind == "country" and (x.joined or m.founded) <= y
                   and (x.left is None or y < x.left) for x in m.members)

    for pair in lmc_pairs():
        a, b = pair.split("-")
        for y in years:
            n = sum(member(m, a, y) and member(m, b, y) for m in real_registry.mechanisms)
            assert df[pair, y] == n, (pair, y)


def test_analyses_agree_on_warehouse_tables(real_registry, tmp_path):
    """Load the source into a throw-away DuckDB and run the analyses on the tables read back."""
    from lmc.sources.mechanisms import SOURCE
    from lmc.warehouse.ingest import ingest

    con = duckdb.connect(str(tmp_path / "synthetic_wh.duckdb"))
    ingest(con, SOURCE)
    tables = {n: con.execute(f"SELECT * FROM {n}").df() for n in
              ("mechanisms", "mechanism_members", "mechanism_sectors", "mechanism_programmes")}
    con.close()
    years = range(2010, 2026)
    pd.testing.assert_frame_equal(shared_mechanisms_by_pair_year(tables, years),
                                  shared_mechanisms_by_pair_year(real_registry, years))
    pd.testing.assert_frame_equal(membership_overlap(tables).matrix, membership_overlap(real_registry).matrix)
    assert as_frames(tables).mechanisms["mechanism"].tolist() == list(real_registry.ids)


def test_timeline(synthetic_registry):
    res = timeline(synthetic_registry)
    f = res.to_frame()
    assert f["mechanism"].tolist() == ["syn_d", "syn_a", "syn_b", "syn_c"]
    assert f["year"].tolist() == [1995, 2000, 2005, 2010] and f["cumulative"].tolist() == [1, 2, 3, 4]
    ev = res.events
    assert set(ev.loc[ev["event"] == "joined", "detail"]) == {"VNM joins SYN_B", "CN-YN joins SYN_C"}
    assert ev.loc[ev["event"] == "left", "year"].tolist() == [2015]
    assert ev.loc[ev["event"] == "last activity", "year"].tolist() == [2012]
    assert ev["year"].is_monotonic_increasing


def test_timeline_real_registry_lists_undated(real_registry):
    res = timeline(real_registry)
    assert res.undated == tuple(m.id for m in real_registry.mechanisms if m.founded is None)
    assert res.to_frame()["year"].is_monotonic_increasing
    assert res.to_frame()["cumulative"].iloc[-1] == len(real_registry.mechanisms) - len(res.undated)


def test_network_degrees_and_centralities(synthetic_registry):
    res = mechanism_network(synthetic_registry)
    nodes = res.to_frame().set_index("node")
    # countries: LAO in all four, THA in three, CHN two; JPN left syn_c so it is not a node
    assert nodes.loc["LAO", "degree"] == 4 and nodes.loc["THA", "degree"] == 3 and nodes.loc["CHN", "degree"] == 2
    assert "JPN" not in nodes.index and "CN-YN" not in nodes.index
    assert nodes.loc["syn_b", "degree"] == 4 and nodes.loc["syn_c", "degree"] == 2
    assert nodes.loc["LAO", "degree_centrality"] == pytest.approx(1.0)  # 4 of 4 mechanisms
    assert nodes.loc["syn_b", "degree_centrality"] == pytest.approx(4 / 7)  # 4 of 7 countries (CHN LAO THA KHM VNM USA MMR)
    assert nodes.loc["LAO", "betweenness"] == nodes.loc[nodes["kind"] == "country", "betweenness"].max()
    assert ((nodes[["degree_centrality", "betweenness", "closeness"]] >= 0)
            & (nodes[["degree_centrality", "betweenness", "closeness"]] <= 1)).all().all()
    assert len(res.edges) == nodes.loc[nodes["kind"] == "mechanism", "degree"].sum()


def test_result_objects_serialise(real_registry):
    import json

    n = len(real_registry.mechanisms)
    overlap = json.loads(json.dumps(membership_overlap(real_registry).to_dict()))
    assert overlap["mechanisms"] == list(real_registry.ids) and len(overlap["jaccard"]) == n
    assert membership_overlap(real_registry).to_frame().shape == (n, n + 1)
    cong = congestion(real_registry)
    cells = json.loads(json.dumps(cong.to_dict()))["cells"]
    assert cong.to_frame()["country"].tolist() == list(LMC_COUNTRIES)
    wide = cong.to_frame().set_index("country")
    assert all(wide.loc[c["country"], c["sector"]] == c["n_mechanisms"] == len(c["mechanisms"].split())
               for c in cells)
    cand = coordination_candidates(real_registry)
    assert len(json.loads(json.dumps(cand.to_dict()))["candidates"]) == len(cand.to_frame()) > 0
    assert (cand.to_frame()["n_mechanisms"] >= 3).all()
    tl = timeline(real_registry)
    assert len(json.loads(json.dumps(tl.to_dict()))["founding"]) == len(tl.to_frame()) == n - len(tl.undated)
    net = mechanism_network(real_registry)
    d = json.loads(json.dumps(net.to_dict()))
    assert len(d["nodes"]) == len(net.to_frame()) and len(d["edges"]) == len(net.edges)
    assert {x["node"] for x in d["nodes"]} >= set(real_registry.ids) | set(LMC_COUNTRIES)
