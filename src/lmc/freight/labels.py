"""English and Chinese labels of every column and headline key of the freight results (one place for both).

:mod:`lmc.freight.scenarios` labels its tables from here; :mod:`lmc.flows.labels` adds these to the flows labels, so a
freight scenario run through ``lmc scenario run`` is labelled like every other scenario.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # change tables (border clearance)
    "quantity": ("Quantity", "指标"),
    "quantity_zh": ("Quantity (Chinese)", "指标（中文）"),
    "unit": ("Unit", "单位"),
    "baseline_median": ("Baseline (median)", "基准（中位数）"),
    "scenario_median": ("Scenario (median)", "情景（中位数）"),
    "change_median": ("Change (median)", "变化（中位数）"),
    "change_p05": ("Change, 5th percentile", "变化（第5百分位）"),
    "change_p95": ("Change, 95th percentile", "变化（第95百分位）"),
    "change_pct": ("Change (%)", "变化（%）"),
    # by year (standard-gauge link)
    "year": ("Year", "年份"),
    "link_open": ("Link open", "是否通车"),
    "clr_baseline_mt": ("Railway cross-border, baseline (Mt, median)", "铁路跨境基准（百万吨，中位数）"),
    "clr_scenario_mt": ("Railway cross-border, scenario (Mt, median)", "铁路跨境情景（百万吨，中位数）"),
    "clr_change_mt": ("Railway cross-border, change (Mt, median)", "铁路跨境变化（百万吨，中位数）"),
    "clr_change_p05": ("Railway change, 5th percentile (Mt)", "铁路变化（第5百分位，百万吨）"),
    "clr_change_p95": ("Railway change, 95th percentile (Mt)", "铁路变化（第95百分位，百万吨）"),
    "bkk_rail_change_mt": ("Rail to Bangkok, change (Mt)", "铁路至曼谷变化（百万吨）"),
    "bkk_rail_change_p05": ("Rail to Bangkok, 5th percentile (Mt)", "铁路至曼谷变化（第5百分位，百万吨）"),
    "bkk_rail_change_p95": ("Rail to Bangkok, 95th percentile (Mt)", "铁路至曼谷变化（第95百分位，百万吨）"),
    "capacity_binds_share": ("Draws at railway capacity", "铁路运能饱和的抽样比例"),
    # value added (data check)
    "measure": ("Measure", "指标"),
    "measure_zh": ("Measure (Chinese)", "指标（中文）"),
    "period": ("Period", "期间"),
    "value": ("Value", "数值"),
    "basis": ("Basis", "依据"),
    "source": ("Source", "来源"),
    # back-casts and inputs
    "event": ("Event", "事件"),
    "event_zh": ("Event (Chinese)", "事件（中文）"),
    "target": ("Predicted quantity", "预测量"),
    "calibration_year": ("Calibration year", "校准年份"),
    "predicted_p05": ("Predicted, 5th percentile", "预测第5百分位"),
    "predicted_median": ("Predicted median", "预测中位数"),
    "predicted_p95": ("Predicted, 95th percentile", "预测第95百分位"),
    "observed": ("Observed", "观测值"),
    "passed": ("Passed", "通过"),
    "note": ("Note", "说明"),
    "input": ("Input", "输入参数"),
    "label": ("Name", "名称"),
    "label_zh": ("Name (Chinese)", "中文名称"),
    "low": ("Low", "下限"),
    "most_likely": ("Most likely value", "最可能值"),
    "high": ("High", "上限"),
    "url": ("Address", "网址"),
    # headline keys
    "summary": ("Result", "结果"),
    "summary_zh": ("Result (Chinese)", "结果（中文）"),
    "conditions_year": ("Conditions of year", "条件年份"),
    "clearance_factor": ("Clearance time at Mohan-Boten, factor", "磨憨—磨丁口岸通关时间系数"),
    "clr_change_band_mt": ("Railway cross-border change, 5-95% (Mt)", "铁路跨境变化（5%-95%，百万吨）"),
    "clr_change_pct": ("Railway cross-border change (%)", "铁路跨境变化（%）"),
    "mohan_road_change_mt": ("Road through Mohan, change (Mt)", "磨憨公路变化（百万吨）"),
    "opening_year": ("Opening year of the standard-gauge link", "标准轨联通开通年份"),
    "headline_year": ("Year of the headline", "结果年份"),
    "estimable": ("Estimable from open data", "公开数据可否估计"),
    "lower_bound_local_share": ("Share loaded or unloaded in Yunnan or Laos, at least", "在云南或老挝装卸的比例下限"),
    "data_needed": ("Data that would allow an estimate", "可用于估计的所需数据"),
    "n_draws": ("Draws", "抽样次数"),
    "seed": ("Seed", "随机种子"),
    "freight_source": ("Freight tonnes from", "货运量来源"),
    "freight_model_validation": ("Back-casts of the freight model", "货运模型回溯检验"),
    "freight_scenario": ("Freight scenario applied", "所用货运情景"),
}
"""key -> (English, Chinese)."""


def columns(keys) -> dict[str, tuple[str, str]]:
    """The labels of ``keys`` (a table's columns), in their order; a key without a label is an error here, so a new
    column cannot reach a report unlabelled."""
    return {k: LABELS[k] for k in keys}
