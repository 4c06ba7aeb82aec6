"""Weights: nominal, equal, PCA-based, effective weights and noisy weight sets for uncertainty analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lmc.index.errors import StageError
from lmc.index.framework import Framework
from lmc.index.spec import WeightsSpec


def resolve_weights(framework: Framework, spec: WeightsSpec, normalised: pd.DataFrame | None = None
                    ) -> dict[str, float]:
    """Weights of every node (relative within siblings) following ``spec``."""
    if spec.method == "nominal":
        w = framework.weights()
    elif spec.method == "equal":
        w = {c: 1.0 for c in framework.codes}
    elif spec.method == "pca":
        if normalised is None:
            raise StageError("weights: PCA weights need the normalised data")
        w = framework.weights()
        for agg in framework.aggregates:
            kids = framework.children[agg]
            if all(framework.by_code[k].is_indicator for k in kids) and len(kids) > 1:
                for k, v in zip(kids, pca_weights(normalised[list(kids)]), strict=True):
                    w[k] = float(v)
    else:
        raise StageError(f"weights: unknown method {spec.method!r}")
    if spec.values:
        w.update(spec.values)
    check_weights(framework, w)
    return w


def check_weights(framework: Framework, w: dict[str, float]) -> None:
    for agg in framework.aggregates:
        kids = framework.children[agg]
        vals = [w[k] for k in kids]
        if any(not np.isfinite(v) or v < 0 for v in vals):
            bad = next(k for k in kids if not np.isfinite(w[k]) or w[k] < 0)
            raise StageError(f"weights: weight of {bad!r} must be finite and >= 0, got {w[bad]}")
        if sum(vals) == 0:
            raise StageError(f"weights: the weights of the children of {agg!r} ({', '.join(kids)}) sum to zero")


def pca_weights(block: pd.DataFrame) -> np.ndarray:
    """Weights from the first principal component of the correlation matrix: squared loadings (sum to 1).

    Rows with missing values are dropped. Squared loadings are the share of PC1's variance each indicator carries
    (OECD/JRC Handbook, 2008, section 6.1).
    """
    x = block.dropna().to_numpy(dtype=float)
    if x.shape[0] < 3:
        raise StageError(f"weights: PCA needs at least 3 complete units for {list(block.columns)}")
    sd = x.std(axis=0, ddof=1)
    sd[sd == 0] = 1
    z = (x - x.mean(axis=0)) / sd
    corr = np.corrcoef(z, rowvar=False)
    vals, vecs = np.linalg.eigh(corr)
    v = vecs[:, np.argmax(vals)]
    return v**2 / np.sum(v**2)


def effective_weights(framework: Framework, w: dict[str, float]) -> dict[str, float]:
    """Share of the index each node carries: its weight normalised among siblings times its parent's share."""
    eff: dict[str, float] = {framework.root: 1.0}
    for agg in reversed(framework.aggregates):
        kids = framework.children[agg]
        tot = sum(w[k] for k in kids)
        for k in kids:
            eff[k] = eff[agg] * w[k] / tot
    return eff


def weight_matrix(framework: Framework, w: dict[str, float]) -> np.ndarray:
    """Weights as a (1, n_codes) array in ``framework.codes`` order."""
    return np.array([[w[c] for c in framework.codes]], dtype=float)


def noisy_weights(framework: Framework, w: dict[str, float], noise: dict[int, float], n: int,
                  rng: np.random.Generator) -> np.ndarray:
    """``n`` weight sets (n, n_codes): the weights at each noisy level multiplied by U(1 - x, 1 + x).

    Equivalent to COINr's ``get_noisy_weights`` with ``Noise = x`` per level; indicator weights (level 1) are only
    perturbed if level 1 is listed.
    """
    base = weight_matrix(framework, w)
    out = np.repeat(base, n, axis=0)
    for j, code in enumerate(framework.codes):
        x = noise.get(framework.by_code[code].level)
        if x:
            out[:, j] *= rng.uniform(1 - x, 1 + x, size=n)
    return out
