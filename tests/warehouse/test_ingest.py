"""Ingestion: tables, provenance and observations; atomic swap; loud errors naming source, file, line, column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from fixtures_warehouse import THAI_FILE, manifest, synthetic_thai
from lmc.errors import FetchError, ParseError, SourceError, WarehouseError
from lmc.sources.base import Source, TableSpec
from lmc.warehouse.db import connect, read_table
from lmc.warehouse.ingest import pull


def _csv_rows(path: Path) -> int:
    return len(pd.read_csv(path))


def _private_mirror(tmp_path: Path, mirror_dir: Path, rel: str = THAI_FILE) -> tuple[Path, Path]:
    root = tmp_path / "private_mirror"
    dest = root / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(mirror_dir / rel, dest)
    return root, dest


def _snapshot(settings) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    prov = read_table("provenance", settings).sort_values(["source", "file"], ignore_index=True)
    obs = read_table("observations", settings).sort_values(["unit", "year", "value"], ignore_index=True)
    return read_table("synthetic_thai_arrivals", settings), prov, obs


def test_pull_loads_tables_provenance_and_observations(settings, registry, mirror_dir):
    result = pull(None, settings, registry=registry)
    assert result.ok, result.failed
    thai = read_table("synthetic_thai_arrivals", settings)
    assert len(thai) == _csv_rows(mirror_dir / THAI_FILE)
    assert list(thai.columns) == list(registry["synthetic_thai"].tables[0].columns)
    con = connect(settings)
    try:
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = 'synthetic_thai_arrivals'").fetchall())
    finally:
        con.close()
    assert types["year"] == "INTEGER" and types["arrivals"] == "DOUBLE" and types["is_aggregate"] == "BOOLEAN"
    assert "_line" not in thai.columns

    prov = read_table("provenance", settings).set_index("file")
    rows = manifest(mirror_dir)
    for f in (THAI_FILE, "wdi/wdi_selected_indicators.csv"):
        assert prov.loc[f, "sha256"] == rows[f]["sha256"]
        assert prov.loc[f, "bytes"] == int(rows[f]["bytes"])
        assert bool(prov.loc[f, "hash_ok"]) is True
        assert prov.loc[f, "origin"] == str(mirror_dir / f)
    assert prov.loc[THAI_FILE, "rows"] == len(thai)
    assert prov.loc[THAI_FILE, "licence"] == "test-only"
    assert prov.loc[THAI_FILE, "code_version"].startswith("0.")

    obs = read_table("observations", settings)
    assert list(obs.columns) == ["indicator", "unit", "year", "value", "source"]
    assert set(obs["source"]) == {"synthetic_thai"}
    # a value traced back to the file by hand: line 25 of the tidy file, China -> Thailand 2019, 10,997,169
    got = obs[(obs["unit"] == "CHN>THA") & (obs["year"] == 2019)]["value"]
    assert got.tolist() == [10997169.0]
    # aggregates (no origin_iso3, is_aggregate True) are no observations: one per nationality row of the file
    raw = pd.read_csv(mirror_dir / THAI_FILE)
    assert len(obs) == int((~raw["is_aggregate"] & raw["origin_iso3"].notna()).sum())

    src = read_table("sources", settings).set_index("source")
    assert (src.loc["synthetic_thai", "year_min"], src.loc["synthetic_thai", "year_max"]) == (2019, 2022)
    assert src.loc["synthetic_wdi_meta", "rows"] == 19


def test_pull_twice_replaces_rather_than_appends(settings, registry, mirror_dir):
    pull(None, settings, registry=registry)
    first = _snapshot(settings)
    again = pull(None, settings, registry=registry)
    assert again.ok and all(ld.files[0].from_cache for ld in again.loads)
    second = _snapshot(settings)
    pd.testing.assert_frame_equal(second[0], first[0])  # the table: same rows, not doubled
    pd.testing.assert_frame_equal(second[2], first[2])  # the observations view
    # provenance: one row per file again, same hashes and sizes (only the retrieval time may move)
    keep = ["source", "file", "sha256", "bytes", "rows", "hash_ok"]
    pd.testing.assert_frame_equal(second[1][keep], first[1][keep])
    assert len(first[0]) == _csv_rows(mirror_dir / THAI_FILE) == 372


def _bad_value_source(tmp_path, mirror_dir, line_no: int, column: str, new_value: str) -> tuple[Source, Path]:
    """A copy of the Thai file with one value replaced at a given file line; recorded hash dropped (a revision)."""
    root, path = _private_mirror(tmp_path, mirror_dir)
    lines = path.read_text().splitlines(keepends=True)
    header = lines[0].strip().split(",")
    cells = lines[line_no - 1].rstrip("\n").split(",")
    cells[header.index(column)] = new_value
    lines[line_no - 1] = ",".join(cells) + "\n"
    path.write_text("".join(lines))
    return synthetic_thai(mirror_dir, sha256=None), root


def test_bad_value_names_source_file_line_column_and_keeps_old_tables(settings, registry, tmp_path, mirror_dir):
    pull(None, settings, registry=registry)
    before = _snapshot(settings)
    source, root = _bad_value_source(tmp_path, mirror_dir, line_no=7, column="year", new_value="2O19")
    with pytest.raises(ParseError) as err:
        pull(["synthetic_thai"], settings, registry={"synthetic_thai": source}, mirrors=[str(root)],
             keep_going=False)
    msg = str(err.value)
    assert "source synthetic_thai" in msg and THAI_FILE in msg
    assert "line 7" in msg and "column 'year'" in msg and "'2O19'" in msg
    after = _snapshot(settings)
    for old, new in zip(before, after, strict=True):
        pd.testing.assert_frame_equal(old, new)


def test_flipped_byte_with_recorded_hash_fails_and_keeps_old_tables(settings, registry, tmp_path, mirror_dir):
    pull(None, settings, registry=registry)
    before = _snapshot(settings)
    shutil.rmtree(settings.cache_dir)  # a fresh machine: only the (now corrupt) mirror
    root, path = _private_mirror(tmp_path, mirror_dir)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    # with the good shared mirror configured after it, the corrupt copy is skipped and the good one used
    result = pull(["synthetic_thai"], settings, registry=registry, mirrors=[str(root)], offline=True)
    assert result.ok and result.loads[0].files[0].origin == str(mirror_dir / THAI_FILE)
    before = _snapshot(settings)
    shutil.rmtree(settings.cache_dir)
    settings_only_private = settings.model_copy(update={"mirrors": (str(root),)})
    with pytest.raises(FetchError) as err:
        pull(["synthetic_thai"], settings_only_private, registry=registry, keep_going=False)
    assert "sha256" in str(err.value) and str(path) in str(err.value)
    after = _snapshot(settings)
    for old, new in zip(before, after, strict=True):
        pd.testing.assert_frame_equal(old, new)


def test_truncated_file_fails_and_keeps_old_tables(settings, registry, tmp_path, mirror_dir):
    pull(None, settings, registry=registry)
    before = _snapshot(settings)
    shutil.rmtree(settings.cache_dir)
    root, path = _private_mirror(tmp_path, mirror_dir)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])
    only_private = settings.model_copy(update={"mirrors": (str(root),)})
    with pytest.raises(FetchError) as err:
        pull(["synthetic_thai"], only_private, registry=registry, keep_going=False)
    msg = str(err.value)
    assert "synthetic_thai" in msg and THAI_FILE in msg and "truncated" in msg and "ends mid-line at line" in msg
    after = _snapshot(settings)
    for old, new in zip(before, after, strict=True):
        pd.testing.assert_frame_equal(old, new)


def test_missing_column_is_named(settings, registry, tmp_path, mirror_dir):
    pull(None, settings, registry=registry)
    before = _snapshot(settings)
    root, path = _private_mirror(tmp_path, mirror_dir)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.drop(columns=["arrivals"]).to_csv(path, index=False)
    source = synthetic_thai(mirror_dir, sha256=None)
    with pytest.raises(ParseError) as err:
        pull(["synthetic_thai"], settings, registry={"synthetic_thai": source}, mirrors=[str(root)],
             keep_going=False)
    msg = str(err.value)
    assert "column 'arrivals' is missing" in msg and THAI_FILE in msg and "source synthetic_thai" in msg
    pd.testing.assert_frame_equal(before[0], _snapshot(settings)[0])


def test_parser_exception_becomes_parse_error_naming_file(settings, registry, mirror_dir):
    base = registry["synthetic_thai"]

    def broken(paths):
        raise KeyError("Requirement")

    source = Source(**{f: getattr(base, f) for f in base.__dataclass_fields__} | {"parse": broken})
    with pytest.raises(ParseError, match=r"source synthetic_thai, file .*thailand.*column the parser expects"):
        pull(["synthetic_thai"], settings, registry={"synthetic_thai": source}, keep_going=False)


def test_duplicate_key_is_rejected(settings, mirror_dir, registry):
    base = registry["synthetic_wdi_meta"]
    parse = base.parse

    def doubled(paths):
        df = parse(paths)["synthetic_wdi_indicators"]
        return {"synthetic_wdi_indicators": pd.concat([df, df.head(1)], ignore_index=True)}

    source = Source(**{f: getattr(base, f) for f in base.__dataclass_fields__} | {"parse": doubled})
    with pytest.raises(ParseError, match=r"key \(indicator_code\) = \('NY.GDP.MKTP.CD',\) occurs 2 times"):
        pull(None, settings, registry={source.id: source}, keep_going=False)


def test_table_owned_by_another_source_is_refused(settings, registry):
    pull(["synthetic_thai"], settings, registry=registry)
    thief = registry["synthetic_wdi_meta"]
    thief_table = TableSpec("synthetic_thai_arrivals", dict(thief.tables[0].columns))

    def parse(paths):
        return {"synthetic_thai_arrivals": thief.parse(paths)["synthetic_wdi_indicators"]}

    source = Source(**{f: getattr(thief, f) for f in thief.__dataclass_fields__}
                    | {"tables": (thief_table,), "parse": parse})
    with pytest.raises(WarehouseError, match="already loaded by source 'synthetic_thai'"):
        pull(None, settings, registry={source.id: source}, keep_going=False)
    assert len(read_table("synthetic_thai_arrivals", settings)) > 19


def test_one_failing_source_does_not_stop_the_others(settings, registry):
    base = registry["synthetic_thai"]

    def broken(paths):
        raise ValueError("synthetic parser bug")

    bad = Source(**{f: getattr(base, f) for f in base.__dataclass_fields__} | {"id": "synthetic_bad",
                                                                               "parse": broken})
    reg = dict(registry) | {"synthetic_bad": bad}
    result = pull(["synthetic_bad", "synthetic_wdi_meta"], settings, registry=reg)
    assert [ld.ok for ld in result.loads] == [False, True] and not result.ok
    assert "synthetic_bad" in result.failed[0].error and "synthetic parser bug" in result.failed[0].error
    assert list(result.to_frame()["status"]) == ["FAILED", "ok"]
    assert len(read_table("synthetic_wdi_indicators", settings)) == 19


def test_unknown_source_suggests(settings, registry):
    with pytest.raises(SourceError, match="Did you mean 'synthetic_thai'"):
        pull(["synthetic_tai"], settings, registry=registry)


def test_progress_is_reported_and_odd_units_are_warned(settings, registry):
    base = registry["synthetic_thai"]

    def odd_obs(tables):
        obs = base.observations(tables)
        return obs.assign(unit=obs["unit"].str.replace(">", "/"))  # 'CHN/THA' is no documented unit form

    source = Source(**{f: getattr(base, f) for f in base.__dataclass_fields__} | {"observations": odd_obs})
    calls: list[tuple[str, int, int]] = []
    result = pull(None, settings, lambda m, d, t: calls.append((m, d, t)), registry={source.id: source})
    assert calls == [("synthetic_thai", 0, 1), ("done", 1, 1)]
    assert result.ok and any("not ISO3" in w for w in result.warnings)


def test_bad_value_line_is_found_when_the_parser_gives_no_line(settings, tmp_path, mirror_dir):
    source, root = _bad_value_source(tmp_path, mirror_dir, line_no=11, column="arrivals", new_value="12x45")
    parse = source.parse

    def no_lines(paths):
        return {k: v.drop(columns="_line") for k, v in parse(paths).items()}

    source = Source(**{f: getattr(source, f) for f in source.__dataclass_fields__} | {"parse": no_lines})
    with pytest.raises(ParseError) as err:
        pull(None, settings, registry={source.id: source}, mirrors=[str(root)], keep_going=False)
    msg = str(err.value)
    assert "row 10" in msg and "line 11" in msg and "column 'arrivals'" in msg and "'12x45'" in msg
