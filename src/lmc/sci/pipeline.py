"""The SCI pipeline: pull (if needed) -> warehouse -> indicators -> panel -> index -> audit -> uncertainty ->
validity (the known facts of :mod:`lmc.sci.validity`, the contributions of :mod:`lmc.sci.explain` and the
robustness table of :mod:`lmc.sci.robustness`).

Every step is cached under a key of its inputs (:mod:`lmc.sci.cache`), so a second run with nothing changed only
hashes and reads. Data outputs are written by :mod:`lmc.sci.outputs`; reports by :mod:`lmc.reports` (which calls
this module, never the reverse).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from lmc.config import Settings, get_settings
from lmc.errors import LmcError, WarehouseError
from lmc.indicators.compute import Facts, IndicatorValues, MechanismInputs, compute_indicators, load_tables
from lmc.indicators.imputation import coverage
from lmc.indicators.pair import land_links
from lmc.sci import uncertainty as unc
from lmc.sci import validity as val
from lmc.sci.explain import contributions
from lmc.sci.robustness import robustness
from lmc.sci.cache import StepCache, code_digest, digest
from lmc.sci.facts import default_corridor, default_mechanism_depth, default_pair_facts
from lmc.sci.framework import Framework, data_path, default_framework
from lmc.sci.results import CURATED_FACT, SciResult
from lmc.sci.score import Arrays, SciSpec, make_arrays, make_panels, score_all, scores_frame, zero_variance

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: the CLI draws one bar per stage from these calls."""

STAGES: tuple[str, ...] = ("pull", "indicators", "index", "audit", "uncertainty", "validity")

# Indicators whose observed years define "the latest year with data" (warehouse statistics, not codings).
LATEST_FROM: tuple[str, ...] = ("visa_openness", "tourist_arrivals", "internet_use", "air_departures_per_million")


def facts_for_indicators(years: list[int]) -> Facts:
    pf, cp, depth = default_pair_facts(), default_corridor(), default_mechanism_depth()
    fw = default_framework()
    return Facts(
        links=pf.links_frame(), timetables=pf.timetables_frame(), asean=pf.asean_years(), rcep=pf.rcep_years(),
        agreements=depth.with_agreement_weights(pf.agreements_frame()),
        buddhist_majority=tuple(pf.religion.buddhist_majority),
        arrivals=pf.arrivals_frame(), provinces=cp.frame(), railway_opened_year=cp.railway_opened.year,
        international_service_year=cp.international_service_from.year,
        no_service_hours=fw.indicator("rail_travel_hours").goalposts[1],
        mechanism_weights=depth.weights(years), mechanism_excluded=depth.excluded_members(),
    )


def rail_links(years: list[int]) -> pd.DataFrame:
    """Cross-border rail services in operation (passenger or freight) per pair and year, from the curated links:
    ``unit, year, value`` (the validity suite's ``rail_links`` measure)."""
    links = default_pair_facts().links_frame()
    return land_links(links[links["kind"].str.startswith("rail_")], years)


def warehouse_key(settings: Settings) -> str:
    """Identity of the warehouse contents: its provenance table when there is one, else the file's size+mtime."""
    from lmc.warehouse.db import connect, table_names

    con = connect(settings, read_only=True)
    try:
        if "provenance" in table_names(con):
            prov = con.execute("SELECT * FROM provenance").df()
            cols = [c for c in prov.columns if "time" not in c.lower() and "seconds" not in c.lower()
                    and "loaded" not in c.lower()]
            return digest(prov[cols].astype(str).sort_values(cols).to_csv(index=False))
    finally:
        con.close()
    st = settings.warehouse.stat()
    return digest(st.st_size, st.st_mtime_ns)


