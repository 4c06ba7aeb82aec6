"""Benchmark: render every traveller manual booklet (6 destinations × 7 languages = 42 PDFs).

Target from issue #7: all 42 in under 3 minutes. Prints wall time, CPU time, per-booklet figures and the ratio to
the budget. Usage: .venv/bin/python benchmarks/guides.py [--workers 2] [--html]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

BUDGET_S = 180.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--html", action="store_true", help="also write the 42 HTML pages")
    ap.add_argument("--out", type=Path, default=None, help="keep the files here (default: a temporary folder)")
    args = ap.parse_args()

    from lmc.guides import build_guides

    formats = ("pdf", "html") if args.html else ("pdf",)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        cpu0, t0 = os.times(), time.perf_counter()
        result = build_guides(out, formats=formats, workers=args.workers)
        wall = time.perf_counter() - t0
        cpu1 = os.times()
        pdfs = [f for f in result.files if f.format == "pdf"]
        secs = [f.seconds for f in pdfs]
        cpu = (cpu1.children_user + cpu1.children_system + cpu1.user + cpu1.system) - \
              (cpu0.children_user + cpu0.children_system + cpu0.user + cpu0.system)
        slowest = max(pdfs, key=lambda f: f.seconds)
        print(f"booklets rendered      : {len(pdfs)} PDFs ({len(result.files) - len(pdfs)} HTML)")
        print(f"workers                : {args.workers} (machine cores: {os.cpu_count()})")
        print(f"wall time              : {wall:.1f} s   (budget {BUDGET_S:.0f} s, ratio {wall / BUDGET_S:.2f})")
        print(f"CPU time (all procs)   : {cpu:.1f} s")
        print(f"per booklet (in worker): mean {statistics.mean(secs):.2f} s, median {statistics.median(secs):.2f} s,"
              f" max {slowest.seconds:.2f} s ({slowest.country}/{slowest.lang})")
        print(f"pages                  : {sum(f.pages or 0 for f in pdfs)} total, "
              f"{min(f.pages or 0 for f in pdfs)}–{max(f.pages or 0 for f in pdfs)} per booklet")
        print(f"size                   : {sum(f.bytes for f in pdfs) / 1e6:.1f} MB total, "
              f"largest {max(f.bytes for f in pdfs) / 1e3:.0f} kB")
        print(f"English stand-ins      : {sum(f.fallbacks for f in pdfs)} texts across all booklets")
        print("verdict                :", "PASS" if wall < BUDGET_S else "FAIL", "(under 3 minutes)")


if __name__ == "__main__":
    main()
