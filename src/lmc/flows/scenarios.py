"""What-if scenarios: a YAML file (name, description, shocks by variable, pair or destination, and year) run
against one of the estimated models, producing tables, PNG/SVG charts and a report section.

Models a scenario can use:

* ``choice``  - nested-logit destination choice of Chinese visitors (:mod:`lmc.flows.choice`);
* ``ge``      - structural-gravity GE counterfactual on the Advanced Guide trade panel (:mod:`lmc.flows.ge`),
  PPML coefficients estimated on the scenario year, uncertainty from coefficient draws;
* ``trend``   - a claimed growth path against a PPML trend on sourced observations (:mod:`lmc.flows.trend`);
* ``railway`` - the Laos-China Railway cash-flow model (:mod:`lmc.flows.railway_finance`).

Every name in a scenario is checked before anything runs: an unknown country, destination, variable or year raises
:class:`ScenarioError` listing the valid ones (with a did-you-mean). Built-in scenarios live beside this module in
``scenarios/*.yaml``; ``lmc scenario list`` shows them.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from lmc import yamldoc
from lmc.errors import unknown
from lmc.flows.errors import ScenarioError

Model = Literal["choice", "ge", "trend", "railway"]
CHOICE_YEARS = tuple(range(2023, 2031))
TREND_YEARS = tuple(range(2015, 2041))
GE_FORMULA = "trade ~ ln_dist + cntg + lang + clny + rta + intl_brdr | exporter + importer"
GE_MIRROR_FILE = "trade_agtpa/Chapter2Application2.dta"


class ShockSpec(BaseModel):
    """One shock: ``variable`` changed by ``op`` (set/add/scale) to/by ``value`` for some units in ``year``.

    Units: ``destinations`` (choice model: ids, nests or ISO3 countries), ``pairs`` ([exporter, importer]; with
    ``symmetric`` both directions) or ``countries`` (GE: every international pair involving them).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    variable: str
    value: float
    op: Literal["set", "add", "scale"] = "set"
    year: int | None = None
    destinations: list[str] | None = None
    pairs: list[tuple[str, str]] | None = None
    countries: list[str] | None = None
    symmetric: bool = True
    note: str | None = None


class ScenarioSpec(BaseModel):
    """A scenario file. ``baseline`` shocks (optional) define the starting point relative to the calibrated model;
    ``shocks`` define the scenario relative to that baseline."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str | None = None
    description: str
    model: Model
    year: int
    baseline: list[ShockSpec] = []
    shocks: list[ShockSpec] = []
    options: dict[str, Any] = {}
    assumptions: list[str] = []


def builtin_dir():
    return resources.files("lmc.flows").joinpath("scenarios")


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in builtin_dir().iterdir() if p.name.endswith(".yaml"))


def _detail(err: Any) -> str:
    """Pydantic's message, plus the valid field names when a field is unknown."""
    if err["type"] != "extra_forbidden":
        return f"{err['msg']}."
    loc = ".".join(str(x) for x in err["loc"])
    fields = ShockSpec.model_fields if "shocks" in loc or "baseline" in loc else ScenarioSpec.model_fields
    return f"{err['msg']}. Valid fields: " + ", ".join(fields)


def _parse(text: str, where: str) -> ScenarioSpec:
    doc = yamldoc.load(text, where=where, error=ScenarioError,
                       syntax="{where}: line {line} not valid YAML: {problem}")
    if not isinstance(doc.data, dict):
        raise ScenarioError(f"{where}: a scenario must be a YAML mapping (name, description, model, year, shocks)")
    try:
        return ScenarioSpec(**doc.data)
    except PydanticValidationError as exc:
        raise ScenarioError(yamldoc.pydantic_message(exc, doc, limit=1, detail=_detail,
                                                     template="{where}:{line}: field {field!r}{label}: {msg}")) from exc


def load_scenario(name_or_file: str | Path) -> ScenarioSpec:
    """A built-in scenario by name, or a scenario YAML file by path."""
    s = str(name_or_file)
    if s in builtin_names():
        return _parse(builtin_dir().joinpath(f"{s}.yaml").read_text(encoding="utf-8"), f"built-in scenario {s}")
    p = Path(s)
    if p.suffix.lower() in {".yaml", ".yml"} or p.exists():
        if not p.is_file():
            raise ScenarioError(f"{p}: no such scenario file")
        return _parse(p.read_text(encoding="utf-8"), str(p))
    raise ScenarioError(unknown("scenario", s, builtin_names()) + " (or give a path to a .yaml file)")


