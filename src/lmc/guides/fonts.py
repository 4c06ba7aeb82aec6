"""Which installed Noto family draws which script, and the CSS that names them.

WeasyPrint shapes text with HarfBuzz through Pango and picks fonts through fontconfig, so a script renders only if
the CSS names a family that covers it. We name one family per script (checked with ``fc-list`` on Debian with
fonts-noto-core, fonts-noto-cjk and fonts-noto-extra) and put the reader's language first through ``:lang()``, so
that, for example, Chinese text gets the Simplified Chinese glyph forms of Noto Sans CJK SC.
"""

from __future__ import annotations

SCRIPT_FAMILIES: dict[str, str] = {
    "Latin": "Noto Sans",  # English, Vietnamese (all Vietnamese diacritics), romanisations
    "Han": "Noto Sans CJK SC",
    "Thai": "Noto Sans Thai",
    "Lao": "Noto Sans Lao",
    "Khmer": "Noto Sans Khmer",
    "Myanmar": "Noto Sans Myanmar",
}

LANG_SCRIPT: dict[str, str] = {"en": "Latin", "vi": "Latin", "zh": "Han", "th": "Thai", "lo": "Lao",
                               "km": "Khmer", "my": "Myanmar"}

# Scripts with tall stacked marks need more line height or the marks of two lines collide.
LINE_HEIGHT: dict[str, float] = {"th": 1.6, "lo": 1.7, "km": 1.8, "my": 1.9}


def _stack(first: str) -> str:
    fams = [first] + [f for f in SCRIPT_FAMILIES.values() if f != first]
    return ", ".join(f'"{f}"' for f in fams) + ", sans-serif"


def font_css() -> str:
    """CSS rules: a base stack covering every script, and per-language rules putting that script's family first."""
    rules = [f"html {{ font-family: {_stack('Noto Sans')}; }}"]
    for lang, script in LANG_SCRIPT.items():
        lh = LINE_HEIGHT.get(lang)
        extra = f" line-height: {lh};" if lh else ""
        rules.append(f":lang({lang}) {{ font-family: {_stack(SCRIPT_FAMILIES[script])};{extra} }}")
    return "\n".join(rules)
