"""CLI commands: ``lmc guide status`` (translation coverage) and ``lmc guide build`` (HTML pages, PDF booklets)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from lmc.cli.common import OutputFormat

if TYPE_CHECKING:
    from lmc.guides.review import ReviewResult

guide_app = typer.Typer(
    help="Traveller manuals: local customs and laws of the six destinations, in seven languages.",
    no_args_is_help=True,
)


@guide_app.command("status")
def status(
    country: list[str] = typer.Option(None, "--country", "-c", help="Only these destinations (ISO3), repeatable."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
    max_age: int = typer.Option(180, "--max-age", min=0,
                                help="Items verified more than this many days ago are due for review."),
    as_of: str = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="Reference day for ages (default: today)."),
    due: bool = typer.Option(False, "--due", help="Only list the items due for review (csv/json: that list)."),
) -> None:
    """Translation coverage per language and section, and the items due for review (verified more than --max-age
    days ago, volatile first); lists any gap in what must be complete.

    Examples: lmc guide status --country LAO; lmc guide status --due --max-age 90 --format csv
    """
    from rich.table import Table

    from lmc.cli.common import console, print_frame, print_json
    from lmc.guides import coverage, load_all, load_guide, review
    from lmc.guides.model import LANGS, SECTIONS

    guides = tuple(load_guide(c) for c in country) if country else load_all()
    checked = review(guides, max_age_days=max_age, as_of=_parse_day(as_of))
    if due:
        if fmt is OutputFormat.json:
            print_json(checked.to_dict())
        else:
            _print_due(checked, fmt)
        return
    result = coverage(guides)
    if fmt is not OutputFormat.table:
        if fmt is OutputFormat.json:
            print_json({**result.to_dict(), "review": checked.to_dict()})
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
    _print_due(checked, fmt)


def _parse_day(text: str | None) -> dt.date | None:
    from lmc.errors import ValidationError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"--as-of: {text!r} is not a date (YYYY-MM-DD)") from None


def _print_due(checked: ReviewResult, fmt: OutputFormat) -> None:
    """The review list: a table with the verification range per destination, or CSV of the due items."""
    from lmc.cli.common import console, print_frame

    if fmt is OutputFormat.csv:
        print_frame(checked.to_frame(due_only=True), fmt)
        return
    ranges = ", ".join(f"{c} {lo}…{hi}" for c, (lo, hi) in checked.verified_range().items())
    console.print(f"Verified (oldest…newest): {ranges}")
    rows = checked.due()
    if not rows:
        console.print(f"[green]Nothing due for review:[/green] every item was verified within {checked.max_age_days} "
                      f"days of {checked.as_of}.")
        return
    print_frame(checked.to_frame(due_only=True)[["country", "id", "section", "volatile", "verified", "age_days"]],
                title=f"{len(rows)} items due for review (verified more than {checked.max_age_days} days before "
                      f"{checked.as_of})")


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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lmc.cli.common import console, print_frame
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
