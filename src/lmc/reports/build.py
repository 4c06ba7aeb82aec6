"""``lmc build``: the observatory's main product in one call - the SCI pipeline, its data files and the reports.

Lives in :mod:`lmc.reports` because it renders (stage 5) what :mod:`lmc.sci` computes (stage 4). The outputs are
published all or nothing and cached as a whole: ``out/build.json`` records the build key and the sha256 of every
file; when the key is unchanged and every file still has its hash, nothing is rewritten (:mod:`lmc.sci.outputs`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path

from lmc.config import Settings, get_settings
from lmc.reports import economic_corridor
from lmc.reports.geo import try_layers
from lmc.reports.sci_report import LANGS, write_report
from lmc.sci.cache import code_digest, digest
from lmc.sci.outputs import cached_files, publish, staging, write_outputs
from lmc.sci.pipeline import Progress, run
from lmc.sci.results import SciResult
from lmc.sci.validity import InvalidBuildError

STAGES: tuple[str, ...] = ("pull", "indicators", "index", "audit", "uncertainty", "validity", "outputs", "report")


def build(settings: Settings | None = None, *, out: Path | None = None, n: int = 2000, seed: int = 20240101,
          pull: bool = True, pdf: bool = True, progress: Progress | None = None,
          allow_invalid: bool = False) -> SciResult:
    """Run the SCI pipeline and write ``scores.csv/.xlsx/.parquet``, ``validity.csv``, ``datapackage.json`` and the
    reports (``report_en``/``report_zh``, HTML and PDF) to ``out`` (default ``settings.home/out``), all or nothing
    (:func:`lmc.sci.outputs.publish`).

    Raises :class:`~lmc.sci.validity.InvalidBuildError`, writing nothing, when a known fact of the validity suite
    is not reproduced, unless ``allow_invalid`` (then the report lists the failures)."""
    settings = settings or get_settings()
    out_dir = Path(out) if out else settings.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)  # an unusable --out fails now, not after the computation
    t0 = time.perf_counter()
    result = run(settings, n=n, seed=seed, pull=pull, progress=progress)
    if result.validity is not None and not result.validity.ok and not allow_invalid:
        raise InvalidBuildError(result.validity)
    layers, _ = try_layers(settings)  # without the Natural Earth tables the report says the maps are missing
    key = digest("outputs", result.key, code_digest("reports", "sci"), pdf, layers is not None,
                 economic_corridor.digest())
    timings = dict(result.timings)
    cached = cached_files(out_dir, key)
    if cached is not None:
        for st in ("outputs", "report"):
            if progress:
                progress(st, 1, 1)
        timings["total"] = time.perf_counter() - t0
        return dataclasses.replace(result, out_dir=out_dir, files=cached, cached=True, timings=timings)
    with staging(out_dir) as stage:
        t = time.perf_counter()
        write_outputs(result, stage)
        if progress:
            progress("outputs", 1, 1)
        timings["outputs"] = time.perf_counter() - t
        t = time.perf_counter()
        economy = economic_corridor.load(settings)
        for i, lang in enumerate(LANGS):
            write_report(result, stage, lang, pdf=pdf, layers=layers, economy=economy)
            if progress:
                progress("report", i + 1, len(LANGS))
        timings["report"] = time.perf_counter() - t
        files = publish(stage, out_dir, key, {"years": [min(result.years), max(result.years)],
                                              "runs": result.uncertainty.runs, **data_release(settings, out_dir)})
    timings["total"] = time.perf_counter() - t0
    return dataclasses.replace(result, out_dir=out_dir, files=files, timings=timings)


def data_release(settings: Settings, out_dir: Path) -> dict:
    """What ``build.json`` records about the data of this build: when it was built, a fingerprint of every source
    (:func:`lmc.warehouse.query.source_fingerprints`) and, against the previous build in ``out_dir``, the sources
    whose files or retrieval changed since (``changes``; None for a first build). The front page tells it."""
    from lmc.sci.outputs import MANIFEST
    from lmc.warehouse.query import source_fingerprints

    now = source_fingerprints(settings)
    try:
        old = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    before = old.get("sources") if isinstance(old, dict) else None
    changes = None
    if isinstance(before, dict) and before:
        changed = [{"source": sid, "content": before.get(sid, {}).get("sha256") != fp["sha256"],
                    "retrieved": fp["retrieved"]} for sid, fp in now.items() if before.get(sid) != fp]
        changes = {"since": old.get("built"), "sources": changed,
                   "removed": sorted(set(before) - set(now))}
    return {"built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "sources": now, "changes": changes}
