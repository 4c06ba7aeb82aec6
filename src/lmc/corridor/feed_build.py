"""Build the corridor GTFS feed (``feed/``) from the curated ``timetable.yaml``.

The YAML keeps times as they are published: local wall-clock at each stop (Beijing time in China, UTC+7 in Laos
and Thailand). GTFS wants every stop_time in the single agency time zone of the feed, so this module converts
them; stops keep their own ``stop_timezone`` for display. Derived times become ``timepoint=0``.

A trip with a ``frequency`` block is a service whose existence and frequency are known but whose clock times are
not: its stops give the running times of one departure at the start of the window, and ``frequencies.txt`` lays
out the others with ``exact_times=0`` (every stop ``timepoint=0``). Its ``note`` (``trip_notes.txt``) is what
every answer using it tells the traveller.

Extension files other GTFS tools ignore: ``sources.txt`` (the source of every record), ``clearance.txt`` (border
controls), ``trip_notes.txt``, ``aliases.txt`` (place names in several languages standing for all their stations)
and ``gaps.txt`` (known gaps in the data, by stop). ``translations.txt`` carries, besides station and train names,
the trip notes and clearance descriptions in other languages (``table_name`` ``trip_notes`` / ``clearance``).

Run ``python -m lmc.corridor.feed_build`` after editing the YAML; a test checks the committed feed is in sync.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


from lmc import yamldoc
from lmc.atomic import write_text
from lmc.corridor.walks import haversine_m
from lmc.errors import ValidationError

HERE = Path(__file__).resolve().parent
YAML_PATH = HERE / "timetable.yaml"
FEED_DIR = HERE / "feed"
BASES = ("published", "observed", "derived")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?:\+(\d))?$")


def load_yaml(path: Path = YAML_PATH) -> dict[str, Any]:
    data = yamldoc.load(Path(path)).data
    if not isinstance(data, dict):
        raise ValidationError(f"{path}: expected a mapping at the top level.")
    return data


def _need(rec: dict, key: str, where: str) -> Any:
    if key not in rec or rec[key] in (None, ""):
        raise ValidationError(f"{where}: field {key!r} is missing.")
    return rec[key]


def _offset_s(tz: str, day: dt.date) -> int:
    off = dt.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(tz)).utcoffset()
    assert off is not None
    return int(off.total_seconds())


def _parse_local(value: str, where: str) -> int:
    m = _TIME.match(str(value).strip())
    if not m:
        raise ValidationError(f"{where}: {value!r} is not a time HH:MM or HH:MM+N.")
    h, mi, plus = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 23 or mi > 59:
        raise ValidationError(f"{where}: {value!r} is not a valid time of day.")
    return plus * 86400 + h * 3600 + mi * 60


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km: shapes are schematic straight lines between stations, not the surveyed track."""
    return float(haversine_m(a[0], a[1], b[0], b[1])) / 1000.0


def _fmt(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}"


def _frequency_row(tid: str, freq: Any, first_dep: int, shift: int, where: str, stop_where: str) -> dict[str, Any]:
    """frequencies.txt row of a frequency-based trip: its window (local time at the first stop) in the agency zone.

    The first stop's departure must be the window's start: the stop times are the template of that departure.
    """
    if not isinstance(freq, dict):
        raise ValidationError(f"{where}: expected {{start, end, headway_min}}.")
    start = _parse_local(_need(freq, "start", where), where) - shift
    end = _parse_local(_need(freq, "end", where), where) - shift
    headway = int(_need(freq, "headway_min", where)) * 60
    if headway <= 0 or end <= start:
        raise ValidationError(f"{where}: needs headway_min > 0 and end after start.")
    if first_dep != start:
        raise ValidationError(f"{stop_where}: the first departure must equal frequency.start {freq['start']!r}.")
    return {"trip_id": tid, "start_time": _fmt(start), "end_time": _fmt(end), "headway_secs": headway,
            "exact_times": 0}


def _translations(table: str, field: str, record: str, texts: Any, where: str) -> list[dict[str, str]]:
    """translations.txt rows for one record's text in other languages (``{zh: ...}``): trip notes and clearance
    descriptions are read in the traveller's language, like station and train names."""
    if texts is None:
        return []
    if not isinstance(texts, dict):
        raise ValidationError(f"{where}: field '{field}_translations' must map language codes to texts.")
    return [{"table_name": table, "field_name": field, "language": lang, "translation": " ".join(str(text).split()),
             "record_id": record} for lang, text in sorted(texts.items())]


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({c: "" if r.get(c) is None else r.get(c) for c in columns})
    return buf.getvalue()


