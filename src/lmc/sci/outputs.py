"""Write an :class:`~lmc.sci.results.SciResult` as data files: CSV, XLSX, Parquet and a Frictionless
``datapackage.json``. Each file is written to a temporary path and swapped in, never left half-written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from lmc import __version__
from lmc.atomic import write_bytes
from lmc.sci.results import CURATED_FACT, SciResult

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
