"""The bilateral panel for gravity models: flows plus distance, contiguity, language, RTA/RCEP, visa openness,
travel time and Covid stringency, one row per origin x destination x year.

:func:`build_bilateral_panel` is a pure function over data frames (tested on small synthetic frames);
:func:`load_panel_inputs` is the thin warehouse loader that reads the tables named in the warehouse contract
(``cepii_dist``, ``visa_requirements``, ``wdi``, ``migrant_stock``, ``thailand_arrivals``). Covariates that the
warehouse does not hold (RTA/RCEP membership, rail/road travel time, stringency) are optional frames keyed by
``origin, destination, year`` (or ``iso3, year`` for stringency), so analysts can add their own, sourced.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from lmc.flows.errors import GravityDataError

FlowSource = Literal["thailand_arrivals", "migrant_stock"]
PANEL_KEYS = ["origin", "destination", "year"]


def _require(df: pd.DataFrame, cols: list[str], name: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise GravityDataError(f"table {name!r}: missing column(s) {', '.join(missing)}; has {', '.join(map(str, df.columns))}")


def flows_from_thailand_arrivals(arrivals: pd.DataFrame) -> pd.DataFrame:
    """Tourist arrivals to Thailand by nationality -> ``origin, destination, year, flow``.

    Each year appears in two source files (as current and as comparison year); the final (non-provisional),
    most recent file wins, so revisions replace preliminary counts. Regional aggregates (no ISO3) are dropped.
    """
    _require(arrivals, ["year", "origin_iso3", "arrivals"], "thailand_arrivals")
    df = arrivals.dropna(subset=["origin_iso3", "arrivals"]).copy()
    df["provisional"] = df["provisional"].astype(bool) if "provisional" in df else False
    df["_src"] = df["source_file"].astype(str) if "source_file" in df else ""
    df = df.sort_values(["origin_iso3", "year", "provisional", "_src"], ascending=[True, True, False, True])
    df = df.groupby(["origin_iso3", "year"], as_index=False).last()
    return pd.DataFrame({
        "origin": df["origin_iso3"].astype(str), "destination": "THA",
        "year": df["year"].astype(int), "flow": df["arrivals"].astype(float),
    })


def flows_from_migrant_stock(stock: pd.DataFrame) -> pd.DataFrame:
    """UN DESA migrant stock -> ``origin, destination, year, flow`` (a stock, used as a people-to-people link)."""
    _require(stock, ["year", "origin", "destination", "stock"], "migrant_stock")
    df = stock.dropna(subset=["origin", "destination", "stock"])
    return pd.DataFrame({"origin": df["origin"].astype(str), "destination": df["destination"].astype(str),
                         "year": df["year"].astype(int), "flow": df["stock"].astype(float)})


def _visa_by_year(visa: pd.DataFrame) -> pd.DataFrame:
    """Latest snapshot per (passport, destination, year): openness of ``destination`` to ``passport`` holders."""
    _require(visa, ["snapshot_date", "passport", "destination", "openness"], "visa_requirements")
    v = visa.copy()
    v["year"] = pd.to_datetime(v["snapshot_date"]).dt.year.astype(int)
    v = v.sort_values("snapshot_date").groupby(["passport", "destination", "year"], as_index=False).last()
    return v.rename(columns={"passport": "origin", "openness": "visa_openness"})[
        ["origin", "destination", "year", "visa_openness"]]


def _gdp(wdi: pd.DataFrame, indicator: str) -> pd.DataFrame:
    _require(wdi, ["iso3", "indicator", "year", "value"], "wdi")
    g = wdi[wdi["indicator"] == indicator][["iso3", "year", "value"]].dropna()
    g = g.assign(year=g["year"].astype(int), value=g["value"].astype(float))
    return g[g["value"] > 0]


def build_bilateral_panel(
    flows: pd.DataFrame,
    *,
    dist: pd.DataFrame | None = None,
    visa: pd.DataFrame | None = None,
    wdi: pd.DataFrame | None = None,
    rta: pd.DataFrame | None = None,
    travel_time: pd.DataFrame | None = None,
    stringency: pd.DataFrame | None = None,
    gdp_indicator: str = "NY.GDP.MKTP.CD",
    countries: list[str] | None = None,
    years: list[int] | None = None,
    fill_visa_by_carry: bool = True,
) -> pd.DataFrame:
    """Join flows (``origin, destination, year, flow``) with the gravity covariates.

    Output columns: the keys, ``flow``, then whatever the inputs allow among ``dist, ln_dist, contig,
    comlang_off, comlang_ethno, colony, smctry, visa_openness, rta, travel_time_h, stringency_o, stringency_d,
    ln_gdp_o, ln_gdp_d``, and the fixed-effect keys ``exp_year, imp_year, pair`` (pair is symmetric, so A->B and
    B->A share one effect, as in the Advanced Guide). Visa snapshots exist only for some years; with
    ``fill_visa_by_carry`` the latest earlier snapshot is carried forward (and, before the first, backward).
    Missing covariates stay NaN: estimation drops those rows, never imputes silently.
    """
    _require(flows, PANEL_KEYS + ["flow"], "flows")
    panel = flows[PANEL_KEYS + ["flow"]].copy()
    panel["origin"] = panel["origin"].astype(str)
    panel["destination"] = panel["destination"].astype(str)
    panel["year"] = panel["year"].astype(int)
    if countries is not None:
        keep = set(countries)
        panel = panel[panel["origin"].isin(keep) & panel["destination"].isin(keep)]
    if years is not None:
        panel = panel[panel["year"].isin(set(years))]
    panel = panel.groupby(PANEL_KEYS, as_index=False)["flow"].sum()

    if dist is not None:
        _require(dist, ["iso_o", "iso_d", "dist"], "cepii_dist")
        cols = [c for c in ["dist", "contig", "comlang_off", "comlang_ethno", "colony", "smctry"] if c in dist]
        d = dist.rename(columns={"iso_o": "origin", "iso_d": "destination"})[["origin", "destination", *cols]]
        panel = panel.merge(d.drop_duplicates(["origin", "destination"]), on=["origin", "destination"], how="left")
        panel["ln_dist"] = np.log(panel["dist"].where(panel["dist"] > 0))

    if visa is not None:
        v = _visa_by_year(visa)
        if fill_visa_by_carry and len(v):
            v = v.sort_values("year")
            panel = panel.sort_values("year")
            panel = pd.merge_asof(panel, v, on="year", by=["origin", "destination"], direction="backward")
            missing = panel["visa_openness"].isna()
            if missing.any():
                back = pd.merge_asof(panel.loc[missing, PANEL_KEYS].sort_values("year"), v, on="year",
                                     by=["origin", "destination"], direction="forward")
                panel.loc[missing, "visa_openness"] = back.set_index(PANEL_KEYS).reindex(
                    pd.MultiIndex.from_frame(panel.loc[missing, PANEL_KEYS]))["visa_openness"].to_numpy()
        else:
            panel = panel.merge(v, on=PANEL_KEYS, how="left")

    if rta is not None:
        _require(rta, PANEL_KEYS + ["rta"], "rta")
        panel = panel.merge(rta[PANEL_KEYS + ["rta"]], on=PANEL_KEYS, how="left")
        panel["rta"] = panel["rta"].fillna(0.0)

    if travel_time is not None:
        _require(travel_time, ["origin", "destination", "travel_time_h"], "travel_time")
        on = PANEL_KEYS if "year" in travel_time.columns else ["origin", "destination"]
        panel = panel.merge(travel_time[on + ["travel_time_h"]], on=on, how="left")

    if stringency is not None:
        _require(stringency, ["iso3", "year", "stringency"], "stringency")
        s = stringency.groupby(["iso3", "year"], as_index=False)["stringency"].mean()
        panel = panel.merge(s.rename(columns={"iso3": "origin", "stringency": "stringency_o"}),
                            on=["origin", "year"], how="left")
        panel = panel.merge(s.rename(columns={"iso3": "destination", "stringency": "stringency_d"}),
                            on=["destination", "year"], how="left")

    if wdi is not None:
        g = _gdp(wdi, gdp_indicator)
        panel = panel.merge(g.rename(columns={"iso3": "origin", "value": "gdp_o"}), on=["origin", "year"], how="left")
        panel = panel.merge(g.rename(columns={"iso3": "destination", "value": "gdp_d"}),
                            on=["destination", "year"], how="left")
        panel["ln_gdp_o"] = np.log(panel.pop("gdp_o"))
        panel["ln_gdp_d"] = np.log(panel.pop("gdp_d"))

    panel["exp_year"] = panel["origin"] + "_" + panel["year"].astype(str)
    panel["imp_year"] = panel["destination"] + "_" + panel["year"].astype(str)
    lo = np.where(panel["origin"] <= panel["destination"], panel["origin"], panel["destination"])
    hi = np.where(panel["origin"] <= panel["destination"], panel["destination"], panel["origin"])
    panel["pair"] = pd.Series(lo, index=panel.index).astype(str) + "-" + pd.Series(hi, index=panel.index).astype(str)
    return panel.sort_values(PANEL_KEYS).reset_index(drop=True)


def rcep_frame(pairs: pd.DataFrame) -> pd.DataFrame:
    """An ``rcep`` dummy for ``origin, destination, year`` rows: 1 from the year RCEP is in force for both partners.

    Membership and dates come from ``data/rcep.yaml`` (sourced; Myanmar's contested status is not coded). Pass the
    result as ``rta=`` to :func:`build_bilateral_panel` after renaming ``rcep`` to ``rta``, or merge it yourself.
    """
    from importlib import resources

    import yaml

    raw = yaml.safe_load(resources.files("lmc.flows").joinpath("data/rcep.yaml").read_text(encoding="utf-8"))
    since = {m["iso3"]: pd.Timestamp(str(m["in_force"])).year for m in raw["members"]}
    _require(pairs, PANEL_KEYS, "pairs")
    out = pairs[PANEL_KEYS].drop_duplicates().copy()
    o = out["origin"].map(since)
    d = out["destination"].map(since)
    both = np.maximum(o.to_numpy(dtype=float), d.to_numpy(dtype=float))  # NaN if either is not a member
    out["rcep"] = ((out["origin"] != out["destination"]) & ~np.isnan(both) & (out["year"].to_numpy() >= both)).astype(float)
    return out


def load_panel_inputs(settings=None, *, flow: FlowSource = "thailand_arrivals") -> dict[str, pd.DataFrame]:
    """Read the panel's inputs from the warehouse (thin loader; all logic is in :func:`build_bilateral_panel`).

    Tables that are missing from the warehouse are left out, so the panel simply lacks those covariates.
    """
    from lmc.errors import WarehouseError
    from lmc.warehouse.db import read_table  # imported late: the warehouse is a lower stage, loaded on demand

    out: dict[str, pd.DataFrame] = {}
    raw = read_table(flow, settings)
    out["flows"] = flows_from_thailand_arrivals(raw) if flow == "thailand_arrivals" else flows_from_migrant_stock(raw)
    for key, table in (("dist", "cepii_dist"), ("visa", "visa_requirements"), ("wdi", "wdi")):
        try:
            out[key] = read_table(table, settings)
        except WarehouseError:
            continue
    return out


def build_panel_from_warehouse(settings=None, *, flow: FlowSource = "thailand_arrivals", **kwargs) -> pd.DataFrame:
    """The bilateral panel from the warehouse's tables (see :func:`load_panel_inputs`)."""
    inputs = load_panel_inputs(settings, flow=flow)
    return build_bilateral_panel(inputs.pop("flows"), **inputs, **kwargs)
