"""The front page's key series from the real warehouse: known values with their sources, derived values labelled,
border status with its date, the visa matrix from the snapshot and the dated measures, and what changed since the
previous build (``build.json``)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from lmc.reports.key_series import KeySeries, Measure, SourceRef, _visas, key_series

TODAY = dt.date(2026, 12, 4)


@pytest.fixture(scope="module")
def ks(pulled_warehouse, tmp_path_factory) -> KeySeries:
    return key_series(pulled_warehouse, out_dir=tmp_path_factory.mktemp("nobuild"), today=TODAY)


def test_chinese_arrivals_against_2019_observed_with_sources(ks):
    a = {s.destination: s for s in ks.arrivals}
    assert list(a) == ["MMR", "LAO", "THA", "KHM", "VNM"] and not ks.missing
    tha = a["THA"]  # Thailand's MOTS sheets for 2019, the Bangkok Post's official 2024 figure
    assert tha.base.value == 10_997_169 and "Ministry of Tourism and Sports" in tha.base.source.publisher
    assert (tha.latest.year, tha.latest.value) == (2024, 6_700_000) and tha.latest.source.publisher == "Bangkok Post"
    assert tha.share_of_base == pytest.approx(6_700_000 / 10_997_169)
    assert [x.year for x in tha.years if x.provisional] == [2020, 2021, 2022]  # MOTS provisional sheets, said so
    lao = a["LAO"]
    assert (lao.base.value, lao.latest.year, lao.latest.value) == (1_022_727, 2024, 1_048_034)
    assert a["VNM"].latest.year == 2025 and "VNAT" in a["VNM"].latest.source.publisher
    assert a["MMR"].latest is None and a["MMR"].share_of_base is None  # no figure after 2019: nothing invented
    assert 2021 not in {x.year for x in lao.years}  # a year without an observation stays out


def test_railway_per_year_published_first_derived_labelled(ks):
    r = {(x.series, x.year): x for x in ks.rail}
    p25 = r[("passengers", 2025)]
    assert (p25.value, p25.derived, p25.period) == (19.51, False, "2025-01-01..2025-12-31")
    p23 = r[("passengers", 2023)]  # 24.2 M (2023-12-02) - 8.5 M (2022-12-02): an operating year, derived
    assert p23.derived and p23.value == pytest.approx(15.7) and p23.period == "2022-12-03..2023-12-02"
    f24 = r[("freight", 2024)]  # the published 2024 calendar year wins over the derived operating year (19.2)
    assert (f24.value, f24.derived) == (19.6, False)
    assert r[("freight", 2023)].derived and r[("freight", 2023)].value == pytest.approx(17.9)
    assert r[("cross_border_freight", 2022)].bound == "lower"  # "more than 2 Mt"
    assert r[("cross_border_freight", 2023)].other_bases == 1  # Kunming Customs 4.2177 Mt; Yunnan's 3.78 also exists


def test_borders_with_status_date_and_source(ks):
    b = {c.id: c for c in ks.borders}
    k = b["tha_khm_land_border"]
    assert (k.status, k.since, k.as_of) == ("closed", "2025-06-23", "2025-12-13")
    assert k.source.url.startswith("https://") and "泰国" in k.note["zh"]


def test_visa_matrix_from_the_snapshot_and_the_measures(ks):
    cells = {(v.passport, v.destination): v for v in ks.visas}
    assert ks.visa_snapshot == "2025-01-12" and len(cells) == 30
    tc = cells[("THA", "CHN")]  # mutual exemption since 2024-03-01, which the snapshot already shows
    assert (tc.rule, tc.max_stay_days, tc.as_of, tc.measure) == ("visa_free", 30, "2025-01-12", "")
    assert tc.also == ("tha_chn_mutual_exemption_2024",) and "Passport Index" in tc.source.publisher
    assert (cells[("VNM", "CHN")].rule, cells[("CHN", "VNM")].rule) == ("visa_required", "e_visa")
    # Laos' tour-group exemption ended 2024-12-31: not in force today, the snapshot's visa on arrival stands
    cl = cells[("CHN", "LAO")]
    assert (cl.rule, cl.also) == ("visa_on_arrival", ())


def test_a_measure_newer_than_the_snapshot_takes_the_cell():
    req = pd.DataFrame({"snapshot_date": pd.Timestamp("2025-01-12"), "passport": ["VNM", "LAO"],
                        "destination": ["CHN", "CHN"], "openness": [1, 1], "max_stay_days": [pd.NA, pd.NA]})
    src = SourceRef("synthetic ministry", "https://example.org/synthetic")
    m = Measure("synthetic_vnm_chn", {"en": "x", "zh": "x"}, "unilateral", "VNM", "CHN", "visa_free", 30,
                "2026-06-01", "", src)
    prov = pd.DataFrame({"source": ["passport_index"], "retrieved_at": [pd.Timestamp("2026-12-01")]})
    cells, snap = _visas(req, (m,), prov, TODAY)
    by = {(c.passport, c.destination): c for c in cells}
    assert snap == "2025-01-12"
    assert (by[("VNM", "CHN")].rule, by[("VNM", "CHN")].as_of, by[("VNM", "CHN")].measure) == (
        "visa_free", "2026-06-01", "synthetic_vnm_chn")
    assert by[("LAO", "CHN")].rule == "visa_required"
    before, _ = _visas(req, (m,), prov, dt.date(2026, 5, 31))  # not yet in force: the snapshot stands
    assert {(c.passport, c.rule) for c in before} == {("VNM", "visa_required"), ("LAO", "visa_required")}


def test_what_changed_since_the_previous_build(pulled_warehouse, tmp_path):
    first = key_series(pulled_warehouse, out_dir=tmp_path, today=TODAY).change
    assert first.kind == "first" and first.newest["date"] >= "2025-12-13"  # the newest dated fact instead
    (tmp_path / "build.json").write_text(json.dumps({"built": "2026-12-04T10:00:00+00:00", "changes": {
        "since": "2026-11-30T09:00:00+00:00",
        "sources": [{"source": "border_status", "content": True, "retrieved": "2026-12-04"}], "removed": []}}))
    ch = key_series(pulled_warehouse, out_dir=tmp_path, today=TODAY).change
    assert (ch.kind, ch.since, ch.built) == ("sources", "2026-11-30", "2026-12-04")
    assert [c["source"] for c in ch.sources] == ["border_status"]


def test_the_build_records_which_sources_changed(pulled_warehouse, tmp_path):
    from lmc.reports.build import data_release

    first = data_release(pulled_warehouse, tmp_path)
    assert first["changes"] is None and "border_status" in first["sources"]
    old = {**first["sources"], "border_status": {"sha256": "0" * 16, "retrieved": "2026-01-01"}}
    (tmp_path / "build.json").write_text(json.dumps({"built": "2026-11-30T09:00:00+00:00", "sources": old}))
    again = data_release(pulled_warehouse, tmp_path)
    assert again["changes"]["since"] == "2026-11-30T09:00:00+00:00"
    assert again["changes"]["sources"] == [{"source": "border_status", "content": True,
                                            "retrieved": first["sources"]["border_status"]["retrieved"]}]


def test_every_section_as_a_table(ks):
    for section, n in (("arrivals", 20), ("rail", 12), ("borders", 7), ("visas", 30), ("measures", 7)):
        frame = ks.frame(section)
        assert len(frame) >= n and {"source_publisher", "source_url"} <= set(frame.columns), section
    assert str(ks.frame("visas")["max_stay_days"].dtype) == "Int64"
    json.dumps(ks.to_dict())  # JSON as it is
