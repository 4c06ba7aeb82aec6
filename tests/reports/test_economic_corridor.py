"""The report's economic corridor chapter: freight series per year with sources, the places as a table and as a
layer on the corridor map, and the freight model's back-cast status, in English and Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape
from matplotlib import image
from pypdf import PdfReader

from lmc.freight.places import places_layer
from lmc.reports import economic_corridor, maps
from lmc.reports.geo import try_layers


def _has_colour(png: Path, hex_colour: str, tol: int = 10) -> bool:
    rgb = (image.imread(str(png))[..., :3] * 255).astype(int)
    want = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return bool((np.abs(rgb - want).max(axis=-1) <= tol).any())


@pytest.fixture(scope="module")
def html(sci_report_build):
    out = sci_report_build.out_dir
    return {lang: (out / f"report_{lang}.html").read_text(encoding="utf-8") for lang in ("en", "zh")}


def test_chapter_lists_series_with_sources(html):
    en = html["en"]
    assert "Economic corridor: freight and industry along the line" in en
    # the 2025 cross-border tonnes with the publisher and address they come from
    row = re.search(r"<tr><td>China-Laos Railway, cross-border[^<]*</td><td>2025</td><td[^>]*>5.46 Mt</td>.*?</tr>",
                    en, re.S)
    assert row and "reportify.cn/news/1205442387866947584" in row.group(0)
    for text in ("1,425,000 TEU", "more than 2 Mt", "operating year (derived)", "trains/day", "USD bn"):
        assert text in en, text
    assert "经济走廊：沿线货运与产业" in html["zh"] and "中老铁路跨境（进出口）货物运输量" in html["zh"]


def test_chapter_lists_every_place_and_the_back_cast_status(html):
    layer = places_layer()
    for p in layer.places:
        assert p.name_en in html["en"] and (p.name_zh or p.name_en) in html["zh"]
    assert re.search(r"passes \d of 6 back-casts|passes all 6 back-casts", html["en"])
    assert "回溯检验" in html["zh"]


def test_places_are_a_layer_on_the_corridor_map(sci_report_build, pulled_warehouse, tmp_path):
    """The corridor map carries the places' colours; drawn without them it carries none (same layers)."""
    png = sci_report_build.out_dir / "report_assets" / "map_corridor_en.png"
    assert _has_colour(png, maps.PLACE_COLOURS[0])
    layers, _ = try_layers(pulled_warehouse)
    bare = maps.corridor_map(layers, pd.DataFrame(columns=["year", "pillar", "level", "unit", "score"]), 2025,
                             tmp_path / "bare_corridor.png", title="t", provinces={}, stations={},
                             score_label="i", layers_note="n")
    assert not _has_colour(bare, maps.PLACE_COLOURS[0])
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(png.parent.parent / "report_en.pdf")).pages)
    assert "Economic corridor" in text and "Vientiane Logistics Park" in text


def test_map_places_numbers_match_the_table():
    chapter = economic_corridor.EconomyChapter(series=pd.DataFrame(), places=places_layer(), backcasts=pd.DataFrame(),
                                               status={"state": "error", "why": "synthetic"})
    pts, types = economic_corridor.map_places(chapter, "en")
    assert [n for n, *_ in pts] == list(range(1, len(chapter.places) + 1))
    assert set(types) == {p.type for p in chapter.places.places} and all(types.values())
    zh = economic_corridor.map_places(chapter, "zh")[1]
    assert all(re.search(r"[\u4e00-\u9fff]", v) for v in zh.values())
    out = economic_corridor.render(chapter, Path("/nonexistent/report_assets"), "en")
    assert "lmc data pull freight_series" not in out and "could not be run: synthetic" in out


def test_a_failed_back_cast_says_what_the_model_leaves_out():
    """The reason a check names is shown where that check fails, in the report's language, and not where it passes."""
    from lmc.freight.backcast import CHECKS

    check = next(c for c in CHECKS if c.leaves_out)
    row = {"event": check.event, "unit": "TEU", "predicted_median": 1.0e6, "predicted_p05": 0.9e6,
           "predicted_p95": 1.1e6, "observed": 1.425e6, "source": "http://example.org/synthetic_row"}
    for passed in (False, True):
        chapter = economic_corridor.EconomyChapter(
            series=pd.DataFrame(), places=places_layer(), backcasts=pd.DataFrame([{**row, "passed": passed}]),
            status={"state": "error", "why": "synthetic"})
        en = economic_corridor.render(chapter, Path("/nonexistent/report_assets"), "en")
        zh = economic_corridor.render(chapter, Path("/nonexistent/report_assets"), "zh")
        assert (str(escape(check.leaves_out)) in en) is not passed and (str(escape(check.leaves_out_zh)) in zh) is not passed


def test_the_lsc_miss_is_explained_with_sourced_year_to_date_figures(html):
    """The failed 2025 Land-Sea Corridor back-cast carries the cargo-mix finding, and the figures it rests on are in
    the series table with their period, published growth and source."""
    en, zh = html["en"], html["zh"]
    row = re.search(r"<tr><td>Land-Sea Corridor rail-sea containers, 2025.*?</tr>", en, re.S)
    assert row and "value per container fell by about 31%" in row.group(0)
    assert "每箱货值约下降31%" in zh
    value = re.search(r"<tr><td>Western China&#39;s imports and exports moved through the Land-Sea Corridor[^<]*</td>"
                      r"<td>2025-01-01 to 2025-09-30</td><td[^>]*>611.50 CNY bn \(\+19.3% on a year before\)</td>.*?</tr>",
                      en, re.S)
    assert value and "etnet.com.hk" in value.group(0)
    assert "1,001,455 TEU (+72.5% on a year before)" in en and "同比+72.5%" in zh
