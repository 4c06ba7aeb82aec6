"""Pages and languages: every page renders in English and Chinese, the catalogs are complete and identical in
keys, every key a template uses exists, and the language choice sticks (cookie)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from lmc.web.i18n import LOCALES_DIR, UI_LANGS, catalog
from lmc.web.pages import ACCESS_COLUMNS, PAGES, TEMPLATES

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
    from lmc.reports.key_series import RAIL_SERIES, VISA_RULES
    from lmc.sources.border_status import RULES, STATUSES
    from lmc.web.api.mechanisms import mechanism_rows
    from lmc.web.api.routes import UNESCO_MISSING

    used = set()
    mech = mechanism_rows()
    prefixed = {"level_": ("country", "pair", "province"), "ac_": ACCESS_COLUMNS,
                "flag_": ("observed", "interpolated", "carried_forward", "carried_back", "missing"),
                "mtype_": tuple({m["type"] for m in mech}), "mstatus_": tuple({m["status"] for m in mech}),
                "unesco_": tuple(UNESCO_MISSING), "status_": STATUSES, "visa_": (*VISA_RULES.values(), *RULES),
                "rail_": tuple(RAIL_SERIES)}
    for f in TEMPLATES.glob("*.j2"):
        text = f.read_text("utf-8")
        used |= {k for k in re.findall(r"\bt\('([a-z0-9_]+)'", text) if not k.endswith("_")}
        for p in re.findall(r"\bt\('([a-z_]+_)' ~", text):
            if p in prefixed:
                used |= {p + s for s in prefixed[p]}
            else:  # a key built from data is looked up only behind t.has(), with a fallback
                assert f"t.has('{p}' ~" in text, f"{f.name}: t('{p}' ~ ...) without t.has('{p}' ~ ...)"
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
    assert "国际航线机场对" in html and "intra-LMC international airport pairs" not in html
    assert "intra-LMC international airport pairs" in client.get("/pair/CHN-LAO?lang=en").text


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


def _figure(html: str, target: str) -> dict:
    import json

    m = re.search(rf'data-target="{target}">(.*?)</script>', html, re.S)
    assert m, f"no figure {target}"
    return json.loads(m.group(1))


def test_home_map_draws_natural_earth_polygons_with_scores_and_links(client):
    html = client.get("/?lang=en").text
    fig = _figure(html, "map")
    fills = [tr for tr in fig["data"] if tr.get("fill") == "toself" and tr.get("meta")]
    assert {tr["meta"] for tr in fills} == {f"/country/{c}" for c in ("CHN", "MMR", "LAO", "THA", "KHM", "VNM")}
    lao = next(tr for tr in fills if tr["meta"] == "/country/LAO")
    assert len([x for x in lao["x"] if x is not None]) > 50  # a real outline, not a point
    assert "Laos · Score" in lao["text"]
    links = [p for tr in fig["data"] for p in (tr.get("customdata") or []) if str(p).startswith("/pair/")]
    assert len(links) == 15
    assert fig["layout"]["annotations"][0]["text"] == "Made with Natural Earth"
    assert "Made with Natural Earth" in html and 'href="/methodology#sources"' in html
    # the methodology lists the map's layers with Natural Earth among the sources
    meth = client.get("/methodology?lang=en").text
    assert "Natural Earth 1:10m lakes" in meth and "naturalearthdata.com" in meth


def test_map_layers_are_served_as_geojson(client):
    r = client.get("/map/land.geojson")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    doc = r.json()
    assert doc["attribution"] == "Made with Natural Earth"
    assert {f["properties"]["id"] for f in doc["features"] if f["properties"]["lmc"]} == {
        "CHN", "MMR", "LAO", "THA", "KHM", "VNM"}
    stations = client.get("/map/stations.geojson").json()
    assert {"MOH", "BOT"} <= {f["properties"]["stop_id"] for f in stations["features"] if f["properties"]["border"]}
    assert client.get("/map/tiles.geojson").status_code == 404


def test_pair_aliases_redirect_to_the_one_name(client):
    r = client.get("/pair/LAO-CHN?lang=zh", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == "/pair/CHN-LAO?lang=zh"
    assert client.get("/pair/lao-chn").url.path == "/pair/CHN-LAO"


def test_a_year_without_scores_says_so(client, built_out):
    import pandas as pd

    years = pd.read_csv(built_out / "scores.csv")["year"]
    html = client.get("/explorer?year=1999&lang=en").text
    assert f"There are no scores for 1999: the index covers {years.min()}-{years.max()}. Showing {years.max()}." \
        in html
    assert "没有 1999 年的得分" in client.get("/explorer?year=1999&lang=zh").text


def test_provinces_are_named_not_coded(client):
    html = client.get("/explorer?level=province&lang=zh").text
    assert "昆明" in html and "西双版纳" in html and ">CN-YN-KM<" not in html
    assert "排名区间仅针对国家和国家对计算" in html  # no empty interval column for provinces
    html = client.get("/explorer?level=province&lang=en").text
    assert "Vientiane Capital" in html and "CN-YN-KM</td>" not in html


def test_scenario_results_have_labels_and_numbers_by_kind(client):
    html = client.get("/scenarios?name=railway-finance&run=1&draws=20&lang=en").text
    body = html[html.index('id="scenario-result"'):]
    assert "Payback year (equity included)" in body and "payback_year" not in body and "inf" not in body
    assert re.search(r"<td class=\"num\">20\d\d</td>", body)  # years whole, no "2,054.5" or "2065.0"
    assert not re.search(r"\b20\d\d\.\d\b|\b2,0\d\d\b", body)
    assert "Lowest debt-service cover ratio</th><td class=\"num\">0.26</td>" in body  # a ratio, not a count
    html = client.get("/scenarios?name=railway-travel-time&run=1&draws=20&lang=zh").text
    body = html[html.index('id="scenario-result"'):]
    assert "基准游客数" in body and "西双版纳" in body and "不出行 / 其他目的地" in body  # lmc.flows.labels
    assert "visitors_baseline" not in body and "no_trip" not in body and "No trip" not in body
    assert not re.search(r"\d\.\d\d\d", body)  # counts without decimals


def test_scenario_result_says_its_validation_first(client):
    """A result says how its model fares on its back-casts before any number (a failing model is still run and
    says so: the wording is checked in tests/web/test_results.py)."""
    html = client.get("/scenarios?name=railway-travel-time&run=1&draws=20&lang=zh").text
    body = html[html.index('id="scenario-result"'):]
    status = body.index('id="scenario-validation"')
    assert status < body.index('id="scenario-headline"') and 'class="validation validation-passed"' in body
    assert "验证: 通过" in body and "该模型通过全部6项回溯检验。" in body
    html = client.get("/scenarios?name=lao-exports-20pct&run=1&draws=20&lang=en").text
    assert "Validation: passed.</strong> The model passes its 3 back-casts." in html
    html = client.get("/scenarios?name=railway-finance&run=1&draws=20&lang=zh").text
    assert "验证: 无回溯检验" in html and "老挝中国铁路公司未公布账目" in html


def test_a_failing_model_says_why_in_the_pages_language(client):
    """The freight model fails one back-cast: its result names it and says why, with the sourced cargo-mix figures,
    in English and in Chinese; a passing model shows no such section."""
    html = client.get("/scenarios?name=freight-border-time-halved&run=1&draws=50&lang=en").text
    body = html[html.index('id="scenario-result"'):]
    why = body[body.index('id="scenario-validation-why"'):]
    assert "Why the model fails" in why and "Land-Sea Corridor rail-sea containers, 2025" in why
    assert "value per container fell by about 31%" in why
    assert body.index('id="scenario-validation-why"') < body.index('id="scenario-headline"')  # before any number
    zh = client.get("/scenarios?name=freight-border-time-halved&run=1&draws=50&lang=zh").text
    assert "模型未通过的原因" in zh and "每箱货值约下降31%" in zh
    passing = client.get("/scenarios?name=railway-travel-time&run=1&draws=20&lang=en").text
    assert 'id="scenario-validation-why"' not in passing


def test_chinese_pages_translate_sources_errors_and_the_observatory_name(client):
    meth = client.get("/methodology?lang=zh").text
    assert "整理的国家对事实" in meth and "Curated pair fact" not in meth and "访问于 " in meth
    html = client.get("/pair/CHN-ATL?lang=zh").text
    assert "未找到：该页面或条目不存在。" in html and 'lang="en" id="error-message"' in html
    assert "澜湄观察站" in client.get("/?lang=zh").text and "澜湄观测站" not in client.get("/?lang=zh").text
    api = client.get("/api/docs?lang=zh").text
    assert "查询字符串" in api and "<th>in</th>" not in api


def test_guide_pages_lead_back_to_the_site(client):
    html = client.get("/guides/LAO/zh").text
    assert '<a href="/" id="site-home">澜湄观察站</a>' in html and 'href="/manuals"' in html


def test_docs_show_every_screenshot_and_each_is_small():
    """docs/web.md shows home, pair, scenario and corridor in both languages at 1366 and 390 px, each under 300 KB
    (refreshed by scripts/screenshots.py)."""
    docs = Path(TEMPLATES).parents[3] / "docs"
    text = (docs / "web.md").read_text("utf-8")
    for page in ("home", "pair", "scenario", "corridor"):
        for lang in UI_LANGS:
            for width in (1366, 390):
                name = f"screenshots/{page}_{lang}_{width}.png"
                assert f"({name})" in text, name
                size = (docs / name).stat().st_size
                assert 10_000 < size < 300 * 1024, (name, size)


def test_every_corridor_train_has_a_chinese_name():
    """Train names with English words (Rapid 133, Lao EMU) are translated; codes like D887 need not be."""
    import csv
    import re

    from lmc.corridor.plan import FEED_DIR
    from lmc.reports import labels

    with open(FEED_DIR / "trips.txt", encoding="utf-8", newline="") as fh:
        trips = list(csv.DictReader(fh))
    assert labels.trip_name("133", "Rapid 133", "zh") == "133次快车"
    assert labels.trip_name("133", "Rapid 133", "en") == "Rapid 133"
    assert labels.trip_name("134@17:00:00", "Rapid 134", "zh") == "134次快车"
    assert labels.trip_name("D887", "D887", "zh") == "D887"
    worded = [t for t in trips if re.search(r"[a-z]{2,}", t["trip_short_name"])]
    assert worded, "expected named trains in the corridor feed"
    missing = [t["trip_short_name"] for t in worded
               if labels.trip_name(t["trip_id"], t["trip_short_name"], "zh") == t["trip_short_name"]]
    assert not missing, f"trains without a Chinese name: {missing}"


def test_corridor_notes_and_border_controls_in_the_page_language(client):
    """Estimated trains and border controls are told in Chinese on the Chinese page (the feed's translations.txt),
    in English on the English one; nothing in the journeys is left marked as English on the Chinese page."""
    zh = client.get("/corridor?from=LPB&to=VTE&date=2026-06-01&after=07:00&lang=zh").text
    journeys = zh[zh.index('id="journeys"'):]
    assert "老挝境内动车组：车次较多" in journeys and 'lang="en"' not in journeys.split("</div>")[0]
    zh = client.get("/corridor?from=KMS&to=VTE&date=2026-06-01&after=07:00&lang=zh").text
    assert "中国磨憨边检（两地两检）" in zh and "老挝磨丁边检" in zh and "China border control" not in zh
    en = client.get("/corridor?from=KMS&to=VTE&date=2026-06-01&after=07:00&lang=en").text
    assert "China border control at Mohan" in en and "磨憨边检" not in en


def test_home_leads_with_the_key_series_each_with_source_date_and_data(client):
    html = client.get("/?lang=en").text
    ks = html[html.index('id="key-series"'):html.index('id="pair-ranking"')]
    assert html.index('id="key-series"') < html.index('id="pair-ranking"')  # before the map and rankings
    arrivals = ks[ks.index('id="ks-arrivals-table"'):]
    assert "10,997,169" in arrivals and "6,700,000" in arrivals and "61%" in arrivals  # Thailand, 2024 vs 2019
    assert "no figure after 2019" in arrivals  # Myanmar: nothing invented
    rail = ks[ks.index('id="ks-rail-table"'):]
    assert "19.5" in rail and "24.5" in rail and 'title="derived: 2022-12-03..2023-12-02"' in rail
    assert '<li id="border-tha_khm_land_border"><span class="status status-closed">closed</span>' in ks
    assert "as of 2025-12-13" in ks and "vietnamplus.vn" in ks
    assert 'class="visa visa-visa_free"' in ks and "Passport Index snapshot of 2025-01-12" in ks
    for section in ("arrivals", "rail", "borders", "visas"):
        assert f'href="/api/v1/key-series/{section}?format=csv"' in ks
    assert 'id="ks-change"' in ks and "Newest dated fact" in ks  # the test build is the first one recorded
    zh = client.get("/?lang=zh").text
    assert "关键数据" in zh and "截至 2025-12-13" in zh and "泰国于2025年6月23日对旅客" in zh and "免签 30天" in zh


def test_maps_show_the_places_along_the_line(client):
    import json

    html = client.get("/?lang=zh").text
    fig = json.loads(re.search(r'data-target="map">(.*?)</script>', html, re.S).group(1))
    places = next(t for t in fig["data"] if t.get("name") == "沿线园区和陆港")
    assert len(places["x"]) == 13 and "王家营西集装箱中心站" in places["text"][0] and "铁路货场" in places["text"][0]
    html = client.get("/corridor?lang=en").text
    fig = json.loads(re.search(r'data-target="stations">(.*?)</script>', html, re.S).group(1))
    assert any(t.get("name") == "Places along the line" for t in fig["data"])
    doc = client.get("/map/places.geojson").json()
    assert len(doc["features"]) == 13 and all(f["properties"]["source"]["url"] for f in doc["features"])
