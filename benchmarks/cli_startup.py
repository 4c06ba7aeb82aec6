"""Wall-clock start-up of the command line: ``lmc --help`` and ``lmc route`` on the corridor feed.

Each command runs ``--runs`` times as a fresh process (as a user would run it), after one warm-up run that fills
the timetable cache and Python's bytecode cache; the median and the fastest run are printed with the targets of
issue 14 (``lmc --help`` < 0.3 s, ``lmc route`` < 0.6 s). Also prints which heavy modules ``lmc route`` imports
(``python -X importtime``), since start-up is most of a query's time.

    .venv/bin/python benchmarks/cli_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LMC = REPO / ".venv" / "bin" / "lmc"
ROUTE = ["route", "Kunming", "Bangkok", "--date", "2026-06-01", "--after", "07:00", "--json"]
HEAVY = ("pandas", "numba", "scipy", "duckdb", "fastapi", "matplotlib", "plotly", "pyfixest", "weasyprint")


def _time(args: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run([str(LMC), *args], env=env, check=True, capture_output=True)  # warm-up: caches
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(LMC), *args], env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - t)
    return out


def _imports(args: list[str], env: dict[str, str]) -> list[str]:
    """The heavy top-level packages the command imports, with their cumulative import time (ms)."""
    code = "import sys; sys.argv = ['lmc', *sys.argv[1:]]; from lmc.cli import main; main()"
    res = subprocess.run([sys.executable, "-X", "importtime", "-c", code, *args], env=env, capture_output=True,
                         text=True)
    found = {}
    for line in res.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() in HEAVY:
            found[parts[2].strip()] = int(parts[1]) / 1000
    return [f"{k} {v:.0f} ms" for k, v in sorted(found.items(), key=lambda kv: -kv[1])]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "LMC_HOME": home}
        for label, cmd, target in (("lmc --help", ["--help"], 0.3), ("lmc " + " ".join(ROUTE), ROUTE, 0.6)):
            t = _time(cmd, env, args.runs)
            print(f"{label}: median {statistics.median(t):.3f} s, fastest {min(t):.3f} s over {len(t)} runs   "
                  f"[target < {target} s]")
        print("heavy imports of lmc route:", ", ".join(_imports(ROUTE, env)) or "none")


if __name__ == "__main__":
    main()
