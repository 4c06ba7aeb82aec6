"""The observatory's key series, for the front page and ``/api/v1/key-series``: what is happening in the region.

* **Chinese arrivals by destination against 2019**: the directed arrivals from China the SCI uses
  (:func:`lmc.indicators.compute.arrivals_by_authority`: the warehouse's official statistics first, then the curated
  official figures), observed values only, each with its source; provisional figures say so.
* **China-Laos Railway traffic per year**: passengers (warehouse ``rail_traffic_annual``), freight and cross-border
  freight (``freight_series``). A published calendar-year figure is preferred; otherwise a value DERIVED from two
  cumulative totals (an operating year, December to December) or from a published growth rate, labelled derived.
* **Borders today**: the curated status of the main land crossings (``border_crossings``), each with the date of
  its latest source; nothing is assumed after that date.
* **Visa matrix** of the six countries' citizens: the latest Passport Index snapshot, unless a curated dated measure
  (``visa_measures``) came into force after it and applies today; each cell names its source and date.
* **What changed**: the sources whose files or retrieval changed since the previous build (``build.json``, written
  by :func:`lmc.reports.build.data_release`), else the newest dated fact shown.

:func:`key_series` reads the warehouse (through :mod:`lmc.indicators` and :mod:`lmc.warehouse`) and returns one
frozen :class:`KeySeries`; the web page, the API and its CSV files render that same object. A section whose tables
are missing is empty and ``missing`` says why: nothing is filled in.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lmc import LMC_COUNTRIES
from lmc.config import Settings, get_settings

ORIGIN = "CHN"
DESTINATIONS: tuple[str, ...] = tuple(c for c in LMC_COUNTRIES if c != ORIGIN)
BASE_YEAR = 2019
ARRIVAL_TABLES: tuple[str, ...] = ("thailand_arrivals", "thailand_asean_arrivals", "vietnam_arrivals_annual")
TABLES: tuple[str, ...] = (*ARRIVAL_TABLES, "rail_traffic_annual", "freight_series", "border_crossings",
                           "visa_measures", "visa_requirements", "provenance")
RAIL_SERIES: dict[str, tuple[str, str]] = {
    "passengers": ("rail_traffic_annual", "passenger_trips"),
    "freight": ("freight_series", "lcr_freight_total"),
    "cross_border_freight": ("freight_series", "lcr_freight_cross_border"),
}
"""Key-series rail lines: name -> (warehouse table, metric or series id)."""
FREIGHT_KINDS: tuple[str, ...] = ("annual", "derived_annual", "operating_year")
"""Preference among a freight series' values for one year: published calendar year, then derived."""
VISA_RULES: dict[int, str] = {5: "visa_free", 4: "visa_on_arrival", 3: "eta", 2: "e_visa", 1: "visa_required",
                              0: "no_admission"}
"""Passport Index openness (harmonised, :mod:`lmc.sources.harmonise`) -> rule."""
SECTIONS: tuple[str, ...] = ("arrivals", "rail", "borders", "visas", "measures")


@dataclass(frozen=True)
class SourceRef:
    """Where a value comes from: publisher, address, the date it was read (or retrieved) and published."""

    publisher: str
    url: str
    accessed: str = ""
    published: str = ""


@dataclass(frozen=True)
class Arrival:
    year: int
    value: float
    source: SourceRef
    provisional: bool = False


@dataclass(frozen=True)
class ArrivalSeries:
    """Observed arrivals from China in one destination, by year; ``base`` is the 2019 figure, ``latest`` the newest
    year after it, ``share_of_base`` latest / base (None when either is missing)."""

    destination: str
    years: tuple[Arrival, ...]

    @property
    def base(self) -> Arrival | None:
        return next((a for a in self.years if a.year == BASE_YEAR), None)

    @property
    def latest(self) -> Arrival | None:
        later = [a for a in self.years if a.year > BASE_YEAR]
        return later[-1] if later else None

    @property
    def share_of_base(self) -> float | None:
        b, x = self.base, self.latest
        return x.value / b.value if b and x and b.value else None


@dataclass(frozen=True)
class RailYear:
    """One year of a railway series: ``value`` in ``unit`` (million trips, Mt); ``derived`` with ``method`` when it
    is not a published calendar-year figure; ``bound`` "lower" for "more than"."""

    series: str
    year: int
    value: float
    unit: str
    period: str
    derived: bool
    basis: str
    source: SourceRef
    method: str = ""
    bound: str = ""
    other_bases: int = 0


@dataclass(frozen=True)
class Crossing:
    id: str
    name: dict[str, str]
    countries: tuple[str, str]
    modes: tuple[str, ...]
    status: str
    since: str
    as_of: str
    note: dict[str, str]
    source: SourceRef
    see_also: str = ""


