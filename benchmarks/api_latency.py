"""Latency of score queries: 32 concurrent clients against ``lmc serve`` on loopback, while 4 more clients hammer
scenario runs and PDF renders; prints p50/p95/p99, what the hammering got, hostile-input latency and memory.

Target: p95 < 50 ms. The server runs in its own process, exactly as ``lmc serve`` runs it (uvicorn, one process,
its pool of 2 worker processes for scenario runs and PDF renders) over a built index; the clients are one asyncio
process: 32 tasks each sending score queries back to back (mixed levels, years, pillars and units, JSON and a few
CSV) after a short warm-up, and ``--hammer`` tasks (default 4: half scenario runs with values never asked before,
half PDF manuals in rotation over 42 destination-language pairs, more than the server keeps) sending heavy
requests back to back; a 429 is retried after 0.1 s. Then it times the issue's hostile scenario inputs (they must
answer 4xx in under 1 s) and prints the peak resident memory of the server and of all its processes, and the
machine's load (``os.getloadavg``: the machine may be shared).

    .venv/bin/python benchmarks/api_latency.py                      # the build in <home>/out (run `lmc build`)
    .venv/bin/python benchmarks/api_latency.py --out /tmp/sci --clients 32 --requests 100 --hammer 4
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
            f"uvicorn.run(create_app(out_dir=Path({str(out)!r}), warm=True), host='127.0.0.1', port={port}, "
            f"log_level='warning', access_log=False, http={http!r})")
    return subprocess.Popen([sys.executable, "-c", code], start_new_session=True)


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return next(int(x.split()[1]) / 1024 for x in fh if x.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0.0


def tree(pid: int) -> list[int]:
    """``pid`` and every process below it (the server's zygote and its jobs), from /proc."""
    kids: dict[int, list[int]] = {}
    for d in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as fh:
                kids.setdefault(int(fh.read().rsplit(")", 1)[1].split()[1]), []).append(int(d))
        except (OSError, ValueError, IndexError):
            pass
    out, todo = [], [pid]
    while todo:
        out.append(p := todo.pop())
        todo += kids.get(p, [])
    return out


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


async def request(reader, writer, method: str, url: str, body: bytes = b"") -> int:
    """One request on a keep-alive HTTP/1.1 connection; the status (the body is read and dropped). A minimal
    asyncio client (not httpx) so that the clients' own CPU use - on the same cores - disturbs the server as
    little as possible."""
    head = f"{method} {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    resp = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in resp.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return int(resp.split(b" ", 2)[1])


async def client(port: int, urls: list[str], lat: list[float], errors: list[str]) -> None:
    """One keep-alive connection sending score queries back to back."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for u in urls:
            t = time.perf_counter()
            status = await request(reader, writer, "GET", u)
            lat.append((time.perf_counter() - t) * 1000)
            if status != 200:
                errors.append(f"{status} {u}")
    finally:
        writer.close()


GUIDES = [(c, lang) for c in ("KHM", "LAO", "MMR", "THA", "VNM", "CHN") for lang in ("en", "zh", "th", "lo", "km",
                                                                                      "my", "vi")]


async def hammer(port: int, kind: str, k: int, stop: asyncio.Event, got: dict[str, list[tuple[int, float]]]) -> None:
    """Heavy requests back to back until ``stop``: scenario runs with values never asked before (no cached result),
    or PDF manuals in rotation (more of them than the server keeps). A 429 is retried after 0.1 s."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while not stop.is_set():
            t = time.perf_counter()
            if kind == "scenario":
                value = -0.5 - (k * 100_000 + i) * 1e-6
                body = json.dumps({"draws": 200, "shocks": [{"index": 0, "value": value}]}).encode()
                status = await request(reader, writer, "POST", "/api/v1/scenarios/railway-travel-time/run", body)
            else:
                c, lang = GUIDES[(k * 7 + i) % len(GUIDES)]
                status = await request(reader, writer, "GET", f"/guides/{c}/{lang}.pdf")
            got.setdefault(kind, []).append((status, time.perf_counter() - t))
            if status == 429:
                await asyncio.sleep(0.1)
            i += 1
    finally:
        writer.close()


async def sample_memory(pid: int, stop: asyncio.Event, peak: list[float]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb(pid))
        peak[1] = max(peak[1], sum(rss_mb(p) for p in tree(pid)))
        await asyncio.sleep(0.25)


HOSTILE = [("GET", "/scenarios?name=lao-exports-20pct&run=1&s2=-10000000", b""),
           ("GET", "/scenarios?name=lao-exports-20pct&run=1&s2=-1e5", b""),
           ("POST", "/api/v1/scenarios/lao-exports-20pct/run", b'{"shocks": [{"index": 2, "value": -1e7}]}'),
           ("POST", "/api/v1/scenarios/myanmar-border-closure/run", b'{"shocks": [{"index": 1, "value": 1e308}]}'),
           ("POST", "/api/v1/scenarios/railway-travel-time/run", b'{"draws": 1000000000}')]


async def hostile(port: int, rounds: int = 10) -> list[tuple[int, float]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    out = []
    try:
        for _ in range(rounds):
            for method, url, body in HOSTILE:
                t = time.perf_counter()
                status = await request(reader, writer, method, url, body)
                out.append((status, (time.perf_counter() - t) * 1000))
    finally:
        writer.close()
    return out


async def measure(port: int, pid: int, urls: list[str], n_clients: int, n_hammer: int) -> dict:
    """Score latency over ``urls`` from ``n_clients`` connections while ``n_hammer`` clients send heavy requests."""
    lat: list[float] = []
    errors: list[str] = []
    got: dict[str, list[tuple[int, float]]] = {}
    peak = [0.0, 0.0]
    stop = asyncio.Event()
    background = [asyncio.create_task(hammer(port, "scenario" if k % 2 == 0 else "pdf", k, stop, got))
                  for k in range(n_hammer)]
    background.append(asyncio.create_task(sample_memory(pid, stop, peak)))
    if n_hammer:
        await asyncio.sleep(2)  # the heavy requests are under way before the measurement starts
    load = os.getloadavg()[0]
    t = time.perf_counter()
    await asyncio.gather(*[client(port, urls[i::n_clients], lat, errors) for i in range(n_clients)])
    wall = time.perf_counter() - t
    stop.set()
    await asyncio.gather(*background)
    return {"lat": lat, "errors": errors, "wall": wall, "got": got, "peak": peak, "load": load,
            "hammer": n_hammer}


async def run(base: str, port: int, pid: int, n_clients: int, per_client: int, seed: int, n_hammer: int):
    """The same score queries without, then with, the hammering clients (on a shared machine the difference
    between the two, taken minutes apart, is what the heavy requests cost), then the hostile inputs."""
    urls = queries(base, n_clients * per_client, seed)
    await asyncio.gather(*[client(port, urls[:5], [], []) for _ in range(n_clients)])  # warm-up
    phases = [await measure(port, pid, urls, n_clients, 0)]
    if n_hammer:
        phases.append(await measure(port, pid, urls, n_clients, n_hammer))
    return phases, await hostile(port)


def report(ph: dict, n_clients: int) -> None:
    lat = ph["lat"]
    p95 = pct(lat, 95)
    print(f"score queries, {n_clients} concurrent clients, {ph['hammer']} clients hammering scenario runs and PDF "
          f"renders meanwhile (load average at start {ph['load']:.2f}):")
    print(f"  latency ms  p50 {pct(lat, 50):.1f}  p95 {p95:.1f}  p99 {pct(lat, 99):.1f}  max {max(lat):.1f}  "
          f"mean {statistics.fmean(lat):.1f}")
    print(f"  throughput  {len(lat) / ph['wall']:.0f} requests/s over {ph['wall']:.1f} s; errors {len(ph['errors'])}"
          + (f" (first: {ph['errors'][:3]})" if ph["errors"] else ""))
    print(f"  p95 / target ({TARGET_P95_MS:.0f} ms) = {p95 / TARGET_P95_MS:.2f}  -> "
          f"{'OK' if p95 < TARGET_P95_MS else 'ABOVE TARGET'}")
    for kind, rows in sorted(ph["got"].items()):
        done = [t for s, t in rows if s == 200]
        print(f"  hammer {kind:8s}  {len(rows)} requests: {len(done)} x 200"
              + (f" (median {statistics.median(done):.1f} s)" if done else "")
              + f", {sum(s == 429 for s, _ in rows)} x 429, other {sorted({s for s, _ in rows} - {200, 429})}")
    print(f"  memory: peak resident server {ph['peak'][0]:.0f} MB, server and its worker processes "
          f"{ph['peak'][1]:.0f} MB (shared pages counted in each)")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None, help="build output folder (default: <home>/out)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=200, help="requests per client")
    ap.add_argument("--hammer", type=int, default=4, help="clients sending scenario runs and PDF renders meanwhile")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--http", default="auto", choices=["auto", "h11", "httptools"],
                    help="uvicorn's HTTP parser (auto: httptools when installed, as `lmc serve`)")
    a = ap.parse_args()
    if a.out is None:
        from lmc.config import get_settings

        a.out = get_settings().out_dir
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    load0 = os.getloadavg()
    proc = start_server(a.out.resolve(), port, a.http)
    try:
        wait_ready(base, proc)
        # the first job waits for the worker pool to come up (it imports pandas, pyfixest, WeasyPrint)
        r = httpx.post(f"{base}/api/v1/scenarios/railway-finance/run", json={"draws": 10}, timeout=300)
        if r.status_code != 200:
            raise SystemExit(f"the worker pool did not run a scenario: {r.status_code} {r.text[:200]}")
        phases, bad = asyncio.run(run(base, port, proc.pid, a.clients, a.requests, a.seed, a.hammer))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server process group this script started
        proc.wait(timeout=30)
    print(f"machine: {os.cpu_count()} cores; load average (1 min) before {load0[0]:.2f}, after "
          f"{os.getloadavg()[0]:.2f} (the machine may be shared); loopback, 1 uvicorn worker (http={a.http}), "
          f"{a.requests} requests per client")
    for ph in phases:
        report(ph, a.clients)
    ms = [t for _, t in bad]
    print(f"hostile scenario inputs (the issue's links, huge values, absurd draws): {len(bad)} requests, statuses "
          f"{sorted({s for s, _ in bad})}, latency ms p50 {pct(ms, 50):.1f} max {max(ms):.1f} "
          f"-> {'OK (4xx under 1 s)' if max(ms) < 1000 and all(400 <= s < 500 for s, _ in bad) else 'NOT OK'}")
    peak = max(ph["peak"][0] for ph in phases)
    print(f"server memory: peak resident {peak:.0f} MB -> {'OK' if peak < 1536 else 'ABOVE'} (limit 1.5 GB)")


if __name__ == "__main__":
    main()
