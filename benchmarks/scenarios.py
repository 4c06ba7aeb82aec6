"""Benchmark: wall time of every built-in scenario run from the command line, as a user runs it.

Target (issue 18): each scenario runs in under 15 s on 2 cores. Run: .venv/bin/python benchmarks/scenarios.py
[--name NAME ...] [--repeat 2]. Each run is a fresh ``lmc scenario run NAME --unvalidated --out TMP`` process
(interpreter start, imports, model, charts, report) in a temporary LMC_HOME. The back-casts are settled first
with ``lmc scenario validate`` (timed separately): a scenario run only looks their status up. Prints the seconds
per run, the best of the repeats, and the machine's load average (other users on the same cores slow every run).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LMC = str(Path(sys.executable).with_name("lmc"))
TARGET_S = 15.0


def _run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    t = time.perf_counter()
    p = subprocess.run([LMC, *args], env=env, capture_output=True, text=True)
    return time.perf_counter() - t, p.returncode


def main() -> None:
    from lmc.flows.scenarios import builtin_names

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", action="append", help="Scenario(s) to time (default: all built-ins).")
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    names = a.name or builtin_names()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "LMC_HOME": home}
        env.pop("LMC_WAREHOUSE", None)
        secs, rc = _run(["scenario", "validate", "--out", str(Path(home) / "validation")], env)
        print(f"lmc scenario validate: {secs:6.1f} s (exit {rc}; 2 = a back-cast fails)")
        worst = 0.0
        for name in names:
            times = []
            for _ in range(a.repeat):
                secs, rc = _run(["scenario", "run", name, "--unvalidated", "--out", str(Path(home) / name)], env)
                if rc:
                    print(f"{name}: exit {rc}")
                times.append(secs)
            best = min(times)
            worst = max(worst, best)
            print(f"{name:34s} best {best:6.1f} s  runs {', '.join(f'{t:.1f}' for t in times)}  "
                  f"{'OK' if best < TARGET_S else 'OVER'} (target {TARGET_S:.0f} s)")
    print(f"slowest scenario: {worst:.1f} s; load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
