"""Variance-based sensitivity analysis: first- and total-order Sobol indices of the uncertain inputs.

The Saltelli design (SALib ``sample.sobol`` without second order: N (d + 2) points) is mapped to draws exactly as
in the uncertainty analysis and evaluated with the same vectorised evaluator. The default output is COINr's: the
mean absolute rank change of all units against the nominal ranks. Indices and bootstrap intervals come from
SALib ``analyze.sobol`` (Saltelli 2010, doi:10.1016/j.cpc.2009.09.018; Jansen 1999 for ST).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lmc.errors import suggest
from lmc.index.data import IndexData
from lmc.index.errors import SpecError
from lmc.index.results import rank_desc
from lmc.index.spec import IndexSpec
from lmc.index.uncertainty import (
    MAX_DRAWS,
    Progress,
    UASpec,
    draws_from_sample,
    evaluate_draws,
    nominal,
    rank_stats,
)

OUTPUTS = ("mean_abs_rank_change",)


@dataclass(frozen=True)
class SensitivityResult:
    """Sobol indices per input (``sobol``: input, S1, S1_low, S1_high, ST, ST_low, ST_high), the model outputs
    ``y`` (one per evaluation) and the rank statistics of the first 2N (random) evaluations."""

    sobol: pd.DataFrame
    y: np.ndarray
    n: int
    d: int
    output: str
    rankstats: pd.DataFrame
    seed: int | None = None

    @property
    def evaluations(self) -> int:
        return int(self.y.size)

    def to_frame(self) -> pd.DataFrame:
        return self.sobol

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "d": self.d, "evaluations": self.evaluations, "output": self.output, "seed": self.seed,
                "sobol": self.sobol.to_dict(orient="records")}


def output_values(ranks: np.ndarray, nominal_ranks: np.ndarray, units: tuple[str, ...], output: str) -> np.ndarray:
    """Scalar output per draw: ``mean_abs_rank_change`` or the rank of one unit (its code)."""
    if output == "mean_abs_rank_change":
        return np.nanmean(np.abs(ranks - nominal_ranks[:, None]), axis=0)
    if output in units:
        return ranks[units.index(output)]
    raise SpecError(f"unknown sensitivity output {output!r}.{suggest(output, OUTPUTS + units)} "
                    f"Valid: {', '.join(OUTPUTS)} or a unit code")


def run_sensitivity(spec: IndexSpec, data: IndexData, ua: UASpec, *, n: int = 1000, seed: int | None = None,
                    nboot: int = 1000, conf_level: float = 0.95, output: str = "mean_abs_rank_change",
                    progress: Progress | None = None) -> SensitivityResult:
    """Sobol sensitivity analysis with ``n`` base samples (n (d + 2) evaluations)."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    if data.is_panel:
        raise SpecError("sensitivity analysis runs on one cross-section; select a year with data.at_time(year)")
    if ua.d < 2:
        raise SpecError("sensitivity analysis needs at least two uncertain inputs (use uncertainty analysis)")
    if not 2 <= n <= MAX_DRAWS:
        raise SpecError(f"n must be from 2 to {MAX_DRAWS:,}, got {n}")
    if not 10 <= nboot <= MAX_DRAWS:
        raise SpecError(f"nboot must be from 10 to {MAX_DRAWS:,}, got {nboot}")
    if output not in OUTPUTS and output not in data.units:  # fail before the evaluations, not after
        output_values(np.zeros((0, 0)), np.zeros(0), data.units, output)
    problem = {"num_vars": ua.d, "names": list(ua.names), "bounds": [[0.0, 1.0]] * ua.d}
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns when n is not a power of 2; the design stays valid
        X = sobol_sample.sample(problem, n, calc_second_order=False, seed=int(rng.integers(2**31)))
    draws = draws_from_sample(X, spec, ua, rng)
    target = ua.target or spec.framework.root
    units = data.units
    _, nom_r = nominal(spec, data, target, units)
    scores = evaluate_draws(spec, data, ua, draws, units=units, progress=progress)
    ranks = rank_desc(scores, axis=0)
    y = output_values(ranks, nom_r, units, output)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = sobol_analyze.analyze(problem, y, calc_second_order=False, num_resamples=nboot, conf_level=conf_level,
                                   seed=int(rng.integers(2**31)))
    sob = pd.DataFrame({"input": list(ua.names), "S1": si["S1"], "S1_low": si["S1"] - si["S1_conf"],
                        "S1_high": si["S1"] + si["S1_conf"], "ST": si["ST"], "ST_low": si["ST"] - si["ST_conf"],
                        "ST_high": si["ST"] + si["ST_conf"]})
    # rank statistics of the 2N random rows (A and B blocks) of the design
    d = ua.d
    idx = np.arange(X.shape[0]).reshape(n, d + 2)
    rand = np.concatenate([idx[:, 0], idx[:, -1]])
    st = rank_stats(ranks[:, rand])
    rs = pd.DataFrame({"uCode": list(units), "nominal_rank": pd.array(nom_r, dtype="Float64").astype("Int64"),
                       **st})
    return SensitivityResult(sobol=sob, y=y, n=n, d=d, output=output, rankstats=rs, seed=seed)
