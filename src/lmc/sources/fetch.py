"""Get a source's files: content-addressed cache, then mirrors, then the publisher's URL.

Why this order: the cache and the mirrors hold byte-exact copies whose sha256 is recorded, so they are tried first
and the network is touched only when neither has the file. The rules about hashes differ by where bytes come from:

* a **mirror** (folder or URL base holding MANIFEST-relative paths) is a *copy* of a known file, so a copy whose
  sha256 differs from the recorded one is corrupt: it is skipped (the message says whether it looks truncated and,
  for text, the line and column where it breaks) and the next place is tried;
* a **publisher** file may legitimately differ (publishers revise their data): it is accepted with a warning and
  its own hash is recorded (``hash_ok = False``); whether it parses is checked later, at ingestion.

A DERIVED file is what the connector derives from the full upstream file: the bytes downloaded from
``SourceFile.url`` go through ``SourceFile.derive`` and the result is what is hashed and cached.
When nothing works a :class:`FetchError` lists every place tried and why each failed.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from lmc.atomic import write_bytes
from lmc.config import Settings, get_settings
from lmc.errors import FetchError
from lmc.sources.base import Source, SourceFile

Downloader = Callable[[str, Settings], bytes]
"""``(url, settings) -> bytes``; injectable so tests never touch the network."""


@dataclass(frozen=True, slots=True)
class FetchedFile:
    """One file of a source, available locally, with what provenance needs to know about it."""

    source_id: str
    path: str
    """The MANIFEST-relative path (``SourceFile.path``)."""
    local: Path
    """Where the bytes are now (a file in the content-addressed cache, or the package file for curated data)."""
    url: str
    """The publisher URL declared by the connector."""
    origin: str
    """Where the bytes actually came from: a mirror folder/URL or the publisher URL (``cache`` keeps the first)."""
    sha256: str
    expected_sha256: str | None
    bytes: int
    retrieved_at: datetime
    from_cache: bool = False
    warnings: tuple[str, ...] = field(default=())

    @property
    def hash_ok(self) -> bool | None:
        """True/False against the recorded hash; None when the connector records none."""
        if self.expected_sha256 is None:
            return None
        return self.sha256 == self.expected_sha256.lower()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


# --- content-addressed cache -------------------------------------------------------------------------------------


def cache_path(settings: Settings, sha256: str, name: str) -> Path:
    """``<cache_dir>/<2 hex digits>/<sha256>/<file name>``: the folder is the content's hash; the file keeps its
    name (and extension) so parsers that look at suffixes see what they expect."""
    return settings.cache_dir / sha256[:2] / sha256 / Path(name).name


def _cache_put(settings: Settings, data: bytes, sha: str, name: str, origin: str, retrieved_at: datetime) -> Path:
    path = cache_path(settings, sha, name)
    if not path.is_file():
        write_bytes(path, data)
    meta = {"origin": origin, "retrieved_at": retrieved_at.isoformat()}
    write_bytes(_meta_path(path), json.dumps(meta).encode())
    return path


def _meta_path(path: Path) -> Path:
    return path.parent / f".{path.name}.json"


def _cache_get(settings: Settings, sha: str, name: str) -> tuple[Path, str, datetime] | None:
    """The cached file with this hash, re-verified (a damaged cache entry is dropped, never trusted)."""
    path = cache_path(settings, sha, name)
    if not path.is_file():
        return None
    if sha256_file(path) != sha:
        path.unlink(missing_ok=True)
        return None
    origin, when = "cache", datetime.fromtimestamp(path.stat().st_mtime, UTC)
    meta_path = _meta_path(path)
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text())
            origin, when = meta["origin"], datetime.fromisoformat(meta["retrieved_at"])
        except (ValueError, KeyError):
            pass
    return path, origin, when


# --- diagnosing a bad copy ---------------------------------------------------------------------------------------


def _line_col(data: bytes, pos: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of byte offset ``pos``."""
    line = data.count(b"\n", 0, pos) + 1
    start = data.rfind(b"\n", 0, pos) + 1
    return line, pos - start + 1


