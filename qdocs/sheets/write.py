"""Writing files atomically, with environment faults as messages (never a traceback)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qdocs.errors import QdocsError, display_path


def save_workbook(wb, path: Path) -> None:
    """Save `wb` to `path` through a temporary file renamed into place."""
    _atomic(path, lambda f: wb.save(f))


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file renamed into place."""
    _atomic(path, lambda f: f.write(data))


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 `text` to `path` through a temporary file renamed into place."""
    _atomic(path, lambda f: f.write(text.encode("utf-8")))


def _atomic(path: Path, write) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise QdocsError(f"{display_path(path)}: cannot write: {exc.strerror or exc}") from None
