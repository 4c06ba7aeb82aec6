"""The registry of regional cooperation mechanisms: schema, validation, loader and its ``SOURCE`` declaration.

The registry is curated data shipped in the package (``lmc/curated/mechanisms.yaml``, re-expressed from
``../shared/facts/mechanisms.yaml``). This module is the one place that knows its format:

* a pydantic schema (:class:`Registry`, :class:`Mechanism`, ...), frozen, so analyses cannot alter it;
* validation that goes beyond types: sectors from the controlled vocabulary, member and partner codes from the
  registry's code lists, years in range and in order (nobody joins before a mechanism exists), every ``src`` key
  resolving to a reference with publisher, url and access date. Every problem names the file, the line, the
  mechanism and the field (``members[2].joined``) and, for closed sets, the closest valid value;
* :func:`load_registry` for the analyses in :mod:`lmc.mechanisms`, and :data:`SOURCE`, which turns the registry into
  the warehouse tables ``mechanisms``, ``mechanism_members``, ``mechanism_sectors`` and ``mechanism_programmes``.

Validation collects every problem (frictionless style) so a curator fixes a file in one pass; the loader raises a
:class:`MechanismRegistryError` carrying them all, whose message is the first one plus a count.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from lmc import yamldoc
from lmc.errors import ParseError, ValidationError, suggest
from lmc.sources.base import Source, SourceFile, TableSpec
from lmc.yamldoc import YamlDoc

MIN_YEAR = 1945
"""Earliest plausible year in the registry (ASEAN, the oldest mechanism, dates from 1967)."""


def max_year() -> int:
    """Latest accepted year: the current calendar year (a curated record cannot describe the future)."""
    return _dt.date.today().year


PACKAGE_FILE = "curated/mechanisms.yaml"
"""Path of the registry inside the ``lmc`` package."""

MemberKind = Literal["country", "subnational"]
Status = Literal["active", "dormant"]


# --------------------------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Reference(_Frozen):
    """Where a fact comes from: publisher, URL and the date it was accessed."""

    publisher: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    accessed: _dt.date
    note: str | None = None


class Member(_Frozen):
    """A country (ISO 3166-1 alpha-3) or subnational unit (ISO 3166-2) that belongs to a mechanism."""

    code: str
    kind: MemberKind
    joined: int | None = Field(default=None, description="Year joined; null when the sources do not give it.")
    left: int | None = None
    note: str | None = None
    src: tuple[str, ...] = ()


class Partner(_Frozen):
    """A country or organisation associated with a mechanism without being a member, with its role."""

    code: str
    role: str
    since: int | None = None
    until: int | None = None
    note: str | None = None
    src: tuple[str, ...] = ()


class Programme(_Frozen):
    """A named programme, project, agreement or centre run under a mechanism."""

    name: str = Field(min_length=1)
    year: int | None = None
    sectors: tuple[str, ...] = ()
    src: tuple[str, ...] = ()


class FundingInstrument(_Frozen):
    name: str = Field(min_length=1)
    detail: str | None = None
    src: tuple[str, ...] = ()


class FoundingDocument(_Frozen):
    title: str | None = None
    date: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    note: str | None = None
    src: tuple[str, ...] = ()


class Mechanism(_Frozen):
    """One cooperation mechanism (see the header of ``lmc/curated/mechanisms.yaml`` for conventions)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    abbreviation: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    name_zh: str | None = None
    name_zh_src: tuple[str, ...] = ()
    type: str
    status: Status
    status_src: tuple[str, ...] = ()
    last_activity: int | None = Field(default=None, description="For dormant mechanisms: last year of activity.")
    initiator: str | None = None
    parent: str | None = None
    founded: int | None
    founded_src: tuple[str, ...] = ()
    founded_note: str | None = None
    founding_document: FoundingDocument = FoundingDocument()
    members: tuple[Member, ...] = Field(min_length=1)
    members_src: tuple[str, ...] = Field(min_length=1)
    members_note: str | None = None
    partners: tuple[Partner, ...] = ()
    sectors: tuple[str, ...] = Field(min_length=1)
    sectors_src: tuple[str, ...] = Field(min_length=1)
    programmes: tuple[Programme, ...] = ()
    funding_instruments: tuple[FundingInstrument, ...] = ()
    funding_note: str | None = None
    source: Reference
    references: dict[str, Reference] = Field(default_factory=dict)

    # --- convenience views ----------------------------------------------------------------------------------
    def countries(self) -> frozenset[str]:
        """Current country members (those that have not left)."""
        return frozenset(m.code for m in self.members if m.kind == "country" and m.left is None)

    def ref_url(self, keys: Sequence[str]) -> str:
        """URL of the first cited reference, else the mechanism's primary source."""
        for k in keys:
            if k in self.references:
                return self.references[k].url
        return self.source.url


