"""Benchmark: pull every declared source from the mirror into a fresh home; print wall time and peak memory.

Targets (issue 2): under 60 s and under 2 GB on the 2-core build machine. Two runs are timed: *cold* (empty
cache: every file is read from the mirror, hashed, cached, parsed and loaded) and *warm* (the cache answers; the
parse and load are the same). Peak memory is the process's maximum resident set size (``ru_maxrss``), which
includes Python, pandas and DuckDB.

    .venv/bin/python benchmarks/ingest.py [--mirror PATH] [--keep]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

TARGET_S = 60.0
TARGET_MB = 2048.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def main() -> int:
    from lmc.config import load_settings
    from lmc.warehouse.ingest import pull

    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", default=str(repo.parent / "shared" / "data" / "mirror"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary home and print its path")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="lmc-bench-"))
    settings = load_settings(home=home, warehouse=home / "warehouse.duckdb", mirrors=(args.mirror,), offline=True)
    base_mb = _peak_mb()
    try:
        runs = []
        for label in ("cold", "warm"):
            t0 = time.perf_counter()
            result = pull(None, settings)
            wall = time.perf_counter() - t0
            runs.append((label, wall, _peak_mb(), result))
        cold = runs[0][3]
        print(f"sources: {len(cold.loads)} declared, {sum(ld.ok for ld in cold.loads)} loaded, "
              f"{sum(ld.rows for ld in cold.loads):,} rows, {sum(ld.observations for ld in cold.loads):,} "
              f"observations, {sum(len(ld.files) for ld in cold.loads)} files, "
              f"{sum(f.bytes for ld in cold.loads for f in ld.files) / 1e6:.1f} MB read")
        for ld in sorted(cold.loads, key=lambda x: -x.seconds):
            state = "ok" if ld.ok else f"FAILED: {ld.error[:100]}"
            print(f"  {ld.source:<26} {ld.seconds:6.2f} s  {ld.rows:>10,} rows  {state}")
        for label, wall, peak, _ in runs:
            print(f"{label:>5}: wall {wall:6.2f} s ({wall / TARGET_S:.0%} of the {TARGET_S:.0f} s target), "
                  f"peak RSS {peak:7.1f} MB ({peak / TARGET_MB:.0%} of {TARGET_MB / 1024:.0f} GB; "
                  f"interpreter + imports before the pull: {base_mb:.1f} MB)")
        print(f"warehouse file: {settings.warehouse.stat().st_size / 1e6:.1f} MB")
        ok = all(w < TARGET_S and p < TARGET_MB for _, w, p, _ in runs)
        print("within targets" if ok else "OUTSIDE TARGETS")
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"kept {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
