"""The SCI reports: PDFs in English and Chinese with their expected sections, plus the data files of `lmc build`."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from fixtures_warehouse import SCI_TEST_N
from lmc import LMC_COUNTRIES
from lmc.sources.harmonise import lmc_pairs
from lmc.reports.build import build


@pytest.fixture(scope="module")
def built(sci_report_build):
    """The session's SCI build with its reports (tests/fixtures_warehouse.py), shared with the SCI tests."""
    return sci_report_build


def _text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_outputs_written(built):
    out = built.out_dir
    for name in ("scores.csv", "scores.xlsx", "scores.parquet", "datapackage.json", "report_en.html",
                 "report_en.pdf", "report_zh.html", "report_zh.pdf"):
        assert (out / name).is_file(), name
    csv = pd.read_csv(out / "scores.csv")
    assert list(csv.columns) == ["level", "unit", "year", "pillar", "score", "rank"]
    assert set(csv["level"]) == {"country", "pair", "province"}
    pq = pd.read_parquet(out / "scores.parquet")
    assert len(pq) == len(csv) == len(built.scores)
    # the files hold the result's scores (rounded to 6 decimals in the CSV)
    mine = built.scores.sort_values(["level", "unit", "year", "pillar"], ignore_index=True)
    back = csv.sort_values(["level", "unit", "year", "pillar"], ignore_index=True)
    key = ["level", "unit", "year", "pillar"]
    pd.testing.assert_frame_equal(back[key], mine[key], check_dtype=False)
    np.testing.assert_allclose(back["score"], mine["score"], atol=5e-7)
    idx = csv[csv["pillar"] == "index"]
    assert set(idx.loc[idx["level"] == "country", "unit"]) == set(LMC_COUNTRIES)
    assert set(idx.loc[idx["level"] == "pair", "unit"]) == set(lmc_pairs())
    assert idx.loc[idx["level"] == "province", "unit"].nunique() == 9  # the corridor provinces
    latest = idx[(idx["level"] == "pair") & (idx["year"] == idx["year"].max())]
    assert sorted(latest["rank"]) == sorted(latest["score"].rank(ascending=False, method="min").astype(int))
    xl = pd.read_excel(out / "scores.xlsx", sheet_name=None)
    assert any(len(df) == len(csv) for df in xl.values())
    dp = json.loads((out / "datapackage.json").read_text())
    names = {r["name"] for r in dp["resources"]}
    assert {"scores", "indicators", "sources"} <= names
    for r in dp["resources"]:
        assert (out / r["path"]).is_file()


def test_english_pdf_sections(built):
    text = _text(built.out_dir / "report_en.pdf")
    for section in ("Ranking with pillar bars", "Pair heatmap", "Time series per pair", "Map of the region",
                    "Rank intervals", "Sobol sensitivity", "Methodology", "Sources and licences",
                    "Country profiles", "Myanmar", "Vietnam"):
        assert section in text, section


def test_chinese_pdf_has_chinese_sections(built):
    text = _text(built.out_dir / "report_zh.pdf")
    for section in ("澜湄软联通指数", "排名与支柱得分", "国家对热力图", "区域地图", "排名区间", "方法说明",
                    "数据来源与许可", "国家概况", "老挝"):
        assert section in text, section


def test_second_build_is_cached(built, pulled_warehouse):
    again = build(pulled_warehouse.model_copy(update={"home": built.out_dir.parent}), out=built.out_dir,
                  n=SCI_TEST_N, pull=False)
    assert again.cached
    pd.testing.assert_frame_equal(again.scores, built.scores)