def ensure_warehouse(settings: Settings, pull: bool, progress: Progress | None) -> bool:
    """Make sure the warehouse holds every declared source: pull those it lacks (all of them when there is no
    warehouse), or refuse naming them. Never builds from part of the data. Returns True if it pulled."""
    from lmc.warehouse.query import missing_sources

    missing = missing_sources(settings)
    if not missing:
        if progress:
            progress("pull", 1, 1)
        return False
    if not pull and not settings.warehouse.is_file():
        raise WarehouseError(f"no warehouse at {settings.warehouse}; run `lmc data pull` or drop --no-pull.")
    if not pull:
        raise WarehouseError(f"the warehouse {settings.warehouse} lacks {len(missing)} declared source(s): "
                             f"{', '.join(missing)}; run `lmc data pull {' '.join(missing)}` or drop --no-pull.")
    from lmc.warehouse.ingest import pull as pull_sources

    def cb(sid: str, i: int, n: int) -> None:
        if progress:
            progress("pull", i, n)

    res = pull_sources(missing, settings=settings, progress=cb)
    still = missing_sources(settings)
    if still:
        errors = "; ".join(str(ld.error) for ld in res.failed if ld.source in still)
        raise WarehouseError(f"not building from part of the data: source(s) {', '.join(still)} could not be "
                             f"pulled. {errors}")
    return True


def _mechanism_inputs(tables: dict[str, pd.DataFrame], years: list[int]) -> MechanismInputs | None:
    """The registry's memberships from its warehouse tables; every mechanism must have a depth record."""
    names = ("mechanisms", "mechanism_members", "mechanism_sectors", "mechanism_programmes")
    if not all(n in tables for n in names):
        return None
    from lmc.mechanisms.frames import as_frames, membership_in_years
    from lmc.mechanisms.pairs import shared_mechanisms_by_pair_year, shared_mechanisms_detail

    reg = {n: tables[n] for n in names}
    default_mechanism_depth().check_covers(tables["mechanisms"]["mechanism"])
    return MechanismInputs(detail=shared_mechanisms_detail(reg, years),
                           members=membership_in_years(as_frames(reg), years),
                           shared=shared_mechanisms_by_pair_year(reg, years))


def corridor_feed_tables() -> dict[str, pd.DataFrame]:
    """The corridor timetable's GTFS stop_times and stops, shipped in :mod:`lmc.corridor` (the rail indicators)."""
    from lmc.corridor.plan import FEED_DIR

    st, sp = Path(FEED_DIR) / "stop_times.txt", Path(FEED_DIR) / "stops.txt"
    missing = [str(p) for p in (st, sp) if not p.is_file()]
    if missing:
        raise LmcError(f"the corridor feed shipped with the package is incomplete ({', '.join(missing)} missing); "
                       "regenerate it with `lmc corridor build-feed` or reinstall the package")
    return {"corridor_stop_times": pd.read_csv(st, dtype=str).assign(
                stop_sequence=lambda d: d["stop_sequence"].astype(int)),
            "corridor_stops": pd.read_csv(sp, dtype=str)}


def latest_year(values: IndicatorValues, first_year: int, today: dt.date | None = None) -> int:
    """The latest year with observed warehouse statistics (never beyond last calendar year)."""
    cap = (today or dt.date.today()).year - 1
    seen = [int(values.values[i]["year"].max()) for i in LATEST_FROM
            if i in values.values and len(values.values[i])]
    return max(first_year, min(max(seen) if seen else cap, cap))


def compute_step(settings: Settings, framework: Framework) -> tuple[dict, dict]:
    """Indicators and panels (cached by warehouse + facts + code)."""
    tables = load_tables(settings)
    tables.update(corridor_feed_tables())
    years_all = list(range(framework.first_year, dt.date.today().year + 1))
    vals = compute_indicators(tables, facts_for_indicators(years_all), years_all,
                              _mechanism_inputs(tables, years_all))
    last = latest_year(vals, framework.first_year)
    years = list(range(framework.first_year, last + 1))
    for k, df in vals.values.items():  # earlier observations stay: the policy may carry them into the first years
        vals.values[k] = df[df["year"] <= last].reset_index(drop=True)
    provinces = list(default_corridor().frame()["code"])
    panels = make_panels(vals.values, framework, years, provinces, vals.reopen)
    excluded = {lv: zero_variance(p["linear"]) for lv, p in panels.items()}
    return ({"years": years, "provinces": provinces, "panels": panels, "excluded": excluded,
             "unavailable": dict(vals.unavailable), "tables": sorted(tables), "reopening": dict(vals.reopen_dates)}, {})


