"""OxCGRT legacy time series: daily C8 international travel controls for 187 countries through 2022 (and, for a few
countries such as China, into 2023).

Why: the ``oxcgrt`` copy of C8 (Our World in Data's republication) stops on 2021-12-02, so it misses the 2022
reopenings (Vietnam, Laos, Myanmar, Thailand, Cambodia) and China's closure, which lasted all of 2022 (China's last
day at level 2 is 2023-01-07). This legacy series is the one the SCI's Covid measures and regimes use.

C8 levels: 0 no measures, 1 screening, 2 quarantine for arrivals from some or all regions, 3 ban on arrivals from
some regions, 4 ban on all regions or total border closure. After 2022-07-27 the legacy series is not split by
vaccination status.

Files: the byte-exact wide file (one column per day ``01Jan2020 .. 20Feb2023``, ``NA`` where not coded) and two
DERIVED files for the six LMC countries (daily C8 plus the legacy Stringency Index, and monthly aggregates). The
derived files need a second upstream file (the stringency series), so an online pull without a mirror rebuilds only
their C8 columns from the wide file (stringency left empty); they are optional for the same reason.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
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
    reject_first,
    to_date,
    to_float,
    to_int,
    to_str,
)
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.sources.harmonise import is_country_iso3

REPO = "OxCGRT/covid-policy-tracker-legacy@73d422987c9d5b7e10275b884330f18a0a5aa107"

C8_WIDE = SourceFile(
    "oxcgrt_legacy/c8_internationaltravel.csv",
    github_raw(REPO, "legacy_data_202207/timeseries/c8_internationaltravel.csv"),
    "01e3cd5e581ad84a80fe62cf9a78d3c2633040f2b646618e38d8866634844cc7",
    bytes=729107,
)

_ID_COLS = ["", "country_code", "country_name"]
_DAILY_COLS = ["country_code", "country_name", "date", "c8_international_travel", "stringency_index_legacy"]
_MONTHLY_COLS = ["country_code", "month", "c8_mean", "c8_max", "c8_days_level4", "c8_days_obs", "si_mean"]


def _wide_to_long(path_or_bytes: Path | bytes, label: str) -> pd.DataFrame:
    """The wide C8 file -> ``iso3, country_name, date, c8`` (observed cells only); errors name file/line/column."""
    if isinstance(path_or_bytes, bytes):
        path = Path(label)
        wide = pd.read_csv(io.BytesIO(path_or_bytes), dtype=str, keep_default_na=False, na_values=["", "NA"])
    else:
        path = path_or_bytes
        wide = read_csv(path, na_values=("", "NA"))
    wide.columns = ["" if str(c).startswith("Unnamed") else c for c in wide.columns]  # the unnamed row-number column
    missing = [c for c in _ID_COLS[1:] if c not in wide.columns]
    if missing:
        raise ParseError(f"{path}: line 1: missing column(s) {missing}")
    day_cols = [c for c in wide.columns if c not in _ID_COLS]
    dates = pd.to_datetime(pd.Series(day_cols), format="%d%b%Y", errors="coerce")
    if dates.isna().any():
        bad = day_cols[int(dates.isna().to_numpy().argmax())]
        raise ParseError(f"{path}: line 1, column {bad!r}: not a DDMonYYYY date")
    raw = wide[day_cols]
    values = raw.apply(pd.to_numeric, errors="coerce")
    bad = (values.isna() & raw.notna()) | ~(values.isna() | values.isin([0, 1, 2, 3, 4]))
    if bad.to_numpy().any():
        r, c = np.argwhere(bad.to_numpy())[0]
        raise ParseError(f"{path}: line {r + 2}, column {day_cols[c]!r}: {raw.iat[r, c]!r} is not a C8 level 0..4")
    code = to_str(wide, "country_code", path, required=True)
    name = to_str(wide, "country_name", path)
    arr = values.to_numpy(dtype="float64")
    n_rows, n_days = arr.shape
    long = pd.DataFrame({
        "iso3": np.repeat(code.to_numpy(dtype=object), n_days),
        "country_name": np.repeat(name.to_numpy(dtype=object), n_days),
        "date": np.tile(dates.dt.date.to_numpy(), n_rows),
        "c8": arr.reshape(-1),
    })
    long = long[long["c8"].notna()]
    return long[long["iso3"].map(is_country_iso3).astype(bool)].reset_index(drop=True)


def derive_daily(upstream: bytes) -> bytes:
    """The LMC daily panel from the wide C8 file alone (the legacy stringency column needs a second file: empty)."""
    long = _wide_to_long(upstream, C8_WIDE.path)
    d = long[long["iso3"].isin(LMC_COUNTRIES) & (pd.to_datetime(long["date"]) <= "2022-12-31")]
    return csv_bytes(pd.DataFrame({"country_code": d["iso3"], "country_name": d["country_name"], "date": d["date"],
                                   "c8_international_travel": d["c8"], "stringency_index_legacy": None}))


def derive_monthly(upstream: bytes) -> bytes:
    """Monthly aggregates of :func:`derive_daily` (``si_mean`` empty for the same reason)."""
    d = pd.read_csv(io.BytesIO(derive_daily(upstream)))
    return csv_bytes(_monthly(d.rename(columns={"country_code": "iso3", "c8_international_travel": "c8"})))


def _monthly(daily: pd.DataFrame) -> pd.DataFrame:
    d = daily.assign(month=pd.to_datetime(daily["date"]).dt.strftime("%Y-%m"))
    g = d.groupby(["iso3", "month"])["c8"]
    out = pd.DataFrame({"c8_mean": g.mean().round(3), "c8_max": g.max(),
                        "c8_days_level4": g.apply(lambda s: int((s == 4).sum())), "c8_days_obs": g.size()})
    return out.assign(si_mean=None).reset_index().rename(columns={"iso3": "country_code"})


DAILY = SourceFile(
    "oxcgrt_legacy/oxcgrt_legacy_c8_si_lmc_daily_2020-2022.csv",
    C8_WIDE.url,
    "b6334c47e8f556db6c055a908ad866b3fb8ded6087676ce45ee5f1156805c2ae",
    bytes=212424,
    derived=True,
    derive=derive_daily,
    optional=True,
)
MONTHLY = SourceFile(
    "oxcgrt_legacy/oxcgrt_legacy_c8_si_lmc_monthly_2020-2022.csv",
    C8_WIDE.url,
    "67c74a52098d38a5298fc5e2ce783e8d27bad930458754c7a5aa22dfd28f0841",
    bytes=7004,
    derived=True,
    derive=derive_monthly,
    optional=True,
)

T_C8 = TableSpec(
    "oxcgrt_legacy_c8_daily",
    {"iso3": "VARCHAR", "country_name": "VARCHAR", "date": "DATE", "c8": "TINYINT"},
    "Daily C8 international travel controls, 187 countries, 2020-01-01 to 2022-12-31 (a few countries, China among "
    "them, into early 2023); coded cells only. 0 none, 1 screening, 2 quarantine arrivals, 3 ban on some regions, "
    "4 total border closure.",
    ("iso3", "date"),
    files=(C8_WIDE.path,),
)
T_LMC_DAILY = TableSpec(
    "oxcgrt_legacy_lmc_daily",
    {"iso3": "VARCHAR", "date": "DATE", "c8": "TINYINT", "stringency_legacy": "DOUBLE"},
    "The six LMC countries, daily 2020-01-01 to 2022-12-31: C8 and the legacy Stringency Index (0-100).",
    ("iso3", "date"),
    files=(DAILY.path,),
)
T_LMC_MONTHLY = TableSpec(
    "oxcgrt_legacy_lmc_monthly",
    {"iso3": "VARCHAR", "month": "VARCHAR", "c8_mean": "DOUBLE", "c8_max": "DOUBLE", "c8_days_level4": "INTEGER",
     "c8_days_obs": "INTEGER", "stringency_mean": "DOUBLE"},
    "Monthly C8 mean/max, days at level 4 and mean legacy stringency for the six LMC countries, 2020-01 to 2022-12.",
    ("iso3", "month"),
    files=(MONTHLY.path,),
)


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    c8 = _wide_to_long(file_for(paths, C8_WIDE), C8_WIDE.path)
    frames = {T_C8.name: conform(c8, T_C8)}
    daily = pd.DataFrame(columns=list(T_LMC_DAILY.columns))
    if DAILY.path in paths:
        p = file_for(paths, DAILY)
        df = read_csv(p, columns=_DAILY_COLS)
        daily = pd.DataFrame({
            "iso3": to_str(df, "country_code", p, required=True),
            "date": to_date(df, "date", p),
            "c8": to_int(df, "c8_international_travel", p),
            "stringency_legacy": to_float(df, "stringency_index_legacy", p),
        })
        reject_first(daily["c8"].notna() & ~daily["c8"].isin([0, 1, 2, 3, 4]), df["c8_international_travel"], p,
                     "c8_international_travel", "is not a C8 level 0..4")
    frames[T_LMC_DAILY.name] = conform(daily, T_LMC_DAILY)
    monthly = pd.DataFrame(columns=list(T_LMC_MONTHLY.columns))
    if MONTHLY.path in paths:
        p = file_for(paths, MONTHLY)
        df = read_csv(p, columns=_MONTHLY_COLS)
        month = to_str(df, "month", p, required=True)
        reject_first(~month.str.fullmatch(r"\d{4}-\d{2}"), month, p, "month", "is not YYYY-MM")
        monthly = pd.DataFrame({
            "iso3": to_str(df, "country_code", p, required=True), "month": month,
            "c8_mean": to_float(df, "c8_mean", p), "c8_max": to_float(df, "c8_max", p),
            "c8_days_level4": to_int(df, "c8_days_level4", p), "c8_days_obs": to_int(df, "c8_days_obs", p),
            "stringency_mean": to_float(df, "si_mean", p),
        })
    frames[T_LMC_MONTHLY.name] = conform(monthly, T_LMC_MONTHLY)
    return frames


def observations(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per country and year 2020-2022 (the years the tracker coded in full): ``covid_c8_legacy_mean`` (mean level),
    ``covid_c8_legacy_days_ge2`` (days with quarantine or a ban on arrivals), ``covid_c8_legacy_days_level4`` (days
    of total border closure). The few days coded in 2023 stay in the daily table."""
    c = tables[T_C8.name]
    c = c.assign(year=pd.to_datetime(c["date"]).dt.year, c8=c["c8"].astype(float))
    c = c[c["year"] <= 2022]
    g = c.groupby(["iso3", "year"]).agg(
        covid_c8_legacy_mean=("c8", "mean"),
        covid_c8_legacy_days_ge2=("c8", lambda s: float((s >= 2).sum())),
        covid_c8_legacy_days_level4=("c8", lambda s: float((s == 4).sum())),
    )
    return melt_observations(g.reset_index(), unit="iso3")


SOURCE = Source(
    id="oxcgrt_legacy",
    title="OxCGRT legacy C8 international travel controls (daily, through 2022)",
    publisher="Oxford COVID-19 Government Response Tracker, Blavatnik School of Government (legacy time series)",
    homepage="https://github.com/OxCGRT/covid-policy-tracker-legacy",
    licence="CC BY 4.0",
    files=(C8_WIDE, DAILY, MONTHLY),
    tables=(T_C8, T_LMC_DAILY, T_LMC_MONTHLY),
    parse=parse,
    observations=observations,
    coverage="187 countries, 2020-01-01 .. 2022-12-31 (China to 2023-01-08); LMC daily and monthly panels",
    notes="Legacy series (not split by vaccination status after 2022-07-27). Cite Hale et al. (2021), Nature Human "
          "Behaviour. Supersedes the C8 of source 'oxcgrt' (which stops on 2021-12-02) for the SCI.",
)
