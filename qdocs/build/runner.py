"""Run stale targets: render the HTML once, write each format, on a reused process pool.

Workers receive only picklable target specs and return output hashes; the parent
keeps the manifest and records a target only after all its outputs exist
(doit's save_success). A failing target is reported and the others go on.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qdocs.build.keys import hash_bytes
from qdocs.build.plan import output_path
from qdocs.build.targets import TargetSpec
from qdocs.errors import QdocsError
from qdocs.writers.files import write_atomic

RECYCLE_AFTER = 40  # targets a worker builds before a fresh one takes over
LONG_FIRST = ("bulletin", "notice", "annex-")


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to render: picklable, sent once per worker."""

    template_dirs: tuple[Path, ...]
    font_overrides: tuple[tuple[str, tuple[str, ...]], ...]
    base_url: str
    created: datetime


@dataclass(frozen=True)
class Outcome:
    name: str
    outputs: dict[str, str] | None   # format → sha256, None when it failed
    error: str | None = None


_state: dict = {}


def _init_worker(config: WorkerConfig) -> None:
    """Per process: the profile, fonts, Jinja environment and rendered stylesheet, once."""
    from qdocs.fonts import resolve_fonts
    from qdocs.profile import load_profile
    from qdocs.render.stylesheet import stylesheet_context
    from qdocs.render.templates import make_environment
    from qdocs.writers.fetcher import make_url_fetcher

    profile = load_profile()
    env = make_environment(list(config.template_dirs))
    fonts = resolve_fonts(config.font_overrides)
    css = env.get_template("print.css.j2").render(**stylesheet_context(profile, fonts))
    _state.update(config=config, profile=profile, env=env, css=css,
                  fetcher=make_url_fetcher(list(config.template_dirs)))


def render_spec_html(spec: TargetSpec) -> str:
    """The semantic HTML of one target (in a worker, or in-process for -j 1)."""
    from qdocs.render.html import render_html

    return render_html(_state["env"], spec.template, spec.context, _state["css"],
                       _state["profile"], spec.sample, _state["config"].created)


def build_one(spec: TargetSpec, build_dir: Path, formats: tuple[str, ...]) -> Outcome:
    """Render one target and write its formats; never raises (failures are outcomes)."""
    from weasyprint.urls import FatalURLFetchingError  # here: a no-op build imports no engine

    try:
        html = render_spec_html(spec)
        # Every format is made before any is written: a target that fails in one format
        # keeps all its previous outputs.
        made = {fmt: _format_bytes(fmt, html, spec) for fmt in formats}
        for fmt, data in made.items():
            write_atomic(output_path(build_dir, fmt, spec.name), data)
        return Outcome(spec.name, {fmt: hash_bytes(data) for fmt, data in made.items()})
    except QdocsError as exc:
        return Outcome(spec.name, None, str(exc))
    except FatalURLFetchingError as exc:  # a BaseException: a refused resource
        return Outcome(spec.name, None, str(exc.__cause__ or exc))
    except Exception as exc:  # noqa: BLE001 - reported per target, the build goes on
        return Outcome(spec.name, None, _describe(exc))


def _format_bytes(fmt: str, html: str, spec: TargetSpec) -> bytes:
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        from qdocs.writers.pdf import render_pdf

        return render_pdf(html, _state["profile"], base_url=_state["config"].base_url,
                          url_fetcher=_state["fetcher"])
    if fmt == "docx":
        from qdocs.writers.docx import docx_bytes

        return docx_bytes(html, title=spec.context.get("doc_title", spec.name),
                          created=_state["config"].created)
    raise QdocsError(f"unknown format {fmt!r}")


def _describe(exc: BaseException) -> str:
    """A template error located in its template file; anything else with its type."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{frame.filename}:{frame.lineno}: {type(exc).__name__}: {exc}"
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None)
    if filename and lineno:
        return f"{filename}:{lineno}: {type(exc).__name__}: {exc}"
    return f"{type(exc).__name__}: {exc}"


def run_jobs(specs: list[TargetSpec], config: WorkerConfig, build_dir: Path,
             formats: tuple[str, ...], jobs: int) -> Iterator[Outcome]:
    """Yield an Outcome per spec as each finishes; `jobs` ≤ 1 runs in this process."""
    if not specs:  # a no-op build imports no engine
        return
    if jobs <= 1 or len(specs) <= 1:
        _init_worker(config)
        for spec in specs:
            yield build_one(spec, build_dir, formats)
        return
    # Spawned, not forked: a worker does not carry the parent's memory (the content and
    # results of thousands of regions), and it is replaced after RECYCLE_AFTER targets, as
    # WeasyPrint's caches grow in a long run (measured: 46 → 244 MB over 300 cards).
    with ProcessPoolExecutor(max_workers=min(jobs, len(specs)), initializer=_init_worker,
                             initargs=(config,), mp_context=multiprocessing.get_context("spawn"),
                             max_tasks_per_child=RECYCLE_AFTER) as pool:
        pending: dict[Future, TargetSpec] = {}
        # Long documents first (the bulletin, the notice, annex 2), so no core idles at the
        # end waiting for one; the order of outcomes does not change any output.
        todo = sorted(specs, key=lambda s: not s.name.startswith(LONG_FIRST))[::-1]

        def submit() -> None:
            # Keep only a few queued per worker so Ctrl-C stops promptly.
            while todo and len(pending) < 2 * jobs:
                spec = todo.pop()
                pending[pool.submit(build_one, spec, build_dir, formats)] = spec

        submit()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                spec = pending.pop(fut)
                try:
                    yield fut.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker fails its target
                    yield Outcome(spec.name, None, _describe(exc))
            submit()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)

