"""The observatory's pages: one handler per page, each gathering data from the build or the library and rendering
one Jinja2 template. Charts are Plotly figure dicts embedded as JSON and drawn by ``static/app.js`` with the
Plotly bundle served from the installed package. Forms (explorer, journey planner, scenarios) are plain GET forms,
so every result has a link and works without JavaScript.

When the index has not been built, pages that need it say so (and how to build it) instead of showing numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any

import jinja2
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lmc import LMC_COUNTRIES, __version__
from lmc.errors import LmcError
from lmc.reports import labels
from lmc.reports.numfmt import fmt, fmt_named, is_numeric
from lmc.web.i18n import COOKIE, LANG_LABELS, UI_LANGS, Translator, indicator_unit, pick_lang
from lmc.web.api.envelope import relative_url
from lmc.web.errors import NotBuiltError, NotFoundError, WarehouseBusy, message_of, public_message, public_status
from lmc.web.store import DOWNLOADABLE, BuiltIndex, _records, framework, indicator_meta, pillar_name

TEMPLATES = FsPath(__file__).resolve().parent / "templates"

NAV: tuple[tuple[str, str], ...] = (
    ("/", "nav_overview"), ("/explorer", "nav_explorer"), ("/scenarios", "nav_scenarios"),
    ("/corridor", "nav_corridor"), ("/manuals", "nav_manuals"), ("/mechanisms", "nav_mechanisms"),
    ("/methodology", "nav_methodology"), ("/downloads", "nav_downloads"),
)
PAGES: tuple[str, ...] = tuple(p for p, _ in NAV)
"""Every top-level page (the browser tests load each one, in each language)."""

ACCESS_COLUMNS: tuple[str, ...] = ("site", "kind", "via_stop", "rail_min", "access_km", "access_min", "total_min")
"""The heritage-accessibility table's columns, in order (headers from ``ac_<column>`` in the catalogs)."""

SCENARIO_PAGE_ROWS = 100
"""Rows of a scenario's summary table per page."""

PILLAR_COLOURS = {"index": "#1f4e79", "mobility": "#2e86c1", "institutions": "#a04000", "culture": "#7d3c98",
                  "people": "#1e8449"}


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v, digits=1: fmt(v, "number", digits=digits)
    env.filters["fmt"] = lambda v, kind, lang="en": fmt(v, kind, lang)
    env.filters["fmtn"] = lambda v, name, lang="en", row=None: fmt_named(v, name, lang, row)
    env.tests["number"] = is_numeric
    return env


def _lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"), request.cookies.get(COOKIE),
                     request.app.state.settings.locale)


def _page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    lang = _lang(request)
    t = Translator(lang)
    other = [(code, LANG_LABELS[code], relative_url(request, lang=code))  # relative: never the client's Host
             for code in UI_LANGS if code != lang]
    html = _env().get_template(template).render(
        t=t, lang=lang, nav=NAV, path=request.url.path, other_langs=other, version=__version__,
        unit_name=lambda u: labels.unit_name(u, lang), country_name=lambda c: labels.country_name(c, lang),
        station_name=lambda s: labels.station_name(s, lang), trip_name=lambda i, n: labels.trip_name(i, n, lang),
        trip_note=lambda i, n: labels.trip_note(i, n, lang),
        clearance_text=lambda s, d: labels.clearance_text(s, d, lang),
        label=lambda prefix, key: _label(t, prefix, key),
        iso3s=LMC_COUNTRIES,
        pillar_name=lambda p: pillar_name(p, lang) if p != "index" else t("index_overall"), **ctx)
    resp = HTMLResponse(html, status_code=status)
    q = request.query_params.get("lang")
    if q in UI_LANGS:
        resp.set_cookie(COOKIE, q, max_age=365 * 86400, samesite="lax", httponly=True)
    return resp


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return _page(request, "error.html.j2", status=status, status_code=status, message=public_message(message))


def _build(request: Request) -> tuple[BuiltIndex | None, str | None]:
    try:
        return request.app.state.store.get(), None
    except NotBuiltError as exc:
        return None, message_of(exc)


