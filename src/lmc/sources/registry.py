"""Discovery of the declared sources: every module in :mod:`lmc.sources` that defines ``SOURCE``."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import lru_cache

import lmc.sources as _pkg
from lmc.errors import SourceError, unknown
from lmc.sources.base import Source

# Infrastructure modules of this package that are not connectors.
_NOT_CONNECTORS = frozenset({"base", "fetch", "harmonise", "registry"})


@lru_cache(maxsize=1)
def all_sources() -> dict[str, Source]:
    """Every declared source by id, in module-name order. Two modules declaring one id is a programming error."""
    found: dict[str, Source] = {}
    for info in sorted(pkgutil.iter_modules(_pkg.__path__), key=lambda m: m.name):
        if info.name in _NOT_CONNECTORS or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{_pkg.__name__}.{info.name}")
        source = getattr(module, "SOURCE", None)
        if source is None:
            continue
        if not isinstance(source, Source):
            raise TypeError(f"{module.__name__}.SOURCE is not a lmc.sources.base.Source")
        if source.id in found:
            raise ValueError(f"source id {source.id!r} declared twice (second in {module.__name__})")
        found[source.id] = source
    return found


def get_source(source_id: str, registry: Mapping[str, Source] | None = None) -> Source:
    """The source with this id (from ``registry``, default every declared one), or a SourceError listing the
    valid ids and the closest match."""
    sources = all_sources() if registry is None else registry
    try:
        return sources[source_id]
    except KeyError:
        raise SourceError(unknown("source", source_id, sources)) from None
