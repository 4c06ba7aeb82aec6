"""Benchmark: uncertainty analysis of the ASEM index (COINr reference), vectorised.

Targets (issue 3): N = 10,000 under 5 s, peak memory under 2 GB. Prints evaluations per second and the speed-up
over COINr's 0.05 s per replication. Run: ``.venv/bin/python benchmarks/index_uncertainty.py [N ...]``.
"""

from __future__ import annotations

import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))

from _index_common import UA_YAML, load, report  # noqa: E402


def main(ns: list[int]) -> None:
    from lmc.index import build, coinr_example_spec, default_spec
    from lmc.index.uncertainty import load_ua_spec, run_uncertainty

    fw, data = load()
    for name, spec in (("default", default_spec(fw)), ("example (with treatment)", coinr_example_spec(fw))):
        t = time.perf_counter()
        build(spec, data)
        print(f"one build, {name}: {time.perf_counter() - t:.3f} s")
        ua = load_ua_spec(UA_YAML, spec)
        for n in ns:
            t = time.perf_counter()
            res = run_uncertainty(spec, data, ua, n=n, seed=1)
            dt = time.perf_counter() - t
            report(f"UA {name}, N = {n:,}", n, dt)
            assert res.scores.shape == (len(data.units), n)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000])