@dataclass(frozen=True)
class Measure:
    """A curated dated visa measure for one passport."""

    id: str
    name: dict[str, str]
    kind: str
    passport: str
    destination: str
    rule: str
    max_stay_days: int | None
    in_force: str
    until: str
    source: SourceRef


@dataclass(frozen=True)
class VisaCell:
    """What a citizen of ``passport`` needs to visit ``destination``: ``rule`` and ``max_stay_days``, as of
    ``as_of`` from ``source`` (the Passport Index snapshot, or a curated measure in force after it: ``measure``);
    ``also`` lists the ids of the measures in force that the snapshot already reflects."""

    passport: str
    destination: str
    rule: str
    max_stay_days: int | None
    as_of: str
    source: SourceRef
    measure: str = ""
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """One line on what changed since the last data release. ``kind``: ``sources`` (files or retrieval changed since
    the previous build, ``since`` its date), ``first`` (no previous build recorded) or ``unchanged``; ``newest`` is
    the newest dated fact shown (section, title and date), told when no source changed."""

    kind: str
    built: str = ""
    since: str = ""
    sources: tuple[dict[str, Any], ...] = ()
    newest: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KeySeries:
    arrivals: tuple[ArrivalSeries, ...]
    rail: tuple[RailYear, ...]
    borders: tuple[Crossing, ...]
    visas: tuple[VisaCell, ...]
    measures: tuple[Measure, ...]
    visa_snapshot: str
    change: Change
    today: str
    missing: dict[str, str] = field(default_factory=dict)

    def frame(self, section: str) -> pd.DataFrame:
        """One section as a flat table (the API's CSV): one row per year, crossing, cell or measure."""
        if section == "arrivals":
            rows = [{"origin": ORIGIN, "destination": s.destination, "year": a.year, "arrivals": a.value,
                     "provisional": a.provisional, "share_of_2019": (a.value / s.base.value) if s.base else None,
                     **_flat(a.source)} for s in self.arrivals for a in s.years]
        elif section == "rail":
            rows = [{k: v for k, v in asdict(r).items() if k != "source"} | _flat(r.source) for r in self.rail]
        elif section == "borders":
            rows = [{"id": c.id, "name_en": c.name["en"], "name_zh": c.name["zh"], "country_a": c.countries[0],
                     "country_b": c.countries[1], "modes": " ".join(c.modes), "status": c.status, "since": c.since,
                     "as_of": c.as_of, "note_en": c.note["en"], "note_zh": c.note["zh"], **_flat(c.source),
                     "see_also": c.see_also} for c in self.borders]
        elif section == "visas":
            rows = [{"passport": v.passport, "destination": v.destination, "rule": v.rule,
                     "max_stay_days": v.max_stay_days, "as_of": v.as_of, "measure": v.measure,
                     "also": " ".join(v.also), **_flat(v.source)} for v in self.visas]
        elif section == "measures":
            rows = [{k: v for k, v in asdict(m).items() if k not in ("source", "name")}
                    | {"name_en": m.name["en"], "name_zh": m.name["zh"]} | _flat(m.source) for m in self.measures]
        else:
            from lmc.errors import ValidationError, unknown

            raise ValidationError(unknown("key-series section", section, SECTIONS))
        frame = pd.DataFrame(rows)
        if "max_stay_days" in frame.columns:  # whole days, empty where the rule states none
            frame["max_stay_days"] = frame["max_stay_days"].astype("Int64")
        return frame

    def to_dict(self) -> dict[str, Any]:
        return {"today": self.today, "arrivals": [
            {"destination": s.destination, "base_year": BASE_YEAR,
             "base": asdict(s.base) if s.base else None, "latest": asdict(s.latest) if s.latest else None,
             "share_of_base": s.share_of_base, "years": [asdict(a) for a in s.years]} for s in self.arrivals],
            "rail": [asdict(r) for r in self.rail], "borders": [asdict(c) for c in self.borders],
            "visa_snapshot": self.visa_snapshot, "visas": [asdict(v) for v in self.visas],
            "measures": [asdict(m) for m in self.measures], "change": asdict(self.change), "missing": self.missing}


def _flat(s: SourceRef) -> dict[str, str]:
    return {"source_publisher": s.publisher, "source_url": s.url, "source_accessed": s.accessed,
            "source_published": s.published}


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return ""
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _ref(row: Any) -> SourceRef:
    """The source columns of a curated warehouse row."""
    return SourceRef(_text(row["source_publisher"]), _text(row["source_url"]), _text(row["source_accessed"]),
                     _text(row.get("source_published")))


