"""The built-in back-casts (registered in :mod:`lmc.flows.validation`): one per model that has dated history.

* ``choice_2019``: the destination-choice model calibrated on 2019, with the conditions of 2023 and 2024 imposed
  (visa rules by date, group tours, train seats and times, the propensity to travel abroad by passport), against
  Chinese arrivals in Thailand, Laos and Vietnam;
* ``rail_speedup_2023``: the same model's response of train demand to the 64 minutes saved on 2023-07-25, through
  the seat limit, against border crossings by train per day before and after;
* ``trend_2019``: the export trend fitted on observations up to 2019, against Lao exports to China in 2021 and 2024;
* ``ge_muse_2021``: the GE model with China's closure of Muse represented from facts published before it (the
  share of China-Myanmar trade that crosses by land, Muse's share of it, the days it was shut), against the fall of
  trade through Muse while China kept it closed (2021-22).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from lmc import yamldoc
from lmc.flows.validation import BackCastContext, BackCastRow, back_cast


def _src(s: dict[str, Any]) -> str:
    return f"{s['publisher']} ({s.get('published', '')}) {s['url']}".strip()


@back_cast("choice_2019", model="choice", title="Chinese arrivals 2023-2024 from a 2019 calibration")
def choice_2019(ctx: BackCastContext) -> list[BackCastRow]:
    from lmc.flows.choice import load_choice_data, predict_arrivals

    data = load_choice_data()
    rows = []
    predicted = predict_arrivals(data, 2019, (2023, 2024), n_draws=ctx.n_draws, seed=ctx.seed, settings=ctx.settings)
    for year in (2023, 2024):
        observed = {d: v for d, v in (data.raw["observed"].get(year) or {}).items()}
        if year in data.targets:  # arrivals of a calibration year are observations for any other calibration
            observed |= {d: data.raw["targets"][year][d] for d in ("laos", "thailand", "vietnam")}
        _central, draws = predicted[year]
        for dest, obs in sorted(observed.items()):
            rows.append(BackCastRow.banded(
                draws[:, data.index(dest)], float(obs["value"]),
                event=f"Chinese arrivals in {data.label(dest)}, {year}",
                calibration="2019 arrivals; conditions of " + str(year) + " imposed",
                quantity="arrivals", unit="persons", source=_src(obs["source"]),
                note="band: tastes, targets, times and costs, segment splits, outside shares, visa effect, "
                     "propensity index and taste drift"))
    return rows


@back_cast("rail_speedup_2023", model="choice", title="Train crossings per day around the 2023-07-25 speed-up")
def rail_speedup(ctx: BackCastContext) -> list[BackCastRow]:
    from lmc.flows.choice import load_choice_data, rail_time_response, served

    data = load_choice_data()
    rc = data.raw["observed"]["rail_crossings"]
    start, speed_up = rc["service_start"], rc["speed_up"]
    (p1, p2) = rc["cumulative"]
    d1 = (p1["as_of"] - start).days + 1
    d2 = (p2["as_of"] - p1["as_of"]).days
    before, after = p1["crossings"] / d1, (p2["crossings"] - p1["crossings"]) / d2
    ratio_c, ratio, cv = rail_time_response(data, 1.07, n_draws=ctx.n_draws, seed=ctx.seed)
    rng = np.random.default_rng(ctx.seed + 1)
    trains = 2 * rc["trains_each_way"]                       # crossings count both directions
    cap_before = trains * rc["seats_before"][0]
    cap_after = trains * rng.uniform(*rc["seats_after"], size=len(ratio))

    # the mean daily demand that the seats served as the observed rate before (bisection, all draws at once)
    lo, hi = np.full(len(cv), before), np.full(len(cv), before * 50)
    for _ in range(80):
        mid = (lo + hi) / 2
        short = served(mid, cap_before, cv) < before
        lo, hi = np.where(short, mid, lo), np.where(short, hi, mid)
    pred = served((lo + hi) / 2 * ratio, cap_after, cv)
    hours = data.time[0, data.segments.index("yunnan"), data.index("laos"), 1]   # Kunming-Vientiane, after
    elasticity = -np.log(ratio_c) / np.log((hours + 1.07) / hours)
    return [BackCastRow.banded(
        pred, after, event="Train border crossings per day after the 64-minute speed-up (2023-07-25)",
        calibration=f"2024 arrivals and train use (border counts 2023-12-05 to 2024-09-25); {before:.0f} "
                    f"crossings/day observed {start} to {p1['as_of']}",
        quantity="crossings per day", unit="crossings/day",
        source=f"{_src(p1['source'])}; {_src(p2['source'])}",
        note=f"window after: {p1['as_of']} to {p2['as_of']} (the new timetable ran from {speed_up}); demand "
             f"response {100 * (ratio_c - 1):.0f}% (central) before seats, a journey-time elasticity of "
             f"{elasticity:.1f}; seats 250 before, 250-300 after (date of the rise unknown); seasons differ "
             "between the windows")]


@back_cast("trend_2019", model="trend", title="Lao exports to China 2021 and 2024 from the trend up to 2019")
def trend_2019(ctx: BackCastContext) -> list[BackCastRow]:
    from lmc.flows.trend import LEVEL, fit_trend, load_observations

    _claim, obs = load_observations()
    fit = fit_trend(obs, t0=2019, window=(2015, 2019))
    rows = []
    for r in obs[obs["year"] > 2019].itertuples():
        mid, lo, hi = (float(x[0]) for x in fit.prediction([r.year]))
        rows.append(BackCastRow(
            event=f"Lao exports to China, {r.year} ({r.basis})", calibration="observations 2015-2019 "
            f"({fit.n} points)", quantity="exports", unit="US$", predicted_median=mid, predicted_p05=lo,
            predicted_p95=hi, observed=float(r.value_usd), passed=bool(lo <= r.value_usd <= hi),
            rule=f"observed inside the {LEVEL:.0%} prediction interval (Student t, {fit.n - 2} df)",
            source=f"{r.publisher} {r.url}",
            note="reporting bases differ between years; with 4 points the interval is very wide"))
    return rows


@lru_cache(maxsize=1)
def _border_trade() -> dict[str, Any]:
    return yamldoc.safe_load(resources.files("lmc.flows").joinpath("data/myanmar_border_trade.yaml")
                          .read_text(encoding="utf-8"))


def _shut_share(ev: dict[str, Any]) -> float:
    """Share of the event's window in which the crossing was closed all day (until the trial reopening)."""
    return ((ev["closed_until"] - ev["window_start"]).days + 1) / ((ev["window_end"] - ev["window_start"]).days + 1)


