"""Benchmark: the freight route-choice model, its back-casts, and each freight scenario run as a user runs it.

Target (issue 19): each scenario under 15 s on 2 cores. Prints, in process, the fit and the back-casts (how many
pass); then, per scenario, a fresh ``lmc scenario run NAME --unvalidated --out TMP`` process in a temporary LMC_HOME
(interpreter start, imports, model, charts, reports in English and Chinese) after the freight back-casts were
settled once with ``lmc scenario validate --model freight`` (timed separately): wall seconds and the CPU seconds the
process used (on a shared machine wall time also counts the waits for a core), plus the load average.

Run: .venv/bin/python benchmarks/freight.py [--n 10000] [--seed 0] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lmc.freight import backcast
from lmc.freight.model import DEFAULT_DRAWS, fit

LMC = str(Path(sys.executable).with_name("lmc"))
TARGET_S = 15.0
SCENARIOS = ("freight-border-time-halved", "thai-standard-gauge-link", "yunnan-value-added", "railway-finance")
"""The three freight scenarios, and railway finance, which now reads its tonnes from the freight model."""


def _cli(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall and CPU seconds (user + system of the child) of one ``lmc`` process, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([LMC, *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=DEFAULT_DRAWS, help="draws of the in-process fit")
    ap.add_argument("--seed", type=int, default=0, help="seed of the in-process fit")
    ap.add_argument("--repeat", type=int, default=2, help="runs per scenario (the best counts)")
    a = ap.parse_args()

    t0 = time.perf_counter()
    model = fit(n=a.n, seed=a.seed)
    print(f"fit: {time.perf_counter() - t0:.2f} s, {model.n:,} of {a.n:,} draws calibrated, "
          f"{model.iterations} iterations")
    t0 = time.perf_counter()
    results = backcast.run(model)
    print(f"back-casts: {time.perf_counter() - t0:.2f} s, {sum(r.passed for r in results)} of {len(results)} pass")
    for r in results:
        print(f"  {'pass' if r.passed else 'FAIL'}  {r.event}: {r.predicted_median:,.4g} "
              f"({r.predicted_p5:,.4g}-{r.predicted_p95:,.4g}) {r.unit}, observed {r.observed:,.4g}")

    worst = 0.0
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "LMC_HOME": home}
        env.pop("LMC_WAREHOUSE", None)
        wall, cpu, rc = _cli(["scenario", "validate", "--model", "freight", "--out", str(Path(home) / "v")], env)
        print(f"lmc scenario validate --model freight: {wall:.1f} s wall, {cpu:.1f} s CPU (exit {rc}; 2 = a "
              "back-cast fails)")
        for name in SCENARIOS:
            runs = [_cli(["scenario", "run", name, "--unvalidated", "--out", str(Path(home) / name)], env)
                    for _ in range(a.repeat)]
            wall, cpu, rc = min(runs)
            worst = max(worst, wall)
            print(f"{name:28s} best {wall:5.1f} s wall, {cpu:4.1f} s CPU  runs "
                  f"{', '.join(f'{w:.1f}' for w, _, _ in runs)}  {'OK' if wall < TARGET_S else 'OVER'} "
                  f"(target {TARGET_S:.0f} s){'' if rc == 0 else f'  exit {rc}'}")
    print(f"slowest: {worst:.1f} s; load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
