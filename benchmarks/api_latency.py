"""Latency of score queries: 32 concurrent clients against ``lmc serve`` on loopback; prints p50/p95/p99.

Target: p95 < 50 ms. The server runs in its own process (uvicorn, one worker, as ``lmc serve`` runs it) over a
built index; the clients are one asyncio process with 32 tasks, each sending score queries back to back (mixed
levels, years, pillars and units, JSON and a few CSV) after a short warm-up.

    .venv/bin/python benchmarks/api_latency.py                      # the build in <home>/out (run `lmc build`)
    .venv/bin/python benchmarks/api_latency.py --out /tmp/sci --clients 32 --requests 100
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

TARGET_P95_MS = 50.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(out: Path, port: int, http: str) -> subprocess.Popen:
    code = ("import uvicorn; from pathlib import Path; from lmc.web.app import create_app; "
            f"uvicorn.run(create_app(out_dir=Path({str(out)!r})), host='127.0.0.1', port={port}, "
            f"log_level='warning', access_log=False, http={http!r})")
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True)


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            r = httpx.get(f"{base}/api/v1/health", timeout=2)
            if r.status_code == 200:
                if not r.json()["data"].get("index_built"):
                    raise SystemExit(r.json()["data"].get("message", "no built index"))
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


def queries(base: str, n: int, seed: int) -> list[str]:
    """A mixed, reproducible list of score queries (what the explorer and API users ask)."""
    h = httpx.get(f"{base}/api/v1/health").json()["data"]
    y0, y1 = h["years"]
    rng = random.Random(seed)
    pairs = ["CHN-LAO", "LAO-THA", "THA-KHM", "CHN-MMR", "KHM-VNM"]
    countries = ["CHN", "MMR", "LAO", "THA", "KHM", "VNM"]
    out = []
    for _ in range(n):
        k = rng.random()
        y = rng.randint(y0, y1)
        if k < 0.5:
            out.append(f"/api/v1/scores?level=pair&year={y}")
        elif k < 0.7:
            out.append(f"/api/v1/scores?level=country&year={y}&pillar={rng.choice(['index', 'mobility', 'people'])}")
        elif k < 0.8:
            out.append(f"/api/v1/scores?level=pair&unit={rng.choice(pairs)}")
        elif k < 0.9:
            out.append(f"/api/v1/scores?level=country&unit={rng.choice(countries)}&pillar=index")
        else:
            out.append(f"/api/v1/scores?level=pair&year={y}&format=csv")
    return out


async def client(port: int, urls: list[str], lat: list[float], errors: list[str]) -> None:
    """One keep-alive HTTP/1.1 connection sending requests back to back. A minimal asyncio client (not httpx)
    so that the clients' own CPU use - on the same cores - disturbs the server as little as possible."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for u in urls:
            t = time.perf_counter()
            writer.write(f"GET {u} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            lat.append((time.perf_counter() - t) * 1000)
            if status != 200:
                errors.append(f"{status} {u}")
    finally:
        writer.close()


async def run(base: str, port: int, n_clients: int, per_client: int, seed: int
              ) -> tuple[list[float], list[str], float]:
    all_urls = queries(base, n_clients * per_client, seed)
    await asyncio.gather(*[client(port, all_urls[:5], [], []) for _ in range(n_clients)])  # warm-up
    lat: list[float] = []
    errors: list[str] = []
    t = time.perf_counter()
    await asyncio.gather(*[client(port, all_urls[i::n_clients], lat, errors) for i in range(n_clients)])
    return lat, errors, time.perf_counter() - t


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None, help="build output folder (default: <home>/out)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=60, help="requests per client")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--http", default="auto", choices=["auto", "h11", "httptools"],
                    help="uvicorn's HTTP parser (auto: httptools when installed, as `lmc serve`)")
    a = ap.parse_args()
    if a.out is None:
        from lmc.config import get_settings

        a.out = get_settings().out_dir
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(a.out.resolve(), port, a.http)
    try:
        wait_ready(base, proc)
        lat, errors, wall = asyncio.run(run(base, port, a.clients, a.requests, a.seed))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server process group this script started
        proc.wait(timeout=10)
    p95 = pct(lat, 95)
    print(f"score queries: {len(lat)} requests, {a.clients} concurrent clients, loopback, 1 uvicorn worker "
          f"(http={a.http})")
    print(f"  latency ms  p50 {pct(lat, 50):.1f}  p95 {p95:.1f}  p99 {pct(lat, 99):.1f}  max {max(lat):.1f}  "
          f"mean {statistics.fmean(lat):.1f}")
    print(f"  throughput  {len(lat) / wall:.0f} requests/s over {wall:.1f} s; errors {len(errors)}")
    print(f"  p95 / target ({TARGET_P95_MS:.0f} ms) = {p95 / TARGET_P95_MS:.2f}  -> "
          f"{'OK' if p95 < TARGET_P95_MS else 'ABOVE TARGET'}")
    if errors:
        print("  first errors:", errors[:3])


if __name__ == "__main__":
    main()
