"""Worker-side timings for benchmarks.child, installed by the pool's initializer.

The parent replaces `qdocs.build.runner._init_worker` with `instrumented_init`; each
worker, forked or spawned (and each replacement of a recycled one), runs it first,
so it wraps that process's own runner functions and appends one JSON line per step
to the file named by $QDOCS_BENCH_WORKER_LOG. A build run in-process (-j 1) is timed
the same way.
"""

from __future__ import annotations

import functools
import json
import os
import time

LOG_ENV = "QDOCS_BENCH_WORKER_LOG"

# Runner functions timed in a worker: name → step label.
STEPS = {
    "render_spec_html": "html (jinja)",
    "write_atomic": "write+fsync",
}

_original_init = None      # set in the parent; a spawned worker finds the original itself
_installed_in: int | None = None


def install(runner) -> list[str]:
    """In the parent: make the pool's initializer `instrumented_init`; return what is missing."""
    global _original_init
    missing = [f"qdocs.build.runner.{name}"
               for name in ("_init_worker", "build_one", "_format_bytes", *STEPS)
               if not hasattr(runner, name)]
    if hasattr(runner, "_init_worker"):
        _original_init = runner._init_worker
        runner._init_worker = instrumented_init
    return missing


def instrumented_init(*args, **kwargs):
    """The pool's initializer: wrap this process's runner, then run the real initializer."""
    from qdocs.build import runner

    original = _original_init or runner._init_worker
    if original is instrumented_init:
        raise RuntimeError("benchmarks.workers: the original _init_worker is lost")
    age = _process_age()
    if age is not None and _original_init is None:
        # A spawned worker: its interpreter start, imports and unpickling came first.
        _log({"step": "worker spawn", "s": age, "cpu": time.process_time()})
    _wrap_runner(runner)
    t, c = time.perf_counter(), time.thread_time()
    try:
        return original(*args, **kwargs)
    finally:
        _log({"step": "worker init", "s": time.perf_counter() - t,
              "cpu": time.thread_time() - c})


def _process_age() -> float | None:
    """Seconds since this process started (Linux /proc), or None."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _log(record: dict) -> None:
    path = os.environ.get(LOG_ENV)
    if path:
        record["pid"] = os.getpid()
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")


def _wrap_runner(runner) -> None:
    """Wrap the runner's steps in this process, once."""
    global _installed_in
    if _installed_in == os.getpid():
        return
    _installed_in = os.getpid()
    for name, label in STEPS.items():
        if hasattr(runner, name):
            setattr(runner, name, _timed(label, getattr(runner, name)))
    if hasattr(runner, "_format_bytes"):
        runner._format_bytes = _timed_format(runner._format_bytes)
    if hasattr(runner, "build_one"):
        runner.build_one = _timed("target total", runner.build_one,
                                  target=lambda args: getattr(args[0], "name", "?"))


def _timed(label: str, fn, target=None):
    @functools.wraps(fn)
    def timed(*args, **kwargs):
        t, c = time.perf_counter(), time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            record = {"step": label, "s": time.perf_counter() - t,
                      "cpu": time.thread_time() - c}
            if target is not None:
                record["target"] = target(args)
            _log(record)
    return timed


def _timed_format(fn):
    """_format_bytes(fmt, html, spec): one step per format (pdf, docx, html)."""
    @functools.wraps(fn)
    def timed(fmt, html, spec, *args, **kwargs):
        t, c = time.perf_counter(), time.thread_time()
        try:
            return fn(fmt, html, spec, *args, **kwargs)
        finally:
            _log({"step": fmt, "target": getattr(spec, "name", "?"),
                  "s": time.perf_counter() - t, "cpu": time.thread_time() - c})
    return timed
