"""Benchmark: PPML with three sets of fixed effects (pyfixest via lmc.flows.gravity).

1. The Advanced Guide reference (28,482 rows; exporter-year, importer-year, pair FE) — target < 10 s.
2. A generated panel of about 1 million rows with the same FE structure — target < 120 s and < 4 GB peak RSS.

Run: .venv/bin/python benchmarks/gravity.py [--rows 1000000] [--skip-large]
Prints wall times, peak memory and the ratios to the targets. Synthetic data are generated with
numpy.random.default_rng(0) from a known model (true RTA effect 0.5), so the estimate is printed as a check.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lmc.flows.gravity import fit_gravity

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gravity" / "agtpa_applications.csv.gz"


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def reference() -> None:
    d = pd.read_csv(SHARED)
    d = d[d["year"].isin([1986, 1990, 1994, 1998, 2002, 2006])]
    d = d[d.groupby("pair_id")["trade"].transform("sum") > 0].copy()
    yr = d["year"].astype(int).astype(str)
    d["exp_year"], d["imp_year"], d["pair"] = d["exporter"] + yr, d["importer"] + yr, d["pair_id"].astype(int)
    for label in ("first call (incl. numba JIT compile)", "second call (warm)"):
        t, c = time.perf_counter(), time.process_time()
        r = fit_gravity(d, "trade ~ rta | exp_year + imp_year + pair", cluster="pair")
        dt, dc = time.perf_counter() - t, time.process_time() - c
        print(f"reference {label}: N={r.nobs:,}  rta={r.coef['rta']:.4f} (expected 0.5572)  wall={dt:.2f} s  "
              f"cpu={dc:.2f} s  target 10 s  ratio(wall)={dt / 10:.2f}")


def synthetic_panel(rows: int, seed: int = 0) -> pd.DataFrame:
    """synthetic_: n countries x n x T years with exporter-year, importer-year and pair effects and an RTA."""
    rng = np.random.default_rng(seed)
    years = 20
    n = int(np.ceil(np.sqrt(rows / years)))
    e = np.repeat(np.arange(n), n)
    i = np.tile(np.arange(n), n)
    pair_eff = rng.normal(0, 1, (n, n))
    pair_eff = (pair_eff + pair_eff.T) / 2
    frames = []
    rta_start = rng.integers(0, years * 2, (n, n))
    rta_start = np.minimum(rta_start, rta_start.T)
    for y in range(years):
        ex_eff, im_eff = rng.normal(0, 1, n), rng.normal(0, 1, n)
        rta = (rta_start[e, i] <= y).astype(np.float64)
        mu = np.exp(2 + ex_eff[e] + im_eff[i] + pair_eff[e, i] + 0.5 * rta)
        frames.append(pd.DataFrame({"exp_year": e + y * n, "imp_year": i + y * n,
                                    "pair": np.minimum(e, i) * n + np.maximum(e, i), "rta": rta,
                                    "trade": rng.poisson(mu).astype(np.float64)}))
    df = pd.concat(frames, ignore_index=True)
    return df.iloc[:rows]


def large(rows: int) -> None:
    t = time.perf_counter()
    df = synthetic_panel(rows)
    gen = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    r = fit_gravity(df, "trade ~ rta | exp_year + imp_year + pair", cluster="pair")
    dt, dc = time.perf_counter() - t, time.process_time() - c
    mem = peak_rss_gb()
    print(f"synthetic  rows={len(df):,}  N={r.nobs:,}  rta={r.coef['rta']:.4f} (true 0.5)  generate={gen:.1f} s  "
          f"fit wall={dt:.1f} s  cpu={dc:.1f} s  target 120 s  ratio(wall)={dt / 120:.2f}  "
          f"peak RSS={mem:.2f} GB  target 4 GB  ratio={mem / 4:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--skip-large", action="store_true")
    a = ap.parse_args()
    reference()
    if not a.skip_large:
        large(a.rows)


if __name__ == "__main__":
    main()
