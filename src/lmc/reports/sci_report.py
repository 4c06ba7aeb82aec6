"""Render the SCI report (English and Chinese) as HTML and PDF from an :class:`~lmc.sci.results.SciResult`.

HTML comes from one Jinja template; charts are PNG files beside it (``report_assets/``); the PDF is WeasyPrint's
rendering of the same HTML with Noto fonts (CJK for Chinese). Files are written to a temporary name and swapped in.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
from markupsafe import Markup
import pandas as pd

from lmc import LMC_COUNTRIES, __version__
from lmc.reports import labels as names
from lmc.reports import economic_corridor, maps
from lmc.reports import sci_charts as charts
from lmc.reports.geo import MapLayers, map_source
from lmc.reports.sci_explain import indicator_names, sentence, top_and_bottom
from lmc.reports.numfmt import fmt
from lmc.reports.sci_i18n import COUNTRY_NAMES, METHOD_TEXT, STRINGS
from lmc.atomic import write_bytes
from lmc.sci.framework import default_framework
from lmc.sci.results import CURATED_FACT, SciResult

LANGS: tuple[str, ...] = ("en", "zh")
_env = jinja2.Environment(loader=jinja2.PackageLoader("lmc.reports", "templates"),
                          autoescape=jinja2.select_autoescape(["html", "j2"]))


def _fmt(v) -> str:
    return fmt(v, "score")


def _wide(scores: pd.DataFrame, level: str, year: int, pillars) -> pd.DataFrame:
    s = scores[(scores["level"] == level) & (scores["year"] == year)]
    w = s.pivot(index="unit", columns="pillar", values="score")
    r = s[s["pillar"] == "index"].set_index("unit")["rank"]
    w["rank"] = r
    return w.sort_values("rank")


def make_charts(result: SciResult, assets: Path, lang: str, layers: MapLayers | None = None,
                economy: economic_corridor.EconomyChapter | None = None) -> dict[str, str]:
    t = STRINGS[lang]
    y = result.latest_year
    sc, P = result.scores, result.pillars
    labels = {k: t[k] for k in ("index", *P)}
    filled_pairs = charts.filled_cells(result.panel, "pair")
    filled_countries = charts.filled_cells(result.panel, "country")
    out: dict[str, str] = {}

    def rel(p: Path) -> str:
        return f"{assets.name}/{p.name}"

    named = sc.assign(unit=sc["unit"].map(lambda u: names.unit_name(u, lang)))  # bars labelled by name
    out["rank_pairs"] = rel(charts.ranking_bars(named, "pair", y, P, labels, assets / f"rank_pairs_{lang}.png",
                                                t["ranking_pairs"].format(year=y)))
    out["rank_countries"] = rel(charts.ranking_bars(named, "country", y, P, labels,
                                                    assets / f"rank_countries_{lang}.png",
                                                    t["ranking_countries"].format(year=y)))
    if (sc["level"] == "province").any():
        out["rank_provinces"] = rel(charts.ranking_bars(named, "province", y, P, labels,
                                                        assets / f"rank_provinces_{lang}.png",
                                                        t["ranking_provinces"].format(year=y)))
    out["heatmap"] = rel(charts.pair_heatmap(sc, y, assets / f"heatmap_{lang}.png", t["heatmap"], filled_pairs))
    out["timeseries"] = rel(charts.pair_time_series(sc, P, {**labels, "filled": t["filled_points"]},
                                                    assets / f"timeseries_{lang}.png", t["timeseries"],
                                                    filled_pairs))
    if layers is not None:
        out.update({k: rel(p) for k, p in draw_maps(layers, sc, y, assets, lang, economy).items()})
    ri_labels = {k: t[k] for k in ("interval", "median", "nominal", "rank")}
    ri = result.uncertainty.rank_intervals
    ri = ri.assign(unit=ri["unit"].map(lambda u: names.unit_name(u, lang)))
    out["ri_pairs"] = rel(charts.rank_intervals(ri, "pair", y, assets / f"ri_pairs_{lang}.png",
                                                f"{t['intervals']} · {t['level_pair']}", ri_labels))
    out["ri_countries"] = rel(charts.rank_intervals(ri, "country", y, assets / f"ri_countries_{lang}.png",
                                                    f"{t['intervals']} · {t['level_country']}", ri_labels))
    out["sobol"] = rel(charts.sobol_chart(result.uncertainty.sobol, {f: t[f"f_{f}"] for f in
                                          result.uncertainty.sobol["factor"]}, assets / f"sobol_{lang}.png",
                                          t["sobol"]))
    for c in LMC_COUNTRIES:
        out[f"profile_{c}"] = rel(charts.country_profile(sc, c, P, labels, assets / f"profile_{c}_{lang}.png",
                                                         f"{COUNTRY_NAMES[lang][c]} ({c})", filled_countries))
    return out


def draw_maps(layers: MapLayers, scores: pd.DataFrame, year: int, assets: Path, lang: str,
              economy: economic_corridor.EconomyChapter | None = None) -> dict[str, Path]:
    """The three maps (region, scores, corridor; with ``economy``, the places along the line on the corridor map)
    in ``lang``, credited to Natural Earth."""
    places, place_types = economic_corridor.map_places(economy, lang) if economy else ((), {})
    t = STRINGS[lang]
    countries = {c: names.country_name(c, lang) for c in LMC_COUNTRIES}
    stations = {s.stop_id: names.station_name(s.stop_id, lang) for s in layers.stations}
    note = t["map_layers_note"]
    return {
        "map": maps.region_map(layers, assets / f"map_{lang}.png", title=t["map"], countries=countries,
                               stations=stations, mekong=(t["lancang"], t["mekong"]), rail=t["rail"], layers_note=note),
        "map_scores": maps.score_map(layers, scores, year, assets / f"map_scores_{lang}.png",
                                     title=t["map_scores"].format(year=year), countries=countries,
                                     score_label=t["index"], layers_note=note),
        "map_corridor": maps.corridor_map(layers, scores, year, assets / f"map_corridor_{lang}.png",
                                          title=t["map_corridor"].format(year=year),
                                          provinces={p.code: names.province_name(p.code, lang)
                                                     for p in names.corridor_provinces()},
                                          stations=stations, score_label=t["index"], layers_note=note,
                                          places=places, place_types=place_types),
    }


def _source_row(row: dict, lang: str) -> dict:
    """A sources-table row in ``lang``: the curated facts' generic title, licence and access date are labels."""
    if row.get("id") != CURATED_FACT:
        return row
    t = STRINGS[lang]
    date = str(row.get("used_for") or "").removeprefix("accessed ").strip()
    return {**row, "title": t["curated_title"], "licence": t["curated_licence"],
            "used_for": t["accessed_on"].format(date=date)}


