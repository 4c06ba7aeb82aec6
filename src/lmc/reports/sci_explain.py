"""Sentences that explain a score from its contributions (:func:`lmc.sci.explain.contributions`), in English and
Chinese: which indicators raise a unit's index most against the median unit and which hold it back, in points.
Generated from the numbers, never written by hand, so they change when the data do."""

from __future__ import annotations

import pandas as pd

from lmc.reports import labels as names
from lmc.reports.numfmt import fmt
from lmc.sci.explain import top_contributions
from lmc.sci.framework import default_framework


def indicator_names(lang: str) -> dict[str, str]:
    """Indicator id -> its name in ``lang`` (the framework's)."""
    return {i.id: getattr(i.name, lang) for i in default_framework().indicators}


def _mid_sentence(name: str, lang: str) -> str:
    """An English name inside a sentence starts lower case (unless it starts with an acronym: RCEP, UCDP)."""
    if lang == "en" and len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _list(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ("、".join(items[:-1]) + "和" + items[-1]) if lang == "zh" else (", ".join(items[:-1]) + " and " + items[-1])


_SENTENCE = {
    "en": {"head": "{who} ({unit}) ranks {ordinal} with {score}", "up": "raised most by {items}",
           "down": "held back most by {items}", "item": "{name} ({points} points)", "none": "every indicator is "
           "close to the median", "colon": ": ", "sep": "; ", "end": "."},
    "zh": {"head": "{who}（{unit}）以{score}分排名第{rank}", "up": "{items}拉高得分最多", "down": "{items}拉低得分最多",
           "item": "{name}（{points}分）", "none": "各项指标均接近中位数", "colon": "：", "sep": "；", "end": "。"},
}


def sentence(contrib: pd.DataFrame, level: str, unit: str, rank: int, score: float, lang: str) -> str:
    """One sentence: the unit, its rank and score, the two indicators that raise it most and the two that lower it
    most against the median, in points."""
    up, down = top_contributions(contrib, level, unit)
    nm = indicator_names(lang)
    w = _SENTENCE[lang]

    def items(rows: pd.DataFrame) -> str:
        return _list([w["item"].format(name=_mid_sentence(nm.get(r.indicator, r.indicator), lang),
                                       points=fmt(r.points, "points", lang)) for r in rows.itertuples()], lang)

    parts = [w[k].format(items=items(rows)) for k, rows in (("up", up), ("down", down)) if len(rows)]
    head = w["head"].format(who=names.unit_name(unit, lang), unit=unit, ordinal=_ordinal(rank), rank=rank,
                            score=fmt(score, "score"))
    return head + w["colon"] + (w["sep"].join(parts) if parts else w["none"]) + w["end"]


def top_and_bottom(scores: pd.DataFrame, contrib: pd.DataFrame, year: int, lang: str, n: int = 3) -> list[str]:
    """Sentences for the ``n`` highest and ``n`` lowest pairs of ``year``, best first."""
    idx = scores[(scores["level"] == "pair") & (scores["year"] == year) & (scores["pillar"] == "index")]
    idx = idx.sort_values("rank")
    chosen = pd.concat([idx.head(n), idx.tail(n)])
    return [sentence(contrib, "pair", r.unit, int(r.rank), float(r.score), lang) for r in chosen.itertuples()]
