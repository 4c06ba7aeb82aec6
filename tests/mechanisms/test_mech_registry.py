"""Registry validation (errors name file, line, mechanism and field) and the real registry's content."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from lmc.errors import LmcError, ParseError, ValidationError
from lmc.sources.mechanisms import (
    SOURCE,
    MechanismRegistryError,
    load_registry,
    package_path,
    registry_tables,
    validate_file,
)


def _problems(write_registry, data) -> list:
    registry, problems = validate_file(write_registry(data))
    assert registry is None
    return problems


def _line(path: Path, line: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_synthetic_registry_is_valid(synthetic_registry):
    assert synthetic_registry.ids == ("syn_a", "syn_b", "syn_c", "syn_d")
    assert synthetic_registry.get("SYN_B").id == "syn_b"  # abbreviation, case-insensitive


def test_unknown_sector_names_mechanism_field_line_and_suggests(synthetic_data, write_registry):
    synthetic_data["mechanisms"][1]["sectors"][1] = "watr"
    path = write_registry(synthetic_data)
    with pytest.raises(MechanismRegistryError) as exc:
        load_registry(path)
    msg = str(exc.value)
    assert isinstance(exc.value, ValidationError) and isinstance(exc.value, LmcError)
    assert "mechanism 'syn_b'" in msg and "field 'sectors[1]'" in msg
    assert "unknown sector 'watr'" in msg and "Did you mean 'water'" in msg
    problem = exc.value.problems[0]
    assert problem.code == "unknown-sector" and str(path) in msg
    assert "watr" in _line(path, problem.line)


def test_unknown_member_code(synthetic_data, write_registry):
    synthetic_data["mechanisms"][0]["members"][1]["code"] = "LAOS"
    path = write_registry(synthetic_data)
    (p,) = _problems(write_registry, synthetic_data)
    assert (p.code, p.mechanism, p.field) == ("unknown-member", "syn_a", "members[1].code")
    assert "unknown country code 'LAOS'" in p.message and "'LAO'" in p.message
    assert "LAOS" in _line(path, p.line)


def test_subnational_code_given_as_country_hints_at_kind(synthetic_data, write_registry):
    synthetic_data["mechanisms"][2]["members"][3]["kind"] = "country"
    (p,) = _problems(write_registry, synthetic_data)
    assert p.field == "members[3].code" and "check 'kind'" in p.message


@pytest.mark.parametrize(("where", "field"), [
    (lambda m: m.__setitem__("founded", 1890), "founded"),
    (lambda m: m["members"][0].__setitem__("joined", 2150), "members[0].joined"),
    (lambda m: m["programmes"][0].__setitem__("year", 3000), "programmes[0].year"),
])
def test_out_of_range_year(synthetic_data, write_registry, where, field):
    where(synthetic_data["mechanisms"][0])
    problems = _problems(write_registry, synthetic_data)
    hits = [p for p in problems if p.code == "year-out-of-range"]
    assert len(hits) == 1
    assert hits[0].mechanism == "syn_a" and hits[0].field == field and "outside 1945.." in hits[0].message


def test_joined_before_founding_and_left_before_joined(synthetic_data, write_registry):
    synthetic_data["mechanisms"][1]["members"][3]["joined"] = 2001  # syn_b founded 2005
    synthetic_data["mechanisms"][2]["members"][2]["left"] = 2005  # JPN joined 2010
    problems = _problems(write_registry, synthetic_data)
    got = {(p.mechanism, p.field, p.code) for p in problems}
    assert got == {("syn_b", "members[3].joined", "year-order"), ("syn_c", "members[2].left", "year-order")}


def test_every_problem_is_collected(synthetic_data, write_registry):
    synthetic_data["mechanisms"][0]["sectors"].append("space")
    synthetic_data["mechanisms"][1]["partners"][0]["role"] = "sponsor"
    del synthetic_data["mechanisms"][2]["source"]
    synthetic_data["mechanisms"][3]["members_src"] = ["nope"]
    problems = _problems(write_registry, synthetic_data)
    got = {(p.mechanism, p.field, p.code) for p in problems}
    assert ("syn_a", "sectors[3]", "unknown-sector") in got
    assert ("syn_b", "partners[0].role", "unknown-role") in got
    assert ("syn_c", "source", "schema") in got
    assert ("syn_d", "members_src[0]", "unknown-reference") in got
    with pytest.raises(MechanismRegistryError, match=r"and 3 more problem"):
        load_registry(write_registry(synthetic_data))


def test_china_member_requires_chinese_name(synthetic_data, write_registry):
    del synthetic_data["mechanisms"][0]["name_zh"]
    (p,) = _problems(write_registry, synthetic_data)
    assert (p.mechanism, p.field, p.code) == ("syn_a", "name_zh", "missing-name-zh")


def test_source_needs_publisher_url_and_date(synthetic_data, write_registry):
    synthetic_data["mechanisms"][1]["source"] = {"publisher": "x", "url": "not a url", "accessed": "yesterday"}
    fields = {p.field for p in _problems(write_registry, synthetic_data)}
    assert fields == {"source.url", "source.accessed"}


def test_yaml_syntax_error_names_line(tmp_path):
    bad = tmp_path / "synthetic_broken.yaml"
    bad.write_text("schema_version: 1\nmechanisms:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"synthetic_broken.yaml:\d+:\d+: not valid YAML"):
        load_registry(bad)


def test_unknown_id_suggests(real_registry):
    with pytest.raises(ValidationError, match=r"Did you mean 'mrc'"):
        real_registry.get("mrcc")


# --- the real registry ------------------------------------------------------------------------------------------

def test_real_registry_has_the_core_mechanisms(real_registry):
    for key in ("lmc", "gms", "mrc", "musp"):
        assert real_registry.get(key).id == key
    assert real_registry.get("MUSP").name_en == "Mekong-U.S. Partnership"
    assert real_registry.get("mrc").countries() == {"KHM", "LAO", "THA", "VNM"}
    gms = real_registry.get("gms")
    assert {m.code for m in gms.members if m.kind == "subnational"} == {"CN-YN", "CN-GX"}


def test_real_registry_sources_on_every_record(real_registry):
    assert len(real_registry.mechanisms) >= 15
    for m in real_registry.mechanisms:
        assert m.source.publisher and m.source.url.startswith("http") and m.source.accessed
        assert m.members_src and m.sectors_src and m.references
        if "CHN" in m.countries():
            assert m.name_zh, m.id


def test_real_registry_matches_the_facts(real_registry, shared_dir):
    """Every mechanism and every member in ../shared/facts is in the registry (countries and subnational units)."""
    import yaml

    facts = yaml.safe_load((shared_dir / "facts" / "mechanisms.yaml").read_text(encoding="utf-8"))
    for fm in facts["mechanisms"]:
        m = real_registry.get(fm["id"])
        expected = {x["iso3"] for x in fm["members"] if "iso3" in x}
        expected |= {s for x in fm["members"] for s in x.get("subnational", [])}
        assert {x.code for x in m.members} == expected, m.id
        assert set(m.sectors) == set(fm["priority_tags"]), m.id
        assert m.founded == fm["founded"].get("year"), m.id


def test_tables_follow_their_specs(real_registry):
    tables = registry_tables(real_registry)
    for spec in SOURCE.tables:
        assert list(tables[spec.name].columns) == list(spec.columns), spec.name
        if spec.primary_key:
            assert not tables[spec.name].duplicated(list(spec.primary_key)).any(), spec.name
    members = tables["mechanism_members"]
    assert set(members["kind"]) == {"country", "subnational", "partner"}
    assert members["source_url"].str.startswith("http").all()
    assert set(members.loc[members["mechanism"] == "mrc", "member"]) >= {"KHM", "LAO", "THA", "VNM", "CHN", "MMR"}


def test_source_parse_and_discovery():
    from lmc.sources.registry import all_sources

    assert all_sources()["mechanisms"] is SOURCE
    assert SOURCE.curated and SOURCE.files[0].path.startswith("package:")
    frames = SOURCE.parse({SOURCE.files[0].path: package_path()})
    assert set(frames) == {t.name for t in SOURCE.tables}


def test_source_parse_rejects_invalid_registry(synthetic_data, write_registry):
    bad = copy.deepcopy(synthetic_data)
    bad["mechanisms"][0]["type"] = "club"
    with pytest.raises(MechanismRegistryError, match=r"mechanism 'syn_a', field 'type'"):
        SOURCE.parse({"package:curated/mechanisms.yaml": write_registry(bad)})
