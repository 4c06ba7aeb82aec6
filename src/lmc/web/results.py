"""A scenario result as a page shows it, in the page's language.

Every column and headline key reads by its label (the result's own ``labels``, built by :mod:`lmc.flows.labels`),
every value that is a word by its name (countries from the curated data, destinations, validation states and the
notes the models write from :func:`lmc.flows.labels.value`), every number by its kind (:mod:`lmc.reports.numfmt`).
A text with no translation (a publisher's basis, quoted) keeps its English and says so (``lang="en"``), so the page
can mark it. Pure functions over the result dict the worker returns; the template only lays the cells out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lmc import LMC_COUNTRIES
from lmc.flows import labels as flow_labels
from lmc.reports.labels import country_name
from lmc.reports.numfmt import fmt_named, is_numeric

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
YES_NO = {"en": ("yes", "no"), "zh": ("是", "否")}


@dataclass(frozen=True)
class Cell:
    """One shown value: its text, ``lang`` when the text stays in another language than the page ("en"), and
    whether it is a number (right-aligned)."""

    text: str
    lang: str | None = None
    num: bool = False


def key_label(result: dict[str, Any], key: str, lang: str) -> str:
    """A column or headline key by its label: the result's own labels, else :func:`lmc.flows.labels.label`
    (nested keys such as a destination, a country code)."""
    if key in LMC_COUNTRIES:
        return country_name(key, lang)
    own = result.get("labels", {}).get(key)
    if own and own.get(lang):
        return own[lang]
    return word(key, lang).text


def word(v: str, lang: str) -> Cell:
    """A value that is a word: a country code, a key with a label (an input's name), a destination, a model's
    note; English text with no translation comes back marked ``lang="en"`` on a Chinese page."""
    if v in LMC_COUNTRIES:
        return Cell(country_name(v, lang))
    if _ISO3.match(v):  # other economies of the GE panel: their ISO3 code
        return Cell(v)
    if _IDENT.match(v) and v in flow_labels.LABELS:
        return Cell(flow_labels.label(v, lang))
    named = flow_labels.value(v, lang)
    if named is not None:
        return Cell(named)
    return Cell(v, lang="en" if lang != "en" else None)


def cell(key: str, v: Any, lang: str, row: dict[str, Any] | None = None) -> Cell:
    """The value ``v`` of column or headline ``key``."""
    if v is None:
        return Cell(fmt_named(None, key, lang), num=True)
    if isinstance(v, bool):
        return Cell(YES_NO[lang][0 if v else 1])
    if is_numeric(v):
        return Cell(fmt_named(v, key, lang, row), num=True)
    if key == "validation" and isinstance(v, str):
        return Cell(flow_labels.validation_state(v, lang))
    if isinstance(v, str):
        return word(v, lang)
    if isinstance(v, dict):
        parts = [(word(k, lang), cell(key, x, lang)) for k, x in v.items()]
        sep = "；" if lang == "zh" else "; "
        colon = "：" if lang == "zh" else ": "
        return Cell(sep.join(f"{k.text}{colon}{x.text}" for k, x in parts),
                    lang="en" if any(k.lang or x.lang for k, x in parts) else None)
    if isinstance(v, (list, tuple)):
        if v and all(is_numeric(x) or x is None for x in v):
            return Cell(fmt_named(list(v), key, lang), num=len(v) != 2)
        parts = [word(str(x), lang) for x in v]
        return Cell(("、" if lang == "zh" else ", ").join(p.text for p in parts),
                    lang="en" if any(p.lang for p in parts) else None)
    return Cell(str(v))


def headline(result: dict[str, Any], lang: str) -> list[tuple[str, Cell]]:
    """The headline numbers (the validation state is shown above them, not among them)."""
    return [(key_label(result, k, lang), cell(k, v, lang)) for k, v in result.get("headline", {}).items()
            if k != "validation"]


def table(result: dict[str, Any], rows: list[dict[str, Any]], lang: str
          ) -> tuple[list[tuple[str, bool]], list[list[Cell]]]:
    """Headers (label, numeric column) and cells of a page of a result table."""
    if not rows:
        return [], []
    cols = list(rows[0])
    numeric = {c: any(is_numeric(r.get(c)) for r in rows) for c in cols}
    return ([(key_label(result, c, lang), numeric[c]) for c in cols],
            [[cell(c, r.get(c), lang, r) for c in cols] for r in rows])


def validation(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The model's back-cast status for the top of the result: state, its label, one sentence, the failed
    back-casts by name and, where the check explains a failure, why (``why``: (name, explanation) pairs)."""
    v = result.get("validation") or {"state": "none", "model": result.get("model", "")}
    reasons = v.get("reasons") or {}
    why = [(word(str(e), lang), r.get(lang) or r.get("en", "")) for e, r in reasons.items() if isinstance(r, dict)]
    return {"state": v.get("state", "none"), "label": flow_labels.validation_state(v.get("state", "none"), lang),
            "line": flow_labels.validation_line(v, lang), "failed": [word(str(x), lang) for x in v.get("failed", ())],
            "why": [(e, r) for e, r in why if r]}


def about(result: dict[str, Any], lang: str) -> list[tuple[str, Cell]]:
    """What the model is fitted to: calibration and sector, by their labels."""
    return [(key_label(result, k, lang), word(str(result[k]), lang)) for k in ("calibration", "sector")
            if result.get(k)]
