"""The command line starts fast because nothing heavy is imported before a command needs it (issue 14).

``lmc --help`` must not load pandas, NumPy or the libraries, and ``lmc route`` on the corridor feed (a cached
timetable) must not load pandas or DuckDB. Time itself is measured by ``benchmarks/cli_startup.py``; these tests
guard the cause without timing: which imports a module makes at its top level, and which modules a fresh process
holds after ``import lmc.cli``, after ``--help`` and after a route query.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[2] / "src" / "lmc" / "cli"

# What a module of lmc.cli may import at its top level: the CLI framework, the standard library, and the light
# project modules that themselves import only the standard library.
ALLOWED_TOP = {"typer", "click", "lmc", "lmc.errors", "lmc.cli", "lmc.cli.common"}
HEAVY = ("pandas", "numpy", "scipy", "duckdb", "pyfixest", "matplotlib", "weasyprint", "plotly", "fastapi",
         "numba", "SALib", "pydantic", "rich")


def _top_level_imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks are not run
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module != "__future__":
            yield node.lineno, node.module


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_cli_modules_import_only_typer_and_the_standard_library_at_top_level(path):
    bad = [f"{path.name}:{line}: import {name}" for line, name in _top_level_imports(path)
           if name.split(".")[0] not in sys.stdlib_module_names and name.split(".")[0] not in {"typer", "click"}
           and name not in ALLOWED_TOP]
    assert not bad, "import these inside the command functions that use them:\n" + "\n".join(bad)


def _unbound_globals(path: Path):
    """Names a function of the module reads as globals that the module never binds (an import moved into one
    function but still used in another fails only when that code runs)."""
    import builtins
    import symtable

    module = symtable.symtable(path.read_text(encoding="utf-8"), str(path), "exec")
    bound = {s.get_name() for s in module.get_symbols() if s.is_assigned() or s.is_imported()}
    bound |= set(dir(builtins)) | {"__file__", "__name__", "__doc__"}
    stack = list(module.get_children())
    while stack:
        scope = stack.pop()
        stack.extend(scope.get_children())
        for sym in scope.get_symbols():
            if sym.is_global() and sym.is_referenced() and sym.get_name() not in bound:
                yield f"{path.name}: {scope.get_name()}() uses {sym.get_name()!r}"


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_every_global_a_command_uses_is_bound(path):
    assert not list(_unbound_globals(path))


def _loaded_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The heavy top-level packages a fresh interpreter holds after running ``code`` (which may exit)."""
    probe = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: sys.__stderr__.write('\\nLOADED ' + json.dumps(sorted({{m.split('.')[0] for m in "
        f"sys.modules}} & {set(HEAVY)!r})) + '\\n'))\n" + code
    )
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **(env or {})})
    line = [ln for ln in res.stderr.splitlines() if ln.startswith("LOADED ")]
    assert res.returncode == 0 and line, f"exit {res.returncode}\n{res.stderr[-2000:]}"
    return set(json.loads(line[-1].removeprefix("LOADED ")))


def _run_lmc(*args: str) -> str:
    return f"import sys\nsys.argv = ['lmc', *{list(args)!r}]\nfrom lmc.cli import main\nmain()\n"


def test_importing_the_cli_loads_no_heavy_library():
    assert _loaded_after("import lmc.cli") == set()


def test_help_loads_rich_at_most():
    # Typer renders help with Rich; nothing else is needed to list the commands
    assert _loaded_after(_run_lmc("--help")) <= {"rich"}


def test_route_on_the_corridor_feed_loads_neither_pandas_nor_duckdb(tmp_path):
    env = {"LMC_HOME": str(tmp_path / "home")}
    query = _run_lmc("route", "Kunming", "Bangkok", "--date", "2026-06-01", "--after", "07:00")
    _loaded_after(query, env)  # the first query builds the timetable cache (GTFS read with pandas)
    loaded = _loaded_after(query, env)
    assert not loaded & {"pandas", "duckdb", "scipy", "matplotlib", "numba", "pyfixest"}, loaded
    assert "numpy" in loaded  # the planner's arrays: proves the query ran past the imports
