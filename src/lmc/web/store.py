"""The built index as the web app sees it: the files ``lmc build`` wrote, loaded once and indexed for fast queries.

The app never computes the index; it reads ``<out>/scores.csv``, ``rank_intervals.csv``, ``indicators.csv``,
``sources.csv``, ``sobol.csv`` and ``build.json``. When the files change (a new build), the next request reloads
them (checked by modification time, at most once a second). When they are missing, :class:`NotBuiltError` says
how to make them; pages show that message instead of inventing numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lmc.errors import WarehouseError
from lmc.web.errors import WAREHOUSE_BUSY, NotBuiltError, WarehouseBusy, is_lock_error

LEVELS: tuple[str, ...] = ("country", "pair", "province")
PILLARS_FALLBACK: tuple[str, ...] = ("index", "mobility", "institutions", "culture", "people")

DOWNLOADABLE: tuple[str, ...] = (
    "scores.csv", "scores.xlsx", "scores.parquet", "datapackage.json", "indicators.csv", "rank_intervals.csv",
    "sobol.csv", "coverage.csv", "correlations.csv", "sources.csv", "validity.csv", "contributions.csv",
    "robustness.csv", "report_en.html", "report_zh.html",
    "report_en.pdf", "report_zh.pdf",
)
"""The only files the app serves from the output folder: a fixed list, so no request can name another path."""


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Plain-Python records (NaN -> None), ready for JSON."""
    out = df.astype(object).where(df.notna(), None).to_dict(orient="records")
    for r in out:
        for k, v in r.items():
            if isinstance(v, np.generic):
                r[k] = v.item()
            elif isinstance(v, (pd.Timestamp, dt.datetime, dt.date)):
                r[k] = v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat()
    return out


@dataclass(frozen=True, eq=False)
class BuiltIndex:
    """One build's tables, with the score records pre-grouped by (level, year) for the API's hot path."""

    out_dir: Path
    key: str
    runs: int
    scores: pd.DataFrame  # level, unit, year, pillar, score, rank
    rank_intervals: pd.DataFrame  # level, unit, year, nominal_rank, median_rank, rank_p05, rank_p95, score_p05/95
    indicators: pd.DataFrame  # level, indicator, unit, year, raw, value, flag
    sources: pd.DataFrame  # id, title, publisher, licence, url, used_for
    sobol: pd.DataFrame
    coverage: pd.DataFrame
    licences: tuple[dict[str, str], ...]
    years: tuple[int, ...]
    pillars: tuple[str, ...]
    units: dict[str, tuple[str, ...]]
    by_level_year: dict[tuple[str, int], list[dict[str, Any]]] = field(repr=False)

    @property
    def latest_year(self) -> int:
        return max(self.years)

    def files(self) -> list[dict[str, Any]]:
        """The downloadable files that exist, with their sizes."""
        rows = []
        for name in DOWNLOADABLE:
            p = self.out_dir / name
            if p.is_file():
                rows.append({"name": name, "bytes": p.stat().st_size, "format": name.rsplit(".", 1)[1]})
        return rows

    def score_records(self, *, level: str | None = None, year: int | None = None, unit: str | None = None,
                      pillar: str | None = None) -> list[dict[str, Any]]:
        """Score rows matching every given filter, ordered by level, year, pillar, rank."""
        if level is not None and year is not None:
            rows = self.by_level_year.get((level, year), [])
        else:
            rows = [r for (lv, yr), rs in self.by_level_year.items()
                    if (level is None or lv == level) and (year is None or yr == year) for r in rs]
        if unit is not None:
            rows = [r for r in rows if r["unit"] == unit]
        if pillar is not None:
            rows = [r for r in rows if r["pillar"] == pillar]
        return rows


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise NotBuiltError(f"{path.name} is missing from the build's output folder: run `lmc build` (it writes "
                            f"the index files the observatory shows).")
    return pd.read_csv(path)