def render_html(result: SciResult, chart_paths: dict[str, str], lang: str, layers: MapLayers | None = None,
                economy_html: str = "") -> str:
    t = STRINGS[lang]
    fw = default_framework()
    y, P, sc = result.latest_year, result.pillars, result.scores
    runs = result.uncertainty.runs
    pw = _wide(sc, "pair", y, P)
    cw = _wide(sc, "country", y, P)
    pair_table = [{"unit": u, "name": names.unit_name(u, lang), "rank": int(r["rank"]), "index": _fmt(r["index"]),
                   **{p: _fmt(r.get(p)) for p in P}}
                  for u, r in pw.iterrows()]
    obs = {(r.level, r.indicator): r.observed_share for r in result.audit["coverage"].itertuples()}
    indicators = []
    for i in (i for i in fw.indicators if i.status != "alternative"):  # alternatives: robustness table
        status = i.status
        if i.id in result.unavailable:
            status = f"{t['not_available']}: {result.unavailable[i.id]}"
        elif i.id in result.excluded.get(i.level, []):
            status = t["excluded"]
        share = obs.get((i.level, i.id))
        indicators.append({"id": i.id, "name": getattr(i.name, lang), "level": t[f"level_{i.level}"],
                           "pillar": i.pillar, "unit": i.unit, "direction": i.direction, "rationale": i.rationale,
                           "source_note": i.source_note, "coverage": i.coverage, "status": status,
                           "observed": "" if share is None else f"{100 * share:.0f}%"})
    profiles = []
    for c in LMC_COUNTRIES:
        partners = [{"unit": u, "name": names.unit_name(u, lang), "rank": int(r["rank"]), "index": _fmt(r["index"]),
                     **{p: _fmt(r.get(p)) for p in P}}
                    for u, r in pw.iterrows() if c in u.split("-")]
        profiles.append({"iso3": c, "name": COUNTRY_NAMES[lang][c], "score": _fmt(float(cw.loc[c, "index"])),
                         "rank": int(cw.loc[c, "rank"]), "chart": chart_paths[f"profile_{c}"],
                         "partners": partners, "partners_title": t["profile_partners"].format(year=y)})
    co = result.contributions
    by = dict(tuple(co.groupby(["level", "unit"]))) if co is not None else {}  # one small frame per profile
    for pr in profiles:
        if co is not None:
            c = by[("country", pr["iso3"])]
            pr["contrib"] = contribution_bars(c, "country", pr["iso3"], lang)
            pr["explain"] = sentence(c, "country", pr["iso3"], pr["rank"], float(cw.loc[pr["iso3"], "index"]), lang)
    pair_profiles = [{"unit": r["unit"], "name": r["name"], "rank": r["rank"], "index": r["index"],
                      "contrib": contribution_bars(by[("pair", r["unit"])], "pair", r["unit"], lang),
                      "explain": sentence(by[("pair", r["unit"])], "pair", r["unit"], r["rank"],
                                          float(pw.loc[r["unit"], "index"]), lang)}
                     for r in pair_table] if co is not None else []
    explained = top_and_bottom(sc, result.contributions, y, lang) if result.contributions is not None else []
    validity = _validity_rows(result)
    robustness = _robustness_rows(result, lang)
    top_p, top_c = pw.index[0], cw.index[0]
    cname = COUNTRY_NAMES[lang]
    summary = t["summary_text"].format(
        year=y, top_pair=f"{top_p} ({cname[top_p.split('-')[0]]}–{cname[top_p.split('-')[1]]})",
        top_pair_score=float(pw.iloc[0]["index"]), top_country=f"{cname[top_c]} ({top_c})",
        top_country_score=float(cw.iloc[0]["index"]), runs=runs)
    cap = {
        "rank_pairs": t["ranking_pairs"].format(year=y), "rank_countries": t["ranking_countries"].format(year=y),
        "rank_provinces": t["ranking_provinces"].format(year=y), "heatmap": t["heatmap_caption"].format(year=y),
        "timeseries": t["timeseries_caption"].format(y0=min(result.years), y1=y),
        "map": t["map_caption"], "map_scores": t["map_scores_caption"].format(year=y),
        "map_corridor": t["map_corridor_caption"].format(year=y), "intervals": t["intervals_caption"].format(runs=runs, year=y),
        "sobol": t["sobol_caption"].format(runs=runs),
        "robustness": t["robustness_caption"].format(year=y),
        "validity": (result.validity.summary() if lang == "en" else
                     t["validity_summary"].format(n=result.validity.passed, m=result.validity.total))
        if result.validity is not None else "",
    }
    return _env.get_template("sci_report.html.j2").render(
        lang=lang, t=t, subtitle=t["subtitle"].format(y0=min(result.years), y1=y),
        built=t["built"].format(date=dt.date.today().isoformat(), version=__version__, key=result.key),
        summary=summary, charts=chart_paths, cap=cap, pillars=P, pair_table=pair_table, year=y,
        method_text=METHOD_TEXT[lang], indicators=indicators,
        sources=[_source_row(r, lang) for r in result.sources.to_dict(orient="records")]
        + ([map_source(layers, lang)] if layers else []),
        profiles=profiles, pair_profiles=pair_profiles, explained=explained, validity=validity,
        validity_failed=[v for v in validity if not v["pass"]], robustness=robustness,
        economy=Markup(economy_html))


