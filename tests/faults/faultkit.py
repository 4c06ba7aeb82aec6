"""Helpers of the fault tests: run the real ``lmc`` command in a subprocess against an isolated home, and a local
HTTP server that stands in for the publishers (see ``publisher_driver.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DRIVER = Path(__file__).with_name("publisher_driver.py")


def isolated_env(home: Path, *, mirror: Path | None = None, offline: bool = True,
                 warehouse: Path | None = None) -> dict[str, str]:
    """The environment of a subprocess with its own home, the given mirror (or none) and no proxy. Run it in a
    temporary folder: without ``LMC_CONFIG`` no ``lmc.toml`` is found there."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LMC_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update({"LMC_HOME": str(home), "LMC_WAREHOUSE": str(warehouse or home / "warehouse.duckdb"),
                "LMC_OFFLINE": "1" if offline else "0", "NO_PROXY": "*", "COLUMNS": "200"})
    if mirror is not None:
        env["LMC_MIRROR"] = str(mirror)
    return env


def run_lmc(args: list[str], env: Mapping[str, str], *, cwd: Path, publisher_port: int | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``lmc ARGS`` in a subprocess (through the publisher driver when a port is given); never raises on exit."""
    cmd = [sys.executable, "-m", "lmc", *args] if publisher_port is None else \
        [sys.executable, str(DRIVER), str(publisher_port), *args]
    return subprocess.run(cmd, env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=timeout)


def popen_lmc(args: list[str], env: Mapping[str, str], *, cwd: Path) -> subprocess.Popen[str]:
    """``lmc ARGS`` started in the background (to be killed)."""
    return subprocess.Popen([sys.executable, "-m", "lmc", *args], env=dict(env), cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Publisher:
    """A local HTTP server serving ``files`` (URL path -> bytes); anything else is a 404."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                data = files.get(urlsplit(self.path).path)
                if data is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, url: str, data: bytes) -> None:
        self.files[urlsplit(url).path] = data

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-3000:]
    assert "panicked" not in proc.stderr, proc.stderr[-3000:]