# ------------------------------------------------------------------------------------------------ figures
def _layout(**kw: Any) -> dict[str, Any]:
    base = {"margin": {"l": 50, "r": 20, "t": 30, "b": 40}, "height": 360, "font": {"size": 12},
            "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)", "legend": {"orientation": "h"}}
    base.update(kw)
    return base


def map_layers(settings):
    """The map layers (Natural Earth tables of the warehouse, corridor timetable), reloaded when the warehouse
    changes; ``(None, reason)`` when the warehouse lacks them or a pull holds it (pages then say so instead of
    drawing a map; the reason without server paths, and a failure is not kept, so the next visit tries again)."""
    wh = settings.warehouse
    layers, reason = _cached_layers(str(wh), wh.stat().st_mtime if wh.is_file() else 0.0, id(settings), settings)
    if layers is None:
        _cached_layers.cache_clear()
    return layers, public_message(reason) if reason else reason


@lru_cache(maxsize=4)
def _cached_layers(warehouse: str, mtime: float, settings_key: int, settings):
    from lmc.reports.geo import try_layers

    return try_layers(settings)


@lru_cache(maxsize=1)
def places_layer():
    """The places along the line (:func:`lmc.freight.places.places_layer`, curated in the package): a map layer."""
    from lmc.freight.places import places_layer as layer

    return layer()


def key_series_view(request: Request, lang: str) -> tuple[dict[str, Any] | None, str | None]:
    """The front page's key series (:mod:`lmc.web.front`), or why there are none (no warehouse, a pull running)."""
    from lmc.web.api.key_series import current
    from lmc.web.front import view

    try:
        return view(current(request.app), lang), None
    except LmcError as exc:
        return None, message_of(exc)


def _label(t: Translator, prefix: str, key: Any) -> str:
    """A translated label for a registry or result key (``rk_visitors_baseline``), else the key's own words
    (underscores as spaces): a raw identifier never reaches the page."""
    k = f"{prefix}{key}"
    return t(k) if t.has(k) else str(key).replace("_", " ")


def bar_figure(labels: list[str], values: list[Any], colours: list[str], title: str = "",
               links: list[str] | None = None, err: tuple[list, list] | None = None, horizontal: bool = False,
               score_axis: str = "") -> dict[str, Any]:
    tr: dict[str, Any] = {"type": "bar", "marker": {"color": colours}}
    if horizontal:
        tr.update(x=values, y=labels, orientation="h")
    else:  # long names ("Institutions and mechanisms") on a few lines, not tilted and cut off at the bottom
        tr.update(x=[_wrap(x) for x in labels], y=values, hovertext=labels, hoverinfo="text+y")
    if links:
        tr["customdata"] = links
    if err:
        tr["error_x" if horizontal else "error_y"] = {"type": "data", "symmetric": False, "array": err[0],
                                                      "arrayminus": err[1], "color": "#e67e22", "thickness": 2.5,
                                                      "width": 6}
    lay = _layout(title={"text": title})
    if not horizontal:
        lay["xaxis"] = {"tickangle": 0, "automargin": True}
    if score_axis and not horizontal:  # pillar bars: the same 0-100 score axis as the series beside them
        lay["yaxis"] = {"title": {"text": score_axis}, "range": [0, 100]}
    if horizontal:
        lay.update(height=max(300, 24 * len(labels) + 80), yaxis={"autorange": "reversed", "automargin": True})
    return {"data": [tr], "layout": lay}


def _wrap(label: str, width: int = 14) -> str:
    """Break a tick label into lines of about ``width`` characters at spaces (Plotly reads ``<br>``); labels
    without spaces (Chinese) are short enough as they are."""
    lines: list[str] = []
    for word in str(label).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def series_figure(frame_rows: list[dict], group: str, label, t: Translator, y: str = "score") -> dict[str, Any]:
    groups: dict[str, list[dict]] = {}
    for r in frame_rows:
        groups.setdefault(r[group], []).append(r)
    traces = []
    order = {k: i for i, k in enumerate(PILLAR_COLOURS)}  # index first, then the pillars: one legend order
    for g, rows in sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), str(kv[0]))):
        rows = sorted(rows, key=lambda r: r["year"])
        traces.append({"type": "scatter", "mode": "lines+markers", "name": label(g), "x": [r["year"] for r in rows],
                       "y": [r[y] for r in rows], "line": {"color": PILLAR_COLOURS.get(g)}})
    return {"data": traces, "layout": _layout(yaxis={"title": {"text": t("score")}, "range": [0, 100]},
                                              xaxis={"tickformat": "d", "nticks": 8},
                                              legend={"orientation": "h", "y": -0.15, "yanchor": "top"},
                                              margin={"l": 50, "r": 20, "t": 30, "b": 20}, height=400)}


