"""The typed result of an SCI build: what the CLI prints, the outputs write and the reports render."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lmc.sci.uncertainty import UncertaintyResult
from lmc.sci.validity import ValidityResult

CURATED_FACT = "curated_fact"
"""``id`` of the sources-table rows that are the record-level sources of the SCI's curated facts (one per cited
page), as opposed to the rows of declared connectors (which include the package's ``curated`` reference data)."""


@dataclass(frozen=True, eq=False)
class SciResult:
    """Scores at every level and year, the flagged indicator panel, the audit and the uncertainty analysis."""

    scores: pd.DataFrame  # level, unit, year, pillar, score, rank
    panel: pd.DataFrame  # level, indicator, unit, year, raw, value, flag, source_years, source
    audit: dict[str, pd.DataFrame]
    uncertainty: UncertaintyResult
    years: tuple[int, ...]
    pillars: tuple[str, ...]
    unavailable: dict[str, str]
    excluded: dict[str, list[str]]
    sources: pd.DataFrame  # id, title, publisher, licence, url, used_for
    key: str
    out_dir: Path | None = None
    files: tuple[Path, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    cached: bool = False
    reopening: dict[str, str] = field(default_factory=dict)
    """Country -> the date it reopened after the Covid closures (OxCGRT C8), which sets the imputation regimes."""
    validity: ValidityResult | None = None
    """The face-validity suite on this build (:mod:`lmc.sci.validity`)."""
    contributions: pd.DataFrame | None = None
    """Points per indicator against the median, pairs and countries, latest year (:mod:`lmc.sci.explain`)."""
    robustness: pd.DataFrame | None = None
    """Pair ranks under each correction undone and geometric aggregation (:mod:`lmc.sci.robustness`)."""

    @property
    def latest_year(self) -> int:
        return max(self.years)

    def to_frame(self) -> pd.DataFrame:
        return self.scores

    def to_dict(self) -> dict:
        latest = self.scores[(self.scores["year"] == self.latest_year) & (self.scores["pillar"] == "index")]
        return {
            "key": self.key, "years": [min(self.years), max(self.years)], "pillars": list(self.pillars),
            "latest": latest.to_dict(orient="records"), "uncertainty": self.uncertainty.to_dict(),
            "unavailable": self.unavailable, "excluded": self.excluded,
            "files": [str(f) for f in self.files], "cached": self.cached, "timings": self.timings,
            "validity": self.validity.to_dict() if self.validity is not None else None,
        }
