"""Loads never lose rows: optional files keep their tables, shrinking and too-small tables are refused (unless on
purpose), renamed columns are errors. In-process, over synthetic sources that read real mirror files."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from fixtures_warehouse import THAI_FILE, WDI_META_FILE, manifest, synthetic_thai, synthetic_wdi_meta
from lmc.errors import ParseError, ShrinkError
from lmc.sources.base import Source
from lmc.warehouse.db import read_table
from lmc.warehouse.ingest import pull

THAI_ROWS = 372  # data lines of the tidy MOTS file (hand count: `wc -l` minus the header)


def _with_optional_meta(mirror: Path) -> Source:
    """synthetic_thai plus the WDI indicator list as an OPTIONAL second file feeding a second table."""
    thai, meta = synthetic_thai(mirror), synthetic_wdi_meta(mirror)
    optional = dataclasses.replace(meta.files[0], optional=True)
    tables = (dataclasses.replace(thai.tables[0], files=(THAI_FILE,)),
              dataclasses.replace(meta.tables[0], files=(WDI_META_FILE,)))

    def parse(paths):
        out = thai.parse(paths)
        if WDI_META_FILE in paths:
            out.update(meta.parse(paths))
        return out

    return dataclasses.replace(thai, files=(thai.files[0], optional), tables=tables, parse=parse)


def _mirror_copy(tmp_path: Path, mirror_dir: Path, *files: str) -> Path:
    root = tmp_path / "mirror_copy"
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(mirror_dir / rel, root / rel)
    return root


def test_missing_optional_file_keeps_the_previous_table_and_says_so(settings, mirror_dir, tmp_path):
    src = _with_optional_meta(mirror_dir)
    reg = {src.id: src}
    first = pull(None, settings, registry=reg)
    assert first.ok and read_table("synthetic_wdi_indicators", settings).shape[0] == 19
    # the optional file gone from the only mirror; nothing in the cache (a new home on the same warehouse)
    only_thai = _mirror_copy(tmp_path, mirror_dir, THAI_FILE)
    s2 = settings.model_copy(update={"mirrors": (str(only_thai),), "home": tmp_path / "home2"})
    again = pull(None, s2, registry=reg)
    assert again.ok, again.failed
    assert read_table("synthetic_wdi_indicators", s2).shape[0] == 19  # not 0
    warning = " ".join(again.warnings)
    assert f"optional file {WDI_META_FILE} is unavailable; kept the previously loaded table " \
           "synthetic_wdi_indicators (19 rows)" in warning
    prov = read_table("provenance", s2).set_index("file")
    assert prov.loc[WDI_META_FILE, "sha256"] == manifest(mirror_dir)[WDI_META_FILE]["sha256"]  # its provenance kept
    assert int(read_table("sources", s2).set_index("source").loc["synthetic_thai", "rows"]) == THAI_ROWS + 19
    assert again.to_frame().set_index("source").loc["synthetic_thai", "rows"] == THAI_ROWS + 19


def test_missing_optional_file_on_a_first_pull_loads_an_empty_table_and_says_so(settings, mirror_dir, tmp_path):
    src = _with_optional_meta(mirror_dir)
    only_thai = _mirror_copy(tmp_path, mirror_dir, THAI_FILE)
    res = pull(None, settings.model_copy(update={"mirrors": (str(only_thai),)}), registry={src.id: src})
    assert res.ok
    assert read_table("synthetic_wdi_indicators", settings).empty
    assert any("nothing was loaded from it before; table synthetic_wdi_indicators is empty" in w
               for w in res.warnings)


def _publisher(data: bytes):
    """A downloader standing in for the publisher: always these bytes."""
    return lambda url, settings: data


def _half(mirror_dir: Path) -> bytes:
    lines = (mirror_dir / THAI_FILE).read_bytes().splitlines(keepends=True)
    return b"".join(lines[: 1 + THAI_ROWS // 2])  # header + half the rows, cut at a line boundary: parses fine


def test_a_publisher_file_that_shrinks_the_table_is_refused_naming_file_and_reason(settings, registry, mirror_dir):
    assert pull(["synthetic_thai"], settings, registry=registry).ok
    res = pull(["synthetic_thai"], settings.model_copy(update={"mirrors": (), "home": settings.home / "fresh"}),
               registry=registry, download=_publisher(_half(mirror_dir)), offline=False)
    assert not res.ok
    err = res.failed[0].error
    assert err.startswith(f"source synthetic_thai, file {THAI_FILE} (from https://example.invalid/thai.csv): "
                          f"table synthetic_thai_arrivals would shrink from {THAI_ROWS:,} to {THAI_ROWS // 2} rows "
                          "(-50%), more than 10% below the loaded table. Refused")
    assert "--accept-shrink" in err
    assert len(read_table("synthetic_thai_arrivals", settings)) == THAI_ROWS  # the old table stays


def test_accept_shrink_loads_it_on_purpose_with_a_warning(settings, registry, mirror_dir):
    pull(["synthetic_thai"], settings, registry=registry)
    res = pull(["synthetic_thai"], settings.model_copy(update={"mirrors": (), "home": settings.home / "fresh"}),
               registry=registry, download=_publisher(_half(mirror_dir)), accept_shrink=True, offline=False)
    assert res.ok
    assert len(read_table("synthetic_thai_arrivals", settings)) == THAI_ROWS // 2
    assert any("accepted on purpose (--accept-shrink)" in w for w in res.warnings)


def test_a_shrink_within_ten_percent_is_loaded(settings, registry, mirror_dir):
    pull(["synthetic_thai"], settings, registry=registry)
    lines = (mirror_dir / THAI_FILE).read_bytes().splitlines(keepends=True)
    keep = THAI_ROWS - THAI_ROWS // 10  # 335 of 372: -9.9 %
    res = pull(["synthetic_thai"], settings.model_copy(update={"mirrors": (), "home": settings.home / "fresh"}),
               registry=registry, download=_publisher(b"".join(lines[: 1 + keep])), offline=False)
    assert res.ok and len(read_table("synthetic_thai_arrivals", settings)) == keep


def test_a_table_below_its_declared_minimum_is_refused_even_on_a_first_load(settings, mirror_dir):
    src = synthetic_thai(mirror_dir)
    src = dataclasses.replace(src, tables=(dataclasses.replace(src.tables[0], min_rows=THAI_ROWS + 1),))
    res = pull(None, settings, registry={src.id: src})
    assert not res.ok
    assert (f"table synthetic_thai_arrivals has {THAI_ROWS} rows, fewer than the {THAI_ROWS + 1} a complete copy "
            "gives (a truncated file?)") in res.failed[0].error
    with pytest.raises(ShrinkError):
        pull(None, settings, registry={src.id: src}, keep_going=False)


def test_a_missing_declared_column_is_an_error_not_dropped_rows(settings, registry, mirror_dir):
    text = (mirror_dir / THAI_FILE).read_text(encoding="utf-8")
    renamed = text.replace("arrivals", "arrivalz", 1).encode()  # the header's last column
    res = pull(["synthetic_thai"], settings.model_copy(update={"mirrors": ()}), registry=registry,
               download=_publisher(renamed), offline=False)
    assert not res.ok
    assert "column 'arrivals' is missing from table synthetic_thai_arrivals Did you mean 'arrivalz'?" \
        in res.failed[0].error


def test_un_desa_renamed_country_column_is_an_error(tmp_path, mirror_dir):
    """The UN DESA case: a renamed country column used to drop its 451 rows silently."""
    from lmc.sources import un_desa_migrant_stock as un

    root = _mirror_copy(tmp_path, mirror_dir, *(f.path for f in un.SOURCE.files))
    wide = root / un.WIDE.path
    text = wide.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    assert ",Japan," in header
    wide.write_text(header.replace(",Japan,", ",Nippon,") + "\n" + rest, encoding="utf-8")
    with pytest.raises(ParseError, match=r"line 1, origin column 'Nippon': not a country name the harmoniser "
                                         r"knows \(renamed\?\)"):
        un.parse({f.path: root / f.path for f in un.SOURCE.files})
    # the regions listed as such are the only names left out on purpose
    parsed = un.parse({f.path: mirror_dir / f.path for f in un.SOURCE.files})["migrant_stock"]
    assert len(parsed) == 76_473 and not parsed["origin"].isna().any()


def test_declared_minimums_hold_for_the_mirror_copies(pulled_warehouse):
    """Each declared min_rows sits below what the pinned files give (so a complete copy always loads)."""
    from lmc.sources.registry import all_sources

    declared = [t for s in all_sources().values() for t in s.tables if t.min_rows]
    assert {t.name for t in declared} >= {"visa_requirements", "passport_index_commits", "migrant_stock",
                                          "openflights_routes", "owid_series"}
    for t in declared:
        assert t.min_rows <= len(read_table(t.name, pulled_warehouse)), t.name