def list_scenarios() -> pd.DataFrame:
    """Built-in scenarios: name, model, year, title."""
    rows = []
    for n in builtin_names():
        s = load_scenario(n)
        rows.append({"name": s.name, "model": s.model, "year": s.year, "title": s.title or s.description.split(".")[0]})
    return pd.DataFrame(rows, columns=["name", "model", "year", "title"])


# --------------------------------------------------------------------------------------------------- validation
def _check_year(year: int | None, valid: tuple[int, ...] | list[int], what: str) -> None:
    if year is not None and year not in valid:
        raise ScenarioError(f"unknown year {year} for {what}. Valid: {min(valid)}-{max(valid)}"
                            if len(valid) > 12 else f"unknown year {year} for {what}. Valid: {', '.join(map(str, valid))}")


def _check_shocks(spec: ScenarioSpec, variables: tuple[str, ...] | list[str], years, what: str) -> None:
    _check_year(spec.year, years, what)
    for s in [*spec.baseline, *spec.shocks]:
        if s.variable not in variables:
            raise ScenarioError(f"scenario {spec.name}: " + unknown("variable", s.variable, variables))
        _check_year(s.year, years, what)


# --------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ScenarioResult:
    """Tables, headline numbers and a report section for one scenario run; ``files`` lists what was written."""

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

    def to_frame(self) -> pd.DataFrame:
        """The main table (the first one)."""
        return next(iter(self.tables.values())).copy()

    def summary_frame(self) -> pd.DataFrame:
        """The report's table: the key columns of the main result (what the CLI prints)."""
        key, cols = _REPORT_COLS[self.model]
        t = self.tables[key]
        return t[[c for c in cols if c in t.columns]].copy()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description, "model": self.model,
                "year": self.year, "headline": self.headline, "assumptions": list(self.assumptions),
                "tables": {k: v.replace({np.nan: None}).to_dict(orient="records") for k, v in self.tables.items()},
                "files": list(self.files)}


Progress = Callable[[str], None]


