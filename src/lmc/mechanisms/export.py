"""XLSX export of the registry and every analysis, one sheet each, written atomically.

A workbook for analysts who do not use the command line: the four registry tables, both overlap matrices, the
congestion matrix, coordination candidates with programmes, the timeline, network centralities, shared mechanisms
per pair and year, and the references (publisher, URL, access date) behind every record.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lmc.atomic import atomic_path
from lmc.errors import ValidationError
from lmc.mechanisms.congestion import congestion, coordination_candidates
from lmc.mechanisms.network import mechanism_network
from lmc.mechanisms.overlap import membership_overlap, sector_overlap
from lmc.mechanisms.pairs import shared_mechanisms_by_pair_year
from lmc.mechanisms.timeline import timeline
from lmc.sources.mechanisms import Registry, registry_tables


@dataclass(frozen=True, slots=True)
class ExportResult:
    """Where the workbook went and the rows per sheet."""

    path: Path
    sheets: dict[str, int]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"sheet": list(self.sheets), "rows": list(self.sheets.values())})

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "sheets": dict(self.sheets)}


def _references(registry: Registry) -> pd.DataFrame:
    rows = [{"mechanism": m.id, "key": k, "publisher": r.publisher, "url": r.url, "accessed": r.accessed,
             "note": r.note} for m in registry.mechanisms for k, r in m.references.items()]
    return pd.DataFrame(rows)


def workbook_sheets(registry: Registry, years: Iterable[int] | None = None) -> dict[str, pd.DataFrame]:
    """Every sheet of the export as frames (sheet name -> frame), in workbook order."""
    years = list(years) if years is not None else list(range(1990, _dt.date.today().year + 1))
    tables = registry_tables(registry)
    cand = coordination_candidates(registry)
    tl = timeline(registry)
    return {
        "mechanisms": tables["mechanisms"],
        "members": tables["mechanism_members"],
        "sectors": tables["mechanism_sectors"],
        "programmes": tables["mechanism_programmes"],
        "overlap_members": membership_overlap(registry).to_frame(),
        "overlap_sectors": sector_overlap(registry).to_frame(),
        "congestion": congestion(registry).to_frame(),
        "candidates": cand.table,
        "candidate_programmes": cand.programmes,
        "timeline": tl.founding,
        "events": tl.events,
        "network": mechanism_network(registry).nodes,
        "pairs_by_year": shared_mechanisms_by_pair_year(registry, years),
        "references": _references(registry),
    }


def export_xlsx(registry: Registry, path: Path | str, years: Iterable[int] | None = None) -> ExportResult:
    """Write the workbook to ``path`` (``.xlsx``) via a temporary file and ``os.replace``."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(f"{path}: the export is an Excel workbook; give a path ending in .xlsx")
    sheets = workbook_sheets(registry, years)
    with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for name, df in sheets.items():
            df.to_excel(xl, sheet_name=name, index=False)
    return ExportResult(path, {k: len(v) for k, v in sheets.items()})
