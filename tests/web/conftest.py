"""Web test fixtures: one small index built from the shared pulled warehouse, once per test run.

The build uses the real library (``lmc.sci.pipeline.run`` + ``lmc.sci.outputs.write_outputs``) with a small
uncertainty design (N=16) and no reports, so the numbers the app serves are real SCI numbers, made in seconds.
With pytest-xdist the workers share one build (a file lock guards it), like the pulled warehouse itself.
"""

from __future__ import annotations

import fcntl
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures_warehouse import _pulled, pulled_warehouse  # noqa: F401  (re-exported fixtures)

N_UNCERTAINTY = 16  # smallest Sobol design the build accepts; the CLI default is 2000


def _build_once(root: Path, settings) -> Path:
    from lmc.sci.outputs import write_outputs
    from lmc.sci.pipeline import run

    out = root / "lmc_web_build" / "out"
    done = out / "scores.csv"
    (root / "lmc_web_build").mkdir(parents=True, exist_ok=True)
    with open(root / "lmc_web_build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.is_file():
                home = root / "lmc_web_build"
                res = run(settings.model_copy(update={"home": home}), n=N_UNCERTAINTY, pull=False)
                write_outputs(res, out)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return out


@pytest.fixture(scope="session")
def web_settings(pulled_warehouse, tmp_path_factory):  # noqa: F811
    """Settings over the pulled warehouse, with a private home (nothing the app could write lands elsewhere)."""
    return pulled_warehouse.model_copy(update={"home": tmp_path_factory.mktemp("web_home")})


@pytest.fixture(scope="session")
def built_out(pulled_warehouse, tmp_path_factory) -> Path:  # noqa: F811
    """The output folder of a small real build (scores.csv, rank_intervals.csv, indicators.csv, ...)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base
    return _build_once(root, pulled_warehouse)


@pytest.fixture(scope="session")
def app(web_settings, built_out):
    from lmc.web.app import create_app

    return create_app(web_settings, out_dir=built_out)


@pytest.fixture()
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture()
def empty_client(web_settings, tmp_path):
    """An app whose output folder is empty: the index has not been built."""
    from fastapi.testclient import TestClient

    from lmc.web.app import create_app

    with TestClient(create_app(web_settings, out_dir=tmp_path / "nothing"), raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The app served by uvicorn in a thread on 127.0.0.1 and a free port (for the browser tests)."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
