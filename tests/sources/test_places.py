"""The places registry: every record and figure sourced and dated, values as the sources give them, and
validation errors that name file:line: field with a did-you-mean."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from lmc.errors import LmcError
from lmc.sources.places import SOURCE, PlaceRegistryError, load_places, package_path, registry_tables


@pytest.fixture(scope="module")
def registry():
    return load_places()


@pytest.fixture()
def raw() -> dict:
    return yaml.safe_load(package_path().read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "places.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def _line_of(path: Path, line: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[line - 1]


def test_at_least_twelve_places_covering_the_line(registry):
    ids = set(registry.ids)
    assert len(ids) >= 12
    assert {"mohan_boten_ecz", "boten_sez", "luang_prabang_sez", "vientiane_logistics_park", "thanaleng_dry_port",
            "vientiane_saysettha", "wangjiaying_west", "mengla_pilot_zone"} <= ids
    assert {c for p in registry.places for c in p.countries} == {"CHN", "LAO", "THA"}


def test_every_record_figure_and_point_has_a_source_and_every_figure_a_date(registry):
    for p in registry.places:
        assert p.source.url.startswith("http") and p.source.publisher and p.location.source.url.startswith("http")
        for f in p.figures:
            assert f.source.url.startswith("http"), (p.id, f)
            assert f.as_of[:4].isdigit() and 1945 <= int(f.as_of[:4]) <= dt.date.today().year


def test_known_values_from_sources(registry):
    def fig(pid, measure, as_of):
        (p,) = [p for p in registry.places if p.id == pid]
        (f,) = [f for f in p.figures if f.measure == measure and f.as_of == as_of]
        return f.value

    assert fig("thanaleng_dry_port", "containers", "2022") == 49183          # The Star 2024-03-04
    assert fig("thanaleng_dry_port", "jobs", "2022-12-04") == 247            # developer, first anniversary
    assert fig("boten_sez", "firms", "2024-12") == 891                       # ctnews 2024-12-03
    assert fig("vientiane_saysettha", "firms", "2024-12") == 154
    assert fig("vientiane_logistics_park", "investment", "2021-08") == 727   # US$ M, the whole project
    # Thanaleng and Vientiane Logistics Park are one US$727 M project: the investment is recorded once.
    assert not [f for p in registry.places if p.id == "thanaleng_dry_port" for f in p.figures
                if f.measure == "investment"]


def test_warehouse_tables_match_the_registry(registry):
    tables = SOURCE.parse({SOURCE.files[0].path: package_path()})
    places, figs = tables["places"], tables["place_figures"]
    assert len(places) == len(registry.places) and places["place"].is_unique
    assert len(figs) == sum(len(p.figures) for p in registry.places)
    assert figs["source_url"].str.startswith("http").all()
    row = places.set_index("place").loc["boten_sez"]
    assert (row.lat, row.lon, row.precision) == (21.1551437, 101.6712789, "station")
    assert registry_tables(registry)["places"].equals(places)


def test_unknown_type_names_file_line_field_and_suggests(tmp_path, raw):
    raw["places"][5]["type"] = "seez"
    path = _write(tmp_path, raw)
    with pytest.raises(PlaceRegistryError) as exc:
        load_places(path)
    assert isinstance(exc.value, LmcError)
    msg = exc.value.problems[0]
    assert msg.startswith(f"{path}:") and "places.5.type (id 'boten_sez')" in msg
    assert "unknown place type 'seez'" in msg and "Did you mean 'sez'" in msg
    line = int(msg.split(":")[1])
    assert "seez" in _line_of(path, line)


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda p: p["figures"][0].__setitem__("as_of", "2024-13"), "places.0.figures.0.as_of", "is not a date"),
    (lambda p: p["figures"][0].__setitem__("as_of", "2999"), "places.0.figures.0.as_of", "outside 1945..today"),
    (lambda p: p["figures"][0].__setitem__("unit", "TEUs/yr"), "places.0.figures.0.unit", "Did you mean 'TEU/yr'"),
    (lambda p: p["location"].__setitem__("lat", 102.86), "places.0.location.lat", "outside the corridor"),
    (lambda p: p["countries"].__setitem__(0, "CN"), "places.0.countries.0", "Did you mean 'CHN'"),
    (lambda p: p.pop("source"), "places.0.source", "Field required"),
    (lambda p: p["figures"][0]["source"].pop("url"), "places.0.figures.0.source.url", "Field required"),
    (lambda p: p.__setitem__("opend", 2020), "places.0.opend", "Extra inputs are not permitted"),
])
def test_each_problem_names_its_field(tmp_path, raw, change, field, words):
    change(raw["places"][0])
    registry, problems = __import__("lmc.sources.places", fromlist=["validate_file"]).validate_file(
        _write(tmp_path, raw))
    assert registry is None
    assert any(field in p and words in p for p in problems), problems


def test_duplicate_id_and_all_problems_collected(tmp_path, raw):
    raw["places"][3]["id"] = raw["places"][2]["id"]
    raw["places"][7]["type"] = "park"
    with pytest.raises(PlaceRegistryError) as exc:
        load_places(_write(tmp_path, raw))
    text = "\n".join(exc.value.problems)
    assert "repeats places[2]" in text and "unknown place type 'park'" in text
    assert len(exc.value.problems) == 2 and "(and 1 more problem(s))" in str(exc.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("schema_version: 1\nplaces: [\n  - {id: x\n", encoding="utf-8")
    with pytest.raises(LmcError, match=r"bad\.yaml:\d+"):
        load_places(p)


def test_synthetic_minimal_registry_is_valid(tmp_path, raw):
    data = copy.deepcopy(raw)
    data["places"] = data["places"][:1]
    data["places"][0]["figures"] = []
    reg = load_places(_write(tmp_path, data))
    assert reg.ids == ("wangjiaying_west",)