def published_panel(panels: dict, framework: Framework) -> pd.DataFrame:
    """The long panel of the indicators that enter the index (alternatives, computed for the robustness table
    only, are left out): ``level, indicator, unit, year, raw, value, flag, source_years, source``."""
    computed = {i.id for i in framework.indicators if i.status == "computed"}
    long = pd.concat([p["linear"].assign(level=lv) for lv, p in panels.items()], ignore_index=True)
    long = long[long["indicator"].isin(computed)].reset_index(drop=True)
    return long[["level", "indicator", "unit", "year", "raw", "value", "flag", "source_years", "source"]]


def audit(panels: dict, scores: dict, arrays: Arrays, excluded: dict, framework: Framework) -> dict[str, pd.DataFrame]:
    """Statistical audit: imputation/coverage per indicator, excluded indicators, and correlations of each
    indicator with its pillar and of each pillar with the index (pair level, all unit-years)."""
    computed = {i.id for i in framework.indicators if i.status == "computed"}
    cov = pd.concat([coverage(p["linear"]).assign(level=lv) for lv, p in panels.items()], ignore_index=True)
    cov = cov[cov["indicator"].isin(computed)].reset_index(drop=True)
    rows = []
    pa = arrays.levels["pair"]
    from lmc.sci.score import normalised

    norm = normalised(pa, "goalposts", "linear")
    ps = scores["pair"]
    for k, ind in enumerate(pa.indicators):
        j = arrays.pillars.index(pa.pillar_of[k])
        x, y = norm[:, :, k].ravel(), ps.pillars[:, :, j].ravel()
        ok = ~(np.isnan(x) | np.isnan(y))
        r = float(np.corrcoef(x[ok], y[ok])[0, 1]) if ok.sum() > 2 and x[ok].std() > 0 and y[ok].std() > 0 else np.nan
        rows.append(("pair", ind, pa.pillar_of[k], round(r, 4)))
    for j, p in enumerate(arrays.pillars):
        x, y = ps.pillars[:, :, j].ravel(), ps.index.ravel()
        ok = ~(np.isnan(x) | np.isnan(y))
        r = float(np.corrcoef(x[ok], y[ok])[0, 1]) if ok.sum() > 2 and x[ok].std() > 0 else np.nan
        rows.append(("pair", p, "index", round(r, 4)))
    corr = pd.DataFrame(rows, columns=["level", "component", "parent", "pearson_r"])
    exc = pd.DataFrame([(lv, i, "no variation across units and years") for lv, ids in excluded.items() for i in ids
                        if i in computed], columns=["level", "indicator", "reason"])
    return {"coverage": cov, "correlations": corr, "excluded": exc}


def sources_table(framework: Framework, tables: list[str], unavailable: dict[str, str]) -> pd.DataFrame:
    """Every source behind a computed indicator, with its licence: declared connectors whose tables it reads (its
    ``source`` names them, joined by ``+``), plus the curated facts (each with its own record-level sources,
    listed separately)."""
    rows = []
    try:
        from lmc.sources.registry import all_sources

        reg = all_sources()
    except Exception:  # a broken connector module must not hide the rest
        reg = {}
    used_tables = set(tables)

    def inputs(ind) -> set[str]:  # "oxcgrt_legacy_c8_daily + events", "lmc.mechanisms + curated:mechanism_depth"
        return {tok.strip().removeprefix("lmc.") for tok in ind.source.split("+")}

    for sid, s in reg.items():
        names = {t.name for t in s.tables}
        uses = [i.id for i in framework.indicators if i.status == "computed" and i.id not in unavailable
                and names & inputs(i) and names & used_tables]
        if uses:
            rows.append({"id": sid, "title": s.title, "publisher": s.publisher, "licence": s.licence,
                         "url": s.homepage, "used_for": ", ".join(uses)})
    for rec in default_pair_facts().sources():
        rows.append({"id": CURATED_FACT, "title": "Curated pair fact", "publisher": rec["publisher"],
                     "licence": "cited source (facts paraphrased, figures as published)", "url": rec["url"],
                     "used_for": f"accessed {rec['accessed']}"})
    return pd.DataFrame(rows, columns=["id", "title", "publisher", "licence", "url", "used_for"])


