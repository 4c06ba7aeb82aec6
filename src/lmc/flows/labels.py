"""Human labels, in English and Chinese, for every column and headline key of the flows results.

Why here: the CLI, the web pages and the reports show the same result objects; a reader should see "Visitors,
scenario" / "情景游客数", not ``visitors_scenario``. :func:`labels_for` picks the labels of the keys a result uses
(a test checks that every key of every built-in scenario has one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lmc.freight.labels import LABELS as FREIGHT_LABELS

LABELS: dict[str, tuple[str, str]] = {
    # choice model
    "destination": ("Destination", "目的地"),
    "label": ("Name", "名称"),
    "label_zh": ("Name (Chinese)", "中文名称"),
    "country": ("Country", "国家"),
    "segment": ("Origin segment", "客源群体"),
    "segment_label": ("Origin segment (name)", "客源群体名称"),
    "mode": ("Mode", "交通方式"),
    "visitors_baseline": ("Visitors, baseline", "基准游客数"),
    "visitors_scenario": ("Visitors, scenario", "情景游客数"),
    "change": ("Change", "变化"),
    "change_pct": ("Change (%)", "变化（%）"),
    "change_p05": ("Change, 5th percentile", "变化（第5百分位）"),
    "change_p95": ("Change, 95th percentile", "变化（第95百分位）"),
    "visitors_baseline_p05": ("Baseline, 5th percentile", "基准（第5百分位）"),
    "visitors_baseline_p95": ("Baseline, 95th percentile", "基准（第95百分位）"),
    "visitors_scenario_p05": ("Scenario, 5th percentile", "情景（第5百分位）"),
    "visitors_scenario_p95": ("Scenario, 95th percentile", "情景（第95百分位）"),
    "band_note": ("Why no band", "无区间的原因"),
    "seat_use_baseline_pct": ("Train seats used, baseline (%)", "基准列车座位利用率（%）"),
    "seat_use_scenario_pct": ("Train seats used, scenario (%)", "情景列车座位利用率（%）"),
    "input": ("Input", "输入参数"),
    "value": ("Value", "数值"),
    "low": ("Low", "下限"),
    "high": ("High", "上限"),
    "most_likely": ("Most likely value", "最可能值"),
    "basis": ("Basis", "依据"),
    "bounds_low": ("Lowest value a scenario may set", "情景可设最小值"),
    "bounds_high": ("Highest value a scenario may set", "情景可设最大值"),
    "note": ("Note", "说明"),
    "unit": ("Unit", "单位"),
    "publisher": ("Publisher", "发布机构"),
    "url": ("Address", "网址"),
    # GE
    "exports_baseline": ("Exports, baseline", "基准出口"),
    "exports_full": ("Exports, counterfactual", "反事实出口"),
    "exports_pct": ("Exports, change (%)", "出口变化（%）"),
    "imports_baseline": ("Imports, baseline", "基准进口"),
    "imports_full": ("Imports, counterfactual", "反事实进口"),
    "imports_pct": ("Imports, change (%)", "进口变化（%）"),
    "output_pct": ("Output value, change (%)", "产出价值变化（%）"),
    "omr_pct": ("Outward resistance, change (%)", "外向多边阻力变化（%）"),
    "imr_pct": ("Inward resistance, change (%)", "内向多边阻力变化（%）"),
    "welfare_pct": ("Welfare (real spending), change (%)", "福利（实际支出）变化（%）"),
    "welfare_p05": ("Welfare change, 5th percentile", "福利变化（第5百分位）"),
    "welfare_p95": ("Welfare change, 95th percentile", "福利变化（第95百分位）"),
    "partner": ("Partner", "贸易伙伴"),
    "exports_pct_p05": ("Exports change, 5th percentile", "出口变化（第5百分位）"),
    "exports_pct_p95": ("Exports change, 95th percentile", "出口变化（第95百分位）"),
    "exporter": ("Exporter", "出口国"),
    "importer": ("Importer", "进口国"),
    "baseline": ("Baseline flow", "基准流量"),
    "conditional": ("Conditional GE flow", "条件一般均衡流量"),
    "full": ("Full GE flow", "完全一般均衡流量"),
    "pct_change_conditional": ("Conditional GE, change (%)", "条件一般均衡变化（%）"),
    "pct_change_full": ("Full GE, change (%)", "完全一般均衡变化（%）"),
    "term": ("Term", "变量"),
    "estimate": ("Estimate", "估计值"),
    "std_error": ("Standard error", "标准误"),
    "z": ("z statistic", "z 统计量"),
    "p_value": ("p-value", "p 值"),
    "ci_low": ("95% interval, low", "95%区间下限"),
    "ci_high": ("95% interval, high", "95%区间上限"),
    "exports_observed": ("Exports, observed", "观测出口"),
    "exports_fitted": ("Exports, fitted by PPML", "PPML 拟合出口"),
    # trend
    "year": ("Year", "年份"),
    "claim_usd_bn": ("Claim (US$ bn)", "声称值（十亿美元）"),
    "trend_usd_bn": ("Trend (US$ bn)", "趋势值（十亿美元）"),
    "trend_low_usd_bn": ("Trend, 90% band low", "趋势90%区间下限"),
    "trend_high_usd_bn": ("Trend, 90% band high", "趋势90%区间上限"),
    "prediction_low_usd_bn": ("One year's value, 90% interval low", "单年值90%预测区间下限"),
    "prediction_high_usd_bn": ("One year's value, 90% interval high", "单年值90%预测区间上限"),
    "observed_min_usd_bn": ("Observed, lowest basis (US$ bn)", "观测值最低口径（十亿美元）"),
    "observed_max_usd_bn": ("Observed, highest basis (US$ bn)", "观测值最高口径（十亿美元）"),
    "value_usd": ("Value (US$)", "金额（美元）"),
    # railway
    "domestic_passengers_m": ("Lao-section passengers (million)", "老挝段旅客（百万人次）"),
    "cross_border_passengers_k": ("Cross-border passengers (thousand)", "跨境旅客（千人次）"),
    "freight_mt": ("Freight (million tonnes)", "货运量（百万吨）"),
    "revenue_passenger": ("Passenger revenue (US$ M, 2024)", "客运收入（百万美元，2024年价）"),
    "revenue_freight": ("Freight revenue (US$ M, 2024)", "货运收入（百万美元，2024年价）"),
    "revenue": ("Revenue (US$ M, 2024)", "收入（百万美元，2024年价）"),
    "opex": ("Operating cost (US$ M, 2024)", "运营成本（百万美元，2024年价）"),
    "ebitda": ("Operating cash (US$ M, 2024)", "经营现金流（百万美元，2024年价）"),
    "interest": ("Interest (US$ M, 2024)", "利息（百万美元，2024年价）"),
    "principal": ("Principal repaid (US$ M, 2024)", "偿还本金（百万美元，2024年价）"),
    "debt_service": ("Debt service (US$ M, 2024)", "偿债额（百万美元，2024年价）"),
    "dscr": ("Debt-service cover ratio", "偿债覆盖率"),
    "net_cash": ("Cash after debt service (US$ M, 2024)", "偿债后现金（百万美元，2024年价）"),
    "cumulative_net_cash": ("Cumulative cash after debt service (US$ M)", "累计偿债后现金（百万美元）"),
    "cumulative_equity_cash": ("Shareholders' cumulative cash, equity included (US$ M)", "股东累计现金（含股本，百万美元）"),
    "measure": ("Measure", "指标"),
    "n_draws": ("Draws", "抽样次数"),
    "central": ("Central value", "中心值"),
    "share_reached": ("Share of draws reaching it", "达到的抽样比例"),
    "share_never": ("Share of draws never reaching it", "从未达到的抽样比例"),
    "p05": ("5th percentile (all draws)", "第5百分位（全部抽样）"),
    "p50": ("Median (all draws)", "中位数（全部抽样）"),
    "p95": ("95th percentile (all draws)", "第95百分位（全部抽样）"),
    "debt_service_year": ("Debt-service year", "覆盖偿债年份"),
    "payback_year": ("Payback year (equity included)", "回本年份（含股本）"),
    "min_dscr": ("Lowest debt-service cover ratio", "最低偿债覆盖率"),
    "dscr_2030": ("Debt-service cover ratio, 2030", "2030年偿债覆盖率"),
    "equity_irr_pct": ("Return on equity, real (%)", "实际股本回报率（%）"),
    "project_irr_pct": ("Project return, real (%)", "实际项目回报率（%）"),
    "npv_equity_musd": ("NPV to shareholders (US$ M, 2024)", "股东净现值（百万美元，2024年价）"),
    "npv_project_musd": ("Project NPV (US$ M, 2024)", "项目净现值（百万美元，2024年价）"),
    "tariff_usd_per_t": ("Freight tariff (US$/t, 2024)", "货运费率（美元/吨，2024年价）"),
    "opex_musd": ("Operating cost (US$ M)", "运营成本（百万美元）"),
    "revenue_passenger_musd": ("Passenger revenue (US$ M)", "客运收入（百万美元）"),
    "debt_service_musd": ("Debt service (US$ M)", "偿债额（百万美元）"),
    "break_even_operating_mt": ("Freight to cover operating cost (Mt)", "覆盖运营成本所需货运量（百万吨）"),
    "break_even_debt_mt": ("Freight to cover operating cost and debt (Mt)", "覆盖运营成本和偿债所需货运量（百万吨）"),
    "tariff_for_claimed_2mt_usd_per_t": ("Tariff at which 2 Mt covers operating cost (US$/t)", "200万吨即覆盖运营成本所需费率（美元/吨）"),
    "peak_debt_service_year": ("Year of peak debt service", "偿债高峰年份"),
    "npv_low": ("NPV with input at low (US$ M)", "参数取下限时净现值（百万美元）"),
    "npv_high": ("NPV with input at high (US$ M)", "参数取上限时净现值（百万美元）"),
    "swing": ("NPV swing (US$ M)", "净现值摆幅（百万美元）"),
    # validation
    "model": ("Model", "模型"),
    "check": ("Back-cast", "回溯检验"),
    "event": ("Event", "事件"),
    "calibration": ("Calibrated on", "校准依据"),
    "quantity": ("Quantity", "量"),
    "predicted_median": ("Predicted median", "预测中位数"),
    "predicted_p05": ("Predicted, 5th percentile", "预测第5百分位"),
    "predicted_p95": ("Predicted, 95th percentile", "预测第95百分位"),
    "observed": ("Observed", "观测值"),
    "passed": ("Passed", "通过"),
    "rule": ("Rule", "判定规则"),
    "source": ("Source", "来源"),
    # headline keys
    "validation": ("Validation", "验证"),
    "calibration_year": ("Calibration year", "校准年份"),
    "conditions_year": ("Conditions of year", "条件年份"),
    "sector": ("Sector", "部门"),
    "seed": ("Seed", "随机种子"),
    "change_by_destination": ("Change by destination", "各目的地变化"),
    "change_band_by_destination": ("Change by destination, 5-95%", "各目的地变化（5%-95%）"),
    "new_trips": ("Trips created (from no trip / elsewhere)", "新增出行（来自不出行或其他目的地）"),
    "new_trips_band": ("Trips created, 5-95%", "新增出行（5%-95%）"),
    "rail_seat_use_scenario_pct": ("Train seats used in the scenario (%)", "情景列车座位利用率（%）"),
    "focus": ("Country in focus", "关注国家"),
    "sigma": ("Elasticity of substitution", "替代弹性"),
    "nobs": ("Observations", "观测数"),
    "welfare_band_focus": ("Welfare change of the focus country, 5-95%", "关注国家福利变化（5%-95%）"),
    "focus_exports_pct": ("Exports of the focus country, change (%)", "关注国家出口变化（%）"),
    "focus_exports_fitted_over_observed": ("Fitted / observed exports of the focus country", "关注国家拟合/观测出口之比"),
    "iterations": ("Fixed-point iterations", "不动点迭代次数"),
    "trend_growth_pct": ("Trend growth (% a year)", "趋势增速（%/年）"),
    "trend_growth_ci_pct": ("Trend growth, 90% interval", "趋势增速90%区间"),
    "claim_growth_pct": ("Claimed growth (% a year)", "声称增速（%/年）"),
    "claim_inside_ci": ("Claim inside the interval", "声称值在区间内"),
    "window": ("Observation years fitted", "拟合的观测年份"),
    "n_obs": ("Observations fitted", "拟合观测数"),
    "share_never_pays_back": ("Share of draws that never pay back", "从未回本的抽样比例"),
    "payback_p50": ("Median payback year (all draws)", "回本年份中位数（全部抽样）"),
    "equity_irr_band_pct": ("Return on equity, 5-95% (%)", "股本回报率（5%-95%）"),
    "freight_break_even_operating_mt_2030": ("Freight to cover operating cost, 2030 (Mt)", "2030年覆盖运营成本所需货运量（百万吨）"),
    "freight_break_even_debt_mt_peak": ("Freight to cover cost and debt in the peak year (Mt)", "偿债高峰年覆盖成本和偿债所需货运量（百万吨）"),
    "claimed_2mt_needs_tariff_usd_per_t": ("Tariff at which 2 Mt covers operating cost, 2030 (US$/t)", "2030年200万吨覆盖运营成本所需费率（美元/吨）"),
    "largest_unknowns": ("Largest unknowns", "最大不确定因素"),
    "fare_real_growth_pct": ("Real fare growth (% a year)", "票价实际增速（%/年）"),
    "tariff_real_growth_pct": ("Real tariff growth (% a year)", "货运费率实际增速（%/年）"),
    "freight_source": ("Freight tonnes from", "货运量来源"),
    # shock variables (the scenario form) and the railway model's inputs (``largest_unknowns`` names them)
    "available": ("Destination open", "目的地开放"),
    "visa_required": ("Visa required", "需要签证"),
    "travel_time_h": ("Travel time (hours)", "旅行时间（小时）"),
    "cntg": ("Land border (contiguity)", "陆地接壤"),
    "trade_cost_pct": ("Trade cost, change (%)", "贸易成本变化（%）"),
    "route_closed_pct": ("Share of the link's trade stopped (%)", "被阻断的双边贸易比例（%）"),
    "mohan_clearance_factor": ("Mohan-Boten clearance time, factor (1 = today)", "磨憨—磨丁通关时间系数（1 = 现状）"),
    "sg_link_opening_year": ("Opening year of the standard-gauge freight link", "标准轨货运线开通年份"),
    "lao_section_per_cross_border": ("Lao-section freight per tonne crossing the border",
                                     "老挝段货运量与跨境货运量之比"),
    "base_value_usd": ("Base value (US$)", "基准值（美元）"),
    "base_year": ("Base year", "基准年"),
    "growth_pct": ("Growth (% a year)", "增长率（%/年）"),
    "flows_per_capita": ("Flows per capita", "人均流量"),
    "domestic_fare_usd": ("Average domestic fare (US$)", "国内平均票价（美元）"),
    "cross_border_fare_usd": ("Lao-section share of the international fare (US$)", "国际票价中老挝段所得（美元）"),
    "freight_tariff_usd_per_t": ("Freight tariff (US$ per tonne)", "货运费率（美元/吨）"),
    "operating_cost_musd": ("Operating cost (US$ M)", "运营成本（百万美元）"),
    "passenger_growth_pct": ("Passenger growth (% a year)", "客运增速（%/年）"),
    "freight_growth_pct": ("Freight growth (% a year)", "货运增速（%/年）"),
    "freight_capacity_mt": ("Freight ceiling (Mt a year)", "货运上限（百万吨/年）"),
    "passenger_capacity_m": ("Passenger ceiling (million a year)", "客运上限（百万人次/年）"),
    "opex_real_growth_pct": ("Real growth of operating cost (% a year)", "运营成本实际增速（%/年）"),
    "inflation_pct": ("US$ inflation (%)", "美元通胀率（%）"),
    "interest_rate_pct": ("Interest rate of the loan (%)", "贷款利率（%）"),
    "loan_tenor_years": ("Loan maturity (years)", "贷款期限（年）"),
    "grace_years": ("Grace period (years)", "宽限期（年）"),
    "discount_rate_pct": ("Real discount rate (%)", "实际贴现率（%）"),
}
"""key -> (English, Chinese)."""
LABELS.update({k: v for k, v in FREIGHT_LABELS.items() if k not in LABELS})  # freight scenarios run here too

_YEAR_KEYS = (("claim_{}_usd_bn", ("Claimed {} value (US$ bn)", "声称的{}年数值（十亿美元）")),
              ("trend_{}_usd_bn", ("Trend {} value (US$ bn)", "趋势{}年数值（十亿美元）")))
"""Keys that carry a year (``claim_2030_usd_bn``), labelled for any year."""


def label(key: str, lang: str = "en") -> str:
    pair = (LABELS.get(key) or _year_key(key) or _choice_name(key)
            or (key.replace("_", " "), key.replace("_", " ")))
    return pair[1] if lang == "zh" else pair[0]


def _choice_name(key: str) -> tuple[str, str] | None:
    """A destination, segment or the no-trip option of the choice model, named as its data file names it (keys of
    the headline's per-destination figures)."""
    from lmc.flows.choice import names  # here: labels stays cheap to import for callers that never need these

    return names().get(key)


def _year_key(key: str) -> tuple[str, str] | None:
    for pattern, (en, zh) in _YEAR_KEYS:
        head, tail = pattern.split("{}")
        year = key[len(head):len(key) - len(tail)] if key.startswith(head) and key.endswith(tail) else ""
        if len(year) == 4 and year.isdigit():
            return en.format(year), zh.format(year)
    return None


def labels_for(keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{key: {"en": ..., "zh": ...}}`` for ``keys``; a key without a label falls back to itself, spaced."""
    out = {}
    for k in dict.fromkeys(keys):
        out[k] = {"en": label(k, "en"), "zh": label(k, "zh")}
    return out


def missing(keys: Iterable[str]) -> list[str]:
    """Keys with no entry in :data:`LABELS` (a test keeps this empty for the built-in scenarios)."""
    return [k for k in dict.fromkeys(keys) if k not in LABELS and _year_key(k) is None]


# ------------------------------------------------------------------------------------------------ values and notes
# Words a result carries as values (validation states, destination keys, notes the models write), in both languages,
# so a page in Chinese shows no English the models produced. Quoted source text (a publisher's basis, a scenario's
# description) is not here: it stays in English, marked as such by whoever shows it.

VALIDATION: dict[str, tuple[str, str]] = {
    "passed": ("passed", "通过"),
    "failed": ("failed", "未通过"),
    "none": ("no back-cast", "无回溯检验"),
}
"""Back-cast states of a model (``result["validation"]["state"]``)."""

NO_BACK_CAST_ZH: dict[str, str] = {
    "railway": "老挝中国铁路公司未公布账目，没有可供比较的收入、成本或现金数据；客货运量输入本身即为观测值（2022—2025年）",
}
"""Chinese of :data:`lmc.flows.validation.NO_BACK_CAST` (why a model has no back-cast)."""

TEXTS: dict[str, tuple[str, str]] = {
    "tourism (Chinese travellers)": ("tourism (Chinese travellers)", "旅游（中国游客）"),
    "merchandise exports, Laos to China": ("merchandise exports, Laos to China", "老挝对华货物出口"),
    "rail transport, passengers and freight (Lao section, LCRC)": (
        "rail transport, passengers and freight (Lao section, LCRC)", "铁路运输：客运和货运（老挝段，老中铁路公司）"),
    "manufacturing": ("manufacturing", "制造业"),
    "traffic 2022-2025 (sourced ramp, then growth ranges); 2024 prices; no published accounts": (
        "traffic 2022-2025 (sourced ramp, then growth ranges); 2024 prices; no published accounts",
        "2022—2025年运量（有来源的爬坡期，之后按增速区间）；2024年价格；无公开账目"),
    "railway model (sourced ramp 2022-2024, then growth)": (
        "railway model (sourced ramp 2022-2024, then growth)", "铁路模型（2022—2024年有来源的爬坡期，之后按增速）"),
    "Train border crossings per day after the 64-minute speed-up (2023-07-25)": (
        "Train border crossings per day after the 64-minute speed-up (2023-07-25)",
        "提速64分钟后每日火车过境人次（2023-07-25）"),
    "China closes the Muse crossings (2021-07-08; trial reopening of one gate 2021-11-26)": (
        "China closes the Muse crossings (2021-07-08; trial reopening of one gate 2021-11-26)",
        "中国关闭木姐口岸（2021-07-08；2021-11-26一个通道试行重开）"),
    "Muse": ("Muse", "木姐"),
}
"""Exact texts the models write (sectors, calibrations, back-cast events) -> (English, Chinese)."""

_SIDES = {"baseline": "基准", "scenario": "情景"}
_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^(baseline|scenario): equals the (\d{4}) observation by calibration \(no band\)$"),
     "{side}：经校准等于{1}年观测值（无区间）"),
    (re.compile(r"^p0?(\d+) never$"), "第{0}百分位：从未达到"),
    (re.compile(r"^(\d+)% of draws have no return between -50% and \+50%$"), "{0}%的抽样在-50%至+50%之间无回报率"),
    (re.compile(r"^Chinese arrivals and visitor trips of (\d{4}) \(sourced\); conditions of (\d{4})$"),
     "{0}年中国游客到访及出行人次（有来源）；{1}年的条件"),
    (re.compile(r"^observed (\d{4}) trade flows incl\. domestic sales \(Advanced Guide panel\); PPML trade costs; "
                r"baseline = observed flows, fitted flows used only for the trade costs$"),
     "{0}年观测贸易流量（含国内销售，WTO《贸易政策分析高级指南》面板）；PPML估计贸易成本；基准为观测流量，拟合流量仅用于贸易成本"),
    (re.compile(r"^sourced full-year observations (\d{4})-(\d{4}) \((\d+) values, several reporting bases\)$"),
     "{0}—{1}年有来源的全年观测值（{2}个值，多种统计口径）"),
    (re.compile(r"^manufacturing \(([A-Z, ]+) not in the panel; needed: .+\)$"),
     "制造业（面板中没有{codes}；需要覆盖全部六国且含国内流量的开放双边贸易面板，数据镜像中尚无）"),
    (re.compile(r"^Chinese arrivals in (.+), (\d{4})$"), "{place}的中国游客，{1}年"),
    (re.compile(r"^(.+): trade through (.+)$"), "{event}：经{crossing}的贸易"),
)
"""Notes the models compose from parts (bands, percentiles, calibrations): pattern -> Chinese template."""


def validation_state(state: str, lang: str = "en") -> str:
    en, zh = VALIDATION.get(state, (state, state))
    return zh if lang == "zh" else en


def value(v: str, lang: str = "en") -> str | None:
    """A word or note a result carries as a value, in ``lang``: a destination key or name of the choice model
    (``laos``, ``Xishuangbanna (Jinghong)``), a sector, a calibration, a back-cast event, a band note; None when
    there is no translation (the caller shows the text as it is, marked English)."""
    names = _destination_names(lang)
    if v in names:
        return names[v]
    if lang != "zh":
        return v
    if v in TEXTS:
        return TEXTS[v][1]
    for pattern, template in _PATTERNS:
        m = pattern.match(v)
        if not m:
            continue
        groups = m.groups()
        extra = {"side": _SIDES.get(groups[0], ""), "codes": groups[0].replace(", ", "、")}
        if "{place}" in template:
            extra["place"] = value(groups[0], lang)
        if "{event}" in template:
            extra["event"], extra["crossing"] = value(groups[0], lang), value(groups[1], lang)
        if any(x is None for x in extra.values()):
            return None
        return template.format(*groups, **extra)
    if "; " in v:  # notes of several parts ("baseline: ...; scenario: ...")
        parts = [value(p, lang) for p in v.split("; ")]
        return "；".join(parts) if all(p is not None for p in parts) else None
    return None


def _destination_names(lang: str) -> dict[str, str]:
    """The choice model's destinations, origin segments and no-trip option, by key and by English name -> name in
    ``lang`` (from its data file, :func:`lmc.flows.choice.names`)."""
    from lmc.flows.choice import names

    out = {}
    for k, (en, zh) in names().items():
        out[k] = out[en] = zh if lang == "zh" else en
    return out


def validation_line(validation: dict, lang: str = "en") -> str:
    """One sentence on a result's back-cast status (``result["validation"]``), said after its state."""
    state, n = validation.get("state", "none"), validation.get("n_checks", 0)
    failed = list(validation.get("failed", ()))
    if state == "passed":
        return f"该模型通过全部{n}项回溯检验。" if lang == "zh" else f"The model passes its {n} back-casts."
    if state == "failed":
        return (f"该模型在{n}项回溯检验中有{len(failed)}项未通过；仍运行并显示结果，请审慎解读。" if lang == "zh"
                else f"The model fails {len(failed)} of its {n} back-casts; it was run anyway: read the results "
                     "with that in mind.")
    from lmc.flows.validation import NO_BACK_CAST

    model = validation.get("model", "")
    if lang == "zh":
        return NO_BACK_CAST_ZH.get(model, "没有可比较的观测结果") + "。"
    why = NO_BACK_CAST.get(model, "no observed outcome to compare with")
    return why[:1].upper() + why[1:] + "."
