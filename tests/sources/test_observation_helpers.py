"""The shared shape of a connector's observations (``lmc.sources._common``): columns, order, dtypes, units."""

from __future__ import annotations

import pandas as pd

from lmc.sources._common import OBSERVATION_COLUMNS, melt_observations, observation_rows, observations_of
from lmc.sources.harmonise import directed_units


def _check_shape(obs: pd.DataFrame) -> None:
    assert tuple(obs.columns) == OBSERVATION_COLUMNS
    assert obs["year"].dtype == "int64" and obs["value"].dtype == "float64"


def test_melt_directed_pairs_with_one_year():
    wide = pd.DataFrame({"src": ["CHN", "LAO"], "dst": ["LAO", "THA"], "routes": [3, 1], "airlines": [2, 1]})
    obs = melt_observations(wide, unit=("src", "dst"), year=2014)
    _check_shape(obs)
    assert obs.to_dict("records") == [
        {"indicator": "routes", "unit": "CHN>LAO", "year": 2014, "value": 3.0},
        {"indicator": "routes", "unit": "LAO>THA", "year": 2014, "value": 1.0},
        {"indicator": "airlines", "unit": "CHN>LAO", "year": 2014, "value": 2.0},
        {"indicator": "airlines", "unit": "LAO>THA", "year": 2014, "value": 1.0},
    ]


def test_melt_unit_and_year_columns():
    wide = pd.DataFrame({"iso3": ["KHM"], "yr": [2020], "c8_mean": [2.5]})
    obs = melt_observations(wide, unit="iso3", year="yr")
    _check_shape(obs)
    assert obs.iloc[0].tolist() == ["c8_mean", "KHM", 2020, 2.5]


def test_columns_and_rows_give_the_same_frame():
    units = directed_units(["MMR", "VNM"], ["THA", "CHN"])
    assert units == ["MMR>THA", "VNM>CHN"]
    a = observations_of("migrant_stock", units, pd.Series([2019, 2019]), pd.Series([10, 20]))
    b = observation_rows([("migrant_stock", "MMR>THA", 2019, 10), ("migrant_stock", "VNM>CHN", 2019, 20)])
    _check_shape(a)
    pd.testing.assert_frame_equal(a, b)