@lru_cache(maxsize=4)
def _contributions_of(out_dir: str, key: str, mtime: float):
    import pandas as pd

    return pd.read_csv(FsPath(out_dir) / "contributions.csv")


def contributions_block(b: BuiltIndex, level: str, unit: str, lang: str, t: Translator) -> dict[str, Any] | None:
    """The contributions chart (points against the median, ten largest) and its sentence for a pair or country
    page, from the build's ``contributions.csv`` (None for a build without one)."""
    from lmc.reports.sci_explain import indicator_names, sentence

    path = b.out_dir / "contributions.csv"
    if not path.is_file():
        return None
    co = _contributions_of(str(b.out_dir), b.key, path.stat().st_mtime)
    rows = co[(co["level"] == level) & (co["unit"] == unit)]
    if not len(rows):
        return None
    top = rows.assign(size=rows["points"].abs())
    top = top[top["size"] >= 0.05].nlargest(10, "size").sort_values("points", ascending=False)
    names = indicator_names(lang)
    fig = bar_figure([names.get(i, i) for i in top["indicator"]], [round(float(v), 2) for v in top["points"]],
                     ["#2e7d32" if v >= 0 else "#c62828" for v in top["points"]], horizontal=True)
    idx = [r for r in b.score_records(level=level, year=b.latest_year, unit=unit) if r["pillar"] == "index"]
    text = sentence(co, level, unit, int(idx[0]["rank"]), float(idx[0]["score"]), lang) if idx else ""
    return {"fig": fig, "sentence": text}