# ------------------------------------------------------------------------------------------------ assembly
def key_series(settings: Settings | None = None, out_dir: Path | None = None,
               today: dt.date | None = None) -> KeySeries:
    """The key series from the warehouse (and, for what changed, the build in ``out_dir``, default the settings'
    output folder). ``today`` decides which visa measures are in force (default: the machine's date)."""
    from lmc.indicators.compute import LMC_SQL, load_tables

    settings = settings or get_settings()
    today = today or dt.date.today()
    # the visa matrix needs the six countries' rows only: 1 % of the table, read in a tenth of the time
    tables = load_tables(settings, TABLES, filters={
        "visa_requirements": f" WHERE passport IN {LMC_SQL} AND destination IN {LMC_SQL}"})
    missing: dict[str, str] = {}

    def need(section: str, *names: str) -> bool:
        absent = [n for n in names if n not in tables]
        if absent:
            missing[section] = f"warehouse table(s) not present: {', '.join(absent)} (run `lmc data pull`)."
        return not absent

    prov = tables.get("provenance", pd.DataFrame(columns=["source", "retrieved_at"]))
    arrivals = _arrivals(tables, prov, missing)
    rail = _rail(tables) if need("rail", "rail_traffic_annual", "freight_series") else ()
    borders = _borders(tables["border_crossings"]) if need("borders", "border_crossings") else ()
    measures = _measures(tables["visa_measures"]) if need("measures", "visa_measures") else ()
    visas, snapshot = ((), "")
    if need("visas", "visa_requirements"):
        visas, snapshot = _visas(tables["visa_requirements"], measures, prov, today)
    change = _change(settings, Path(out_dir) if out_dir else settings.out_dir,
                     _newest(arrivals, rail, borders, measures, today))
    return KeySeries(arrivals, rail, borders, visas, measures, snapshot, change, today.isoformat(), missing)


def _source_ref(source_id: str, prov: pd.DataFrame) -> SourceRef:
    """A warehouse source by its registry entry, dated by its last retrieval."""
    from lmc.sources.registry import get_source

    src = get_source(source_id)
    dates = prov.loc[prov["source"] == source_id, "retrieved_at"].dropna()
    return SourceRef(src.publisher, src.homepage, _text(dates.max()) if len(dates) else "")


def _arrivals(tables: dict[str, pd.DataFrame], prov: pd.DataFrame, missing: dict[str, str]
              ) -> tuple[ArrivalSeries, ...]:
    from lmc.indicators.compute import arrivals_by_authority
    from lmc.sci.facts import default_pair_facts

    facts = default_pair_facts()
    curated = {(a.origin, a.destination, a.year): a for a in facts.arrivals}
    unavailable: dict[str, str] = {}
    a = arrivals_by_authority(tables, facts.arrivals_frame(), unavailable)
    if unavailable:
        missing["arrivals"] = "; ".join(unavailable.values())
    a = a[a["origin"] == ORIGIN].sort_values(["destination", "year"])
    out = []
    for dest in DESTINATIONS:
        years = []
        for r in a[a["destination"] == dest].itertuples(index=False):
            sid = str(r.source)
            if sid.startswith("curated:"):
                c = curated[(ORIGIN, dest, int(r.year))]
                ref = SourceRef(c.source.publisher, c.source.url, c.source.accessed.isoformat())
            else:
                ref = _source_ref(sid.removesuffix(" (provisional)"), prov)
            years.append(Arrival(int(r.year), float(r.arrivals), ref, sid.endswith("(provisional)")))
        out.append(ArrivalSeries(dest, tuple(years)))
    return tuple(out)


def _rail(tables: dict[str, pd.DataFrame]) -> tuple[RailYear, ...]:
    out: list[RailYear] = []
    t = tables["rail_traffic_annual"]
    t = t[(t["line"] == "china_laos_railway") & (t["section"] == "whole_line")
          & (t["metric"] == RAIL_SERIES["passengers"][1])].sort_values("year")
    for _, r in t.iterrows():
        out.append(RailYear("passengers", int(r["year"]), float(r["value"]) / 1e6, "million",
                            f"{_text(r['period_start'])}..{_text(r['period_end'])}", bool(r["derived"]),
                            _text(r["scope"]), _ref(r), method=("difference of the cumulative totals "
                                                                f"{_text(r['derived_from'])}" if r["derived"] else "")))
    f = tables["freight_series"]
    for name in ("freight", "cross_border_freight"):
        s = f[(f["series"] == RAIL_SERIES[name][1]) & f["kind"].isin(FREIGHT_KINDS)]
        for year, g in s.groupby("year", sort=True):
            g = g.assign(_k=g["kind"].map(FREIGHT_KINDS.index)).sort_values("_k", kind="stable")
            r = g.iloc[0]
            same = g[g["kind"] == r["kind"]]
            out.append(RailYear(name, int(year), float(r["value"]), _text(r["unit"]), _text(r["period"]),
                                bool(r["derived"]), _text(r["basis"]), _ref(r), method=_text(r["method"]),
                                bound=_text(r["bound"]), other_bases=len(same) - 1))
    return tuple(out)


