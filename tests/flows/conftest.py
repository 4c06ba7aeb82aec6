"""Fixtures for the flows tests: the Advanced Guide reference data, read in place from ../shared."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml


@pytest.fixture(scope="session")
def gravity_dir(shared_dir: Path) -> Path:
    d = shared_dir / "data" / "gravity"
    assert (d / "agtpa_applications.csv.gz").is_file(), f"missing reference data in {d}"
    return d


@pytest.fixture(scope="session")
def expected(gravity_dir: Path) -> dict:
    return yaml.safe_load((gravity_dir / "expected_coefficients.yaml").read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="session")
def agtpa(gravity_dir: Path) -> pd.DataFrame:
    return pd.read_csv(gravity_dir / "agtpa_applications.csv.gz")


@pytest.fixture(scope="session")
def agtpa_2006(agtpa: pd.DataFrame) -> pd.DataFrame:
    """Yotov et al. ch.2 app.1 sample: 2006 incl. domestic flows, with log distance and an international border."""
    d = agtpa[agtpa["year"] == 2006].copy()
    d["ln_dist"] = np.log(d["dist"])
    d["intl_brdr"] = (d["exporter"] != d["importer"]).astype(int)
    return d.reset_index(drop=True)


@pytest.fixture(scope="session")
def agtpa_rta(agtpa: pd.DataFrame) -> pd.DataFrame:
    """Yotov et al. ch.1 app.3 col.(4) sample: every 4 years, pairs with positive total trade, FE keys."""
    d = agtpa[agtpa["year"].isin([1986, 1990, 1994, 1998, 2002, 2006])].copy()
    d = d[d.groupby("pair_id")["trade"].transform("sum") > 0]
    yr = d["year"].astype(int).astype(str)
    d["exp_year"] = d["exporter"] + yr
    d["imp_year"] = d["importer"] + yr
    d["pair"] = d["pair_id"].astype(int)
    return d.reset_index(drop=True)


@pytest.fixture(autouse=True, scope="session")
def _quick_back_casts():
    """Scenario runs look up their model's back-casts; in tests these use 60 draws (the CLI default is 300), so the
    first run of a process pays seconds, not a minute. The pass/fail rules and data are the real ones."""
    from lmc.flows import validation

    validation.N_DRAWS = 60
    yield
