"""Every page on a phone and in Chinese, in a real browser (Debian's chromium through Playwright):

* at 390 px no page scrolls sideways (``document.documentElement.scrollWidth <= 390``), in both languages, with
  the long forms filled in (a scenario run, a journey plan, the heritage table, an error page);
* the Chinese pages show no Latin-script word outside an allow-list: codes (ISO3 and other all-capital
  abbreviations), unit symbols, proper names with no Chinese form, the stations the corridor feed names only in
  English and the registry's abbreviations of the mechanisms (``EU-Mekong``). Text the page marks as being in
  another language (``lang="en"``: scenario descriptions, indicator source notes, API descriptions, error details;
  a manual's own language name) and code (``<code>``) are not interface strings and are skipped. The manuals'
  pages (issue 17's content) are checked on the phone, not for Latin words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lmc.reports.labels import untranslated_stations
from lmc.web.pages import PAGES

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
EXTRA = ["/country/LAO", "/pair/CHN-LAO", "/api/docs", "/explorer?level=province", "/explorer?year=1999",
         "/mechanisms?by=sectors", "/pair/CHN-ATL",  # an error page
         "/corridor?from=KMS&to=KTA&date=2026-06-01&after=07:00",
         "/corridor?station=Luang+Prabang&date=2026-06-01&after=07:00&budget=240",
         *[f"/scenarios?name={n}&run=1&draws=10" for n in ("railway-travel-time", "reopening-2023",
                                                            "lao-exports-20pct", "railway-finance",
                                                            "myanmar-border-closure", "freight-border-time-halved",
                                                            "thai-standard-gauge-link", "yunnan-value-added")]]
ALL = [*PAGES, *EXTRA]

ALLOWED_WORDS = {
    # proper names with no Chinese form in use, data formats and standards
    "Natural", "Earth", "OpenFlights", "OpenStreetMap", "ODbL", "Sobol", "Jaccard", "Excel", "Parquet", "GeoJSON",
    "OpenAPI", "Cookie", "Plotly", "Frictionless", "Ticket",  # the railway's "LCR Ticket" app
    # unit symbols
    "km", "min", "h", "KB", "MB", "bn",
    # the credit Natural Earth asks maps to carry
    "Made", "with",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
ADDRESS = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b")
"""A web address (railway.co.th) is not a word to translate."""

VISIBLE_TEXT = """() => {
  const skip = el => el.closest('[lang]:not([lang^="zh"]), code, pre, script, style, [translate="no"], .modebar');
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || skip(el) || !n.textContent.trim()) continue;
    if (el.tagName !== 'OPTION' && el.closest('svg') === null && el.getClientRects().length === 0) continue;
    out.push(n.textContent.trim());
  }
  return out;
}"""


def latin_words(texts: list[str]) -> list[str]:
    """Latin-script words of ``texts`` outside the allow-list (all-capital codes and abbreviations allowed)."""
    from lmc.web.api.mechanisms import mechanism_rows

    names = [*untranslated_stations("zh"), *(m["abbreviation"] for m in mechanism_rows())]
    allowed = ALLOWED_WORDS | {w for name in names for w in WORD.findall(name)}
    out = []
    for text in texts:
        for w in WORD.findall(ADDRESS.sub(" ", text)):
            if w.isupper() or w in allowed:
                continue
            out.append(w)
    return out


@pytest.fixture(scope="module")
def phone(live_server):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), "Debian chromium is not installed (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        ctx = b.new_context(base_url=live_server, viewport=PHONE)
        yield ctx.new_page()
        ctx.close()
        b.close()


def _open(page, path: str, lang: str) -> None:
    sep = "&" if "?" in path else "?"
    page.goto(f"{path}{sep}lang={lang}", timeout=120_000)
    if page.locator(".chart").count():
        page.wait_for_selector(".chart[data-rendered='1']", timeout=30_000)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_page_scrolls_sideways_on_a_phone(phone, lang):
    wide = {}
    for path in [*ALL, f"/guides/LAO/{lang}"]:
        _open(phone, path, lang)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
        # the header's colour spans the screen
        bar = phone.evaluate("(document.querySelector('header.top, .site-bar') || {getBoundingClientRect: "
                             "() => ({width: 0})}).getBoundingClientRect().width")
        assert round(bar) >= PHONE["width"], path
    assert not wide, f"pages wider than {PHONE['width']} px: {wide}"


def test_chinese_pages_have_no_english_left(phone):
    found = {}
    for path in ALL:
        _open(phone, path, "zh")
        words = latin_words(phone.evaluate(VISIBLE_TEXT))
        if words:
            found[path] = sorted(set(words))
    assert not found, f"Latin-script words on Chinese pages: {found}"


def test_the_allow_list_catches_english():
    assert latin_words(["中国 CHN 12 km", "Made with Natural Earth", "泰国国家铁路（railway.co.th）"]) == []
    assert latin_words(["Curated pair fact", "change_by_destination", "accessed 2026-11-29"]) == [
        "Curated", "pair", "fact", "change", "by", "destination", "accessed"]
