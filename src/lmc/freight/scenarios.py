"""Freight scenarios: one function per scenario, one typed result (:class:`FreightScenarioResult`) for all.

* ``freight-border-time-halved`` - clearance at Mohan-Boten (rail and road) takes half as long;
* ``thai-standard-gauge-link`` - a standard-gauge freight path Vientiane-Bangkok from ``opening_year``: no
  trans-shipment at Vientiane, faster running;
* ``yunnan-value-added`` - how much of the line's freight is loaded or unloaded in Yunnan and Laos rather than
  passing through, and whether the registry's parks change that: estimated only as far as the data allow, and
  otherwise the result lists the data that would.

Model scenarios compare the same calibrated draws with and without the change (paired), so the band of a change is
the band of the difference, not of two levels. Every result states its calibration year and whether the model
passed its back-casts (``validated``); a scenario from a model that failed them is labelled so on its first line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lmc.errors import unknown
from lmc.freight import backcast
from lmc.freight.errors import FreightScenarioError
from lmc.freight.inputs import Route
from lmc.freight.labels import columns as labelled
from lmc.freight.model import Conditions, FreightModel, Volumes, band, fit
from lmc.sources.freight_series import load_series
from lmc.sources.places import load_places

@dataclass(frozen=True)
class FreightScenarioResult:
    """The result of a freight scenario, rendered alike by the CLI, the API and reports.

    ``table`` holds the numbers; ``columns`` maps each column to its English and Chinese label; ``headline`` and
    ``headline_zh`` say the result in one sentence and ``values`` gives its numbers by key (labelled in
    :mod:`lmc.freight.labels`); ``validated`` is False when the model failed any back-cast (``validation`` says
    which); ``estimable`` is False when the data do not support an estimate, and ``needed`` then lists the data that
    would.
    """

    name: str
    title: str
    title_zh: str
    params: Mapping[str, Any]
    headline: str
    headline_zh: str
    table: pd.DataFrame = field(repr=False)
    columns: Mapping[str, tuple[str, str]] = field(repr=False)
    assumptions: tuple[str, ...] = ()
    calibration_year: int | None = None
    n_draws: int = 0
    validated: bool | None = None
    validation: str = ""
    estimable: bool = True
    needed: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)
    assumptions_zh: tuple[str, ...] = ()
    needed_zh: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def labels(self, lang: str = "en") -> dict[str, str]:
        """Column labels in ``en`` or ``zh``."""
        i = {"en": 0, "zh": 1}[lang]
        return {c: lab[i] for c, lab in self.columns.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "title_zh": self.title_zh, "params": dict(self.params),
            "headline": self.headline, "headline_zh": self.headline_zh, "calibration_year": self.calibration_year,
            "n_draws": self.n_draws, "validated": self.validated, "validation": self.validation,
            "estimable": self.estimable, "needed": list(self.needed), "needed_zh": list(self.needed_zh),
            "assumptions": list(self.assumptions), "assumptions_zh": list(self.assumptions_zh),
            "values": dict(self.values),
            "columns": {c: {"en": en, "zh": zh} for c, (en, zh) in self.columns.items()},
            "rows": self.table.to_dict(orient="records"),
        }


# --------------------------------------------------------------------------------------------------------------


def _validation(model: FreightModel) -> tuple[bool, str]:
    results = backcast.run(model)
    passed = sum(r.passed for r in results)
    failed = [f"{r.event}: observed {r.observed:,.3g}, predicted {r.predicted_median:,.3g} "
              f"({r.predicted_p5:,.3g}-{r.predicted_p95:,.3g})" for r in results if not r.passed]
    text = f"{passed} of {len(results)} back-casts pass (calibrated on {model.base_year})."
    if failed:
        text += " Failed: " + "; ".join(failed) + "."
    return passed == len(results), text


def _change_rows(base: Volumes, scen: Volumes) -> pd.DataFrame:
    items = (("China-Laos Railway, cross-border", "中老铁路跨境", "clr_mt", "Mt"),
             ("Road through Mohan", "磨憨公路", "mohan_road_mt", "Mt"),
             ("Road through Hekou", "河口公路", "hekou_road_mt", "Mt"),
             ("Land-Sea Corridor (modelled markets)", "陆海新通道（模型市场）", "lsc_in_market_teu", "TEU"))
    rows = []
    for en, zh, attr, unit in items:
        b, s = getattr(base, attr), getattr(scen, attr)
        lo, med, hi = band(s - b)
        bmed = float(np.median(b))
        rows.append({"quantity": en, "quantity_zh": zh, "unit": unit, "baseline_median": bmed,
                     "scenario_median": float(np.median(s)), "change_median": med, "change_p05": lo,
                     "change_p95": hi, "change_pct": 100 * med / bmed if bmed else np.nan})
    sea_b, sea_s = base.family_mt()["sea"], scen.family_mt()["sea"]
    lo, med, hi = band(sea_s - sea_b)
    rows.append({"quantity": "All-sea", "quantity_zh": "全程海运", "unit": "Mt",
                 "baseline_median": float(np.median(sea_b)), "scenario_median": float(np.median(sea_s)),
                 "change_median": med, "change_p05": lo, "change_p95": hi,
                 "change_pct": 100 * med / float(np.median(sea_b))})
    bind_b, bind_s = float(np.mean(base.shadow_usd > 0)), float(np.mean(scen.shadow_usd > 0))
    rows.append({"quantity": "Draws where the railway is at capacity", "quantity_zh": "铁路运能饱和的抽样比例",
                 "unit": "share", "baseline_median": bind_b, "scenario_median": bind_s,
                 "change_median": bind_s - bind_b, "change_p05": np.nan, "change_p95": np.nan, "change_pct": np.nan})
    return pd.DataFrame(rows)


def border_time_halved(params: Mapping[str, Any], model: FreightModel) -> FreightScenarioResult:
    year = int(params.get("year", max(model.inputs.years)))
    factor = float(params.get("factor", 0.5))
    if year not in model.inputs.years:
        raise FreightScenarioError(unknown("year", str(year), [str(y) for y in model.inputs.years]))
    if not 0 < factor <= 1:
        raise FreightScenarioError(f"factor must be in (0, 1], got {factor}")
    base = model.predict(Conditions(year))
    scen = model.predict(Conditions(year, rail_border_factor=factor, mohan_road_border_factor=factor))
    table = _change_rows(base, scen)
    clr = table.iloc[0]
    road = table.iloc[1]
    ok, text = _validation(model)
    cut = f"{(1 - factor) * 100:.0f}%"
    headline = (f"Cutting clearance time at Mohan-Boten by {cut} in {year} changes cross-border railway freight by "
                f"{clr.change_median:+.2f} Mt (90% band {clr.change_p05:+.2f} to {clr.change_p95:+.2f}; "
                f"{clr.change_pct:+.1f}%) and road freight through Mohan by {road.change_median:+.2f} Mt; "
                f"the railway is at capacity in {table.iloc[-1].scenario_median:.0%} of draws.")
    headline_zh = (f"{year}年磨憨—磨丁口岸通关时间缩短{cut}：中老铁路跨境货运量变化{clr.change_median:+.2f}百万吨"
                   f"（90%区间{clr.change_p05:+.2f}至{clr.change_p95:+.2f}，{clr.change_pct:+.1f}%），"
                   f"磨憨公路货运量变化{road.change_median:+.2f}百万吨；{table.iloc[-1].scenario_median:.0%}的抽样中铁路运能饱和。")
    return FreightScenarioResult(
        "freight-border-time-halved", "Border clearance at Mohan-Boten halved", "磨憨—磨丁口岸通关时间减半",
        {"year": year, "factor": factor}, headline, headline_zh, table, labelled(table.columns),
        ("Rail clearance hours and the Mohan-Boten road crossing time are multiplied by the factor; fees unchanged.",
         "Trade between each origin and destination is unchanged: freight moves between routes, none is created.",
         "Railway capacity (trains run x what a train carried in the base year x headroom) is unchanged; where it "
         "binds, faster clearance raises the railway's shadow price, not its tonnes."),
        model.base_year, model.n, ok, text,
        values={"conditions_year": year, "clearance_factor": factor, "clr_change_mt": clr.change_median,
                "clr_change_band_mt": [clr.change_p05, clr.change_p95], "clr_change_pct": clr.change_pct,
                "mohan_road_change_mt": road.change_median,
                "capacity_binds_share": table.iloc[-1].scenario_median},
        assumptions_zh=("铁路通关时间与磨憨—磨丁公路口岸通关时间乘以该系数；收费不变。",
                        "各起讫点之间的贸易量不变：货物在线路之间转移，不新增贸易。",
                        "铁路运能（当年开行列数×基准年每列载货量×余量系数）不变；运能饱和时，通关提速只提高铁路的影子价格，"
                        "不增加运量。"))


SG_ROUTE = Route(family="clr", label="China-Laos Railway with a standard-gauge link to Bangkok (no trans-shipment)",
                 label_zh="中老铁路经标准轨直达曼谷（无需换装）", legs=("kmg_vte_rail", "vte_bkk_rail_sg"),
                 mohan_rail=True, borders=1, transships=0)


def thai_standard_gauge_link(params: Mapping[str, Any], model: FreightModel) -> FreightScenarioResult:
    opening = int(params.get("opening_year", 2030))
    last = max(model.inputs.years)
    if opening < 2023:
        raise FreightScenarioError(f"opening_year must be 2023 or later, got {opening}")
    shown = max(int(params.get("headline_year", opening)), opening)
    years = [int(y) for y in params.get("years", sorted({last, opening - 1, opening, shown, opening + 5}))]
    route = SG_ROUTE.model_copy(update={"available_from": opening})
    rows = []
    for y in years:
        cond = Conditions(y, inputs_year=min(max(y, min(model.inputs.years)), last))
        base = model.predict(cond)
        scen = model.predict(cond, extra={"clr_thai_sg": (route, ("clr_thai_rail",))})
        lo, med, hi = band(scen.clr_mt - base.clr_mt)
        bkk_b = _to_bkk(base)
        bkk_s = _to_bkk(scen)
        blo, bmed, bhi = band(bkk_s - bkk_b)
        rows.append({"year": y, "link_open": y >= opening, "clr_baseline_mt": float(np.median(base.clr_mt)),
                     "clr_scenario_mt": float(np.median(scen.clr_mt)), "clr_change_mt": med, "clr_change_p05": lo,
                     "clr_change_p95": hi, "bkk_rail_change_mt": bmed, "bkk_rail_change_p05": blo,
                     "bkk_rail_change_p95": bhi, "capacity_binds_share": float(np.mean(scen.shadow_usd > 0))})
    table = pd.DataFrame(rows)
    at = table[table["year"] == shown]
    after = at.iloc[0] if len(at) else table[table["link_open"]].iloc[0] if table["link_open"].any() else table.iloc[-1]
    ok, text = _validation(model)
    headline = (f"A standard-gauge link Vientiane-Bangkok opening in {opening} changes cross-border railway freight "
                f"by {after.clr_change_mt:+.2f} Mt in {int(after.year)} (90% band {after.clr_change_p05:+.2f} to "
                f"{after.clr_change_p95:+.2f}); rail freight to Bangkok changes by {after.bkk_rail_change_mt:+.2f} Mt.")
    headline_zh = (f"万象—曼谷标准轨联通（{opening}年开通）：{int(after.year)}年中老铁路跨境货运量变化"
                   f"{after.clr_change_mt:+.2f}百万吨（90%区间{after.clr_change_p05:+.2f}至{after.clr_change_p95:+.2f}），"
                   f"铁路至曼谷货运量变化{after.bkk_rail_change_mt:+.2f}百万吨。")
    return FreightScenarioResult(
        "thai-standard-gauge-link", "Thai standard-gauge link Nong Khai-Bangkok", "泰国廊开—曼谷标准轨联通",
        {"opening_year": opening, "years": years, "headline_year": shown}, headline, headline_zh, table,
        labelled(table.columns),
        ("The link's running time Vientiane-Bangkok (8-16 h) is an assumption; no freight timetable exists.",
         "The metre-gauge service stays; the new route joins the railway family (same constant).",
         f"Trade and conditions after {last} are held at {last}: no growth is assumed.",
         "Railway capacity north of Vientiane is unchanged; where it binds the link re-sorts the railway's freight.",
         "The logit's independence of irrelevant alternatives lets a new railway route draw from all routes in "
         "proportion, which may overstate its pull from road and sea."),
        model.base_year, model.n, ok, text,
        values={"opening_year": opening, "headline_year": int(after.year), "clr_change_mt": after.clr_change_mt,
                "clr_change_band_mt": [after.clr_change_p05, after.clr_change_p95],
                "bkk_rail_change_mt": after.bkk_rail_change_mt, "capacity_binds_share": after.capacity_binds_share},
        assumptions_zh=("万象—曼谷标准轨运行时间（8—16小时）为假设，尚无货运时刻表。",
                        "米轨服务保留；新线路归入铁路类别（同一常数）。",
                        f"{last}年以后的贸易与条件保持在{last}年水平：不假设增长。",
                        "万象以北的铁路运能不变；运能饱和时，联通只改变铁路货物的构成。",
                        "Logit模型的无关选项独立性使新铁路线路按比例从所有线路吸引货物，可能高估其对公路和海运的吸引。"))


def _to_bkk(v: Volumes) -> np.ndarray:
    cols = [a.od.endswith("-BKK") and a.family == "clr" for a in v.alts]
    return v.flows[:, cols].sum(axis=1)


def yunnan_value_added(params: Mapping[str, Any], model: FreightModel | None = None) -> FreightScenarioResult:
    """What the freight series and the places registry say about value staying in Yunnan and Laos (no model)."""
    s = load_series()

    def row(series: str, kind: str, year: int, basis: str = "") -> pd.Series:
        m = s[(s["series"] == series) & (s["kind"] == kind) & (s["year"] == year) & s["basis"].str.startswith(basis)]
        return m.iloc[0]

    pairs = (("2021-12-03..2022-12-02", row("lcr_freight_cross_border", "operating_year", 2022),
              row("lcr_freight_total", "operating_year", 2022)),
             ("2024", row("lcr_freight_cross_border", "derived_annual", 2024, "China Railway"),
              row("lcr_freight_total", "annual", 2024)),
             ("2025", row("lcr_freight_cross_border", "annual", 2025), row("lcr_freight_total", "annual", 2025)))
    rows = []
    for period, cb, tot in pairs:
        share = cb["value"] / tot["value"]
        rows.append({"measure": "Cross-border share of the line's freight tonnes", "measure_zh": "跨境货物占全线货运量比例",
                     "period": period, "value": share, "unit": "share",
                     "basis": f"{cb['value']:g} Mt / {tot['value']:g} Mt (China Railway)",
                     "source": f"{cb['source_url']} ; {tot['source_url']}"})
        rows.append({"measure": "Lower bound: share loaded or unloaded in Yunnan or Laos", "measure_zh": "在云南或老挝装卸货物比例下限",
                     "period": period, "value": 1 - share, "unit": "share",
                     "basis": "freight that does not cross the border starts and ends on the line (Yunnan or Laos); "
                              "cross-border freight may also start or end there, which the data do not split",
                     "source": f"{cb['source_url']} ; {tot['source_url']}"})
    places = load_places()
    series_parks = []
    for p in places.places:
        firms = sorted((f.as_of, f.value) for f in p.figures if f.measure == "firms" and f.kind == "reported")
        if len(firms) >= 2:
            series_parks.append(p.id)
            rows.append({"measure": f"Firms in {p.name_en}", "measure_zh": f"{p.name_zh or p.name_en}企业数",
                         "period": f"{firms[0][0]}..{firms[-1][0]}", "value": firms[-1][1] - firms[0][1],
                         "unit": "firms (change)", "basis": f"{firms[0][1]:g} -> {firms[-1][1]:g}; not attributable "
                         "to the railway without a comparison zone", "source": p.source.url})
    table = pd.DataFrame(rows)
    needed = (
        "Originating and terminating tonnes by station and by Chinese province (China Railway Kunming Group) to "
        "split cross-border freight into Yunnan-ended and through traffic.",
        "Kunming Customs declarations at the Mohan railway port by domestic origin or destination province.",
        "Lao-section loading and unloading by station (Laos-China Railway Co.), separating Lao domestic freight and "
        "Thai transit from freight ending in Laos.",
        "Yearly firms, output, jobs and value added for each zone in the places registry (only "
        f"{len(series_parks)} of {len(places.places)} places have two or more dated firm counts), and for "
        "comparison zones away from the line.",
    )
    low = min(r["value"] for r in rows if r["measure"].startswith("Lower bound"))
    headline = (f"Not estimable from open data: at least {low:.0%} of the line's tonnes are loaded or unloaded in "
                "Yunnan or Laos (the freight that never crosses the border), but how much cross-border freight "
                "passes through without stopping, and whether the parks change that, needs the data listed.")
    headline_zh = (f"公开数据不足以估计：全线货运量中至少{low:.0%}在云南或老挝装卸（不跨境的货物），"
                   "但跨境货物中有多少只是过境、各园区是否改变这一比例，需要下列数据。")
    return FreightScenarioResult(
        "yunnan-value-added", "Does freight stop in Yunnan and Laos?", "货物是否在云南和老挝落地？", dict(params),
        headline, headline_zh, table, labelled(table.columns),
        ("Tonnes loaded or unloaded are a proxy for value staying, not value added itself.",),
        None, 0, None, "No model: computed from the freight series and the places registry.", False, needed,
        values={"estimable": False, "lower_bound_local_share": low, "data_needed": list(needed)},
        assumptions_zh=("装卸吨数只是价值留存的替代指标，并非增加值本身。",),
        needed_zh=("按车站和中国省份统计的发送与到达吨数（中国铁路昆明局集团），以区分在云南终到的跨境货物与过境货物。",
                   "昆明海关磨憨铁路口岸按境内目的地或货源地省份统计的报关数据。",
                   "老挝段按车站统计的装卸量（老中铁路公司），以区分老挝国内货物、泰国过境货物和在老挝终到的货物。",
                   f"名录中各园区逐年的企业数、产值、就业和增加值（{len(places.places)}处中仅{len(series_parks)}处有两个"
                   "以上注明日期的企业数），以及远离铁路的对照园区数据。"))


SCENARIOS: dict[str, tuple[str, Callable[..., FreightScenarioResult], bool]] = {
    "freight-border-time-halved": ("Border clearance at Mohan-Boten halved (params: year, factor)",
                                   border_time_halved, True),
    "thai-standard-gauge-link": ("Standard-gauge Nong Khai-Bangkok link (params: opening_year, years)",
                                 thai_standard_gauge_link, True),
    "yunnan-value-added": ("Share of freight loaded or unloaded in Yunnan and Laos (data check)",
                           yunnan_value_added, False),
}
"""Name -> (description, function, needs the fitted model)."""


def run(name: str, params: Mapping[str, Any] | None = None, *, model: FreightModel | None = None,
        n: int | None = None, seed: int | None = None) -> FreightScenarioResult:
    """Run the scenario ``name`` with ``params`` (see :data:`SCENARIOS`); ``model`` defaults to a fresh fit."""
    if name not in SCENARIOS:
        raise FreightScenarioError(unknown("freight scenario", name, SCENARIOS))
    _, fn, needs_model = SCENARIOS[name]
    if needs_model and model is None:
        kw = {k: v for k, v in (("n", n), ("seed", seed)) if v is not None}
        model = fit(**kw)
    return fn(dict(params or {}), model)
