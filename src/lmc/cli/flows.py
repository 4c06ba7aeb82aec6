"""CLI commands for flows and scenarios: ``lmc gravity fit|panel``, ``lmc scenario list|run|validate|bounds``.

Thin: parse options, call one library function (:func:`lmc.flows.gravity.fit_gravity_file`,
:func:`lmc.flows.panel.build_lmc_panel_from_warehouse` with the corridor's rail times,
:func:`lmc.flows.scenarios.list_scenarios`, :func:`lmc.flows.scenarios.run_scenario`,
:func:`lmc.flows.validation.validate`, :func:`lmc.flows.schema.parameter_bounds`), render the typed result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from lmc.cli.common import OutputFormat


gravity_app = typer.Typer(help="Gravity models: PPML with high-dimensional fixed effects (pyfixest).",
                          no_args_is_help=True)
scenario_app = typer.Typer(help="What-if scenarios: tourism diversion, trade GE, railway finance.",
                           no_args_is_help=True)


@gravity_app.command("fit")
def gravity_fit(
    data: Path = typer.Option(..., "--data", help="CSV (optionally .gz) or Parquet file, one row per flow."),
    formula: str = typer.Option(..., "--formula", help='pyfixest formula, e.g. "trade ~ rta | exp_year + imp_year + pair".'),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Column for cluster-robust standard errors (e.g. pair)."),
    as_json: bool = typer.Option(False, "--json", help='Print {"coef": {...}, "se": {...}, "nobs": N}.'),
) -> None:
    """Fit a PPML gravity model to your own data.

    Example: lmc gravity fit --data flows.csv --formula "trade ~ rta | exp_year + imp_year + pair" --cluster pair
    """
    from lmc.cli.common import console, err_console, print_frame, print_json
    from lmc.flows.gravity import fit_gravity_file

    with err_console.status("fitting PPML ..."):
        res = fit_gravity_file(data, formula, cluster=cluster)
    if as_json:
        print_json({"coef": res.coef, "se": res.se, "nobs": res.nobs})
        return
    print_frame(res.to_frame(), title=f"PPML: {formula}")
    se_kind = f"clustered by {cluster}" if cluster else "heteroskedasticity-robust"
    console.print(f"N = {res.nobs:,} (dropped {res.n_dropped:,} singleton/separated); SE {se_kind}; "
                  f"fixed effects: {', '.join(res.fixed_effects) or 'none'}")


@gravity_app.command("panel")
def gravity_panel(
    out: Optional[Path] = typer.Option(None, "--out", help="Output file, .csv or .parquet. "
                                       "Default: <LMC_HOME>/out/gravity_panel.csv."),
    flow: str = typer.Option("arrivals", "--flow",
                             help="Flow variable: arrivals (official tourist arrivals between the six countries: "
                                  "Thailand's and Vietnam's tables and the curated key figures) or migrant_stock "
                                  "(UN DESA)."),
) -> None:
    """Write the LMC bilateral panel (30 directed pairs x years) from the warehouse, a source column per variable.

    Example: lmc gravity panel --out panel.csv, then
    lmc gravity fit --data panel.csv --formula "flow ~ visa_openness + stringency_pair | origin + destination"
    """
    from lmc.cli.common import console, err_console, print_frame
    from lmc.config import get_settings
    from lmc.corridor.plan import fastest_times
    from lmc.flows.panel import build_lmc_panel_from_warehouse, check_panel_path, panel_summary, write_panel

    target = check_panel_path(out if out is not None else get_settings().out_dir / "gravity_panel.csv")
    with err_console.status("building the LMC bilateral panel ..."):
        panel = build_lmc_panel_from_warehouse(flow=flow, rail_times=fastest_times())  # type: ignore[arg-type]
        write_panel(panel, target)
    print_frame(panel_summary(panel), title=f"LMC bilateral panel: {len(panel):,} rows "
                f"({panel['year'].min()}-{panel['year'].max()})")
    console.print(f"[dim]wrote {target}[/dim]")


@scenario_app.command("list")
def scenario_list(
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
) -> None:
    """List the built-in scenarios."""
    from lmc.cli.common import print_frame
    from lmc.flows.scenarios import list_scenarios

    print_frame(list_scenarios(), fmt, title="Built-in scenarios (lmc scenario run NAME)")


@scenario_app.command("run")
def scenario_run(
    scenario: str = typer.Argument(..., help="A built-in scenario name (see `lmc scenario list`) or a YAML file."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for tables (CSV), charts (PNG/SVG) and report.md/.html. "
                                       "Default: <LMC_HOME>/out/scenarios/<name>."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON instead of a table."),
    unvalidated: bool = typer.Option(False, "--unvalidated", help="Run even if the model fails one of its "
                                     "back-casts (`lmc scenario validate`); the report says so on its first line."),
) -> None:
    """Run a scenario and write its tables, charts and report section.

    A model that fails a back-cast runs only with --unvalidated. Example: lmc scenario run lao-exports-20pct --out out/lao
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from lmc.cli.common import console, err_console, print_frame, print_json
    from lmc.config import get_settings
    from lmc.flows.inputs import pull_missing
    from lmc.flows.scenarios import headline_items, load_scenario, run_scenario

    spec = load_scenario(scenario)
    target = out if out is not None else get_settings().out_dir / "scenarios" / spec.name
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err_console,
                  transient=True) as bar:
        task = bar.add_task(f"scenario {spec.name}", total=None)
        pull_missing([spec.model], progress=lambda msg: bar.update(task, description=f"{spec.name}: {msg}"))
        res = run_scenario(spec, target, progress=lambda msg: bar.update(task, description=f"{spec.name}: {msg}"),
                           unvalidated=unvalidated)
    if as_json:
        print_json(res.to_dict() | {"tables": None, "labels": None})
        return
    console.print(res.report_md.splitlines()[0].strip("*"))
    console.print(f"[bold]{res.title}[/bold]")
    console.print(f"  calibration: {res.calibration}\n  sector: {res.sector}")
    for k, v in headline_items(res.headline):
        console.print(f"  {k}: {v}", highlight=False)
    print_frame(res.summary_frame(), title=f"{res.name} ({res.model}, {res.year})", max_rows=25)
    console.print(f"[dim]wrote {len(res.files)} files to {target}[/dim]")


