"""Build manuals to files: ``<out>/<ISO3>/<lang>.html`` and ``.pdf``, mirroring the web path /guides/<ISO3>/<lang>.

Each (destination, language) pair is independent, so ``build_guides`` can spread them over worker processes; the
result lists every file written with its size, page count, number of English stand-ins and time taken.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lmc.errors import ValidationError, unknown
from lmc.guides.load import available_countries, check_country, load_guide
from lmc.guides.localise import check_lang, localise
from lmc.guides.model import LANGS
from lmc.guides.render import render_html, render_pdf, write_atomic

FORMATS: tuple[str, ...] = ("html", "pdf")


@dataclass(frozen=True, slots=True)
class BuiltFile:
    country: str
    lang: str
    format: str
    path: str
    bytes: int
    pages: int | None
    fallbacks: int
    seconds: float


@dataclass(frozen=True, slots=True)
class BuildResult:
    """Every file one build wrote."""

    out_dir: str
    files: tuple[BuiltFile, ...]
    seconds: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(f) for f in self.files])

    def to_dict(self) -> dict[str, Any]:
        return {"out_dir": self.out_dir, "seconds": self.seconds, "files": [asdict(f) for f in self.files]}


def parse_formats(spec: str | Iterable[str]) -> tuple[str, ...]:
    parts = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for p in (x.strip().lower() for x in parts):
        if not p:
            continue
        if p not in FORMATS:
            raise ValidationError(unknown("format", p, FORMATS))
        if p not in out:
            out.append(p)
    if not out:
        raise ValidationError("no output format given. Valid: html, pdf")
    return tuple(out)


def _one(job: tuple[str, str, tuple[str, ...], str, str | None]) -> list[BuiltFile]:
    country, lang, formats, out, pattern = job
    g = localise(load_guide(country), lang)
    files: list[BuiltFile] = []
    for fmt in formats:
        t0 = time.perf_counter()
        path = Path(out) / country / f"{lang}.{fmt}"
        pages: int | None = None
        if fmt == "html":
            size = write_atomic(path, render_html(g, mode="web", url_pattern_=pattern))
        else:
            pdf, pages = render_pdf(g, url_pattern_=pattern)
            size = write_atomic(path, pdf)
        files.append(BuiltFile(country=country, lang=lang, format=fmt, path=str(path), bytes=size, pages=pages,
                               fallbacks=g.fallback_count, seconds=round(time.perf_counter() - t0, 3)))
    return files


def build_guides(out: Path, *, countries: Sequence[str] | None = None, langs: Sequence[str] | None = None,
                 formats: Sequence[str] = FORMATS, url_pattern: str | None = None, workers: int = 1,
                 progress: Callable[[BuiltFile], None] | None = None) -> BuildResult:
    """Render the manuals of ``countries`` (default all) in ``langs`` (default all seven) to ``out``."""
    codes = tuple(check_country(c) for c in (countries or available_countries()))
    lang_codes = tuple(dict.fromkeys(check_lang(lang) for lang in (langs or LANGS)))
    fmts = parse_formats(list(formats))
    for c in codes:  # validate every content file before spending time on rendering
        load_guide(c)
    jobs = [(c, lang, fmts, str(out), url_pattern) for c in codes for lang in lang_codes]
    t0 = time.perf_counter()
    files: list[BuiltFile] = []
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk in pool.map(_one, jobs):
                files.extend(chunk)
                for f in chunk:
                    if progress:
                        progress(f)
    else:
        for job in jobs:
            chunk = _one(job)
            files.extend(chunk)
            for f in chunk:
                if progress:
                    progress(f)
    return BuildResult(out_dir=str(out), files=tuple(files), seconds=round(time.perf_counter() - t0, 3))


def web_page(iso3: str, lang: str, *, link_pattern: str = "/guides/{iso3}/{lang}") -> str:
    """The HTML page the web app serves at /guides/<ISO3>/<lang> (language links point at sibling routes)."""
    return render_html(localise(load_guide(check_country(iso3)), lang), mode="web", link_pattern=link_pattern)


def booklet_pdf(iso3: str, lang: str, *, url_pattern: str | None = None) -> bytes:
    """The A5 booklet as PDF bytes, e.g. for a /guides/<ISO3>/<lang>.pdf download route."""
    pdf, _ = render_pdf(localise(load_guide(check_country(iso3)), lang), url_pattern_=url_pattern)
    return pdf
