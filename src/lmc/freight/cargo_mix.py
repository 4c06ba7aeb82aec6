"""Did the Land-Sea Corridor's containers grow with the value of what they carry? A sourced test of cargo mix.

Why: the freight route-choice model predicts containers of general cargo (manufactures, food) choosing between
routes. When the corridor's container count grows far faster than the value of the trade moved through it, the
value per container has fallen: the growth is in low-value goods, typically bulk (coal, ores, concentrates, pulp)
moved in containers instead of in bulk wagons. No route choice among the modelled alternatives produces that, so a
back-cast that misses such a year is explained by a change of cargo, and the figures below say by how much.

:func:`value_per_container` pairs, for one year, the corridor's year-to-date container total with the year-to-date
value of the trade through it (both with the year-on-year growth published with them) over the closest periods,
and returns the implied change in value per container: (1 + value growth) / (1 + container growth) - 1. Pure; the
series come from :func:`lmc.sources.freight_series.load_series` unless given.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import pandas as pd

CONTAINERS = "lsc_rail_sea_teu"
VALUE = "lsc_trade_value_west"
BODIES_ZH = {CONTAINERS: "国铁南宁局", VALUE: "海关总署"}
"""Who counts each series, named in the Chinese sentence (the English one names the publisher of the figure)."""
MIX_SHIFT = -0.10
"""A fall in value per container beyond 10 % is read as a shift of cargo mix (growth in low-value goods); smaller
moves are within what prices and the period mismatch can explain."""


@dataclass(frozen=True)
class Growth:
    """One year-to-date figure with its published year-on-year growth."""

    series: str
    start: _dt.date
    end: _dt.date
    value: float
    growth: float
    publisher: str
    url: str


@dataclass(frozen=True)
class CargoMix:
    """Containers against trade value through the Land-Sea Corridor over (nearly) the same months of ``year``."""

    year: int
    containers: Growth
    value: Growth

    @property
    def value_per_container_change(self) -> float:
        """Implied year-on-year change in the value carried per container (a fraction)."""
        return (1 + self.value.growth) / (1 + self.containers.growth) - 1

    @property
    def mix_shift(self) -> bool:
        """True when the value per container fell by more than :data:`MIX_SHIFT`."""
        return self.value_per_container_change < MIX_SHIFT

    @property
    def period_gap_days(self) -> int:
        """Days between the two periods' ends (they are published on different dates)."""
        return abs((self.containers.end - self.value.end).days)

    def sentence(self, lang: str = "en") -> str:
        """The finding in one sentence, with its figures and periods."""
        c, v, d = self.containers, self.value, self.value_per_container_change
        if lang == "zh":
            return (f"{self.year}年{c.start.month}月{c.start.day}日至{c.end.month}月{c.end.day}日，陆海新通道铁海联运"
                    f"集装箱量同比增长{c.growth:.1%}（{BODIES_ZH[c.series]}），而{v.start.month}月至{v.end.month}月西部"
                    f"地区经该通道进出口值增长{v.growth:.1%}（{BODIES_ZH[v.series]}）：每箱货值约{'下降' if d < 0 else '上升'}"
                    f"{abs(d):.0%}，增长来自低货值货物（以集装箱运输的大宗货物），不属于本模型的路径选择。")
        return (f"From {c.start.day} {c.start:%B} to {c.end.day} {c.end:%B} {self.year}, the corridor's rail-sea "
                f"containers grew {c.growth:.1%} ({c.publisher}), while the value of western China's trade through it "
                f"grew {v.growth:.1%} from {v.start:%B} to {v.end:%B} ({v.publisher}): the value per container "
                f"{'fell' if d < 0 else 'rose'} by about {abs(d):.0%}, so the growth was in low-value goods (bulk "
                f"moved in containers), which is not a route choice the model makes.")


def _growths(series: pd.DataFrame, name: str, year: int) -> list[Growth]:
    rows = series[(series["series"] == name) & (series["kind"] == "year_to_date") & (series["year"] == year)
                  & series["growth"].notna()]
    out = []
    for r in rows.itertuples():
        start, end = (_dt.date.fromisoformat(x) for x in str(r.period).split(".."))
        out.append(Growth(name, start, end, float(r.value), float(r.growth), str(r.source_publisher),
                          str(r.source_url)))
    return out


def value_per_container(year: int, series: pd.DataFrame | None = None) -> CargoMix | None:
    """The cargo-mix comparison for ``year``, pairing the container and value figures whose periods end closest
    together (ties: the later); None when either is missing."""
    if series is None:
        from lmc.sources.freight_series import load_series

        series = load_series()
    boxes, values = _growths(series, CONTAINERS, year), _growths(series, VALUE, year)
    if not boxes or not values:
        return None
    b, v = min(((b, v) for b in boxes for v in values),
               key=lambda bv: (abs((bv[0].end - bv[1].end).days), -bv[0].end.toordinal()))
    return CargoMix(year, b, v)