def _plain(v: Any) -> Any:
    """numpy scalars -> Python numbers, NaN -> None, recursively (headlines go to JSON)."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    return v


def _noop(_: str) -> None:
    return None


# --------------------------------------------------------------------------------------------------- models
def _run_choice(spec: ScenarioSpec, progress: Progress) -> tuple[dict[str, pd.DataFrame], dict, Callable]:
    from lmc.flows import charts
    from lmc.flows.choice import VARIABLES, Shock, expand_destinations, load_choice_data, simulate

    _check_shocks(spec, VARIABLES, CHOICE_YEARS, "the destination-choice model (calibrated to 2024)")
    data = load_choice_data()

    def conv(items: list[ShockSpec]) -> list[Shock]:
        out = []
        for s in items:
            if not s.destinations:
                raise ScenarioError(f"scenario {spec.name}: shock on {s.variable!r} names no destinations. Valid: "
                                    + ", ".join([*data.destinations.index, *sorted(set(data.destinations['nest']))]))
            out.append(Shock(s.variable, expand_destinations(s.destinations, data.destinations), s.value, s.op))
        return out

    progress("calibrating and simulating the nested logit")
    res = simulate(data, conv(spec.shocks), baseline_shocks=conv(spec.baseline),
                   n_draws=int(spec.options.get("draws", 200)), seed=int(spec.options.get("seed", 0)))
    t = res.to_frame().reset_index()
    by_nest = t.groupby("nest", sort=False)[["visitors_baseline", "visitors_scenario", "change"]].sum().reset_index()
    headline = {
        "change_by_destination": {r.destination: round(float(r.change)) for r in t.itertuples()},
        "change_by_nest": {r.nest: round(float(r.change)) for r in by_nest.itertuples()},
        "n_draws": res.n_draws, "seed": res.seed, "calibration_year": res.base_year,
    }
    inputs = data.destinations.reset_index()[["destination", "label", "nest", "travel_time_h", "cost_cny",
                                              "visa_required", "heritage_sites"]]
    tables = {"visitors": t, "by_nest": by_nest, "inputs": inputs}
    return tables, headline, lambda folder: charts.choice_chart(t, folder, spec.title or spec.name)


def _mirror_file(rel: str, settings) -> Path:
    from lmc.config import get_settings

    settings = settings or get_settings()
    tried = []
    for m in settings.mirrors:
        if "://" in m:
            continue
        p = Path(m) / rel
        tried.append(str(p))
        if p.is_file():
            return p
    raise ScenarioError(f"reference trade data {rel!r} not found in the configured mirrors ({', '.join(tried) or 'none'}); "
                        "set LMC_MIRROR to the shared data mirror")


def load_ge_panel(year: int, settings=None) -> pd.DataFrame:
    """The Advanced Guide panel (69 countries incl. CHN, MMR, THA; domestic flows included) for one year."""
    d = pd.read_stata(_mirror_file(GE_MIRROR_FILE, settings))
    years = sorted(int(y) for y in d["year"].unique())
    _check_year(year, years, "the GE trade model (Advanced Guide panel)")
    d = d[d["year"] == year].copy()
    d["exporter"] = d["exporter"].astype(str)
    d["importer"] = d["importer"].astype(str)
    d = d.rename(columns={"CNTG": "cntg", "LANG": "lang", "CLNY": "clny", "RTA": "rta"})
    d["ln_dist"] = np.log(d["DIST"])
    d["intl_brdr"] = (d["exporter"] != d["importer"]).astype(float)
    return d.reset_index(drop=True)


def _ge_pairs(s: ShockSpec, countries: list[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for c in [*(s.countries or []), *[x for p in (s.pairs or []) for x in p]]:
        if c not in countries:
            raise ScenarioError(unknown("country", c, countries))
    for a, b in s.pairs or []:
        pairs.append((a, b))
        if s.symmetric:
            pairs.append((b, a))
    for c in s.countries or []:
        pairs += [(c, o) for o in countries if o != c] + [(o, c) for o in countries if o != c]
    if not pairs:
        raise ScenarioError(f"shock on {s.variable!r} names no pairs or countries. Valid countries: {', '.join(countries)}")
    return list(dict.fromkeys(pairs))


def _run_ge(spec: ScenarioSpec, progress: Progress, settings=None) -> tuple[dict[str, pd.DataFrame], dict, Callable]:
    from lmc.flows import charts
    from lmc.flows.ge import ge_counterfactual
    from lmc.flows.gravity import fit_gravity, formula_columns

    formula = spec.options.get("formula", GE_FORMULA)
    regressors = [c for c in formula_columns(formula.split("|")[0])[1:]]
    variables = (*regressors, "trade_cost_pct")
    for s in [*spec.baseline, *spec.shocks]:
        if s.variable not in variables:
            raise ScenarioError(f"scenario {spec.name}: " + unknown("variable", s.variable, variables))
    progress("loading the Advanced Guide trade panel")
    d = load_ge_panel(spec.year, settings)
    countries = sorted(set(d["exporter"]) | set(d["importer"]))
    for s in [*spec.baseline, *spec.shocks]:
        _check_year(s.year, [spec.year], "this GE scenario (shocks apply in the scenario year)")
        _ge_pairs(s, countries)
    focus = spec.options.get("focus", (spec.shocks[0].countries or [spec.shocks[0].pairs[0][0]])[0] if spec.shocks else countries[0])
    if focus not in countries:
        raise ScenarioError(unknown("country", focus, countries))
    progress(f"estimating PPML on {len(d):,} flows ({spec.year})")
    res = fit_gravity(d, formula)
    sigma = float(spec.options.get("sigma", 7.0))
    n = len(countries)
    idx = {c: i for i, c in enumerate(countries)}
    ei, ii = d["exporter"].map(idx).to_numpy(), d["importer"].map(idx).to_numpy()
    X = np.zeros((n, n))
    X[ei, ii] = res.predict()        # baseline = fitted flows (PPML preserves each country's output and spending)
    X = np.nan_to_num(X)

    def deltas(items: list[ShockSpec]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        dx = {v: np.zeros((n, n)) for v in regressors}
        pct = np.zeros((n, n))
        base = {v: np.zeros((n, n)) for v in regressors}
        for v in regressors:
            base[v][ei, ii] = d[v].to_numpy(dtype=float)
        cur = {v: base[v].copy() for v in regressors}
        for s in items:
            for a, b in _ge_pairs(s, countries):
                i, j = idx[a], idx[b]
                if s.variable == "trade_cost_pct":  # ad valorem; successive shocks compound unless op is set
                    pct[i, j] = s.value if s.op == "set" else 100 * ((1 + pct[i, j] / 100) * (1 + s.value / 100) - 1)
                    continue
                m = cur[s.variable]
                m[i, j] = s.value if s.op == "set" else m[i, j] + s.value if s.op == "add" else m[i, j] * s.value
        for v in regressors:
            dx[v] = cur[v] - base[v]
        return dx, pct

    dx0, pct0 = deltas(spec.baseline)
    dx1, pct1 = deltas([*spec.baseline, *spec.shocks])

    def tau(beta: dict[str, float], sig: float, dx, pct) -> np.ndarray:
        lin = sum(beta[v] * dx[v] for v in regressors)
        return np.exp(lin) * (1 + pct / 100) ** (1 - sig)

    def solve(beta: dict[str, float], sig: float):
        t0 = tau(beta, sig, dx0, pct0)
        X0 = X                               # the baseline itself may be shocked (e.g. before a reopening)
        if not np.allclose(t0, 1):
            X0 = ge_counterfactual(X, t0, countries, sigma=sig).full
        return ge_counterfactual(X0, tau(beta, sig, dx1, pct1) / np.where(t0 > 0, t0, 1), countries, sigma=sig)

    progress("solving the GE fixed point")
    central = solve(res.coef, sigma)
    draws = int(spec.options.get("draws", 100))
    rng = np.random.default_rng(int(spec.options.get("seed", 0)))
    cd = res.coef_draws(draws, seed=int(spec.options.get("seed", 0)))
    lo_s, hi_s = spec.options.get("sigma_range", [5.0, 9.0])
    welf, exp_focus = [], []
    progress(f"{draws} draws of coefficients and sigma")
    for k in range(draws):
        r = solve(cd.iloc[k].to_dict(), float(rng.uniform(lo_s, hi_s)))
        welf.append(r.welfare_hat)
        exp_focus.append(r.partner_changes(focus)["exports_pct"].to_numpy())
    bc = central.by_country()
    if draws:
        w = 100 * (np.array(welf) - 1)
        bc["welfare_p05"], bc["welfare_p95"] = np.percentile(w, 5, axis=0), np.percentile(w, 95, axis=0)
    partners = central.partner_changes(focus)
    if draws:
        e = np.array(exp_focus)
        with np.errstate(invalid="ignore"):
            partners["exports_pct_p05"] = np.nanpercentile(e, 5, axis=0)
            partners["exports_pct_p95"] = np.nanpercentile(e, 95, axis=0)
    shocked = sorted({c for s in spec.shocks for p in _ge_pairs(s, countries) for c in p
                      if c in (s.countries or []) or s.pairs})
    lmc = [c for c in ("CHN", "MMR", "LAO", "THA", "KHM", "VNM") if c in countries]
    keep = list(dict.fromkeys([*lmc, *shocked[:8]]))
    welfare_view = bc[bc["country"].isin(keep)].copy()
    coef = res.to_frame()
    headline = {
        "focus": focus, "sigma": sigma, "year": spec.year, "nobs": res.nobs,
        "welfare_pct": {r.country: round(float(r.welfare_pct), 4) for r in welfare_view.itertuples()},
        "focus_exports_pct": round(float(central.by_country().set_index("country").loc[focus, "exports_pct"]), 3),
        "iterations": central.iterations, "n_draws": draws,
    }
    tables = {"by_country": bc, "partners": partners, "coefficients": coef, "pairs": central.to_frame()}
    return tables, headline, lambda folder: charts.ge_chart(partners, welfare_view, folder,
                                                           spec.title or spec.name, focus)


def _run_trend(spec: ScenarioSpec, progress: Progress) -> tuple[dict[str, pd.DataFrame], dict, Callable]:
    from lmc.flows import charts
    from lmc.flows.trend import claim_vs_trend

    variables = ("base_value_usd", "growth_pct", "base_year")
    _check_shocks(spec, variables, TREND_YEARS, "the trade-claim model")
    kw: dict[str, Any] = {}
    for s in spec.shocks:
        kw[s.variable] = int(s.value) if s.variable == "base_year" else s.value
    progress("fitting the PPML trend to sourced observations")
    r = claim_vs_trend(horizon=int(spec.options.get("horizon", max(spec.year, 2030))), **kw)
    t = r.to_frame()
    row = t.set_index("year").loc[spec.year]
    headline = {"trend_growth_pct": round(r.growth_pct, 2), "trend_growth_ci_pct": [round(x, 2) for x in r.growth_ci_pct],
                "claim_growth_pct": r.claim_growth_pct, "claim_inside_ci": r.claim_inside_ci,
                f"claim_{spec.year}_usd_bn": round(float(row["claim_usd_bn"]), 3),
                f"trend_{spec.year}_usd_bn": round(float(row["trend_usd_bn"]), 3)}
    tables = {"path": t, "observations": r.observations}
    return tables, headline, lambda folder: charts.trend_chart(t, folder, spec.title or spec.name)


def _run_railway(spec: ScenarioSpec, progress: Progress) -> tuple[dict[str, pd.DataFrame], dict, Callable]:
    from lmc.flows import charts
    from lmc.flows.railway_finance import load_inputs, run_railway_finance

    inputs = load_inputs()
    years = tuple(range(inputs.first_year, inputs.first_year + inputs.concession_years))
    _check_shocks(spec, tuple(inputs.ranges), years, "the railway model (concession years)")
    overrides = {}
    modes = inputs.modes()
    for s in [*spec.baseline, *spec.shocks]:
        cur = overrides.get(s.variable, modes[s.variable])
        overrides[s.variable] = s.value if s.op == "set" else cur + s.value if s.op == "add" else cur * s.value
    progress("projecting cash flows and running the Monte Carlo")
    r = run_railway_finance(overrides, n_draws=int(spec.options.get("draws", 2000)), seed=int(spec.options.get("seed", 0)))
    summ = r.summary()
    headline = {"debt_service_year": r.debt_service_year, "payback_year": r.payback_year,
                "npv_musd": round(r.npv_musd, 1), "n_draws": r.n_draws,
                "payback_p50": summ.set_index("measure").loc["payback_year", "p50"],
                "share_payback_within_concession": summ.set_index("measure").loc["payback_year", "share_reached"],
                "largest_unknowns": list(r.tornado["input"].head(3))}
    tables = {"projection": r.projection, "break_even_summary": summ, "tornado": r.tornado, "inputs": r.inputs}
    return tables, headline, lambda folder: charts.railway_charts(r.projection, r.mc_break_even, r.tornado, folder,
                                                                 spec.title or spec.name)


# --------------------------------------------------------------------------------------------------- report + run
def _md_table(df: pd.DataFrame, max_rows: int = 15) -> str:
    d = df.head(max_rows)
    def f(v):
        if isinstance(v, float):
            return "" if np.isnan(v) else (f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}")
        return str(v)
    head = "| " + " | ".join(map(str, d.columns)) + " |\n|" + "---|" * len(d.columns) + "\n"
    return head + "".join("| " + " | ".join(f(v) for v in row) + " |\n" for row in d.itertuples(index=False))


_REPORT_COLS = {
    "choice": ("visitors", ["label", "visitors_baseline", "visitors_scenario", "change", "change_p05", "change_p95"]),
    "ge": ("by_country", ["country", "exports_pct", "imports_pct", "output_pct", "welfare_pct", "welfare_p05", "welfare_p95"]),
    "trend": ("path", ["year", "claim_usd_bn", "trend_usd_bn", "trend_low_usd_bn", "trend_high_usd_bn", "observed_min_usd_bn", "observed_max_usd_bn"]),
    "railway": ("break_even_summary", ["measure", "share_reached", "p05", "p50", "p95"]),
}

_BASIS = {
    "choice": "Nested logit calibrated to sourced 2024 Chinese arrivals (Laotian Times; Bangkok Post) and derived Yunnan visitor totals; taste parameters are assumptions with ranges (src/lmc/flows/data/corridor_destinations.yaml).",
    "ge": "Structural gravity on Yotov, Piermartini, Monteiro & Larch (2016), An Advanced Guide to Trade Policy Analysis, WTO/UNCTAD (data via R package tradepolicy, CC BY 4.0); PPML with exporter and importer fixed effects; GE by fixed point.",
    "trend": "Sourced full-year Lao export figures (src/lmc/flows/data/lao_china_trade.yaml); PPML exponential trend.",
    "railway": "Cash-flow model of LCRC with sourced/derived ranges and marked assumptions (src/lmc/flows/data/railway_finance.yaml; facts: shared/facts/china_laos_railway.yaml).",
}


def _report(spec: ScenarioSpec, tables: dict[str, pd.DataFrame], headline: dict, charts: list[str]) -> str:
    key, cols = _REPORT_COLS[spec.model]
    t = tables[key]
    if spec.model == "ge":
        t = t.reindex(t["welfare_pct"].abs().sort_values(ascending=False).index)
    lines = [f"## {spec.title or spec.name}", "", spec.description.strip(), "",
             f"*Model:* {spec.model} · *year:* {spec.year} · *basis:* {_BASIS[spec.model]}", "", "**Headline**", ""]
    lines += [f"- {k}: {v}" for k, v in headline.items()]
    if spec.assumptions:
        lines += ["", "**Assumptions of this scenario**", ""] + [f"- {a}" for a in spec.assumptions]
    lines += ["", _md_table(t[[c for c in cols if c in t.columns]])]
    lines += [f"![{Path(c).stem}]({Path(c).name})" for c in charts if c.endswith(".png")]
    return "\n".join(lines) + "\n"


def _html(md_title: str, spec: ScenarioSpec, tables: dict[str, pd.DataFrame], headline: dict, charts: list[str]) -> str:
    key, cols = _REPORT_COLS[spec.model]
    t = tables[key]
    body = [f"<section class='lmc-scenario' id='{html.escape(spec.name)}'>", f"<h2>{html.escape(md_title)}</h2>",
            f"<p>{html.escape(spec.description.strip())}</p>",
            f"<p><em>Model:</em> {spec.model} · <em>year:</em> {spec.year} · <em>basis:</em> {html.escape(_BASIS[spec.model])}</p>",
            "<ul>" + "".join(f"<li>{html.escape(str(k))}: {html.escape(str(v))}</li>" for k, v in headline.items()) + "</ul>"]
    if spec.assumptions:
        body.append("<p><strong>Assumptions</strong></p><ul>" + "".join(f"<li>{html.escape(a)}</li>" for a in spec.assumptions) + "</ul>")
    body.append(t[[c for c in cols if c in t.columns]].head(15).to_html(index=False, float_format=lambda v: f"{v:,.4g}", na_rep=""))
    body += [f"<figure><img src='{Path(c).name}' alt='{Path(c).stem}'></figure>" for c in charts if c.endswith(".svg")]
    body.append("</section>")
    return "\n".join(body) + "\n"


def _write_outputs(out_dir: Path, spec: ScenarioSpec, tables, headline, chart_fn) -> tuple[str, list[str]]:
    """Write tables, charts and the report into ``out_dir`` atomically (temp folder, then swap)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for k, t in tables.items():
            t.to_csv(tmp / f"{k}.csv", index=False)
        charts = [str(p) for p in chart_fn(tmp)]
        report = _report(spec, tables, headline, charts)
        (tmp / "report.md").write_text(report, encoding="utf-8")
        (tmp / "report.html").write_text(_html(spec.title or spec.name, spec, tables, headline, charts), encoding="utf-8")
        import json
        (tmp / "result.json").write_text(json.dumps({"name": spec.name, "model": spec.model, "year": spec.year,
                                                     "headline": headline}, indent=2, default=str), encoding="utf-8")
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
                 progress: Progress | None = None) -> ScenarioResult:
    """Validate and run a scenario; with ``out_dir`` write CSV tables, PNG/SVG charts and report.md/.html there."""
    spec = scenario if isinstance(scenario, ScenarioSpec) else load_scenario(scenario)
    progress = progress or _noop
    if spec.model == "choice":
        tables, headline, chart_fn = _run_choice(spec, progress)
    elif spec.model == "ge":
        tables, headline, chart_fn = _run_ge(spec, progress, settings)
    elif spec.model == "trend":
        tables, headline, chart_fn = _run_trend(spec, progress)
    else:
        tables, headline, chart_fn = _run_railway(spec, progress)
    headline = {k: _plain(v) for k, v in headline.items()}
    files: list[str] = []
    if out_dir is not None:
        progress("writing tables, charts and the report")
        report, files = _write_outputs(Path(out_dir), spec, tables, headline, chart_fn)
    else:
        report = _report(spec, tables, headline, [])
    return ScenarioResult(name=spec.name, title=spec.title or spec.name, description=spec.description.strip(),
                          model=spec.model, year=spec.year, tables=tables, headline=headline, report_md=report,
                          assumptions=tuple(spec.assumptions), files=tuple(files))
