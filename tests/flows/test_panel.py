"""The bilateral panel builder on small synthetic frames (the warehouse tables' shapes, made-up values)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmc.flows.errors import GravityDataError
from lmc.flows.panel import build_bilateral_panel, flows_from_thailand_arrivals


@pytest.fixture()
def synthetic_arrivals():
    return pd.DataFrame({
        "year": [2019, 2019, 2020, 2020, 2019],
        "origin_iso3": ["CHN", "CHN", "CHN", "LAO", None],
        "nationality": ["China", "China", "China", "Laos", "ASEAN"],
        "arrivals": [100.0, 110.0, 5.0, 7.0, 999.0],
        "provisional": [True, False, False, False, False],
        "source_file": ["2019.xlsx", "2020.xlsx", "2020.xlsx", "2020.xlsx", "2019.xlsx"],
    })


def test_arrivals_revised_value_wins_and_aggregates_dropped(synthetic_arrivals):
    f = flows_from_thailand_arrivals(synthetic_arrivals)
    assert len(f) == 3
    assert f.set_index(["origin", "year"]).loc[("CHN", 2019), "flow"] == 110.0
    assert (f["destination"] == "THA").all()


def test_panel_joins_covariates(synthetic_arrivals):
    flows = flows_from_thailand_arrivals(synthetic_arrivals)
    dist = pd.DataFrame({"iso_o": ["CHN", "LAO"], "iso_d": ["THA", "THA"], "dist": [2500.0, 600.0],
                         "contig": [0, 1], "comlang_off": [0, 1], "colony": [0, 0]})
    visa = pd.DataFrame({"snapshot_date": ["2018-06-01", "2020-03-01"], "passport": ["CHN", "CHN"],
                         "destination": ["THA", "THA"], "requirement_raw": ["visa on arrival", "visa required"],
                         "openness": [0.5, 0.0], "max_stay_days": [15, 0]})
    wdi = pd.DataFrame({"iso3": ["CHN", "THA", "LAO"], "indicator": "NY.GDP.MKTP.CD", "year": 2019,
                        "value": [1.4e13, 5.4e11, 1.9e10]})
    rta = pd.DataFrame({"origin": ["CHN"], "destination": ["THA"], "year": [2020], "rta": [1.0]})
    p = build_bilateral_panel(flows, dist=dist, visa=visa, wdi=wdi, rta=rta).set_index(["origin", "year"])
    assert p.loc[("CHN", 2019), "ln_dist"] == pytest.approx(np.log(2500.0))
    assert p.loc[("LAO", 2020), "contig"] == 1
    assert p.loc[("CHN", 2019), "visa_openness"] == 0.5   # 2018 snapshot carried forward
    assert p.loc[("CHN", 2020), "visa_openness"] == 0.0
    assert np.isnan(p.loc[("LAO", 2020), "visa_openness"])  # no snapshot: stays missing, never imputed
    assert p.loc[("CHN", 2019), "ln_gdp_o"] == pytest.approx(np.log(1.4e13))
    assert p.loc[("CHN", 2020), "rta"] == 1.0 and p.loc[("CHN", 2019), "rta"] == 0.0
    assert p.loc[("CHN", 2019), "pair"] == "CHN-THA" and p.loc[("CHN", 2019), "exp_year"] == "CHN_2019"


def test_missing_column_named():
    with pytest.raises(GravityDataError, match="'flows'.*flow"):
        build_bilateral_panel(pd.DataFrame({"origin": ["A"], "destination": ["B"], "year": [2020]}))


def test_warehouse_loader_uses_named_tables(monkeypatch, synthetic_arrivals):
    """The thin loader reads the contract's table names; a missing optional table just drops its covariates."""
    import lmc.warehouse.db as db
    from lmc.errors import WarehouseError
    from lmc.flows.panel import build_panel_from_warehouse

    synthetic_tables = {
        "thailand_arrivals": synthetic_arrivals,
        "cepii_dist": pd.DataFrame({"iso_o": ["CHN"], "iso_d": ["THA"], "dist": [2500.0], "contig": [0]}),
    }
    asked: list[str] = []

    def fake_read_table(name, settings=None):
        asked.append(name)
        if name not in synthetic_tables:
            raise WarehouseError(f"unknown warehouse table {name!r}")
        return synthetic_tables[name]

    monkeypatch.setattr(db, "read_table", fake_read_table)
    p = build_panel_from_warehouse()
    assert asked[:1] == ["thailand_arrivals"] and {"cepii_dist", "visa_requirements", "wdi"} <= set(asked)
    assert "ln_dist" in p.columns and "visa_openness" not in p.columns
    assert len(p) == 3


def test_rcep_dummy_from_sourced_dates():
    from lmc.flows.panel import rcep_frame

    synthetic_pairs = pd.DataFrame({"origin": ["CHN", "CHN", "CHN", "LAO"], "destination": ["LAO", "LAO", "MMR", "LAO"],
                                    "year": [2021, 2022, 2023, 2023]})
    r = rcep_frame(synthetic_pairs)["rcep"].tolist()
    assert r == [0.0, 1.0, 0.0, 0.0]  # in force from 2022; Myanmar not coded; domestic pairs excluded
