"""Run stale targets: render the HTML once, write each format, on a reused process pool.

Workers receive only picklable target specs and return output hashes; the parent
keeps the manifest and records a target only after all its outputs exist
(doit's save_success). A failing target is reported and the others go on.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import resource_tracker
from pathlib import Path

from qdocs.build.keys import hash_bytes
from qdocs.build.plan import output_path
from qdocs.build.targets import TargetSpec
from qdocs.errors import QdocsError, display_path
from qdocs.writers.files import write_atomic
from qdocs.writers.glyphs import MissingGlyphs, check_docx_text, docx_font_files

RECYCLE_AFTER = 40  # targets a worker builds before a fresh one takes over
LONG_FIRST = ("bulletin", "notice", "annex-")


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to render: picklable, sent once per worker."""

    template_dirs: tuple[Path, ...]
    stylesheet: str              # print.css.j2, rendered once by the parent
    base_url: str
    created: datetime
    font_files: tuple[str, ...] = ()    # what a DOCX's characters must be found in
    font_overrides: tuple = ()   # the project's font roles: a Dask worker's fonts are checked


@dataclass(frozen=True)
class Outcome:
    name: str
    outputs: dict[str, str] | None   # format → sha256, None when it failed
    error: str | None = None


_state: dict = {}


def _init_worker(config: WorkerConfig, parent: int | None = None,
                 environ: dict[str, str] | None = None) -> None:
    """Per process: the profile, Jinja environment and URL fetcher, once.

    In a pool worker (`parent` is the build's pid) first: die with the parent, leave
    the parent's stdout and stderr (a caller reading them gets EOF as soon as the build
    ends; errors travel back as outcomes), and leave Ctrl-C to the parent. A worker
    forked from the fork server takes the build's environment (the server has the one
    of the first build of this process).
    """
    if parent is not None:
        _die_with(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)   # held while it was spawned
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
    if environ is not None and environ != os.environ:
        os.environ.clear()
        os.environ.update(environ)
    from qdocs.profile import load_profile
    from qdocs.render.templates import make_environment
    from qdocs.writers.fetcher import make_url_fetcher

    _state.update(config=config, profile=load_profile(),
                  env=make_environment(list(config.template_dirs)), css=config.stylesheet,
                  fetcher=make_url_fetcher(list(config.template_dirs)))


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """SIGKILL this process when its parent dies (Linux prctl), else a thread that polls.

    The parent is the build (`parent`), or the fork server, which exits as soon as no
    process holds its `alive` pipe: the build and, unless they let go of it, its workers
    (multiprocessing.forkserver passes it on to them)."""
    ppid = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux
        armed = False
    if os.getppid() != ppid or not _alive(parent):  # gone before the signal was armed
        os._exit(1)
    if ppid != parent and not _let_go_of_fork_server():
        armed = False               # the server could outlive the build: watch the build
    if not armed:
        def watch() -> None:
            while os.getppid() == ppid and _alive(parent):
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()


def _let_go_of_fork_server() -> bool:
    """Close this worker's copy of the fork server's `alive` pipe, so that the server
    exits (and this worker with it) as soon as the build has gone."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if not isinstance(fd, int):
        return False
    os.close(fd)
    server._forkserver_alive_fd = None
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def render_spec_html(spec: TargetSpec) -> str:
    """The semantic HTML of one target (in a worker, or in-process for -j 1)."""
    from qdocs.render.html import render_html

    return render_html(_state["env"], spec.template, spec.context, _state["css"],
                       _state["profile"], spec.sample, _state["config"].created)


def build_one(spec: TargetSpec, build_dir: Path, formats: tuple[str, ...]) -> Outcome:
    """Render one target and write its formats; never raises (failures are outcomes)."""
    made, error = make_outputs(spec, formats)
    if made is None:
        return Outcome(spec.name, None, error)
    try:
        # Every format is made before any is written: a target that fails in one format
        # keeps all its previous outputs.
        return write_outputs(spec.name, made, build_dir)
    except QdocsError as exc:       # an OutputError: disk full, read-only, …
        return Outcome(spec.name, None, str(exc))
    except OSError as exc:
        return Outcome(spec.name, None, _describe(exc))


def make_outputs(spec: TargetSpec,
                 formats: tuple[str, ...]) -> tuple[dict[str, bytes] | None, str | None]:
    """Render one target and make each format's bytes, writing nothing: (outputs, None),
    or (None, message). Shared by the process pool and the Dask executor."""
    from weasyprint.urls import FatalURLFetchingError  # here: a no-op build imports no engine

    try:
        html = render_spec_html(spec)
        if set(formats) & {"pdf", "docx"}:   # where the 版记 goes: all formats alike
            from qdocs.writers.layout import settle_html

            html = settle_html(html, _state["profile"], base_url=_state["config"].base_url,
                               url_fetcher=_state["fetcher"])
        return {fmt: _format_bytes(fmt, html, spec) for fmt in formats}, None
    except MissingGlyphs as exc:    # say which fields hold the characters
        return None, str(exc.located(spec.context))
    except QdocsError as exc:
        return None, str(exc)
    except FatalURLFetchingError as exc:  # a BaseException: a refused resource
        return None, str(exc.__cause__ or exc)
    except Exception as exc:  # noqa: BLE001 - reported per target, the build goes on
        return None, _describe(exc)


def write_outputs(name: str, made: dict[str, bytes], build_dir: Path) -> Outcome:
    """Write a target's outputs atomically, each into place, and return their hashes."""
    for fmt, data in made.items():
        write_atomic(output_path(build_dir, fmt, name), data)
    return Outcome(name, {fmt: hash_bytes(data) for fmt, data in made.items()})