def _source_row(table: str, rid: str, key: str, sources: dict, where: str) -> dict[str, Any]:
    if key not in sources:
        from lmc.errors import unknown

        raise ValidationError(f"{where}: " + unknown("source", key, sources))
    s = sources[key]
    for f in ("publisher", "url", "accessed"):
        _need(s, f, f"{YAML_PATH.name}: sources.{key}")
    return {"table_name": table, "record_id": rid, "source_id": key, "publisher": s["publisher"], "url": s["url"],
            "accessed": str(s["accessed"]), "date": str(s.get("date", ""))}


def build_files(data: dict[str, Any], *, yaml_name: str = YAML_PATH.name) -> dict[str, str]:
    """The feed's files (name -> CSV text) from the parsed YAML. Pure; raises ValidationError on bad records."""
    meta = _need(data, "meta", yaml_name)
    agency_tz = _need(meta, "agency_timezone", f"{yaml_name}: meta")
    sources = _need(data, "sources", yaml_name)
    src_rows: list[dict[str, Any]] = []

    agencies = []
    for i, a in enumerate(_need(data, "agencies", yaml_name)):
        where = f"{yaml_name}: agencies[{i}]"
        agencies.append({"agency_id": _need(a, "agency_id", where), "agency_name": _need(a, "name", where),
                         "agency_url": _need(a, "url", where), "agency_timezone": agency_tz, "agency_lang": "en"})
        src_rows.append(_source_row("agency", a["agency_id"], _need(a, "source", where), sources, where))

    stops, tz_of, translations = [], {}, []
    for i, s in enumerate(_need(data, "stations", yaml_name)):
        where = f"{yaml_name}: stations[{i}]"
        sid = _need(s, "stop_id", where)
        tz = _need(s, "tz", where)
        try:
            ZoneInfo(tz)
        except Exception as exc:  # noqa: BLE001 - any failure means the zone name is wrong
            raise ValidationError(f"{where}: field 'tz': {tz!r} is not an IANA time zone.") from exc
        tz_of[sid] = tz
        names = s.get("names") or {}
        if not isinstance(names, dict):
            raise ValidationError(f"{where}: field 'names' must map language codes to names.")
        for lang, text in sorted(names.items()):
            translations.append({"table_name": "stops", "field_name": "stop_name", "language": lang,
                                 "translation": text, "record_id": sid})
        desc = " · ".join(str(x) for x in (*[names[k] for k in sorted(names)], s.get("country")) if x)
        if s.get("coord_basis") == "derived":
            desc += " · coordinates estimated (see sources.txt)"
        stops.append({"stop_id": sid, "stop_name": _need(s, "name", where), "stop_desc": desc,
                      "stop_lat": f"{float(_need(s, 'lat', where)):.7f}",
                      "stop_lon": f"{float(_need(s, 'lon', where)):.7f}", "location_type": 0,
                      "stop_timezone": tz})
        src_rows.append(_source_row("stops", sid, _need(s, "source", where), sources, where))

    routes = []
    for i, r in enumerate(_need(data, "routes", yaml_name)):
        where = f"{yaml_name}: routes[{i}]"
        routes.append({"route_id": _need(r, "route_id", where), "agency_id": _need(r, "agency_id", where),
                       "route_short_name": r.get("short_name", ""), "route_long_name": r.get("long_name", ""),
                       "route_type": int(_need(r, "type", where))})
        src_rows.append(_source_row("routes", r["route_id"], _need(r, "source", where), sources, where))

    calendars, cal_start = [], {}
    for i, c in enumerate(_need(data, "calendars", yaml_name)):
        where = f"{yaml_name}: calendars[{i}]"
        start, end = _need(c, "start", where), _need(c, "end", where)
        if not isinstance(start, dt.date) or not isinstance(end, dt.date) or end < start:
            raise ValidationError(f"{where}: 'start' and 'end' must be dates YYYY-MM-DD with start <= end.")
        days = set(_need(c, "days", where))
        bad = days - set(DAYS)
        if bad:
            raise ValidationError(f"{where}: field 'days': unknown day {sorted(bad)[0]!r}; use {', '.join(DAYS)}.")
        row = {"service_id": _need(c, "service_id", where)}
        for d, name in zip(DAYS, ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")):
            row[name] = int(d in days)
        row["start_date"] = start.strftime("%Y%m%d")
        row["end_date"] = end.strftime("%Y%m%d")
        calendars.append(row)
        cal_start[row["service_id"]] = start
        src_rows.append(_source_row("calendar", row["service_id"], _need(c, "source", where), sources, where))

    route_ids = {r["route_id"] for r in routes}
    trips, stop_times, shapes, frequencies, notes = [], [], [], [], []
    coords = {r["stop_id"]: (float(r["stop_lat"]), float(r["stop_lon"])) for r in stops}
    for i, t in enumerate(_need(data, "trips", yaml_name)):
        where = f"{yaml_name}: trips[{i}]"
        tid = str(_need(t, "trip_id", where))
        if t.get("route_id") not in route_ids:
            from lmc.errors import unknown

            raise ValidationError(f"{where}: field 'route_id': " + unknown("route", str(t.get("route_id")), route_ids))
        sid = _need(t, "service_id", where)
        if sid not in cal_start:
            raise ValidationError(f"{where}: field 'service_id': {sid!r} is not in calendars.")
        srcs = _need(t, "sources", where)
        _need(t, "derivation", where)
        for key in srcs:
            src_rows.append(_source_row("trips", tid, key, sources, where))
        direction = t.get("direction_id", 0)
        trip_names = t.get("names") or {}
        if not isinstance(trip_names, dict):
            raise ValidationError(f"{where}: field 'names' must map language codes to names.")
        for lang, text in sorted(trip_names.items()):
            translations.append({"table_name": "trips", "field_name": "trip_short_name", "language": lang,
                                 "translation": text, "record_id": tid})
        trips.append({"route_id": t["route_id"], "service_id": sid, "trip_id": tid, "trip_headsign":
                      t.get("headsign", ""), "trip_short_name": t.get("short_name", tid), "direction_id": int(direction),
                      "shape_id": f"shape-{tid}"})
        freq = t.get("frequency")
        if t.get("note"):
            notes.append({"trip_id": tid, "note": str(t["note"]).strip()})
            translations += _translations("trip_notes", "note", tid, t.get("note_translations"), where)
        elif freq:
            raise ValidationError(f"{where}: field 'note' is missing: a frequency-based trip must say what the "
                                  "traveller should know about its times.")
        dist = 0.0
        last_ll: tuple[float, float] | None = None
        ref_day = cal_start[sid]
        prev = -1
        for j, entry in enumerate(_need(t, "stops", where)):
            w = f"{where}.stops[{j}]"
            if not isinstance(entry, list) or len(entry) != 4:
                raise ValidationError(f"{w}: expected [stop_id, arrival, departure, basis].")
            stop, arr, dep, basis = entry
            if stop not in tz_of:
                from lmc.errors import unknown

                raise ValidationError(f"{w}: " + unknown("stop_id", str(stop), tz_of))
            if basis not in BASES:
                raise ValidationError(f"{w}: basis {basis!r} must be one of {', '.join(BASES)}.")
            if arr is None and dep is None:
                raise ValidationError(f"{w}: needs an arrival or a departure time.")
            shift = _offset_s(tz_of[stop], ref_day) - _offset_s(agency_tz, ref_day)
            a = _parse_local(arr if arr is not None else dep, w) - shift
            d = _parse_local(dep if dep is not None else arr, w) - shift
            if a < prev or d < a:
                raise ValidationError(f"{w}: times go backwards (after conversion to {agency_tz}).")
            if j == 0 and freq:
                frequencies.append(_frequency_row(tid, freq, d, shift, f"{where}.frequency", w))
            prev = d
            ll = coords[stop]
            if last_ll is not None:
                dist += _km(last_ll, ll)
            last_ll = ll
            stop_times.append({"trip_id": tid, "arrival_time": _fmt(a), "departure_time": _fmt(d), "stop_id": stop,
                               "stop_sequence": j + 1, "timepoint": 0 if basis == "derived" or freq else 1,
                               "shape_dist_traveled": f"{dist:.3f}"})
            shapes.append({"shape_id": f"shape-{tid}", "shape_pt_lat": f"{ll[0]:.7f}", "shape_pt_lon": f"{ll[1]:.7f}",
                           "shape_pt_sequence": j + 1, "shape_dist_traveled": f"{dist:.3f}"})

    transfers, clearance = [], []
    for i, c in enumerate(data.get("clearance", [])):
        where = f"{yaml_name}: clearance[{i}]"
        stop = _need(c, "stop_id", where)
        if stop not in tz_of:
            raise ValidationError(f"{where}: stop_id {stop!r} is not a station.")
        clearance.append({"stop_id": stop, "description": _need(c, "description", where),
                          "source_url": sources[_need(c, "source", where)]["url"]})
        translations += _translations("clearance", "description", stop, c.get("description_translations"), where)
        src_rows.append(_source_row("clearance", stop, c["source"], sources, where))
        if c.get("min_transfer_min"):
            transfers.append({"from_stop_id": stop, "to_stop_id": stop, "transfer_type": 2,
                              "min_transfer_time": int(c["min_transfer_min"]) * 60})
    for i, r in enumerate(data.get("road_transfers", [])):
        where = f"{yaml_name}: road_transfers[{i}]"
        f, to = _need(r, "from", where), _need(r, "to", where)
        transfers.append({"from_stop_id": f, "to_stop_id": to, "transfer_type": 2,
                          "min_transfer_time": int(_need(r, "minutes", where)) * 60})
        src_rows.append(_source_row("transfers", f"{f}->{to}", _need(r, "source", where), sources, where))

    aliases = []
    for i, place in enumerate(data.get("places", [])):
        where = f"{yaml_name}: places[{i}]"
        pid = str(_need(place, "place", where))
        for stop in _need(place, "stops", where):
            if stop not in tz_of:
                from lmc.errors import unknown

                raise ValidationError(f"{where}: field 'stops': " + unknown("stop_id", str(stop), tz_of))
        names = _need(place, "names", where)
        for lang, texts in sorted(names.items()):
            for text in [texts] if isinstance(texts, str) else texts:
                for stop in place["stops"]:
                    aliases.append({"name": text, "language": lang, "stop_id": stop})
        row = _source_row("aliases", pid, _need(place, "source", where), sources, where)
        src_rows.append({**row, "url": place.get("url", row["url"])})
    gaps = []
    for i, g in enumerate(data.get("gaps", [])):
        where = f"{yaml_name}: gaps[{i}]"
        text = str(_need(g, "text", where)).strip()
        for stop in g.get("stops") or [None]:
            if stop is not None and stop not in tz_of:
                from lmc.errors import unknown

                raise ValidationError(f"{where}: field 'stops': " + unknown("stop_id", str(stop), tz_of))
            gaps.append({"stop_id": stop, "description": text})

    return {
        "agency.txt": _csv(agencies, ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"]),
        "stops.txt": _csv(stops, ["stop_id", "stop_name", "stop_desc", "stop_lat", "stop_lon", "location_type",
                                  "stop_timezone"]),
        "routes.txt": _csv(routes, ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"]),
        "trips.txt": _csv(trips, ["route_id", "service_id", "trip_id", "trip_headsign", "trip_short_name",
                                  "direction_id", "shape_id"]),
        "stop_times.txt": _csv(stop_times, ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence",
                                            "timepoint", "shape_dist_traveled"]),
        "shapes.txt": _csv(shapes, ["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence",
                                    "shape_dist_traveled"]),
        "calendar.txt": _csv(calendars, ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
                                         "saturday", "sunday", "start_date", "end_date"]),
        "transfers.txt": _csv(transfers, ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"]),
        "translations.txt": _csv(translations, ["table_name", "field_name", "language", "translation", "record_id"]),
        "frequencies.txt": _csv(frequencies, ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"]),
        "trip_notes.txt": _csv(notes, ["trip_id", "note"]),
        "aliases.txt": _csv(aliases, ["name", "language", "stop_id"]),
        "gaps.txt": _csv(gaps, ["stop_id", "description"]),
        "clearance.txt": _csv(clearance, ["stop_id", "description", "source_url"]),
        "sources.txt": _csv(src_rows, ["table_name", "record_id", "source_id", "publisher", "url", "accessed",
                                       "date"]),
    }


def write_feed(files: dict[str, str], target: Path = FEED_DIR) -> list[Path]:
    """Write each file to a temporary name and swap it in (never a half-written feed file)."""
    written = []
    for name, text in sorted(files.items()):
        write_text(target / name, text)
        written.append(target / name)
    return written


def build(yaml_path: Path = YAML_PATH, target: Path = FEED_DIR) -> list[Path]:
    return write_feed(build_files(load_yaml(yaml_path), yaml_name=yaml_path.name), target)


if __name__ == "__main__":  # pragma: no cover - a maintenance entry point
    out = build()
    sys.stdout.write("\n".join(str(p) for p in out) + "\n")
