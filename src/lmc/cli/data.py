"""CLI commands: ``lmc data pull|status|show|export`` and the top-level ``lmc sql``.

Thin on purpose: each command parses options, calls one library function from :mod:`lmc.warehouse`, renders the
returned result (Rich table, CSV or JSON) and sets the exit code.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import typer

from lmc.cli.common import OutputFormat

data_app = typer.Typer(
    name="data",
    help="Fetch the open datasets into the warehouse and look at what is there.",
    no_args_is_help=True,
)


class ExportFormatOpt(str, Enum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


@data_app.command("pull")
def pull_cmd(
    sources: list[str] = typer.Argument(None, help="Source ids to pull (default: every declared source)."),
    mirror: list[str] = typer.Option(None, "--mirror", help="A mirror folder or URL base tried first (repeatable)."),
    offline: bool = typer.Option(False, "--offline", help="Never use the network: cache and mirrors only."),
    accept_shrink: bool = typer.Option(False, "--accept-shrink",
                                       help="Load tables even when they have over 10 % fewer rows than the loaded "
                                            "ones or fewer than their declared minimum (on purpose)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="Summary as table, csv or json."),
) -> None:
    """Fetch sources (cache, then mirrors, then publishers) and load each into the warehouse atomically.

    A source that fails keeps its previous tables; the command then lists its error and exits with code 2. A load
    that would lose rows (a table over 10 % smaller than the loaded one, or below its declared minimum) is refused
    unless --accept-shrink; an optional file that cannot be had keeps its previous table, with a warning.

    Examples: `lmc data pull`, `lmc data pull openflights wdi --offline`, `lmc data pull --mirror ../shared/data/mirror`.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lmc.cli.common import console, err_console, print_data, print_frame
    from lmc.config import get_settings
    from lmc.warehouse.ingest import pull

    settings = get_settings()
    mirrors = tuple(m if "://" in m else str(Path(m).expanduser().resolve()) for m in (mirror or ()))
    with Progress(TextColumn("[bold]{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True,
                  disable=fmt is not OutputFormat.table) as bar:
        task = bar.add_task("pulling", total=None)

        def progress(message: str, done: int, total: int) -> None:
            bar.update(task, description=message, completed=done, total=total)

        result = pull(sources or None, settings, progress, mirrors=mirrors, offline=offline or None,
                      accept_shrink=accept_shrink)
    if not print_data(result, fmt):
        shown = result.to_frame().drop(columns=["tables", "files"]).rename(columns={"observations": "obs"})
        shown["hash_ok"] = ["" if v is None else ("yes" if v else "NO") for v in shown["hash_ok"]]
        print_frame(shown, fmt, title=f"lmc data pull -> {result.warehouse}")
        ok = [ld for ld in result.loads if ld.ok]
        console.print(f"{len(ok)} of {len(result.loads)} sources loaded, {sum(ld.rows for ld in ok):,} rows, "
                      f"{sum(len(ld.files) for ld in ok)} files with provenance, in {result.seconds:.1f} s.")
        for w in result.warnings:
            err_console.print(f"[yellow]warning:[/yellow] {w}", highlight=False)
    if not result.ok:
        for ld in result.failed:
            err_console.print(f"[red]error:[/red] {ld.error}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)


@data_app.command("status")
def status_cmd(
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """List every source: rows, observations, years, licence, when retrieved and whether the hashes matched."""
    from lmc.cli.common import console, print_data, print_frame
    from lmc.config import get_settings
    from lmc.warehouse.query import status

    result = status(get_settings())
    if print_data(result, fmt):
        return
    print_frame(_compact(result.to_frame()), fmt, title=f"Warehouse {result.warehouse}")
    console.print(f"{result.loaded} sources loaded, {result.files} files in provenance "
                  "(full licences: --format csv or json).")


def _short(text: object, width: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _compact(frame: Any) -> Any:
    """The status frame trimmed to fit a terminal: short licences, dates without times, hash as yes/NO."""
    out = frame.drop(columns=["files", "tables"]).copy()
    out["licence"] = [_short(v, 26) for v in out["licence"]]
    out["retrieved"] = [str(v)[:10] if v != "not pulled" else v for v in out["retrieved"]]
    out["hash_ok"] = ["" if v is None or v != v else ("yes" if v else "NO") for v in out["hash_ok"]]
    return out


@data_app.command("show")
def show_cmd(
    source: str = typer.Argument(..., help="A source id (see `lmc data status`)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """Show one source: publisher, licence, coverage, its files with hashes and its tables with row counts."""
    from lmc.cli.common import console, print_data, print_frame
    from lmc.config import get_settings
    from lmc.warehouse.query import show_source

    info = show_source(source, get_settings())
    if print_data(info, fmt):
        return
    s = info.source
    console.print(f"[bold]{s.id}[/bold]: {s.title}")
    for label, value in (("publisher", s.publisher), ("homepage", s.homepage), ("licence", s.licence),
                         ("coverage", s.coverage), ("notes", s.notes)):
        if value:
            console.print(f"  [dim]{label:<10}[/dim] {value}", highlight=False)
    print_frame(info.files, fmt, title="files")
    print_frame(info.tables, fmt, title="tables")
    if not info.loaded:
        console.print("[yellow]not pulled yet[/yellow]: run `lmc data pull " + s.id + "`")


@data_app.command("export")
def export_cmd(
    table: str = typer.Argument(..., help="A warehouse table or view, e.g. observations or provenance."),
    fmt: ExportFormatOpt = typer.Option(None, "--format", "-f", show_default=False,
                                        help="csv, parquet or xlsx (default: the extension of --out, else csv)."),
    out: Path = typer.Option(None, "--out", "-o", help="Output file or folder (default: <home>/out/TABLE.FORMAT)."),
) -> None:
    """Export a warehouse table to CSV, Parquet or XLSX (written to a temporary file, then moved into place).

    The format follows the extension of --out (`-o scores.xlsx`); an extension that is not .csv, .parquet or
    .xlsx, or that contradicts --format, is refused.
    """
    from lmc.cli.common import console
    from lmc.config import get_settings
    from lmc.warehouse.query import export_table

    result = export_table(table, fmt.value if fmt else None, out, get_settings())
    console.print(f"{result.rows:,} rows of {result.table} -> {result.path}", highlight=False)


def sql_cmd(
    query: str = typer.Argument(..., help='One SQL statement, e.g. "SELECT * FROM observations LIMIT 5".'),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
    limit: int = typer.Option(1000, "--limit", min=0, help="At most this many rows (0: no limit)."),
) -> None:
    """Run one read-only query on the warehouse; writes, files, extensions, settings and several statements are
    refused with one line.

    Example: `lmc sql "SELECT source, count(*) FROM observations GROUP BY ALL"`.
    """
    from lmc.cli.common import err_console, print_frame, print_json
    from lmc.config import get_settings
    from lmc.warehouse.query import run_sql

    result = run_sql(query, get_settings(), limit=limit or None)
    if fmt is OutputFormat.json:
        print_json(result.to_dict())
        return
    print_frame(result.to_frame(), fmt, max_rows=limit or len(result.frame) or 1)
    if result.truncated:
        err_console.print(f"[dim]stopped at {limit} rows (use --limit 0 for all)[/dim]")


def register(app: typer.Typer) -> None:
    """Add ``lmc data ...`` and ``lmc sql`` to the root app."""
    app.add_typer(data_app, name="data")
    app.command("sql")(sql_cmd)