def _format_bytes(fmt: str, html: str, spec: TargetSpec) -> bytes:
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        from qdocs.writers.pdf import render_pdf

        return render_pdf(html, _state["profile"], base_url=_state["config"].base_url,
                          url_fetcher=_state["fetcher"])
    if fmt == "docx":
        from qdocs.writers.docx import docx_bytes

        check_docx_text(html, _state["config"].font_files or _default_font_files())
        return docx_bytes(html, title=spec.context.get("doc_title", spec.name),
                          created=_state["config"].created)
    raise QdocsError(f"unknown format {fmt!r}")


def _default_font_files() -> tuple[str, ...]:
    """For a config made without them (a test's): the faces without project overrides."""
    from qdocs.fonts import resolve_fonts

    return docx_font_files(resolve_fonts())


def _describe(exc: BaseException) -> str:
    """A template error located in its template file; anything else with its type."""
    from qdocs.render.templates import template_problem

    problem = template_problem(exc)
    if problem is not None:
        return str(problem)
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None)
    if filename and lineno:
        return f"{display_path(filename)}:{lineno}: {type(exc).__name__}: {exc}"
    return f"{type(exc).__name__}: {exc}"


def run_jobs(specs: list[TargetSpec], config: WorkerConfig, build_dir: Path,
             formats: tuple[str, ...], jobs: int) -> Iterator[Outcome]:
    """Yield an Outcome per spec as each finishes; `jobs` ≤ 1 runs in this process.

    With more, even a single target goes to a worker: the fork server started before
    loading has imported the engines by now, which this process has not."""
    if not specs:  # a no-op build imports no engine
        return
    if jobs <= 1:
        _init_worker(config)
        for spec in specs:
            yield build_one(spec, build_dir, formats)
        return
    # Long documents first (the bulletin, the notice, annex 2), so no core idles at the
    # end waiting for one; the order of outcomes does not change any output.
    todo = sorted(specs, key=lambda s: not s.name.startswith(LONG_FIRST))[::-1]
    start_workers()
    _unwaited.clear()   # an earlier build's pools (`qdocs serve`) have reaped theirs
    while todo:
        # A worker killed by the system (out of memory) breaks the pool: the targets it
        # held fail, a fresh pool takes the rest.
        yield from _run_pool(todo, config, build_dir, formats, min(jobs, len(todo)))


# Imported once by the fork server, so that a worker forked from it starts with them.
WORKER_MODULES = ("qdocs.build.runner", "qdocs.writers.pdf", "qdocs.writers.docx",
                  "qdocs.writers.layout", "qdocs.render.html", "qdocs.render.templates",
                  "qdocs.writers.fetcher")


