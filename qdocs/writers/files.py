"""Atomic file writing: a temporary file in the destination folder, then rename.

An interrupted or failed build never leaves a half-written output in place of
the previous one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qdocs.errors import OutputError, display_path

_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(dest: Path, data: bytes) -> None:
    """Write `data` to `dest` through a temporary file and os.replace.

    A system refusal (read-only folder, disk full) is an OutputError naming the file;
    the previous `dest` is untouched and the temporary file removed.
    """
    try:
        _write(dest, data)
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(dest)}: {exc.strerror or exc}") from None


def _write(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