def contribution_bars(contrib: pd.DataFrame, level: str, unit: str, lang: str, top: int = 10) -> list[dict]:
    """A unit's contributions chart as rows of a bar table (drawn in HTML/CSS, so the PDF gets vector bars without
    an image per profile): the ``top`` indicators by size of their points, largest contribution first, each with
    its name, points and bar width (% of the largest)."""
    c = contrib[(contrib["level"] == level) & (contrib["unit"] == unit)]
    c = c.assign(size=c["points"].abs())
    c = c[c["size"] >= 0.05].nlargest(top, "size").sort_values("points", ascending=False)  # not "+0.0"
    big = max(float(c["size"].max()) if len(c) else 0.0, 1e-9)
    nm = indicator_names(lang)
    return [{"name": nm.get(r.indicator, r.indicator), "points": fmt(r.points, "points", lang),
             "width": round(100 * abs(r.points) / big, 1), "up": r.points >= 0,
             "own": r.indicator_level == "country" and level == "country"} for r in c.itertuples()]


def _validity_rows(result: SciResult) -> list[dict]:
    """The validity table for the report: statement, check, what was observed, pass (statements in English)."""
    if result.validity is None:
        return []
    return [{**r, "check": f"{r['measure']}: {r['check']}", "pass": bool(r["pass"])}
            for r in result.validity.table.to_dict(orient="records")]


