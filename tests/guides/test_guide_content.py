"""The shipped manuals validate and are complete where the project promises; bad files fail with file, line, field."""

from __future__ import annotations

import re

import pytest

from lmc import LMC_COUNTRIES
from lmc.errors import LmcError
from lmc.guides import CORE_SECTIONS, LANGS, SECTIONS, coverage, load_all, load_guide, load_ui, parse_guide
from lmc.guides.load import GuideContentError
from lmc.guides.localise import check_lang


def test_every_destination_ships_a_valid_manual():
    guides = load_all()
    assert tuple(g.country for g in guides) == LMC_COUNTRIES


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_every_required_section_exists_in_english_and_chinese(iso3):
    g = load_guide(iso3)
    for sec in SECTIONS:
        texts = [p.meaning for p in g.phrases] if sec == "phrases" else [it.text for it in g.items_in(sec)]
        assert texts, f"{iso3}: section {sec} is empty"
        for t in texts:
            assert {"en", "zh"} <= set(t), f"{iso3}/{sec}: missing en or zh"


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_core_sections_exist_in_the_destinations_own_language(iso3):
    g = load_guide(iso3)
    for it in g.items:
        if it.section in CORE_SECTIONS:
            assert g.local_lang in it.text, f"{iso3}/{it.id}: no {g.local_lang} text"


def test_coverage_reports_no_required_gap_and_real_gaps_elsewhere():
    result = coverage(load_all())
    assert result.gaps() == ()
    frame = result.to_frame()
    assert len(frame) == len(LMC_COUNTRIES) * len(LANGS) * len(SECTIONS)
    # English everywhere; a language that is nobody's own language in a non-core section is not complete
    assert (frame[frame["lang"] == "en"]["share"] == 1.0).all()
    thai_in_laos = frame[(frame["country"] == "LAO") & (frame["lang"] == "th") & (frame["section"] == "laws")]
    assert thai_in_laos["share"].iloc[0] < 1.0
    assert result.gaps(required_only=False), "optional gaps (shown as English fallbacks) exist"


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_every_item_is_sourced_dated_and_flagged(iso3):
    g = load_guide(iso3)
    for it in g.every_item:
        assert it.sources and all(s in g.sources for s in it.sources)
        assert it.verified is not None and isinstance(it.volatile, bool)
        assert it.kind in ("do", "dont", "know")
    for src in g.sources.values():
        assert src.url or src.tier == "P"
    # the volatile rules named by the source pack are flagged as changing often
    volatile = {it.id for it in g.items if it.volatile}
    assert any("visa" in i or "transit" in i or "evisa" in i or "entry" in i for i in volatile), iso3


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_every_volatile_item_says_since_when_it_is_in_force(iso3):
    """A rule that changes often is useless without its date: each volatile item carries ``effective``."""
    g = load_guide(iso3)
    undated = [it.id for it in g.every_item if it.volatile and not it.effective]
    assert undated == [], f"{iso3}: volatile items without an effective date: {undated}"
    for it in g.every_item:
        if it.effective:
            assert it.effective_date <= it.verified, (iso3, it.id)  # a rule verified before it took effect is a typo


def test_a_volatile_item_without_effective_date_is_refused(synthetic_dir, synthetic_yaml):
    text = synthetic_yaml().replace("    volatile: false", "    volatile: true", 1)
    with pytest.raises(GuideContentError, match=r"XXA.yaml:\d+: .*synthetic-greetings.*volatile item needs `effective`"):
        parse_guide(synthetic_dir(text))
    fixed = text.replace("    volatile: true", '    volatile: true\n    effective: "by 2024-06"', 1)
    item = parse_guide(synthetic_dir(fixed)).items[0]
    assert item.effective == "by 2024-06" and item.effective_date.isoformat() == "2024-06-01"
    with pytest.raises(GuideContentError, match=r"effective: '2024-02-30' is not a real date"):
        parse_guide(synthetic_dir(fixed.replace('"by 2024-06"', '"2024-02-30"')))


