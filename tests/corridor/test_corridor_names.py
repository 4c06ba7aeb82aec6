"""Names people use: places and stations in English, Chinese, Thai and Lao; a place stands for all its stations;
unknown names get suggestions."""

from __future__ import annotations

import pytest

from lmc.corridor.names import PlannerError, norm, place_names, resolve_stops, stop_translations


def _ids(tt, q):
    return sorted(str(tt.stop_ids[i]) for i in resolve_stops(tt, q))


@pytest.mark.parametrize(("query", "stops"), [
    ("Kunming", ["KMS"]), ("昆明", ["KMS"]), ("昆明南", ["KMS"]), ("kunming south", ["KMS"]), ("KMS", ["KMS"]),
    ("Bangkok", ["KTA"]), ("กรุงเทพ", ["KTA"]), ("กรุงเทพมหานคร", ["KTA"]), ("曼谷", ["KTA"]),
    ("Krung Thep Aphiwat", ["KTA"]),
    ("Vientiane", ["KHS", "VTE"]), ("万象", ["KHS", "VTE"]), ("ວຽງຈັນ", ["KHS", "VTE"]), ("เวียงจันทน์", ["KHS", "VTE"]),
    ("Khamsavath", ["KHS"]), ("万象坎萨瓦", ["KHS"]),
    ("Luang Prabang", ["LPB"]), ("琅勃拉邦", ["LPB"]), ("ຫຼວງພະບາງ", ["LPB"]), ("หลวงพระบาง", ["LPB"]),
    ("Jinghong", ["XSB"]), ("西双版纳", ["XSB"]), ("Korat", ["NRS"]), ("โคราช", ["NRS"]), ("Pu'er", ["PUE"]),
    ("Puer", ["PUE"]), ("Mohan", ["MOH"]), ("磨憨", ["MOH"]), ("Boten", ["BOT"]), ("ບໍ່ເຕັນ", ["BOT"]),
])
def test_places_and_stations_in_four_languages(corridor_tt, query, stops):
    assert _ids(corridor_tt, query) == stops


def test_unknown_names_get_suggestions(corridor_tt):
    with pytest.raises(PlannerError, match="Did you mean 'Bangkok'"):
        resolve_stops(corridor_tt, "Bangkk")
    with pytest.raises(PlannerError, match="Did you mean 'Kunming"):
        resolve_stops(corridor_tt, "Kunmign")
    with pytest.raises(PlannerError, match="Did you mean 'Vientiane'"):
        resolve_stops(corridor_tt, "Vientaine")
    with pytest.raises(PlannerError, match="lmc corridor stations"):
        resolve_stops(corridor_tt, "Atlantis")


def test_names_for_pages_in_other_languages(corridor_tt):
    names = stop_translations(corridor_tt)
    assert names["KMS"]["zh"] == "昆明南" and names["VTE"]["zh"] == "万象" and names["KTA"]["th"] == "กรุงเทพอภิวัฒน์"
    assert names["KTA"]["zh"] == "曼谷阿披瓦中央车站" and names["KHS"]["zh"] == "万象坎萨瓦"
    assert {"Vientiane", "万象", "ວຽງຈັນ"} <= set(place_names(corridor_tt)["KHS"])


def test_norm_keeps_thai_and_lao_marks_but_drops_latin_accents():
    assert norm("Pú'er") == norm("pu er")
    assert norm("หลวงพระบาง") != norm("หลวงพระบง")  # a Thai vowel mark is a letter, not an accent


def test_every_trip_note_and_border_control_is_told_in_chinese():
    """A Chinese page tells a traveller what is estimated and what the border controls are in Chinese: every note of
    trip_notes.txt and every description of clearance.txt has a zh line in translations.txt (from timetable.yaml)."""
    import csv

    from lmc.corridor.plan import FEED_DIR
    from lmc.reports.labels import clearance_text, trip_note

    def rows(name):
        with open(FEED_DIR / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    notes, controls = rows("trip_notes.txt"), rows("clearance.txt")
    assert len(notes) >= 14 and {c["stop_id"] for c in controls} == {"MOH", "BOT", "NKI"}
    for n in notes:
        text, lang = trip_note(n["trip_id"] + "@09:00", n["note"], "zh")  # a run of a frequency-based trip
        assert lang == "zh" and "公开数据" in text, n["trip_id"]
        assert trip_note(n["trip_id"], n["note"], "en") == (n["note"], "en")
    for c in controls:
        text, lang = clearance_text(c["stop_id"], c["description"], "zh")
        assert lang == "zh" and "检" in text, c["stop_id"]
    assert clearance_text("KMS", "no control here", "zh") == ("no control here", "en")
