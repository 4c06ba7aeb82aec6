"""The typed, frozen result of one build: every stage's data, scores and ranks per level."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lmc.index.spec import IndexSpec
from lmc.index.treat import TreatDetail, details_frame


def rank_desc(x: np.ndarray, axis: int = 0) -> np.ndarray:
    """Ranks with higher = better and ties at the minimum rank (R ``rank(-x, ties.method = "min")``); NaN kept."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x
    from scipy.stats import rankdata  # here, not at import: scipy.stats costs ~1.5 s at start-up

    return rankdata(-x, method="min", axis=axis, nan_policy="omit").astype(float)


def rank_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """Rank each column; for a panel (index ``(uCode, Time)``) ranks are within each year."""
    if isinstance(scores.index, pd.MultiIndex):
        arr = np.full(scores.shape, np.nan)
        times = scores.index.get_level_values(1)
        for t in pd.unique(times):
            rows = np.asarray(times == t)
            arr[rows] = rank_desc(scores.to_numpy(dtype=float)[rows], axis=0)
        return pd.DataFrame(arr, index=scores.index, columns=scores.columns).astype("Int64")
    arr = rank_desc(scores.to_numpy(dtype=float), axis=0) if len(scores) else scores.to_numpy(dtype=float)
    return pd.DataFrame(arr, index=scores.index, columns=scores.columns).astype("Int64")


@dataclass(frozen=True)
class IndexResult:
    """One build. ``stages`` maps stage name -> units x indicators frame (``raw``, ``denominated``, ``imputed``,
    ``screened``, ``treated``, ``normalised``) plus ``aggregated`` (indicators and aggregates). ``scores`` and
    ``ranks`` hold the aggregates (index first), ``weights`` the weights used, ``effective_weights`` each node's
    share of the index."""

    spec: IndexSpec
    stages: dict[str, pd.DataFrame]
    scores: pd.DataFrame
    ranks: pd.DataFrame
    weights: dict[str, float]
    effective_weights: dict[str, float]
    treat_details: tuple[TreatDetail, ...] = ()
    removed_units: tuple[str, ...] = ()
    names: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))

    @property
    def framework(self):
        return self.spec.framework

    @property
    def index_code(self) -> str:
        return self.spec.framework.root

    @property
    def units(self) -> tuple:
        return tuple(self.scores.index)

    def score(self, code: str | None = None) -> pd.Series:
        return self.scores[code or self.index_code]

    def to_frame(self) -> pd.DataFrame:
        """``uCode`` (and ``Time`` for panels), then ``<code>`` and ``<code>_rank`` for the index and every
        aggregate, top level first; rows sorted by index rank."""
        cols: dict[str, Any] = {}
        for code in self.scores.columns:
            cols[code] = self.scores[code]
            cols[f"{code}_rank"] = self.ranks[code]
        df = pd.DataFrame(cols, index=self.scores.index).reset_index()
        sort = (["Time"] if "Time" in df.columns else []) + [f"{self.index_code}_rank", "uCode"]
        return df.sort_values(sort, kind="stable", na_position="last").reset_index(drop=True)

    def stage_frame(self, stage: str) -> pd.DataFrame:
        from lmc.errors import unknown
        from lmc.index.errors import SpecError

        if stage not in self.stages:
            raise SpecError(unknown("stage", stage, self.stages))
        return self.stages[stage].reset_index()

    def treat_frame(self) -> pd.DataFrame:
        return details_frame(self.treat_details)

    def weights_frame(self) -> pd.DataFrame:
        fw = self.spec.framework
        return pd.DataFrame({"code": list(fw.codes), "level": [fw.by_code[c].level for c in fw.codes],
                             "weight": [self.weights[c] for c in fw.codes],
                             "effective_weight": [self.effective_weights.get(c) for c in fw.codes]})

    def to_dict(self) -> dict[str, Any]:
        recs = self.to_frame()
        recs = recs.astype(object).where(recs.notna(), None)
        return {"index": self.index_code, "spec": self.spec.to_dict(), "removed_units": list(self.removed_units),
                "results": recs.to_dict(orient="records"), "weights": dict(self.weights)}
