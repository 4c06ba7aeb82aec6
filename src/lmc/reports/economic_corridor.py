"""The SCI report's "economic corridor" chapter: freight along the line per year with sources, the places along it
(a table, and a layer on the corridor map), and whether the freight model reproduces history.

Why a chapter of its own: the seed article's "stepping-stone economy" question is about freight and industry, not
soft connectivity; the report shows the numbers that bear on it next to the index, each with its source, and says
how far the freight model can be trusted. :func:`load` reads everything once per build (the warehouse's
``freight_series``, the places registry, the freight model's back-cast status); :func:`render` writes the chapter's
chart and returns its HTML in English or Chinese; :func:`map_places` gives the corridor map its places layer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from lmc.config import Settings, get_settings
from lmc.errors import LmcError
from lmc.freight.places import TYPE_LABELS_ZH, PlacesLayer, places_layer
from lmc.reports.numfmt import fmt

SERIES: tuple[str, ...] = ("lcr_freight_total", "lcr_freight_cross_border", "lcr_freight_lao_section",
                           "lcr_cross_border_freight_trains_per_day", "lcr_international_freight_trains",
                           "mohan_port_cargo", "lsc_rail_sea_teu", "lsc_rail_sea_trains", "lsc_trade_value_west",
                           "lsc_chongqing_teu", "lsc_chongqing_value", "qinzhou_east_dispatch_mt",
                           "lao_exports_to_china")
"""The series the chapter lists, in this order (cumulative totals are left out: the operating years derive from
them)."""
KINDS = ("annual", "derived_annual", "operating_year", "dated", "year_to_date")
TYPE_LABELS_EN = {
    "cross_border_zone": "Cross-border economic cooperation zone", "sez": "Special economic zone",
    "development_zone": "Development and opening-up zone", "industrial_park": "Industrial park",
    "logistics_park": "Logistics park", "dry_port": "Dry port", "rail_freight_terminal": "Rail freight terminal",
    "border_port": "Border port",
}
"""Short English names of the place types (the registry's vocabulary describes them in a sentence)."""

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Economic corridor: freight and industry along the line",
        "intro": ("Does value stay along the China-Laos Railway, or does freight only pass through? This chapter "
                  "lists the freight carried per year, the zones, dry ports and parks along the line, and whether the "
                  "freight route-choice model reproduces the years it was not calibrated on. Every figure names its "
                  "publisher; derived values say how they were derived (docs/freight.md)."),
        "series": "Freight per year", "chart_caption": ("China-Laos Railway tonnes (whole line and cross-border, by "
                                                          "counting body), cross-border freight trains a day, "
                                                          "Land-Sea Corridor rail-sea containers and Lao exports to "
                                                          "China, as published; hollow markers are derived values."),
        "places": "Places along the line", "places_note": ("{n} zones, dry ports, logistics and industrial parks "
                                                          "with dated figures; numbers refer to the corridor map."),
        "map_note": "The places are drawn on the corridor map (chapter on maps) with these numbers.",
        "backcasts": "Does the freight model reproduce history?",
        "status_passed": "The freight route-choice model, calibrated on {year}, passes all {n} back-casts.",
        "status_failed": ("The freight route-choice model, calibrated on {year}, passes {k} of {n} back-casts; it "
                          "fails: {failed}. Freight scenarios run only when asked explicitly (--unvalidated) and say "
                          "so on their first line."),
        "status_none": "The freight model's back-casts could not be run: {why}",
        "missing": "The freight series are not in the warehouse ({why}): run `lmc data pull freight_series`.",
        "col_series": "Series", "col_year": "Year", "col_value": "Value", "col_kind": "Kind", "col_basis": "Basis",
        "col_source": "Source", "col_no": "No.", "col_name": "Name", "col_type": "Type", "col_country": "Country",
        "col_opened": "Opened", "col_operator": "Operator or developer", "col_figures": "Dated figures",
        "col_event": "Back-cast", "col_predicted": "Predicted median [90% band]", "col_observed": "Observed",
        "col_pass": "Passes", "yes": "yes", "no": "no",
        "kind_annual": "annual", "kind_derived_annual": "derived", "kind_operating_year": "operating year (derived)",
        "kind_dated": "level at a date", "kind_year_to_date": "part of a year (growth on a year before)",
        "growth": "{g} on a year before",
        "ax_tonnes": "China-Laos Railway (Mt)", "ax_trains": "Cross-border freight trains a day",
        "ax_lsc": "Land-Sea Corridor rail-sea (thousand TEU)", "ax_lao": "Lao exports to China (US$ bn)",
        "total": "whole line", "cross_border": "cross-border", "level": "level at a date",
        "peak": "a day's maximum",
    },
    "zh": {
        "title": "经济走廊：沿线货运与产业",
        "intro": ("中老铁路沿线能否留住价值，还是货物只是过境？本章列出逐年货运量、沿线的经济区、陆港和园区，以及货运路径"
                  "选择模型能否重现未用于校准的年份。每个数字都注明发布机构；推算值说明推算方法（docs/freight.md）。"),
        "series": "逐年货运", "chart_caption": ("中老铁路货运量（全线与跨境，按统计口径）、跨境货物列车日均开行列数、"
                                              "西部陆海新通道铁海联运集装箱量和老挝对华出口，均为公布值；空心点为推算值。"),
        "places": "沿线地点", "places_note": "{n}处经济区、陆港、物流园和工业园，附注明日期的数据；编号对应走廊地图。",
        "map_note": "这些地点以相同编号标注在走廊地图上（见地图一章）。",
        "backcasts": "货运模型能否重现历史？",
        "status_passed": "货运路径选择模型以{year}年校准，通过全部{n}项回溯检验。",
        "status_failed": ("货运路径选择模型以{year}年校准，{n}项回溯检验中通过{k}项，未通过：{failed}。货运情景仅在明确"
                          "要求时（--unvalidated）运行，并在首行注明。"),
        "status_none": "无法运行货运模型的回溯检验：{why}",
        "missing": "仓库中没有货运序列（{why}）：请运行 `lmc data pull freight_series`。",
        "col_series": "序列", "col_year": "年份", "col_value": "数值", "col_kind": "类型", "col_basis": "口径",
        "col_source": "来源", "col_no": "编号", "col_name": "名称", "col_type": "类型", "col_country": "国家",
        "col_opened": "设立年份", "col_operator": "运营/开发方", "col_figures": "注明日期的数据",
        "col_event": "回溯检验", "col_predicted": "预测中位数［90%区间］", "col_observed": "观测值",
        "col_pass": "是否通过", "yes": "是", "no": "否",
        "kind_annual": "全年", "kind_derived_annual": "推算", "kind_operating_year": "运营年度（推算）",
        "kind_dated": "某日水平", "kind_year_to_date": "年内累计（附同比）", "growth": "同比{g}",
        "ax_tonnes": "中老铁路（百万吨）", "ax_trains": "跨境货物列车日均开行列数",
        "ax_lsc": "陆海新通道铁海联运（千标箱）", "ax_lao": "老挝对华出口（十亿美元）",
        "total": "全线", "cross_border": "跨境", "level": "某日水平", "peak": "单日最高",
    },
}