def muse_closed_share(ev: dict[str, Any]) -> tuple[float, float, float]:
    """(central, low, high) % of China-Myanmar trade stopped by China's closure of Muse during the event's window,
    from facts published before it: the link's share crossing by land x Muse's share of that x the share of the
    window in which Muse was closed (all of it until the trial reopening of one gate, an unknown part after)."""
    route = next(r for r in _border_trade()["routes"] if r["pair"] == ["CHN", "MMR"])
    land, muse = route["border_share"], route["gates"]["Muse"]["share_of_border"]
    shut = _shut_share(ev)
    return (100 * land["value"] * muse["value"] * (shut + 1) / 2, 100 * land["low"] * muse["low"] * shut,
            100 * land["high"] * muse["high"])


@back_cast("ge_muse_2021", model="ge", title="China-Myanmar trade when China closed Muse (2021-22)")
def ge_muse(ctx: BackCastContext) -> list[BackCastRow]:
    from lmc.flows.ge import ROUTE_CLOSED, LinkShock, ge_scenario, load_ge_panel
    from lmc.flows.scenarios import load_scenario

    ev = next(e for e in _border_trade()["events"] if e["id"] == "muse_closure_2021")
    mid, low, high = muse_closed_share(ev)
    shock = LinkShock(ROUTE_CLOSED, mid, "set", (("CHN", "MMR"), ("MMR", "CHN")), (low, high))
    opts = load_scenario("myanmar-border-closure").options   # the model's settings (sigma, draws' ranges)
    year = 2006
    d = load_ge_panel(year, ctx.settings)
    run = ge_scenario(d, [], [shock], sigma=float(opts.get("sigma", 7.0)),
                      sigma_range=tuple(opts.get("sigma_range", (5.0, 9.0))), draws=min(ctx.n_draws, 200),
                      seed=ctx.seed, focus="MMR", pairs_of_interest=(("MMR", "CHN"),), settings=ctx.settings)
    observed = 100 * (ev["value_musd"] / ev["value_before_musd"] - 1)
    draws = run.pair_change_draws[("MMR", "CHN")]
    lo, med, hi = (float(x) for x in np.percentile(draws, [5, 50, 95]))
    return [BackCastRow(
        event=f"{ev['event']}: trade through {ev['crossing']}",
        calibration=f"observed {year} manufacturing trade (Advanced Guide panel); closure from sourced shares: "
                    f"{mid:.0f}% [{low:.0f}-{high:.0f}] of China-Myanmar trade stopped (land share x Muse's share "
                    "x days closed)",
        quantity="change in China-Myanmar trade", unit="%", predicted_median=med, predicted_p05=lo,
        predicted_p95=hi, observed=observed, passed=bool(med < 0 and med >= observed),
        rule="the predicted fall of the whole link is negative and not larger than the observed fall at the "
             "crossing (other gates and the sea route remained)",
        source=_src(ev["source"]),
        note=f"{ev['window']}; sector and year differ (manufacturing 2006 model, all goods 2021-22); the model "
             f"implies a fall at Muse of {100 * _shut_share(ev):.0f}-100% (the share of the window it was closed), "
             "against the observed fall")]
