"""Write an :class:`~lmc.sci.results.SciResult` as data files (CSV, XLSX, Parquet and a Frictionless
``datapackage.json``), and publish a whole build all-or-nothing.

Why all-or-nothing: a build killed midway must leave neither a mix of new and old files nor a manifest that calls
the mix "up to date". A build is written into a staging folder inside the output folder (:func:`staging`, same file
system), then :func:`publish` invalidates ``build.json``, moves every file in with ``os.replace`` and writes
``build.json`` last, with the sha256 of every file. :func:`cached_files` trusts a folder only when the build key
matches and every file still has its recorded hash. A kill before the publish leaves the previous build whole and
valid; a kill during it (a few renames) leaves no ``build.json``, so the next run builds again. Staging folders of
dead builds are removed by the next one.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from lmc import __version__
from lmc.atomic import write_bytes
from lmc.sci.results import CURATED_FACT, SciResult
from lmc.sources.fetch import sha256_file

MANIFEST = "build.json"
_STAGING = ".building-"

_TYPES = {"int64": "integer", "Int64": "integer", "float64": "number", "bool": "boolean"}


def _schema(df: pd.DataFrame, descriptions: dict[str, str]) -> dict:
    fields = []
    for c in df.columns:
        t = _TYPES.get(str(df[c].dtype), "string")
        fields.append({"name": c, "type": t, **({"description": descriptions[c]} if c in descriptions else {})})
    return {"fields": fields}


DESCRIPTIONS = {
    "level": "country, pair or province",
    "unit": "ISO3 country code, canonical pair 'CHN-LAO' (order CHN MMR LAO THA KHM VNM) or province code",
    "year": "calendar year",
    "pillar": "index (overall) or one of mobility, institutions, culture, people",
    "score": "0-100, fixed goalposts (comparable across years); 100 = most connected",
    "rank": "rank within level, year and pillar; 1 = most connected",
    "flag": "observed, interpolated, carried_forward, carried_back or missing (lmc.indicators.imputation)",
    "source_years": "year(s) the value comes from: its own year if observed, the year carried, 'y0-y1' if interpolated",
    "source": "source of the observation(s) the value comes from (for arrivals, each direction summed)",
    "sources": "sources of the indicator's observed cells, with the number of cells each contributed to",
    "raw": "observed value before gap filling (empty when not observed)",
    "value": "value used by the index, after gap filling",
    "points": "points the indicator adds to (or takes from) the unit's index against the median unit",
    "median": "the median unit's 0-100 score on the indicator (the median pair; for a country's own indicators, the "
              "median country)",
    "pass": "true when the build reproduces the statement",
    "observed": "the values the statement was checked on",
    "basis": "for scores compared between two years: the indicators left out because only one year has them",
}


def tables(result: SciResult) -> dict[str, pd.DataFrame]:
    return {
        "scores": result.scores,
        "indicators": result.panel,
        "rank_intervals": result.uncertainty.rank_intervals,
        "sobol": result.uncertainty.sobol,
        "coverage": result.audit["coverage"],
        "correlations": result.audit["correlations"],
        "sources": result.sources,
        **({"validity": result.validity.table} if result.validity is not None else {}),
        **({"contributions": result.contributions} if result.contributions is not None else {}),
        **({"robustness": result.robustness} if result.robustness is not None else {}),
    }


def write_outputs(result: SciResult, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    tbs = tables(result)
    for name, df in tbs.items():
        p = out_dir / f"{name}.csv"
        write_bytes(p, df.to_csv(index=False).encode("utf-8"))
        files.append(p)
    buf = io.BytesIO()
    result.scores.to_parquet(buf, index=False)
    write_bytes(out_dir / "scores.parquet", buf.getvalue())
    files.append(out_dir / "scores.parquet")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, df in tbs.items():
            df.to_excel(xw, sheet_name=name[:31], index=False)
    write_bytes(out_dir / "scores.xlsx", buf.getvalue())
    files.append(out_dir / "scores.xlsx")
    licences = sorted({str(x) for x in result.sources["licence"] if str(x)})
    package = {
        "profile": "tabular-data-package",
        "name": "lmc-soft-connectivity-index",
        "title": "Lancang-Mekong Soft Connectivity Index",
        "version": __version__,
        "description": (f"Scores and ranks of the six LMC countries, their 15 pairs and the railway corridor's "
                        f"provinces, {min(result.years)}-{max(result.years)}, with the flagged indicator panel, "
                        f"uncertainty ({result.uncertainty.runs} replays) and sources."),
        "licenses": [{"name": "ODbL-1.0", "title": "Derived from OpenFlights (ODbL): share alike",
                      "path": "https://opendatacommons.org/licenses/odbl/1-0/"}],
        "sources": [{"title": f"{r.publisher}: {r.title}", "path": r.url, "licence": r.licence}
                    for r in result.sources.itertuples() if r.id != CURATED_FACT],
        "x_source_licences": licences,
        "x_build_key": result.key,
        "resources": [
            {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema(df, DESCRIPTIONS)}
            for name, df in tbs.items()
        ],
    }
    p = out_dir / "datapackage.json"
    write_bytes(p, json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8"))
    files.append(p)
    return files


# --- publishing a build all-or-nothing ---------------------------------------------------------------------------


def cached_files(out_dir: Path, key: str) -> tuple[Path, ...] | None:
    """The files of the build in ``out_dir`` (manifest last) when it was built with ``key`` and every file still has
    the sha256 recorded in ``build.json``; None when anything differs (then build again)."""
    manifest = out_dir / MANIFEST
    try:
        old = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    hashes = old.get("files") if isinstance(old, dict) else None
    if old.get("key") != key or not isinstance(hashes, dict) or not hashes:
        return None
    for rel, sha in hashes.items():
        if not (out_dir / rel).is_file() or sha256_file(out_dir / rel) != sha:
            return None
    return tuple(out_dir / rel for rel in sorted(hashes)) + (manifest,)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        pass
    return True


@contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A fresh staging folder inside ``out_dir`` to write a build into (removed afterwards, published or not)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(f"{_STAGING}*"):  # left by a build that was killed
        pid = old.name.removeprefix(_STAGING).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=out_dir))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _previous_files(manifest: Path) -> set[str]:
    """Files the previous build's manifest lists (either format: a list, or a mapping to hashes)."""
    try:
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return set()
    return {str(f) for f in files} if isinstance(files, (list, dict)) else set()


def publish(stage: Path, out_dir: Path, key: str, meta: dict | None = None) -> tuple[Path, ...]:
    """Move every file of ``stage`` into ``out_dir`` and write ``build.json`` (key, sha256 per file, ``meta``) last.

    The previous ``build.json`` is removed first, so no moment shows a valid manifest over a partial build; files of
    the previous build that this one does not write (the PDFs of a build now made with ``--no-pdf``) are removed,
    so nothing stale sits beside the new files. Other files in ``out_dir`` (exports) are left alone.
    """
    rels = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    hashes = {rel: sha256_file(stage / rel) for rel in rels}
    manifest = out_dir / MANIFEST
    stale = _previous_files(manifest) - set(rels)
    manifest.unlink(missing_ok=True)
    for rel in sorted(stale):
        old = out_dir / rel
        if old.resolve().is_relative_to(out_dir.resolve()):  # a manifest names files inside its folder only
            old.unlink(missing_ok=True)
    for rel in rels:
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / rel, target)
    write_bytes(manifest, json.dumps({"key": key, "files": hashes, **(meta or {})}, indent=2).encode("utf-8"))
    return tuple(out_dir / rel for rel in rels) + (manifest,)