_env = jinja2.Environment(loader=jinja2.PackageLoader("lmc.reports", "templates"),
                          autoescape=jinja2.select_autoescape(["html", "j2"]))


@dataclass(frozen=True)
class EconomyChapter:
    """What the chapter shows, read once per build: ``series`` (rows of the warehouse's ``freight_series``, or
    empty with ``missing`` saying why), ``places`` (the registry as a map layer), ``backcasts`` (the freight
    model's validation rows) and ``status`` (``state``, ``n_checks``, ``failed``, ``calibration_year``)."""

    series: pd.DataFrame = field(repr=False)
    places: PlacesLayer = field(repr=False)
    backcasts: pd.DataFrame = field(repr=False)
    status: dict[str, Any] = field(default_factory=dict)
    missing: str = ""


def load(settings: Settings | None = None) -> EconomyChapter:
    """Read the chapter's inputs: the freight series from the warehouse, the places registry and the freight
    model's back-cast status (:func:`lmc.flows.validation.model_status`, cached like a scenario run's)."""
    from lmc.flows.validation import model_status
    from lmc.warehouse.db import read_table

    settings = settings or get_settings()
    missing = ""
    try:
        series = read_table("freight_series", settings)
        series = series[series["series"].isin(SERIES) & series["kind"].isin(KINDS)]
    except LmcError as exc:
        series, missing = pd.DataFrame(), str(exc)
    try:
        st = model_status("freight", settings=settings)
        status = {**st.to_dict(), "calibration_year": _base_year()}
        backcasts = pd.DataFrame(st.rows)
    except LmcError as exc:
        status, backcasts = {"state": "error", "why": str(exc)}, pd.DataFrame()
    return EconomyChapter(series, places_layer(), backcasts, status, missing)


def _base_year() -> int:
    from lmc.freight.inputs import load_inputs

    return load_inputs().meta.base_year


