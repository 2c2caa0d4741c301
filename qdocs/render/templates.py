"""The Jinja2 environment: autoescape, StrictUndefined, project templates over bundled ones.

Content is data: YAML values reach templates only as variables, never as template
source, so `{{ }}` typed by a user prints literally.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import meta

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
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        source, filename, _ = env.loader.get_source(env, current)
        seen[current] = Path(filename)
        if current not in refs:
            found = list(meta.find_referenced_templates(env.parse(source)))
            if None in found:
                raise jinja2.TemplateError(
                    f"{filename}: a computed template name; name included templates literally")
            refs[current] = found
        todo.extend(refs[current])
    return dict(sorted(seen.items()))