# ------------------------------------------------------------------------------------------------ handlers
def page_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/", response_class=HTMLResponse)
    def overview(request: Request):
        lang = _lang(request)
        ks, ks_missing = key_series_view(request, lang)
        b, missing = _build(request)
        if b is None:
            return _page(request, "overview.html.j2", missing=missing, fig=None, pairs=[], country_rows=[],
                         year=None, map_missing="", ks=ks, ks_missing=ks_missing)
        t = Translator(lang)
        y = b.latest_year
        pairs = b.score_records(level="pair", year=y, pillar="index")
        crow = b.score_records(level="country", year=y, pillar="index")
        layers, map_missing = map_layers(request.app.state.settings)
        fig = None
        if layers is not None:
            from lmc.web.maps import region_figure

            fig = region_figure(layers, {r["unit"]: r["score"] for r in crow}, {r["unit"]: r["score"] for r in pairs},
                                lang, t, places_layer())
        return _page(request, "overview.html.j2", missing=None, fig=fig, pairs=pairs, country_rows=crow, year=y,
                     years=b.years, map_missing=map_missing, ks=ks, ks_missing=ks_missing)

    @r.get("/map/{layer}.geojson", include_in_schema=False)
    def map_layer(request: Request, layer: str = Path(..., pattern=r"^[a-z]{1,20}$")):
        """One map layer as GeoJSON (the layers the maps draw; Natural Earth, public domain)."""
        from lmc.reports.geo import GEOJSON_LAYERS, geojson
        from lmc.web.api.deps import check_found

        check_found("map layer", layer, (*GEOJSON_LAYERS, "places"))
        if layer == "places":  # the package's registry: no warehouse needed
            return JSONResponse(places_layer().to_geojson(), media_type="application/geo+json",
                                headers={"Cache-Control": "public, max-age=3600"})
        layers, why = map_layers(request.app.state.settings)
        if layers is None:
            raise NotBuiltError(why)
        return JSONResponse(geojson(layers, layer), media_type="application/geo+json",
                            headers={"Cache-Control": "public, max-age=3600"})

    @r.get("/country/{iso3}", response_class=HTMLResponse)
    def country(request: Request, iso3: str = Path(..., pattern=r"^[A-Za-z]{3}$")):
        iso3 = iso3.upper()
        from lmc.web.api.deps import check_found

        check_found("country", iso3, LMC_COUNTRIES)
        b, missing = _build(request)
        info = labels.country_record(iso3)
        if b is None:
            return _page(request, "country.html.j2", missing=missing, info=info, iso3=iso3)
        t = Translator(_lang(request))
        s = b.scores[(b.scores["level"] == "country") & (b.scores["unit"] == iso3)]
        order = {p: i for i, p in enumerate(b.pillars)}
        latest = sorted(_records(s[s["year"] == b.latest_year]), key=lambda x: order.get(x["pillar"], 99))
        pillars = [x for x in latest if x["pillar"] != "index"]
        fig_p = bar_figure([pillar_name(x["pillar"], _lang(request)) for x in pillars], [x["score"] for x in pillars],
                           [PILLAR_COLOURS.get(x["pillar"], "#888") for x in pillars], score_axis=t("score"))
        fig_s = series_figure(_records(s), "pillar", lambda p: pillar_name(p, _lang(request)) if p != "index"
                              else t("index_overall"), t)
        pairs = [x for x in b.score_records(level="pair", year=b.latest_year, pillar="index")
                 if iso3 in x["unit"].split("-")]
        return _page(request, "country.html.j2", missing=None, info=info, iso3=iso3, latest=latest,
                     fig_pillars=fig_p, fig_series=fig_s, pairs=pairs, year=b.latest_year,
                     contrib=contributions_block(b, "country", iso3, _lang(request), t))

    @r.get("/pair/{pair}", response_class=HTMLResponse)
    def pair(request: Request, pair: str = Path(..., pattern=r"^[A-Za-z]{3}-[A-Za-z]{3}$")):
        from lmc.sources.harmonise import pair_unit
        from lmc.web.api.pairs import pair_profile

        a, c = pair.upper().split("-")
        if a != c and pair_unit(a, c) != pair:  # LAO-CHN, chn-lao: the one name of the pair (CHN-LAO)
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(f"/pair/{pair_unit(a, c)}{query}", status_code=308)
        b, missing = _build(request)
        if b is None:
            return _page(request, "pair.html.j2", missing=missing, p=None, pair=pair.upper())
        lang, t = _lang(request), Translator(_lang(request))
        p = pair_profile(b, pair.upper())
        pillars = [x for x in p["pillars"] if x["pillar"] != "index"]
        fig_p = bar_figure([pillar_name(x["pillar"], lang) for x in pillars], [x["score"] for x in pillars],
                           [PILLAR_COLOURS.get(x["pillar"], "#888") for x in pillars], score_axis=t("score"))
        fig_s = series_figure(p["series"], "pillar",
                              lambda q: pillar_name(q, lang) if q != "index" else t("index_overall"), t)
        meta = {m["id"]: m for m in _records(indicator_meta())}
        rows = []
        for x in p["indicators"]:
            if x["year"] != b.latest_year:
                continue
            m = meta.get(x["indicator"], {})
            unit_of, unit_lang = indicator_unit(str(m.get("unit", "")), lang)
            rows.append({**x, "name": m.get("name_zh" if lang == "zh" else "name_en", x["indicator"]),
                         "pillar": m.get("pillar", ""), "unit_of": unit_of, "unit_lang": unit_lang,
                         "source": m.get("source", ""), "source_note": m.get("source_note", "")})
        ri = [x for x in p["rank_intervals"] if x["year"] == b.latest_year]
        return _page(request, "pair.html.j2", missing=None, p=p, pair=p["pair"], fig_pillars=fig_p,
                     fig_series=fig_s, indicators=rows, interval=ri[0] if ri else None, year=b.latest_year,
                     contrib=contributions_block(b, "pair", p["pair"], lang, t))

    @r.get("/explorer", response_class=HTMLResponse)
    def explorer(request: Request, year: int | None = Query(None, ge=1900, le=2100),
                 level: str = Query("pair", pattern=r"^(country|pair|province)$"),
                 pillar: str = Query("index", pattern=r"^[a-z_]+$")):
        from lmc.web.api.deps import check_choice

        b, missing = _build(request)
        if b is None:
            return _page(request, "explorer.html.j2", missing=missing, rows=[], fig=None, year=None, level=level,
                         pillar=pillar, years=(), pillars=(), year_note="", has_intervals=False)
        check_choice("pillar", pillar, b.pillars)
        lang, t = _lang(request), Translator(_lang(request))
        year_note = ""
        if year is not None and year not in b.years:  # say so, rather than silently showing another year
            year_note = t("year_out_of_range", year=year, first=min(b.years), last=max(b.years), shown=b.latest_year)
        y = year if year in b.years else b.latest_year
        rows = b.score_records(level=level, year=y, pillar=pillar)
        ri = b.rank_intervals
        intervals: dict[str, dict] = {}
        has_intervals = pillar == "index" and len(ri) > 0 and bool((ri["level"] == level).any())
        if has_intervals:
            sel = ri[(ri["level"] == level) & (ri["year"] == y)]
            intervals = {x["unit"]: x for x in _records(sel)}
        rows = [{**x, "interval": intervals.get(x["unit"])} for x in rows]
        labels_ = [labels.unit_name(x["unit"], lang) for x in rows]
        err = None
        if intervals:
            hi = [max(0.0, (x["interval"]["score_p95"] - x["score"])) if x["interval"] else 0 for x in rows]
            lo = [max(0.0, (x["score"] - x["interval"]["score_p05"])) if x["interval"] else 0 for x in rows]
            err = (hi, lo)
        links = [f"/pair/{x['unit']}" if level == "pair" else (f"/country/{x['unit']}" if level == "country" else "")
                 for x in rows]
        fig = bar_figure(labels_, [x["score"] for x in rows], [PILLAR_COLOURS.get(pillar, "#1f4e79")] * len(rows),
                         links=links, err=err, horizontal=True)
        return _page(request, "explorer.html.j2", missing=None, rows=rows, fig=fig, year=y, level=level,
                     pillar=pillar, years=b.years, pillars=b.pillars, runs=b.runs, year_note=year_note,
                     has_intervals=has_intervals)

    @r.get("/methodology", response_class=HTMLResponse)
    def methodology(request: Request):
        from lmc.web.api.provenance import provenance_rows

        b, missing = _build(request)
        fw = framework()
        lang = _lang(request)
        pillars = [{"id": p.id, "name": p.name.zh if lang == "zh" else p.name.en, "weight": p.weight,
                    "description": p.description} for p in fw.pillars]
        inds = _records(indicator_meta())
        try:
            prov, prov_missing = provenance_rows(request.app.state.settings), None
        except LmcError as exc:
            prov, prov_missing = [], message_of(exc)
        layers, _ = map_layers(request.app.state.settings)
        map_source = None
        if layers is not None:
            from lmc.reports.geo import map_source as map_source_row

            map_source = map_source_row(layers, lang)
        ind_names = {i["id"]: i["name_zh" if lang == "zh" else "name_en"] for i in inds}
        return _page(request, "methodology.html.j2", missing=missing, fw=fw, pillars=pillars, indicators=inds,
                     map_source=map_source, ind_names=ind_names,
                     sources=_records(b.sources) if b is not None else [],
                     licences=b.licences if b is not None else (), sobol=_records(b.sobol) if b is not None else [],
                     runs=b.runs if b is not None else 0, provenance=prov, prov_missing=prov_missing)

    @r.get("/scenarios", response_class=HTMLResponse)
    async def scenarios(request: Request, name: str | None = Query(None, max_length=64,
                                                                    pattern=r"^[a-z0-9][a-z0-9._-]*$"),
                        draws: int | None = Query(None, ge=10, le=2000), run: int = Query(0, ge=0, le=1),
                        page: int = Query(1, ge=1, le=1000)):
        from lmc.flows.scenarios import list_scenarios
        from lmc.web.api.scenarios import RunRequest, ShockChange, run_bounded, scenario_spec, spec_dict

        listing = list_scenarios().to_dict(orient="records")
        spec = scenario_spec(name) if name else None
        result, error, detail, status, retry = None, None, None, 200, None  # detail: the English cause
        values: dict[int, float] = {}
        if spec is not None:
            for i, _ in enumerate(spec.shocks):
                raw = request.query_params.get(f"s{i}")
                if raw not in (None, ""):
                    try:
                        values[i] = float(raw)
                    except ValueError:
                        values[i] = math.nan
                    if not math.isfinite(values[i]):
                        error = Translator(_lang(request))("bad_number", field=f"s{i}", value=raw[:20])
                        status = 422
            if run and error is None:
                req = RunRequest(shocks=[ShockChange(index=i, value=v) for i, v in values.items()], draws=draws)
                try:  # out-of-range values: 422 with the allowed range, before anything runs
                    result = await run_bounded(request.app, spec.name, req)
                except LmcError as exc:
                    error, detail = Translator(_lang(request))("scenario_error"), message_of(exc)
                    status = public_status(exc)[0]
                    retry = getattr(exc, "retry_after", None)
        from lmc.flows.labels import label as flow_label
        from lmc.web import results

        lang = _lang(request)
        rows, view = None, None
        if result is not None:  # the summary table a page at a time, in the page's language
            start = (page - 1) * SCENARIO_PAGE_ROWS
            shown = result["summary"][start:start + SCENARIO_PAGE_ROWS]
            rows = {"first": start + 1, "total": min(result["rows"]["summary"], len(result["summary"])),
                    "prev": relative_url(request, page=page - 1) if page > 1 else None,
                    "next": relative_url(request, page=page + 1)
                    if start + SCENARIO_PAGE_ROWS < len(result["summary"]) else None}
            headers, cells = results.table(result, shown, lang)
            view = {"validation": results.validation(result, lang), "about": results.about(result, lang),
                    "headline": results.headline(result, lang), "headers": headers, "rows": cells}
        resp = _page(request, "scenarios.html.j2", status=status, listing=listing,
                     spec=spec_dict(spec) if spec else None, values=values, draws=draws, result=result,
                     rows=rows, view=view, error=error, error_detail=detail,
                     word=lambda v: results.word(str(v), lang), flow_label=lambda k: flow_label(k, lang))
        if retry:
            resp.headers["Retry-After"] = str(retry)
        return resp

    @r.get("/corridor", response_class=HTMLResponse)
    def corridor(request: Request,
                 origin: str | None = Query(None, alias="from", max_length=64, pattern=r"^[\w .,'()-]*$"),
                 destination: str | None = Query(None, alias="to", max_length=64, pattern=r"^[\w .,'()-]*$"),
                 date: str | None = Query(None, pattern=r"^(\d{4}-\d{2}-\d{2})?$"),
                 after: str = Query("07:00", pattern=r"^\d{1,2}:\d{2}$"),
                 station: str | None = Query(None, max_length=64, pattern=r"^[\w .,'()-]*$"),
                 budget: float = Query(180, ge=10, le=1440)):
        from lmc.web.api.routes import access_frame, feed_span, plan_journey, stations

        st = stations()
        start, end = feed_span()
        first, last = (dt.date.fromisoformat(f"{d[:4]}-{d[4:6]}-{d[6:]}") for d in (start, end))
        default_date = min(max(dt.date.today(), first), last)  # a day the feed runs
        plan, access, error, missing, status = None, None, None, None, 200  # error: English, under a translated line
        if origin and destination and date:
            try:
                plan = plan_journey(origin, destination, date, after)
            except LmcError as exc:
                error = message_of(exc)
        if station and date:
            try:
                access, missing = access_frame(request.app.state.settings, station, date, after, budget)
            except WarehouseBusy as exc:  # a pull holds the warehouse: say so, never a list without UNESCO sites
                error, status = message_of(exc), exc.status
            except LmcError as exc:
                error = message_of(exc)
        lang, t = _lang(request), Translator(_lang(request))
        layers, map_missing = map_layers(request.app.state.settings)
        fig = None
        if layers is not None:
            from lmc.web.maps import corridor_figure

            b, _ = _build(request)
            prov = ({r["unit"]: r["score"] for r in b.score_records(level="province", year=b.latest_year,
                                                                     pillar="index")} if b is not None else {})
            fig = corridor_figure(layers, prov, lang, t, places_layer())
        resp = _page(request, "corridor.html.j2", status=status, stations=st, fig=fig, map_missing=map_missing,
                     plan=plan, access=access, unesco_missing=missing, error=error, access_cols=ACCESS_COLUMNS,
                     q={"from": origin or "", "to": destination or "", "date": date or default_date.isoformat(),
                        "after": after, "station": station or "", "budget": budget},
                     feed_start=first.isoformat(), feed_end=last.isoformat())
        if status == WarehouseBusy.status:
            resp.headers["Retry-After"] = str(WarehouseBusy.retry_after)
        return resp

    @r.get("/manuals", response_class=HTMLResponse)
    def manuals(request: Request):
        from lmc.guides.model import LANGS
        from lmc.guides.render import BCP47, LANG_NAMES
        from lmc.web.api.guides import guide_index

        rows = guide_index()
        by: dict[str, list[dict]] = {}
        for x in rows:
            by.setdefault(x["country"], []).append(x)
        return _page(request, "manuals.html.j2", guides=by, langs=LANGS, lang_names=LANG_NAMES, bcp47=BCP47)

    @r.get("/guides/{iso3}/{lang_file}", response_class=HTMLResponse)
    async def guide_page(request: Request, iso3: str = Path(..., pattern=r"^[A-Za-z]{3}$"),
                         lang_file: str = Path(..., pattern=r"^[a-z]{2}(\.pdf|\.html)?$")):
        from lmc.guides import load_guide, localise
        from lmc.guides.load import available_countries
        from lmc.guides.model import LANGS
        from lmc.web.api.deps import check_found

        code, _, ext = lang_file.partition(".")
        check_found("destination", iso3.upper(), available_countries())
        check_found("language", code, LANGS)
        if ext == "pdf":
            data = await guide_pdf(request, iso3.upper(), code)
            return Response(data, media_type="application/pdf", headers={
                "Content-Disposition": f'attachment; filename="lmc-guide-{iso3.upper()}-{code}.pdf"'})
        from lmc.guides.render import render_html

        def html() -> str:  # tens of ms: off the event loop, which serves every other request meanwhile
            return render_html(localise(load_guide(iso3.upper()), code), mode="web",
                               link_pattern="/guides/{iso3}/{lang}")

        return HTMLResponse(await run_in_threadpool(html))

    @r.get("/mechanisms", response_class=HTMLResponse)
    def mechanisms(request: Request, by: str = Query("members", pattern=r"^(members|sectors)$")):
        from lmc.web.api.mechanisms import mechanism_rows, overlap, timeline_frame

        res = overlap(by)
        rows = mechanism_rows()
        abbr = {x["id"]: x["abbreviation"] for x in rows}
        m = res.matrix
        labels = [abbr.get(str(c), str(c)) for c in m.columns]
        heat = {"data": [{"type": "heatmap", "z": [[None if v != v else round(float(v), 3) for v in row]
                                                   for row in m.to_numpy()],
                          "x": labels, "y": labels, "colorscale": "Blues", "reversescale": True, "zmin": 0,
                          "zmax": 1, "colorbar": {"title": {"text": "Jaccard"}}}],
                "layout": _layout(height=620, yaxis={"autorange": "reversed", "automargin": True},
                                  xaxis={"automargin": True, "tickangle": -45})}
        tl = _records(timeline_frame())
        ycol = "year"
        tfig = {"data": [{"type": "scatter", "mode": "markers", "x": [x[ycol] for x in tl],
                          "y": [str(x.get("abbreviation") or x.get("mechanism")) for x in tl],
                          "text": [str(x.get("founding_document") or x.get("name_en") or "") for x in tl],
                          "hoverinfo": "x+y+text",
                          "marker": {"size": 9, "color": "#a04000"}}],
                "layout": _layout(height=max(360, 18 * len(set(abbr.values())) + 100),
                                  yaxis={"automargin": True},
                                  xaxis={"title": {"text": Translator(_lang(request))("year")}})}
        return _page(request, "mechanisms.html.j2", heat=heat, tfig=tfig, rows=rows, by=by, timeline=tl)

    @r.get("/api/docs", response_class=HTMLResponse)
    def api_docs(request: Request):
        """The API reference, rendered here from the app's own OpenAPI spec (no Swagger UI from a CDN)."""
        spec = request.app.openapi()
        ops = []
        for path, methods in spec.get("paths", {}).items():
            for method, op in methods.items():
                params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                           "description": p.get("description", ""), "schema": _schema_text(p.get("schema", {}))}
                          for p in op.get("parameters", [])]
                ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                            "description": op.get("description", ""), "params": params,
                            "tag": (op.get("tags") or [""])[0], "body": "requestBody" in op,
                            "statuses": sorted(op.get("responses", {}))})
        return _page(request, "api_docs.html.j2", info=spec.get("info", {}), ops=ops)

    @r.get("/downloads", response_class=HTMLResponse)
    def downloads(request: Request):
        b, missing = _build(request)
        return _page(request, "downloads.html.j2", missing=missing, files=b.files() if b else [],
                     licences=b.licences if b else ())

    @r.get("/downloads/{name}")
    def download(request: Request, name: str = Path(..., max_length=64)):
        from lmc.web.api.deps import check_found

        check_found("file", name, DOWNLOADABLE)
        b = request.app.state.store.get()
        path = (b.out_dir / name).resolve()
        if path.parent != b.out_dir.resolve() or not path.is_file():
            raise NotFoundError(f"{name} is not in this build (run `lmc build` to make it).")
        return FileResponse(path, filename=name, content_disposition_type="attachment")

    return r