def digest() -> str:
    """Hash of what the chapter depends on besides the warehouse (the freight code, its inputs and the places
    registry), for the build's cache key: a changed place or model input rebuilds the report."""
    freight, curated = resources.files("lmc.freight"), resources.files("lmc.curated")
    files = [freight.joinpath(n) for n in sorted(p.name for p in freight.iterdir() if p.name.endswith(".py"))]
    files += [freight.joinpath("data", "routes.yaml"), curated.joinpath("places.yaml"),
              curated.joinpath("freight_series.yaml")]
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def map_places(chapter: EconomyChapter, lang: str) -> tuple[list[tuple[int, float, float, str]], dict[str, str]]:
    """The corridor map's places layer: ``(number, lon, lat, type)`` per place and each type's label in ``lang``."""
    names = TYPE_LABELS_ZH if lang == "zh" else TYPE_LABELS_EN
    types = {t: names.get(t, t) for t in chapter.places.types}
    pts = [(i, p.location.lon, p.location.lat, p.type) for i, p in enumerate(chapter.places.places, 1)]
    return pts, {t: types[t] for t in dict.fromkeys(p[3] for p in pts)}


def _value(r: pd.Series, lang: str) -> str:
    unit = str(r["unit"])
    v = float(r["value"])
    kind = "count" if unit in ("TEU", "trains") else "number"
    text = fmt(v, kind, lang)
    prefix = ("more than " if lang == "en" else "超过") if r.get("bound") == "lower" else ""
    growth = r.get("growth")
    tail = ""
    if growth is not None and not pd.isna(growth):
        tail = f" ({STRINGS[lang]['growth'].format(g=f'{float(growth):+.1%}')})"
    return f"{prefix}{text} {unit}{tail}"


def _period(r: pd.Series, lang: str) -> str:
    """The row's year, or the dates it covers: a level's date, an operating year's or a part-year's two dates
    written so that a narrow column breaks between them (``2025-01-01 to 2025-09-04``)."""
    if r["kind"] not in ("operating_year", "dated", "year_to_date"):
        return str(r["year"])
    period = str(r["period"])
    if ".." not in period:
        return period
    start, end = period.split("..", 1)
    return f"{start} {'至' if lang == 'zh' else 'to'} {end}"


def _series_rows(chapter: EconomyChapter, lang: str) -> list[dict[str, str]]:
    t = STRINGS[lang]
    if chapter.series.empty:
        return []
    s = chapter.series.assign(order=chapter.series["series"].map(SERIES.index)).sort_values(["order", "year", "kind"])
    rows = []
    for _, r in s.iterrows():
        rows.append({"series": r["label_zh"] if lang == "zh" else r["label"],
                     "year": _period(r, lang),
                     "value": _value(r, lang), "kind": t[f"kind_{r['kind']}"],
                     "basis": str(r["basis"]) + (f" ({r['method']})" if isinstance(r.get("method"), str) else ""),
                     "publisher": str(r["source_publisher"]), "url": str(r["source_url"])})
    return rows


def _place_rows(chapter: EconomyChapter, lang: str) -> list[dict[str, str]]:
    types = map_places(chapter, lang)[1]
    rows = []
    for i, p in enumerate(chapter.places.places, 1):
        figs = "; ".join(f"{f.measure} {fmt(f.value, 'number', lang)} {f.unit} ({f.as_of})" for f in p.figures)
        rows.append({"no": str(i), "name": (p.name_zh or p.name_en) if lang == "zh" else p.name_en,
                     "type": types.get(p.type, p.type), "country": " ".join(p.countries),
                     "opened": str(p.opened or ""), "operator": p.operator or "", "figures": figs,
                     "url": p.source.url, "publisher": p.source.publisher})
    return rows


def _status_text(chapter: EconomyChapter, lang: str) -> str:
    t, st = STRINGS[lang], chapter.status
    if st.get("state") == "passed":
        return t["status_passed"].format(year=st["calibration_year"], n=st["n_checks"])
    if st.get("state") == "failed":
        from lmc.freight.backcast import CHECKS

        zh = {c.event: c.event_zh for c in CHECKS}
        failed = [zh.get(e, e) if lang == "zh" else e for e in st["failed"]]
        return t["status_failed"].format(year=st["calibration_year"], n=st["n_checks"],
                                         k=st["n_checks"] - len(failed), failed="; ".join(failed))
    return t["status_none"].format(why=st.get("why", st.get("state", "")))


