"""Time to the first page: ``lmc serve`` started as a fresh process, then the first visit of each main page.

What a visitor waits for after someone starts the server: the time until the port answers, then the first ``GET``
of the overview (which reads the key series from the warehouse and draws the region map), the corridor, the
scenarios, a pair profile and a traveller manual, each once (their caches are cold). Each run starts a new server
on a free port; the figures are the median and the fastest of ``--runs``, in wall-clock seconds, with the load
average (the machine may be shared). Needs a warehouse and a build (``lmc build``).

    .venv/bin/python benchmarks/first_page.py [--runs 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LMC = REPO / ".venv" / "bin" / "lmc"
PAGES = ("/", "/corridor", "/scenarios", "/pair/CHN-LAO", "/guides/LAO/zh")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 60) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback only
        r.read()
        return r.status


def one_run(out: str | None) -> dict[str, float]:
    port = _free_port()
    cmd = [str(LMC), "serve", "--port", str(port)] + (["--out", out] if out else [])
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    times: dict[str, float] = {}
    try:
        while True:  # the port answers (any page; /health is cheap)
            try:
                _get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(f"lmc serve exited with code {proc.returncode}") from None
                time.sleep(0.05)
        times["listening"] = time.perf_counter() - t0
        for page in PAGES:
            t = time.perf_counter()
            status = _get(f"http://127.0.0.1:{port}{page}")
            if status != 200:
                raise SystemExit(f"GET {page} answered {status}")
            times[page] = time.perf_counter() - t
        times["all pages since start"] = time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=None, help="the build folder to serve (default: the CLI's)")
    args = ap.parse_args()
    runs = [one_run(args.out) for _ in range(args.runs)]
    print(f"lmc serve, first visits ({args.runs} runs, fresh server each; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    print(f"{'':28s}{'median s':>10s}{'fastest s':>11s}")
    for key in runs[0]:
        xs = [r[key] for r in runs]
        print(f"{key:28s}{statistics.median(xs):10.3f}{min(xs):11.3f}")


if __name__ == "__main__":
    main()
