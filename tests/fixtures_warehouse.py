"""Pytest plugin: a warehouse pulled once from the shared mirror, for any test that needs real tables.

Register it in ``tests/conftest.py`` with ``pytest_plugins = ["fixtures_warehouse"]`` (or run pytest with
``-p fixtures_warehouse`` and ``tests`` on ``PYTHONPATH``). Fixtures:

* ``pulled_warehouse`` (session): :class:`lmc.config.Settings` of a temporary home into which every declared source
  was pulled offline from ``../shared/data/mirror``. With pytest-xdist the workers share one pull (a file lock
  guards it), so the cost is paid once per run. Open it read-only: ``read_table(name, settings=pulled_warehouse)``
  or ``connect(pulled_warehouse)``.
* ``warehouse_pull_report`` (session): the pull's :meth:`PullResult.to_dict` (which sources loaded, errors).
* ``warehouse_env`` (function): the same warehouse made the process default (``LMC_HOME``, ``LMC_WAREHOUSE``,
  ``LMC_MIRROR``, ``LMC_OFFLINE`` set, settings cache cleared), for code that calls ``get_settings()``.
* ``sci_report_build`` (session): the result of ``lmc.reports.build.build`` (SCI pipeline with the CLI's default
  uncertainty design, ``SCI_TEST_N`` runs, data files and both reports with PDFs) over the pulled warehouse, in a
  home of its own. Built once per run (a file lock shares it between xdist workers; the others get the cached build in well
  under a second), so the SCI, report and web tests pay for one SCI build, not one each.

It also holds the ``synthetic_*`` sources used by the fetch/warehouse tests: small declarations over real mirror
files, so the infrastructure is tested independently of the real connectors.
"""

from __future__ import annotations

import csv
import fcntl
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd
import pytest

from lmc.sources.base import Source, SourceFile, TableSpec

_REPORT = "pull-report.json"


