"""The curated border crossings and visa measures: sourced, dated, consistent with the other curated facts, and
loaded into the warehouse; a wrong record is named by file, line and field."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from lmc.errors import ValidationError
from lmc.sources.border_status import T_CROSSINGS, T_MEASURES, _load, _parse, package_paths


@pytest.fixture(scope="module")
def tables():
    return _parse(package_paths())


def test_main_crossings_with_status_date_and_source(tables):
    c = tables[T_CROSSINGS.name].set_index("id")
    assert {"tha_khm_land_border", "mohan_boten", "nong_khai_thanaleng", "ruili_muse", "hekou_lao_cai",
            "youyiguan_huu_nghi"} <= set(c.index)
    assert set(c["status"]) <= {"open", "restricted", "closed"}
    # Thailand closed the whole land border with Cambodia on 2025-06-23; Cambodia suspended all crossings 2025-12-13
    k = c.loc["tha_khm_land_border"]
    assert (k["status"], k["since"], str(k["as_of"])[:10], k["unit"]) == ("closed", "2025-06-23", "2025-12-13",
                                                                          "THA-KHM")
    assert c.loc["mohan_boten", "status"] == "open" and c.loc["ruili_muse", "status"] == "restricted"
    assert c["source_url"].str.match(r"^https?://").all() and c["note_zh"].str.len().gt(10).all()
    assert (c["as_of"].map(lambda v: v.date() if hasattr(v, "date") else v) <= dt.date.today()).all()


def test_every_event_a_crossing_names_is_in_the_events_file(tables):
    from lmc.sources.curated import package_paths as curated_paths

    events = yaml.safe_load(next(p for k, p in curated_paths().items() if k.endswith("events.yaml"))
                            .read_text(encoding="utf-8"))["events"]
    ids = {e["id"] for e in events}
    named = {e for v in tables[T_CROSSINGS.name]["events"].dropna() for e in v.split()}
    assert named and named <= ids, named - ids


def test_visa_measures_agree_with_the_pair_facts(tables):
    """The bilateral agreements the SCI codes (pair_facts.yaml) appear as measures in both directions, same date."""
    from lmc.sci.facts import default_pair_facts

    m = tables[T_MEASURES.name]
    bilateral = m[m["kind"] == "bilateral_agreement"]
    visa = [a for a in default_pair_facts().agreements if a.kind == "visa"]
    assert visa  # the China-Thailand mutual exemption at least
    for a in visa:
        for p, d in ((x, y) for x in a.parties for y in a.parties if x != y):
            row = bilateral[(bilateral["passport"] == p) & (bilateral["destination"] == d)]
            assert len(row) == 1 and row["in_force"].iloc[0] == a.in_force, (p, d)
    thai = m[m["id"] == "tha_60_day_exemption_2024"]  # one measure, four passports -> four rows
    assert sorted(thai["passport"]) == ["CHN", "KHM", "LAO", "VNM"] and set(thai["max_stay_days"]) == {60}


def test_a_wrong_record_is_named_by_file_line_and_field(tmp_path):
    raw = yaml.safe_load(package_paths()[next(iter(package_paths()))].read_text(encoding="utf-8"))
    raw["crossings"][1]["status"] = "half-open"
    raw["visa_measures"][0]["until"] = dt.date(2020, 1, 1)
    p = tmp_path / "border_status.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValidationError) as e:
        _load(p)
    assert "border_status.yaml:" in str(e.value) and "crossings.1.status" in str(e.value)
    raw["crossings"][1]["status"] = "open"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"visa_measures\.0\.until: 2020-01-01 is before in_force"):
        _load(p)


def test_loaded_into_the_warehouse_with_provenance(pulled_warehouse):
    from lmc.warehouse.db import read_table

    prov = read_table("provenance", pulled_warehouse)
    assert (prov["source"] == "border_status").sum() == 1
    assert len(read_table("border_crossings", pulled_warehouse)) == 7
    assert len(read_table("visa_measures", pulled_warehouse)) == 7
