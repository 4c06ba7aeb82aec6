"""Pages and languages: every page renders in English and Chinese, the catalogs are complete and identical in
keys, every key a template uses exists, and the language choice sticks (cookie)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from lmc.web.i18n import LOCALES_DIR, UI_LANGS, catalog
from lmc.web.pages import PAGES, TEMPLATES

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_catalogs_have_the_same_keys_and_no_empty_text():
    keys = {lang: set(yaml.safe_load((LOCALES_DIR / f"{lang}.yaml").read_text("utf-8"))) for lang in UI_LANGS}
    assert keys["en"] == keys["zh"]
    for lang in UI_LANGS:
        assert all(v.strip() for v in catalog(lang).values())


def test_chinese_catalog_is_translated():
    en, zh = catalog("en"), catalog("zh")
    same = [k for k in en if en[k] == zh[k] and CJK.search(en[k]) is None and len(en[k]) > 4]
    assert not same, f"untranslated in zh.yaml: {same}"
    # placeholders agree, so a format() never fails in one language only
    ph = re.compile(r"\{(\w+)\}")
    for k in en:
        assert set(ph.findall(en[k])) == set(ph.findall(zh[k])), k


def test_every_key_used_in_templates_and_pages_exists():
    used = set()
    prefixed = {"level_": ("country", "pair", "province"),
                "flag_": ("observed", "interpolated", "carried_forward", "carried_back", "missing")}
    for f in TEMPLATES.glob("*.j2"):
        text = f.read_text("utf-8")
        used |= {k for k in re.findall(r"\bt\('([a-z0-9_]+)'", text) if not k.endswith("_")}
        for p in re.findall(r"\bt\('([a-z_]+_)' ~", text):
            used |= {p + s for s in prefixed[p]}
    src = (Path(TEMPLATES).parent / "pages.py").read_text("utf-8")
    used |= set(re.findall(r'Translator\([^)]*\)\)\("([a-z_]+)"', src))
    used |= set(re.findall(r'\bt\("([a-z_]+)"\)', src))
    missing = used - set(catalog("en"))
    assert not missing, missing
    assert len(used) > 100


@pytest.mark.parametrize("lang", UI_LANGS)
@pytest.mark.parametrize("path", [*PAGES, "/country/LAO", "/pair/CHN-LAO", "/explorer?level=country&pillar=people",
                                  "/mechanisms?by=sectors", "/scenarios?name=reopening-2023",
                                  "/api/docs"])
def test_every_page_renders_in_both_languages(client, path, lang):
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path}{sep}lang={lang}")
    assert r.status_code == 200, r.text[:500]
    html = r.text
    assert f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">' in html
    assert catalog(lang)["site_name"] in html
    assert ("{{" not in html) and ("t('" not in html)
    if lang == "zh":
        assert CJK.search(html)


def test_language_choice_sticks_in_a_cookie(client):
    client.get("/?lang=zh")
    assert '<html lang="zh-Hans">' in client.get("/explorer").text
    client.get("/?lang=en")
    assert '<html lang="en">' in client.get("/explorer").text


def test_overview_shows_latest_ranking_and_links(client, built_out):
    import pandas as pd

    s = pd.read_csv(built_out / "scores.csv")
    y = int(s["year"].max())
    top = s[(s["level"] == "pair") & (s["year"] == y) & (s["pillar"] == "index")].sort_values("rank").iloc[0]
    html = client.get("/?lang=en").text
    assert f'href="/pair/{top.unit}"' in html and f"{top.score:,.1f}" in html
    assert 'class="plotly-fig"' in html and "/static/vendor/plotly.min.js" in html
    assert "cdn" not in html.lower()


def test_guides_page_and_pdf(client):
    r = client.get("/guides/LAO/zh")
    assert r.status_code == 200 and CJK.search(r.text)
    assert client.get("/guides/LAO/xx").status_code == 404
    assert client.get("/guides/ATL/en").status_code == 404


def test_page_errors_are_pages(client):
    r = client.get("/pair/CHN-ATL?lang=en")
    assert r.status_code == 404 and "<html" in r.text and "CHN-" in r.text
    r = client.get("/explorer?pillar=mobilty&lang=en")
    assert r.status_code == 400 and "mobility" in r.text
