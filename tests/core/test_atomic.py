"""The one atomic-write helper: a failed write leaves the old file intact and no temporary file behind."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from lmc.atomic import atomic_path, write_bytes, write_text


def test_write_replaces_content_and_creates_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "scores.csv"
    assert write_text(target, "x,y\n1,2\n") == 8
    assert write_bytes(target, b"new") == 3
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["scores.csv"]


def test_failure_keeps_the_old_file_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "scores.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="disk full"):
        with atomic_path(target) as tmp:
            tmp.write_text("half a fi")
            raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]


def test_temporary_keeps_the_suffix_and_result_is_readable(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    with atomic_path(target) as tmp:
        assert tmp.suffix == ".xlsx" and tmp.name.startswith(".") and tmp.parent == tmp_path
        tmp.write_bytes(b"PK")
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode & stat.S_IRUSR and mode & stat.S_IRGRP  # not mkstemp's private 0600
