"""Fetching: cache, then mirrors, then the publisher; hash rules; DERIVED files; errors that list every place."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from fixtures_warehouse import THAI_FILE, manifest, synthetic_thai
from lmc.errors import FetchError
from lmc.sources import fetch as fetch_mod
from lmc.sources.base import SourceFile
from lmc.sources.fetch import diagnose_mismatch, fetch_file, http_download


def _no_network(url, settings):  # pragma: no cover - called only if a test is wrong
    raise AssertionError(f"network used: {url}")


def _spec(mirror_dir: Path, **kw) -> SourceFile:
    return synthetic_thai(mirror_dir, **kw).files[0]


def test_mirror_folder_then_cache(make_settings, mirror_dir):
    settings = make_settings(mirrors=[mirror_dir])
    spec = _spec(mirror_dir)
    first = fetch_file("synthetic_thai", spec, settings, download=_no_network)
    assert first.hash_ok is True and not first.from_cache
    assert first.origin == str(mirror_dir / THAI_FILE)
    assert first.local.read_bytes() == (mirror_dir / THAI_FILE).read_bytes()
    assert first.local.is_relative_to(settings.cache_dir) and first.local.name == Path(THAI_FILE).name
    assert hashlib.sha256(first.local.read_bytes()).hexdigest() in str(first.local)  # content-addressed

    # no mirror any more: the cache answers, and remembers where the bytes came from
    again = fetch_file("synthetic_thai", spec, make_settings(mirrors=[]), download=_no_network)
    assert again.from_cache and again.origin == first.origin and again.sha256 == first.sha256


def test_damaged_cache_entry_is_not_trusted(make_settings, mirror_dir):
    settings = make_settings(mirrors=[mirror_dir])
    spec = _spec(mirror_dir)
    local = fetch_file("synthetic_thai", spec, settings, download=_no_network).local
    local.write_bytes(local.read_bytes()[:-10])
    again = fetch_file("synthetic_thai", spec, settings, download=_no_network)
    assert not again.from_cache and again.hash_ok
    assert again.local.read_bytes() == (mirror_dir / THAI_FILE).read_bytes()


def test_offline_without_mirror_lists_every_place(make_settings, mirror_dir, tmp_path):
    missing = tmp_path / "no_such_mirror"
    settings = make_settings(mirrors=[missing, "https://mirror.invalid/data"], offline=True)
    with pytest.raises(FetchError) as err:
        fetch_file("synthetic_thai", _spec(mirror_dir), settings, download=_no_network)
    msg = str(err.value)
    assert "synthetic_thai" in msg and THAI_FILE in msg
    assert "cache" in msg
    assert str(missing / THAI_FILE) in msg and "no such file" in msg
    assert f"https://mirror.invalid/data/{THAI_FILE}: skipped (offline)" in msg
    assert "publisher https://example.invalid/thai.csv: skipped (offline)" in msg


def test_flipped_byte_in_mirror_is_rejected_with_its_line(make_settings, mirror_dir, mirror_copy):
    root, path = mirror_copy(THAI_FILE)
    data = bytearray(path.read_bytes())
    lines = bytes(data).split(b"\n")
    offset = len(lines[0]) + 1 + len(lines[1]) + 1 + 3  # line 3, column 4
    data[offset] ^= 0x80  # no longer valid UTF-8
    path.write_bytes(bytes(data))
    with pytest.raises(FetchError) as err:
        fetch_file("synthetic_thai", _spec(mirror_dir), make_settings(mirrors=[root]), download=_no_network)
    msg = str(err.value)
    assert "sha256" in msg and "is not the recorded" in msg
    assert "line 3, column 4" in msg


def test_truncated_mirror_copy_is_rejected(make_settings, mirror_dir, mirror_copy):
    root, path = mirror_copy(THAI_FILE)
    data = path.read_bytes()
    cut = data[: len(data) // 2]
    path.write_bytes(cut)
    with pytest.raises(FetchError) as err:
        fetch_file("synthetic_thai", _spec(mirror_dir), make_settings(mirrors=[root]), download=_no_network)
    msg = str(err.value)
    assert f"truncated: {len(cut):,} of {len(data):,} bytes" in msg
    last_line = cut.count(b"\n") + 1
    assert f"ends mid-line at line {last_line}" in msg


def test_bad_mirror_falls_through_to_next_place(make_settings, mirror_dir, mirror_copy):
    root, path = mirror_copy(THAI_FILE)
    path.write_bytes(path.read_bytes()[:100])
    got = fetch_file("synthetic_thai", _spec(mirror_dir), make_settings(mirrors=[root, mirror_dir]),
                     download=_no_network)
    assert got.hash_ok and got.origin == str(mirror_dir / THAI_FILE)


def test_url_mirror_uses_manifest_relative_path(make_settings, mirror_dir):
    seen: list[str] = []
    good = (mirror_dir / THAI_FILE).read_bytes()

    def fake(url, settings):
        seen.append(url)
        return good

    got = fetch_file("synthetic_thai", _spec(mirror_dir), make_settings(mirrors=["https://m.example/base/"],
                                                                         offline=False), download=fake)
    assert seen == [f"https://m.example/base/{THAI_FILE}"]
    assert got.hash_ok and got.origin == seen[0]


def test_publisher_file_with_other_hash_is_accepted_with_warning(make_settings, mirror_dir):
    revised = (mirror_dir / THAI_FILE).read_bytes() + b"THA,revised.xlsx,CHN,False,China,2023,True,1.0\n"
    got = fetch_file("synthetic_thai", _spec(mirror_dir), make_settings(offline=False),
                     download=lambda url, s: revised)
    assert got.origin == "https://example.invalid/thai.csv"
    assert got.hash_ok is False and got.sha256 == hashlib.sha256(revised).hexdigest()
    assert got.expected_sha256 == manifest(mirror_dir)[THAI_FILE]["sha256"]
    assert got.warnings and "differs from the recorded one" in got.warnings[0]


def test_derived_file_is_derived_from_the_upstream_download(make_settings, mirror_dir):
    derived = (mirror_dir / THAI_FILE).read_bytes()
    header, rest = derived.split(b"\n", 1)
    upstream = header + b"\nTHA,x.xlsx,ZZZ,False,Synthetic,2019,False,5.0\n" + rest  # the 'full' file has more rows

    def derive(raw: bytes) -> bytes:
        return b"".join(line for line in raw.splitlines(keepends=True) if b",ZZZ," not in line)

    spec = _spec(mirror_dir, derived=True, derive=derive)
    got = fetch_file("synthetic_thai", spec, make_settings(offline=False), download=lambda url, s: upstream)
    assert got.hash_ok is True and got.local.read_bytes() == derived


def test_derived_file_without_derive_function_is_an_error(make_settings, mirror_dir):
    spec = _spec(mirror_dir, derived=True)
    with pytest.raises(FetchError, match="no derive function"):
        fetch_file("synthetic_thai", spec, make_settings(offline=False), download=lambda url, s: b"x")


def test_http_download_retries_then_succeeds(make_settings, monkeypatch):
    monkeypatch.setattr(fetch_mod.time, "sleep", lambda s: None)
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] < 3:
            return httpx.Response(503)
        return httpx.Response(200, content=b"payload")

    settings = make_settings(offline=False, retries=3)
    assert http_download("https://x.invalid/f", settings, transport=httpx.MockTransport(handler)) == b"payload"
    assert calls["n"] == 3


def test_http_download_gives_up_and_says_why(make_settings, monkeypatch):
    monkeypatch.setattr(fetch_mod.time, "sleep", lambda s: None)

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    settings = make_settings(offline=False, retries=2)
    with pytest.raises(OSError, match="after 3 attempts"):
        http_download("https://x.invalid/f", settings, transport=httpx.MockTransport(handler))
    with pytest.raises(OSError, match="HTTP 404"):
        http_download("https://x.invalid/f", settings, transport=httpx.MockTransport(lambda r: httpx.Response(404)))


def test_diagnose_mismatch_without_hints():
    assert diagnose_mismatch(b"a,b\n1,2\n", 8) == "content differs from the recorded file"


def test_packaged_files_resolve_inside_the_package():
    import lmc
    from lmc.sources.fetch import packaged_file

    pkg = Path(lmc.__file__).parent
    got = packaged_file("synthetic_pkg", SourceFile("package:py.typed", "package:py.typed"))
    assert got.local == pkg / "py.typed" and got.origin == "package:py.typed"
    assert got.sha256 == hashlib.sha256((pkg / "py.typed").read_bytes()).hexdigest() and got.hash_ok is None
    with pytest.raises(FetchError, match="synthetic_pkg, file package:no/such.yaml: not in the package"):
        packaged_file("synthetic_pkg", SourceFile("package:no/such.yaml", ""))
