"""The Jinja2 environment: a sandbox, autoescape, StrictUndefined, project templates first.

Content is data: YAML values reach templates only as variables, never as template
source, so `{{ }}` typed by a user prints literally. Templates are code the user can
edit (`content/templates/` overrides the bundled ones), so every template runs in an
immutable sandbox with an explicit list of filters and globals: a template reads its
variables and nothing else (no `__globals__`, no `os`, no mutation of the context).
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path

import jinja2
from jinja2 import meta, nodes
from jinja2.defaults import DEFAULT_FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range
from jinja2.utils import Namespace

from qdocs.errors import ContentError, Problem, display_path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

# The filters a template may use: pure functions of their arguments (the bundled templates
# use join and safe; the others are the plain text and list helpers of Jinja2).
FILTERS = ("abs", "attr", "batch", "capitalize", "center", "count", "d", "default",
           "dictsort", "e", "escape", "first", "float", "format", "groupby", "indent", "int",
           "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject",
           "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr",
           "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim",
           "truncate", "unique", "upper", "wordcount")
# Globals: range (the sandbox's bounded one) and namespace; no lipsum, cycler or joiner.
GLOBALS = {"range": safe_range, "namespace": Namespace}


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
        own = content_dir / "templates"
        if not own.resolve().is_relative_to(content_dir.resolve()):
            raise ContentError([Problem(display_path(own), None, None, "", (
                f"is a link to {own.resolve()}, outside the project; "
                "refused: templates must live in the project"))])
        dirs.append(own)
    dirs.append(bundled_templates_dir())
    return dirs


class _FolderLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a file (or link) leading outside its folder."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        for root in self.searchpath:
            if filename.startswith(os.path.join(root, "")):
                real = Path(filename).resolve()
                if not real.is_relative_to(Path(root).resolve()):
                    raise ContentError([Problem(display_path(filename), None, None, "", (
                        f"is a link to {real}, outside the template folder {root}; "
                        "refused"))])
                break
        return source, filename, uptodate


def make_environment(dirs: list[Path]) -> jinja2.Environment:
    """A fresh sandboxed environment over `dirs` (one per process; never shared)."""
    env = ImmutableSandboxedEnvironment(
        loader=_FolderLoader([str(d) for d in dirs]),
        # Everything is escaped except the stylesheet, which is CSS, not HTML.
        autoescape=_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters = {name: DEFAULT_FILTERS[name] for name in FILTERS}
    env.globals = dict(GLOBALS)
    return env


def _escape(name: str | None) -> bool:
    return name is None or not name.endswith(".css.j2")


def template_closure(env: jinja2.Environment, name: str,
                     cache: dict[str, list[str]] | None = None) -> dict[str, Path]:
    """Every template `name` uses through extends and include, with the file that serves it.

    Templates name their parts with literal strings (no computed names), so the
    closure is known before rendering and can be hashed into a build key. A template
    that includes or extends itself, directly or through others, is refused here:
    rendering it would only end in a RecursionError.
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
    _refuse_loop(name, refs, seen)
    return dict(sorted(seen.items()))


def _refuse_loop(name: str, refs: dict[str, list[str]], files: dict[str, Path]) -> None:
    """ContentError when `name` reaches itself again through include/extends/import."""
    path: list[str] = []
    done: set[str] = set()

    def visit(current: str) -> None:
        if current in path:
            loop = path[path.index(current):] + [current]
            raise ContentError([Problem(display_path(files[loop[-2]]), None, None, "", (
                "templates include or extend each other in a loop: "
                + " → ".join(loop)))])
        if current in done:
            return
        path.append(current)
        for ref in refs.get(current, []):
            visit(ref)
        path.pop()
        done.add(current)

    visit(name)


def compile_problems(env: jinja2.Environment, files: dict[str, Path]) -> list[Problem]:
    """Faults that show only when a template is compiled (an unknown filter or test) or
    that the sandbox would refuse on any path through it (a `_private` attribute)."""
    problems = []
    for name in files:
        source, filename, _ = env.loader.get_source(env, name)
        shown = display_path(filename)
        try:
            env.compile(source, name, filename)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(shown, exc.lineno, None, "", f"template error: {exc.message}"))
            continue
        tree = env.parse(source, name, filename)
        # Jinja defers an unknown filter or test inside an `if` to the render that reaches it.
        for node in tree.find_all((nodes.Filter, nodes.Test)):
            known, what = ((env.filters, "filter") if isinstance(node, nodes.Filter)
                           else (env.tests, "test"))
            if node.name not in known:
                problems.append(Problem(shown, node.lineno, None, "",
                                        f"template error: No {what} named {node.name!r}."))
        by_line: dict[int, Problem] = {}  # one a line: the innermost, first as read
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            attr = node.attr if isinstance(node, nodes.Getattr) else (
                node.arg.value if isinstance(node.arg, nodes.Const) else None)
            if isinstance(attr, str) and attr.startswith("_"):
                by_line[node.lineno] = Problem(shown, node.lineno, None, "", (
                    f"reads {attr!r}: templates run in a sandbox and may not use "
                    "internal attributes"))
        problems += [by_line[line] for line in sorted(by_line)]
    return problems


def template_problem(exc: BaseException) -> Problem | None:
    """An exception raised while rendering, located in the template line that raised it
    (None when no template is on its traceback)."""
    kind = ("refused by the template sandbox" if isinstance(exc, SecurityError)
            else type(exc).__name__)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return Problem(display_path(frame.filename), frame.lineno, None, "",
                           f"{kind}: {exc}")
    return None
