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
    from lmc.web.api.mechanisms import mechanism_rows
    from lmc.web.api.routes import UNESCO_MISSING

    used = set()
    mech = mechanism_rows()
    prefixed = {"level_": ("country", "pair", "province"),
                "flag_": ("observed", "interpolated", "carried_forward", "carried_back", "missing"),
                "mtype_": tuple({m["type"] for m in mech}), "mstatus_": tuple({m["status"] for m in mech}),
                "unesco_": tuple(UNESCO_MISSING)}
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


def test_every_indicator_unit_has_chinese():
    from lmc.web.i18n import indicator_unit
    from lmc.web.store import indicator_meta

    units = set(indicator_meta()["unit"].dropna().astype(str))
    missing = sorted(u for u in units if indicator_unit(u, "zh")[1] != "zh")
    assert not missing, f"add to src/lmc/web/locales/indicator_units.zh.yaml: {missing}"
    assert indicator_unit("hours", "en") == ("hours", "en")


def test_chinese_pages_translate_registry_values_and_units(client):
    html = client.get("/mechanisms?lang=zh").text
    assert "次区域合作框架" in html and "运行中" in html
    assert "subregional_framework" not in html and ">active<" not in html
    html = client.get("/mechanisms?lang=en").text
    assert "Subregional framework" in html and "subregional_framework" not in html
    html = client.get("/pair/CHN-LAO?lang=zh").text
    assert "航线（条" in html and "airport-to-airport" not in html
    assert "airport-to-airport" in client.get("/pair/CHN-LAO?lang=en").text


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


def _pdf_text(data: bytes) -> str:
    import io

    import pypdf

    return "\n".join(pg.extract_text() or "" for pg in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_guide_pdf_ignores_the_host_header_and_renders_once(client, app):
    """Without an explicit guide_url, the booklet's QR address is this server's own (the address the connection
    reached, here TestClient's ``testserver``), whatever Host the client sent; so the cached booklet is the same
    for every Host and clients naming different Hosts cannot make the server render it again and again."""
    jobs = app.state.pool.jobs
    first = client.get("/guides/KHM/en.pdf", headers={"host": "observatory.example.net:8443"})
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert first.headers["content-disposition"] == 'attachment; filename="lmc-guide-KHM-en.pdf"'
    for host in ("evil.example", "localhost:1", "x" * 300):
        again = client.get("/guides/KHM/en.pdf", headers={"host": host})
        assert again.status_code == 200 and again.content == first.content
    assert app.state.pool.jobs - jobs <= 1  # at most one render (none when an earlier test rendered it)
    text = _pdf_text(first.content)
    assert "http://testserver/guides/KHM/en" in text
    assert "observatory.example.net" not in text and "evil" not in text


def test_guide_pdf_uses_an_explicit_guide_url(web_settings, built_out):
    from fastapi.testclient import TestClient

    from lmc.web.app import create_app

    settings = web_settings.model_copy(update={"guide_url": "https://lmc.example.org/manuals/{iso3}-{lang}"})
    with TestClient(create_app(settings, out_dir=built_out)) as c:
        r = c.get("/guides/KHM/en.pdf")
    assert r.status_code == 200
    text = _pdf_text(r.content)
    assert "https://lmc.example.org/manuals/KHM-en" in text and "testserver" not in text


def test_guide_url_pattern_is_the_servers_own_address():
    from types import SimpleNamespace

    from starlette.requests import Request

    from lmc.config import Settings
    from lmc.web.pages import guide_url_pattern

    def req(settings, host: str, server=("10.0.0.1", 8443), root_path: str = "", scheme="https") -> Request:
        app = SimpleNamespace(state=SimpleNamespace(settings=settings))
        return Request({"type": "http", "method": "GET", "path": "/guides/LAO/en.pdf", "root_path": root_path,
                        "scheme": scheme, "query_string": b"", "server": server, "app": app,
                        "headers": [(b"host", host.encode())]})

    default = Settings(home=Path("/nonexistent"), warehouse=Path("/nonexistent/w.duckdb"))
    assert "guide_url" not in default.model_fields_set  # the default counts as not set
    pat = guide_url_pattern(req(default, "evil.example", root_path="/observatory"))
    assert pat.format(iso3="LAO", lang="zh") == "https://10.0.0.1:8443/observatory/guides/LAO/zh"
    assert guide_url_pattern(req(default, "other.example", root_path="/observatory")) == pat  # Host ignored
    assert guide_url_pattern(req(default, "h", server=("127.0.0.1", 80), scheme="http")).format(
        iso3="KHM", lang="en") == "http://127.0.0.1/guides/KHM/en"
    assert guide_url_pattern(req(default, "h", server=("::1", 8000), scheme="http")).format(
        iso3="KHM", lang="en") == "http://[::1]:8000/guides/KHM/en"
    # braces in a proxy's root_path are text, never format fields (no KeyError, no 500)
    pat = guide_url_pattern(req(default, "h", root_path="/o{x}"))
    assert pat.format(iso3="LAO", lang="en") == "https://10.0.0.1:8443/o{x}/guides/LAO/en"
    assert guide_url_pattern(req(default, "h", server=None)) == default.guide_url  # no address (a Unix socket)
    explicit = default.model_copy(update={"guide_url": "https://m.example/{iso3}/{lang}"})
    assert guide_url_pattern(req(explicit, "lmc.example.org")) == "https://m.example/{iso3}/{lang}"


def test_page_errors_are_pages(client):
    r = client.get("/pair/CHN-ATL?lang=en")
    assert r.status_code == 404 and "<html" in r.text and "CHN-" in r.text
    r = client.get("/explorer?pillar=mobilty&lang=en")
    assert r.status_code == 400 and "mobility" in r.text