class Vocabulary(_Frozen):
    sectors: dict[str, str]
    types: dict[str, str]
    partner_roles: dict[str, str]


class Codes(_Frozen):
    source: Reference
    countries: dict[str, str]
    subnational: dict[str, str]
    organisations: dict[str, str]

    def name(self, code: str) -> str:
        for table in (self.countries, self.subnational, self.organisations):
            if code in table:
                return table[code]
        return code


class Registry(_Frozen):
    """The whole registry: vocabularies, code lists and the mechanisms, validated."""

    schema_version: Literal[1]
    vocabulary: Vocabulary
    codes: Codes
    mechanisms: tuple[Mechanism, ...]
    origin: str = Field(default="", description="File the registry was read from (for messages).")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.mechanisms)

    def get(self, key: str) -> Mechanism:
        """A mechanism by id or abbreviation (case-insensitive); unknown keys get a did-you-mean error."""
        k = key.strip().lower()
        for m in self.mechanisms:
            if m.id == k or m.abbreviation.lower() == k:
                return m
        valid = [m.id for m in self.mechanisms] + [m.abbreviation for m in self.mechanisms]
        raise MechanismNotFound(
            f"unknown mechanism {key!r}.{suggest(key, valid)} Valid ids: {', '.join(self.ids)}")


# --------------------------------------------------------------------------------------------------------------
# Problems and errors
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem, with a stable ``code`` (e.g. ``unknown-sector``) and where it is."""

    code: str
    message: str
    file: str
    line: int | None
    mechanism: str | None
    field: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f"mechanism {self.mechanism!r}, " if self.mechanism else ""
        return f"{where}: {who}field {self.field!r}: {self.message}"


class MechanismRegistryError(ValidationError):
    """The mechanism registry does not validate; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(str(problems[0]) + more)


class MechanismNotFound(ValidationError):
    """An id or abbreviation that names no mechanism."""


# --------------------------------------------------------------------------------------------------------------
# Reading and validating
# --------------------------------------------------------------------------------------------------------------


def package_path() -> Path:
    """The registry file shipped in the installed package."""
    return Path(str(resources.files("lmc").joinpath(PACKAGE_FILE)))


def _read_yaml(path: Path) -> YamlDoc:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(f"{path}: cannot read the mechanism registry: {exc}") from exc
    return yamldoc.load(text, where=str(path), error=ParseError,
                        syntax="{where}:{line}:{column}: not valid YAML: {problem}")


