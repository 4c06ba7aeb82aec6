"""``lmc build``: the observatory's main product in one call - the SCI pipeline, its data files and the reports.

Lives in :mod:`lmc.reports` because it renders (stage 5) what :mod:`lmc.sci` computes (stage 4). The outputs are
cached as a whole: ``out/build.json`` records the build key and the files; when the key is unchanged and every file
is present, nothing is rewritten.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

from lmc.config import Settings, get_settings
from lmc.reports.geo import try_layers
from lmc.reports.sci_report import LANGS, write_report
from lmc.atomic import write_bytes
from lmc.sci.cache import code_digest, digest
from lmc.sci.outputs import write_outputs
from lmc.sci.pipeline import Progress, run
from lmc.sci.results import SciResult
from lmc.sci.validity import InvalidBuildError

STAGES: tuple[str, ...] = ("pull", "indicators", "index", "audit", "uncertainty", "validity", "outputs", "report")


def build(settings: Settings | None = None, *, out: Path | None = None, n: int = 2000, seed: int = 20240101,
          pull: bool = True, pdf: bool = True, progress: Progress | None = None,
          allow_invalid: bool = False) -> SciResult:
    """Run the SCI pipeline and write ``scores.csv/.xlsx/.parquet``, ``validity.csv``, ``datapackage.json`` and the
    reports (``report_en``/``report_zh``, HTML and PDF) to ``out`` (default ``settings.home/out``).

    Raises :class:`~lmc.sci.validity.InvalidBuildError`, writing nothing, when a known fact of the validity suite
    is not reproduced, unless ``allow_invalid`` (then the report lists the failures)."""
    settings = settings or get_settings()
    out_dir = Path(out) if out else settings.out_dir
    t0 = time.perf_counter()
    result = run(settings, n=n, seed=seed, pull=pull, progress=progress)
    if result.validity is not None and not result.validity.ok and not allow_invalid:
        raise InvalidBuildError(result.validity)
    layers, _ = try_layers(settings)  # without the Natural Earth tables the report says the maps are missing
    key = digest("outputs", result.key, code_digest("reports", "sci"), pdf, layers is not None)
    manifest = out_dir / "build.json"
    timings = dict(result.timings)
    if manifest.is_file():
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        files = [out_dir / f for f in old.get("files", [])]
        if old.get("key") == key and files and all(f.is_file() for f in files):
            for st in ("outputs", "report"):
                if progress:
                    progress(st, 1, 1)
            timings["total"] = time.perf_counter() - t0
            return dataclasses.replace(result, out_dir=out_dir, files=tuple(files) + (manifest,), cached=True,
                                       timings=timings)
    t = time.perf_counter()
    files = write_outputs(result, out_dir)
    if progress:
        progress("outputs", 1, 1)
    timings["outputs"] = time.perf_counter() - t
    t = time.perf_counter()
    for i, lang in enumerate(LANGS):
        files += write_report(result, out_dir, lang, pdf=pdf, layers=layers)
        if progress:
            progress("report", i + 1, len(LANGS))
    timings["report"] = time.perf_counter() - t
    rel = sorted({str(f.relative_to(out_dir)) for f in files})
    write_bytes(manifest, json.dumps({"key": key, "files": rel, "years": [min(result.years),
                       max(result.years)], "runs": result.uncertainty.runs}, indent=2).encode("utf-8"))
    timings["total"] = time.perf_counter() - t0
    return dataclasses.replace(result, out_dir=out_dir, files=tuple(files) + (manifest,), timings=timings)
