"""CLI command ``lmc serve``: the web observatory (pages, REST API, downloads) on a local address.

Thin: parse options, build the app with :func:`lmc.web.app.create_app`, hand it to uvicorn. Binds 127.0.0.1:8000
by default, so nothing is exposed beyond this machine unless ``--host`` says so. The worker processes for scenario
runs and PDF renders start with the server and stop with it.
"""

from __future__ import annotations

from pathlib import Path

import typer


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (0.0.0.0 exposes it to the network)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    out: Path = typer.Option(None, "--out", help="Build output folder to show (default: <home>/out, where "
                                                 "`lmc build` writes)."),
    workers: int = typer.Option(2, "--workers", min=1, max=16,
                                help="Scenario runs and PDF renders at once (each in a limited worker process); "
                                     "one more request gets 429."),
) -> None:
    """Serve the observatory in a browser: overview, index explorer, pair and country profiles, scenarios,
    corridor planner, manuals, mechanisms, downloads, in English and Chinese, and the REST API under /api/v1.

    Examples: [b]lmc serve[/b] · [b]lmc serve --port 8080[/b] · [b]lmc serve --out /tmp/sci[/b]
    """
    import uvicorn

    from lmc.cli.common import err_console
    from lmc.config import get_settings
    from lmc.web.app import create_app

    settings = get_settings()
    app = create_app(settings, out_dir=out, workers=workers, warm=True)
    if not app.state.store.available():
        err_console.print(f"[yellow]No built index in {app.state.store.out_dir}: pages with scores will say so. "
                          f"Run `lmc build` first.[/yellow]")
    err_console.print(f"LMC Observatory on [b]http://{host}:{port}/[/b] (API docs: /api/docs) - Ctrl+C to stop")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)


def register(app: typer.Typer) -> None:
    """Add ``lmc serve`` to the root app."""
    app.command("serve")(serve)
