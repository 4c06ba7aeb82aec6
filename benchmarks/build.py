"""Benchmark `lmc build`: a cold build from an already pulled warehouse, then a second (cached) run.

Usage: .venv/bin/python benchmarks/build.py [--n 2000] [--home DIR]
Pulls the shared mirror into a temporary home first if no --home is given (the pull is timed separately and is not
part of the build figure). Prints seconds per stage and the ratio cold/cached. Never run from the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from lmc.config import load_settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--home", type=Path, default=None)
    args = ap.parse_args()
    repo = Path(__file__).resolve().parents[1]
    home = args.home or Path(tempfile.mkdtemp(prefix="lmc_bench_build_"))
    settings = load_settings(start=repo, home=home, warehouse=home / "warehouse.duckdb")
    if not settings.warehouse.is_file():
        from lmc.warehouse.ingest import pull

        t = time.perf_counter()
        pull(settings=settings)
        print(f"pull (not part of the build figure): {time.perf_counter() - t:6.1f} s")
    shutil.rmtree(home / "cache", ignore_errors=True)
    shutil.rmtree(home / "out", ignore_errors=True)
    from lmc.reports.build import build

    t = time.perf_counter()
    cold = build(settings, n=args.n)
    t_cold = time.perf_counter() - t
    t = time.perf_counter()
    warm = build(settings, n=args.n)
    t_warm = time.perf_counter() - t
    print(f"lmc build, pulled warehouse, n={args.n} ({cold.uncertainty.runs} runs)")
    for k, v in cold.timings.items():
        print(f"  {k:<12} {v:6.2f} s")
    print(f"cold build: {t_cold:6.1f} s (target < 60 s)")
    print(f"second run: {t_warm:6.2f} s (cached={warm.cached}); cold/cached = {t_cold / max(t_warm, 1e-9):.0f}x")


if __name__ == "__main__":
    main()
