"""CLI command ``lmc build``: the Soft Connectivity Index from the warehouse to ``out/`` (scores, data package,
reports in English and Chinese). Thin: parse options, call :func:`lmc.reports.build.build`, render a summary."""

from __future__ import annotations

from pathlib import Path

import typer


def build_cmd(
    out: Path = typer.Option(None, "--out", help="Output folder (default: <home>/out)."),
    n: int = typer.Option(2000, "--n", min=16, max=100_000,
                          help="Uncertainty replays (at least this many; Sobol design)."),
    seed: int = typer.Option(20240101, "--seed", min=0, help="Seed of the uncertainty analysis."),
    no_pull: bool = typer.Option(False, "--no-pull", help="Never pull: fail if the warehouse does not exist."),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Write the HTML reports only."),
    as_json: bool = typer.Option(False, "--json", help="Print the result summary as JSON."),
    allow_invalid: bool = typer.Option(False, "--allow-invalid",
                                       help="Write the outputs even when a known fact of the validity suite is not "
                                            "reproduced; the report lists the failures."),
) -> None:
    """Build the Lancang-Mekong Soft Connectivity Index.

    pull (if needed) -> indicators -> index -> audit -> uncertainty -> validity -> out/: scores.csv, scores.xlsx,
    scores.parquet, validity.csv, contributions.csv, robustness.csv, datapackage.json, report_en/zh .html and .pdf.
    Every build checks the validity suite (dated, sourced facts the scores must reproduce) and prints "N of M known
    facts reproduced"; one that fails stops the build with exit code 2 unless --allow-invalid. A second run with
    nothing changed is cached.

    Examples: [b]lmc build[/b] · [b]lmc build --out /tmp/sci --n 4000[/b] · [b]lmc build --no-pull --json[/b]
    """
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from lmc.cli.common import console, print_frame, print_json
    from lmc.reports.build import STAGES, build
    from lmc.sci.validity import InvalidBuildError

    with Progress(TextColumn("{task.description:<12}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  console=console, transient=as_json) as prog:
        tasks = {s: prog.add_task(s, total=1) for s in STAGES}

        def cb(stage: str, done: int, total: int) -> None:
            if stage in tasks:
                prog.update(tasks[stage], completed=done, total=max(total, 1))

        try:
            result = build(out=out, n=n, seed=seed, pull=not no_pull, pdf=not no_pdf, progress=cb,
                           allow_invalid=allow_invalid)
        except InvalidBuildError as exc:
            _print_failures(exc.result.table)
            raise
    if as_json:
        print_json(result.to_dict())
        return
    s = result.scores
    top = s[(s["year"] == result.latest_year) & (s["pillar"] == "index") & (s["level"] != "province")]
    print_frame(top[["level", "unit", "score", "rank"]], title=f"Soft Connectivity Index {result.latest_year}")
    state = "up to date (cached)" if result.cached else "written"
    console.print(f"{len(result.files)} files {state} in [b]{result.out_dir}[/b] · years {min(result.years)}-"
                  f"{result.latest_year} · {result.uncertainty.runs} uncertainty runs · "
                  f"{result.timings.get('total', 0):.1f} s")
    if result.validity is not None:
        style = "green" if result.validity.ok else "bold red"
        console.print(f"[{style}]{result.validity.summary()}[/{style}] (validity.csv)")
        if not result.validity.ok:
            _print_failures(result.validity.table)
    if result.unavailable:
        console.print(f"[dim]indicators not available in this warehouse: {', '.join(sorted(result.unavailable))}[/dim]")


def _print_failures(table) -> None:
    """The statements a build does not reproduce, with what was observed."""
    from lmc.cli.common import print_frame

    failed = table[~table["pass"]]
    print_frame(failed[["id", "units", "measure", "check", "observed"]], title="Known facts not reproduced")


def register(app: typer.Typer) -> None:
    """Add ``lmc build`` to the root app."""
    app.command("build")(build_cmd)
