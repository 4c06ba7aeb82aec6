"""CLI commands of the corridor: ``lmc route``, ``lmc corridor access|build-feed|places|stations``, ``lmc itinerary``.

Examples::

    lmc route Kunming Bangkok --date 2026-06-01 --after 07:00
    lmc route KMS VTE --date 2026-06-01 --after 07:00 --json
    lmc route 1020 1268 --feed ../shared/data/gtfs/bigbluebus_santa_monica_2020 --date 2020-03-03 --after 08:00
    lmc corridor access --station "Luang Prabang" --budget 180
    lmc corridor places --format csv
    lmc itinerary --origin Vientiane --days 3 --start 2026-06-01 --interests temples,heritage --geojson trip.geojson

Imports are lazy (inside the commands): the corridor library loads only numpy for a cached feed, and no command
of this module pays at start-up for the others.
"""

from __future__ import annotations

from pathlib import Path

import typer

from lmc.cli.common import OutputFormat

corridor_app = typer.Typer(help="The China-Laos-Thailand rail corridor: feed, accessibility of heritage sites.",
                           no_args_is_help=True)

FEED_HELP = "A GTFS folder or zip (default: the corridor feed shipped with the package)."


def _journey_table(j) -> "object":
    """A Rich table of one journey's legs (and border controls), without pandas."""
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("mode", "trip", "from", "start", "to", "end", "note"):
        table.add_column(col)
    for leg in j.legs:
        note = "estimated: no timetable (see below)" if leg.frequency_based else \
            "times partly estimated" if leg.estimated else ""
        if leg.mode == "transfer":
            note = f"{int(leg.duration.total_seconds() // 60)} min"
        table.add_row(leg.mode, leg.trip_name or "", leg.from_stop_name, leg.departure.strftime("%m-%d %H:%M %z"),
                      leg.to_stop_name, leg.arrival.strftime("%m-%d %H:%M %z"), note)
        for c in leg.clearance:
            minutes = int((c.departure - c.arrival).total_seconds() // 60)
            table.add_row("  border", "", c.stop_name, c.arrival.strftime("%m-%d %H:%M %z"), c.stop_name,
                          c.departure.strftime("%m-%d %H:%M %z"),
                          f"{minutes} min {c.description.split(' (')[0].split(':')[0]}")
    return table


def route(
    origin: str = typer.Argument(..., metavar="FROM", help="Place, station or stop name (any language) or stop_id."),
    destination: str = typer.Argument(..., metavar="TO", help="Place, station or stop name (any language) or stop_id."),
    date: str = typer.Option(..., "--date", help="Travel date YYYY-MM-DD."),
    after: str = typer.Option("00:00", "--after", help="Leave after HH:MM, local time at FROM."),
    feed: Path = typer.Option(None, "--feed", help=FEED_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the journeys (or the reason there is none) as JSON."),
    kind: str = typer.Option("pareto", "--kind",
                             help="pareto (arrival x transfers), earliest, or profile (departure window)."),
    window: int = typer.Option(120, "--window", help="Departure window in minutes for --kind profile."),
    walk_radius: float = typer.Option(400, "--walk-radius",
                                      help="Walk between stops up to this many metres apart (0: only transfers.txt)."),
    walk_speed: float = typer.Option(1.2, "--walk-speed", help="Walking speed in m/s."),
) -> None:
    """Plan journeys FROM -> TO: earliest arrival first, with transfers, local times and border clearance.

    Estimated times (derived, or of trains whose times are not in open data) are flagged with what to check;
    with no journey, the answer says why.
    """
    from lmc.cli.common import console, print_json
    from lmc.corridor.plan import plan

    result = plan(feed, origin, destination, date, after, kind=kind, window_minutes=window,  # type: ignore[arg-type]
                  walk_radius_m=walk_radius, walk_speed_mps=walk_speed)
    if as_json:
        print_json(result.to_dict())
        return
    if not result.journeys:
        reason = result.reason.message if result.reason else ""
        console.print(f"[yellow]No journey from {origin} to {destination} after {after} on {date}:[/yellow] {reason}",
                      soft_wrap=True)
        return
    for n, j in enumerate(result.journeys, 1):
        hours = j.duration.total_seconds() / 3600
        flag = " [yellow]estimated times[/yellow]" if j.estimated else ""
        console.print(f"[bold]Journey {n}[/bold]: {j.departure:%Y-%m-%d %H:%M %Z} -> {j.arrival:%Y-%m-%d %H:%M %Z}"
                      f" ({hours:.1f} h, {j.transfers} transfer{'s' if j.transfers != 1 else ''}){flag}")
        console.print(_journey_table(j))
        for note in j.notes:
            console.print(f"  [yellow]![/yellow] {note}", soft_wrap=True)
    console.print(f"[dim]feed: {result.feed}[/dim]", soft_wrap=True)


def _sites(include_unesco: bool):
    """Sites to reach: UNESCO from the warehouse when it is pulled, else the package's curated subset."""
    from lmc.corridor.access import heritage_sites

    table = None
    if include_unesco:
        from lmc.errors import WarehouseError
        from lmc.warehouse.db import read_table

        try:
            table = read_table("unesco_sites")
        except WarehouseError:
            table = None
    return heritage_sites(table, include_unesco=include_unesco)


@corridor_app.command("access")
def access(
    station: list[str] = typer.Option(None, "--station", help="Origin station or place (repeatable; default: all)."),
    date: str = typer.Option(None, "--date", help="Date YYYY-MM-DD (default: the first service date from today)."),
    after: str = typer.Option("08:00", "--after", help="Ready at the station at HH:MM local time."),
    budget: float = typer.Option(180, "--budget", help="Time budget in minutes (rail + access)."),
    speed: float = typer.Option(30.0, "--speed", help="Access speed from the station in km/h (assumption)."),
    detour: float = typer.Option(1.3, "--detour", help="Road over straight-line distance (assumption)."),
    unesco: bool = typer.Option(True, "--unesco/--no-unesco",
                                help="Include UNESCO sites (the warehouse's list, else the package's curated one)."),
    feed: Path = typer.Option(None, "--feed", help=FEED_HELP),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
) -> None:
    """Heritage sites (UNESCO + curated attractions) reachable from each station within a time budget."""
    from lmc.cli.common import console, print_data, print_frame
    from lmc.corridor.access import station_access

    sites, origin = _sites(unesco)
    result = station_access(sites, stations=station or None, feed=feed, date=date, after=after, budget_min=budget,
                            speed_kmh=speed, detour=detour, sites_source=origin)
    if print_data(result, fmt):
        return
    print_frame(result.to_frame().drop(columns=["source", "site_id", "via_stop_id"]), fmt,
                title=f"Sites within {budget:g} min on {result.date} from {result.after} "
                      f"(access {speed:g} km/h x detour {detour:g}, assumptions)")
    console.print(f"[dim]UNESCO sites: {origin}[/dim]")


@corridor_app.command("build-feed")
def build_feed() -> None:
    """Regenerate the corridor GTFS feed from src/lmc/corridor/timetable.yaml."""
    from lmc.cli.common import console
    from lmc.corridor.feed_build import build

    for p in build():
        console.print(str(p))


@corridor_app.command("stations")
def stations(feed: Path = typer.Option(None, "--feed", help=FEED_HELP),
             fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json.")) -> None:
    """List the stops of a feed: time zone, coordinates, names in other languages and the places they belong to."""
    import pandas as pd

    from lmc.cli.common import print_frame
    from lmc.corridor.names import place_names, stop_translations
    from lmc.corridor.plan import load

    tt = load(feed)
    other = stop_translations(tt)
    places = place_names(tt)
    ids = tt.stop_ids.astype(str)
    df = pd.DataFrame({"stop_id": ids, "name": tt.stop_names.astype(str),
                       "other names": [", ".join(f"{v} ({k})" for k, v in sorted(other.get(s, {}).items()))
                                       for s in ids],
                       "places": [", ".join(places.get(s, [])) for s in ids],
                       "timezone": [tt.tz_names[i] for i in tt.stop_tz], "lat": tt.stop_lat, "lon": tt.stop_lon})
    print_frame(df, fmt)


@corridor_app.command("places")
def places(
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
    kind: list[str] = typer.Option(None, "--type", help="Only this type (repeatable), e.g. sez, dry_port."),
    country: list[str] = typer.Option(None, "--country", help="Only places in this country (ISO3, repeatable)."),
    geojson: Path = typer.Option(None, "--geojson", help="Also write the places as GeoJSON to this file."),
) -> None:
    """Economic zones, dry ports, logistics and industrial parks along the line, with dated, sourced figures."""
    import json

    from lmc.atomic import write_text
    from lmc.cli.common import print_data, print_frame
    from lmc.freight.places import places_layer

    layer = places_layer(types=tuple(kind or ()), countries=tuple(country or ()))
    if geojson:
        write_text(geojson, json.dumps(layer.to_geojson(), ensure_ascii=False, indent=1) + "\n")
    if print_data(layer, fmt):
        return
    print_frame(layer.to_frame().drop(columns=["province", "lon", "lat", "investor_countries"]), fmt,
                title=f"{len(layer)} places along the line (points: {', '.join(sorted({p.location.precision for p in layer.places}))})")


def itinerary(
    origin: str = typer.Option(..., "--origin", help="Start (and end) station or place."),
    days: int = typer.Option(..., "--days", help="Number of days (1-30), each with at least one visit."),
    start: str = typer.Option(..., "--start", help="First day YYYY-MM-DD."),
    interests: str = typer.Option("heritage,temples,culture,tai", "--interests",
                                  help="Comma-separated interests (heritage, cultural, natural, temples, culture, "
                                       "history, tai)."),
    unesco: bool = typer.Option(True, "--unesco/--no-unesco",
                                help="Include UNESCO sites (the warehouse's list, else the package's curated one)."),
    geojson: Path = typer.Option(None, "--geojson", help="Also write the plan as GeoJSON to this file."),
    feed: Path = typer.Option(None, "--feed", help=FEED_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """A day-by-day Tai cultural tourism circle: a visit every day, trains from the timetable, no needless border."""
    from lmc.cli.common import console, print_frame, print_json
    from lmc.corridor.itinerary import plan_itinerary

    sites, _ = _sites(unesco)
    result = plan_itinerary(sites, origin=origin, days=days, start=start, feed=feed,
                            interests=tuple(i.strip() for i in interests.split(",") if i.strip()))
    if geojson:
        result.write_geojson(geojson)
    if as_json:
        print_json(result.to_dict())
        return
    print_frame(result.to_frame(), title=f"{days}-day circle from {origin}")
    if not result.returns_to_origin:
        console.print(f"[yellow]No train gets back to {origin} on the last day with a visit; the plan ends at "
                      f"{result.days[-1].station_name}.[/yellow]")
    if result.crosses_border:
        console.print("[yellow]The plan crosses a border: the interests cannot fill the days on this side.[/yellow]")
    for note in result.notes:
        console.print(f"  [yellow]![/yellow] {note}", soft_wrap=True)
    if geojson:
        console.print(f"[dim]GeoJSON written to {geojson}[/dim]")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("route")(route)
    app.command("itinerary")(itinerary)
    app.add_typer(corridor_app, name="corridor")
