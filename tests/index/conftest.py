"""Fixtures of the index tests: the COINr ASEM reference (read in place from ../shared) and small synthetic data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def asem_dir(shared_dir: Path) -> Path:
    d = shared_dir / "reference" / "coinr_asem"
    assert (d / "ASEM_iMeta.csv").is_file(), f"COINr reference missing in {d}"
    return d


@pytest.fixture(scope="session")
def asem(asem_dir: Path):
    from lmc.index import read_coinr

    return read_coinr(asem_dir / "ASEM_iMeta.csv", asem_dir / "ASEM_iData.csv")


@pytest.fixture(scope="session")
def ua_yaml() -> Path:
    return HERE / "data" / "ua_asem.yaml"


@pytest.fixture(scope="session")
def example_pipeline() -> Path:
    return HERE / "data" / "pipeline_example.yaml"


@pytest.fixture()
def synthetic_framework():
    """A 3-level synthetic tree: two pillars of two indicators each."""
    from lmc.index import make_framework

    return make_framework([
        {"code": "a1", "parent": "A"}, {"code": "a2", "parent": "A", "direction": -1},
        {"code": "b1", "parent": "B", "weight": 2}, {"code": "b2", "parent": "B"},
        {"code": "A", "parent": "I"}, {"code": "B", "parent": "I"}, {"code": "I"},
    ], groups=["grp"], denominators=["pop"], name="synthetic")


@pytest.fixture()
def synthetic_frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    units = ["CHN", "LAO", "MMR", "THA", "KHM", "VNM"]
    df = pd.DataFrame({"uCode": units, "grp": ["a", "a", "a", "b", "b", "b"],
                       "pop": [1400.0, 7.0, 54.0, 70.0, 16.0, 98.0]})
    for c in ("a1", "a2", "b1", "b2"):
        df[c] = rng.uniform(1, 10, len(units)).round(3)
    return df
