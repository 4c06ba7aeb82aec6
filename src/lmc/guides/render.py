"""Render a localised manual to an accessible HTML page (Jinja2) and to an A5 PDF booklet (WeasyPrint).

One template serves both: ``mode='web'`` adds the language switcher and responsive CSS, ``mode='print'`` adds the
cover QR code, contents with page numbers and running heads. Whatever the mode, the ``lang`` attributes are those
of the text actually shown, so English stand-ins for missing translations are marked for screen readers and fonts.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import jinja2

from lmc.atomic import write_bytes, write_text
from lmc.config import get_settings
from lmc.guides.fonts import font_css
from lmc.guides.load import load_ui
from lmc.guides.localise import LocalGuide
from lmc.guides.model import BCP47, LANGS

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

TEMPLATES = Path(__file__).resolve().parent / "templates"

LANG_NAMES: dict[str, str] = {"en": "English", "zh": "简体中文", "th": "ไทย", "lo": "ລາວ", "km": "ខ្មែរ",
                              "my": "မြန်မာ", "vi": "Tiếng Việt"}

Mode = Literal["web", "print"]


def url_pattern(explicit: str | None = None) -> str:
    """Where the web app serves the guides: ``explicit``, else the ``guide_url`` setting (``LMC_GUIDE_URL`` or
    ``lmc.toml``), so the QR code on printed booklets points at the public site; ``{iso3}``/``{lang}`` filled in."""
    return explicit or get_settings().guide_url


def web_url(iso3: str, lang: str, pattern: str | None = None) -> str:
    return url_pattern(pattern).format(iso3=iso3, lang=lang, ISO3=iso3)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )


@lru_cache(maxsize=2)
def _css(mode: Mode) -> str:
    extra = "print.css" if mode == "print" else "web.css"
    return "\n".join([font_css(), (TEMPLATES / "base.css").read_text("utf-8"), (TEMPLATES / extra).read_text("utf-8")])


def qr_data_uri(url: str) -> str:
    """A PNG QR code (error correction M) as a data URI, so the HTML carries no side files."""
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def render_html(g: LocalGuide, *, mode: Mode = "web", url_pattern_: str | None = None,
                link_pattern: str = "{lang}.html") -> str:
    """The manual as one self-contained HTML document.

    ``link_pattern`` builds the language switcher's links (``{iso3}``, ``{lang}``): the static build uses sibling
    files, the web app passes ``/guides/{iso3}/{lang}``.
    """
    ui = load_ui()
    url = web_url(g.country, g.lang, url_pattern_)
    return _env().get_template("guide.html.j2").render(
        g=g, mode=mode, css=_css(mode), bcp47=BCP47, langs=LANGS, lang_names=LANG_NAMES,
        ui=lambda key: ui.get(key, g.lang), web_url=url, qr_png=qr_data_uri(url) if mode == "print" else "",
        link=lambda code: link_pattern.format(iso3=g.country, lang=code, ISO3=g.country),
    )


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One WeasyPrint font configuration per process, reused by every booklet: building it anew costs about a
    fifth of a booklet's CPU time (the fonts and @font-face rules are the same for all 42)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(g: LocalGuide, *, url_pattern_: str | None = None) -> tuple[bytes, int]:
    """The A5 booklet as PDF bytes, and its page count."""
    from weasyprint import HTML

    html = render_html(g, mode="print", url_pattern_=url_pattern_)
    doc = HTML(string=html, base_url=str(TEMPLATES)).render(font_config=_font_config())
    return doc.write_pdf(), len(doc.pages)


def write_atomic(path: Path, data: bytes | str) -> int:
    """Write a page or booklet so that no half-written guide is ever left (see :mod:`lmc.atomic`)."""
    return write_text(path, data) if isinstance(data, str) else write_bytes(path, data)


ProgressFn = Callable[[str], None]
