"""Degenerate gravity data end in one line (exit 2), never in pyfixest's Rust panic (exit 134, no message).

Subprocesses: a panic aborts the whole interpreter, so it would take the test runner with it.
"""

from __future__ import annotations

import pytest
from faultkit import isolated_env, no_traceback, run_lmc

CASES = {  # name: (CSV, formula, what the line says)
    "all_zero": ("y,x,fe\n0,1,a\n0,2,b\n0,3,a\n0,1,b\n", "y ~ x | fe",
                 "every 'y' is zero; PPML needs positive flows"),
    "one_row": ("y,x\n1,2\n", "y ~ x", "1 usable row(s) for at least 2 parameters"),
    "header_only": ("y,x\n", "y ~ x", "no row has a value in every formula column (y, x)"),
    "fewer_rows_than_fixed_effects": ("y,x,fe\n1,1,a\n2,2,b\n3,4,c\n", "y ~ x | fe",
                                      "no row is left once fixed-effect groups with one row or only zero flows"),
    "separation": ("y,d,x\n0,1,1\n0,1,2\n5,0,3\n3,0,4\n2,0,5\n0,1,6\n4,0,2\n1,0,1\n", "y ~ d + x",
                   "regressor 'd' equals 0 on every positive flow"),
}


@pytest.mark.parametrize("case", CASES)
def test_degenerate_data_give_one_line_not_a_panic(case, tmp_path):
    text, formula, says = CASES[case]
    data = tmp_path / f"synthetic_{case}.csv"
    data.write_text(text, encoding="utf-8")
    proc = run_lmc(["gravity", "fit", "--data", str(data), "--formula", formula], isolated_env(tmp_path / "home"),
                   cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-1500:])
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {data}: ") and says in lines[0], proc.stderr
