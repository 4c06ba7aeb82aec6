"""Editions for their readers, the corrections of issue #17, the filled gaps, and the dates on the cover.

The Chinese edition of each neighbour leads with what applies to holders of a Chinese passport; the English edition
says it is the general one; the other languages say they translate it. Known values are checked against the primary
sources cited in the content files (Thai MFA, Xinhua, the Chinese embassies, the Myanmar immigration ministry ...).
"""

from __future__ import annotations

import re

import pytest

from lmc import LMC_COUNTRIES
from lmc.guides import load_guide, load_ui, localise, render_html
from lmc.guides.model import SECTIONS

NEIGHBOURS = tuple(c for c in LMC_COUNTRIES if c != "CHN")


def _texts(local, section: str | None = None) -> str:
    return "\n".join(it.text for s in local.sections if section in (None, s.key) for it in s.items)


@pytest.mark.parametrize("iso3", NEIGHBOURS)
def test_chinese_edition_leads_with_the_rules_for_chinese_citizens(iso3):
    local = localise(load_guide(iso3), "zh")
    assert local.edition == "citizens" and local.audience == "CHN"
    first = local.sections[0]
    assert first.key == "citizens" and first.label_key == "sec_citizens_CHN"
    ids = [it.id for it in first.items]
    # entry rules first, then China's exit/return rules, consular help with 12308 and the embassy, the advisories
    assert ids[0].endswith("cn-entry") or ids[0].endswith("cn-advisory"), ids
    assert "cn-exit-return" in ids and "cn-register" in ids
    text = _texts(local, "citizens")
    assert "12308" in text and "入境" in text and "2万元" in text and "5000美元" in text
    embassy = {"THA": "+66-2-245-7010", "LAO": "+856-21-315105", "MMR": "+95-9-43209657", "KHM": "+855-23-210206",
               "VNM": "+84-24-39331000"}[iso3]
    assert embassy in text
    assert all(it.verified.isoformat() == "2026-12-04" for it in first.items)  # re-checked for this issue


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_other_editions_say_they_are_general_or_a_translation(iso3):
    g = load_guide(iso3)
    assert localise(g, "en").edition == "general"
    for lang in ("th", "lo", "km", "my", "vi"):
        local = localise(g, lang)
        assert local.edition == "translation" and local.sections[0].key != "citizens"
        assert not any(it.id.split("-")[1] == "cn" for s in local.sections for it in s.items)
    ui = load_ui()
    html = render_html(localise(g, "vi"), mode="web")
    assert ui.get("edition_translation", "vi") in html
    # China's own manual is not an edition for Chinese passport holders: its Chinese text is a translation
    if iso3 == "CHN":
        assert localise(g, "zh").edition == "translation"


def test_general_items_are_left_out_where_the_citizens_section_replaces_them():
    g = load_guide("THA")
    zh, en = localise(g, "zh"), localise(g, "en")
    assert "tha-visa" not in {it.id for s in zh.sections for it in s.items}  # the 93-country rule
    assert "tha-visa" in {it.id for s in en.sections for it in s.items}
    assert [s.key for s in zh.sections[1:]] == [s for s in SECTIONS if any(x.key == s for x in zh.sections)]


def test_thailand_corrections():
    zh = localise(load_guide("THA"), "zh")
    entry = zh.sections[0].items[0]
    assert entry.id == "tha-cn-entry" and entry.effective == "2024-03-01"
    assert "30天" in entry.text and "90天" in entry.text and "TDAC" in entry.text
    # through trains to Khamsavath since 19 July 2024, not a plan
    rail = next(it for s in zh.sections for it in s.items if it.id == "tha-rail-laos")
    assert rail.effective == "2024-07-19" and "坎沙瓦" in rail.text and "计划" not in rail.text
    # cannabis: prescription required since 26 June 2025, not "still changing"
    cannabis = next(it for s in zh.sections for it in s.items if it.id == "tha-cannabis")
    assert cannabis.effective == "2025-06-26" and "处方" in cannabis.text and "仍在变化" not in (cannabis.caveat or "")
    anthem = next(it for s in zh.sections for it in s.items if it.id == "tha-anthem")
    assert "国王颂歌" in anthem.text


