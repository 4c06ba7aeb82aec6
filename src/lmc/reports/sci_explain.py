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


def sentence(contrib: pd.DataFrame, level: str, unit: str, rank: int, score: float, lang: str) -> str:
    """One sentence: the unit, its rank and score, the two indicators that raise it most and the two that lower it
    most against the median, in points."""
    up, down = top_contributions(contrib, level, unit)
    nm = indicator_names(lang)
    who = names.unit_name(unit, lang)

    def items(rows: pd.DataFrame, unit_word: str) -> list[str]:
        return [f"{_mid_sentence(nm.get(r.indicator, r.indicator), lang)} ({fmt(r.points, 'points', lang)}"
                f"{unit_word})" if lang == "en" else
                f"{nm.get(r.indicator, r.indicator)}（{fmt(r.points, 'points', lang)}{unit_word}）"
                for r in rows.itertuples()]

    if lang == "zh":
        head = f"{who}（{unit}）以{fmt(score, 'score')}分排名第{rank}："
        parts = []
        if len(up):
            parts.append(f"{_list(items(up, '分'), lang)}拉高得分最多")
        if len(down):
            parts.append(f"{_list(items(down, '分'), lang)}拉低得分最多")
        return head + ("；".join(parts) if parts else "各项指标均接近中位数") + "。"
    head = f"{who} ({unit}) ranks {_ordinal(rank)} with {fmt(score, 'score')}"
    parts = []
    if len(up):
        parts.append(f"raised most by {_list(items(up, ' points'), lang)}")
    if len(down):
        parts.append(f"held back most by {_list(items(down, ' points'), lang)}")
    return head + (": " + "; ".join(parts) if parts else ": every indicator is close to the median") + "."


def top_and_bottom(scores: pd.DataFrame, contrib: pd.DataFrame, year: int, lang: str, n: int = 3) -> list[str]:
    """Sentences for the ``n`` highest and ``n`` lowest pairs of ``year``, best first."""
    idx = scores[(scores["level"] == "pair") & (scores["year"] == year) & (scores["pillar"] == "index")]
    idx = idx.sort_values("rank")
    chosen = pd.concat([idx.head(n), idx.tail(n)])
    return [sentence(contrib, "pair", r.unit, int(r.rank), float(r.score), lang) for r in chosen.itertuples()]
