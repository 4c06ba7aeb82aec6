"""Required word forms (the glossary) and the review of verification dates (``lmc guide status``)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from typer.testing import CliRunner

from lmc import LMC_COUNTRIES
from lmc.cli import app
from lmc.guides import load_all, load_guide, load_ui, parse_guide, review
from lmc.guides.glossary import load_glossary, problems
from lmc.guides.load import GuideContentError

runner = CliRunner()


def test_glossary_names_the_required_chinese_forms():
    required = {t.use: t.avoid for t in load_glossary() if t.lang == "zh"}
    assert "老中铁路" in required["中老铁路"]
    assert "王室颂歌" in required["国王颂歌"]
    assert "澜湄观察站" in required  # the observatory's one Chinese name


def test_shipped_texts_use_the_required_forms():
    zh = [it.text["zh"] for g in load_all() for it in g.every_item]
    assert not problems(("x", "zh", t) for t in zh)
    joined = "\n".join(zh)
    assert "中老铁路" in joined and "老中铁路" not in joined
    assert "国王颂歌" in joined and "王室颂歌" not in joined
    assert "澜湄观察站" in load_ui().get("kicker", "zh")


def test_a_forbidden_form_is_refused_with_file_line_and_the_right_form(synthetic_dir, synthetic_yaml):
    path = synthetic_dir(synthetic_yaml().replace('zh: "合成文本"', 'zh: "乘坐老中铁路"', 1))
    with pytest.raises(GuideContentError) as err:
        parse_guide(path)
    msg = str(err.value)
    line = int(re.search(re.escape(str(path)) + r":(\d+):", msg).group(1))
    assert "synthetic-greetings" in path.read_text().splitlines()[line - 1]
    assert "'老中铁路'" in msg and "write '中老铁路'" in msg


def test_problems_only_apply_to_the_terms_language():
    assert problems([("a", "en", "Lao-China Railway 老中铁路")]) == []
    assert len(problems([("a", "zh", "老中铁路和王室颂歌")])) == 2


def test_review_lists_items_older_than_the_max_age(synthetic_dir, synthetic_yaml):
    text = synthetic_yaml().replace("    volatile: false", "    volatile: false\n    verified: 2025-01-10", 1)
    g = parse_guide(synthetic_dir(text))
    result = review([g], as_of=dt.date(2026, 12, 4))  # default: 180 days
    assert result.max_age_days == 180
    due = result.due()
    assert [r.id for r in due] == ["synthetic-greetings"] and due[0].age_days == 693
    assert result.verified_range()["XXA"] == (dt.date(2025, 1, 10), dt.date(2026, 11, 29))
    # a wider window, or an earlier day, leaves nothing due; volatile items come first in the list
    assert review([g], max_age_days=700, as_of=dt.date(2026, 12, 4)).due() == ()
    assert review([g], as_of=dt.date(2026, 11, 30)).due()[0].id == "synthetic-greetings"


def test_nothing_shipped_is_due_today_but_everything_is_in_a_year():
    guides = load_all()
    assert review(guides, as_of=dt.date(2026, 12, 4)).due() == ()
    later = review(guides, as_of=dt.date(2027, 12, 4))
    assert len(later.due()) == len(later.rows) == sum(len(g.every_item) for g in guides)
    assert all(r.volatile for r in later.due()[:sum(r.volatile for r in later.rows)])  # volatile first


def test_cli_status_due_lists_items_and_rejects_a_bad_day():
    result = runner.invoke(app, ["guide", "status", "--due", "--as-of", "2027-07-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["max_age_days"] == 180 and data["as_of"] == "2027-07-01"
    # items verified on 2026-11-29 are 214 days old on 2027-07-01; those re-checked on 2026-12-04 are 209, on
    # 2026-12-05 208
    ages = {d["age_days"] for d in data["due"]}
    assert ages == {214, 209, 208} and all(d["due"] for d in data["due"])
    assert set(data["verified_range"]) == set(LMC_COUNTRIES)
    csv = runner.invoke(app, ["guide", "status", "--due", "--max-age", "400", "--as-of", "2027-07-01", "-f", "csv"])
    assert csv.exit_code == 0 and csv.stdout.strip() == "country,id,section,volatile,effective,verified,age_days,due"
    bad = runner.invoke(app, ["guide", "status", "--as-of", "2027-02-30"])
    assert bad.exit_code == 2 and "--as-of" in bad.stderr


def test_cli_status_table_reports_the_verification_range():
    result = runner.invoke(app, ["guide", "status", "--country", "MMR", "--as-of", "2026-12-05"])
    assert result.exit_code == 0, result.output
    assert "MMR 2026-11-29…2026-12-05" in result.output and "Nothing due for review" in result.output
    assert load_guide("MMR").notice.verified == dt.date(2026, 12, 4)
