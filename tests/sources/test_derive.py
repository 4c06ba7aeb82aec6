"""DERIVED files: each derive function, fed the full upstream file, rebuilds the mirror's derived file.

Where the result is byte-identical the online pull and the mirror agree on the hash; where the upstream is many
files (the passport panel), the derivation from the one URL reproduces the rows for the date it covers.
"""

from __future__ import annotations

import hashlib
import io

import pandas as pd

from lmc.sources import (
    cepii_geodist,
    passport_index,
    thailand_mots_arrivals,
    un_desa_migrant_stock,
    unesco_whc,
)
from lmc.sources._common import csv_bytes, read_excel_rows


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_cepii_lmc_extract_is_byte_identical(mirror_dir):
    out = cepii_geodist.derive_lmc((mirror_dir / cepii_geodist.DIST.path).read_bytes())
    assert _sha(out) == cepii_geodist.DIST_LMC.sha256


def test_unesco_lite_csv_is_byte_identical(mirror_dir):
    out = unesco_whc.derive_lite((mirror_dir / unesco_whc.XLS.path).read_bytes())
    assert _sha(out) == unesco_whc.LITE.sha256


def test_un_desa_lmc_long_is_byte_identical(mirror_dir):
    out = un_desa_migrant_stock.derive_lmc_long((mirror_dir / un_desa_migrant_stock.WIDE.path).read_bytes())
    assert _sha(out) == un_desa_migrant_stock.LMC_LONG.sha256


def test_thailand_tidy_csv_is_rebuilt_from_the_three_sheets(mirror_dir):
    frames = [
        thailand_mots_arrivals.sheet_rows(read_excel_rows(mirror_dir / f.path), f.path.rsplit("/", 1)[1])
        for f in thailand_mots_arrivals.SHEETS.values()
    ]
    assert _sha(csv_bytes(pd.concat(frames, ignore_index=True))) == thailand_mots_arrivals.TIDY.sha256


def test_thailand_one_sheet_derivation_gives_its_two_years(mirror_dir):
    out = pd.read_csv(
        io.BytesIO(
            thailand_mots_arrivals.derive_tidy((mirror_dir / thailand_mots_arrivals.SHEETS["2022"].path).read_bytes())
        )
    )
    assert sorted(out["year"].unique()) == [2021, 2022]
    assert out[(out["origin_iso3"] == "CHN") & (out["year"] == 2022)]["arrivals"].tolist() == [273567.0]


def test_passport_panel_from_the_current_file_matches_the_panel_rows(mirror_dir):
    current = (mirror_dir / passport_index.SNAPSHOTS["2025-01-12"].path).read_bytes()
    derived = pd.read_csv(io.BytesIO(passport_index.derive_panel(current)), dtype=str, keep_default_na=False)
    panel = pd.read_csv(mirror_dir / passport_index.PANEL.path, dtype=str, keep_default_na=False)
    panel = panel[panel["snapshot_date"] == "2025-01-12"]
    key = ["passport", "destination"]
    a = derived.sort_values(key).reset_index(drop=True)
    b = panel.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_passport_panel_agrees_with_full_snapshots_on_shared_dates(parsed, mirror_dir):
    """The panel is restricted, not recoded: on the 7 dates with a full matrix its rows equal the matrix's."""
    panel = pd.read_csv(mirror_dir / passport_index.PANEL.path, dtype=str, keep_default_na=False)
    for date, f in passport_index.SNAPSHOTS.items():
        full = pd.read_csv(mirror_dir / f.path, dtype=str, keep_default_na=False)
        full.columns = ["passport", "destination", "requirement"]
        lmc = full[full["passport"].isin(passport_index.LMC_COUNTRIES)
                   | full["destination"].isin(passport_index.LMC_COUNTRIES)]  # fmt: skip
        sub = panel[panel["snapshot_date"] == date].drop(columns="snapshot_date")
        merged = lmc.merge(sub, on=["passport", "destination"], how="outer", indicator=True)
        assert (merged["_merge"] == "both").all(), date
        assert (merged["requirement_x"] == merged["requirement_y"]).all(), date