@scenario_app.command("validate")
def scenario_validate(
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for validation.csv. "
                                       "Default: <LMC_HOME>/out/validation."),
    model: Optional[list[str]] = typer.Option(None, "--model", help="Only this model's back-casts (repeatable): "
                                              "choice, ge, trend, freight."),
    draws: Optional[int] = typer.Option(None, "--draws", min=50, max=5000, help="Monte Carlo draws per back-cast "
                                        "(default 300, the number scenario runs check against)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1, help="Seed of the draws."),
) -> None:
    """Run every model's back-casts (history it must reproduce) and write validation.csv; exit 2 if any fails.

    Example: lmc scenario validate --out out/validation
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from lmc.cli.common import console, err_console, print_frame
    from lmc.config import get_settings
    from lmc.flows.inputs import pull_missing
    from lmc.flows.validation import checks, validate, write_validation

    target = out if out is not None else get_settings().out_dir / "validation"
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err_console,
                  transient=True) as bar:
        task = bar.add_task("back-casts", total=None)
        pull_missing({c.model for c in checks(model or None)}, progress=lambda m: bar.update(task, description=m))
        res = validate(model or None, n_draws=draws, seed=seed, progress=lambda m: bar.update(task, description=m))
    path = write_validation(res, target)
    t = res.to_frame()
    show = t[["model", "event", "predicted_median", "predicted_p05", "predicted_p95", "observed", "passed"]]
    print_frame(show, title=f"Back-casts ({len(t)} checks, {res.n_draws} draws each)", max_rows=100)
    console.print(f"[dim]wrote {path}[/dim]")
    if not res.passed:
        fails = res.failures()
        err_console.print(f"{len(fails)} of {len(t)} back-casts fail: " + "; ".join(fails["event"]))
        for _, f in fails.iterrows():  # what each check's note says about it (for freight: what the model leaves out)
            if isinstance(f.get("note"), str) and f["note"]:
                err_console.print(f"  [bold]{f['event']}[/bold]: {f['note']}", highlight=False)
        raise typer.Exit(2)


@scenario_app.command("bounds")
def scenario_bounds(
    model: str = typer.Argument(..., help="choice, ge, trend, railway or freight."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
) -> None:
    """The allowed range of every shock variable and option of a model (what a scenario may set).

    Example: lmc scenario bounds choice
    """
    from lmc.cli.common import print_frame
    from lmc.errors import unknown
    from lmc.flows.errors import ScenarioError
    from lmc.flows.schema import MODELS, parameter_bounds

    if model not in MODELS:
        raise ScenarioError(unknown("model", model, MODELS))
    print_frame(parameter_bounds(model), fmt, title=f"Bounds of {model} scenarios")


def register(app: typer.Typer) -> None:
    """Add ``gravity`` and ``scenario`` to the root app."""
    app.add_typer(gravity_app, name="gravity")
    app.add_typer(scenario_app, name="scenario")