def _field_name(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Collector:
    def __init__(self, file: str, doc: YamlDoc | None):
        self.file, self.doc, self.problems = file, doc, []

    def add(self, code: str, message: str, mechanism: str | None, base: Sequence[str | int],
            loc: Sequence[str | int]) -> None:
        line = self.doc.line((*base, *loc)) if self.doc is not None else None
        self.problems.append(Problem(code, message, self.file, line, mechanism, _field_name(loc) or "(record)"))


def _closed(value: str, valid: Mapping[str, str] | Sequence[str], kind: str) -> str:
    names = sorted(valid)
    return f"unknown {kind} {value!r}.{suggest(value, names)} Valid: {', '.join(names)}"


def _check_mechanism(m: Mechanism, i: int, vocab: Vocabulary, codes: Codes, ids: set[str],
                     out: _Collector) -> None:
    """Semantic checks of one schema-valid mechanism (vocabularies, codes, years, sources)."""
    base: list[str | int] = ["mechanisms", i]
    add = lambda code, msg, *loc: out.add(code, msg, m.id, base, loc)  # noqa: E731
    hi = max_year()

    def year(value: int | None, *loc: str | int) -> None:
        if value is not None and not MIN_YEAR <= value <= hi:
            add("year-out-of-range", f"year {value} is outside {MIN_YEAR}..{hi}.", *loc)

    def cites(keys: Sequence[str], *loc: str | int) -> None:
        for j, k in enumerate(keys):
            if k not in m.references:
                add("unknown-reference", _closed(k, m.references, "reference key") if m.references
                    else f"reference key {k!r} cited but the mechanism has no 'references'.", *loc, j)

    if m.type not in vocab.types:
        add("unknown-type", _closed(m.type, vocab.types, "mechanism type"), "type")
    if m.status == "dormant" and m.last_activity is None:
        add("missing-last-activity", "a dormant mechanism needs 'last_activity' (last year of activity).",
            "last_activity")
    if m.status == "active" and m.last_activity is not None:
        add("unexpected-last-activity", "'last_activity' is only for dormant mechanisms.", "last_activity")
    year(m.founded, "founded")
    year(m.last_activity, "last_activity")
    if m.founded is not None and m.last_activity is not None and m.last_activity < m.founded:
        add("year-order", f"last_activity {m.last_activity} is before founding year {m.founded}.", "last_activity")
    if m.parent is not None and m.parent not in ids:
        add("unknown-parent", _closed(m.parent, sorted(ids), "mechanism"), "parent")
    if m.parent == m.id:
        add("self-parent", "a mechanism cannot be its own parent.", "parent")
    if m.initiator is not None and m.initiator not in codes.countries and m.initiator not in codes.organisations:
        add("unknown-code", _closed(m.initiator, {**codes.countries, **codes.organisations}, "initiator code"),
            "initiator")

    seen: set[str] = set()
    for j, mem in enumerate(m.members):
        table = codes.countries if mem.kind == "country" else codes.subnational
        if mem.code not in table:
            other = codes.subnational if mem.kind == "country" else codes.countries
            hint = f" ({mem.code!r} is a {'subnational' if mem.kind == 'country' else 'country'} code: " \
                   f"check 'kind'.)" if mem.code in other else ""
            add("unknown-member", _closed(mem.code, table, f"{mem.kind} code") + hint, "members", j, "code")
        if mem.code in seen:
            add("duplicate-member", f"{mem.code} is listed twice.", "members", j, "code")
        seen.add(mem.code)
        year(mem.joined, "members", j, "joined")
        year(mem.left, "members", j, "left")
        if mem.joined is not None and m.founded is not None and mem.joined < m.founded:
            add("year-order", f"joined {mem.joined} is before the founding year {m.founded}.", "members", j, "joined")
        if mem.left is not None and mem.left < (mem.joined or m.founded or mem.left):
            add("year-order", f"left {mem.left} is before joining.", "members", j, "left")
        cites(mem.src, "members", j, "src")
    if "CHN" in {mem.code for mem in m.members if mem.kind == "country"} and not m.name_zh:
        add("missing-name-zh", "China is a member, so the Chinese name 'name_zh' is required.", "name_zh")
    if m.name_zh and not m.name_zh_src:
        add("missing-source", "'name_zh' needs 'name_zh_src'.", "name_zh_src")

    for j, p in enumerate(m.partners):
        if p.code not in codes.countries and p.code not in codes.organisations:
            add("unknown-partner", _closed(p.code, {**codes.countries, **codes.organisations}, "partner code"),
                "partners", j, "code")
        if p.role not in vocab.partner_roles:
            add("unknown-role", _closed(p.role, vocab.partner_roles, "partner role"), "partners", j, "role")
        if p.code in seen and p.role != "member":
            add("partner-is-member", f"{p.code} is already a member.", "partners", j, "code")
        year(p.since, "partners", j, "since")
        year(p.until, "partners", j, "until")
        cites(p.src, "partners", j, "src")

    dup: set[str] = set()
    for j, s in enumerate(m.sectors):
        if s not in vocab.sectors:
            add("unknown-sector", _closed(s, vocab.sectors, "sector"), "sectors", j)
        if s in dup:
            add("duplicate-sector", f"sector {s!r} is listed twice.", "sectors", j)
        dup.add(s)
    for j, prog in enumerate(m.programmes):
        year(prog.year, "programmes", j, "year")
        for k, s in enumerate(prog.sectors):
            if s not in vocab.sectors:
                add("unknown-sector", _closed(s, vocab.sectors, "sector"), "programmes", j, "sectors", k)
        cites(prog.src, "programmes", j, "src")
    for j, f in enumerate(m.funding_instruments):
        cites(f.src, "funding_instruments", j, "src")
    for name in ("name_zh_src", "status_src", "founded_src", "members_src", "sectors_src"):
        cites(getattr(m, name), name)
    cites(m.founding_document.src, "founding_document", "src")


def validate_data(data: Any, *, file: str = "<registry>", doc: YamlDoc | None = None) -> tuple[
        Registry | None, list[Problem]]:
    """Validate parsed registry data; returns the registry (when it has no problems) and every problem found.

    ``doc`` (the parsed file, see :func:`lmc.yamldoc.load`) lets every problem name its line.

    Each mechanism is checked on its own so one bad record does not hide the others, and every problem names the
    mechanism id and the field path.
    """
    out = _Collector(file, doc)
    if not isinstance(data, dict):
        out.add("not-a-mapping", "the registry must be a YAML mapping with 'vocabulary', 'codes', 'mechanisms'.",
                None, [], [])
        return None, out.problems
    head = {k: v for k, v in data.items() if k != "mechanisms"}
    raw_mechs = data.get("mechanisms")
    try:
        shell = Registry.model_validate({**head, "mechanisms": []})
    except PydanticValidationError as exc:
        for e in exc.errors():
            out.add("schema", e["msg"], None, [], [str(p) if not isinstance(p, int) else p for p in e["loc"]])
        return None, out.problems
    if not isinstance(raw_mechs, list) or not raw_mechs:
        out.add("schema", "'mechanisms' must be a non-empty list.", None, [], ["mechanisms"])
        return None, out.problems

    mechs: list[Mechanism] = []
    ids = {r.get("id") for r in raw_mechs if isinstance(r, dict) and isinstance(r.get("id"), str)}
    seen_ids: set[str] = set()
    for i, rec in enumerate(raw_mechs):
        mid = rec.get("id") if isinstance(rec, dict) else None
        label = mid if isinstance(mid, str) else f"#{i + 1}"
        try:
            m = Mechanism.model_validate(rec)
        except PydanticValidationError as exc:
            for e in exc.errors():
                msg = e["msg"]
                if e["type"] == "extra_forbidden":
                    name = str(e["loc"][-1])
                    top = suggest(name, Mechanism.model_fields) if len(e["loc"]) == 1 else ""
                    msg = f"unknown field {name!r}.{top}"
                elif "input" in e and not isinstance(e["input"], dict | list):
                    msg = f"{msg} (got {e['input']!r})"
                out.add("schema", msg, label, ["mechanisms", i], list(e["loc"]))
            continue
        if m.id in seen_ids:
            out.add("duplicate-id", f"id {m.id!r} is used by more than one mechanism.", m.id, ["mechanisms", i],
                    ["id"])
        seen_ids.add(m.id)
        _check_mechanism(m, i, shell.vocabulary, shell.codes, ids, out)
        mechs.append(m)
    if out.problems:
        return None, out.problems
    return shell.model_copy(update={"mechanisms": tuple(mechs), "origin": file}), out.problems


def validate_file(path: Path | str) -> tuple[Registry | None, list[Problem]]:
    """Validate a registry file; see :func:`validate_data`. YAML syntax errors raise :class:`ParseError`."""
    path = Path(path)
    doc = _read_yaml(path)
    return validate_data(doc.data, file=str(path), doc=doc)


def load_registry(path: Path | str | None = None) -> Registry:
    """The validated registry from ``path`` (default: the one shipped in the package).

    Raises :class:`MechanismRegistryError` (a :class:`lmc.errors.ValidationError`) naming file, line, mechanism and
    field of the first problem, with all problems in ``.problems``.
    """
    if path is None:
        return _packaged_registry()
    registry, problems = validate_file(path)
    if problems or registry is None:
        raise MechanismRegistryError(problems)
    return registry


@lru_cache(maxsize=1)
def _packaged_registry() -> Registry:
    registry, problems = validate_file(package_path())
    if problems or registry is None:
        raise MechanismRegistryError(problems)
    return registry


# --------------------------------------------------------------------------------------------------------------
# Warehouse tables
# --------------------------------------------------------------------------------------------------------------

TABLES: tuple[TableSpec, ...] = (
    TableSpec("mechanisms", {
        "mechanism": "VARCHAR", "abbreviation": "VARCHAR", "name_en": "VARCHAR", "name_zh": "VARCHAR",
        "type": "VARCHAR", "status": "VARCHAR", "last_activity": "INTEGER", "initiator": "VARCHAR",
        "parent": "VARCHAR", "founded": "INTEGER", "founding_document": "VARCHAR", "founding_date": "VARCHAR",
        "source_publisher": "VARCHAR", "source_url": "VARCHAR", "source_accessed": "DATE",
    }, "One row per cooperation mechanism (curated registry).", ("mechanism",)),
    TableSpec("mechanism_members", {
        "mechanism": "VARCHAR", "member": "VARCHAR", "kind": "VARCHAR", "joined": "INTEGER", "left": "INTEGER",
        "role": "VARCHAR", "source_url": "VARCHAR",
    }, "Members (kind country|subnational, role 'member') and partners (kind partner, role e.g. dialogue_partner; "
       "joined/left = since/until). joined NULL: year not given by the sources.", ("mechanism", "member", "role")),
    TableSpec("mechanism_sectors", {"mechanism": "VARCHAR", "sector": "VARCHAR", "source_url": "VARCHAR"},
              "Priority sectors per mechanism (controlled vocabulary).", ("mechanism", "sector")),
    TableSpec("mechanism_programmes", {
        "mechanism": "VARCHAR", "programme": "VARCHAR", "year": "INTEGER", "sectors": "VARCHAR",
        "source_url": "VARCHAR",
    }, "Notable programmes per mechanism, with the year where the sources give it; sectors space-separated "
       "(assigned by the curator).", ()),
)


def registry_tables(registry: Registry) -> dict[str, pd.DataFrame]:
    """The registry as the four tidy warehouse tables (see :data:`TABLES`)."""
    mech_rows, mem_rows, sec_rows, prog_rows = [], [], [], []
    for m in registry.mechanisms:
        mech_rows.append({
            "mechanism": m.id, "abbreviation": m.abbreviation, "name_en": m.name_en, "name_zh": m.name_zh,
            "type": m.type, "status": m.status, "last_activity": m.last_activity, "initiator": m.initiator,
            "parent": m.parent, "founded": m.founded, "founding_document": m.founding_document.title,
            "founding_date": m.founding_document.date, "source_publisher": m.source.publisher,
            "source_url": m.source.url, "source_accessed": m.source.accessed,
        })
        for mem in m.members:
            mem_rows.append({"mechanism": m.id, "member": mem.code, "kind": mem.kind, "joined": mem.joined,
                             "left": mem.left, "role": "member",
                             "source_url": m.ref_url(mem.src or m.members_src)})
        for p in m.partners:
            mem_rows.append({"mechanism": m.id, "member": p.code, "kind": "partner", "joined": p.since,
                             "left": p.until, "role": p.role, "source_url": m.ref_url(p.src or m.members_src)})
        for s in m.sectors:
            sec_rows.append({"mechanism": m.id, "sector": s, "source_url": m.ref_url(m.sectors_src)})
        for prog in m.programmes:
            prog_rows.append({"mechanism": m.id, "programme": prog.name, "year": prog.year,
                              "sectors": " ".join(prog.sectors), "source_url": m.ref_url(prog.src)})
    frames = {}
    for spec, rows in zip(TABLES, (mech_rows, mem_rows, sec_rows, prog_rows), strict=True):
        df = pd.DataFrame(rows, columns=list(spec.columns))
        for col, typ in spec.columns.items():
            if typ == "INTEGER":
                df[col] = df[col].astype("Int64")
            elif typ == "DATE":
                df[col] = pd.to_datetime(df[col]).dt.date
        frames[spec.name] = df
    return frames


def _parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Source parse step: the one registry file -> four tables. Invalid registries raise naming file and field."""
    (path,) = paths.values()
    registry, problems = validate_file(path)
    if problems or registry is None:
        raise MechanismRegistryError(problems)
    return registry_tables(registry)


SOURCE = Source(
    id="mechanisms",
    title="Registry of regional cooperation mechanisms (Lancang-Mekong countries)",
    publisher="LMC Observatory (curated from publishers' pages; a source on every record)",
    homepage="package:" + PACKAGE_FILE,
    licence="MIT (the project's curation, as the package); facts belong to the cited publishers",
    files=(SourceFile(path="package:" + PACKAGE_FILE, url="package:" + PACKAGE_FILE),),
    tables=TABLES,
    parse=_parse,
    coverage="18 mechanisms, founding years 1967-2020, members and partners, 26 priority sectors",
    notes="Re-expressed from ../shared/facts/mechanisms.yaml (compiled 2026-11-29 from a stored web corpus).",
    curated=True,
)
