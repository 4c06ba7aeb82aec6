"""Fixtures for the traveller-manual tests: synthetic content files written in code, and a couple of rendered PDFs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

SYNTHETIC_SECTIONS = ("greetings", "temples", "body", "dress", "photography", "laws", "money", "food",
                      "transport", "safety", "health", "emergency", "environment")


def synthetic_guide_yaml(*, drop_zh_in: str | None = None, source_id: str = "S1", extra: str = "") -> str:
    """A minimal valid destination file (country XXA, own language Thai), optionally broken in one place."""
    lines: list[str] = []
    for sec in SYNTHETIC_SECTIONS:
        lines += [f"  - id: synthetic-{sec}", f"    section: {sec}", "    kind: do", "    volatile: false",
                  f"    sources: [{source_id}]", "    text:", f'      en: "Synthetic text for {sec}."']
        if sec != drop_zh_in:
            lines.append('      zh: "合成文本"')
        lines.append('      th: "ข้อความสังเคราะห์"')
    body = "\n".join(lines) + "\n"
    return textwrap.dedent("""\
        country: XXA
        local_lang: th
        name: {en: "Synthetica", zh: "合成国", th: "ซินเทติกา"}
        reviewed: 2026-11-29
        sources:
          S1: {publisher: "Synthetic publisher", title: "Synthetic page", url: "https://example.org/synthetic", accessed: 2026-11-29, tier: C}
        items:
        """) + body + textwrap.dedent("""\
        phrases:
          - {id: hello, native: "สวัสดี", roman: "sawatdee", sources: [S1], meaning: {en: "Hello", zh: "你好"}}
        """) + extra


@pytest.fixture()
def synthetic_dir(tmp_path: Path):
    """Write a synthetic content file and return a function ``(text) -> path``."""

    def write(text: str, name: str = "XXA.yaml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return write


@pytest.fixture(scope="module")
def rendered_pdfs(tmp_path_factory):
    """Two booklets whose scripts differ in every part: KHM read in Chinese, MMR read in Thai (plus LAO in Lao)."""
    from lmc.guides import load_guide, localise, render_pdf

    out = {}
    for country, lang in (("KHM", "zh"), ("MMR", "th"), ("LAO", "lo")):
        pdf, pages = render_pdf(localise(load_guide(country), lang), url_pattern_="https://guides.test/{iso3}/{lang}")
        path = tmp_path_factory.mktemp("pdf") / f"{country}-{lang}.pdf"
        path.write_bytes(pdf)
        out[(country, lang)] = (path, pages)
    return out


@pytest.fixture()
def synthetic_yaml():
    """The builder of synthetic content files (see :func:`synthetic_guide_yaml`)."""
    return synthetic_guide_yaml
