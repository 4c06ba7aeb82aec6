"""LMC Observatory: open, reproducible analytics for soft connectivity in the Lancang-Mekong region.

The package is laid out as the pipeline it runs:

    sources -> warehouse -> indicators -> index / sci / flows / corridor / mechanisms / guides -> reports, web, cli

Lower stages never import higher ones; ``lmc.cli`` and ``lmc.web`` are thin layers over the library.
"""

__version__ = "0.1.0"

LMC_COUNTRIES: tuple[str, ...] = ("CHN", "MMR", "LAO", "THA", "KHM", "VNM")
"""The six Lancang-Mekong Cooperation members, ISO 3166-1 alpha-3, in the order the LMC lists them."""
