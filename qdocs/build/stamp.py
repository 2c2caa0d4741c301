"""The no-op fast path: decide "nothing changed" with the standard library alone.

A full no-op build loads and validates every YAML file, scores, plans every target
and hashes every output — 0.4 s for the example, 20 s at 3,000 regions — to find
that nothing changed. After each successful build, `write_stamp` records in the
build folder a fingerprint of everything a build reads (every content file and
template by content hash, the layout profile and qdocs's code by hash, the font
files and fontconfig's folders by size and date, SOURCE_DATE_EPOCH, the command's
formats and targets) and the size and modification time of every file the build
wrote. `up_to_date` recomputes that fingerprint and compares the outputs' sizes and
dates, before pydantic, PyYAML, Jinja2 or WeasyPrint are imported. Any difference,
however small, falls back to the full path, which decides by content hash as always;
so the stamp can only skip a build that the full path would also have skipped. An
output edited in place with its size and date restored is the one case it misses;
`--force` rebuilds regardless.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import qdocs

STAMP_NAME = "stamp.json"
STAMP_VERSION = 1
_FONTCONFIG_DIRS = ("/etc/fonts", "/etc/fonts/conf.d", "/var/cache/fontconfig",
                    "/usr/share/fonts", "/usr/local/share/fonts")


def bundled_templates_dir() -> Path:
    """The bundled templates: inside the package when pip-installed, else the checkout's."""
    package = Path(qdocs.__file__).resolve().parent
    installed = package / "_bundled_templates"
    return installed if installed.is_dir() else package.parent / "templates"


def fingerprint(content_dir: Path, build_dir: Path, formats: list[str] | None,
                targets: list[str] | None, font_files: list[str]) -> str:
    """A hash of everything a build of `content_dir` with these options reads."""
    h = hashlib.sha256(f"qdocs-stamp {STAMP_VERSION} {qdocs.__version__}\n".encode())
    request = {"build_dir": str(build_dir.resolve()), "formats": formats,
               "targets": sorted(targets or []),
               "epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    h.update(json.dumps(request, sort_keys=True).encode() + b"\n")
    _hash_tree(h, "content", content_dir)
    _hash_tree(h, "bundled", bundled_templates_dir())
    _hash_tree(h, "code", Path(qdocs.__file__).resolve().parent, suffixes=(".py", ".yaml"))
    for file in sorted(set(font_files)) + [d for d in _FONTCONFIG_DIRS]:
        try:
            st = os.stat(file)
            h.update(f"font {file} {st.st_size} {st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"font {file} absent\n".encode())
    return h.hexdigest()


def _hash_tree(h, label: str, root: Path, suffixes: tuple[str, ...] | None = None) -> None:
    """Every file under `root` (names and contents), in a stable order; caches skipped."""
    if not root.is_dir():
        h.update(f"{label} absent\n".encode())
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
        for name in sorted(filenames):
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
            h.update(f"{label} {os.path.relpath(path, root)} {digest}\n".encode())


def _file_state(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def write_stamp(build_dir: Path, print_: str, written: list[Path], counts: dict[str, int],
                font_files: list[str]) -> None:
    """Record the fingerprint and the state of every file the build left in `build_dir`."""
    from qdocs.build.report import write_if_changed

    files = {p.relative_to(build_dir).as_posix(): _file_state(p) for p in written}
    data = {"version": STAMP_VERSION, "fingerprint": print_, "fonts": sorted(set(font_files)),
            "files": files, "counts": counts}
    write_if_changed(build_dir / STAMP_NAME, json.dumps(data, sort_keys=True).encode() + b"\n")


def remove_stamp(build_dir: Path) -> None:
    """A build that writes anything first drops the stamp, so a failure leaves none."""
    try:
        (build_dir / STAMP_NAME).unlink()
    except OSError:
        pass


def up_to_date(content_dir: Path, out_dir: Path | None, formats: list[str] | None,
               targets: list[str] | None) -> dict[str, int] | None:
    """The last build's counts when nothing changed since it; None to take the full path."""
    build_dir = out_dir or guess_build_dir(content_dir)
    if build_dir is None:
        return None
    try:
        stamp = json.loads((build_dir / STAMP_NAME).read_text(encoding="utf-8"))
        if stamp.get("version") != STAMP_VERSION:
            return None
        for rel, state in stamp["files"].items():
            if state is None or _file_state(build_dir / rel) != state:
                return None
        if fingerprint(content_dir, build_dir, formats, targets,
                       stamp["fonts"]) != stamp["fingerprint"]:
            return None
        counts = stamp["counts"]
        return {k: int(v) for k, v in counts.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


_BUILD_DIR = re.compile(r"^build_dir:\s*(['\"]?)([^'\"#\n]+?)\1\s*(#.*)?$", re.MULTILINE)


def guess_build_dir(content_dir: Path) -> Path | None:
    """Where the project's build folder is, read from qdocs.yaml without a YAML parser.

    Only a guess: the stamp found there is trusted only if the fingerprint (which holds
    qdocs.yaml and the resolved build folder) matches."""
    try:
        text = (content_dir / "qdocs.yaml").read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    found = _BUILD_DIR.findall(text)
    if len(found) > 1:
        return None
    name = found[0][1].strip() if found else "build"
    return content_dir.parent / name
