"""Bad input gives one clear error naming the file line, field, indicator or unit, with a did-you-mean."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmc.errors import LmcError
from lmc.index import (FrameworkError, IndexDataError, SpecError, StageError, build, from_frame, load_framework,
                       make_framework, make_spec)
from lmc.index.uncertainty import load_ua_spec, make_ua_spec


def _yaml(tmp_path, text, name="fw.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.mark.parametrize("text, expected", [
    ("nodes:\n  - {code: a, parent: Pilar}\n  - {code: Pillar}\n",
     r"fw.yaml:2: field 'parent'.*'Pilar'.*Did you mean 'Pillar'"),
    ("nodes:\n  - {code: a, parent: P}\n  - {code: a, parent: P}\n  - {code: P}\n", r"fw.yaml:3.*duplicated code 'a'"),
    ("nodes:\n  - {code: a, parent: P}\n  - {code: P, parent: Q}\n  - {code: Q, parent: P}\n  - {code: I}\n",
     r"fw.yaml:4: field 'parent': cycle in the tree: Q -> P -> Q \(Q line 4, P line 3\)"),  # not a's line 2
    ("nodes:\n  - {code: a, parent: I}\n  - {code: b}\n  - {code: I}\n", r"fw.yaml:3.*'b' is an orphan"),
    ("nodes:\n  - {code: a, parent: P, weight: 0}\n  - {code: b, parent: P, weight: 0}\n  - {code: P}\n",
     r"children of 'P' \(a, b\) sum to zero"),
    ("nodes:\n  - {code: a, parent: P, direction: 2}\n  - {code: P}\n", r"fw.yaml:2: field 'direction'"),
    ("nodes:\n  - {code: a, parnet: P}\n  - {code: P}\n", r"field 'parnet'.*Did you mean 'parent'"),
    ("nodes:\n  - {code: a, parent: P, level: 2}\n  - {code: P}\n", r"declared at level 2.*gives level 1"),
    ("nodes:\n  - {code: a, parent: P, weight: .nan}\n  - {code: P}\n", r"field 'weight'.*finite"),
    ("nodes:\n  - {code: a, parent: P, direction: 1.5}\n  - {code: P}\n", r"fw.yaml:2: field 'direction'.*1.5"),
    ("nodes:\n  - {code: a, parent: P, goalposts: [0, .inf]}\n  - {code: P}\n",
     r"fw.yaml:2: field 'goalposts': 'a': must be finite"),
    ("nodes:\n  - {code: a, parent: P, goalposts: [0, lots]}\n  - {code: P}\n",
     r"fw.yaml:2: field 'goalposts': 'a': 'lots' is not a number"),
    ("nodes:\n  - {code: a, parent: P, target: high}\n  - {code: P}\n", r"field 'target': 'a': 'high' is not"),
])
def test_framework_errors(tmp_path, text, expected):
    with pytest.raises(FrameworkError, match=expected):
        load_framework(_yaml(tmp_path, text))


@pytest.fixture()
def fw():
    return make_framework([{"code": "gdp", "parent": "I"}, {"code": "trade", "parent": "I"}, {"code": "I"}])


@pytest.mark.parametrize("cell, expected", [
    ("NaN", r"data.csv:3: indicator 'gdp', unit 'LAO': value 'NaN' is not a number"),
    ("inf", r"data.csv:3: indicator 'gdp', unit 'LAO': infinite value"),
    ("-Infinity", r"unit 'LAO': infinite value"),
    ("abc", r"value 'abc' is not a number"),
])
def test_bad_cells_name_line_unit_and_indicator(tmp_path, fw, cell, expected):
    from lmc.index import read_data_csv

    p = tmp_path / "data.csv"
    p.write_text(f"uCode,gdp,trade\nCHN,1,2\nLAO,{cell},3\n")
    with pytest.raises(IndexDataError, match=expected):
        read_data_csv(p, fw)


def test_missing_indicator_column_suggests(fw):
    df = pd.DataFrame({"uCode": ["CHN", "LAO"], "gdp": [1.0, 2.0], "trad": [1.0, 2.0]})
    with pytest.raises(IndexDataError, match=r"'trade'.*Did you mean 'trad'"):
        from_frame(df, fw)


def test_duplicated_unit(fw):
    df = pd.DataFrame({"uCode": ["CHN", "CHN"], "gdp": [1.0, 2.0], "trade": [1.0, 2.0]})
    with pytest.raises(IndexDataError, match=r":3: field 'uCode': duplicated unit 'CHN'"):
        from_frame(df, fw)


def test_in_memory_infinity_is_an_error_nan_is_missing(fw):
    df = pd.DataFrame({"uCode": ["CHN", "LAO", "MMR"], "gdp": [1.0, np.nan, 3.0], "trade": [1.0, 2.0, np.inf]})
    with pytest.raises(IndexDataError, match=r"indicator 'trade', unit 'MMR': infinite"):
        from_frame(df, fw)
    df["trade"] = [1.0, 2.0, 3.0]
    assert from_frame(df, fw).values["gdp"].isna().sum() == 1


def test_geometric_mean_over_non_positive_values_names_unit_and_indicator(fw):
    df = pd.DataFrame({"uCode": ["CHN", "LAO", "MMR"], "gdp": [1.0, 2.0, 3.0], "trade": [1.0, 5.0, 3.0]})
    spec = make_spec(fw, {"aggregate": "geometric"})  # min-max 0-100 gives a 0
    with pytest.raises(StageError, match=r"geometric mean needs positive values, but unit 'CHN' has 0 for 'gdp'"):
        build(spec, from_frame(df, fw))


def test_weights_summing_to_zero_in_a_spec(fw):
    df = pd.DataFrame({"uCode": ["CHN", "LAO", "MMR"], "gdp": [1.0, 2.0, 3.0], "trade": [1.0, 5.0, 3.0]})
    with pytest.raises(StageError, match=r"children of 'I' \(gdp, trade\) sum to zero"):
        build(make_spec(fw, {"weights": {"values": {"gdp": 0, "trade": 0}}}), from_frame(df, fw))


@pytest.mark.parametrize("pipeline, expected", [
    ({"normalize": {}}, r"unknown stage 'normalize'.*Did you mean 'normalise'"),
    ({"normalise": {"method": "min-maxx"}}, r"normalise.method.*Did you mean 'minmax'"),
    ({"aggregate": {"methd": "geometric"}}, r"aggregate.methd.*Did you mean 'method'"),
    ({"aggregate": {"by_node": {"Indx": "geometric"}}}, r"aggregate.by_node.*unknown aggregate 'Indx'"),
    ({"screen": {"min_availability": 1.5}}, r"between 0 and 1"),
    ({"weights": {"values": {"gdp": -1}}}, r"field 'weights.values.gdp': a weight must be >= 0, got -1.0"),
    ({"treat": {"method": "winsorise", "skew_thresh": -2}}, r"treat.skew_thresh.*must be >= 0"),
    ({"normalise": {"method": "zscore", "sd": 0}}, r"normalise.sd.*must be > 0"),
])
def test_pipeline_errors(fw, pipeline, expected):
    with pytest.raises(SpecError, match=expected):
        make_spec(fw, pipeline)


def test_pipeline_yaml_error_has_line(tmp_path, fw):
    from lmc.index import load_pipeline

    p = _yaml(tmp_path, "impute: {method: mean}\ntreat:\n  method: winsorise\n  winmx: 3\n", "pipe.yaml")
    with pytest.raises(SpecError, match=r"pipe.yaml:4: field 'treat.winmx'.*Did you mean 'winmax'"):
        load_pipeline(p, fw)


@pytest.mark.parametrize("doc, expected", [
    ("inputs:\n  n:\n    stage: normalize\n    alternatives: [minmax, zscore]\n",
     r"ua.yaml:3: field 'inputs.n.stage': unknown stage 'normalize'.*Did you mean 'normalise'"),
    ("inputs:\n  a:\n    stage: aggregate\n    alternatives: [arithmetic, geometrc]\n",
     r"inputs.a.alternatives\[1\].*unknown aggregate method 'geometrc'.*Did you mean 'geometric'"),
    ("inputs:\n  n:\n    stage: normalise\n    alternatives: [{method: minmax, rnage: [1, 100]}, zscore]\n",
     r"'normalise.rnage'.*Did you mean 'range'"),
    ("inputs:\n  w:\n    noise: 0.25\n    levels: [7]\n", r"inputs.w.levels.*no level 7"),
    ("inputs:\n  w:\n    noise: 0.25\n    levels: []\n", r"ua.yaml:4: field 'inputs.w.levels': list at least one"),
    ("inputs:\n  w:\n    noise: 0.25\n    sets: 0\n", r"inputs.w.sets.*from 1 to 100,000, got 0"),
    ("inputs:\n  w:\n    noise: .nan\n", r"inputs.w.noise.*in \(0, 1\)"),
    ("inputs:\n  w:\n    nosie: 0.25\n", r"inputs.w.nosie.*Did you mean 'noise'"),
    ("inputs:\n  x:\n    exclude: [gpd]\n", r"unknown indicator 'gpd'.*Did you mean 'gdp'"),
    ("target: Indx\ninputs:\n  w: {noise: 0.1}\n", r"unknown aggregate 'Indx'"),
])
def test_ua_spec_errors(tmp_path, fw, doc, expected):
    with pytest.raises(SpecError, match=expected):
        load_ua_spec(_yaml(tmp_path, doc, "ua.yaml"), make_spec(fw))


def test_errors_are_lmc_errors(fw):
    with pytest.raises(LmcError):
        make_ua_spec({"inputs": {}}, make_spec(fw))


def test_draw_counts_outside_their_bounds(fw):
    from lmc.index import run_sensitivity, run_uncertainty
    from lmc.index.uncertainty import MAX_DRAWS, default_ua_spec

    df = pd.DataFrame({"uCode": ["CHN", "LAO", "MMR"], "gdp": [1.0, 2.0, 3.0], "trade": [1.0, 5.0, 3.0]})
    spec, data = make_spec(fw, {}), from_frame(df, fw)
    ua = default_ua_spec(spec)
    with pytest.raises(SpecError, match=r"n must be from 1 to 100,000, got 100001"):
        run_uncertainty(spec, data, ua, n=MAX_DRAWS + 1)
    with pytest.raises(SpecError, match=r"nboot must be from 10 to 100,000, got 0"):
        run_sensitivity(spec, data, ua, n=8, nboot=0)
