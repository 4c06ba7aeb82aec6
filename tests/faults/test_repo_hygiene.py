"""Nothing large and no package archive is committed: data live in ../shared or come from publishers, and
dependencies from the package index (a stray wheel at the root once shadowed PyPI's httptools)."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MAX_BYTES = 1_000_000
ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".egg", ".tar.bz2", ".tar.xz")


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    files = [f for f in out.decode().split("\0") if f]
    assert files, "git ls-files listed nothing: not a checkout?"
    return files


def offenders(files: list[str], root: Path) -> list[str]:
    found = []
    for f in files:
        path = root / f
        if f.lower().endswith(ARCHIVES):
            found.append(f"{f}: a package archive")
        elif path.is_file() and path.stat().st_size > MAX_BYTES:
            found.append(f"{f}: {path.stat().st_size:,} bytes (over {MAX_BYTES:,})")
    return found


def test_no_committed_file_is_large_or_an_archive():
    assert offenders(tracked_files(), REPO) == []


def test_the_check_catches_a_wheel_and_a_large_file(tmp_path):
    (tmp_path / "big.csv").write_bytes(b"x" * (MAX_BYTES + 1))
    (tmp_path / "ok.csv").write_bytes(b"x" * MAX_BYTES)
    got = offenders(["big.csv", "ok.csv", "httptools-0.9.0-cp311.whl", "dist/lmc-0.1.tar.gz"], tmp_path)
    assert got == ["big.csv: 1,000,001 bytes (over 1,000,000)", "httptools-0.9.0-cp311.whl: a package archive",
                   "dist/lmc-0.1.tar.gz: a package archive"]