def test_laos_visa_waiver_is_stated_with_its_limits():
    entry = localise(load_guide("LAO"), "zh").sections[0].items[0]
    assert entry.id == "lao-cn-entry"
    for needle in ("旅游团", "15天", "2024年7月1日", "12月31日", "落地签证", "电子签证"):
        assert needle in entry.text, needle


def test_myanmar_numbers_advisory_scams_and_earthquake():
    g = load_guide("MMR")
    numbers = next(it for it in g.items if it.id == "mmr-numbers")
    assert "Police: 199" in numbers.text["en"] and "192" in numbers.text["en"] and "199" in numbers.text["my"]
    zh = localise(g, "zh")
    citizens = _texts(zh, "citizens")
    for needle in ("缅北", "2023年11月9日", "妙瓦底", "大其力", "高薪招聘", "199", "192"):
        assert needle in citizens, needle
    quake = next(it for it in g.items if it.id == "mmr-earthquake")
    assert "28 March 2025" in quake.text["en"] and quake.section == "safety"
    # the safety notice no longer rests on UK advice alone
    assert "China's foreign ministry" in g.notice.text["en"] and "MFA-CN-MM" in g.notice.sources


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_gaps_are_filled_drones_currency_safety_numbers(iso3):
    g = load_guide(iso3)
    assert any("drone" in it.text["en"].lower() for it in g.items_in("photography")), iso3
    money = " ".join(it.text["en"] for it in g.items_in("money"))
    assert re.search(r"declare", money, re.I), iso3  # what must be declared when taking money in or out
    assert g.items_in("safety"), iso3
    numbers = [it for it in g.items_in("emergency") if it.kind == "know"]
    assert numbers and all(it.sources for it in numbers)


def test_thailand_cambodia_land_border_closure_is_stated_on_both_sides():
    for iso3, item in (("THA", "tha-border-cambodia"), ("KHM", "khm-border-thailand")):
        it = next(x for x in load_guide(iso3).items if x.id == item)
        assert it.effective == "2025-06-23" and it.volatile
        assert "23 June 2025" in it.text["en"] and "13 December 2025" in it.text["en"]
        assert "could not confirm" in it.text["en"]  # status we cannot confirm is said plainly


def test_cover_shows_newest_and_oldest_verification_and_items_show_their_dates():
    local = localise(load_guide("KHM"), "zh")
    html = render_html(local, mode="print", url_pattern_="https://guides.test/{iso3}/{lang}")
    ui = load_ui()
    cover = html[html.index('<header class="cover">'):html.index("</header>")]
    assert f"{ui.get('verified_newest', 'zh')}: <time datetime=\"2026-12-04\">" in cover
    assert f"{ui.get('verified_oldest', 'zh')}: <time datetime=\"2026-11-29\">" in cover
    assert ui.get("edition_citizens", "zh") in cover
    # an exact effective date and an "in force at least since" date, each with its own label
    assert f"{ui.get('effective', 'zh')} <time datetime=\"2026-06-15\">" in html
    assert f"{ui.get('effective_by', 'zh')} <time datetime=\"2024-08-28\">" in html


def test_copies_are_marked_as_copies_in_the_source_list():
    local = localise(load_guide("MMR"), "en")
    html = render_html(local, mode="web")
    mirrors = [n for n, _, s in local.sources if s.retrieved == "mirror"]
    assert mirrors
    label = load_ui().get("mirror", "en")
    for n in mirrors:
        entry = html[html.index(f'id="src-{n}"'):]
        assert label in entry[:entry.index("</li>")]
