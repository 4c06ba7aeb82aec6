"""The warehouse inputs of the flows models: which sources each model reads, reading them, and their provenance.

Why: data reach the library through connectors and the warehouse, each table with its provenance (publisher, URL,
file hash). The models read warehouse tables only; a cache or a back-cast result derived from them is keyed on
the provenance of the files they were loaded from (:func:`fingerprint`), so a new pull reruns what depends on it.
The library never writes the warehouse: :func:`pull_missing` (called by the CLI before a scenario run, as
``lmc build`` pulls what it lacks) loads the sources a model needs when they are not there yet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd

from lmc.flows.errors import ScenarioError

MODEL_SOURCES: dict[str, tuple[str, ...]] = {
    "choice": ("tourism_tha_asean_2011_2024",),   # taste drift: Thailand's arrivals from ASEAN countries 2011-2019
    "ge": ("trade_agtpa",),                        # the Advanced Guide panel: manufacturing with domestic flows
}
"""Warehouse sources each model (its scenarios and back-casts) reads."""
TABLE_SOURCE: dict[str, str] = {"thailand_asean_arrivals": "tourism_tha_asean_2011_2024",
                                "agtpa_ch2_app2": "trade_agtpa"}
"""The source that loads each table the models read (named in the error when the table is missing)."""


def sources_of(models: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for m in models for s in MODEL_SOURCES.get(m, ())))


def table(name: str, settings=None) -> pd.DataFrame:
    """A warehouse table; a missing warehouse or table is a :class:`ScenarioError` naming the pull that fixes it."""
    from lmc.errors import WarehouseError
    from lmc.warehouse.db import read_table

    try:
        return read_table(name, settings)
    except WarehouseError as exc:
        src = TABLE_SOURCE.get(name)
        raise ScenarioError(f"the flows models need the warehouse table {name!r}"
                            + (f" (source {src}): run `lmc data pull {src}`" if src else "") + f" ({exc})") from None


def fingerprint(sources: Iterable[str], settings=None) -> str:
    """Hash of the provenance (file and sha256) of ``sources`` in the warehouse; ``"absent"`` parts where missing."""
    from lmc.config import get_settings
    from lmc.errors import WarehouseError
    from lmc.warehouse.db import connect

    settings = settings or get_settings()
    ids = sorted(set(sources))
    h = hashlib.sha256(str(settings.warehouse).encode())
    if not ids:
        return h.hexdigest()[:16]
    try:
        con = connect(settings, read_only=True)
    except WarehouseError:
        return "absent"
    try:
        marks = ",".join("?" * len(ids))
        rows = con.execute(f"SELECT source, file, sha256 FROM main.provenance WHERE source IN ({marks}) "
                           "ORDER BY source, file", ids).fetchall()
    except Exception:  # noqa: BLE001 - no provenance table yet: nothing loaded
        rows = []
    finally:
        con.close()
    have = {r[0] for r in rows}
    h.update(repr(rows).encode())
    h.update(repr([s for s in ids if s not in have]).encode())
    return h.hexdigest()[:16]


def pull_missing(models: Iterable[str], settings=None, progress=None) -> tuple[str, ...]:
    """Pull the sources ``models`` read that the warehouse lacks (from the cache, the mirrors, then the publishers);
    returns their ids. A source that cannot be had fails with the pull's own error."""
    from lmc.config import get_settings
    from lmc.sources.registry import all_sources
    from lmc.warehouse.ingest import pull
    from lmc.warehouse.query import missing_sources

    settings = settings or get_settings()
    need = sources_of(models)
    if not need:
        return ()
    reg = all_sources()
    missing = missing_sources(settings, {s: reg[s] for s in need})
    if not missing:
        return ()
    if progress:
        progress(f"pulling {', '.join(missing)} into the warehouse")
    pull(missing, settings, keep_going=False)
    return tuple(missing)
