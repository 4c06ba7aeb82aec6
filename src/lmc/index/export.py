"""Write results atomically: CSV, XLSX (a sheet per stage), Parquet and a Frictionless ``datapackage.json``.

Every file is written to a temporary name in the target folder and swapped in with ``os.replace``, so a failure
never leaves a half-written file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from lmc.atomic import atomic_path


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then swap the temporary file onto ``path`` (:func:`lmc.atomic.atomic_path`)."""
    with atomic_path(path) as tmp:
        write(tmp)
    return Path(path)


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    return atomic_write(path, lambda p: df.to_csv(p, index=False, float_format="%.15g"))


def write_parquet(df: pd.DataFrame, path: str | Path) -> Path:
    return atomic_write(path, lambda p: df.to_parquet(p, index=False))


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One sheet per frame (names cut to Excel's 31 characters)."""
    def _w(p: Path) -> None:
        with pd.ExcelWriter(p, engine="openpyxl") as xw:
            for name, df in sheets.items():
                df.to_excel(xw, sheet_name=name[:31], index=False)
    return atomic_write(path, _w)


def write_json(obj: Any, path: str | Path) -> Path:
    return atomic_write(path, lambda p: p.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str),
                                                     encoding="utf-8"))


def _field_type(s: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(s):
        return "boolean"
    if pd.api.types.is_integer_dtype(s):
        return "integer"
    if pd.api.types.is_numeric_dtype(s):
        return "number"
    return "string"


def datapackage(resources: dict[str, pd.DataFrame], *, name: str, title: str | None = None,
                sources: list[dict[str, str]] | None = None, description: str | None = None) -> dict[str, Any]:
    """A Frictionless Data Package descriptor for CSV files ``<resource>.csv`` beside it."""
    res = []
    for rname, df in resources.items():
        res.append({"name": rname.lower().replace("_", "-"), "path": f"{rname}.csv", "format": "csv",
                    "mediatype": "text/csv", "encoding": "utf-8",
                    "schema": {"fields": [{"name": str(c), "type": _field_type(df[c])} for c in df.columns],
                               "missingValues": [""]}})
    pkg: dict[str, Any] = {"profile": "tabular-data-package", "name": name.lower().replace("_", "-"),
                           "title": title or name, "resources": res}
    if description:
        pkg["description"] = description
    if sources:
        pkg["sources"] = sources
    return pkg


def export_result(result, out: str | Path, *, formats: tuple[str, ...] = ("csv",), sources: list | None = None
                  ) -> list[Path]:
    """Write an :class:`IndexResult`: ``results`` plus every stage, weights and treatment details.

    ``formats``: any of ``csv`` (always includes ``results.csv``), ``xlsx`` (``index.xlsx``, a sheet per stage),
    ``parquet`` (one file per table) and ``datapackage`` (``datapackage.json`` describing the CSVs).
    """
    out = Path(out)
    tables: dict[str, pd.DataFrame] = {"results": result.to_frame()}
    for name in result.stages:
        tables[name] = result.stage_frame(name)
    tables["weights"] = result.weights_frame()
    if result.treat_details:
        tables["treat_details"] = result.treat_frame()
    written = []
    if "csv" in formats or "datapackage" in formats:
        for name, df in tables.items():
            written.append(write_csv(df, out / f"{name}.csv"))
    if "parquet" in formats:
        for name, df in tables.items():
            written.append(write_parquet(df.astype({c: "float64" for c in df.columns
                                                    if str(df[c].dtype) == "Int64"}), out / f"{name}.parquet"))
    if "xlsx" in formats:
        written.append(write_xlsx(tables, out / "index.xlsx"))
    if "datapackage" in formats:
        pkg = datapackage(tables, name=f"{result.framework.name}-index", title=f"{result.framework.name} index",
                          sources=sources, description="Composite index built with lmc.index (LMC Observatory); "
                                                       "the spec is in spec.json.")
        written.append(write_json(pkg, out / "datapackage.json"))
        written.append(write_json(result.spec.to_dict(), out / "spec.json"))
    return written