def _pull_once(root: Path, mirror: Path) -> tuple[Path, dict]:
    from lmc.config import load_settings
    from lmc.warehouse.ingest import pull

    home = root / "lmc_pulled_home"
    report_path = home / _REPORT
    home.mkdir(parents=True, exist_ok=True)
    with open(root / "lmc_pulled_home.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not report_path.is_file():
                settings = load_settings(home=home, warehouse=home / "warehouse.duckdb", mirrors=(str(mirror),),
                                         offline=True)
                result = pull(None, settings)
                tmp = report_path.with_suffix(".tmp")
                tmp.write_text(json.dumps(result.to_dict(), default=str))
                tmp.replace(report_path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return home, json.loads(report_path.read_text())


@pytest.fixture(scope="session")
def _pulled(tmp_path_factory: pytest.TempPathFactory, mirror_dir: Path) -> tuple[Path, dict]:
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base  # shared by xdist workers
    return _pull_once(root, mirror_dir)


@pytest.fixture(scope="session")
def pulled_warehouse(_pulled: tuple[Path, dict], mirror_dir: Path):
    """Settings of a home with every declared source pulled from the mirror (see the module docstring)."""
    from lmc.config import load_settings

    home, _ = _pulled
    return load_settings(home=home, warehouse=home / "warehouse.duckdb", mirrors=(str(mirror_dir),), offline=True)


@pytest.fixture(scope="session")
def warehouse_pull_report(_pulled: tuple[Path, dict]) -> dict:
    return _pulled[1]


@pytest.fixture()
def warehouse_env(pulled_warehouse, monkeypatch: pytest.MonkeyPatch, mirror_dir: Path) -> Iterator[object]:
    """Make the pulled warehouse the default for ``get_settings()`` during one test."""
    from lmc.config import get_settings

    monkeypatch.setenv("LMC_HOME", str(pulled_warehouse.home))
    monkeypatch.setenv("LMC_WAREHOUSE", str(pulled_warehouse.warehouse))
    monkeypatch.setenv("LMC_MIRROR", str(mirror_dir))
    monkeypatch.setenv("LMC_OFFLINE", "1")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


SCI_TEST_N = 2000  # the CLI default: the docs tests find this build up to date for `lmc build` (tests/docs);
                   # the uncertainty replays cost well under a second, the reports are what takes time


@pytest.fixture(scope="session")
def sci_report_build(pulled_warehouse, tmp_path_factory: pytest.TempPathFactory):
    """The SCI built with its reports once per test run (see the module docstring); a :class:`SciResult` with
    ``out_dir``. Treat its home as read-only: a test that needs its own build uses a home of its own."""
    from lmc.reports.build import build

    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base  # shared by xdist workers
    home = root / "lmc_sci_build"
    home.mkdir(parents=True, exist_ok=True)
    with open(root / "lmc_sci_build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return build(pulled_warehouse.model_copy(update={"home": home}), out=home / "out", n=SCI_TEST_N,
                         pull=False)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- synthetic sources over real mirror files (for the infrastructure tests) --------------------------------------

THAI_FILE = "tourism_bilateral/thailand_mots/thailand_arrivals_by_nationality_2019-2022_tidy.csv"
WDI_META_FILE = "wdi/wdi_selected_indicators.csv"

THAI_COLUMNS = {
    "destination": "VARCHAR", "source_file": "VARCHAR", "origin_iso3": "VARCHAR", "is_aggregate": "BOOLEAN",
    "nationality": "VARCHAR", "year": "INTEGER", "provisional": "BOOLEAN", "arrivals": "DOUBLE",
}


def manifest(mirror: Path) -> dict[str, dict[str, str]]:
    """MANIFEST.csv rows keyed by file."""
    with open(mirror / "MANIFEST.csv", newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def _read_with_lines(path: Path) -> pd.DataFrame:
    """All columns as text, plus ``_line`` (file line of each row) so ingestion can name bad lines."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    df["_line"] = range(2, len(df) + 2)
    return df


def _parse_thai(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    return {"synthetic_thai_arrivals": _read_with_lines(paths[THAI_FILE])}


def _obs_thai(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    df = tables["synthetic_thai_arrivals"]
    df = df[df["origin_iso3"].notna() & (df["is_aggregate"] == "False")]
    return pd.DataFrame({
        "indicator": "synthetic_arrivals",
        "unit": df["origin_iso3"] + ">THA",
        "year": df["year"].astype(int),
        "value": df["arrivals"].astype(float),
    })


def synthetic_thai(mirror: Path, *, sha256: str | None = "manifest", url: str = "https://example.invalid/thai.csv",
                   derived: bool = False, derive=None) -> Source:
    """Thailand arrivals by nationality (the tidy mirror file) as a one-table synthetic source with observations."""
    row = manifest(mirror)[THAI_FILE]
    return Source(
        id="synthetic_thai",
        title="Synthetic: Thailand arrivals by nationality",
        publisher="test fixture over the MOTS tidy mirror file",
        homepage="https://example.invalid/",
        licence="test-only",
        files=(SourceFile(THAI_FILE, url, row["sha256"] if sha256 == "manifest" else sha256,
                          derived=derived, derive=derive, bytes=int(row["bytes"])),),
        tables=(TableSpec("synthetic_thai_arrivals", THAI_COLUMNS, "arrivals by nationality"),),
        parse=_parse_thai,
        observations=_obs_thai,
        coverage="2019-2022",
    )


def _parse_wdi_meta(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    return {"synthetic_wdi_indicators": _read_with_lines(paths[WDI_META_FILE])}


def synthetic_wdi_meta(mirror: Path) -> Source:
    """The WDI indicator list as a synthetic source with a primary key and no observations."""
    row = manifest(mirror)[WDI_META_FILE]
    return Source(
        id="synthetic_wdi_meta",
        title="Synthetic: WDI indicator list",
        publisher="test fixture over the WDI mirror file",
        homepage="https://example.invalid/",
        licence="CC BY 4.0",
        files=(SourceFile(WDI_META_FILE, "https://example.invalid/wdi.csv", row["sha256"]),),
        tables=(TableSpec("synthetic_wdi_indicators",
                          {"indicator_code": "VARCHAR", "indicator_name": "VARCHAR",
                           "first_year_in_source": "INTEGER", "last_year_in_source": "INTEGER"},
                          primary_key=("indicator_code",)),),
        parse=_parse_wdi_meta,
    )
