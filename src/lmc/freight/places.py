"""The places registry as a map layer: one typed result the CLI table, the web map and reports all render.

Each place is a point (lon/lat of the stated precision: site, station, town or city), its names in English and
Chinese, its type, and the sources of the record, the point and every dated figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lmc.errors import ValidationError, unknown
from lmc.sources.places import Place, PlaceRegistry, load_places

TYPE_LABELS_ZH = {
    "cross_border_zone": "跨境经济合作区", "sez": "经济特区", "development_zone": "开发开放试验区",
    "industrial_park": "工业园区", "logistics_park": "物流园区", "dry_port": "陆港", "rail_freight_terminal": "铁路货场",
    "border_port": "口岸",
}
COLUMNS = {
    "place": ("Id", "编号"), "name_en": ("Name", "名称（英文）"), "name_zh": ("Name (Chinese)", "名称"),
    "type": ("Type", "类型"), "countries": ("Countries", "国家"), "province": ("Province", "省/府"),
    "lon": ("Longitude", "经度"), "lat": ("Latitude", "纬度"), "precision": ("Point is", "坐标精度"),
    "opened": ("Opened", "设立年份"), "operator": ("Operator or developer", "运营/开发方"),
    "investor_countries": ("Investors' countries", "投资来源国"), "figures": ("Figures (dated)", "数据（注明日期）"),
    "source": ("Source", "来源"),
}


@dataclass(frozen=True)
class PlacesLayer:
    """Places along the line for a map: ``places`` (validated records) and ``types`` (the vocabulary)."""

    places: tuple[Place, ...] = field(repr=False)
    types: dict[str, str] = field(repr=False)
    origin: str = ""

    def __len__(self) -> int:
        return len(self.places)

    def to_frame(self) -> pd.DataFrame:
        """One row per place; ``figures`` summarises the dated figures as 'measure value unit (as_of)'."""
        rows = []
        for p in self.places:
            figs = "; ".join(f"{f.measure} {f.value:,.6g} {f.unit} ({f.kind}, {f.as_of})" for f in p.figures)
            rows.append({"place": p.id, "name_en": p.name_en, "name_zh": p.name_zh or "", "type": p.type,
                         "countries": " ".join(p.countries), "province": p.province, "lon": p.location.lon,
                         "lat": p.location.lat, "precision": p.location.precision, "opened": p.opened,
                         "operator": p.operator or "", "investor_countries": " ".join(p.investor_countries),
                         "figures": figs, "source": p.source.url})
        return pd.DataFrame(rows, columns=list(COLUMNS)).astype({"opened": "Int64"})

    def labels(self, lang: str = "en") -> dict[str, str]:
        i = {"en": 0, "zh": 1}[lang]
        return {c: lab[i] for c, lab in COLUMNS.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"count": len(self.places), "columns": {c: {"en": en, "zh": zh} for c, (en, zh) in COLUMNS.items()},
                "places": [p.model_dump(mode="json") for p in self.places]}

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection (coordinates lon, lat) for the web map layer."""
        feats = []
        for p in self.places:
            feats.append({
                "type": "Feature", "id": p.id,
                "geometry": {"type": "Point", "coordinates": [p.location.lon, p.location.lat]},
                "properties": {
                    "name_en": p.name_en, "name_zh": p.name_zh, "type": p.type,
                    "type_zh": TYPE_LABELS_ZH.get(p.type, p.type), "countries": list(p.countries),
                    "precision": p.location.precision, "location_basis": p.location.basis,
                    "opened": p.opened, "operator": p.operator, "investor_countries": list(p.investor_countries),
                    "figures": [f.model_dump(mode="json") for f in p.figures],
                    "source": p.source.model_dump(mode="json"),
                    "location_source": p.location.source.model_dump(mode="json"),
                },
            })
        return {"type": "FeatureCollection", "features": feats}


def places_layer(registry: PlaceRegistry | None = None, *, types: tuple[str, ...] = (),
                 countries: tuple[str, ...] = ()) -> PlacesLayer:
    """The registry (default: the packaged one) as a :class:`PlacesLayer`, optionally filtered by type or country."""
    reg = load_places() if registry is None else registry
    for t in types:
        if t not in reg.vocabulary.types:
            raise ValidationError(unknown("place type", t, reg.vocabulary.types))
    known = {c for p in reg.places for c in p.countries}
    for c in countries:
        if c not in known:
            raise ValidationError(unknown("country with places", c, known))
    keep = [p for p in reg.places if (not types or p.type in types)
            and (not countries or set(p.countries) & set(countries))]
    return PlacesLayer(tuple(keep), dict(reg.vocabulary.types), reg.origin)
