"""The Jinja2 environment: autoescape, StrictUndefined, project templates over bundled ones.

Content is data: YAML values reach templates only as variables, never as template
source, so `{{ }}` typed by a user prints literally.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import meta

from qdocs.errors import ContentError, Problem, display_path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def bundled_templates_dir() -> Path:
    """The bundled templates: inside the package when pip-installed, else the checkout's."""
    installed = _PACKAGE_DIR / "_bundled_templates"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "templates"


def template_dirs(content_dir: Path | None) -> list[Path]:
    """Search path: the project's own `templates/` (overrides), then the bundled ones."""
    dirs = []
    if content_dir is not None and (content_dir / "templates").is_dir():
        dirs.append(content_dir / "templates")
    dirs.append(bundled_templates_dir())
    return dirs


def make_environment(dirs: list[Path]) -> jinja2.Environment:
    """A fresh environment over `dirs` (one per process; environments are not shared)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        # Everything is escaped except the stylesheet, which is CSS, not HTML.
        autoescape=_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _escape(name: str | None) -> bool:
    return name is None or not name.endswith(".css.j2")


def template_closure(env: jinja2.Environment, name: str,
                     cache: dict[str, list[str]] | None = None) -> dict[str, Path]:
    """Every template `name` uses through extends and include, with the file that serves it.

    Templates name their parts with literal strings (no computed names), so the
    closure is known before rendering and can be hashed into a build key.
    """
    refs = {} if cache is None else cache  # template name → the names it references
    seen: dict[str, Path] = {}
    todo: list[tuple[str, str | None]] = [(name, None)]  # (template, the file including it)
    while todo:
        current, includer = todo.pop()
        if current in seen:
            continue
        try:
            source, filename, _ = env.loader.get_source(env, current)
        except jinja2.TemplateNotFound:
            where = display_path(includer) if includer else current
            raise ContentError([Problem(where, None, None, "", (
                f"includes {current!r}, which no template folder holds" if includer
                else "no template folder holds this template"))]) from None
        seen[current] = Path(filename)
        if current not in refs:
            try:
                found = list(meta.find_referenced_templates(env.parse(source, current, filename)))
            except jinja2.TemplateSyntaxError as exc:
                raise ContentError([Problem(display_path(filename), exc.lineno, None, "",
                                            f"template syntax error: {exc.message}")]) from None
            if None in found:
                raise ContentError([Problem(display_path(filename), None, None, "",
                                            "a computed template name; name templates literally")])
            refs[current] = found
        todo.extend((ref, filename) for ref in refs[current])
    return dict(sorted(seen.items()))
