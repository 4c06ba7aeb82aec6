"""Benchmark: Sobol sensitivity analysis of the ASEM index (d = 3 inputs, Saltelli design, N (d + 2) evaluations).

Target (issue 3): N = 1,000 (5,000 evaluations) under 5 s; COINr needs 395 s here. Prints evaluations per second
and the speed-up over 0.05 s per replication. Run: ``.venv/bin/python benchmarks/index_sensitivity.py [N]``.
"""

from __future__ import annotations

import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))

from _index_common import UA_YAML, load, report  # noqa: E402


def main(n: int) -> None:
    from lmc.index import default_spec
    from lmc.index.sensitivity import run_sensitivity
    from lmc.index.uncertainty import load_ua_spec

    fw, data = load()
    spec = default_spec(fw)
    ua = load_ua_spec(UA_YAML, spec)
    t = time.perf_counter()
    res = run_sensitivity(spec, data, ua, n=n, seed=1, nboot=1000)
    dt = time.perf_counter() - t
    report(f"SA default, N = {n:,}, d = {ua.d}", res.evaluations, dt)
    print(res.sobol.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000)
