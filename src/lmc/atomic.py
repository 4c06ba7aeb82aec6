"""Writes that never leave half a file: write a temporary sibling, then swap it in with ``os.replace``.

The one place for the observatory's rule "bad input or a crash never loses or half-writes data". The temporary
file sits in the target's folder (so ``os.replace`` is an atomic rename on the same file system), is hidden (a
leading dot) and keeps the target's suffix, so libraries that infer a format from the name (pandas, matplotlib,
openpyxl) behave as for the real file. On any failure the temporary file is removed and the old target stays.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on a clean exit it replaces ``path``, on an exception it is removed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix or ".tmp", dir=target.parent)
    except OSError as exc:  # name the file asked for, not the temporary one
        raise type(exc)(exc.errno, exc.strerror, str(target)) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary readable files
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> int:
    """Atomically write ``data`` to ``path``; returns the number of bytes written."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return len(data)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> int:
    """Atomically write ``text`` (no newline translation); returns the number of bytes written."""
    return write_bytes(path, text.encode(encoding))
