"""``lmc mechanisms``: the registry of cooperation mechanisms and the analysis of their overlaps.

Each command parses options, calls one function of :mod:`lmc.mechanisms` and renders its result as a Rich table,
CSV or JSON. ``--registry FILE`` runs any command on another registry file (same format as the packaged one).
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from lmc.cli.common import OutputFormat
from lmc.errors import ValidationError

FORMAT = typer.Option(OutputFormat.table, "--format", "-f", help="Output: table, csv or json.")
REGISTRY = typer.Option(None, "--registry", help="Registry YAML to use instead of the packaged one.",
                        exists=True, dir_okay=False)
CHART = typer.Option(None, "--chart", help="Also draw the chart to this .png or .svg file.", dir_okay=False)

sub = typer.Typer(
    help="Cooperation mechanisms (LMC, GMS, MRC, Mekong-U.S., ...): registry, overlaps, congestion, timeline.\n\n"
         "Examples:\n\n  lmc mechanisms list\n\n  lmc mechanisms show mrc\n\n"
         "  lmc mechanisms overlap --format csv\n\n  lmc mechanisms congestion --chart congestion.png\n\n"
         "  lmc mechanisms export mechanisms.xlsx",
    no_args_is_help=True,
)


def _registry(path: Path | None):
    from lmc.sources.mechanisms import load_registry

    return load_registry(path)


def _chart(draw: str, result: object, path: Path | None, **kwargs: object) -> None:
    """Draw ``result`` with ``lmc.mechanisms.charts.<draw>`` into ``path`` (when given) and say so on stderr.

    The charts module (matplotlib) is imported only when a chart is asked for.
    """
    from lmc.cli.common import err_console

    if path:
        from lmc.mechanisms import charts

        getattr(charts, draw)(result, path, **kwargs)
        err_console.print(f"chart written to {path}")


def _years(spec: str) -> list[int]:
    """'2015-2025' or '2015,2020,2025' -> years."""
    m = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", spec)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if b < a:
            raise ValidationError(f"--years {spec!r}: the range ends before it starts.")
        return list(range(a, b + 1))
    try:
        return sorted({int(x) for x in spec.split(",") if x.strip()})
    except ValueError:
        raise ValidationError(f"--years {spec!r}: give a range like 2015-2025 or a list like 2015,2020.") from None


@sub.command("list")
def list_cmd(fmt: OutputFormat = FORMAT, registry: Path | None = REGISTRY) -> None:
    """List the mechanisms: type, status, founding year, LMC countries covered, primary source."""
    from lmc.cli.common import print_frame, print_json
    from lmc.mechanisms import list_mechanisms

    res = list_mechanisms(_registry(registry))
    if fmt is OutputFormat.json:
        print_json(res.to_dict())
        return
    df = res.to_frame()
    if fmt is OutputFormat.table:
        df = df[["id", "abbreviation", "type", "status", "founded", "countries", "lmc_countries"]]
    print_frame(df, fmt, title="Cooperation mechanisms")


@sub.command("show")
def show_cmd(mechanism: str = typer.Argument(..., help="Mechanism id or abbreviation, e.g. mrc or MUSP."),
             fmt: OutputFormat = FORMAT, registry: Path | None = REGISTRY) -> None:
    """Everything the registry says about one mechanism, with its sources."""
    from rich.panel import Panel

    from lmc.cli.common import console, print_data, print_frame
    from lmc.mechanisms import mechanism_detail

    res = mechanism_detail(_registry(registry), mechanism)
    if print_data(res, fmt):
        return
    r = res.record
    lines = [f"[bold]{r['name_en']}[/bold] ({r['abbreviation']}, id {r['id']})"]
    if r["name_zh"]:
        lines.append(r["name_zh"])
    lines.append(f"type: {r['type']} — {r['type_description']}")
    status = r["status"] + (f" (last activity {r['last_activity']})" if r["last_activity"] else "")
    lines.append(f"status: {status}")
    lines.append(f"founded: {r['founded'] if r['founded'] is not None else 'not dated'}"
                 + (f" — {r['founded_note']}" if r["founded_note"] else ""))
    if r["founding_document"]:
        lines.append(f"founding document: {r['founding_document']}"
                     + (f" ({r['founding_date']})" if r["founding_date"] else ""))
    if r["initiator"]:
        lines.append(f"initiator: {r['initiator_name']} ({r['initiator']})")
    if r["parent"]:
        lines.append(f"part of: {r['parent']}")
    lines.append("sectors: " + ", ".join(r["sectors"]))
    if r["members_note"]:
        lines.append(f"members: {r['members_note']}")
    s = r["source"]
    lines.append(f"[dim]source: {s['publisher']}, {s['url']} (accessed {s['accessed']})[/dim]")
    console.print(Panel("\n".join(lines), expand=False))
    print_frame(res.to_frame().drop(columns=["note"]), fmt, title="Members and partners")
    if len(res.programmes):
        print_frame(res.programmes, fmt, title="Programmes")
    if len(res.funding):
        print_frame(res.funding, fmt, title="Funding instruments")
    print_frame(res.references, fmt, title="References")


@sub.command("overlap")
def overlap_cmd(by: str = typer.Option("members", "--by", help="members (countries, current) or sectors."),
                fmt: OutputFormat = FORMAT, chart: Path | None = CHART,
                registry: Path | None = REGISTRY) -> None:
    """Jaccard overlap between mechanisms. CSV: a square matrix, first column `mechanism`."""
    from rich.table import Table

    from lmc.cli.common import console, print_data
    from lmc.mechanisms import membership_overlap, sector_overlap

    if by not in ("members", "sectors"):
        from lmc.errors import unknown

        raise ValidationError("--by: " + unknown("basis", by, ["members", "sectors"]))
    reg = _registry(registry)
    res = membership_overlap(reg) if by == "members" else sector_overlap(reg)
    _chart("overlap_heatmap", res, chart, labels={m.id: m.abbreviation for m in reg.mechanisms})
    if not print_data(res, fmt):
        abbr = {m.id: m.abbreviation for m in reg.mechanisms}
        table = Table(title=f"Jaccard overlap ({res.basis})", show_lines=False)
        table.add_column("")
        for c in res.matrix.columns:
            table.add_column(abbr[c], justify="right")
        for idx, row in res.matrix.iterrows():
            table.add_row(abbr[idx], *["" if v != v else f"{v:.2f}" for v in row])
        console.print(table)


@sub.command("congestion")
def congestion_cmd(countries: str = typer.Option("CHN,MMR,LAO,THA,KHM,VNM", "--countries",
                                                 help="Comma-separated ISO3 codes (rows)."),
                   include_dormant: bool = typer.Option(False, "--include-dormant",
                                                        help="Count dormant mechanisms too."),
                   long: bool = typer.Option(False, "--long", help="One row per cell with the mechanism ids."),
                   fmt: OutputFormat = FORMAT, chart: Path | None = CHART,
                   registry: Path | None = REGISTRY) -> None:
    """Number of active mechanisms per country x sector ("mechanism congestion")."""
    from lmc.cli.common import print_frame, print_json
    from lmc.mechanisms import congestion

    codes = [c.strip().upper() for c in countries.split(",") if c.strip()]
    res = congestion(_registry(registry), codes, include_dormant=include_dormant)
    _chart("congestion_heatmap", res, chart)
    if fmt is OutputFormat.json:
        print_json(res.to_dict())
    elif long:
        print_frame(res.long, fmt, title="Mechanisms per country and sector")
    elif fmt is OutputFormat.table:
        print_frame(res.to_frame().T.reset_index(names="sector").iloc[1:].rename(
            columns=dict(enumerate(res.matrix.index))), fmt, title="Active mechanisms per sector (rows) and country")
    else:
        print_frame(res.to_frame(), fmt)


@sub.command("candidates")
def candidates_cmd(threshold: int = typer.Option(3, "--threshold", min=1,
                                                 help="Minimum mechanisms serving a country-sector cell."),
                   programmes: bool = typer.Option(False, "--programmes",
                                                   help="List the programmes per cell instead of the cells."),
                   fmt: OutputFormat = FORMAT, registry: Path | None = REGISTRY) -> None:
    """Coordination candidates: country-sector cells served by THRESHOLD or more active mechanisms."""
    from lmc.cli.common import print_frame, print_json
    from lmc.mechanisms import coordination_candidates

    res = coordination_candidates(_registry(registry), threshold=threshold)
    if fmt is OutputFormat.json:
        print_json(res.to_dict())
    elif programmes:
        print_frame(res.programmes, fmt, title="Programmes in coordination-candidate cells")
    else:
        print_frame(res.to_frame(), fmt, title=f"Cells served by {threshold}+ active mechanisms")


@sub.command("timeline")
def timeline_cmd(events: bool = typer.Option(False, "--events", help="Show dated events (joins, programmes)."),
                 fmt: OutputFormat = FORMAT, chart: Path | None = CHART,
                 registry: Path | None = REGISTRY) -> None:
    """When each mechanism was founded (cumulative counts), or the dated events that followed."""
    from lmc.cli.common import console, print_frame, print_json
    from lmc.mechanisms import timeline

    res = timeline(_registry(registry))
    _chart("timeline_chart", res, chart)
    if fmt is OutputFormat.json:
        print_json(res.to_dict())
        return
    if events:
        df = res.events if fmt is not OutputFormat.table else res.events.drop(columns=["source_url"])
        print_frame(df, fmt, title="Events")
    else:
        df = res.founding if fmt is not OutputFormat.table else res.founding.drop(
            columns=["source_url", "founding_document", "name_en"])
        print_frame(df, fmt, title="Creation of mechanisms")
    if res.undated and fmt is OutputFormat.table:
        console.print(f"[dim]not dated (no founding year in the sources): {', '.join(res.undated)}[/dim]")


@sub.command("network")
def network_cmd(fmt: OutputFormat = FORMAT, chart: Path | None = CHART,
                registry: Path | None = REGISTRY) -> None:
    """Bipartite country-mechanism network: degree, betweenness and closeness centralities."""
    from lmc.cli.common import print_data, print_frame
    from lmc.mechanisms import mechanism_network

    res = mechanism_network(_registry(registry))
    _chart("network_chart", res, chart)
    if not print_data(res, fmt):
        print_frame(res.to_frame(), fmt, title="Centralities (bipartite, networkx)")


@sub.command("pairs")
def pairs_cmd(years: str = typer.Option("2015-2025", "--years", help="Range 2015-2025 or list 2015,2020."),
              fmt: OutputFormat = FORMAT, registry: Path | None = REGISTRY) -> None:
    """Shared mechanisms per LMC country pair per year (the index's institutions input)."""
    from lmc.cli.common import print_frame, print_json
    from lmc.mechanisms import shared_mechanisms_by_pair_year

    df = shared_mechanisms_by_pair_year(_registry(registry), _years(years))
    if fmt is OutputFormat.table:
        wide = df.pivot(index="pair", columns="year", values="shared").reindex(df["pair"].unique())
        wide.columns = [str(c) for c in wide.columns]
        print_frame(wide.reset_index(), fmt, title="Shared mechanisms per pair and year")
    elif fmt is OutputFormat.json:
        print_json(df.to_dict(orient="records"))
    else:
        print_frame(df, fmt)


@sub.command("export")
def export_cmd(path: Path = typer.Argument(..., help="Workbook to write (.xlsx).", dir_okay=False),
               years: str = typer.Option("1990-2025", "--years", help="Years of the pairs_by_year sheet."),
               charts: Path | None = typer.Option(None, "--charts", file_okay=False,
                                                  help="Also draw every chart (PNG and SVG) into this folder."),
               registry: Path | None = REGISTRY) -> None:
    """Write the registry and every analysis to an Excel workbook (one sheet each)."""
    from lmc.cli.common import console, err_console, print_frame
    from lmc.mechanisms.export import export_xlsx

    reg = _registry(registry)
    with console.status("writing workbook..."):
        res = export_xlsx(reg, path, _years(years))
    print_frame(res.to_frame(), OutputFormat.table, title=f"Wrote {res.path}")
    if charts:
        from lmc.mechanisms import congestion, mechanism_network, membership_overlap, sector_overlap, timeline
        from lmc.mechanisms.charts import congestion_heatmap, network_chart, overlap_heatmap, timeline_chart

        labels = {m.id: m.abbreviation for m in reg.mechanisms}
        jobs = [("overlap_members", lambda p: overlap_heatmap(membership_overlap(reg), p, labels=labels)),
                ("overlap_sectors", lambda p: overlap_heatmap(sector_overlap(reg), p, labels=labels)),
                ("congestion", lambda p: congestion_heatmap(congestion(reg), p)),
                ("timeline", lambda p: timeline_chart(timeline(reg), p)),
                ("network", lambda p: network_chart(mechanism_network(reg), p))]
        from rich.progress import track

        for name, draw in track(jobs, description="drawing charts...", console=err_console):
            for ext in ("png", "svg"):
                draw(charts / f"{name}.{ext}")
        err_console.print(f"charts written to {charts}")


@sub.command("validate")
def validate_cmd(path: Path | None = typer.Argument(None, help="Registry YAML (default: the packaged one).",
                                                     exists=True, dir_okay=False)) -> None:
    """Check a registry file and list every problem (file:line, mechanism, field). Exit 2 if any."""
    from lmc.cli.common import console, err_console
    from lmc.sources.mechanisms import package_path, validate_file

    target = path or package_path()
    registry, problems = validate_file(target)
    if problems:
        for p in problems:
            err_console.print(str(p), highlight=False, soft_wrap=True, markup=False)
        raise ValidationError(f"{target}: {len(problems)} problem(s) found")
    console.print(f"{target}: valid — {len(registry.mechanisms)} mechanisms")


def register(app: typer.Typer) -> None:
    """Add ``lmc mechanisms ...`` to the root app."""
    app.add_typer(sub, name="mechanisms")