def _robustness_rows(result: SciResult, lang: str) -> dict:
    """Columns (variant names in ``lang``) and rows of the robustness table."""
    if result.robustness is None:
        return {"columns": [], "rows": []}
    fw = default_framework()
    t = STRINGS[lang]
    variants = [(f"rank_{v.id}", getattr(v.name, lang)) for v in fw.variants] + [("rank_geometric",
                                                                                   t["geometric"])]
    rows = []
    for r in result.robustness.to_dict(orient="records"):
        rows.append({"name": names.unit_name(r["unit"], lang), "unit": r["unit"], "rank": int(r["rank"]),
                     "ranks": [int(r[c]) for c, _ in variants],
                     "interval": f"{fmt(r['rank_p05'], 'rank')}–{fmt(r['rank_p95'], 'rank')}",
                     "span": f"{int(r['highest'])}–{int(r['lowest'])}", "within": bool(r["within_interval"])})
    return {"columns": [n for _, n in variants], "rows": rows}


def write_report(result: SciResult, out_dir: Path, lang: str, *, pdf: bool = True,
                 layers: MapLayers | None = None, economy: economic_corridor.EconomyChapter | None = None) -> list[Path]:
    """Write ``report_<lang>.html`` (and ``.pdf``) with charts in ``out_dir/report_assets``; the maps when
    ``layers`` are given (:func:`lmc.reports.geo.try_layers`); the economic corridor chapter with ``economy``
    (:func:`lmc.reports.economic_corridor.load`)."""
    assets = out_dir / "report_assets"
    paths = make_charts(result, assets, lang, layers, economy)
    html = render_html(result, paths, lang, layers,
                       economic_corridor.render(economy, assets, lang) if economy else "")
    files = []
    hp = out_dir / f"report_{lang}.html"
    write_bytes(hp, html.encode("utf-8"))
    files.append(hp)
    if pdf:
        from weasyprint import HTML

        pdf_bytes = HTML(string=html, base_url=str(out_dir)).write_pdf()
        pp = out_dir / f"report_{lang}.pdf"
        write_bytes(pp, pdf_bytes)
        files.append(pp)
    return files
