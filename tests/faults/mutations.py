"""Corruptions of a data file, as a publisher or a broken copy might deliver it (used by the fault tests).

Each takes the file's bytes and returns the damaged bytes (``None``: the file is deleted). They act on text CSVs
with a header line; ``column`` names the column a mutation aims at (renamed, or given a bad value).
"""

from __future__ import annotations

import csv
import io

MUTATIONS = ("truncate", "flip", "rename", "bad_value", "delete")


def truncate(data: bytes, column: str) -> bytes:
    """Keep the header and the first 40 % of the records, cut at a line boundary (so it still parses)."""
    lines = data.splitlines(keepends=True)
    return b"".join(lines[: 1 + (len(lines) - 1) * 2 // 5])


def flip(data: bytes, column: str) -> bytes:
    """16 bytes in the middle of the file with every bit set (a damaged copy; 0xFF is never UTF-8)."""
    mid = len(data) // 2
    return data[:mid] + b"\xff" * 16 + data[mid + 16:]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def rename(data: bytes, column: str) -> bytes:
    """The header's ``column`` renamed (a publisher's new spelling)."""
    rows = _rows(data)
    rows[0] = [f"{c}_renamed" if c == column else c for c in rows[0]]
    return _csv(rows)


def bad_value(data: bytes, column: str) -> bytes:
    """Text in the numeric ``column`` of the middle record."""
    rows = _rows(data)
    rows[len(rows) // 2][rows[0].index(column)] = "not-a-number"
    return _csv(rows)


def mutate(kind: str, data: bytes, column: str) -> bytes | None:
    if kind == "delete":
        return None
    return {"truncate": truncate, "flip": flip, "rename": rename, "bad_value": bad_value}[kind](data, column)
