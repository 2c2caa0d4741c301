"""`qdocs init`: a new project folder that validates and builds at once.

Two starting points: the commented skeleton in `skeleton/` (one region, one item
of each scoring method, sample data marked `sample: true`) or the bundled example
(the repository's `content/`, shipped in the wheel as `qdocs/_bundled_example`).
The project is laid out as qdocs expects by default, so `cd DIR && qdocs build`
works without options:

    DIR/content/…         the YAML files, each opening with a yaml-language-server line
    DIR/schemas/…         one JSON Schema per content file (`qdocs schema`)
    DIR/.gitignore        ignores build/
"""

from __future__ import annotations

import datetime
from pathlib import Path

from qdocs.errors import QdocsError, UsageError
from qdocs.reference.schemas import content_file, schema_comment, write_schemas

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
SKELETON_DIR = Path(__file__).resolve().parent / "skeleton"
# The skeleton's dates and 发文字号 carry the year the project is created in.
YEAR_MARK = "__YEAR__"


def bundled_example_dir() -> Path:
    """The bundled example: inside the package when pip-installed, else the checkout's."""
    installed = _PACKAGE_DIR / "_bundled_example"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "content"


def init_project(target: Path, *, example: bool = False, force: bool = False,
                 year: int | None = None) -> list[Path]:
    """Write a new project into `target`; the files written, content first.

    Refuses a folder that holds anything unless `force` (then files of the same
    name are replaced and others left alone).
    """
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(f"{target} is not empty; choose an empty or new folder, "
                         "or pass --force to write over files of the same name")
    source = bundled_example_dir() if example else SKELETON_DIR / "content"
    if not (source / "qdocs.yaml").is_file():
        raise QdocsError(f"the {'bundled example' if example else 'skeleton'} is missing "
                         f"from this installation ({source}); reinstall qdocs")
    try:
        return _write(source, target, example, year or datetime.date.today().year)
    except OSError as exc:
        raise QdocsError(f"cannot write the project into {target}: "
                         f"{exc.strerror or exc}") from exc


def _write(source: Path, target: Path, example: bool, year: int) -> list[Path]:
    written = []
    for path in sorted(source.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(source).as_posix()
        out = target / "content" / relative
        _refuse_links(target, out)
        out.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        spec = content_file(relative)
        if spec is not None:
            text = data.decode("utf-8")
            if not example:
                text = text.replace(YEAR_MARK, str(year))
            data = (schema_comment(spec) + text).encode("utf-8")
        out.write_bytes(data)
        written.append(out)
    _refuse_links(target, target / "schemas" / "x")
    written += write_schemas(target / "schemas")
    ignore = target / ".gitignore"
    _refuse_links(target, ignore)
    ignore.write_text("build/\n", encoding="utf-8")
    written.append(ignore)
    return written


def _refuse_links(target: Path, out: Path) -> None:
    """With --force a folder may hold links; never write through one to elsewhere."""
    for path in [out, *out.parents]:
        if path == target:
            return
        if path.is_symlink():
            raise UsageError(f"{path} is a symbolic link; qdocs init does not write through "
                             "links (remove it or choose another folder)")
