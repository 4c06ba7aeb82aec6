"""Step caching for ``lmc build``: each step's output is stored under a key hashed from its inputs (warehouse
provenance, framework and curated files, the code of the SCI packages, the options), so a second run with nothing
changed reads results instead of recomputing them (owid/etl's checksum idea)."""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

import lmc
from lmc.atomic import write_bytes


def digest(*parts: Any) -> str:
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, bytes):
            h.update(p)
        elif isinstance(p, Path):
            h.update(p.read_bytes() if p.is_file() else str(p).encode())
        else:
            h.update(json.dumps(p, sort_keys=True, default=str).encode())
        h.update(b"\x00")
    return h.hexdigest()[:20]


def code_digest(*packages: str) -> str:
    """Hash of the source files (.py, .yaml, templates) of the named subpackages of :mod:`lmc`."""
    root = Path(lmc.__file__).parent
    files: list[Path] = []
    for pkg in packages:
        base = root / pkg
        files += sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in {".py", ".yaml", ".yml", ".html",
                                                                                   ".css", ".j2", ".json"})
    return digest(lmc.__version__, *[(str(f.relative_to(root)), f.read_bytes().hex()) for f in files])


class StepCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, step: str, key: str) -> Path:
        return self.folder / f"{step}-{key}.pkl"

    def get(self, step: str, key: str) -> Any | None:
        p = self.path(step, key)
        if not p.is_file():
            return None
        try:
            with p.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a corrupt cache entry is recomputed, never fatal
            return None

    def put(self, step: str, key: str, value: Any) -> None:
        # keep one entry per step: older keys are removed
        for old in self.folder.glob(f"{step}-*.pkl"):
            if old.name != self.path(step, key).name:
                old.unlink(missing_ok=True)
        write_bytes(self.path(step, key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
