"""HTML pages: correct lang attributes (including English stand-ins), one h1 and no skipped heading levels."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from lmc import LMC_COUNTRIES
from lmc.guides import LANGS, load_guide, localise, render_html
from lmc.guides.model import BCP47


class _Walk(HTMLParser):
    """Collects headings, the lang in force for each text run, and elements carrying a class."""

    VOID = {"meta", "img", "br", "link", "input", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, str]] = []  # (tag, lang in force, class)
        self.headings: list[int] = []
        self.root_lang: str | None = None
        self.runs: list[tuple[str, str, str]] = []  # (lang in force, classes on the path, text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.root_lang = a.get("lang")
        lang = a.get("lang") or (self.stack[-1][1] if self.stack else None)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag not in self.VOID:
            self.stack.append((tag, lang, a.get("class") or ""))

    def handle_endtag(self, tag):
        while self.stack:
            t, _, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if data.strip() and self.stack:
            self.runs.append((self.stack[-1][1] or "", " ".join(c for _, _, c in self.stack), data.strip()))


def _walk(html: str) -> _Walk:
    w = _Walk()
    w.feed(html)
    return w


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_lang_attributes_and_heading_order_in_every_language(iso3):
    guide = load_guide(iso3)
    for lang in LANGS:
        local = localise(guide, lang)
        w = _walk(render_html(local, mode="web"))
        assert w.root_lang == BCP47[lang]
        assert w.headings.count(1) == 1 and w.headings[0] == 1
        assert all(b - a <= 1 for a, b in zip(w.headings, w.headings[1:])), w.headings
        # every English stand-in is marked lang="en"; every translated text carries the page language
        by_text = {it.text: it for s in local.sections for it in s.items}
        seen = 0
        for run_lang, _, text in w.runs:
            it = by_text.get(text)
            if it is not None:
                seen += 1
                assert run_lang == ("en" if it.fallback else BCP47[lang]), (iso3, lang, it.id)
        assert seen == sum(len(s.items) for s in local.sections)


def test_fallback_is_visibly_marked_and_phrases_carry_the_local_language():
    local = localise(load_guide("KHM"), "my")
    assert local.fallback_count > 0
    html = render_html(local, mode="web")
    w = _walk(html)
    marked = [t for _, cls, t in w.runs if "fallback" in cls.split()]
    assert len(marked) >= sum(it.fallback for s in local.sections for it in s.items)
    natives = [(lng, t) for lng, cls, t in w.runs if "native" in cls.split()]
    assert natives and all(lng == "km" for lng, _ in natives)
    assert 'hreflang="zh-Hans"' in html and 'aria-current="page"' in html


def test_own_language_core_sections_have_no_fallback():
    for iso3 in LMC_COUNTRIES:
        g = load_guide(iso3)
        local = localise(g, g.local_lang)
        for s in local.sections:
            if s.key in ("greetings", "temples", "body", "laws", "emergency"):
                assert not any(it.fallback for it in s.items), (iso3, s.key)


def test_sources_are_numbered_in_citation_order_and_all_resolve():
    local = localise(load_guide("THA"), "en")
    numbers = [n for n, _, _ in local.sources]
    assert numbers == list(range(1, len(numbers) + 1))
    cited = {n for s in local.sections for it in s.items for n in it.source_numbers}
    cited |= {n for s in local.sections for p in s.phrases for n in p.source_numbers}
    assert cited == set(numbers)
    html = render_html(local, mode="web")
    assert all(f'id="src-{n}"' in html for n in numbers)


def test_print_mode_carries_qr_code_and_web_address():
    local = localise(load_guide("LAO"), "zh")
    html = render_html(local, mode="print", url_pattern_="https://guides.test/{iso3}/{lang}")
    assert "data:image/png;base64," in html
    assert "https://guides.test/LAO/zh" in html
