"""`qdocs serve`: build, serve the build folder on 127.0.0.1, rebuild on every save.

The main thread builds and watches (watchfiles); the HTTP server answers from its own
threads. A build that fails keeps the last good outputs and tells every open page
why, as `qdocs validate` words it; the next good build reloads them. SIGINT and SIGTERM
stop the watch, the server and any build in progress, and leave no process behind.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from qdocs.errors import QdocsError
from qdocs.serve.server import HOME, BuildState, ReviewServer


def serve(content_dir: Path, build_dir: Path | None = None, *, host: str = "127.0.0.1",
          port: int = 8000, formats: list[str] | None = None, jobs: int = 1,
          echo: Callable[[str], None] = print) -> None:
    """Serve until SIGINT or SIGTERM; raises QdocsError when the port cannot be bound."""
    from watchfiles import watch

    from qdocs.render.templates import template_dirs

    build_dir = build_dir or default_build_dir(content_dir)
    state = BuildState()
    try:
        server = ReviewServer((host, port), build_dir, state)
    except OSError as exc:
        raise QdocsError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None
    stop = threading.Event()
    building = threading.Event()

    def on_signal(signum, frame) -> None:
        stop.set()
        if building.is_set():           # stop the build now; its outputs stay intact
            raise KeyboardInterrupt

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="qdocs-serve", daemon=True)
    try:
        thread.start()
        bound_host, bound_port = server.server_address[:2]
        echo(f"serving {build_dir} on http://{bound_host}:{bound_port}{HOME} "
             "(Ctrl-C stops)")
        _build(content_dir, build_dir, formats, jobs, state, building, echo)
        watched = [content_dir, *[d for d in template_dirs(content_dir)
                                  if not d.is_relative_to(content_dir)]]
        for changes in watch(*watched, stop_event=stop, raise_interrupt=False,
                             debounce=800, step=100):
            names = sorted({Path(p).name for _, p in changes})
            echo(f"changed: {', '.join(names)}")
            _build(content_dir, build_dir, formats, jobs, state, building, echo)
    except KeyboardInterrupt:
        pass
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        echo("stopped")


def default_build_dir(content_dir: Path) -> Path:
    """The project's build folder as its settings name it, or `build/` beside the content
    when the settings cannot be read (the first build will say why)."""
    try:
        from qdocs.content.located import validate_document
        from qdocs.content.models import Settings
        from qdocs.content.yamlsource import read_yaml

        settings = validate_document(read_yaml(content_dir / "qdocs.yaml"), Settings)
        return content_dir.parent / settings.build_dir
    except (QdocsError, OSError):
        return content_dir.parent / "build"


def _build(content_dir: Path, build_dir: Path, formats: list[str] | None, jobs: int,
           state: BuildState, building: threading.Event,
           echo: Callable[[str], None]) -> None:
    """One incremental build; its outcome goes to the terminal and to the pages."""
    from qdocs.pipeline import build

    started = time.perf_counter()
    building.set()
    try:
        report = build(content_dir, build_dir, formats=formats, jobs=jobs)
    except QdocsError as exc:
        lines = [f"error: {line}" for line in str(exc).splitlines()]
        for line in lines:
            echo(line)
        echo(f"build failed in {time.perf_counter() - started:.2f} s; "
             "the last good outputs stay")
        state.failed(lines)
        return
    finally:
        building.clear()
    lines = [f"error: {name}: {error}" for name, error in report.failed.items()]
    for line in lines:
        echo(line)
    echo(f"{len(report.rebuilt) - len(report.failed)} built, {len(report.skipped)} skipped, "
         f"{len(report.failed)} failed in {report.seconds:.2f} s")
    state.finished()
    if lines:
        state.failed(lines)
