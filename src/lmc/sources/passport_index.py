"""Passport Index dataset (Ilya Ilyankou): visa requirements by passport and destination, 2019-2025.

Why: visa openness is the most direct policy lever of people-to-people connectivity. The dataset changed its coding
twice; :func:`lmc.sources.harmonise.harmonise_visa` maps all three codings (with the 2019 codes 1/2 read the way
the data show, not the way the old README said) onto one ordinal scale, so snapshots compare.

``visa_requirements`` stacks the seven full 199x199 snapshots (``full_matrix = true``) and, for the other 46
dates, the rows of the LMC panel (either side an LMC country; ``full_matrix = false``).

Download limitation: the LMC panel was derived from 53 dated files (``legacy/<date>/`` folders plus the current
file). One URL gives one of them, so an online pull without a mirror derives the panel from the current file only
(one date, 2025-01-12); the mirror holds the full 53-date panel.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.errors import ParseError
from lmc.sources._common import (
    conform,
    csv_bytes,
    file_for,
    github_raw,
    melt_observations,
    read_csv,
    to_date,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import UnknownVisaCode, harmonise_visa

REPO = "ilyankou/passport-index-dataset@a46dbc872002e01f6465a69071a7ed5b6dc8fc7b"
CURRENT_DATE = "2025-01-12"

_SNAPSHOT_SHA = {  # date -> (sha256, bytes) from the MANIFEST
    "2019-11-23": ("67aa36d9945350c86d11a173eed2d09b341f6730d6055e374c4cc6cf42296b60", 394046),
    "2020-02-07": ("057d36f8d5f758a39dd7b0d9e56f90ce9d61af45157167c8e3a08c881d1b7bb7", 443477),
    "2021-05-13": ("5bb7e5a8ac1418a9c6a86bb6b9ba44ee062de3334bed6f6eccc1c036726e7eed", 722020),
    "2022-07-03": ("2471f2dd4dfcbe1cd9417e9398b9d9ca040dd175646fa8609abf4739e8178791", 719911),
    "2023-07-03": ("c1256d632ec5c464a636962f4a53f39d718e4873e6c43115836eb1fec564717f", 716244),
    "2024-07-02": ("fa7f46f99516b6ced759ec1c2d6acdf829b44a2068745a8162c143dacd6709b4", 704020),
    "2025-01-12": ("8fda21d4075ea39cee1d76a50104fa4b0870cccdbc6fbdfbe98986e18d798b33", 698647),
}


def _snapshot_file(date: str) -> SourceFile:
    upstream = "passport-index-tidy-iso3.csv" if date == CURRENT_DATE else f"legacy/{date}/passport-index-tidy-iso3.csv"
    sha, size = _SNAPSHOT_SHA[date]
    return SourceFile(
        f"passport_index/passport_index_tidy_iso3_{date}.csv", github_raw(REPO, upstream), sha, bytes=size
    )


SNAPSHOTS = {d: _snapshot_file(d) for d in _SNAPSHOT_SHA}


def derive_panel(upstream: bytes) -> bytes:
    """The LMC panel from the one file a single URL gives (the current matrix, dated 2025-01-12)."""
    df = pd.read_csv(io.BytesIO(upstream), dtype=str, keep_default_na=False)
    value_col = df.columns[2]
    df = df[df["Passport"].isin(LMC_COUNTRIES) | df["Destination"].isin(LMC_COUNTRIES)]
    out = pd.DataFrame(
        {
            "snapshot_date": CURRENT_DATE,
            "passport": df["Passport"],
            "destination": df["Destination"],
            "requirement": df[value_col],
        }
    )
    return csv_bytes(out)


def derive_commit_history(upstream: bytes) -> bytes:
    """GitHub commits API JSON (commits touching the tidy CSV) -> ``commit,date,subject`` CSV."""
    items = json.loads(upstream)
    rows = [
        {
            "commit": c["sha"],
            "date": c["commit"]["committer"]["date"][:10],
            "subject": c["commit"]["message"].splitlines()[0],
        }
        for c in items
    ]
    return csv_bytes(pd.DataFrame(rows, columns=["commit", "date", "subject"]))


PANEL = SourceFile(
    "passport_index/passport_index_lmc_panel_2019-2025.csv",
    github_raw(REPO, "passport-index-tidy-iso3.csv"),
    "40ec54365be940b70152e16e22c5f51027792f3de69974d49592ae6b427c696a",
    bytes=3667719,
    derived=True,
    derive=derive_panel,
)
HISTORY = SourceFile(
    "passport_index/tidy_csv_commit_history.csv",
    "https://api.github.com/repos/ilyankou/passport-index-dataset/commits?path=passport-index-tidy-iso3.csv&per_page=100",
    "f4fbe77b2c28a5db81f7c7414ca4dfe093d482ae430e4c2010942030fbe2ed4b",
    bytes=4267,
    derived=True,
    derive=derive_commit_history,
    optional=True,
)

T_VISA = TableSpec(
    "visa_requirements",
    {
        "snapshot_date": "DATE",
        "passport": "VARCHAR",
        "destination": "VARCHAR",
        "requirement_raw": "VARCHAR",
        "openness": "TINYINT",
        "max_stay_days": "SMALLINT",
        "category": "VARCHAR",
        "coding_era": "TINYINT",
        "full_matrix": "BOOLEAN",
    },
    "Visa requirement per snapshot, passport (ISO3) and destination (ISO3): raw value, ordinal openness "
    "(0 no admission, 1 visa required, 2 e-visa, 3 eTA, 4 visa on arrival, 5 visa-free), max stay in days.",
    ("snapshot_date", "passport", "destination"),
    files=tuple(
        f.path
        for f in (
            *SNAPSHOTS.values(),
            PANEL,
        )
    ),
    min_rows=270_000,  # 7 full snapshots give 276,809 (publisher path); with the mirror's 53-date panel 384,977
)
T_HISTORY = TableSpec(
    "passport_index_commits",
    {"commit": "VARCHAR", "date": "DATE", "subject": "VARCHAR"},
    "Commits of the upstream repository that changed the tidy CSV (when snapshots were taken).",
    files=(HISTORY.path,),
    min_rows=50,  # 57 commits at the pinned date
)


def _harmonised(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    try:
        h = harmonise_visa(raw["snapshot_date"], raw["requirement_raw"])
    except UnknownVisaCode as exc:
        mask = (raw["requirement_raw"].astype(str).str.strip() == exc.value).to_numpy()
        line = int(mask.argmax()) + 2
        raise ParseError(f"{path}: line {line}, column 'requirement': {exc}") from exc
    from lmc.sources.harmonise import coding_era

    eras = {d: coding_era(d) for d in raw["snapshot_date"].unique()}
    return raw.assign(
        openness=h["openness"],
        max_stay_days=h["max_stay_days"],
        category=h["category"],
        coding_era=raw["snapshot_date"].map(eras).astype("Int8"),
    )


def _read_snapshot(path: Path, date: str) -> pd.DataFrame:
    df = read_csv(path, columns=["Passport", "Destination"])
    if len(df.columns) != 3:
        raise ParseError(f"{path}: line 1: expected 3 columns Passport,Destination,<value>, found {list(df.columns)}")
    value_col = str(df.columns[2])
    if value_col not in ("Code", "Requirement"):
        raise ParseError(f"{path}: line 1: third column is {value_col!r}, expected 'Code' or 'Requirement'")
    raw = pd.DataFrame(
        {
            "snapshot_date": date,
            "passport": to_str(df, "Passport", path, required=True),
            "destination": to_str(df, "Destination", path, required=True),
            "requirement_raw": to_str(df, value_col, path, required=True),
        }
    )
    return _harmonised(raw, path).assign(full_matrix=True)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Snapshots + panel -> ``visa_requirements`` (harmonised); commit list -> ``passport_index_commits``."""
    frames = []
    for date, f in SNAPSHOTS.items():
        if f.path in paths:
            frames.append(_read_snapshot(Path(paths[f.path]), date))
    p = file_for(paths, PANEL)
    df = read_csv(p, columns=["snapshot_date", "passport", "destination", "requirement"])
    dates = to_date(df, "snapshot_date", p)  # validates every date
    del dates
    raw = pd.DataFrame(
        {
            "snapshot_date": to_str(df, "snapshot_date", p, required=True),
            "passport": to_str(df, "passport", p, required=True),
            "destination": to_str(df, "destination", p, required=True),
            "requirement_raw": to_str(df, "requirement", p, required=True),
        }
    )
    full_dates = {d for d, f in SNAPSHOTS.items() if f.path in paths}
    raw = raw[~raw["snapshot_date"].isin(full_dates)]
    if len(raw):
        frames.append(_harmonised(raw.reset_index(drop=True), p).assign(full_matrix=False))
    visa = pd.concat(frames, ignore_index=True)
    visa["snapshot_date"] = pd.to_datetime(visa["snapshot_date"]).dt.date
    tables = {T_VISA.name: conform(visa, T_VISA)}

    if HISTORY.path in paths:
        p = Path(paths[HISTORY.path])
        h = read_csv(p, columns=["commit", "date", "subject"])
        tables[T_HISTORY.name] = conform(
            pd.DataFrame(
                {
                    "commit": to_str(h, "commit", p, required=True),
                    "date": to_date(h, "date", p),
                    "subject": to_str(h, "subject", p),
                }
            ),
            T_HISTORY,
        )
    else:
        tables[T_HISTORY.name] = conform(pd.DataFrame({c: [] for c in T_HISTORY.columns}), T_HISTORY)
    return tables


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """``visa_openness`` (0-5, mean over the year's snapshots) per directed pair passport>destination, for pairs
    with an LMC country on either side; ``visa_free`` is the share of the year's snapshots that were visa-free."""
    v = tables[T_VISA.name].dropna(subset=["openness"])
    v = v[v["passport"].isin(LMC_COUNTRIES) | v["destination"].isin(LMC_COUNTRIES)]
    v = v.assign(year=pd.to_datetime(v["snapshot_date"]).dt.year, free=(v["openness"] == 5).astype(float))
    g = v.groupby(["passport", "destination", "year"]).agg(
        visa_openness=("openness", "mean"), visa_free=("free", "mean")
    )
    return melt_observations(g.reset_index(), unit=("passport", "destination"))


SOURCE = Source(
    id="passport_index",
    title="Passport Index dataset: visa requirements (7 full snapshots + 53-date LMC panel)",
    publisher="Passport Index dataset by Ilya Ilyankou (scraped from passportindex.org / Arton Capital)",
    homepage="https://github.com/ilyankou/passport-index-dataset",
    licence="MIT (repository); underlying facts from passportindex.org",
    files=(*SNAPSHOTS.values(), PANEL, HISTORY),
    tables=(T_VISA, T_HISTORY),
    parse=parse,
    observations=observations,
    coverage="199 passports x 199 destinations; 2019-11-23 .. 2025-01-12 (53 snapshots for LMC rows)",
    notes="Tourist entry rules, crowd-sourced. Three codings harmonised to one ordinal scale "
    "(lmc.sources.harmonise); 2019 codes 1/2 read as VOA/eTA from the data. Online pulls without a mirror "
    "derive the panel from the current file only.",
)