def load_built(out_dir: Path) -> BuiltIndex:
    """Read one build's output folder."""
    if not (out_dir / "scores.csv").is_file():
        raise NotBuiltError("no built index in the output folder: run `lmc build` (or `lmc serve --out FOLDER` "
                            "to show another build).")
    scores = _read_csv(out_dir / "scores.csv")
    scores["year"] = scores["year"].astype("int64")
    scores["rank"] = scores["rank"].astype("Int64")
    scores["score"] = scores["score"].astype("float64").round(4)
    for c in ("level", "unit", "pillar"):
        scores[c] = scores[c].astype(str)
    meta: dict[str, Any] = {}
    if (out_dir / "build.json").is_file():
        try:
            meta = json.loads((out_dir / "build.json").read_text(encoding="utf-8"))
        except ValueError:
            meta = {}
    licences: tuple[dict[str, str], ...] = ()
    if (out_dir / "datapackage.json").is_file():
        try:
            pkg = json.loads((out_dir / "datapackage.json").read_text(encoding="utf-8"))
            licences = tuple({"name": str(x.get("name", "")), "title": str(x.get("title", "")),
                              "path": str(x.get("path", ""))} for x in pkg.get("licenses", []))
            if not meta.get("runs"):  # no build.json (outputs written without `lmc build`): the package says it
                import re

                m = re.search(r"uncertainty \((\d+) replays\)", str(pkg.get("description", "")))
                if m:
                    meta["runs"] = int(m.group(1))
        except ValueError:
            licences = ()
    optional = {}
    for name in ("rank_intervals", "indicators", "sources", "sobol", "coverage"):
        p = out_dir / f"{name}.csv"
        optional[name] = pd.read_csv(p) if p.is_file() else pd.DataFrame()
    ri = optional["rank_intervals"]
    if len(ri):
        ri["year"] = ri["year"].astype("int64")
    order = {p: i for i, p in enumerate(PILLARS_FALLBACK)}
    scores["_p"] = scores["pillar"].map(lambda p: order.get(p, len(order)))
    sorted_scores = scores.sort_values(["level", "year", "_p", "pillar", "rank", "unit"], kind="stable")
    scores = scores.drop(columns="_p")
    by: dict[tuple[str, int], list[dict[str, Any]]] = {}
    cols = ["unit", "year", "pillar", "score", "rank", "level"]
    for (lv, yr), g in sorted_scores.groupby(["level", "year"], sort=False):
        by[(str(lv), int(yr))] = _records(g[cols])
    pillars = tuple(p for p in PILLARS_FALLBACK if p in set(scores["pillar"])) + tuple(
        sorted(set(scores["pillar"]) - set(PILLARS_FALLBACK)))
    units = {lv: tuple(sorted(set(scores.loc[scores["level"] == lv, "unit"]))) for lv in LEVELS}
    return BuiltIndex(out_dir=out_dir, key=str(meta.get("key", "")), runs=int(meta.get("runs", 0) or 0),
                      scores=scores, rank_intervals=ri, indicators=optional["indicators"],
                      sources=optional["sources"], sobol=optional["sobol"], coverage=optional["coverage"],
                      licences=licences, years=tuple(sorted({int(y) for y in scores["year"]})), pillars=pillars,
                      units=units, by_level_year=by)


class Store:
    """Thread-safe holder of the current build; reloads when ``scores.csv`` or ``build.json`` changes."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self._lock = threading.Lock()
        self._built: BuiltIndex | None = None
        self._stamp: tuple[int, ...] | None = None
        self._checked = 0.0

    def _stamp_now(self) -> tuple[int, ...]:
        out = []
        for name in ("scores.csv", "build.json"):
            try:
                st = (self.out_dir / name).stat()
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def get(self) -> BuiltIndex:
        """The current build, or :class:`NotBuiltError` with what to run."""
        now = time.monotonic()
        if self._built is not None and now - self._checked < 1.0:
            return self._built
        with self._lock:
            stamp = self._stamp_now()
            self._checked = now
            if self._built is None or stamp != self._stamp:
                self._built = load_built(self.out_dir)
                self._stamp = stamp
            return self._built

    def available(self) -> bool:
        try:
            self.get()
            return True
        except NotBuiltError:
            return False


def warehouse_table(name: str, settings) -> pd.DataFrame:
    """A warehouse table, read-only. While a writer (``lmc data pull``) holds the warehouse's lock:
    :class:`WarehouseBusy` (503, retry); without a warehouse: :class:`NotBuiltError` (503, run `lmc data pull`).
    Neither message names a path, a process or DuckDB's own text."""
    from lmc.warehouse.db import read_table

    if not settings.warehouse.is_file():
        raise NotBuiltError("there is no warehouse yet: run `lmc data pull`.")
    try:
        return read_table(name, settings)
    except WarehouseError as exc:
        if is_lock_error(exc):
            raise WarehouseBusy(WAREHOUSE_BUSY) from None
        raise


# ------------------------------------------------------------------------------------------------ reference data
@lru_cache(maxsize=1)
def framework():
    """The SCI framework (pillars and indicators with names in en/zh and their sources)."""
    from lmc.sci.framework import default_framework

    return default_framework()


def indicator_meta() -> pd.DataFrame:
    fw = framework()
    rows = [{"id": i.id, "level": i.level, "pillar": i.pillar, "name_en": i.name.en, "name_zh": i.name.zh,
             "unit": i.unit, "direction": i.direction, "source": i.source, "source_note": i.source_note,
             "coverage": i.coverage, "status": i.status} for i in fw.indicators]
    return pd.DataFrame(rows)


def pillar_name(pid: str, lang: str) -> str:
    try:
        p = framework().pillar(pid)
    except Exception:
        return pid
    return p.name.zh if lang == "zh" else p.name.en
