"""Web test fixtures: the app over the session's real SCI build, shared with the SCI and report tests.

The app serves the output folder of ``sci_report_build`` (tests/fixtures_warehouse.py: ``lmc.reports.build.build``
over the pulled warehouse with the CLI's uncertainty design, ``SCI_TEST_N`` runs, and both reports with PDFs), so the
numbers the app serves are real SCI numbers, ``build.json`` and the report downloads are really there, and a test
run pays for one SCI build, not one for the web tests and another for the SCI/report tests. With pytest-xdist the
workers share that build (a file lock guards it), like the pulled warehouse itself. Treat it as read-only.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest



@pytest.fixture(scope="session")
def web_settings(pulled_warehouse, tmp_path_factory):
    """Settings over the pulled warehouse, with a private home (nothing the app could write lands elsewhere)."""
    return pulled_warehouse.model_copy(update={"home": tmp_path_factory.mktemp("web_home")})


@pytest.fixture(scope="session")
def built_out(sci_report_build) -> Path:
    """The output folder of the session's small real build (scores.csv, rank_intervals.csv, indicators.csv,
    build.json, the reports, ...)."""
    return sci_report_build.out_dir


@pytest.fixture(scope="session")
def app(web_settings, built_out):
    from lmc.web.app import create_app

    app = create_app(web_settings, out_dir=built_out)
    yield app
    app.state.pool.close()


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
