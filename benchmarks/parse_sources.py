"""Benchmark: parse every connector straight from the mirror (no fetch, no warehouse); print seconds and rows.

Why separate from ``benchmarks/ingest.py``: it isolates the connectors' share of a pull (CSV/XLSX/Stata reading,
typing, harmonisation, observations) from hashing, caching and the DuckDB load, so a slow parser shows up by name.
Peak memory is the process's maximum resident set size.

    .venv/bin/python benchmarks/parse_sources.py [--mirror PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> int:
    from lmc.sources.curated import package_paths
    from lmc.sources.registry import all_sources

    repo = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mirror", default=str(repo.parent / "shared" / "data" / "mirror"))
    ap.add_argument("--repeat", type=int, default=1, help="parse each source N times and keep the best time")
    args = ap.parse_args()
    mirror = Path(args.mirror)

    total_parse = total_obs = 0.0
    total_rows = 0
    print(f"{'source':<26}{'parse s':>9}{'obs s':>8}{'rows':>12}{'obs rows':>10}")
    for sid, source in all_sources().items():
        paths = package_paths() if source.curated else {f.path: mirror / f.path for f in source.files}
        if sid == "mechanisms":
            continue  # not a connector of this area; parsed by its own module
        best = float("inf")
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            tables = source.parse(paths)
            best = min(best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        n_obs = len(source.observations(tables)) if source.observations else 0
        t_obs = time.perf_counter() - t0
        rows = sum(len(df) for df in tables.values())
        total_parse += best
        total_obs += t_obs
        total_rows += rows
        print(f"{sid:<26}{best:>9.2f}{t_obs:>8.2f}{rows:>12,}{n_obs:>10,}")
    print(f"{'TOTAL':<26}{total_parse:>9.2f}{total_obs:>8.2f}{total_rows:>12,}")
    print(
        f"peak RSS {_peak_mb():,.0f} MB; parse+observations {total_parse + total_obs:.1f} s "
        f"= {100 * (total_parse + total_obs) / 60:.0f}% of the 60 s pull budget"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
