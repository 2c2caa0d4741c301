"""Where outputs may go, checked before anything is written; one build at a time.

The build folder named in qdocs.yaml stays inside the project (content decides
nothing outside it); `--out` is the user's own choice and may go anywhere but into
the content. Inside the build folder qdocs writes only real folders and files, never
through a link (a `build/html` that links to `content/` would turn a build into an
overwrite of the content). An exclusive lock on `<build>/.qdocs.lock` keeps two
builds from writing one folder (a manifest vouching for the other build's files).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from qdocs.errors import EXIT_BAD_INPUT, OutputError, QdocsError, UsageError, display_path

LOCK_NAME = ".qdocs.lock"


class BuildLocked(QdocsError):
    """Another build holds the folder and the user asked not to wait. Exit 2."""

    exit_code = EXIT_BAD_INPUT


def check_out_dir(content_dir: Path, build_dir: Path) -> None:
    """The output folder must not be inside (or contain) the content folder."""
    content, out = content_dir.resolve(), build_dir.resolve()
    if out == content or out.is_relative_to(content) or content.is_relative_to(out):
        raise UsageError(f"the output directory {build_dir} must not be inside (or contain) "
                         f"the content directory {content_dir}")


def outside_project(content_dir: Path, build_dir: str) -> str | None:
    """Why `build_dir` (from qdocs.yaml) is refused, or None: it must stay in the project."""
    project = content_dir.parent.resolve()
    target = (content_dir.parent / build_dir).resolve()
    if not target.is_relative_to(project) or target == project:
        return (f"must be a folder inside the project {project} (it leads to {target}); "
                "use `--out` to build elsewhere")
    return None


def prepare_folders(build_dir: Path, formats: list[str]) -> None:
    """Create the build folder and one folder per format, refusing files and links."""
    _folder(build_dir, "the output folder", allow_link=True)
    for fmt in formats:
        _folder(build_dir / fmt, f"the {fmt} output folder", allow_link=False)
        real = (build_dir / fmt).resolve()
        if not real.is_relative_to(build_dir.resolve()):  # a link higher up
            raise UsageError(f"{_shown(build_dir / fmt)} leads to {real}, outside the "
                             "output folder; refused")


def check_outputs(paths: list[Path]) -> None:
    """Every output about to be written is a regular file or absent (never a link or folder)."""
    for path in paths:
        if path.is_symlink():
            raise UsageError(f"{_shown(path)} is a link (to {os.readlink(path)}); "
                             "qdocs writes its outputs only as plain files: remove the link")
        if path.exists() and not path.is_file():
            raise UsageError(f"{_shown(path)} is a folder (or another non-file) where "
                             "qdocs writes an output: move it away")


def _shown(path: Path) -> str:
    """`path` as given, relative to the working directory: links not followed."""
    rel = os.path.relpath(os.path.abspath(path))
    return str(path) if rel.startswith("..") else rel


def _folder(path: Path, what: str, *, allow_link: bool) -> None:
    if path.is_symlink() and not allow_link:
        raise UsageError(f"{what} {_shown(path)} is a link (to {os.readlink(path)}); "
                         "qdocs writes only into real folders: remove the link")
    if path.exists() and not path.is_dir():
        raise UsageError(f"{what} {_shown(path)} is not a folder: move the file "
                         "away or choose another output folder with --out")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {what} {display_path(path)}: "
                          f"{exc.strerror or exc}") from None


@contextmanager
def build_lock(build_dir: Path, *, wait: bool,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `build_dir` while the block runs.

    The kernel releases it when the process ends, however it ends (even SIGKILL);
    the file stays (deleting a lock file lets two builds hold two different files).
    """
    path = build_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {display_path(build_dir)}: "
                          f"{exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise BuildLocked(f"another build ({holder}) is writing to "
                                  f"{display_path(build_dir)}; wait for it, or run again "
                                  "without --no-wait to wait") from None
            if on_wait:
                on_wait(f"waiting for another build ({holder}) to finish writing to "
                        f"{display_path(build_dir)} …")
            fcntl.flock(fd, fcntl.LOCK_EX)
        mine = f"{os.getpid()}\n".encode()
        if os.pread(fd, 64, 0) != mine:  # a no-op build writes nothing, not even this
            os.ftruncate(fd, 0)
            os.pwrite(fd, mine, 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"
