"""Freight scenarios through ``lmc scenario run`` (model ``freight``): the route-choice model of
:mod:`lmc.freight` with the scenario's shocks, or the value-added data check, as a scenario run.

A freight scenario file names one change (its ``shocks``), bounded in :data:`lmc.flows.schema.FREIGHT_VARIABLES`:

* ``mohan_clearance_factor`` - the clearance time at Mohan-Boten, rail and road, times this factor, in the scenario
  ``year`` (a year with observed conditions, 2022-2025);
* ``sg_link_opening_year`` - a Vientiane-Bangkok standard-gauge freight path from that year; the headline is for
  the scenario ``year`` (at least the opening year);

or ``options: {question: value-added}`` and no shocks: what the freight series and the places registry say about
freight stopping in Yunnan and Laos. That check runs no model, so its report says so instead of a back-cast status.
Every freight report is written in English (``report.md``/``.html``) and Chinese (``report_zh.md``/``.html``).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from lmc.errors import unknown
from lmc.flows.errors import ScenarioError
from lmc.flows.schema import FREIGHT_VARIABLES, FreightOptions, ScenarioSpec

LABEL_ZH = "货运路径选择模型"
SECTOR = "freight transport between western and southern China and mainland Southeast Asia (containers and bulk)"
SECTOR_ZH = "中国西南、华南与东南亚大陆之间的货物运输（集装箱与散货）"
VALUE_ADDED_STATUS = ("Validation: not applicable - this scenario runs no model; it computes shares from China "
                      "Railway's published tonnes and lists the data an estimate would need.")
VALUE_ADDED_STATUS_ZH = "验证：不适用——本情景不运行模型，仅根据中国铁路公布的货运量计算比例，并列出估计所需的数据。"


def _calibration(year: int | None) -> tuple[str, str]:
    if year is None:
        return ("none (no model): China Railway's whole-line and cross-border tonnes 2022-2025, the places registry",
                "无（不运行模型）：中国铁路全线与跨境货运量（2022—2025年）及沿线园区名录")
    return (f"{year} volumes (sourced): China-Laos Railway cross-border tonnes, road freight through Mohan and Hekou, "
            "Land-Sea Corridor rail-sea containers",
            f"{year}年实际运量（有来源）：中老铁路跨境货运量、磨憨和河口公路货运量、西部陆海新通道铁海联运集装箱量")


def _change(spec: ScenarioSpec) -> tuple[str, float]:
    """The scenario's one change: (variable, new value), checked against its bounds."""
    if spec.baseline:
        raise ScenarioError(f"scenario {spec.name}: freight scenarios take no baseline shocks (the baseline is the "
                            "calibrated model with each year's observed conditions)")
    if len(spec.shocks) != 1:
        raise ScenarioError(f"scenario {spec.name}: a freight route-choice scenario changes one variable; give one "
                            f"shock on {' or '.join(FREIGHT_VARIABLES)} (got {len(spec.shocks)})")
    s = spec.shocks[0]
    if s.variable not in FREIGHT_VARIABLES:
        raise ScenarioError(f"scenario {spec.name}: " + unknown("variable", s.variable, FREIGHT_VARIABLES))
    if s.variable == "sg_link_opening_year" and s.value != int(s.value):
        raise ScenarioError(f"scenario {spec.name}: sg_link_opening_year must be a whole year, got {s.value:g}")
    current = 1.0 if s.variable == "mohan_clearance_factor" else None
    if s.op != "set" and current is None:
        raise ScenarioError(f"scenario {spec.name}: {s.variable} takes op 'set' (a year), not {s.op!r}")
    new = s.value if s.op == "set" else current + s.value if s.op == "add" else current * s.value
    lo, hi, unit = FREIGHT_VARIABLES[s.variable]
    if not lo <= new <= hi:
        raise ScenarioError(f"scenario {spec.name}: {s.variable} would become {new:g}; allowed {lo:g} to {hi:g} "
                            f"({unit})")
    return s.variable, new


