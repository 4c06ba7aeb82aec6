"""The face-validity suite (issue 13): every shipped statement holds on the shipped data, a statement that fails
stops `lmc build` with exit code 2 (nothing written), and --allow-invalid writes the outputs and the report says
which statements failed. Statement files are validated with file, line and field named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fixtures_warehouse import SCI_TEST_N
from lmc.errors import ValidationError
from lmc.sci import validity as val
from lmc.sci.framework import default_framework

EXAMPLES = ("covid_2020_every_pair", "china_closed_2022", "china_laos_railway_2024", "laos_thailand_rail_every_year")


@pytest.fixture(scope="module")
def built(sci_report_build):
    return sci_report_build


def test_at_least_12_sourced_statements_all_hold_on_the_shipped_data(built):
    v = built.validity
    assert v.total >= 12 and v.ok, v.table.loc[~v.table["pass"], ["id", "observed"]]
    assert v.summary() == f"{v.total} of {v.total} known facts reproduced"
    csv = pd.read_csv(built.out_dir / "validity.csv")
    assert {"statement", "source", "url", "observed", "pass"} <= set(csv.columns) and len(csv) == v.total
    assert csv["pass"].all() and csv["url"].str.startswith("http").all()


def test_the_four_examples_of_the_issue_hold_with_the_values_observed(built):
    t = built.validity.table.set_index("id")
    assert all(t.loc[list(EXAMPLES), "pass"])
    assert t.loc["covid_2020_every_pair", "observed"].count(";") == 14  # all 15 pairs checked
    assert t.loc["china_closed_2022", "units"] == "CHN-MMR, CHN-LAO, CHN-THA, CHN-KHM, CHN-VNM"
    # like for like: air routes (observed 2014 and 2023-2026) and migrant stock (to 2019) are left out of 2024 vs 2019
    assert "without air_route_share, air_airline_share, migrant_stock" in t.loc["china_laos_railway_2024", "basis"]
    # the shuttle (2015-2019, 2022 on) and the freight trains (from August 2019) leave no year without rail
    assert t.loc["laos_thailand_rail_every_year", "observed"].startswith("LAO-THA: 1-")


def test_thailand_cambodia_2025_is_disrupted_by_the_clashes_and_the_land_border_closure(built):
    p = built.panel
    d = p[(p["indicator"] == "disruption") & (p["unit"] == "THA-KHM")].set_index("year")
    # 28 May (clash, 1 day) + 7 June (Sa Kaeo closure: its source is of that day, nothing assumed after it) + 23 June
    # to 10 December (every land crossing closed, to the latest source; the July and December clashes fall inside)
    assert d.loc[2025, "value"] == pytest.approx((1 + 1 + 171) / 365, abs=1e-9)
    assert "tha_khm_land_border_closure_2025" in d.loc[2025, "source"]
    assert d.loc[2024, "value"] == 0 and d.loc[2019, "value"] == 0


def _with(statements: list[dict]):
    return val.Statements(statements=statements)


SYNTHETIC_FALSE = {  # contradicts the railway on purpose: a build must refuse it
    "id": "synthetic_false_statement", "statement": "China-Laos mobility in 2024 is below 2019 (deliberately false).",
    "units": ["CHN-LAO"], "measure": "mobility", "check": {"kind": "change", "year": 2024, "base": 2019,
                                                          "direction": "lower"},
    "source": {"publisher": "test", "url": "https://example.org/synthetic", "accessed": "2026-12-04"},
}


def test_a_false_statement_fails_and_says_what_was_observed(built, pulled_warehouse):
    from lmc.sci.pipeline import run

    res = run(pulled_warehouse.model_copy(update={"home": built.out_dir.parent}), n=SCI_TEST_N, pull=False)
    ev = val.Evidence(scores=res.scores, arrays=_arrays(res), framework=default_framework(), panel=res.panel,
                      rail_links=_rail(res))
    out = val.check(_with([SYNTHETIC_FALSE]), ev)
    assert not out.ok and out.failed == ["synthetic_false_statement"]
    assert out.summary() == "0 of 1 known facts reproduced"
    row = out.table.iloc[0]
    a, b = (float(x.split()[-1]) for x in row["observed"].removeprefix("CHN-LAO: ").split(" vs "))
    assert a > b  # 2024 above 2019: the statement is false, the build says so with the numbers


def _arrays(res):
    from lmc.sci.facts import default_corridor
    from lmc.sci.score import make_arrays

    fw = default_framework()
    panels = {lv: {"linear": g.drop(columns="level")} for lv, g in res.panel.groupby("level")}
    return make_arrays(panels, fw, list(res.years), list(default_corridor().frame()["code"]), res.excluded)


def _rail(res):
    from lmc.sci.pipeline import rail_links

    return rail_links(list(res.years))


def test_build_stops_with_exit_2_and_writes_nothing_then_allow_invalid_reports_the_failure(
        built, pulled_warehouse, tmp_path, monkeypatch):
    from lmc.cli import app
    from lmc.reports import build as report_build
    from lmc.sci import pipeline

    shipped = val.load_statements(framework=default_framework())
    bad = _with([*(s.model_dump(by_alias=True) for s in shipped.statements), SYNTHETIC_FALSE])
    monkeypatch.setattr(pipeline.val, "load_statements", lambda **kw: bad)
    settings = pulled_warehouse.model_copy(update={"home": tmp_path / "home"})
    monkeypatch.setattr(report_build, "get_settings", lambda: settings)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["build", "--no-pull", "--no-pdf", "--n", str(SCI_TEST_N), "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "synthetic_false_statement" in res.output and f"{len(bad.statements) - 1} of" in res.output
    assert not (out / "scores.csv").exists() and not (out / "validity.csv").exists()

    # with --allow-invalid the outputs are written and the report names the statement that failed
    result = report_build.build(settings, out=out, n=SCI_TEST_N, pull=False, pdf=False, allow_invalid=True)
    assert result.validity.failed == ["synthetic_false_statement"]
    csv = pd.read_csv(out / "validity.csv").set_index("id")
    assert not csv.loc["synthetic_false_statement", "pass"]
    assert csv.drop(index="synthetic_false_statement")["pass"].all()
    for lang in ("en", "zh"):
        html = (out / f"report_{lang}.html").read_text(encoding="utf-8")
        assert 'class="fail"' in html and "synthetic_false_statement" in html


def test_statement_files_are_validated_with_file_line_and_field(tmp_path):
    fw = default_framework()
    good = val.load_statements(framework=fw)
    assert len({s.id for s in good.statements}) == len(good.statements) >= 12
    p = tmp_path / "validity.yaml"
    p.write_text("statements:\n  - id: x_statement\n    statement: A statement without any source at all.\n"
                 "    units: all_pairs\n    measure: mobility\n"
                 "    check: {kind: change, year: 2020, base: 2019, direction: lower}\n")
    with pytest.raises(ValidationError, match=r"validity.yaml:2: statements.0.source .*Field required"):
        val.load_statements(p, fw)
    p.write_text(p.read_text() + "    source: {publisher: Xinhua, url: 'https://x.org', accessed: 2026-12-04}\n")
    val.load_statements(p, fw)  # now complete
    p.write_text(p.read_text().replace("measure: mobility", "measure: mobilty"))
    with pytest.raises(ValidationError, match=r"validity.yaml:5: statements.0.measure .*Did you mean 'mobility'"):
        val.load_statements(p, fw)
    p.write_text(p.read_text().replace("measure: mobilty", "measure: mobility").replace("all_pairs", "every_pair"))
    with pytest.raises(ValidationError, match="unknown group 'every_pair'"):
        val.load_statements(p, fw)
    with pytest.raises(Exception, match="a level check needs"):
        val.Check(kind="level", direction="at_least", value=1)


def test_level_checks_on_indicator_values_and_missing_years():
    """A level check fails on a value below the threshold and on a missing year, naming the years."""
    years = [2019, 2020]
    scores = pd.DataFrame(columns=["level", "unit", "year", "pillar", "score", "rank"])
    panel = pd.DataFrame({"level": "pair", "indicator": "disruption", "unit": "LAO-THA", "year": years,
                          "raw": [0.0, 0.8], "value": [0.0, 0.8], "flag": "observed", "source_years": "",
                          "source": ""})
    from lmc.sci.score import Arrays

    ev = val.Evidence(scores=scores, arrays=Arrays(tuple(years), ("mobility",)), framework=default_framework(),
                      panel=panel, rail_links=pd.DataFrame({"unit": ["LAO-THA"], "year": [2019], "value": [1.0]}))
    st = [{**SYNTHETIC_FALSE, "id": "synthetic_level", "units": ["LAO-THA"], "measure": "disruption",
           "check": {"kind": "level", "from": 2019, "to": 2020, "direction": "at_least", "value": 0.5}},
          {**SYNTHETIC_FALSE, "id": "synthetic_rail", "units": ["LAO-THA"], "measure": "rail_links",
           "check": {"kind": "level", "from": 2019, "to": 2020, "direction": "at_least", "value": 1}}]
    t = val.check(_with(st), ev).table.set_index("id")
    assert not t.loc["synthetic_level", "pass"] and "fails in 2019" in t.loc["synthetic_level", "observed"]
    assert not t.loc["synthetic_rail", "pass"] and "fails in 2020" in t.loc["synthetic_rail", "observed"]
    assert np.isnan(val._Lookup(ev).level_value("rail_links", "LAO-THA", 2020))
