"""Which items are due for review: the dates behind ``lmc guide status --max-age``.

Every item carries the day it was last verified against its sources. A rule told to a traveller must be current,
so an item verified longer ago than a set age (default 180 days) is listed as due for review, the volatile ones
(visas, borders, emergency numbers) first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from lmc.guides.model import Guide

DEFAULT_MAX_AGE_DAYS = 180


@dataclass(frozen=True, slots=True)
class ReviewRow:
    country: str
    id: str
    section: str
    volatile: bool
    effective: str | None
    verified: dt.date
    age_days: int
    due: bool


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """Every item's verification date and age on ``as_of``; ``due()`` are those older than ``max_age_days``."""

    as_of: dt.date
    max_age_days: int
    rows: tuple[ReviewRow, ...]

    def due(self) -> tuple[ReviewRow, ...]:
        """Items to re-check, volatile first, then the oldest first."""
        return tuple(sorted((r for r in self.rows if r.due), key=lambda r: (not r.volatile, r.verified, r.country)))

    def verified_range(self) -> dict[str, tuple[dt.date, dt.date]]:
        """Oldest and newest verification date per destination."""
        out: dict[str, tuple[dt.date, dt.date]] = {}
        for r in self.rows:
            lo, hi = out.get(r.country, (r.verified, r.verified))
            out[r.country] = (min(lo, r.verified), max(hi, r.verified))
        return out

    def to_frame(self, *, due_only: bool = False) -> pd.DataFrame:
        rows = self.due() if due_only else self.rows
        return pd.DataFrame([asdict(r) for r in rows],
                            columns=["country", "id", "section", "volatile", "effective", "verified", "age_days", "due"])

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "max_age_days": self.max_age_days,
                "items": len(self.rows), "volatile": sum(r.volatile for r in self.rows),
                "verified_range": {c: [lo.isoformat(), hi.isoformat()] for c, (lo, hi) in self.verified_range().items()},
                "due": [{**asdict(r), "verified": r.verified.isoformat()} for r in self.due()]}


def review(guides: Iterable[Guide], *, max_age_days: int = DEFAULT_MAX_AGE_DAYS,
           as_of: dt.date | None = None) -> ReviewResult:
    """Age of every item's verification on ``as_of`` (default: today)."""
    if max_age_days < 0:
        from lmc.errors import ValidationError

        raise ValidationError(f"max age must be 0 days or more, not {max_age_days}")
    day = as_of or dt.date.today()
    rows = tuple(
        ReviewRow(country=g.country, id=it.id, section=it.section, volatile=it.volatile, effective=it.effective,
                  verified=it.verified, age_days=(day - it.verified).days,
                  due=(day - it.verified).days > max_age_days)
        for g in guides for it in g.every_item
    )
    return ReviewResult(as_of=day, max_age_days=max_age_days, rows=rows)
