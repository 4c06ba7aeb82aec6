"""Benchmark: the freight route-choice model and its three scenarios (target: each scenario < 15 s on 2 cores).

Each scenario is timed from scratch (a fresh fit with the default draws, then the scenario and its back-cast check),
which is what a user running one scenario waits for.

Run: .venv/bin/python benchmarks/freight.py [--n 2000] [--seed 20261204]
"""

from __future__ import annotations

import argparse
import time

from lmc.freight import backcast, scenarios
from lmc.freight.model import DEFAULT_DRAWS, DEFAULT_SEED, fit

TARGET_S = 15.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=DEFAULT_DRAWS, help="draws")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed")
    args = ap.parse_args()

    t0 = time.perf_counter()
    model = fit(n=args.n, seed=args.seed)
    t_fit = time.perf_counter() - t0
    print(f"fit: {t_fit:.2f} s, {model.n} of {args.n} draws calibrated, {model.iterations} iterations")
    t0 = time.perf_counter()
    results = backcast.run(model)
    print(f"back-casts: {time.perf_counter() - t0:.2f} s, {sum(r.passed for r in results)} of {len(results)} pass")
    for name in scenarios.SCENARIOS:
        t0 = time.perf_counter()
        r = scenarios.run(name, n=args.n, seed=args.seed)
        dt = time.perf_counter() - t0
        print(f"{name}: {dt:.2f} s ({dt / TARGET_S:.0%} of the {TARGET_S:g} s target) - {r.headline}")


if __name__ == "__main__":
    main()
