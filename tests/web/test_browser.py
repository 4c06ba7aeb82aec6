"""The observatory in a real browser: Playwright drives Debian's chromium (headless) against the app served by
uvicorn on 127.0.0.1. Loads every page in both languages (charts drawn, no console errors, no request leaving
the machine), switches language, plans a journey, runs a scenario, downloads a file and a PDF manual.
Screenshots go to tests/_artifacts/web/ (gitignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lmc.web.pages import PAGES

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
CHARTED = {"/": 1, "/explorer": 1, "/corridor": 1, "/mechanisms": 2}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).is_file(), "Debian chromium is not installed (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, live_server):
    ctx = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = ctx.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith((live_server, "data:", "blob:"))
          else None)
    pg.problems = problems  # type: ignore[attr-defined]
    pg.outside = outside  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def _shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_loads_and_draws(page, lang):
    for path in [*PAGES, "/country/LAO", "/pair/CHN-LAO", "/api/docs", f"/guides/LAO/{lang}"]:
        resp = page.goto(f"{path}?lang={lang}")
        assert resp is not None and resp.status == 200, path
        want = ("zh-Hans" if lang == "zh" else "en")
        assert page.locator("html").get_attribute("lang") in (want, lang), path  # the manual uses BCP 47 codes
        n = CHARTED.get(path, 2 if path.startswith(("/country", "/pair")) else 0)
        if n:
            page.wait_for_selector(".chart[data-rendered='1']", timeout=20_000)
            assert page.locator(".chart .main-svg").count() >= n, path
        name = path.strip("/").replace("/", "_") or "overview"
        _shot(page, f"{lang}_{name}")
    assert not page.problems, page.problems
    assert not page.outside, f"requests left the machine: {page.outside[:5]}"


def test_switch_language(page):
    page.goto("/explorer?lang=en")
    assert page.locator("h1").inner_text() == "Index explorer"
    page.click("a.lang-switch[data-lang='zh']")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "指数浏览"
    page.click("nav a[href='/corridor']")  # the choice sticks while browsing
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "铁路走廊" in page.locator("h1").inner_text()
    _shot(page, "switch_zh_corridor")


def test_plan_a_journey(page):
    page.goto("/corridor?lang=en")
    page.select_option("#journey-from", "KMS")
    page.select_option("#journey-to", "VTE")
    page.fill("#journey-form input[name=date]", "2026-06-01")
    page.fill("#journey-form input[name=after]", "07:00")
    page.click("#plan-button")
    page.wait_for_selector("#journeys article.journey")
    first = page.locator("#journeys article.journey").first.inner_text()
    assert "Kunming South" in first and "Vientiane" in first
    assert "Border clearance" in first
    _shot(page, "journey_kms_vte")


def test_run_a_scenario_with_an_adjusted_shock(page):
    page.goto("/scenarios?lang=en")
    page.select_option("#scenario-name", "railway-travel-time")
    page.click("#scenario-pick button")
    page.wait_for_selector("#scenario-form")
    page.fill("input[name=s0]", "-2")
    page.fill("input[name=draws]", "30")
    page.click("#run-scenario")
    page.wait_for_selector("#scenario-result", timeout=60_000)
    text = page.locator("#scenario-result").inner_text()
    assert "Change by destination" in text and "Laos:" in text and "change_by_destination" not in text
    assert page.locator("#scenario-summary tbody tr").count() >= 5
    assert "s0=-2" in page.url
    _shot(page, "scenario_run")


def test_download_a_file(page, built_out, tmp_path):
    page.goto("/downloads?lang=en")
    with page.expect_download() as info:
        page.click("a[href='/downloads/scores.csv']")
    dl = info.value
    target = tmp_path / dl.suggested_filename
    dl.save_as(target)
    assert dl.suggested_filename == "scores.csv"
    assert target.read_bytes() == (built_out / "scores.csv").read_bytes()
    _shot(page, "downloads")


def test_download_a_pdf_manual(page, live_server):
    """The manuals page's PDF link downloads a booklet whose QR address is the site serving it, showing a busy state
    (spinner and seconds elapsed) while the booklet renders."""
    import io

    import pypdf

    page.goto("/manuals?lang=en")
    with page.expect_download(timeout=60_000) as info:
        page.click("a[href='/guides/KHM/en.pdf']")  # one of the smallest booklets (10 A5 pages)
        page.wait_for_selector("a[href='/guides/KHM/en.pdf'][aria-busy='true'] + .busy", timeout=5_000)
    dl = info.value
    assert dl.suggested_filename == "lmc-guide-KHM-en.pdf"
    data = Path(dl.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert f"{live_server}/guides/KHM/en" in text