def _schema_text(schema: dict[str, Any]) -> str:
    """A short human reading of a parameter's JSON schema: type, enum, range, pattern, default."""
    if "anyOf" in schema:
        parts = [_schema_text(x) for x in schema["anyOf"] if x.get("type") != "null"]
        base = " | ".join(p for p in parts if p)
    elif "enum" in schema:
        base = " | ".join(str(x) for x in schema["enum"])
    else:
        base = str(schema.get("type", ""))
    extra = []
    for key, label in (("minimum", ">="), ("maximum", "<="), ("minLength", "len>="), ("maxLength", "len<="),
                       ("pattern", "pattern")):
        if key in schema:
            extra.append(f"{label} {schema[key]}")
    if "default" in schema and schema["default"] is not None:
        extra.append(f"default {schema['default']}")
    return base + (f" ({', '.join(extra)})" if extra else "")


def guide_url_pattern(request: Request) -> str:
    """The address a booklet's QR code points at: the ``guide_url`` setting when it was set explicitly
    (``LMC_GUIDE_URL``, ``lmc.toml`` or a ``Settings`` argument), else this server's own address - the scheme,
    the address and port the server accepted the connection on, and its ``root_path`` - so a booklet downloaded
    from a running observatory leads back to it. Never the ``Host`` header: a client chooses that, and the PDF
    cache must not hold a booklet per Host."""
    settings = request.app.state.settings
    server = request.scope.get("server")
    if "guide_url" in settings.model_fields_set or not server or server[1] is None:
        return settings.guide_url
    host, port = server
    scheme = request.scope.get("scheme", "http")
    host = f"[{host}]" if ":" in host else host  # IPv6
    default = {"http": 80, "https": 443}.get(scheme)
    base = f"{scheme}://{host}" + ("" if port == default else f":{port}") + request.scope.get("root_path", "")
    return base.replace("{", "{{").replace("}", "}}").rstrip("/") + "/guides/{iso3}/{lang}"


async def guide_pdf(request: Request, iso3: str, lang: str) -> bytes:
    """A manual's PDF booklet (a render takes seconds): rendered in the worker pool, kept in memory per
    (destination, language, QR address); concurrent requests for one booklet share one render."""
    pattern = guide_url_pattern(request)
    state = request.app.state
    return await state.pdfs.get(("guide", iso3, lang, pattern),
                                lambda: state.pool.run("lmc.web.jobs:guide_pdf", iso3, lang, pattern))