def run(settings: Settings | None = None, *, n: int = 2000, seed: int = 20240101, pull: bool = True,
        progress: Progress | None = None, framework: Framework | None = None) -> SciResult:
    """Build the SCI (without writing files). Cached steps make an unchanged second run take seconds."""
    settings = settings or get_settings()
    framework = framework or default_framework()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    ensure_warehouse(settings, pull, progress)
    timings["pull"] = time.perf_counter() - t0
    cache = StepCache(settings.home / "cache" / "sci")
    code = code_digest("sci", "indicators", "corridor/feed")
    k_ind = digest("indicators", warehouse_key(settings), code,
                   *[data_path(f) for f in ("framework.yaml", "pair_facts.yaml", "corridor_provinces.yaml",
                                            "mechanism_depth.yaml")])

    t = time.perf_counter()
    step = cache.get("indicators", k_ind)
    if step is None:
        if progress:
            progress("indicators", 0, 1)
        step, _ = compute_step(settings, framework)
        cache.put("indicators", k_ind, step)
    if progress:
        progress("indicators", 1, 1)
    timings["indicators"] = time.perf_counter() - t

    t = time.perf_counter()
    years, panels, excluded = step["years"], step["panels"], step["excluded"]
    arrays = make_arrays(panels, framework, years, step["provinces"], excluded)
    nominal = score_all(arrays, SciSpec(), framework)
    scores = scores_frame(nominal, tuple(years), arrays.pillars)
    if progress:
        progress("index", 1, 1)
    timings["index"] = time.perf_counter() - t

    t = time.perf_counter()
    aud = audit(panels, nominal, arrays, excluded, framework)
    if progress:
        progress("audit", 1, 1)
    timings["audit"] = time.perf_counter() - t

    t = time.perf_counter()
    k_unc = digest("uncertainty", k_ind, n, seed)
    u = cache.get("uncertainty", k_unc)
    if u is None:
        u = unc.run(arrays, framework, n=n, seed=seed,
                    progress=(lambda d, tot: progress("uncertainty", d, tot)) if progress else None)
        cache.put("uncertainty", k_unc, u)
    elif progress:
        progress("uncertainty", 1, 1)
    timings["uncertainty"] = time.perf_counter() - t

    panel_long = published_panel(panels, framework)
    t = time.perf_counter()
    k_exp = digest("explain", k_unc)  # the statements file is part of the code digest (lmc/sci/data)
    explained = cache.get("explain", k_exp)
    if explained is None:
        evidence = val.Evidence(scores=scores, arrays=arrays, framework=framework, panel=panel_long,
                                rail_links=rail_links(years))
        explained = (contributions(arrays, framework, max(years)),
                     robustness(panels, framework, years, step["provinces"], excluded, scores, u.rank_intervals),
                     val.check(val.load_statements(framework=framework), evidence))
        cache.put("explain", k_exp, explained)
    contrib, robust, validity = explained
    if progress:
        progress("validity", 1, 1)
    timings["validity"] = time.perf_counter() - t
    return SciResult(scores=scores, panel=panel_long, audit=aud, uncertainty=u, years=tuple(years),
                     pillars=arrays.pillars, unavailable=step["unavailable"], excluded=excluded,
                     sources=sources_table(framework, step["tables"], step["unavailable"]),
                     key=digest("sci", k_unc), timings=timings,
                     reopening=step.get("reopening", {}), validity=validity, contributions=contrib,
                     robustness=robust)
