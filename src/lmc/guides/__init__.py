"""lmc.guides: traveller manuals on the customs and laws of the six Lancang-Mekong destinations.

Content (``content/<ISO3>.yaml``, validated by :mod:`lmc.guides.model`) → one language (:func:`localise`, with a
visible English fallback, and an edition for its readers) → HTML page or A5 PDF booklet (:mod:`lmc.guides.render`).
``coverage`` reports how much exists in each language, ``review`` which items are due for re-verification;
``build_guides`` writes files.
"""

from lmc.guides.build import BuildResult, booklet_pdf, build_guides, web_page
from lmc.guides.coverage import CoverageResult, coverage
from lmc.guides.load import GuideContentError, load_all, load_guide, load_ui, parse_guide
from lmc.guides.localise import LocalGuide, localise
from lmc.guides.model import CORE_SECTIONS, LANGS, SECTIONS, Guide
from lmc.guides.render import render_html, render_pdf
from lmc.guides.review import ReviewResult, review

__all__ = [
    "BuildResult", "CORE_SECTIONS", "CoverageResult", "Guide", "GuideContentError", "LANGS", "LocalGuide",
    "ReviewResult", "SECTIONS", "booklet_pdf", "build_guides", "coverage", "load_all", "load_guide", "load_ui",
    "localise", "parse_guide", "render_html", "render_pdf", "review", "web_page",
]
