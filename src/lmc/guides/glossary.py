"""Required word forms: the names readers of each language expect, checked in every text of the manuals.

Why: a manual written for Chinese travellers must say 中老铁路 (China-Laos Railway, the name used in China), not the
Lao-side order 老中铁路, and 国王颂歌 for Thailand's royal anthem; the observatory has one Chinese name. The glossary
(``content/_glossary.yaml``) lists, per language, the form to use and the forms that must not appear; the loader
refuses a content file that uses one of them, naming file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pydantic import Field

from lmc import yamldoc
from lmc.guides.model import Lang, _Frozen

GLOSSARY_FILE = Path(__file__).resolve().parent / "content" / "_glossary.yaml"


class Term(_Frozen):
    """One required form in one language, the forms it replaces, and why."""

    lang: Lang
    use: str = Field(min_length=1)
    avoid: tuple[str, ...] = Field(min_length=1)
    why: str = Field(min_length=3)


@lru_cache(maxsize=2)
def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[Term, ...]:
    from lmc.guides.load import GuideContentError

    doc = yamldoc.load(path, error=GuideContentError)
    if not isinstance(doc.data, list):
        raise GuideContentError(f"{path}:1: expected a list of {{lang, use, avoid, why}}")
    terms = []
    for i, entry in enumerate(doc.data):
        try:
            terms.append(Term.model_validate(entry))
        except Exception as exc:  # pydantic.ValidationError: one line naming the entry
            raise GuideContentError(f"{path}:{doc.line((i,)) or 1}: entry {i}: {exc}") from None
    return tuple(terms)


def problems(texts: Iterable[tuple[str, str, str]], terms: Iterable[Term] | None = None) -> list[tuple[str, str]]:
    """``(where, message)`` for each text ``(where, lang, text)`` that uses a form the glossary rules out."""
    terms = tuple(load_glossary() if terms is None else terms)
    out: list[tuple[str, str]] = []
    for where, lang, text in texts:
        for term in terms:
            if term.lang != lang:
                continue
            for bad in term.avoid:
                if bad in text:
                    out.append((where, f"uses {bad!r}; write {term.use!r} ({term.why})"))
    return out
