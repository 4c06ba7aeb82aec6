"""The framework and the curated facts validate, and a broken file fails with the file and field named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lmc import LMC_COUNTRIES
from lmc.errors import ValidationError
from lmc.sci.facts import load_corridor_provinces, load_pair_facts
from lmc.sci.framework import data_path, load_framework


def test_framework_has_four_pillars_and_every_indicator_documented():
    fw = load_framework()
    assert fw.pillar_ids() == ["mobility", "institutions", "culture", "people"]
    assert fw.countries == LMC_COUNTRIES
    for ind in fw.indicators:
        assert ind.rationale and ind.source and ind.source_note and ind.unit and ind.coverage, ind.id
        assert ind.direction in (1, -1)
        assert ind.goalposts[0] < ind.goalposts[1]
    levels = {i.level for i in fw.indicators}
    assert levels == {"pair", "country", "province"}
    # the methodology must say what open data cannot support
    assert any(i.status == "not_supported" for i in fw.indicators)


def _write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "framework.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_unknown_pillar_is_named_with_a_suggestion(tmp_path):
    raw = yaml.safe_load(data_path("framework.yaml").read_text(encoding="utf-8"))
    raw["indicators"][0]["pillar"] = "mobilty"
    with pytest.raises(ValidationError, match="mobility"):
        load_framework(_write(tmp_path, raw))


def test_missing_rationale_names_the_indicator(tmp_path):
    raw = yaml.safe_load(data_path("framework.yaml").read_text(encoding="utf-8"))
    del raw["indicators"][2]["rationale"]
    with pytest.raises(ValidationError) as exc:
        load_framework(_write(tmp_path, raw))
    assert "rationale" in str(exc.value) and raw["indicators"][2]["id"] in str(exc.value)


def test_reversed_goalposts_rejected(tmp_path):
    raw = yaml.safe_load(data_path("framework.yaml").read_text(encoding="utf-8"))
    raw["indicators"][0]["goalposts"] = [10, 0]
    with pytest.raises(ValidationError, match="goalposts"):
        load_framework(_write(tmp_path, raw))


def test_every_curated_record_has_a_source():
    pf = load_pair_facts()
    for group in (pf.links, pf.timetables, pf.asean, pf.rcep, pf.agreements, pf.arrivals):
        for rec in group:
            assert rec.source.url.startswith("http") and rec.source.publisher, rec
    assert pf.religion.source.url.startswith("http")
    cp = load_corridor_provinces()
    assert all(p.source.url.startswith("http") for p in cp.provinces)


def test_a_record_without_source_fails(tmp_path):
    raw = yaml.safe_load(data_path("pair_facts.yaml").read_text(encoding="utf-8"))
    del raw["links"][0]["source"]
    p = tmp_path / "pair_facts.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"links\.0\.source"):
        load_pair_facts(p)


def test_non_canonical_pair_rejected(tmp_path):
    raw = yaml.safe_load(data_path("pair_facts.yaml").read_text(encoding="utf-8"))
    raw["links"][0]["pair"] = "LAO-CHN"
    p = tmp_path / "pair_facts.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError, match="canonical"):
        load_pair_facts(p)


def test_agreements_involving_china_bind_the_pairs_their_sources_say():
    """ACFTA binds China to each ASEAN member (hub), not the ASEAN members to each other (AFTA counts with ASEAN);
    the 2000 navigation agreement binds the four upstream countries pairwise; dates as in the sources."""
    pf = load_pair_facts()
    a = {x.id: x for x in pf.agreements}
    assert a["acfta"].in_force.isoformat() == "2010-01-01" and a["acfta"].pairs() == [
        "CHN-MMR", "CHN-LAO", "CHN-THA", "CHN-KHM", "CHN-VNM"]
    assert a["lancang_mekong_navigation"].in_force.isoformat() == "2000-04-20"
    assert a["lancang_mekong_navigation"].pairs() == ["CHN-MMR", "CHN-LAO", "CHN-THA", "MMR-LAO", "MMR-THA", "LAO-THA"]
    assert a["china_cambodia_fta"].in_force.isoformat() == "2022-01-01"
    assert a["china_cambodia_fta"].pairs() == ["CHN-KHM"]
    assert a["china_thailand_visa_exemption"].in_force.isoformat() == "2024-03-01"
    assert a["mekong_joint_patrols"].in_force.year == 2011 and a["acfta_upgrade"].in_force.year == 2019
    frame = pf.agreements_frame()
    assert set(frame["kind"]) == {"fta", "fta_upgrade", "navigation", "security", "visa"}


def test_mechanism_depth_covers_the_registry_and_weighs_mekong_x_zero(tmp_path):
    from lmc.sci.facts import load_mechanism_depth
    from lmc.sources.mechanisms import load_registry

    depth = load_mechanism_depth()
    reg_ids = [m.id for m in load_registry().mechanisms]
    depth.check_covers(reg_ids)  # every mechanism of the registry is assessed
    r = {x.id: x for x in depth.mechanisms}
    assert r["asean"].weight(2015) == 1.0 and r["mrc"].weight(2015) == 1.0  # secretariat, fund, binding rules
    assert r["lmc"].weight(2015) == 0.25 and r["lmc"].weight(2016) == 0.5  # the LMC Special Fund from 2016
    assert r["lmtcca"].weight(2025) == 0.25 and r["bimstec"].weight(2023) == 0.75 and r["bimstec"].weight(2024) == 1
    mekong_x = {x.id for x in depth.mechanisms if x.mekong_x}
    assert mekong_x == {"musp", "friends_of_mekong", "mekong_japan", "mekong_rok", "mgc", "map", "eu_mekong"}
    assert all(r[m].weight(2025) == 0 for m in mekong_x)
    assert list(depth.excluded_members().itertuples(index=False, name=None)) == [("rcep", "MMR")]
    with pytest.raises(ValidationError, match="no depth record for mechanism.*synthetic_new"):
        depth.check_covers([*reg_ids, "synthetic_new"])
