"""Numbers as people read them, by kind: the one formatter of the web pages and the reports.

Kinds: ``year`` (2054, never "2,054.5"), ``count`` (14,205 - separators, no decimals), ``share`` (a 0-1 fraction
shown as 55%), ``pct`` (already in percent: -6.9%), ``money`` (US$ 12.6 bn; in Chinese 126.3 亿美元), ``score`` (0-100, one decimal),
``points`` (a contribution, always signed: +3.2, −1.4), ``rank`` (whole), ``number`` (anything else: whole numbers
as such, two decimals below 1,000, none above). Infinity is "∞"; an infinite
year is "never"; a missing value is "–". :func:`kind_of` guesses the kind from a column or key name, so tables of
results whose columns are named ``payback_year``, ``visitors_baseline`` or ``welfare_pct`` format themselves.
"""

from __future__ import annotations

import math
import re
from typing import Any

KINDS = ("year", "count", "share", "pct", "money", "score", "points", "rank", "number")
NEVER = {"en": "never", "zh": "永不"}
MISSING = "–"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def fmt(value: Any, kind: str = "number", lang: str = "en", digits: int | None = None, unit: str = "") -> str:
    """``value`` as text for a reader (see the module docstring). ``unit`` follows a money amount (``bn``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool) or not _is_number(value):
        try:
            value = float(value)  # numpy scalars, Decimal, numeric strings
        except (TypeError, ValueError):
            return str(value)
        if math.isnan(value):
            return MISSING
    if math.isinf(value):
        if kind == "year":
            return NEVER.get(lang, NEVER["en"]) if value > 0 else MISSING
        return "∞" if value > 0 else "−∞"
    if kind == "year":
        return str(math.floor(value))  # the year in which it happens: 2054.5 is during 2054
    if kind in ("count", "rank"):
        return _minus(f"{round(value):,}")
    if kind == "share":
        return _minus(f"{value * 100:.{0 if digits is None else digits}f}%")
    if kind == "pct":
        return _minus(f"{value:,.{1 if digits is None else digits}f}%")
    if kind == "money":
        sign = "−" if value < 0 else ""
        if lang == "zh":  # Chinese counts money in 亿 (1e8) and 万 (1e4): 126 亿美元, not "US$ 12.6 bn"
            usd = abs(value) * {"bn": 1e9, "m": 1e6}.get(unit, 1.0)
            return sign + (f"{usd / 1e8:,.1f} 亿美元" if usd >= 1e8 else f"{usd / 1e4:,.0f} 万美元")
        d = (1 if abs(value) < 100 else 0) if digits is None else digits
        return sign + f"US$ {abs(value):,.{d}f}" + (f" {unit}" if unit else "")
    if kind == "score":
        return f"{value:.{1 if digits is None else digits}f}"
    if kind == "points":  # a contribution: always signed, so a reader sees which way it pushes
        return _minus(f"{value:+.{1 if digits is None else digits}f}")
    if isinstance(value, int) or float(value).is_integer():  # a whole number stays whole: 8 routes, not 8.00
        return _minus(f"{int(value):,}")
    if abs(value) >= 1000:
        return _minus(f"{value:,.0f}")
    return _minus(f"{value:,.{2 if digits is None else digits}f}")


def _minus(text: str) -> str:
    return text.replace("-", "−") if text.startswith("-") else text


_RULES: tuple[tuple[str, str], ...] = (
    (r"(^|_)(year|years)$|_year$|^year_|^payback_p\d\d$", "year"),
    (r"(^|_)(share|fraction)(_|$)", "share"),
    (r"_pct$|^pct_|_pct_|percent|^welfare_p\d\d$", "pct"),
    (r"_usd(_|$)|usd_bn|musd|_cny(_|$)", "money"),
    (r"(^|_)(visitors|arrivals|trips|passengers|nobs|n_draws|draws|count|persons|routes|iterations|seed|minutes|"
     r"rank|stops|sites|change)(_|$)|(^|_)n$|_min$", "count"),
    (r"(^|_)score(_|$)", "score"),
)


def kind_of(name: str) -> str:
    """The kind of a column or key from its name (``payback_year`` -> year, ``welfare_pct`` -> pct,
    ``visitors_baseline`` -> count, ``claim_2030_usd_bn`` -> money), else ``number``."""
    n = str(name).lower()
    for pattern, kind in _RULES:
        if re.search(pattern, n):
            return kind
    return "number"


def money_unit(name: str) -> str:
    """``bn`` or ``m`` for a money column named ``..._usd_bn`` or ``..._musd``."""
    n = str(name).lower()
    return "bn" if n.endswith("_bn") else ("m" if "musd" in n else "")


def fmt_named(value: Any, name: str, lang: str = "en", row: dict[str, Any] | None = None) -> str:
    """:func:`fmt` with the kind guessed from ``name`` (and a money column's unit). In a table whose rows name
    what they measure (a ``measure`` column, e.g. ``payback_year``), a plain column (``p50``) takes the row's kind."""
    kind = kind_of(name)
    if kind == "number" and row and isinstance(row.get("measure"), str):
        name = row["measure"]
        kind = kind_of(name)
    if isinstance(value, (list, tuple)):
        return "–".join(fmt(v, kind, lang) for v in value) if len(value) == 2 else ", ".join(map(str, value))
    return fmt(value, kind, lang, unit=money_unit(name) if kind == "money" else "")


def is_numeric(value: Any) -> bool:
    """True for numbers (not booleans): a table right-aligns these cells and their column headers."""
    return _is_number(value) or type(value).__module__ == "numpy" and not isinstance(value, bool)