def run_freight(spec: ScenarioSpec, opts: FreightOptions, progress, settings, gate):
    """The freight runner of :func:`lmc.flows.scenarios.run_scenario` (returns its ``_Run``)."""
    from lmc.flows import charts
    from lmc.flows.scenarios import _check_year, _Run
    from lmc.freight import scenarios as fs
    from lmc.freight.inputs import inputs_table, load_inputs
    from lmc.freight.model import fit

    if opts.question == "value-added":
        if spec.shocks or spec.baseline:
            raise ScenarioError(f"scenario {spec.name}: the value-added check takes no shocks (it runs no model)")
        progress("reading the freight series and the places registry")
        res = fs.yunnan_value_added({})
        tables = {"result": res.table, "data_needed": pd.DataFrame({"data_needed": list(res.needed)})}
        status = (VALUE_ADDED_STATUS, VALUE_ADDED_STATUS_ZH)
    else:
        inp = load_inputs()
        variable, value = _change(spec)
        last = max(inp.years)
        if variable == "mohan_clearance_factor":
            _check_year(spec.year, sorted(inp.years), "a freight clearance scenario (years with observed conditions)")
        else:
            _check_year(spec.year, range(max(int(value), last), 2051),
                        "a standard-gauge link scenario (from the opening year to 2050)")
        gate()
        progress(f"calibrating {opts.draws:,} draws of the freight model to {inp.meta.base_year}")
        model = fit(inp, n=opts.draws, seed=opts.seed)
        progress("predicting volumes with and without the change")
        if variable == "mohan_clearance_factor":
            res = fs.border_time_halved({"year": spec.year, "factor": value}, model)
        else:
            res = fs.thai_standard_gauge_link({"opening_year": int(value), "headline_year": spec.year}, model)
        tables = {"result": res.table, "inputs": inputs_table(inp)}
        status = None
    headline = {**res.values, "summary": res.headline, "summary_zh": res.headline_zh,
                "calibration_year": res.calibration_year, "n_draws": res.n_draws,
                **({"seed": opts.seed} if res.n_draws else {})}
    cal_en, cal_zh = _calibration(res.calibration_year)
    title = spec.title or res.title

    def write_zh(folder: Path, validation: dict[str, Any], chart_files: list[str]) -> list[Path]:
        line = status[1] if status else status_zh(validation)
        return _report_zh(folder, spec, res, line, cal_zh, chart_files)

    return _Run(tables, headline, lambda folder: charts.freight_chart(res.table, folder, title, res.name),
                calibration=cal_en, sector=SECTOR, status_line=status[0] if status else "", extra_reports=write_zh,
                assumptions=res.assumptions)


def status_zh(validation: dict[str, Any]) -> str:
    """The Chinese first line of a freight report, from the model's status (:meth:`ModelStatus.to_dict`)."""
    from lmc.freight.backcast import CHECKS

    zh = {c.event: c.event_zh for c in CHECKS}
    n, failed = validation.get("n_checks", 0), [zh.get(e, e) for e in validation.get("failed") or []]
    if validation.get("state") == "passed":
        return f"验证：{LABEL_ZH}通过全部{n}项回溯检验（lmc scenario validate）。"
    if validation.get("state") == "failed":
        return (f"未通过验证：{LABEL_ZH}的{n}项回溯检验中有{len(failed)}项未通过（{'；'.join(failed)}）；"
                "本次运行使用了 --unvalidated。")
    return f"验证：{LABEL_ZH}尚无回溯检验。"


