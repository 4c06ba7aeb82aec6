"""Shared set-up of the index benchmarks: the COINr ASEM reference inputs, read in place from ../shared."""

from __future__ import annotations

import resource
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ASEM = REPO.parent / "shared" / "reference" / "coinr_asem"
UA_YAML = REPO / "tests" / "index" / "data" / "ua_asem.yaml"
COINR_SECONDS_PER_REP = 0.05  # the yardstick (COINr measured 0.045-0.08 s per replication here)


def load():
    from lmc.index import read_coinr

    return read_coinr(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv")


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(label: str, evaluations: int, seconds: float) -> None:
    rate = evaluations / seconds
    coinr = evaluations * COINR_SECONDS_PER_REP
    print(f"{label}: {evaluations} evaluations in {seconds:.3f} s = {rate:,.0f} evaluations/s; "
          f"COINr at {COINR_SECONDS_PER_REP} s/rep would need {coinr:,.0f} s -> {coinr / seconds:,.0f}x faster; "
          f"peak RSS {peak_mb():,.0f} MB")
