"""CLI commands of the corridor: ``lmc route``, ``lmc corridor access|build-feed|places|stations``, ``lmc itinerary``.

Examples::

    lmc route "Kunming South" Vientiane --date 2026-06-01 --after 07:00
    lmc route KMS VTE --date 2026-06-01 --after 07:00 --json
    lmc route 1020 1268 --feed ../shared/data/gtfs/bigbluebus_santa_monica_2020 --date 2020-03-03 --after 08:00
    lmc corridor access --station "Luang Prabang" --date 2026-06-01 --after 08:00 --budget 180
    lmc corridor places --format csv
    lmc itinerary --origin Vientiane --days 4 --start 2026-06-01 --interests temples,heritage --geojson trip.geojson
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from lmc.cli.common import OutputFormat, console, print_data, print_frame, print_json


corridor_app = typer.Typer(help="The China-Laos-Thailand rail corridor: feed, accessibility of heritage sites.",
                           no_args_is_help=True)


def route(
    origin: str = typer.Argument(..., metavar="FROM", help="Stop or station name or stop_id."),
    destination: str = typer.Argument(..., metavar="TO", help="Stop or station name or stop_id."),
    date: str = typer.Option(..., "--date", help="Travel date YYYY-MM-DD."),
    after: str = typer.Option("00:00", "--after", help="Leave after HH:MM, local time at FROM."),
    feed: Path = typer.Option(None, "--feed", help="A GTFS folder or zip (default: the corridor feed)."),
    as_json: bool = typer.Option(False, "--json", help="Print the journeys as JSON."),
    kind: str = typer.Option("pareto", "--kind",
                             help="pareto (arrival x transfers), earliest, or profile (departure window)."),
    window: int = typer.Option(120, "--window", help="Departure window in minutes for --kind profile."),
) -> None:
    """Plan journeys FROM -> TO: earliest arrival first, with transfers, local times and border clearance."""
    from lmc.corridor.plan import plan

    result = plan(feed, origin, destination, date, after, kind=kind, window_minutes=window)  # type: ignore[arg-type]
    if as_json:
        print_json(result.to_dict())
        return
    if not result.journeys:
        console.print(f"[yellow]No journey from {origin} to {destination} after {after} on {date}.[/yellow]")
        return
    for n, j in enumerate(result.journeys, 1):
        hours = j.duration.total_seconds() / 3600
        console.print(f"[bold]Journey {n}[/bold]: {j.departure:%Y-%m-%d %H:%M %Z} -> {j.arrival:%Y-%m-%d %H:%M %Z}"
                      f" ({hours:.1f} h, {j.transfers} transfer{'s' if j.transfers != 1 else ''})")
        rows = []
        for leg in j.legs:
            rows.append({"mode": leg.mode, "trip": leg.trip_name or "", "from": leg.from_stop_name,
                         "start": leg.departure.strftime("%m-%d %H:%M %z"), "to": leg.to_stop_name,
                         "end": leg.arrival.strftime("%m-%d %H:%M %z"),
                         "note": ("times partly estimated" if leg.estimated else "")})
            for c in leg.clearance:
                minutes = int((c.departure - c.arrival).total_seconds() // 60)
                rows.append({"mode": "  border", "trip": "", "from": c.stop_name,
                             "start": c.arrival.strftime("%m-%d %H:%M %z"), "to": c.stop_name,
                             "end": c.departure.strftime("%m-%d %H:%M %z"),
                             "note": f"{minutes} min {c.description.split(' (')[0].split(':')[0]}"})
        print_frame(pd.DataFrame(rows))
    console.print(f"[dim]feed: {result.feed}[/dim]")


def _sites(include_unesco: bool) -> pd.DataFrame:
    from lmc.corridor.access import load_attractions, unesco_sites_frame

    frames = [load_attractions()]
    if include_unesco:
        from lmc.errors import WarehouseError
        from lmc.warehouse.db import read_table

        try:
            frames.insert(0, unesco_sites_frame(read_table("unesco_sites")))
        except WarehouseError as exc:
            raise WarehouseError(f"{exc} The UNESCO list comes from the warehouse: run `lmc data pull`, or pass "
                                 "--no-unesco to use only the curated corridor attractions.") from exc
    return pd.concat(frames, ignore_index=True)


@corridor_app.command("access")
def access(
    station: list[str] = typer.Option(None, "--station", help="Origin station (repeatable; default: all)."),
    date: str = typer.Option(..., "--date", help="Date YYYY-MM-DD."),
    after: str = typer.Option("08:00", "--after", help="Ready at the station at HH:MM local time."),
    budget: float = typer.Option(180, "--budget", help="Time budget in minutes (rail + access)."),
    speed: float = typer.Option(30.0, "--speed", help="Access speed from the station in km/h (assumption)."),
    detour: float = typer.Option(1.3, "--detour", help="Road over straight-line distance (assumption)."),
    unesco: bool = typer.Option(True, "--unesco/--no-unesco", help="Include UNESCO sites from the warehouse."),
    feed: Path = typer.Option(None, "--feed", help="A GTFS folder or zip (default: the corridor feed)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
) -> None:
    """Heritage sites (UNESCO + curated attractions) reachable from each station within a time budget."""
    from lmc.corridor.access import station_access

    result = station_access(_sites(unesco), stations=station or None, feed=feed, date=date, after=after,
                            budget_min=budget, speed_kmh=speed, detour=detour)
    if print_data(result, fmt):
        return
    print_frame(result.to_frame().drop(columns=["source", "site_id", "via_stop_id"]), fmt,
                title=f"Sites within {budget:g} min (access {speed:g} km/h x detour {detour:g}, assumptions)")


@corridor_app.command("build-feed")
def build_feed() -> None:
    """Regenerate the corridor GTFS feed from src/lmc/corridor/timetable.yaml."""
    from lmc.corridor.feed_build import build

    for p in build():
        console.print(str(p))


@corridor_app.command("stations")
def stations(feed: Path = typer.Option(None, "--feed", help="A GTFS folder or zip (default: the corridor feed)."),
             fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json.")) -> None:
    """List the stops of a feed with their time zones."""
    from lmc.corridor.plan import FEED_DIR
    from lmc.corridor.timetable import load_timetable

    tt = load_timetable(feed or FEED_DIR)
    df = pd.DataFrame({"stop_id": tt.stop_ids.astype(str), "name": tt.stop_names.astype(str),
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
    from lmc.freight.places import places_layer

    layer = places_layer(types=tuple(kind or ()), countries=tuple(country or ()))
    if geojson:
        write_text(geojson, json.dumps(layer.to_geojson(), ensure_ascii=False, indent=1) + "\n")
    if print_data(layer, fmt):
        return
    print_frame(layer.to_frame().drop(columns=["province", "lon", "lat", "investor_countries"]), fmt,
                title=f"{len(layer)} places along the line (points: {', '.join(sorted({p.location.precision for p in layer.places}))})")


def itinerary(
    origin: str = typer.Option(..., "--origin", help="Start (and end) station."),
    days: int = typer.Option(..., "--days", help="Number of days (1-30)."),
    start: str = typer.Option(..., "--start", help="First day YYYY-MM-DD."),
    interests: str = typer.Option("heritage,temples,culture,tai", "--interests",
                                  help="Comma-separated interests (heritage, cultural, natural, temples, culture, "
                                       "history, tai)."),
    unesco: bool = typer.Option(True, "--unesco/--no-unesco", help="Include UNESCO sites from the warehouse."),
    geojson: Path = typer.Option(None, "--geojson", help="Also write the plan as GeoJSON to this file."),
    feed: Path = typer.Option(None, "--feed", help="A GTFS folder or zip (default: the corridor feed)."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """A feasible day-by-day Tai cultural tourism circle with trains from the timetable."""
    from lmc.corridor.itinerary import plan_itinerary

    result = plan_itinerary(_sites(unesco), origin=origin, days=days, start=start, feed=feed,
                            interests=tuple(i.strip() for i in interests.split(",") if i.strip()))
    if geojson:
        result.write_geojson(geojson)
    if as_json:
        print_json(result.to_dict())
        return
    print_frame(result.to_frame(), title=f"{days}-day circle from {origin}")
    if geojson:
        console.print(f"[dim]GeoJSON written to {geojson}[/dim]")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("route")(route)
    app.command("itinerary")(itinerary)
    app.add_typer(corridor_app, name="corridor")
