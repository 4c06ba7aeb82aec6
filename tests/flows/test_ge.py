"""GE counterfactuals: the fixed point against PPML re-estimation (GEPPML), identities and diversion.

Tolerances: the fixed point is solved to 1e-10 in logs; PPML re-estimation (pyfixest, IRLS tol 1e-8 and FE
demeaning tol 1e-6) agrees to about 1e-5 relative, so comparisons use rtol 1e-4.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lmc.flows.errors import ConvergenceError, ScenarioError
from lmc.flows.ge import conditional_ge, full_ge, ge_counterfactual, square_flows


@pytest.fixture()
def synthetic_world():
    rng = np.random.default_rng(7)
    n = 8
    X = rng.lognormal(3, 1, (n, n))
    X[np.diag_indices(n)] *= 20
    tau = np.ones((n, n))
    tau[0, 1] = tau[1, 0] = np.exp(0.56)  # an RTA-sized shock on one link
    return [f"C{i}" for i in range(n)], X, tau


def test_conditional_matches_ppml_reestimation(synthetic_world):
    import pyfixest as pf

    names, X, tau = synthetic_world
    Xc, *_ = conditional_ge(X, tau)
    n = len(names)
    df = pd.DataFrame({"ex": np.repeat(names, n), "im": np.tile(names, n), "y": X.ravel(), "off": np.log((X * tau).ravel())})  # cost term = baseline flows x shock
    fit = pf.fepois("y ~ 1 | ex + im", data=df, offset="off", iwls_tol=1e-10)
    np.testing.assert_allclose(np.asarray(fit.predict(type="response")), Xc.ravel(), rtol=1e-4)


def test_zero_shock_is_identity(synthetic_world):
    names, X, _ = synthetic_world
    r = ge_counterfactual(X, np.ones_like(X), names)
    np.testing.assert_allclose(r.full, X, rtol=1e-8)
    np.testing.assert_allclose(r.welfare_hat, 1.0, atol=1e-9)


def test_market_clearing_and_diversion(synthetic_world):
    names, X, tau = synthetic_world
    r = ge_counterfactual(X, tau, names, sigma=7)
    np.testing.assert_allclose(r.full.sum(1), X.sum(1) * r.p_hat, rtol=1e-8)  # output = sales
    ratio = r.full.sum(0) / (X.sum(0) * r.p_hat)  # expenditure moves with output, up to one world factor
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-8)
    assert r.full.sum() == pytest.approx((X.sum(1) * r.p_hat).sum(), rel=1e-10)
    t = r.partner_changes("C0").set_index("partner")
    assert t.loc["C1", "exports_pct"] > 50
    assert (t.drop(index=["C0", "C1"])["exports_pct"] < t.loc["C1", "exports_pct"]).all()
    assert t.loc["C0", "exports_pct"] < 0  # domestic sales diverted to the new partner
    w = r.by_country().set_index("country")["welfare_pct"]
    assert w["C0"] > 0 and w["C1"] > 0
    assert r.imr_hat[0] == pytest.approx(1.0)  # the numeraire


def test_non_convergence_raises_with_log(synthetic_world):
    _, X, tau = synthetic_world
    with pytest.raises(ConvergenceError, match="iteration log") as exc:
        full_ge(X, tau, maxiter=3, tol=1e-14)
    assert len(exc.value.log) >= 1


def test_bad_inputs():
    with pytest.raises(ScenarioError, match="square"):
        ge_counterfactual(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ScenarioError, match="reference country"):
        ge_counterfactual(np.ones((2, 2)), np.ones((2, 2)), ["A", "B"], reference="CHNN")
    wide = square_flows(pd.DataFrame({"exporter": ["A", "B"], "importer": ["B", "A"], "trade": [1.0, 2.0]}))
    assert wide.loc["B", "A"] == 2.0 and wide.loc["A", "A"] == 0.0
