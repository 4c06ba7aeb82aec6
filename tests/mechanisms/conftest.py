"""Fixtures for the mechanism tests: a small hand-made (synthetic) registry, built in code, and the real one.

The synthetic registry is small enough to compute every overlap, count and pair by hand (see the tests). It reuses
the real registry's vocabularies and code lists, so it also exercises validation against them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from lmc.sources.mechanisms import Registry, load_registry, package_path

REF = {"publisher": "Synthetic test publisher", "url": "https://example.org/synthetic", "accessed": "2026-11-29"}


def _mech(mid: str, founded: int | None, members: list[dict[str, Any]], sectors: list[str], **extra: Any) -> dict:
    rec = {
        "id": mid, "abbreviation": mid.upper(), "name_en": f"Synthetic mechanism {mid}", "type": "subregional_framework",
        "status": "active", "founded": founded, "members": members, "members_src": ["s1"],
        "sectors": sectors, "sectors_src": ["s1"], "source": dict(REF), "references": {"s1": dict(REF)},
    }
    rec.update(extra)
    return rec


def synthetic_registry_data() -> dict[str, Any]:
    """Four synthetic mechanisms (members current unless 'left'):

    ========  =======  =====================================  ==============================  ==================
    id        founded  country members (joined)               sectors                          notes
    ========  =======  =====================================  ==============================  ==================
    syn_a     2000     CHN, LAO, THA (2000)                   water, trade, tourism            name_zh (CHN)
    syn_b     2005     LAO, THA, KHM, VNM; VNM joined 2010    water, trade, energy             partner USA
    syn_c     2010     LAO, USA; JPN left 2015                trade, energy                    + CN-YN subnational
    syn_d     1995     CHN, LAO, THA, MMR                     water, tourism                   dormant, last 2012
    ========  =======  =====================================  ==============================  ==================
    """
    real = yaml.safe_load(package_path().read_text(encoding="utf-8"))
    return {
        "schema_version": 1,
        "vocabulary": real["vocabulary"],
        "codes": real["codes"],
        "mechanisms": [
            _mech("syn_a", 2000, [{"code": c, "kind": "country", "joined": 2000} for c in ("CHN", "LAO", "THA")],
                  ["water", "trade", "tourism"], name_zh="合成机制", name_zh_src=["s1"],
                  programmes=[{"name": "Synthetic water programme", "year": 2004, "sectors": ["water"],
                               "src": ["s1"]},
                              {"name": "Synthetic tourism fair", "year": 2006, "sectors": ["tourism"]}]),
            _mech("syn_b", 2005, [{"code": "LAO", "kind": "country", "joined": 2005},
                                  {"code": "THA", "kind": "country", "joined": 2005},
                                  {"code": "KHM", "kind": "country", "joined": 2005},
                                  {"code": "VNM", "kind": "country", "joined": 2010}],
                  ["water", "trade", "energy"],
                  partners=[{"code": "USA", "role": "development_partner", "since": 2008}],
                  programmes=[{"name": "Synthetic trade window", "year": 2011, "sectors": ["trade"]}]),
            _mech("syn_c", 2010, [{"code": "LAO", "kind": "country", "joined": None},
                                  {"code": "USA", "kind": "country", "joined": 2010},
                                  {"code": "JPN", "kind": "country", "joined": 2010, "left": 2015},
                                  {"code": "CN-YN", "kind": "subnational", "joined": 2012}],
                  ["trade", "energy"]),
            _mech("syn_d", 1995, [{"code": c, "kind": "country"} for c in ("CHN", "LAO", "THA", "MMR")],
                  ["water", "tourism"], status="dormant", last_activity=2012, name_zh="休眠机制",
                  name_zh_src=["s1"],
                  programmes=[{"name": "Synthetic old water survey", "year": 1999, "sectors": ["water"]}]),
        ],
    }


@pytest.fixture()
def synthetic_data() -> dict[str, Any]:
    return synthetic_registry_data()


@pytest.fixture()
def write_registry(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """Write registry data to a YAML file in tmp_path and return its path."""
    counter = {"n": 0}

    def write(data: dict[str, Any]) -> Path:
        counter["n"] += 1
        path = tmp_path / f"synthetic_registry_{counter['n']}.yaml"
        path.write_text(yaml.safe_dump(copy.deepcopy(data), allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture()
def synthetic_registry(synthetic_data: dict[str, Any], write_registry) -> Registry:
    return load_registry(write_registry(synthetic_data))


@pytest.fixture(scope="session")
def real_registry() -> Registry:
    return load_registry()
