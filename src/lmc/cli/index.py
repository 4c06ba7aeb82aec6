"""``lmc index``: build a composite index, audit it, and run uncertainty and sensitivity analysis.

Inputs are either a framework YAML and a data CSV (positional) or COINr's ``--imeta``/``--idata`` CSVs. Without
``--pipeline`` the build uses COINr's defaults (min-max 0-100, weighted arithmetic mean skipping missing values).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer

from lmc.cli.common import OutputFormat

sub = typer.Typer(help="Composite indices: build, audit, uncertainty and sensitivity analysis (COINr-compatible).",
                  no_args_is_help=True)

FRAMEWORK_ARG = typer.Argument(None, help="Framework YAML (indicator tree).", show_default=False)
DATA_ARG = typer.Argument(None, help="Data CSV: uCode, optional uName/Time, groups, denominators, indicators.",
                          show_default=False)
IMETA_OPT = typer.Option(None, "--imeta", help="COINr iMeta CSV (instead of FRAMEWORK).")
IDATA_OPT = typer.Option(None, "--idata", help="COINr iData CSV (instead of DATA).")
PIPE_OPT = typer.Option(None, "--pipeline", help="Pipeline YAML (stage options); default: COINr's defaults.")
OUT_OPT = typer.Option(..., "--out", help="Output folder (created).")


def _inputs(framework: Path | None, data: Path | None, imeta: Path | None, idata: Path | None,
            pipeline: Path | None):
    from lmc.errors import ConfigError
    from lmc.index import default_spec, load_framework, load_pipeline, read_coinr, read_data_csv

    if imeta or idata:
        if not (imeta and idata):
            raise ConfigError("give both --imeta and --idata (COINr inputs)")
        if framework or data:
            raise ConfigError("give either FRAMEWORK DATA or --imeta/--idata, not both")
        fw, d = read_coinr(imeta, idata)
    else:
        if not (framework and data):
            raise ConfigError("give FRAMEWORK.yaml DATA.csv, or --imeta iMeta.csv --idata iData.csv")
        if framework.suffix.lower() == ".csv":
            from lmc.index import read_imeta

            fw = read_imeta(framework)
        else:
            fw = load_framework(framework)
        d = read_data_csv(data, fw)
    spec = load_pipeline(pipeline, fw) if pipeline else default_spec(fw)
    return spec, d


@contextmanager
def _progress(label: str, quiet: bool = False):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lmc.cli.common import console

    if quiet:
        yield None
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as prog:
        task = prog.add_task(label, total=None)

        def cb(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        yield cb


def build_cmd(
    framework: Path | None = FRAMEWORK_ARG, data: Path | None = DATA_ARG,
    imeta: Path | None = IMETA_OPT, idata: Path | None = IDATA_OPT, pipeline: Path | None = PIPE_OPT,
    out: Path = OUT_OPT,
    export: str = typer.Option("csv", "--export", help="Comma list of csv, xlsx, parquet, datapackage."),
    plots: bool = typer.Option(False, "--plots", help="Also write framework.png and bars.png."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="How to print the results."),
    top: int = typer.Option(15, "--top", min=1, help="Rows to print (table format)."),
) -> None:
    """Build an index; writes OUT/results.csv (uCode, then <code> and <code>_rank for the index and every
    aggregate) plus every stage.

    Example: lmc index build --imeta ASEM_iMeta.csv --idata ASEM_iData.csv --out out/asem
    """
    from lmc.cli.common import console, print_frame
    from lmc.index import build
    from lmc.index.errors import SpecError
    from lmc.index.export import export_result

    formats = tuple(f.strip() for f in export.split(",") if f.strip())
    valid = ("csv", "xlsx", "parquet", "datapackage")
    for f in formats:
        if f not in valid:
            from lmc.errors import unknown

            raise SpecError(unknown("export format", f, valid))
    spec, d = _inputs(framework, data, imeta, idata, pipeline)
    res = build(spec, d)
    export_result(res, out, formats=formats + (("csv",) if "csv" not in formats else ()))
    if plots:
        from lmc.index.plots import plot_bars, plot_framework

        plot_framework(spec.framework, out / "framework.png", res.weights)
        plot_bars(res, out / "bars.png")
    df = res.to_frame()
    if fmt is OutputFormat.table:
        fw = spec.framework
        keep = ["uCode", fw.root, f"{fw.root}_rank", *fw.children[fw.root]]
        title = f"{spec.framework.name}: {len(df)} units (top {top})"
        print_frame(df[[c for c in keep if c in df.columns]].head(top), fmt, title=title)
        if res.removed_units:
            console.print(f"[yellow]screened out:[/yellow] {', '.join(res.removed_units)}")
        console.print(f"[green]wrote[/green] {out / 'results.csv'}")
    else:
        print_frame(df, fmt)


def uncertainty_cmd(
    framework: Path | None = FRAMEWORK_ARG, data: Path | None = DATA_ARG,
    imeta: Path | None = IMETA_OPT, idata: Path | None = IDATA_OPT, pipeline: Path | None = PIPE_OPT,
    spec_file: Path | None = typer.Option(None, "--spec", help="UA.yaml (uncertain inputs); default: weights "
                                          "±25 % on aggregate levels, min-max 1-100 | z-score 10/2, arithmetic | "
                                          "geometric."),
    n: int = typer.Option(1000, "--n", min=1, max=100_000, help="Number of draws."),
    seed: int | None = typer.Option(None, "--seed", min=0, help="Random seed (numpy default_rng)."),
    out: Path = OUT_OPT,
    plots: bool = typer.Option(False, "--plots", help="Also write rank_intervals.png."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="How to print the rank statistics."),
) -> None:
    """Uncertainty analysis; writes OUT/rankstats.csv (uCode, nominal_rank, mean_rank, median_rank, q05_rank,
    q95_rank), scores.csv and params.csv.

    Example: lmc index uncertainty --imeta iMeta.csv --idata iData.csv --spec UA.yaml --n 10000 --seed 1 --out ua
    """
    from lmc.cli.common import console, print_frame
    from lmc.index.export import write_csv
    from lmc.index.uncertainty import default_ua_spec, load_ua_spec, run_uncertainty

    spec, d = _inputs(framework, data, imeta, idata, pipeline)
    ua = load_ua_spec(spec_file, spec) if spec_file else default_ua_spec(spec)
    with _progress(f"{n} draws", quiet) as cb:
        res = run_uncertainty(spec, d, ua, n=n, seed=seed, progress=cb)
    rs = res.rankstats()
    write_csv(rs, out / "rankstats.csv")
    write_csv(res.scores_frame(), out / "scores.csv")
    write_csv(res.params, out / "params.csv")
    if plots:
        from lmc.index.plots import plot_rank_intervals

        plot_rank_intervals(res, out / "rank_intervals.png")
    print_frame(rs, fmt, title=f"rank statistics of {res.target} over {n} draws")
    if fmt is OutputFormat.table:
        console.print(f"[green]wrote[/green] {out / 'rankstats.csv'}")


def sensitivity_cmd(
    framework: Path | None = FRAMEWORK_ARG, data: Path | None = DATA_ARG,
    imeta: Path | None = IMETA_OPT, idata: Path | None = IDATA_OPT, pipeline: Path | None = PIPE_OPT,
    spec_file: Path | None = typer.Option(None, "--spec", help="UA.yaml (uncertain inputs); default as for "
                                          "'lmc index uncertainty'."),
    n: int = typer.Option(1000, "--n", min=2, max=100_000, help="Base sample size N (N (d + 2) evaluations)."),
    seed: int | None = typer.Option(None, "--seed", min=0, help="Random seed."),
    nboot: int = typer.Option(1000, "--nboot", min=10, max=100_000, help="Bootstrap resamples for the intervals."),
    output: str = typer.Option("mean_abs_rank_change", "--output",
                               help="Model output: mean_abs_rank_change (COINr's) or a unit code (its rank)."),
    out: Path = OUT_OPT,
    plots: bool = typer.Option(False, "--plots", help="Also write sobol.png."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="How to print the indices."),
) -> None:
    """Sensitivity analysis (Sobol, Saltelli design); writes OUT/sobol.csv (input, S1, S1_low, S1_high, ST, ST_low,
    ST_high) of the mean absolute rank change against the nominal ranks.

    Example: lmc index sensitivity --imeta iMeta.csv --idata iData.csv --spec UA.yaml --n 1000 --out sa
    """
    from lmc.cli.common import console, print_frame
    from lmc.index.export import write_csv
    from lmc.index.sensitivity import run_sensitivity
    from lmc.index.uncertainty import default_ua_spec, load_ua_spec

    spec, d = _inputs(framework, data, imeta, idata, pipeline)
    ua = load_ua_spec(spec_file, spec) if spec_file else default_ua_spec(spec)
    with _progress(f"{n * (ua.d + 2)} evaluations", quiet) as cb:
        res = run_sensitivity(spec, d, ua, n=n, seed=seed, nboot=nboot, output=output, progress=cb)
    write_csv(res.sobol, out / "sobol.csv")
    write_csv(res.rankstats, out / "rankstats.csv")
    if plots:
        from lmc.index.plots import plot_sobol

        plot_sobol(res.sobol, out / "sobol.png")
    print_frame(res.sobol, fmt, title=f"Sobol indices ({res.evaluations} evaluations)")
    if fmt is OutputFormat.table:
        console.print(f"[green]wrote[/green] {out / 'sobol.csv'}")


def audit_cmd(
    framework: Path | None = FRAMEWORK_ARG, data: Path | None = DATA_ARG,
    imeta: Path | None = IMETA_OPT, idata: Path | None = IDATA_OPT, pipeline: Path | None = PIPE_OPT,
    out: Path = OUT_OPT,
    plots: bool = typer.Option(True, "--plots/--no-plots", help="Write correlations.png too."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="How to print the flags."),
) -> None:
    """Audit: statistics, data availability, correlations (flagged), Cronbach's alpha, PCA, effective weights;
    one CSV each in OUT.

    Example: lmc index audit --imeta iMeta.csv --idata iData.csv --out audit
    """
    from lmc.cli.common import console, print_frame
    from lmc.index import build
    from lmc.index.audit import audit, write_audit

    spec, d = _inputs(framework, data, imeta, idata, pipeline)
    res = build(spec, d)
    a = audit(res)
    write_audit(a, out)
    if plots:
        from lmc.index.plots import plot_corr_heatmap

        plot_corr_heatmap(res.stages["normalised"], out / "correlations.png")
    print_frame(a.flags, fmt, title="correlation flags")
    if fmt is OutputFormat.table:
        print_frame(a.alpha, fmt, title="Cronbach's alpha")
        console.print(f"[green]wrote[/green] {out}")


def register(app: typer.Typer) -> None:
    """Add ``lmc index build|uncertainty|sensitivity|audit``."""
    sub.command("build")(build_cmd)
    sub.command("uncertainty")(uncertainty_cmd)
    sub.command("sensitivity")(sensitivity_cmd)
    sub.command("audit")(audit_cmd)
    app.add_typer(sub, name="index")