def _pool_context():
    """Workers forked from a fork server, not from this process and not spawned.

    Not forked from the build: a worker would carry the parent's memory (the content and
    results of thousands of regions). Not spawned: each worker (and each replacement
    after RECYCLE_AFTER targets) would start an interpreter and import WeasyPrint again
    (0.75 s of CPU measured). The fork server is a small interpreter that imports the
    engines once (WORKER_MODULES) and forks each worker from that state.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def start_workers() -> None:
    """Start the fork server (once per process) and the resource tracker, quietly.

    Called before loading, so the server imports WeasyPrint while this process loads,
    scores and plans. Both have /dev/null as stdout and stderr: holding the caller's
    pipes they would keep `x=$(qdocs build)` waiting, and nothing a worker prints
    (a traceback of a worker interrupted while starting) reaches the user.
    The server imports from this process's sys.path (PYTHONPATH for its start), so
    its qdocs is this one.
    """
    context = _pool_context()
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1), os.dup(2)
    path = os.environ.get("PYTHONPATH")
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        resource_tracker.ensure_running()
        if context.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            context.set_forkserver_preload(list(WORKER_MODULES))
            os.environ["PYTHONPATH"] = os.pathsep.join(
                os.path.abspath(p) for p in sys.path if isinstance(p, str))
            forkserver.ensure_running()
    finally:
        if path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = path
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (devnull, *saved):
            os.close(fd)


def _run_pool(todo: list[TargetSpec], config: WorkerConfig, build_dir: Path,
              formats: tuple[str, ...], jobs: int) -> Iterator[Outcome]:
    """Run `todo` (popped from its end) on one pool until it is empty or the pool breaks."""
    # A worker is replaced after RECYCLE_AFTER targets, as WeasyPrint's caches grow in a
    # long run (measured: 46 → 244 MB over 300 cards).
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                               initargs=(config, os.getpid(), dict(os.environ)),
                               mp_context=_pool_context(), max_tasks_per_child=RECYCLE_AFTER)
    pending: dict[Future, TargetSpec] = {}
    finished = False
    try:
        while todo or pending:
            # Keep only a few queued per worker so Ctrl-C stops promptly.
            while todo and len(pending) < 2 * jobs:
                spec = todo.pop()
                with _signals_held():
                    pending[pool.submit(build_one, spec, build_dir, formats)] = spec
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                spec = pending.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    yield Outcome(spec.name, None, WORKER_DIED)
                    for spec in pending.values():
                        yield Outcome(spec.name, None, WORKER_DIED)
                    pending.clear()
                    return
                except Exception as exc:  # noqa: BLE001 - reported per target
                    yield Outcome(spec.name, None, _describe(exc))
        finished = True
    except BaseException:
        # Ctrl-C, SIGTERM, or the caller stopped: stop the workers now rather than
        # letting them finish (their half-written files are temporary files).
        _kill_workers(pool)
        raise
    finally:
        # Every result is in: the workers exit on their own while the build writes its
        # index and manifest (the pool's thread reaps them; measured 0.2 s saved).
        reaper = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=not finished, cancel_futures=True)
        if finished and isinstance(reaper, threading.Thread):
            _unwaited.append(reaper)


_unwaited: list[threading.Thread] = []   # the pools' threads that reap their workers


def wait_for_workers(stop_server: bool = False) -> None:
    """Wait until the workers of the last build have exited; with `stop_server`, stop the
    fork server too and wait for it (the benchmarks then count all their CPU time)."""
    while _unwaited:
        _unwaited.pop().join()
    if stop_server and _pool_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver._forkserver._stop()


WORKER_DIED = ("its worker process died (killed by the system, perhaps out of memory); "
               "the other targets went on")


HELD = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the pool may start a worker.

    A spawned worker is started, then sent its preparation data through a pipe: an
    interrupt between the two leaves it reading a closed pipe and printing
    multiprocessing's EOFError traceback (and Ctrl-C reaching a worker still importing
    prints a KeyboardInterrupt one). Blocked here, the signals stay blocked in the child
    until its initializer ignores SIGINT and unblocks them; the pool's manager thread,
    started by the first submit, inherits the mask, so the workers it starts in place of
    recycled ones are covered too. A signal meant for this process is caught meanwhile
    by a recording handler (Python runs handlers in the main thread, whichever thread
    the kernel chose) and raised again on leaving. A worker forked from the fork server
    does not inherit this mask, but writes to the server's /dev/null (start_workers), and
    the preparation data it reads is written while the signals are held here.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    saved = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in HELD}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        for signum, handler in saved.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(caught):
            signal.raise_signal(signum)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):
            pass


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)

