"""CLI commands: ``lmc guide status`` (translation coverage) and ``lmc guide build`` (HTML pages, PDF booklets)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lmc.cli.common import OutputFormat, console, print_frame, print_json

guide_app = typer.Typer(
    help="Traveller manuals: local customs and laws of the six destinations, in seven languages.",
    no_args_is_help=True,
)


@guide_app.command("status")
def status(
    country: list[str] = typer.Option(None, "--country", "-c", help="Only these destinations (ISO3), repeatable."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """Translation coverage per language and section; lists any gap in what must be complete.

    Example: lmc guide status --country LAO
    """
    from lmc.guides import coverage, load_all, load_guide
    from lmc.guides.model import LANGS, SECTIONS

    guides = tuple(load_guide(c) for c in country) if country else load_all()
    result = coverage(guides)
    if fmt is not OutputFormat.table:
        if fmt is OutputFormat.json:
            print_json(result.to_dict())
        else:
            print_frame(result.to_frame(), fmt)
        return
    summary = result.by_lang_section()
    table = Table(title=f"Translated share per section and language ({', '.join(g.country for g in guides)})")
    table.add_column("section")
    for lang in LANGS:
        table.add_column(lang, justify="right")
    for sec in SECTIONS:
        cells = []
        for lang in LANGS:
            v = summary[sec][lang]
            style = "green" if v >= 1 else ("yellow" if v > 0 else "dim")
            cells.append(f"[{style}]{v:.0%}[/{style}]")
        table.add_row(sec, *cells)
    console.print(table)
    own = Table(title="Destination's own language (core sections must be 100%)")
    for col in ("country", "lang", "core", "all sections"):
        own.add_column(col, justify="right" if col != "country" else "left")
    frame = result.to_frame()
    for g in guides:
        rows = frame[(frame["country"] == g.country) & (frame["lang"] == g.local_lang)]
        core = rows[rows["core"]]
        own.add_row(g.country, g.local_lang, f"{core['translated'].sum() / core['total'].sum():.0%}",
                    f"{rows['translated'].sum() / rows['total'].sum():.0%}")
    console.print(own)
    gaps = result.gaps()
    if gaps:
        console.print(f"[red]{len(gaps)} required gaps[/red]: " +
                      ", ".join(f"{r.country}/{r.lang}/{r.section}" for r in gaps[:20]))
    else:
        console.print("[green]No required gaps:[/green] English and Chinese complete, own-language core complete. "
                      "Other languages fall back to English, visibly marked.")


@guide_app.command("build")
def build(
    out: Path = typer.Option(..., "--out", "-o", help="Output folder; files go to OUT/<ISO3>/<lang>.<format>."),
    country: list[str] = typer.Option(None, "--country", "-c", help="Destination ISO3 code, repeatable."),
    lang: list[str] = typer.Option(None, "--lang", "-l", help="Language (en zh th lo km my vi), repeatable."),
    all_: bool = typer.Option(False, "--all", help="Every destination in every language."),
    formats: str = typer.Option("pdf,html", "--format", "-f", help="Comma-separated: pdf, html."),
    url_pattern: str = typer.Option(None, "--url-pattern",
                                    help="Web address for the QR code, with {iso3} and {lang} "
                                         "(default: the guide_url setting, $LMC_GUIDE_URL)."),
    workers: int = typer.Option(0, "--workers", "-j", min=0, max=16,
                                help="Parallel worker processes (0: one per CPU core, at most 4)."),
) -> None:
    """Render manuals to HTML pages and A5 PDF booklets.

    Examples: lmc guide build --country LAO --lang zh --format pdf,html --out DIR;
    lmc guide build --all --out DIR -j 2
    """
    from lmc.errors import ValidationError
    from lmc.guides.build import build_guides, parse_formats

    if not all_ and not country:
        raise ValidationError("say which destinations: --country ISO3 (repeatable) or --all")
    fmts = parse_formats(formats)
    if workers == 0:
        import os

        workers = max(1, min(4, os.cpu_count() or 1))
    countries = None if all_ else country
    langs = None if (all_ and not lang) else (lang or None)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        from lmc.guides.load import available_countries
        from lmc.guides.model import LANGS

        n = len(countries or available_countries()) * len(langs or LANGS) * len(fmts)
        task = bar.add_task("rendering guides", total=n)
        result = build_guides(out, countries=countries, langs=langs, formats=fmts, url_pattern=url_pattern,
                              workers=workers, progress=lambda f: bar.update(task, advance=1,
                                                                            description=f"{f.country}/{f.lang}"))
    frame = result.to_frame()[["country", "lang", "format", "pages", "bytes", "fallbacks", "path"]]
    print_frame(frame, title=f"{len(result.files)} files in {result.seconds:.1f} s")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.add_typer(guide_app, name="guide")
