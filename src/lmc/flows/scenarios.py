"""What-if scenarios: a YAML file (name, description, shocks by variable, pair or destination, and year) run
against one of the models, producing tables, PNG/SVG charts and a report section.

Models a scenario can use:

* ``choice``  - destination choice of Chinese travellers with a no-trip option (:mod:`lmc.flows.choice`);
* ``ge``      - structural-gravity GE counterfactual from observed trade (:mod:`lmc.flows.ge`): the Advanced Guide
  panel, manufacturing, 1986-2006, the only open panel with domestic flows in the mirror;
* ``trend``   - a claimed growth path against a PPML trend on sourced observations (:mod:`lmc.flows.trend`);
* ``railway`` - the Laos-China Railway cash-flow model in real terms (:mod:`lmc.flows.railway_finance`);
* ``freight`` - freight route choice along the corridor (:mod:`lmc.freight`, run by :mod:`lmc.flows.freight_scenarios`).

Before anything runs, every name (country, destination, variable, year) and every value and option is checked
against its bounds (:mod:`lmc.flows.schema`). Then the model's back-casts (:mod:`lmc.flows.validation`) decide:
a scenario whose model fails one runs only with ``unvalidated=True`` (CLI ``--unvalidated``), and its report says
so on the first line; every report states its calibration, sector and validation status.
"""

from __future__ import annotations

import html
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError as PydanticValidationError

from lmc import LMC_COUNTRIES, yamldoc
from lmc.errors import unknown
from lmc.flows.errors import ScenarioError
from lmc.flows.labels import label, labels_for
from lmc.flows.schema import (MAX_FILE_BYTES, MAX_TABLE_ROWS, ChoiceOptions, GEOptions, RailwayOptions,
                              ScenarioSpec, ShockSpec, TrendOptions, check_spec)

__all__ = ["ScenarioSpec", "ShockSpec", "ScenarioResult", "UnvalidatedModelError", "builtin_names",
           "list_scenarios", "load_scenario", "run_scenario"]

MODEL_LABELS = {"choice": "destination-choice model", "ge": "GE trade model", "trend": "trend model",
                "railway": "railway finance model", "freight": "freight route-choice model"}


class UnvalidatedModelError(ScenarioError):
    """The scenario's model fails a back-cast and the run did not ask for ``--unvalidated``."""


def builtin_dir():
    return resources.files("lmc.flows").joinpath("scenarios")


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in builtin_dir().iterdir() if p.name.endswith(".yaml"))


def _detail(err: Any) -> str:
    """Pydantic's message, plus the valid field names when a field is unknown, or the range when one is set."""
    if err["type"] != "extra_forbidden":
        ctx = err.get("ctx") or {}
        rng = ", ".join(f"{k} {v}" for k, v in ctx.items() if k in ("ge", "gt", "le", "lt"))
        return f"{err['msg']}" + (f" (allowed: {rng})" if rng else "") + "."
    loc = ".".join(str(x) for x in err["loc"])
    fields = ShockSpec.model_fields if "shocks" in loc or "baseline" in loc else ScenarioSpec.model_fields
    return f"{err['msg']}. Valid fields: " + ", ".join(fields)


def _parse(data: bytes, where: str) -> ScenarioSpec:
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"{where}: {len(data):,} bytes; a scenario file may have at most {MAX_FILE_BYTES:,}")
    try:
        if b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte")
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{where}: not a UTF-8 text file (a scenario is YAML text; is this a binary file?)") from None
    doc = yamldoc.load(text, where=where, error=ScenarioError,
                       syntax="{where}: line {line} not valid YAML: {problem}")
    if not isinstance(doc.data, dict):
        raise ScenarioError(f"{where}: a scenario must be a YAML mapping (name, description, model, year, shocks)")
    try:
        spec = ScenarioSpec(**doc.data)
    except PydanticValidationError as exc:
        raise ScenarioError(yamldoc.pydantic_message(exc, doc, limit=1, detail=_detail,
                                                     template="{where}:{line}: field {field!r}{label}: {msg}")) from exc
    try:
        check_spec(spec)
    except ScenarioError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    return spec