def diagnose_mismatch(data: bytes, expected_bytes: int | None = None) -> str:
    """Say what looks wrong with a copy whose hash does not match: truncation, a non-UTF-8 byte, a cut line."""
    hints: list[str] = []
    if expected_bytes is not None and len(data) != expected_bytes:
        kind = "truncated" if len(data) < expected_bytes else "longer than recorded"
        hints.append(f"{kind}: {len(data):,} of {expected_bytes:,} bytes")
    if b"\x00" not in data[:4096]:  # looks like text
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, col = _line_col(data, exc.start)
            hints.append(f"byte 0x{data[exc.start]:02x} at line {line}, column {col} is not UTF-8")
        if data and not data.endswith(b"\n"):
            line, col = _line_col(data, len(data))
            hints.append(f"ends mid-line at line {line}, column {col}")
    return "; ".join(hints) if hints else "content differs from the recorded file"


# --- network -----------------------------------------------------------------------------------------------------


def http_download(url: str, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> bytes:
    """GET ``url`` with the settings' timeout and retries (transport errors, 429 and 5xx are retried).

    Raises OSError with the reason; ``transport`` lets tests replay responses without a network.
    """
    last: Exception | None = None
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
        try:
            with httpx.Client(timeout=settings.timeout_s, follow_redirects=True, transport=transport) as client:
                resp = client.get(url)
            if resp.status_code == 429 or resp.status_code >= 500:
                last = httpx.HTTPStatusError(f"HTTP {resp.status_code}", request=resp.request, response=resp)
                continue
            resp.raise_for_status()
            expected = resp.headers.get("content-length")
            if expected is not None and "content-encoding" not in resp.headers and int(expected) != len(resp.content):
                last = OSError(f"incomplete download: {len(resp.content)} of {expected} bytes")
                continue
            return resp.content
        except httpx.HTTPStatusError as exc:
            raise OSError(f"HTTP {exc.response.status_code}") from exc
        except httpx.TransportError as exc:
            last = exc
    raise OSError(f"{type(last).__name__}: {last} (after {settings.retries + 1} attempts)")


def _is_url(location: str) -> bool:
    return "://" in location


# --- the fetch itself --------------------------------------------------------------------------------------------


def fetch_file(
    source_id: str,
    spec: SourceFile,
    settings: Settings | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    offline: bool | None = None,
    download: Downloader = http_download,
    use_cache: bool = True,
) -> FetchedFile:
    """Make one file of a source available locally (see the module docstring for the order and the hash rules).

    ``mirrors`` and ``offline`` default to the settings'. Raises :class:`FetchError` listing every place tried.
    """
    settings = settings or get_settings()
    mirrors = tuple(settings.mirrors if mirrors is None else mirrors)
    offline = settings.offline if offline is None else offline
    expected = spec.sha256.lower() if spec.sha256 else None
    tried: list[str] = []

    def done(data: bytes, sha: str, origin: str, warnings: tuple[str, ...] = ()) -> FetchedFile:
        now = datetime.now(UTC).replace(microsecond=0)
        local = _cache_put(settings, data, sha, spec.path, origin, now)
        return FetchedFile(source_id, spec.path, local, spec.url, origin, sha, expected, len(data), now,
                           False, warnings)

    if use_cache and expected:
        hit = _cache_get(settings, expected, spec.path)
        if hit is not None:
            local, origin, when = hit
            return FetchedFile(source_id, spec.path, local, spec.url, origin, expected, expected,
                               local.stat().st_size, when, True)
        tried.append(f"cache {cache_path(settings, expected, spec.path)}: not there")

    for mirror in mirrors:
        if _is_url(mirror):
            where = mirror.rstrip("/") + "/" + spec.path
            if offline:
                tried.append(f"mirror {where}: skipped (offline)")
                continue
            try:
                data = download(where, settings)
            except OSError as exc:
                tried.append(f"mirror {where}: {exc}")
                continue
        else:
            local_path = Path(mirror).expanduser() / spec.path
            where = str(local_path)
            if not local_path.is_file():
                tried.append(f"mirror {where}: no such file")
                continue
            data = local_path.read_bytes()
        sha = sha256_bytes(data)
        if expected and sha != expected:
            tried.append(f"mirror {where}: sha256 {sha[:12]}... is not the recorded {expected[:12]}... "
                         f"({diagnose_mismatch(data, spec.bytes)})")
            continue
        return done(data, sha, where)

    if offline:
        tried.append(f"publisher {spec.url}: skipped (offline)")
    elif not spec.url or not _is_url(spec.url):
        tried.append(f"publisher: no download URL declared ({spec.url!r})")
    else:
        try:
            data = download(spec.url, settings)
            if spec.derived:
                if spec.derive is None:
                    raise OSError("file is DERIVED but the connector declares no derive function")
                data = spec.derive(data)
        except OSError as exc:
            tried.append(f"publisher {spec.url}: {exc}")
        except Exception as exc:  # a derive function failing on changed upstream bytes
            tried.append(f"publisher {spec.url}: deriving {spec.path} failed: {type(exc).__name__}: {exc}")
        else:
            sha = sha256_bytes(data)
            warnings: tuple[str, ...] = ()
            if expected and sha != expected:
                warnings = (f"{source_id}/{spec.path}: publisher file differs from the recorded one "
                            f"(sha256 {sha[:12]}... vs {expected[:12]}...); accepted and its own hash recorded",)
            return done(data, sha, spec.url, warnings)

    listing = "; ".join(f"({i}) {t}" for i, t in enumerate(tried, 1))
    raise FetchError(f"source {source_id}, file {spec.path}: could not get it. Tried {listing}")


@dataclass(frozen=True, slots=True)
class FetchedSource:
    """The files of one source that could be had (keyed by ``SourceFile.path``) and, for optional files that could
    not, why not (the :class:`FetchError` text): ingestion then keeps the tables parsed from them."""

    files: dict[str, FetchedFile]
    unavailable: dict[str, str] = field(default_factory=dict)


def fetch_source(
    source: Source,
    settings: Settings | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    offline: bool | None = None,
    download: Downloader = http_download,
    use_cache: bool = True,
) -> FetchedSource:
    """Every file of a source. A required file that cannot be had raises :class:`FetchError`; an optional one is
    listed in ``unavailable`` with the reason."""
    out: dict[str, FetchedFile] = {}
    unavailable: dict[str, str] = {}
    for spec in source.files:
        try:
            out[spec.path] = fetch_file(source.id, spec, settings, mirrors=mirrors, offline=offline,
                                        download=download, use_cache=use_cache)
        except FetchError as exc:
            if not spec.optional:
                raise
            unavailable[spec.path] = str(exc)
    return FetchedSource(out, unavailable)


def packaged_file(source_id: str, spec: SourceFile) -> FetchedFile:
    """A file shipped inside the package (curated reference data): no download, hashed where it lies.

    ``spec.path`` is ``package:<path inside lmc>``, an absolute path, or relative to ``lmc/curated/`` or to the
    ``lmc`` package folder.
    """
    import lmc

    pkg = Path(lmc.__file__).parent
    if spec.path.startswith("package:"):
        candidates = [pkg / spec.path.removeprefix("package:")]
    elif Path(spec.path).is_absolute():
        candidates = [Path(spec.path)]
    else:
        candidates = [pkg / "curated" / spec.path, pkg / spec.path]
    for candidate in candidates:
        if candidate.is_file():
            data = candidate.read_bytes()
            sha = sha256_bytes(data)
            when = datetime.fromtimestamp(candidate.stat().st_mtime, UTC).replace(microsecond=0)
            origin = "package:" + (candidate.relative_to(pkg).as_posix() if candidate.is_relative_to(pkg)
                                   else str(candidate))
            return FetchedFile(source_id, spec.path, candidate, spec.url, origin, sha,
                               spec.sha256.lower() if spec.sha256 else None, len(data), when)
    raise FetchError(f"source {source_id}, file {spec.path}: not in the package; looked at "
                     + ", ".join(str(c) for c in candidates))
