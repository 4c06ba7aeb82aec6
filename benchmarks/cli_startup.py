"""Start-up of the command line: ``lmc --help`` and ``lmc route`` on the corridor feed, wall and CPU time.

Each command runs ``--runs`` times as a fresh process (as a user would run it), after one warm-up run that fills
the timetable cache and Python's bytecode cache. The machine may be shared, so each figure is given as the fastest
and the median run, in wall-clock time and in CPU time (user + system of the child, which other processes slow
down less), with the load average; the targets of issue 14 are ``lmc --help`` < 0.3 s and ``lmc route`` < 0.6 s
wall. To show where the time goes, the same is measured for the floors (the interpreter, ``import typer``,
``import lmc.cli``), and the heavy packages a route query imports are listed with their import time
(``python -X importtime``).

    .venv/bin/python benchmarks/cli_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LMC = REPO / ".venv" / "bin" / "lmc"
PY = sys.executable
ROUTE = ["route", "Kunming", "Bangkok", "--date", "2026-06-01", "--after", "07:00"]
HEAVY = ("pandas", "numpy", "numba", "scipy", "duckdb", "pydantic", "rich", "typer", "fastapi", "matplotlib",
         "plotly", "pyfixest", "weasyprint")
CASES = (  # label, command, target (s, wall)
    ("python -c pass", [PY, "-c", "pass"], None),
    ("import typer", [PY, "-c", "import typer"], None),
    ("import lmc.cli", [PY, "-c", "import lmc.cli"], None),
    ("lmc --help", [str(LMC), "--help"], 0.3),
    ("lmc " + " ".join(ROUTE), [str(LMC), *ROUTE], 0.6),
    ("lmc " + " ".join(ROUTE) + " --json", [str(LMC), *ROUTE, "--json"], 0.6),
)


def _time(cmd: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``runs`` fresh processes, after a warm-up run."""
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        wall.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def _imports(args: list[str], env: dict[str, str]) -> list[str]:
    """The heavy top-level packages the command imports, with their import time (ms, children included)."""
    code = "import sys; sys.argv = ['lmc', *sys.argv[1:]]; from lmc.cli import main; main()"
    res = subprocess.run([PY, "-X", "importtime", "-c", code, *args], env=env, capture_output=True, text=True)
    rows = []  # (depth, top-level package, cumulative us), children before their parent
    for line in res.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            rows.append((len(name) - len(name.lstrip()), name.strip().split(".")[0], int(parts[1])))
    found: dict[str, float] = {}
    for i, (depth, pkg, cum) in enumerate(rows):
        parent = next((r for r in rows[i + 1:] if r[0] < depth), None)
        if pkg in HEAVY and (parent is None or parent[1] != pkg):  # where the package was entered from outside
            found[pkg] = found.get(pkg, 0.0) + cum / 1000
    return [f"{k} {v:.0f} ms" for k, v in sorted(found.items(), key=lambda kv: -kv[1])]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "LMC_HOME": home}
        for label, cmd, target in CASES:
            wall, cpu = _time(cmd, env, args.runs)
            goal = f"   [target < {target} s wall]" if target else ""
            print(f"{label:<70} wall fastest {min(wall):.3f} s, median {statistics.median(wall):.3f} s | "
                  f"CPU fastest {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s ({len(wall)} runs){goal}")
        print("heavy imports of lmc route:", ", ".join(_imports(ROUTE, env)) or "none")
        print("heavy imports of lmc --help:", ", ".join(_imports(["--help"], env)) or "none")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