def _report_zh(folder: Path, spec: ScenarioSpec, res, line: str, calibration_zh: str,
               chart_files: list[str]) -> list[Path]:
    """``report_zh.md`` and ``report_zh.html``: status line first, then title, calibration, sector, the result in
    one sentence, assumptions, the table with Chinese column labels and the charts."""
    from lmc.flows.scenarios import _html_table, _md_table

    t = res.table.rename(columns=res.labels("zh"))
    calibration = (f"校准年份：{res.calibration_year}年（{calibration_zh}）" if res.calibration_year else
                   f"校准：{calibration_zh}")
    meta = f"模型：{LABEL_ZH} · 年份：{spec.year} · {calibration} · 部门：{SECTOR_ZH}"
    assumptions = list(res.assumptions_zh)
    md = [f"**{line}**", "", f"## {res.title_zh}", "", meta, "", res.headline_zh, ""]
    if assumptions:
        md += ["**假设**", ""] + [f"- {a}" for a in assumptions] + [""]
    if res.needed:
        md += ["**估计所需数据**", ""] + [f"- {n}" for n in res.needed_zh] + [""]
    md += [_md_table(t, lang="zh"), ""]
    md += [f"![{Path(c).stem}]({Path(c).name})" for c in chart_files if c.endswith(".png")]
    esc = html.escape
    body = [f"<section class='lmc-scenario' lang='zh' id='{esc(spec.name)}'>", f"<p><strong>{esc(line)}</strong></p>",
            f"<h2>{esc(res.title_zh)}</h2>", f"<p>{esc(meta)}</p>", f"<p>{esc(res.headline_zh)}</p>"]
    if assumptions:
        body.append("<p><strong>假设</strong></p><ul>" + "".join(f"<li>{esc(a)}</li>" for a in assumptions) + "</ul>")
    if res.needed:
        body.append("<p><strong>估计所需数据</strong></p><ul>" + "".join(f"<li>{esc(n)}</li>" for n in res.needed_zh)
                    + "</ul>")
    body.append(_html_table(t, lang="zh"))
    body += [f"<figure><img src='{Path(c).name}' alt='{Path(c).stem}'></figure>" for c in chart_files
             if c.endswith(".svg")]
    body.append("</section>")
    out = [folder / "report_zh.md", folder / "report_zh.html"]
    out[0].write_text("\n".join(md) + "\n", encoding="utf-8")
    out[1].write_text("\n".join(body) + "\n", encoding="utf-8")
    return out



def freight_path(n_draws: int, seed: int, scenario: str | None = None):
    """Cross-border tonnes on the China-Laos Railway from the freight route-choice model, one per railway draw, as a
    :class:`~lmc.flows.railway_finance.FreightPath` for railway finance.

    The path starts in the last year with observed conditions (2025; earlier years keep the railway model's sourced
    ramp) and grows after it at the railway model's own freight growth, so the model sets the level and the
    comparison with the fixed path isolates it. ``scenario`` names a built-in freight route-choice scenario: its
    change (scenario over baseline, per draw) multiplies the tonnes from its year (clearance) or opening year (link).
    """
    import numpy as np

    from lmc.flows.railway_finance import FreightPath
    from lmc.flows.scenarios import builtin_names, load_scenario
    from lmc.freight import scenarios as fs
    from lmc.freight.model import Conditions, fit

    model = fit(n=max(n_draws, 10), seed=seed)
    last = max(model.inputs.years)
    base = model.predict(Conditions(last)).clr_mt
    pick = np.random.default_rng(seed).choice(model.n, n_draws, replace=model.n < n_draws) \
        if model.n != n_draws else np.arange(n_draws)
    effect, effect_year, what = 1.0, None, ""
    if scenario is not None:
        names = [n for n in builtin_names() if load_scenario(n).model == "freight"
                 and load_scenario(n).options.get("question", "route-choice") == "route-choice"]
        if scenario not in names:
            raise ScenarioError(unknown("freight route-choice scenario", scenario, names))
        spec = load_scenario(scenario)
        variable, value = _change(spec)
        if variable == "mohan_clearance_factor":
            effect_year = min(spec.year, last)
            scen = model.predict(Conditions(effect_year, rail_border_factor=value, mohan_road_border_factor=value))
            base_y = model.predict(Conditions(effect_year)).clr_mt
        else:
            effect_year = int(value)
            route = fs.SG_ROUTE.model_copy(update={"available_from": effect_year})
            scen = model.predict(Conditions(effect_year, inputs_year=last),
                                 extra={"clr_thai_sg": (route, ("clr_thai_rail",))})
            base_y = model.predict(Conditions(effect_year, inputs_year=last)).clr_mt
        effect = (scen.clr_mt / base_y)[pick]
        what = f"; with scenario {scenario} from {effect_year} (median x{float(np.median(effect)):.3f})"
    source = (f"freight route-choice model (lmc.freight, calibrated on {model.base_year}): cross-border tonnes in "
              f"{last} x Lao-section tonnes per cross-border tonne, then the railway model's freight growth{what}")
    return FreightPath(years=(last,), mt=base[pick][:, None], source=source, scope="cross_border", grow_after=True,
                       effect_year=effect_year, effect=effect)