def _backcast_rows(chapter: EconomyChapter, lang: str) -> list[dict[str, str]]:
    from lmc.freight.backcast import CHECKS, explanation

    t = STRINGS[lang]
    zh = {c.event: c.event_zh for c in CHECKS}
    why = {c.event: explanation(c, lang) for c in CHECKS}
    rows = []
    for _, r in chapter.backcasts.iterrows():
        kind = "count" if r["unit"] == "TEU" else "number"
        band = (f"{fmt(r['predicted_median'], kind, lang)} [{fmt(r['predicted_p05'], kind, lang)} – "
                f"{fmt(r['predicted_p95'], kind, lang)}] {r['unit']}")
        rows.append({"event": zh.get(r["event"], r["event"]) if lang == "zh" else r["event"], "predicted": band,
                     "observed": f"{fmt(r['observed'], kind, lang)} {r['unit']}",
                     "passed": t["yes"] if r["passed"] else t["no"], "url": str(r["source"]).split(" ; ")[0],
                     "why": "" if r["passed"] else why.get(r["event"], "")})
    return rows


def chart(chapter: EconomyChapter, path: Path, lang: str) -> Path:
    """Four panels: railway tonnes, trains a day, Land-Sea Corridor containers, Lao exports to China."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from lmc.reports.sci_charts import _save, _setup_fonts

    _setup_fonts()
    t = STRINGS[lang]
    s = chapter.series[chapter.series["kind"] != "year_to_date"]  # parts of a year are not years: table only
    fig, axes = plt.subplots(2, 2, figsize=(8.6, 5.6))

    def plot(ax, name: str, scale: float, label: str | None, colour: str, by_basis: bool = False) -> None:
        d = s[s["series"] == name].sort_values("year")
        if by_basis:
            d = d[d["kind"].isin(("annual", "derived_annual"))]
        groups = d.groupby(d["basis"].str.split(r"[,(:;]").str[0].str.strip()) if by_basis else [(label, d)]
        for i, (g, x) in enumerate(groups):
            derived = x["kind"] != "annual"
            year = x["year"]
            ax.plot(year, x["value"] * scale, "-", color=colour, alpha=0.5 if by_basis else 0.8, lw=1)
            ax.scatter(year[~derived], (x["value"] * scale)[~derived], color=colour, s=18, zorder=3,
                       marker="os^D"[i % 4], label=f"{label}: {g}" if by_basis else label)
            ax.scatter(year[derived], (x["value"] * scale)[derived], facecolor="white", edgecolor=colour, s=18,
                       zorder=3, marker="os^D"[i % 4])

    plot(axes[0, 0], "lcr_freight_total", 1, t["total"], "#1f5fa0")
    plot(axes[0, 0], "lcr_freight_cross_border", 1, t["cross_border"], "#b03a2e", by_basis=True)
    axes[0, 0].set_title(t["ax_tonnes"], fontsize=9)
    axes[0, 0].legend(fontsize=6)
    d = s[s["series"] == "lcr_cross_border_freight_trains_per_day"]
    when = pd.to_datetime(d["period"].astype(str), format="mixed", errors="coerce")
    at = when.dt.year + (when.dt.month - 0.5) / 12
    peak = d["note"].fillna("").str.contains("maximum").to_numpy()  # a day's maximum, not a level
    axes[0, 1].scatter(at[~peak], d["value"][~peak], color="#b03a2e", s=18, label=t["level"])
    axes[0, 1].scatter(at[peak], d["value"][peak], facecolor="white", edgecolor="#b03a2e", marker="^", s=22,
                       label=t["peak"])
    axes[0, 1].legend(fontsize=6)
    axes[0, 1].set_title(t["ax_trains"], fontsize=9)
    plot(axes[1, 0], "lsc_rail_sea_teu", 1e-3, None, "#2e8b57")
    axes[1, 0].set_title(t["ax_lsc"], fontsize=9)
    plot(axes[1, 1], "lao_exports_to_china", 1, None, "#7d3c98")
    axes[1, 1].set_title(t["ax_lao"], fontsize=9)
    for ax in axes.flat:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    fig.tight_layout()
    return _save(fig, path)


def render(chapter: EconomyChapter, assets: Path, lang: str) -> str:
    """The chapter's HTML in ``lang`` (its chart written to ``assets``)."""
    t = STRINGS[lang]
    chart_src = ""
    if not chapter.series.empty:
        chart_src = f"{assets.name}/{chart(chapter, assets / f'economic_corridor_{lang}.png', lang).name}"
    return _env.get_template("economic_corridor.html.j2").render(
        t=t, chart=chart_src, series=_series_rows(chapter, lang), places=_place_rows(chapter, lang),
        places_note=t["places_note"].format(n=len(chapter.places)), status=_status_text(chapter, lang),
        backcasts=_backcast_rows(chapter, lang),
        missing=t["missing"].format(why=chapter.missing) if chapter.missing else "")
