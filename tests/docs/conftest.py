"""The documented-command blocks run last, the heaviest first.

Their home copies the session's pulled warehouse and SCI build; by the end of a run these exist, so no worker
waits for them, and with the long blocks (servers, builds) first the run does not end on one of them alone.
"""

from __future__ import annotations

import re

import pytest


def _weight(block) -> int:
    """A rough cost: a server start weighs most, then a build or a pull of every source, then any command."""
    from doc_commands import is_serve

    def cost(run: str) -> int:
        last = run.split("; ")[-1]
        heavy = last.startswith("lmc build") or re.fullmatch(r"lmc data pull( --\S+)*", last)
        return 8 if is_serve(run) else 4 if heavy else 1

    return sum(cost(c.run) for c in block.commands if not c.skip)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    runs = [i for i in items if getattr(i, "originalname", "") == "test_documented_commands_run_as_written"]
    if runs:
        rest = [i for i in items if i not in set(runs)]
        items[:] = rest + sorted(runs, key=lambda i: -_weight(i.callspec.params["block"]))
