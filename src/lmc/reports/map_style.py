"""The maps' palette and label positions, shared by the report's matplotlib maps (:mod:`lmc.reports.maps`) and the
web's Plotly maps (:mod:`lmc.web.maps`).

Why a module of its own: the web draws with Plotly and only needs these colours; importing them from the report's
map module pulled in ``matplotlib.pyplot`` (about half a second) on the first page a visitor opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.colors import LinearSegmentedColormap

SEA = "#dcecf5"
LAND_LMC = "#f4efe1"
LAND_OTHER = "#d9d9d9"
WATER = "#6aa5cf"
RIVER = "#2b7bba"
RAIL = "#b03a2e"
BORDER = "#6e6e6e"
CMAP = "YlGnBu"
LABEL_AT = {"CHN": (105.6, 25.3), "MMR": (96.0, 21.6), "LAO": (103.9, 19.9), "THA": (101.2, 15.9),
            "KHM": (105.2, 13.2), "VNM": (107.9, 14.2)}
"""Where the region map writes each country's name: inside the country, clear of the railway and the Mekong."""
RIVER_LABELS = ((99.25, 25.6, -80, 0), (105.75, 15.2, -75, 1))
"""(lon, lat, rotation, which name) of the river's two labels: Lancang on its Chinese course, Mekong downstream."""
PLACE_COLOURS = ("#6c3483", "#d35400", "#117a65", "#1f618d", "#b7950b", "#943126", "#515a5a", "#2e4053")
"""Colours of the place types on the corridor map, in the order the types first appear."""


def fill_cmap() -> LinearSegmentedColormap:
    """The choropleth's colours: the lighter three quarters of YlGnBu (the darkest quarter would hide the links)."""
    import matplotlib
    from matplotlib.colors import LinearSegmentedColormap

    base = matplotlib.colormaps[CMAP]
    return LinearSegmentedColormap.from_list("lmc_fill", [base(0.75 * i / 20) for i in range(21)])
