"""The indicator tree: indicators (leaves) grouped into aggregates up to one index, with weights and directions.

A framework is read from YAML (``load_framework``) or from COINr's ``iMeta`` table (``lmc.index.coinr_io``).
Levels follow COINr: indicators are level 1 and an aggregate sits one level above its highest child, so trees of
any depth (and unbalanced ones) work. Validation happens here, once, so the numerical stages can trust the tree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lmc.errors import suggest
from lmc.index.errors import FrameworkError, finite, where
from lmc.index.yamlio import LineDict, load_yaml

_NODE_KEYS = ("code", "name", "parent", "level", "weight", "direction", "unit", "denominator", "target",
              "goalposts", "source", "type")


@dataclass(frozen=True, slots=True)
class Node:
    """One indicator or aggregate. ``weight`` is relative to its siblings; ``direction`` is +1 or -1."""

    code: str
    name: str
    parent: str | None
    level: int
    weight: float = 1.0
    direction: int = 1
    unit: str | None = None
    denominator: str | None = None
    target: float | None = None
    goalposts: tuple[float, float] | None = None
    source: dict[str, Any] | None = field(default=None, hash=False, compare=False)
    is_indicator: bool = True


@dataclass(frozen=True)
class Framework:
    """A validated indicator tree. ``nodes`` are ordered: indicators first, then aggregates by level."""

    nodes: tuple[Node, ...]
    groups: tuple[str, ...] = ()
    denominators: tuple[str, ...] = ()
    name: str = "index"
    level_names: tuple[str, ...] = ()

    # -- lookups ---------------------------------------------------------------------------------------------
    @cached_property
    def by_code(self) -> dict[str, Node]:
        return {n.code: n for n in self.nodes}

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nodes if n.is_indicator)

    @cached_property
    def aggregates(self) -> tuple[str, ...]:
        """Aggregate codes in bottom-up order (by level, then declaration order)."""
        aggs = [n for n in self.nodes if not n.is_indicator]
        return tuple(n.code for n in sorted(aggs, key=lambda n: n.level))

    @cached_property
    def root(self) -> str:
        return next(n.code for n in self.nodes if n.parent is None)

    @cached_property
    def max_level(self) -> int:
        return max(n.level for n in self.nodes)

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {n.code: [] for n in self.nodes}
        for n in self.nodes:
            if n.parent is not None:
                out[n.parent].append(n.code)
        return {k: tuple(v) for k, v in out.items()}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nodes)

    def node(self, code: str) -> Node:
        try:
            return self.by_code[code]
        except KeyError:
            raise FrameworkError(f"unknown code {code!r}.{suggest(code, self.by_code)}") from None

    def leaves_under(self, code: str) -> tuple[str, ...]:
        """Indicators below ``code`` (itself if it is an indicator)."""
        kids = self.children[code]
        if not kids:
            return (code,)
        return tuple(c for k in kids for c in self.leaves_under(k))

    def ancestors(self, code: str) -> tuple[str, ...]:
        out = []
        p = self.node(code).parent
        while p is not None:
            out.append(p)
            p = self.by_code[p].parent
        return tuple(out)

    def weights(self) -> dict[str, float]:
        return {n.code: n.weight for n in self.nodes}

    def directions(self) -> dict[str, int]:
        return {c: self.by_code[c].direction for c in self.indicators}

    def without(self, excluded: tuple[str, ...] | list[str]) -> Framework:
        """A copy with indicators removed (for exclusion in uncertainty analysis); aggregates keep their place."""
        if not excluded:
            return self
        for code in excluded:
            if code not in self.indicators:
                raise FrameworkError(f"cannot exclude {code!r}: not an indicator.{suggest(code, self.indicators)}")
        drop = set(excluded)
        nodes = tuple(n for n in self.nodes if n.code not in drop)
        fw = Framework(nodes=nodes, groups=self.groups, denominators=self.denominators, name=self.name,
                       level_names=self.level_names)
        for agg in fw.aggregates:
            if not fw.children[agg]:
                raise FrameworkError(f"excluding {sorted(drop)} leaves aggregate {agg!r} without children")
        return fw

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{"code": n.code, "name": n.name, "level": n.level, "parent": n.parent,
                              "weight": n.weight, "direction": n.direction, "unit": n.unit,
                              "denominator": n.denominator, "target": n.target,
                              "type": "Indicator" if n.is_indicator else "Aggregate"} for n in self.nodes])

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "groups": list(self.groups), "denominators": list(self.denominators),
                "nodes": [{k: getattr(n, k) for k in ("code", "name", "parent", "level", "weight", "direction",
                                                      "unit", "denominator", "target")} for n in self.nodes]}


# -- construction + validation -------------------------------------------------------------------------------------

def make_framework(records: list[dict[str, Any]], *, groups=(), denominators=(), name: str = "index",
                   level_names=(), file: str | None = None) -> Framework:
    """Validate node records (dicts with the keys of :class:`Node`) and build a :class:`Framework`.

    Each record may carry ``_line`` (its line in the source file) so that errors can point at it.
    """
    seen: dict[str, int | None] = {}
    raw: list[dict[str, Any]] = []
    for i, rec in enumerate(records):
        line = rec.get("_line")
        code = rec.get("code")
        if code is None or (isinstance(code, float) and math.isnan(code)) or str(code).strip() == "":
            raise FrameworkError(f"{where(file, line, 'code')}node #{i + 1} has no code")
        code = str(code).strip()
        if code in seen:
            raise FrameworkError(f"{where(file, line, 'code')}duplicated code {code!r} (first at line {seen[code]})")
        seen[code] = line
        raw.append({**rec, "code": code})

    codes = list(seen)
    parent_of: dict[str, str | None] = {}
    for rec in raw:
        p = rec.get("parent")
        p = None if p is None or (isinstance(p, float) and math.isnan(p)) or str(p).strip() == "" else str(p).strip()
        if p is not None and p not in seen:
            raise FrameworkError(f"{where(file, rec.get('_line'), 'parent')}{rec['code']!r} has unknown parent "
                                 f"{p!r}.{suggest(p, codes)}")
        if p == rec["code"]:
            raise FrameworkError(f"{where(file, rec.get('_line'), 'parent')}{p!r} is its own parent (cycle)")
        parent_of[rec["code"]] = p

    # cycles: follow parents from every node
    for code in codes:
        path = [code]
        p = parent_of[code]
        while p is not None:
            if p in path:
                raise FrameworkError(_cycle_message(path[path.index(p):], seen, file))
            path.append(p)
            p = parent_of[p]

    roots = [c for c in codes if parent_of[c] is None]
    has_kids = {p for p in parent_of.values() if p is not None}
    if not roots:
        raise FrameworkError(f"{where(file, None)}the tree has no root (every node has a parent)")
    if len(roots) > 1:
        # a lone node without parent and without children is an orphan indicator
        main = max(roots, key=lambda r: sum(1 for c in codes if _root_of(c, parent_of) == r))
        orphans = [r for r in roots if r != main]
        o = orphans[0]
        valid_parents = sorted(has_kids)
        raise FrameworkError(f"{where(file, seen[o], 'parent')}{o!r} is an orphan: it has no parent in the tree "
                             f"under {main!r}; give it a parent.{suggest(o, valid_parents)} "
                             f"Aggregates: {', '.join(valid_parents[:20])}")

    # levels: indicators = 1, aggregate = 1 + max child level
    kids: dict[str, list[str]] = {c: [] for c in codes}
    for c, p in parent_of.items():
        if p is not None:
            kids[p].append(c)
    level: dict[str, int] = {}

    def lev(c: str) -> int:
        if c not in level:
            level[c] = 1 if not kids[c] else 1 + max(lev(k) for k in kids[c])
        return level[c]

    nodes: list[Node] = []
    for rec in raw:
        code = rec["code"]
        line = rec.get("_line")
        L = lev(code)
        declared = rec.get("level")
        if declared is not None and not (isinstance(declared, float) and math.isnan(declared)):
            try:
                d = int(declared)
            except (TypeError, ValueError):
                raise FrameworkError(f"{where(file, line, 'level')}{code!r}: level {declared!r} is not an integer")\
                    from None
            if d != L:
                raise FrameworkError(f"{where(file, line, 'level')}{code!r} is declared at level {d} but its place in "
                                     f"the tree gives level {L} (indicators are level 1; an aggregate is one above "
                                     f"its highest child)")
        w = rec.get("weight", 1.0)
        w = 1.0 if w is None else w
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise FrameworkError(f"{where(file, line, 'weight')}{code!r}: weight {w!r} is not a number") from None
        if not math.isfinite(w) or w < 0:
            raise FrameworkError(f"{where(file, line, 'weight')}{code!r}: weight must be finite and >= 0, got {w}")
        dr = rec.get("direction", 1)
        dr = 1 if dr is None or (isinstance(dr, float) and math.isnan(dr)) else dr
        try:
            dr_f = float(dr)
        except (TypeError, ValueError):
            dr_f = 0.0
        if dr_f not in (1.0, -1.0):
            raise FrameworkError(f"{where(file, line, 'direction')}{code!r}: direction must be 1 or -1, got {dr!r}")
        dr_i = int(dr_f)
        gp = rec.get("goalposts")
        if gp is not None:
            if not (isinstance(gp, (list, tuple)) and len(gp) == 2):
                raise FrameworkError(f"{where(file, line, 'goalposts')}{code!r}: goalposts must be [low, high]")
            gp = (_finite(gp[0], file, line, "goalposts", code), _finite(gp[1], file, line, "goalposts", code))
            if gp[0] == gp[1]:
                raise FrameworkError(f"{where(file, line, 'goalposts')}{code!r}: goalposts are equal")
        tgt = rec.get("target")
        tgt = None if tgt is None or (isinstance(tgt, float) and math.isnan(tgt)) else \
            _finite(tgt, file, line, "target", code)
        den = rec.get("denominator")
        den = None if den is None or (isinstance(den, float) and math.isnan(den)) or str(den) == "" else str(den)
        if den is not None and kids[code]:
            raise FrameworkError(f"{where(file, line, 'denominator')}{code!r} is an aggregate; only indicators "
                                 f"can have a denominator")
        if den is not None and denominators and den not in denominators:
            raise FrameworkError(f"{where(file, line, 'denominator')}{code!r}: unknown denominator {den!r}."
                                 f"{suggest(den, denominators)}")
        nm = rec.get("name")
        nodes.append(Node(code=code, name=str(nm) if nm is not None and nm == nm else code, parent=parent_of[code],
                          level=L, weight=w, direction=dr_i, unit=_opt_str(rec.get("unit")), denominator=den,
                          target=tgt, goalposts=gp, source=rec.get("source"), is_indicator=not kids[code]))

    # sibling weights must not all be zero
    for p, ks in kids.items():
        if ks and sum(next(n.weight for n in nodes if n.code == k) for k in ks) == 0:
            raise FrameworkError(f"{where(file, seen[ks[0]], 'weight')}the weights of the children of {p!r} "
                                 f"({', '.join(ks)}) sum to zero")

    ordered = sorted(nodes, key=lambda n: (not n.is_indicator, n.level))
    return Framework(nodes=tuple(ordered), groups=tuple(groups), denominators=tuple(denominators), name=name,
                     level_names=tuple(level_names))


def _cycle_message(cycle: list[str], lines: dict[str, int | None], file: str | None) -> str:
    """Name the cycle from its node read last (whose parent closed it) and point at that node's line, not at the
    line of whichever node the search started from (which may sit outside the cycle)."""
    last = max(range(len(cycle)), key=lambda i: lines[cycle[i]] or 0)
    cycle = cycle[last:] + cycle[:last]
    at = ", ".join(f"{c} line {lines[c]}" for c in cycle if lines[c])
    return (f"{where(file, lines[cycle[0]], 'parent')}cycle in the tree: {' -> '.join(cycle + [cycle[0]])}"
            + (f" ({at})" if at else ""))


def _finite(v: Any, file: str | None, line: int | None, field: str, code: str) -> float:
    return finite(v, f"{where(file, line, field)}{code!r}: ", FrameworkError)


def _opt_str(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return str(v)


def _root_of(code: str, parent_of: dict[str, str | None]) -> str:
    while parent_of[code] is not None:
        code = parent_of[code]  # type: ignore[assignment]
    return code


def load_framework(path: str | Path) -> Framework:
    """Read a framework YAML file (format in docs/index.md); errors name the file, line and field.

    Top-level keys: ``name``, ``nodes`` (list of node mappings), optional ``groups``, ``denominators``,
    ``level_names``.
    """
    path = Path(path)
    doc = load_yaml(path, error=FrameworkError)
    file = str(path)
    if not isinstance(doc, dict):
        raise FrameworkError(f"{file}: a framework must be a mapping with a 'nodes' list")
    top = ("name", "nodes", "groups", "denominators", "level_names", "source", "description")
    for k in doc:
        if k not in top:
            raise FrameworkError(f"{where(file, doc.line_of(k) if isinstance(doc, LineDict) else None, k)}"
                                 f"unknown key.{suggest(k, top)} Valid: {', '.join(top)}")
    nodes = doc.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        raise FrameworkError(f"{where(file, doc.line_of('nodes') if isinstance(doc, LineDict) else None, 'nodes')}"
                             f"must be a non-empty list of nodes")
    records = []
    for n in nodes:
        if not isinstance(n, dict):
            raise FrameworkError(f"{file}: every entry of 'nodes' must be a mapping, got {n!r}")
        for k in n:
            if k not in _NODE_KEYS:
                raise FrameworkError(f"{where(file, n.line_of(k) if isinstance(n, LineDict) else None, k)}"
                                     f"unknown node field.{suggest(k, _NODE_KEYS)} Valid: {', '.join(_NODE_KEYS)}")
        records.append({**n, "_line": n.line if isinstance(n, LineDict) else None})
    return make_framework(records, groups=doc.get("groups") or (), denominators=doc.get("denominators") or (),
                          name=str(doc.get("name", path.stem)), level_names=doc.get("level_names") or (), file=file)


def dump_framework_yaml(fw: Framework) -> str:
    """YAML text for a framework (e.g. to convert a COINr iMeta into the native format)."""
    import yaml

    nodes = []
    for n in fw.nodes:
        d: dict[str, Any] = {"code": n.code, "name": n.name}
        if n.parent:
            d["parent"] = n.parent
        d["weight"] = n.weight
        if n.is_indicator:
            d["direction"] = n.direction
        for k in ("unit", "denominator", "target"):
            if getattr(n, k) is not None:
                d[k] = getattr(n, k)
        if n.goalposts:
            d["goalposts"] = list(n.goalposts)
        nodes.append(d)
    doc = {"name": fw.name, "groups": list(fw.groups), "denominators": list(fw.denominators), "nodes": nodes}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