def test_a_volatile_rule_resting_only_on_blogs_needs_a_caveat(synthetic_dir, synthetic_yaml):
    """A rule that changes often, told to a traveller on the word of blogs or businesses alone (tier D), is refused
    unless its caveat says it could not be confirmed; one primary or media source (A, B, C) is enough."""
    text = synthetic_yaml().replace("    volatile: false", '    volatile: true\n    effective: "by 2024-06"', 1)
    blog = text.replace("tier: C}", "tier: D}")
    with pytest.raises(GuideContentError, match=r"XXA.yaml:\d+: .*synthetic-greetings.*cited only to tier D sources "
                                                r"needs a source of tier A, B or C"):
        parse_guide(synthetic_dir(blog))
    assert parse_guide(synthetic_dir(text)).items[0].volatile  # tier C: accepted
    caveat = ('\n    caveat: {en: "Travellers report this; not confirmed by an official source.", '
              'zh: "此为旅客报告，未经官方来源证实。"}')
    with_caveat = blog.replace('    effective: "by 2024-06"', '    effective: "by 2024-06"' + caveat, 1)
    assert parse_guide(synthetic_dir(with_caveat)).items[0].caveat["en"].startswith("Travellers report")


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_no_volatile_rule_rests_on_blogs_alone(iso3):
    from lmc.guides.model import unconfirmed_rule

    g = load_guide(iso3)
    assert [it.id for it in g.every_item if unconfirmed_rule(it, g.sources)] == [], iso3


@pytest.mark.parametrize("iso3", LMC_COUNTRIES)
def test_every_source_is_cited_and_no_scraped_copy_of_a_news_agency_remains(iso3):
    g = load_guide(iso3)
    cited = {s for it in g.every_item for s in it.sources} | {s for p in g.phrases for s in p.sources}
    assert set(g.sources) == cited, f"{iso3}: uncited sources {set(g.sources) - cited}"
    for src in g.sources.values():
        assert not any(host in (src.url or "") for host in ("boronfuelsource", "joomag", "partsforchinesescooters"))


def test_ui_labels_exist_in_all_seven_languages():
    ui = load_ui()
    for key, per in ui.strings.items():
        assert set(per) == set(LANGS), key
        assert all(v.strip() for v in per.values()), key
    for sec in SECTIONS:
        assert f"sec_{sec}" in ui.strings


def test_missing_chinese_is_reported_with_file_line_and_field(synthetic_dir, synthetic_yaml):
    path = synthetic_dir(synthetic_yaml(drop_zh_in="money"))
    with pytest.raises(GuideContentError) as err:
        parse_guide(path)
    msg = str(err.value)
    assert str(path) in msg
    assert "synthetic-money" in msg and "'zh'" in msg
    line = int(re.search(re.escape(str(path)) + r":(\d+):", msg).group(1))
    assert "synthetic-money" in path.read_text().splitlines()[line - 1]


def test_unknown_source_suggests_the_closest(synthetic_dir, synthetic_yaml):
    path = synthetic_dir(synthetic_yaml(source_id="S11"))
    with pytest.raises(GuideContentError, match=r"unknown source 'S11'.*Did you mean 'S1'"):
        parse_guide(path)


def test_missing_section_and_bad_field_values(synthetic_dir, synthetic_yaml):
    text = synthetic_yaml().replace("section: environment", "section: enviroment")
    with pytest.raises(GuideContentError) as err:
        parse_guide(synthetic_dir(text))
    msg = str(err.value)
    assert "section" in msg and "enviroment" in msg
    ok = parse_guide(synthetic_dir(synthetic_yaml()))
    assert ok.country == "XXA" and ok.items[0].verified.isoformat() == "2026-11-29"


def test_source_without_url_is_refused_unless_own_work(synthetic_dir, synthetic_yaml):
    text = synthetic_yaml().replace('url: "https://example.org/synthetic", ', "")
    with pytest.raises(GuideContentError, match="url is required"):
        parse_guide(synthetic_dir(text))
    assert parse_guide(synthetic_dir(text.replace("tier: C", "tier: P"))).sources["S1"].url is None


def test_broken_yaml_names_the_line(synthetic_dir):
    path = synthetic_dir("country: XXA\nname: {en: [unclosed\n")
    with pytest.raises(GuideContentError, match=re.escape(str(path)) + r":\d+: not valid YAML"):
        parse_guide(path)


def test_unknown_destination_and_language_suggest_valid_names():
    with pytest.raises(LmcError, match="Did you mean 'LAO'"):
        load_guide("LAOS")
    with pytest.raises(LmcError, match="Did you mean 'vi'"):
        check_lang("vii")
    assert check_lang("zh-Hans") == "zh"


def test_text_in_the_wrong_script_is_refused(synthetic_dir, synthetic_yaml):
    # Lao text pasted into the Thai slot: same look to a non-reader, wrong language for a Thai reader
    text = synthetic_yaml().replace('th: "ข้อความสังเคราะห์"', 'th: "ຂໍ້ຄວາມສັງເຄາະ"', 1)
    with pytest.raises(GuideContentError, match="mostly not in the 'th' script"):
        parse_guide(synthetic_dir(text))