def _borders(t: pd.DataFrame) -> tuple[Crossing, ...]:
    return tuple(Crossing(r["id"], {"en": r["name_en"], "zh": r["name_zh"]}, (r["country_a"], r["country_b"]),
                          tuple(_text(r["modes"]).split()), r["status"], _text(r["since"]), _text(r["as_of"]),
                          {"en": r["note_en"], "zh": r["note_zh"]}, _ref(r), _text(r["see_also"]))
                 for _, r in t.iterrows())


def _measures(t: pd.DataFrame) -> tuple[Measure, ...]:
    return tuple(Measure(r["id"], {"en": r["name_en"], "zh": r["name_zh"]}, r["kind"], r["passport"],
                         r["destination"], r["rule"], None if pd.isna(r["max_stay_days"]) else int(r["max_stay_days"]),
                         _text(r["in_force"]), _text(r["until"]), _ref(r))
                 for _, r in t.sort_values(["in_force", "id", "passport"]).iterrows())


def in_force(m: Measure, day: dt.date) -> bool:
    return m.in_force <= day.isoformat() and (not m.until or m.until >= day.isoformat())


def _visas(req: pd.DataFrame, measures: tuple[Measure, ...], prov: pd.DataFrame, today: dt.date
           ) -> tuple[tuple[VisaCell, ...], str]:
    six = req[req["passport"].isin(LMC_COUNTRIES) & req["destination"].isin(LMC_COUNTRIES)
              & (req["passport"] != req["destination"])]
    if not len(six):
        return (), ""
    snap = pd.Timestamp(six["snapshot_date"].max())
    snapshot = snap.date().isoformat()
    six = six[pd.to_datetime(six["snapshot_date"]) == snap].set_index(["passport", "destination"])
    pi = _source_ref("passport_index", prov)
    cells = []
    for p in LMC_COUNTRIES:
        for d in LMC_COUNTRIES:
            if p == d:
                continue
            active = [m for m in measures if m.passport == p and m.destination == d and in_force(m, today)]
            newer = [m for m in active if m.in_force > snapshot]
            if newer:
                m = newer[-1]
                cells.append(VisaCell(p, d, m.rule, m.max_stay_days, m.in_force, m.source, m.id,
                                      tuple(x.id for x in active if x is not m)))
                continue
            if (p, d) not in six.index:
                continue
            r = six.loc[(p, d)]
            days = None if pd.isna(r["max_stay_days"]) else int(r["max_stay_days"])
            rule = VISA_RULES.get(int(r["openness"]), "visa_required") if not pd.isna(r["openness"]) else ""
            cells.append(VisaCell(p, d, rule, days, snapshot, pi, "", tuple(m.id for m in active)))
    return tuple(cells), snapshot


def _newest(arrivals: tuple[ArrivalSeries, ...], rail: tuple[RailYear, ...], borders: tuple[Crossing, ...],
            measures: tuple[Measure, ...], today: dt.date) -> dict[str, str]:
    """The newest dated fact shown: (date, section, item) with the latest date, ties in the order of the page."""
    facts: list[tuple[str, int, dict[str, str]]] = []
    for c in borders:
        facts.append((c.as_of, 0, {"section": "borders", "item": c.id, "date": c.as_of, "status": c.status}))
    for r in rail:
        end = r.period.split("..")[-1] if ".." in r.period else f"{r.year}-12-31"
        facts.append((end, 1, {"section": "rail", "item": r.series, "date": end, "year": str(r.year)}))
    for s in arrivals:
        if s.latest:
            facts.append((f"{s.latest.year}-12-31", 2, {"section": "arrivals", "item": s.destination,
                                                        "date": f"{s.latest.year}-12-31",
                                                        "year": str(s.latest.year)}))
    for m in measures:
        if m.in_force <= today.isoformat():
            facts.append((m.in_force, 3, {"section": "measures", "item": m.id, "date": m.in_force}))
    if not facts:
        return {}
    best = max(facts, key=lambda f: (f[0], -f[1]))
    return best[2]


def _change(settings: Settings, out_dir: Path, newest: dict[str, str]) -> Change:
    """What changed since the previous build, from ``build.json`` (see :func:`lmc.reports.build.data_release`)."""
    from lmc.sci.outputs import MANIFEST

    try:
        meta = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    built = str(meta.get("built", "") or "")[:10]
    changes = meta.get("changes") if isinstance(meta, dict) else None
    if not isinstance(changes, dict):
        return Change("first", built=built, newest=newest)
    changed = tuple(x for x in changes.get("sources", []) if isinstance(x, dict))
    return Change("sources" if changed else "unchanged", built=built, since=str(changes.get("since") or "")[:10],
                  sources=changed, newest=newest)
