"""Benchmark: wall time of every built-in scenario run from the command line, as a user runs it.

Target (issue 18): each scenario runs in under 15 s on 2 cores, a first run in an empty home included. Run:
.venv/bin/python benchmarks/scenarios.py [--name NAME ...] [--repeat 2]. Each run is a fresh
``lmc scenario run NAME --unvalidated --out TMP`` process (interpreter start, imports, model, charts, report):

* **first run**: in an empty LMC_HOME (the repository's ``lmc.toml`` names the data mirror), so the run pulls the
  sources its model reads into a new warehouse and computes its model's back-casts before the scenario itself;
* **later runs**: in the same home, where the back-cast status and the caches are settled.

Then ``lmc scenario validate`` (every back-cast) in an empty home. Prints the seconds per run and the machine's
load average (other users on the same cores slow every run).
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


def _env(home: str) -> dict[str, str]:
    env = {**os.environ, "LMC_HOME": home}
    env.pop("LMC_WAREHOUSE", None)
    return env


def main() -> None:
    from lmc.flows.scenarios import builtin_names

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", action="append", help="Scenario(s) to time (default: all built-ins).")
    ap.add_argument("--repeat", type=int, default=2, help="Later runs per scenario, in the same home.")
    a = ap.parse_args()
    names = a.name or builtin_names()
    worst = 0.0
    for name in names:
        with tempfile.TemporaryDirectory() as home:
            env = _env(home)
            out = str(Path(home) / "out")
            first, rc = _run(["scenario", "run", name, "--unvalidated", "--out", out], env)
            later = [_run(["scenario", "run", name, "--unvalidated", "--out", out], env)[0] for _ in range(a.repeat)]
        worst = max(worst, first, *later)
        print(f"{name:34s} first {first:6.1f} s{f' (exit {rc})' if rc else ''}  later "
              f"{', '.join(f'{t:.1f}' for t in later)} s  {'OK' if max(first, *later) < TARGET_S else 'OVER'} "
              f"(target {TARGET_S:.0f} s)")
    with tempfile.TemporaryDirectory() as home:
        secs, rc = _run(["scenario", "validate", "--out", str(Path(home) / "validation")], _env(home))
    print(f"lmc scenario validate (empty home): {secs:6.1f} s (exit {rc}; 2 = a back-cast fails)")
    print(f"slowest scenario run: {worst:.1f} s; load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