def load_scenario(name_or_file: str | Path) -> ScenarioSpec:
    """A built-in scenario by name, or a scenario YAML file by path (checked against every bound)."""
    s = str(name_or_file)
    if s in builtin_names():
        return _parse(builtin_dir().joinpath(f"{s}.yaml").read_bytes(), f"built-in scenario {s}")
    p = Path(s)
    if p.suffix.lower() in {".yaml", ".yml"} or p.exists():
        if not p.is_file():
            raise ScenarioError(f"{p}: no such scenario file")
        try:
            with p.open("rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise ScenarioError(f"{p}: cannot read ({exc.strerror})") from None
        return _parse(data, str(p))
    raise ScenarioError(unknown("scenario", s, builtin_names()) + " (or give a path to a .yaml file)")


def list_scenarios() -> pd.DataFrame:
    """Built-in scenarios: name, model, year, title."""
    rows = []
    for n in builtin_names():
        s = load_scenario(n)
        rows.append({"name": s.name, "model": s.model, "year": s.year, "title": s.title or s.description.split(".")[0]})
    return pd.DataFrame(rows, columns=["name", "model", "year", "title"])


def _check_year(year: int | None, valid, what: str) -> None:
    valid = list(valid)
    if year is not None and year not in valid:
        raise ScenarioError(f"unknown year {year} for {what}. Valid: {min(valid)}-{max(valid)}"
                            if len(valid) > 12 else f"unknown year {year} for {what}. Valid: {', '.join(map(str, valid))}")


def _shock_years(spec: ScenarioSpec, valid, what: str) -> None:
    for s in [*spec.baseline, *spec.shocks]:
        _check_year(s.year, valid, what)


# --------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ScenarioResult:
    """Tables, headline numbers and a report section for one scenario run; ``files`` lists what was written.

    ``labels`` gives every table column and headline key an English and a Chinese label; ``validation`` the
    model's back-cast status; ``calibration`` and ``sector`` what the model is fitted to.
    """

    name: str
    title: str
    description: str
    model: str
    year: int
    tables: dict[str, pd.DataFrame]
    headline: dict[str, Any]
    report_md: str
    assumptions: tuple[str, ...] = ()
    files: tuple[str, ...] = field(default=())
    calibration: str = ""
    sector: str = ""
    validation: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The main table (the first one)."""
        return next(iter(self.tables.values())).copy()

    def summary_frame(self) -> pd.DataFrame:
        """The report's table: the key columns of the main result (what the CLI prints)."""
        key, cols = _REPORT_COLS[self.model]
        t = self.tables[key]
        return t[[c for c in cols if c in t.columns]].copy()

    def to_dict(self, max_rows: int = MAX_TABLE_ROWS) -> dict[str, Any]:
        """JSON-ready (no NaN); tables cut at ``max_rows`` rows each (their full length in ``table_rows``)."""
        return {"name": self.name, "title": self.title, "description": self.description, "model": self.model,
                "year": self.year, "calibration": self.calibration, "sector": self.sector,
                "validation": self.validation, "headline": self.headline, "assumptions": list(self.assumptions),
                "tables": {k: v.head(max_rows).replace({np.nan: None}).to_dict(orient="records")
                           for k, v in self.tables.items()},
                "table_rows": {k: len(v) for k, v in self.tables.items()},
                "labels": self.labels, "files": list(self.files)}


Progress = Callable[[str], None]
Gate = Callable[[], None]
"""Called by a model once every name of the scenario is checked, before it computes: the back-cast gate."""


def _plain(v: Any) -> Any:
    """numpy scalars -> Python numbers, NaN/inf -> None, recursively (headlines go to JSON)."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def _noop(_: str) -> None:
    return None


@dataclass(frozen=True)
class _Run:
    tables: dict[str, pd.DataFrame]
    headline: dict[str, Any]
    charts: Callable[[Path], list[Path]]
    calibration: str
    sector: str
    title_suffix: str = ""
    status_line: str = ""
    """Set by a run that uses no model: its report's first line instead of a back-cast status."""
    extra_reports: Callable[[Path, dict[str, Any], list[str]], list[Path]] | None = None
    """Writes further reports (e.g. in Chinese) into the output folder: (folder, validation, charts) -> paths."""
    assumptions: tuple[str, ...] = ()
    """The model's own assumptions for this run, listed after the scenario file's."""


# --------------------------------------------------------------------------------------------------- models
def _run_choice(spec: ScenarioSpec, opts: ChoiceOptions, progress: Progress, settings, gate: Gate) -> _Run:
    from lmc.flows import charts
    from lmc.flows.choice import (VARIABLES, YEAR_VARIABLES, Shock, expand_destinations, load_choice_data,
                                  parameter_table, simulate)

    data = load_choice_data()
    valid_years = [*data.condition_years, *range(max(data.condition_years) + 1, 2031)]
    _check_year(spec.year, valid_years, "the destination-choice model (conditions are observed for 2019, 2023 and "
                                        "2024; later years take 2024's)")
    _shock_years(spec, valid_years, "the destination-choice model")

    def conv(items: list[ShockSpec]) -> list[Shock]:
        out = []
        for s in items:
            if s.variable not in VARIABLES:
                raise ScenarioError(f"scenario {spec.name}: " + unknown("variable", s.variable, VARIABLES))
            if not s.destinations and s.variable not in YEAR_VARIABLES:
                raise ScenarioError(f"scenario {spec.name}: shock on {s.variable!r} names no destinations. Valid: "
                                    + ", ".join([*data.destinations, "yunnan", "abroad", "CHN", "LAO", "THA", "VNM"]))
            out.append(Shock(s.variable, s.value, s.op,
                             expand_destinations(s.destinations or [], data) if s.destinations else (),
                             tuple(s.modes or ()), tuple(s.segments or ())))
        return out

    base, shocks = conv(spec.baseline), conv(spec.shocks)
    gate()
    progress(f"calibrating on {opts.calibration_year} and simulating {opts.draws} draws")
    res = simulate(data, calibration_year=opts.calibration_year, year=spec.year, shocks=shocks, baseline_shocks=base,
                   n_draws=opts.draws, seed=opts.seed, settings=settings)
    t = res.to_frame()
    inside = t[t["destination"] != "no_trip"]
    rail = res.by_mode[(res.by_mode["destination"] == "laos") & (res.by_mode["mode"] == "rail")]
    headline = {
        "change_by_destination": {r.destination: round(float(r.change)) for r in t.itertuples()},
        "change_band_by_destination": {r.destination: [round(float(r.change_p05)), round(float(r.change_p95))]
                                       for r in t.itertuples()},
        "new_trips": round(float(inside["change"].sum())),
        "new_trips_band": [round(float(-t.set_index("destination").loc["no_trip", "change_p95"])),
                           round(float(-t.set_index("destination").loc["no_trip", "change_p05"]))],
        "rail_seat_use_scenario_pct": (round(float(rail["seat_use_scenario_pct"].iloc[0]), 1)
                                       if len(rail) and "seat_use_scenario_pct" in rail else None),
        "calibration_year": res.calibration_year, "conditions_year": spec.year, "n_draws": res.n_draws,
        "seed": res.seed,
    }
    tables = {"visitors": t, "by_segment": res.by_segment, "by_mode": res.by_mode, "inputs": parameter_table(data)}
    return _Run(tables, headline, lambda folder: charts.choice_chart(t, folder, spec.title or spec.name,
                                                                     res.calibration_year),
                calibration=f"Chinese arrivals and visitor trips of {res.calibration_year} (sourced); conditions of "
                            f"{min(spec.year, max(data.condition_years))}",
                sector="tourism (Chinese travellers)")


def _ge_links(s: ShockSpec, countries: list[str]) -> tuple[tuple[str, str], ...]:
    for c in [*(s.countries or []), *[x for p in (s.pairs or []) for x in p]]:
        if c not in countries:
            raise ScenarioError(unknown("country", c, countries))
    links: list[tuple[str, str]] = []
    for a, b in s.pairs or []:
        links.append((a, b))
        if s.symmetric:
            links.append((b, a))
    for c in s.countries or []:
        links += [(c, o) for o in countries if o != c] + [(o, c) for o in countries if o != c]
    if not links:
        raise ScenarioError(f"shock on {s.variable!r} names no pairs or countries. Valid countries: {', '.join(countries)}")
    return tuple(dict.fromkeys(links))


def _run_ge(spec: ScenarioSpec, opts: GEOptions, progress: Progress, settings, gate: Gate) -> _Run:
    from lmc.flows import charts
    from lmc.flows.ge import (GE_COUNTRIES_MISSING, GE_FORMULA, GE_NEEDED, GE_SECTOR, ROUTE_CLOSED, LinkShock,
                              ge_scenario, load_ge_panel)
    from lmc.flows.gravity import formula_columns
    from lmc.flows.schema import GE_VARIABLES

    formula = opts.formula or GE_FORMULA
    regressors = [c for c in formula_columns(formula.split("|")[0])[1:]]
    variables = (*regressors, "trade_cost_pct", ROUTE_CLOSED)
    for s in [*spec.baseline, *spec.shocks]:
        if s.variable not in variables:
            raise ScenarioError(f"scenario {spec.name}: " + unknown("variable", s.variable, variables))
    progress("loading the Advanced Guide trade panel")
    d = load_ge_panel(spec.year, settings)
    countries = sorted(set(d["exporter"]) | set(d["importer"]))
    _shock_years(spec, [spec.year], "this GE scenario (shocks apply in the scenario year)")

    def conv(items: list[ShockSpec]) -> list[LinkShock]:
        out = []
        for s in items:
            links = _ge_links(s, countries)
            if s.variable != "trade_cost_pct" and s.op != "set":
                lo, hi, unit = GE_VARIABLES.get(s.variable, (-np.inf, np.inf, ""))
                cur = (d.set_index(["exporter", "importer"])[s.variable] if s.variable != ROUTE_CLOSED
                       else pd.Series(dtype=float))
                vals = [cur.get(lk, 0.0 if s.variable == ROUTE_CLOSED else np.nan) for lk in links]
                new = np.array(vals) + s.value if s.op == "add" else np.array(vals) * s.value
                if np.nanmin(new) < lo or np.nanmax(new) > hi:
                    raise ScenarioError(f"scenario {spec.name}: shock on {s.variable!r} gives values outside "
                                        f"{lo:g} to {hi:g} ({unit})")
            out.append(LinkShock(s.variable, s.value, s.op, links, s.range))
        return out

    base, shocks = conv(spec.baseline), conv(spec.shocks)
    named = [c for sp in spec.shocks for c in [*(sp.countries or []), *[x for p in (sp.pairs or []) for x in p]]]
    focus = opts.focus or (named[0] if named else countries[0])
    if focus not in countries:
        raise ScenarioError(unknown("country", focus, countries))
    gate()
    run = ge_scenario(d, base, shocks, formula=formula, sigma=opts.sigma, sigma_range=opts.sigma_range,
                      cost_spread=opts.cost_spread, draws=opts.draws, seed=opts.seed, focus=focus, progress=progress,
                      settings=settings)
    central = run.central
    bc = central.by_country()
    w = 100 * (run.welfare_draws - 1)
    bc["welfare_p05"], bc["welfare_p95"] = np.percentile(w, 5, axis=0), np.percentile(w, 95, axis=0)
    partners = central.partner_changes(focus)
    with warnings.catch_warnings():  # the focus country's column (exports to itself) is NaN in every draw
        warnings.simplefilter("ignore", RuntimeWarning)
        partners["exports_pct_p05"] = np.nanpercentile(run.focus_exports_draws, 5, axis=0)
        partners["exports_pct_p95"] = np.nanpercentile(run.focus_exports_draws, 95, axis=0)
    lmc = [c for c in LMC_COUNTRIES if c in countries]
    keep = list(dict.fromkeys([*lmc, *named]))[:14]
    welfare_view = bc[bc["country"].isin(keep)].copy()
    fo = run.fitted_vs_observed.set_index("country").loc[focus]
    fi = bc.set_index("country").loc[focus]
    headline = {
        "focus": focus, "sigma": opts.sigma, "year": spec.year, "sector": GE_SECTOR, "nobs": run.gravity.nobs,
        "welfare_pct": {r.country: round(float(r.welfare_pct), 4) for r in welfare_view.itertuples()},
        "welfare_band_focus": [round(float(fi["welfare_p05"]), 4), round(float(fi["welfare_p95"]), 4)],
        "focus_exports_pct": round(float(fi["exports_pct"]), 3),
        "focus_exports_fitted_over_observed": round(float(fo["exports_fitted"] / fo["exports_observed"]), 2),
        "iterations": central.iterations, "n_draws": opts.draws,
    }
    tables = {"by_country": bc, "partners": partners, "coefficients": run.gravity.to_frame(),
              "pairs": central.to_frame(), "fitted_vs_observed": run.fitted_vs_observed}
    missing = [c for c in GE_COUNTRIES_MISSING if c not in countries]
    return _Run(tables, headline, lambda folder: charts.ge_chart(partners, welfare_view, folder,
                                                                spec.title or spec.name, focus),
                calibration=f"observed {spec.year} trade flows incl. domestic sales (Advanced Guide panel); PPML "
                            "trade costs; baseline = observed flows, fitted flows used only for the trade costs",
                sector=f"{GE_SECTOR} ({', '.join(missing)} not in the panel; needed: {GE_NEEDED})",
                title_suffix=f" ({GE_SECTOR}, {spec.year})")


def _run_trend(spec: ScenarioSpec, opts: TrendOptions, progress: Progress, settings, gate: Gate) -> _Run:
    from lmc.flows import charts
    from lmc.flows.schema import TREND_VARIABLES
    from lmc.flows.trend import claim_vs_trend

    horizon = max(opts.horizon or spec.year, 2030)
    _check_year(spec.year, range(2025, horizon + 1), "the trade-claim model (target year within the projection)")
    _shock_years(spec, range(2015, horizon + 1), "the trade-claim model")
    kw: dict[str, Any] = {}
    for s in spec.shocks:
        if s.variable not in TREND_VARIABLES:
            raise ScenarioError(f"scenario {spec.name}: " + unknown("variable", s.variable, TREND_VARIABLES))
        kw[s.variable] = int(s.value) if s.variable == "base_year" else s.value
    gate()
    progress("fitting the PPML trend to sourced observations")
    r = claim_vs_trend(horizon=horizon, window=opts.window, **kw)
    t = r.to_frame()
    row = t.set_index("year").loc[spec.year]
    headline = {"trend_growth_pct": round(r.growth_pct, 2), "trend_growth_ci_pct": [round(x, 2) for x in r.growth_ci_pct],
                "claim_growth_pct": r.claim_growth_pct, "claim_inside_ci": r.claim_inside_ci,
                f"claim_{spec.year}_usd_bn": round(float(row["claim_usd_bn"]), 3),
                f"trend_{spec.year}_usd_bn": round(float(row["trend_usd_bn"]), 3),
                "window": list(r.window), "n_obs": r.n_obs}
    tables = {"path": t, "observations": r.observations}
    return _Run(tables, headline, lambda folder: charts.trend_chart(t, folder, spec.title or spec.name),
                calibration=f"sourced full-year observations {r.window[0]}-{r.window[1]} ({r.n_obs} values, "
                            "several reporting bases)",
                sector="merchandise exports, Laos to China")


def _run_railway(spec: ScenarioSpec, opts: RailwayOptions, progress: Progress, settings, gate: Gate) -> _Run:
    from lmc.flows import charts
    from lmc.flows.railway_finance import load_inputs, run_railway_finance

    inputs = load_inputs()
    _check_year(spec.year, inputs.years, "the railway model (concession years)")
    _shock_years(spec, inputs.years, "the railway model (concession years)")
    overrides: dict[str, float] = {}
    modes = inputs.modes()
    for s in [*spec.baseline, *spec.shocks]:
        if s.variable not in inputs.ranges:
            raise ScenarioError(f"scenario {spec.name}: " + unknown("variable", s.variable, inputs.ranges))
        cur = overrides.get(s.variable, modes[s.variable])
        new = s.value if s.op == "set" else cur + s.value if s.op == "add" else cur * s.value
        lo, hi = inputs.bounds[s.variable]
        if not lo <= new <= hi:
            raise ScenarioError(f"scenario {spec.name}: {s.variable} would become {new:g}; allowed {lo:g} to {hi:g}")
        overrides[s.variable] = new
    gate()
    freight, freight_status = None, "not used (fixed path)"
    if opts.freight_source == "model":
        from lmc.flows.freight_scenarios import freight_path
        from lmc.flows.validation import model_status

        progress("reading Lao-section freight from the freight route-choice model")
        freight = freight_path(opts.draws, opts.seed, opts.freight_scenario)
        fs = model_status("freight", settings=settings)
        freight_status = (f"{fs.n_checks - len(fs.failed)} of {fs.n_checks} back-casts pass"
                          + (f" (fails: {'; '.join(fs.failed)})" if fs.failed else ""))
    progress(f"projecting cash flows and {opts.draws} Monte Carlo draws")
    r = run_railway_finance(overrides, n_draws=opts.draws, seed=opts.seed,
                            fare_real_growth_pct=opts.fare_real_growth_pct,
                            tariff_real_growth_pct=opts.tariff_real_growth_pct, freight=freight)
    summ = r.summary().set_index("measure")
    m = r.measures.iloc[0]
    be = r.break_even.set_index("year")
    peak = r.break_even[r.break_even["peak_debt_service_year"]].iloc[0]
    headline = {
        "debt_service_year": r.debt_service_year, "payback_year": r.payback_year,
        "share_never_pays_back": round(float(summ.loc["payback_year", "share_never"]), 3),
        "payback_p50": summ.loc["payback_year", "p50"],
        "min_dscr": round(float(m["min_dscr"]), 2), "dscr_2030": round(float(m["dscr_2030"]), 2),
        "equity_irr_pct": round(float(m["equity_irr_pct"]), 2),
        "equity_irr_band_pct": [round(float(summ.loc["equity_irr_pct", "p05"]), 2),
                                round(float(summ.loc["equity_irr_pct", "p95"]), 2)],
        "npv_equity_musd": round(float(m["npv_equity_musd"]), 1),
        "freight_break_even_operating_mt_2030": round(float(be.loc[2030, "break_even_operating_mt"]), 2),
        "freight_break_even_debt_mt_peak": round(float(peak["break_even_debt_mt"]), 2),
        "claimed_2mt_needs_tariff_usd_per_t": round(float(be.loc[2030, "tariff_for_claimed_2mt_usd_per_t"]), 1),
        "largest_unknowns": list(r.tornado["input"].head(3)), "n_draws": r.n_draws,
        "fare_real_growth_pct": opts.fare_real_growth_pct, "tariff_real_growth_pct": opts.tariff_real_growth_pct,
        "freight_source": r.freight_source, "freight_model_validation": freight_status,
        "freight_scenario": opts.freight_scenario,
    }
    tables = {"projection": r.projection, "break_even_summary": r.summary(), "freight_break_even": r.break_even,
              "tornado": r.tornado, "inputs": r.inputs}
    return _Run(tables, headline, lambda folder: charts.railway_charts(r.projection, r.mc, r.tornado, folder,
                                                                      spec.title or spec.name),
                calibration=("traffic 2022-2024 (sourced ramp); freight from 2025: the freight route-choice model's "
                             "tonnes (calibrated on 2023), then growth ranges" if freight is not None else
                             "traffic 2022-2025 (sourced ramp, then growth ranges)") + "; 2024 prices; no published "
                            "accounts",
                sector="rail transport, passengers and freight (Lao section, LCRC)")


def _run_freight(spec: ScenarioSpec, opts, progress: Progress, settings, gate: Gate) -> _Run:
    from lmc.flows.freight_scenarios import run_freight

    return run_freight(spec, opts, progress, settings, gate)


_RUNNERS: dict[str, Callable[..., _Run]] = {"choice": _run_choice, "ge": _run_ge, "trend": _run_trend,
                                            "railway": _run_railway, "freight": _run_freight}


# --------------------------------------------------------------------------------------------------- report + run
def _fmt(v: Any, lang: str = "en") -> str:
    """A value as a report shows it: three significant digits (thousands separated from 1,000), yes/no for
    booleans, a two-number band as "low to high", a mapping as "label: value; ..."; the machine-readable files keep
    full precision."""
    if isinstance(v, (bool, np.bool_)):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return ""
        if float(v).is_integer() and 1900 <= v <= 2100:
            return str(int(v))  # a year held as a float
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"
    if isinstance(v, (int, np.integer)):
        return str(v) if 1900 <= v <= 2100 else f"{v:,}"  # a year stays a year; a count gets its separators
    if isinstance(v, dict):
        return "; ".join(f"{label(str(k), lang)}: {_fmt(x, lang)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        if len(v) == 2 and all(isinstance(x, (int, float, np.number)) and not isinstance(x, bool) for x in v):
            return f"{_fmt(v[0], lang)} {'至' if lang == 'zh' else 'to'} {_fmt(v[1], lang)}"
        return ", ".join(_fmt(x, lang) for x in v)
    return "" if v is None else str(v)


def headline_items(headline: dict[str, Any]) -> list[tuple[str, str]]:
    """The headline as (English label, formatted value); Chinese-only entries (``*_zh``) belong to the Chinese
    report."""
    return [(label(k, "en"), _fmt(v)) for k, v in headline.items() if not k.endswith("_zh")]


def _md_table(df: pd.DataFrame, max_rows: int = 15, lang: str = "en") -> str:
    """A Markdown table with labelled columns (a column already labelled keeps its name) and formatted values."""
    d = df.head(max_rows)
    head = "| " + " | ".join(label(str(c), lang) for c in d.columns) + " |\n|" + "---|" * len(d.columns) + "\n"
    return head + "".join("| " + " | ".join(_fmt(v, lang) for v in row) + " |\n"
                          for row in d.itertuples(index=False))


def _html_table(df: pd.DataFrame, max_rows: int = 15, lang: str = "en") -> str:
    """The same table as HTML."""
    d = df.head(max_rows).rename(columns=lambda c: label(str(c), lang))
    return d.to_html(index=False, formatters=[lambda v: _fmt(v, lang)] * d.shape[1], na_rep="")


_REPORT_COLS = {
    "choice": ("visitors", ["label", "visitors_baseline", "visitors_scenario", "change", "change_p05", "change_p95",
                            "band_note"]),
    "ge": ("by_country", ["country", "exports_pct", "imports_pct", "output_pct", "welfare_pct", "welfare_p05",
                          "welfare_p95"]),
    "trend": ("path", ["year", "claim_usd_bn", "trend_usd_bn", "trend_low_usd_bn", "trend_high_usd_bn",
                       "observed_min_usd_bn", "observed_max_usd_bn"]),
    "railway": ("break_even_summary", ["measure", "central", "share_reached", "share_never", "p05", "p50", "p95",
                                       "note"]),
    "freight": ("result", ["quantity", "measure", "period", "year", "link_open", "unit", "value", "baseline_median",
                           "scenario_median", "change_median", "change_p05", "change_p95", "change_pct",
                           "clr_baseline_mt", "clr_scenario_mt", "clr_change_mt", "clr_change_p05", "clr_change_p95",
                           "bkk_rail_change_mt", "capacity_binds_share", "basis"]),
}

_BASIS = {
    "choice": "Nested logit of Yunnan residents and the rest of China choosing Xishuangbanna, Pu'er, Laos, Thailand, "
              "Vietnam or no trip, by air, rail or road, with cross-border train seats as a constraint; calibrated to "
              "sourced arrivals; visa effect estimated from Thailand's 2023 waiver; other tastes are labelled "
              "assumptions drawn from wide ranges (src/lmc/flows/data/choice_corridor.yaml).",
    "ge": "Structural gravity on Yotov, Piermartini, Monteiro & Larch (2016), An Advanced Guide to Trade Policy "
          "Analysis, WTO/UNCTAD; observed flows as the baseline, PPML with exporter and importer fixed effects for "
          "the trade costs; GE by fixed point.",
    "trend": "Sourced full-year Lao export figures (src/lmc/flows/data/lao_china_trade.yaml); PPML exponential trend "
             "with Student-t intervals.",
    "railway": "Real-terms cash-flow model of LCRC with sourced/derived ranges and marked assumptions, equity "
               "included (src/lmc/flows/data/railway_finance.yaml; facts: shared/facts/china_laos_railway.yaml).",
    "freight": "Multinomial logit of shippers in Kunming, Chengdu/Chongqing and the Pearl River Delta choosing the "
               "China-Laos Railway, the Land-Sea Corridor, road via Mohan or Hekou, or all-sea; sourced legs, tariffs "
               "and border times, labelled assumptions drawn from ranges (src/lmc/freight/data/routes.yaml); railway "
               "capacity from counted trains; calibrated per draw to 2023 volumes.",
}


def _railway_notes(tables: dict[str, pd.DataFrame], headline: dict) -> list[str]:
    be = tables["freight_break_even"].set_index("year")
    peak = tables["freight_break_even"][tables["freight_break_even"]["peak_debt_service_year"]].iloc[0]
    y = 2030
    return ["**Freight break-even, derived.** Freight revenue must cover operating cost net of passenger revenue "
            f"(operating break-even: {be.loc[y, 'break_even_operating_mt']:.1f} Mt in {y} at "
            f"US${be.loc[y, 'tariff_usd_per_t']:.0f}/t) and, to service the loan, the debt due as well "
            f"({be.loc[y, 'break_even_debt_mt']:.1f} Mt in {y}; {peak['break_even_debt_mt']:.1f} Mt in "
            f"{int(peak['year'])}, the year of peak debt service). The ~2 Mt quoted in 2024 covers operating cost "
            f"only if the average tariff is about US${be.loc[y, 'tariff_for_claimed_2mt_usd_per_t']:.0f}/t, and "
            "covers no debt service: it is an operating break-even, not a financial one.",
            f"**Where the freight tonnes come from.** {headline.get('freight_source')} (freight model's back-casts: "
            f"{headline.get('freight_model_validation')}). Run with options freight_source: fixed for the railway "
            "model's own path, for comparison."]


def _report(spec: ScenarioSpec, run: _Run, headline: dict, status_line: str, charts: list[str]) -> str:
    key, cols = _REPORT_COLS[spec.model]
    t = run.tables[key]
    if spec.model == "ge":
        t = t.reindex(t["welfare_pct"].abs().sort_values(ascending=False).index)
    lines = [f"**{status_line}**", "", f"## {spec.title or spec.name}{run.title_suffix}", "", spec.description.strip(),
             "", f"*Model:* {spec.model} · *year:* {spec.year} · *calibration:* {run.calibration} · "
                 f"*sector:* {run.sector}", "", f"*Basis:* {_BASIS[spec.model]}", "", "**Headline**", ""]
    lines += [f"- {k}: {v}" for k, v in headline_items(headline)]
    if spec.model == "railway":
        lines += [""] + _railway_notes(run.tables, headline)
    if spec.assumptions or run.assumptions:
        lines += ["", "**Assumptions of this scenario**", ""] + [f"- {a}" for a in (*spec.assumptions, *run.assumptions)]
    lines += ["", _md_table(t[[c for c in cols if c in t.columns]])]
    lines += [f"![{Path(c).stem}]({Path(c).name})" for c in charts if c.endswith(".png")]
    return "\n".join(lines) + "\n"


def _html(spec: ScenarioSpec, run: _Run, headline: dict, status_line: str, charts: list[str]) -> str:
    key, cols = _REPORT_COLS[spec.model]
    t = run.tables[key]
    esc = html.escape
    body = [f"<section class='lmc-scenario' id='{esc(spec.name)}'>", f"<p><strong>{esc(status_line)}</strong></p>",
            f"<h2>{esc((spec.title or spec.name) + run.title_suffix)}</h2>", f"<p>{esc(spec.description.strip())}</p>",
            f"<p><em>Model:</em> {spec.model} · <em>year:</em> {spec.year} · <em>calibration:</em> "
            f"{esc(run.calibration)} · <em>sector:</em> {esc(run.sector)}</p>",
            f"<p><em>Basis:</em> {esc(_BASIS[spec.model])}</p>",
            "<ul>" + "".join(f"<li>{esc(k)}: {esc(v)}</li>" for k, v in headline_items(headline)) + "</ul>"]
    if spec.model == "railway":
        body += [f"<p>{esc(n.replace('**', ''))}</p>" for n in _railway_notes(run.tables, headline)]
    if spec.assumptions or run.assumptions:
        body.append("<p><strong>Assumptions</strong></p><ul>" + "".join(f"<li>{esc(a)}</li>" for a in
                                                                       (*spec.assumptions, *run.assumptions)) + "</ul>")
    body.append(_html_table(t[[c for c in cols if c in t.columns]]))
    body += [f"<figure><img src='{Path(c).name}' alt='{Path(c).stem}'></figure>" for c in charts if c.endswith(".svg")]
    body.append("</section>")
    return "\n".join(body) + "\n"


def _write_outputs(out_dir: Path, spec: ScenarioSpec, run: _Run, headline: dict, status_line: str,
                   meta: dict[str, Any]) -> tuple[str, list[str]]:
    """Write tables, charts and the report into ``out_dir`` atomically (temp folder, then swap)."""
    import os
    import shutil
    import tempfile

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for k, t in run.tables.items():
            t.to_csv(tmp / f"{k}.csv", index=False)
        charts = [str(p) for p in run.charts(tmp)]
        report = _report(spec, run, headline, status_line, charts)
        (tmp / "report.md").write_text(report, encoding="utf-8")
        (tmp / "report.html").write_text(_html(spec, run, headline, status_line, charts), encoding="utf-8")
        if run.extra_reports is not None:
            run.extra_reports(tmp, meta["validation"], charts)
        (tmp / "result.json").write_text(json.dumps({"name": spec.name, "model": spec.model, "year": spec.year,
                                                     **meta, "headline": headline}, indent=2, default=str,
                                                    ensure_ascii=False), encoding="utf-8")
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old.{os.getpid()}")
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    files = sorted(str(out_dir / p.name) for p in out_dir.iterdir())
    return report, files


def run_scenario(scenario: str | Path | ScenarioSpec, out_dir: str | Path | None = None, *, settings=None,
                 progress: Progress | None = None, unvalidated: bool = False) -> ScenarioResult:
    """Check, validate and run a scenario; with ``out_dir`` write CSV tables, PNG/SVG charts and report.md/.html.

    Every bound is checked first (also for a spec changed in memory, as the web does). A model that fails one of
    its back-casts raises :class:`UnvalidatedModelError` unless ``unvalidated`` is true; the report's first line
    states the validation status in every case.
    """
    from lmc.flows.validation import model_status

    spec = scenario if isinstance(scenario, ScenarioSpec) else load_scenario(scenario)
    opts = check_spec(spec)
    progress = progress or _noop
    found: list = []

    def gate() -> None:
        """Called by the model once every name is checked, before any computation: the back-cast gate."""
        progress(f"checking the {MODEL_LABELS[spec.model]} against its back-casts")
        status = model_status(spec.model, settings=settings)
        if status.state == "failed" and not unvalidated:
            raise UnvalidatedModelError(
                f"scenario {spec.name}: the {MODEL_LABELS[spec.model]} fails {len(status.failed)} of its "
                f"{status.n_checks} back-casts ({'; '.join(status.failed)}); see `lmc scenario validate`. "
                "Run with --unvalidated to run it anyway (its report will say so on the first line).")
        found.append(status)

    run = _RUNNERS[spec.model](spec, opts, progress, settings, gate)
    if run.status_line:  # the run used no model: no back-cast status applies
        from lmc.flows.validation import ModelStatus

        status, status_line = ModelStatus(model=spec.model, state="none"), run.status_line
    else:
        status = found[0]
        status_line = status.line(MODEL_LABELS[spec.model])
    for k, t in run.tables.items():
        if len(t) > MAX_TABLE_ROWS:
            raise ScenarioError(f"scenario {spec.name}: table {k!r} has {len(t):,} rows (limit {MAX_TABLE_ROWS:,})")
    headline = {"validation": status.state, **{k: _plain(v) for k, v in run.headline.items()}}
    meta = {"calibration": run.calibration, "sector": run.sector, "validation": status.to_dict()}
    files: list[str] = []
    if out_dir is not None:
        progress("writing tables, charts and the report")
        report, files = _write_outputs(Path(out_dir), spec, run, headline, status_line, meta)
    else:
        report = _report(spec, run, headline, status_line, [])
    keys = [c for t in run.tables.values() for c in t.columns] + list(headline)
    return ScenarioResult(name=spec.name, title=(spec.title or spec.name) + run.title_suffix,
                          description=spec.description.strip(), model=spec.model, year=spec.year, tables=run.tables,
                          headline=headline, report_md=report, assumptions=(*spec.assumptions, *run.assumptions),
                          files=tuple(files), calibration=run.calibration, sector=run.sector,
                          validation=status.to_dict(), labels=labels_for(keys))
