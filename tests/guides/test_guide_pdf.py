"""PDF booklets: A5, cover + contents + page numbers + sources, fonts embedded, every script's text extractable.

Text extraction (pypdf) of complex scripts is lossy for some clusters: WeasyPrint maps a shaped glyph back to one
character, so e.g. Thai SARA AM or Khmer pre-base vowels do not round-trip. The samples below are real strings of
the manuals chosen from those that do round-trip; the visual check of shaping is described in docs/guides.md.
"""

from __future__ import annotations

import re

import pypdf
import pytest

from lmc.guides import load_guide, load_ui

A5_PT = (419.53, 595.28)  # 148 × 210 mm in PostScript points; tolerance 1 pt for rounding

# Per script: the embedded family and strings that must survive extraction.
SCRIPT = {
    "Han": ("Noto-Sans-CJK-SC", {"zh": ["当地风俗与法律", "紧急电话", "资料来源"]}),
    "Thai": ("Noto-Sans-Thai", {"th": ["การทักทายและมารยาท", "คู่มือนักเดินทาง", "ความหมาย"]}),
    "Lao": ("Noto-Sans-Lao", {"lo": ["ການທັກທາຍ", "ກົດໝາຍທ້ອງຖິ່ນ", "ການຖ່າຍຮູບ"]}),
    "Khmer": ("Noto-Sans-Khmer", {}),
    "Myanmar": ("Noto-Sans-Myanmar", {}),
    "Latin": ("Noto-Sans", {}),
}
LANG_SCRIPT = {"zh": "Han", "th": "Thai", "lo": "Lao", "km": "Khmer", "my": "Myanmar", "en": "Latin", "vi": "Latin"}


def _text(reader: pypdf.PdfReader) -> str:
    return "\n".join(p.extract_text() for p in reader.pages)


def _fonts(reader: pypdf.PdfReader) -> set[str]:
    names: set[str] = set()
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
            assert "/FontFile2" in str(font.get("/DescendantFonts", [{}])[0].get_object().get("/FontDescriptor",
                                                                                               {}).get_object()) \
                or "/FontFile3" in str(font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()), \
                f"font {names} not embedded"
    return names


@pytest.mark.parametrize("key", [("KHM", "zh"), ("MMR", "th"), ("LAO", "lo")])
def test_every_script_used_is_embedded_and_extractable(rendered_pdfs, key):
    country, lang = key
    path, _ = rendered_pdfs[key]
    reader = pypdf.PdfReader(path)
    text, fonts = _text(reader), _fonts(reader)
    guide = load_guide(country)
    # scripts in this booklet: the reader's language (labels, texts), the destination's (phrases), Latin (URLs)
    for script in {LANG_SCRIPT[lang], LANG_SCRIPT[guide.local_lang], "Latin"}:
        family, _ = SCRIPT[script]
        assert family in fonts, (script, fonts)
    for sample in SCRIPT[LANG_SCRIPT[lang]][1].get(lang, []):
        assert sample in text, sample
    # the destination's own script: the native form of "hello" in the phrase table
    hello = next(p.native for p in guide.phrases if p.id == "hello")
    assert hello in text
    # the booklet's own labels in the reader's language
    assert load_ui().get("sources", lang) in text


def test_booklet_is_a5_with_cover_contents_page_numbers_and_sources(rendered_pdfs):
    path, pages = rendered_pdfs[("KHM", "zh")]
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == pages >= 6
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - A5_PT[0]) < 1 and abs(h - A5_PT[1]) < 1
    cover, contents = reader.pages[0].extract_text(), reader.pages[1].extract_text()
    assert "https://guides.test/KHM/zh" in cover
    assert "/XObject" in reader.pages[0]["/Resources"], "cover has no image (QR code)"
    assert "目录" in contents
    # contents lists page numbers that point at real pages; body pages carry their number, the cover none
    lines = [ln for ln in contents.splitlines() if ln.rstrip()[-1:].isdigit()]
    assert len(lines) >= 13
    assert all(1 < int(ln.split()[-1].strip(".")) <= pages for ln in lines if ln.split()[-1].strip(".").isdigit())
    assert not cover.strip().endswith("1")
    for i in (2, pages - 1):
        assert reader.pages[i].extract_text().strip().splitlines()[-1].strip() == str(i + 1)
    body = _text(reader)
    sources = body[body.index("资料来源", body.index("资料来源") + 1):]  # skip the contents entry
    # every entry: its URL, access date and source tier ("等级" = tier); KHM cites tiers A to D
    assert "https://" in sources and "访问日期 2026-11-29" in sources
    assert {"等级 A", "等级 B", "等级 C", "等级 D"} <= {f"等级 {t}" for t in re.findall(r"等级\s*([ABCDP])", sources)}


def test_outline_bookmarks_follow_the_sections(rendered_pdfs):
    path, _ = rendered_pdfs[("LAO", "lo")]
    def flat(entries):
        for e in entries:
            yield from (flat(e) if isinstance(e, list) else [e.title])

    titles = list(flat(pypdf.PdfReader(path).outline))
    assert titles[0].startswith(load_ui().get("title", "lo"))  # h1 on the cover, then one bookmark per section
    assert load_ui().get("sec_emergency", "lo") in titles and load_ui().get("sources", "lo") in titles
