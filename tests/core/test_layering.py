"""The layout reads as the pipeline: a module imports only from its own stage or stages before it.

sources -> warehouse -> indicators -> engines (index, sci, flows, corridor, mechanisms, guides, freight) -> outputs
(reports, web) -> cli. The composite-index engine is pure numerics: it imports nothing from the data stages. This test reads
every module's imports (including imports inside functions) with ``ast`` and fails on the first edge that points
the wrong way, naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "lmc"

STAGE = {
    "__init__": 0, "__main__": 6, "config": 0, "errors": 0, "yamldoc": 0, "atomic": 0,
    "sources": 1, "curated": 1,
    "warehouse": 2,
    "indicators": 3,
    "index": 4, "sci": 4, "flows": 4, "corridor": 4, "mechanisms": 4, "guides": 4, "freight": 4,
    "reports": 5, "web": 5,
    "cli": 6,
}
# Within the engines' stage, who may use whom (the SCI composes the others; the rest stand alone).
PEERS = {
    "sci": {"index", "mechanisms", "corridor", "flows"},
    "flows": {"index", "freight"},  # scenarios and railway finance run the freight model
}
PURE = {"index": {"__init__", "errors", "config", "atomic", "yamldoc"}}  # pure numerics: no data stages at all


def _package(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "lmc":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def _edges():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        own = rel.parts[0].removesuffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module == "lmc" and node.level == 0:
                # ``from lmc import yamldoc`` imports the module yamldoc; ``from lmc import LMC_COUNTRIES``, __init__
                names = [f"lmc.{a.name}" if a.name in STAGE else "lmc" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                target = _package(name)
                if target is not None and target != own:
                    yield rel, node.lineno, own, target


def test_every_package_has_a_stage() -> None:
    packages = {p.name.removesuffix(".py") for p in SRC.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert packages <= set(STAGE), f"give these a stage in this test: {sorted(packages - set(STAGE))}"


@pytest.mark.parametrize("check", ["stages", "peers", "purity"])
def test_imports_follow_the_pipeline(check: str) -> None:
    bad = []
    for rel, line, own, target in _edges():
        if check == "stages" and STAGE[target] > STAGE[own]:
            bad.append(f"src/lmc/{rel}:{line}: {own} (stage {STAGE[own]}) imports {target} (stage {STAGE[target]})")
        elif check == "peers" and STAGE[target] == STAGE[own] == 4 and target not in PEERS.get(own, set()):
            bad.append(f"src/lmc/{rel}:{line}: engine {own} imports engine {target}")
        elif check == "purity" and own in PURE and target not in PURE[own]:
            bad.append(f"src/lmc/{rel}:{line}: {own} must stay pure but imports {target}")
    assert not bad, "\n".join(bad)
