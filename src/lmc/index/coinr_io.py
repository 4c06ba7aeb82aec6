"""Read COINr's own inputs (an ``iMeta`` table and an ``iData`` table), so COINr users can switch.

``iMeta`` columns: ``Level, iCode, iName, Direction, Weight, Unit, Target, Denominator, Parent, Type`` with
``Type`` one of Indicator, Aggregate, Group, Denominator, Other. ``iData`` is one row per unit with ``uCode``,
``uName``, group and denominator columns, optional ``Time`` and one column per indicator.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lmc.errors import suggest
from lmc.index.data import IndexData, read_data_csv, read_text_csv
from lmc.index.errors import FrameworkError
from lmc.index.framework import Framework, make_framework

IMETA_REQUIRED = ("iCode", "Parent", "Type")
TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")


def framework_from_imeta(imeta: pd.DataFrame, *, source: str = "<iMeta>", name: str = "index") -> Framework:
    """Convert an iMeta table into a validated :class:`Framework` (errors name the CSV line)."""
    cols = [str(c) for c in imeta.columns]
    for c in IMETA_REQUIRED:
        if c not in cols:
            raise FrameworkError(f"{source}: no {c!r} column.{suggest(c, cols)}")
    records, groups, dens = [], [], []
    for i, row in enumerate(imeta.to_dict("records")):
        line = i + 2
        t = str(row.get("Type") or "").strip()
        if t not in TYPES:
            raise FrameworkError(f"{source}:{line}: field 'Type': unknown type {t!r}.{suggest(t, TYPES)} "
                                 f"Valid: {', '.join(TYPES)}")
        code = row.get("iCode")
        if t == "Group":
            groups.append(str(code))
            continue
        if t == "Denominator":
            dens.append(str(code))
            continue
        if t == "Other":
            continue
        records.append({"code": code, "name": row.get("iName"), "parent": row.get("Parent"),
                        "level": _num(row.get("Level")), "weight": _num(row.get("Weight")),
                        "direction": _num(row.get("Direction")), "unit": row.get("Unit"),
                        "denominator": row.get("Denominator"), "target": _num(row.get("Target")), "_line": line})
    return make_framework(records, groups=groups, denominators=dens, name=name, file=source)


def _num(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return None if f != f else f


def read_imeta(path: str | Path) -> Framework:
    path = Path(path)
    df = read_text_csv(path, FrameworkError)
    df = df.astype(object).where(df.notna(), None)
    return framework_from_imeta(df, source=str(path), name=path.stem.replace("_iMeta", ""))


def read_coinr(imeta: str | Path, idata: str | Path) -> tuple[Framework, IndexData]:
    """Framework and data from COINr's iMeta and iData CSV files."""
    fw = read_imeta(imeta)
    return fw, read_data_csv(idata, fw)
