"""Pydantic building blocks shared by the curated registries (places, freight series, freight model inputs).

Why one place: every curated record carries the same ``source: {publisher, url, accessed}`` and every schema is
frozen and refuses unknown fields, so a typo in a field name is reported (file:line: field) rather than ignored.
"""

from __future__ import annotations

import datetime as _dt

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """A frozen record that refuses unknown fields and strips whitespace from strings."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Reference(Frozen):
    """Where a fact comes from: publisher, URL, the date it was read, optionally the publication date and a note."""

    publisher: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    accessed: _dt.date
    published: _dt.date | str | None = None
    note: str | None = None
