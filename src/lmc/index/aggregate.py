"""Aggregation up the tree, vectorised over weight sets.

The kernel works on arrays shaped (units, children, draws): the nominal build is the case draws = 1 and the
uncertainty analysis evaluates thousands of weight sets at once with the same code, so the two cannot drift apart.
Missing children are skipped and the remaining weights re-scaled (COINr ``a_amean``/``a_gmean``/``a_hmean``).
"""

from __future__ import annotations

import numpy as np

from lmc.index.errors import StageError
from lmc.index.framework import Framework


def aggregate_node(x: np.ndarray, w: np.ndarray, method: str, *, p: float = 2.0,
                   min_availability: float | None = None, code: str = "?", units: tuple[str, ...] = (),
                   children: tuple[str, ...] = ()) -> np.ndarray:
    """Aggregate children ``x`` (units, k, n or 1) with weights ``w`` (n, k) into (units, n).

    Methods: ``arithmetic`` sum(w x)/sum(w); ``geometric`` exp(sum(w log x)/sum(w)) (x > 0 required);
    ``harmonic`` sum(w)/sum(w/x) (x != 0); ``generalised`` (sum(w x^p)/sum(w))^(1/p); ``copeland`` (row sums of the
    weighted outranking matrix, COINr ``a_copeland``). Sums run over available children only.
    """
    mask = ~np.isnan(x)
    wb = w.T[None, :, :]  # (1, k, n)
    wm = np.where(mask, wb, 0.0)
    den = wm.sum(axis=1)
    k = x.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic":
            y = (np.where(mask, x, 0.0) * wm).sum(axis=1) / den
        elif method == "geometric":
            bad = mask & (x <= 0)
            if bad.any():
                u, c = np.argwhere(bad)[0][:2]
                raise StageError(f"aggregate {code!r}: geometric mean needs positive values, but unit "
                                 f"{_name(units, u)!r} has {x[tuple(np.argwhere(bad)[0])]:.6g} for "
                                 f"{_name(children, c)!r}; normalise to a positive range (e.g. min-max 1-100) or "
                                 f"use another method")
            y = np.exp((np.log(np.where(mask, x, 1.0)) * wm).sum(axis=1) / den)
        elif method == "harmonic":
            bad = mask & (x == 0)
            if bad.any():
                u, c = np.argwhere(bad)[0][:2]
                raise StageError(f"aggregate {code!r}: harmonic mean needs non-zero values, but unit "
                                 f"{_name(units, u)!r} has 0 for {_name(children, c)!r}")
            y = den / (wm / np.where(mask, x, 1.0)).sum(axis=1)
        elif method == "generalised":
            if p == 0:
                return aggregate_node(x, w, "geometric", code=code, units=units, children=children,
                                      min_availability=min_availability)
            if (mask & (x < 0)).any():
                raise StageError(f"aggregate {code!r}: generalised mean needs non-negative values")
            y = ((np.where(mask, x, 0.0) ** p * wm).sum(axis=1) / den) ** (1.0 / p)
        elif method == "copeland":
            y = _copeland(x, w)
        else:
            raise StageError(f"aggregate {code!r}: unknown method {method!r}")
    count = mask.sum(axis=1)
    y = np.where(count > 0, y, np.nan)
    if min_availability is not None:
        y = np.where(count / k < min_availability, np.nan, y)
    return y


def _name(names: tuple[str, ...], i: int) -> str:
    return names[i] if i < len(names) else str(i)


def _copeland(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copeland scores: for each pair of units the weighted share of children where one beats the other (ties
    count half), summed over the row of the outranking matrix."""
    wn = w / w.sum(axis=1, keepdims=True)  # (n, k)
    n_units = x.shape[0]
    out = np.empty((n_units, w.shape[0]))
    for d in range(w.shape[0]):
        xd = x[:, :, d if x.shape[2] > 1 else 0]
        gt = (xd[:, None, :] > xd[None, :, :]).astype(float) + 0.5 * (xd[:, None, :] == xd[None, :, :])
        orm = gt @ wn[d]
        np.fill_diagonal(orm, 0.0)
        out[:, d] = orm.sum(axis=1)
    return out


def aggregate_tree(framework: Framework, x: np.ndarray, W: np.ndarray, methods: dict[str, str], *, p: float = 2.0,
                   min_availability: float | None = None, units: tuple[str, ...] = (),
                   keep: bool = True) -> dict[str, np.ndarray]:
    """Aggregate indicator values ``x`` (units, n_indicators in ``framework.indicators`` order) with weight sets
    ``W`` (n, n_codes in ``framework.codes`` order). Returns code -> (units, n) for every aggregate (or only the
    root if ``keep`` is False, to save memory in large analyses)."""
    col = {c: i for i, c in enumerate(framework.codes)}
    ind_pos = {c: i for i, c in enumerate(framework.indicators)}
    scores: dict[str, np.ndarray] = {}
    for agg in framework.aggregates:
        kids = framework.children[agg]
        if all(k in ind_pos for k in kids):
            xs = x[:, [ind_pos[k] for k in kids]][:, :, None]
        else:
            xs = np.stack([scores[k] if k in scores else np.broadcast_to(x[:, [ind_pos[k]]], (x.shape[0], W.shape[0]))
                           for k in kids], axis=1)
        wk = W[:, [col[k] for k in kids]]
        scores[agg] = aggregate_node(xs, wk, methods[agg], p=p, min_availability=min_availability, code=agg,
                                     units=units, children=kids)
        if not keep:
            for k in kids:
                scores.pop(k, None)
    return scores
