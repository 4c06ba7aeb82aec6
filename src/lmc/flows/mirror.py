"""Reference files read in place from the configured data mirror (never copied into the repository).

The flows models use three such files: the Advanced Guide trade panel (GE), and Thailand's arrivals from ASEAN
countries 2011-2024 (how much a destination's pull drifts from year to year, :func:`destination_drift_sd`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from lmc.flows.errors import ScenarioError

THA_ASEAN_FILE = "tourism_tha_asean_2011_2024/ASEAN_Tourist-Amount_CLEANED.csv"
DRIFT_YEARS = (2011, 2019)
"""Pre-Covid years over which destination drift is measured (no 2020-2022 closure in the sample)."""


def mirror_file(rel: str, settings=None) -> Path:
    """``rel`` inside the first local mirror that has it; a :class:`ScenarioError` listing the places tried."""
    from lmc.config import get_settings

    settings = settings or get_settings()
    tried = []
    for m in settings.mirrors:
        if "://" in m:
            continue
        p = Path(m) / rel
        tried.append(str(p))
        if p.is_file():
            return p
    raise ScenarioError(f"reference data {rel!r} not found in the configured mirrors ({', '.join(tried) or 'none'}); "
                        "set LMC_MIRROR to the shared data mirror")


@lru_cache(maxsize=4)
def _drift_table(path: str) -> pd.DataFrame:
    d = pd.read_csv(path)
    if d.shape[1] != 3:
        raise ScenarioError(f"{path}: expected 3 columns (country, Buddhist-era year, tourists), found {d.shape[1]}")
    d.columns = ["origin", "year_be", "arrivals"]
    d["year"] = d["year_be"].astype(int) - 543
    return d.pivot(index="year", columns="origin", values="arrivals").astype(float)


def destination_drift_sd(horizon: int, settings=None) -> float:
    """Standard deviation of an origin-destination flow's ``horizon``-year log change around the common change.

    Measured on Thailand's arrivals from nine ASEAN countries, 2011-2019 (Ministry of Tourism and Sports, via the
    mirror): the part of a flow's growth that no common factor explains. The choice model adds a draw of this size
    to a destination's utility when it predicts a year other than its calibration year, so that its bands include
    the unexplained shifts in taste that history shows. ``horizon`` 0 gives 0.
    """
    if horizon <= 0:
        return 0.0
    p = _drift_table(str(mirror_file(THA_ASEAN_FILE, settings))).loc[DRIFT_YEARS[0]:DRIFT_YEARS[1]]
    h = min(int(horizon), DRIFT_YEARS[1] - DRIFT_YEARS[0] - 1)
    logs = np.log(p)
    change = (logs.shift(-h) - logs).dropna()
    dev = change.sub(change.mean(axis=1), axis=0).to_numpy().ravel()
    sd = float(np.std(dev, ddof=1))
    return sd * np.sqrt(horizon / h) if horizon > h else sd
