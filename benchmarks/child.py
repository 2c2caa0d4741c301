"""One measured `build()` in a fresh interpreter: `python -m benchmarks.child REQUEST.json`.

Each measurement runs in its own process so that imports, caches and the process
pool start cold as they do for a user, and so that `getrusage(RUSAGE_CHILDREN)`
covers exactly this build's workers. The pipeline is not edited: its stages are
timed by wrapping the functions `qdocs.pipeline` calls (module attributes), and the
workers' steps by the pool's initializer (benchmarks.workers), forked or spawned.
A stage whose function no longer exists is reported as missing, never as zero.

The result is one JSON object written to the file named in the request.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks import workers

# Parent-side stages: name in qdocs.pipeline → stage label.
PIPELINE_STAGES = {
    "load_content": "load+validate",
    "load_and_score": "load+validate+score",
    "plan_targets": "contexts",
    "_select": "contexts",
    "load_profile": "setup",
    "template_dirs": "setup",
    "make_environment": "setup",
    "resolve_fonts": "setup",
    "fonts_fingerprint": "keys",
    "code_fingerprint": "keys",
    "template_closure": "keys",
    "target_components": "keys",
    "key_of": "keys",
    "_content_hashes": "keys",
    "plan_jobs": "plan",
    "score_summary": "report",
    "diff_scores": "report",
    "changes_json": "report",
    "write_if_changed": "report",
    "_write_index": "review site",   # index, page images, comparisons (qdocs/review)
}

class Clock:
    """Wall seconds, CPU seconds (this thread's: others' load does not count) and calls
    per label, for wrapped functions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.imagers: list = []     # the review site's page renderers (their thread's CPU)

    def wrap(self, label: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            t, c = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - t
                self.cpu[label] += time.thread_time() - c
                self.calls[label] += 1
        return timed


def _instrument(clock: Clock, worker_log: Path) -> list[str]:
    """Wrap the pipeline's stages and the runner's steps; return the names not found."""
    from qdocs import pipeline
    from qdocs.build import manifest as manifest_mod
    from qdocs.build import runner

    missing = []
    for name, label in PIPELINE_STAGES.items():
        if hasattr(pipeline, name):
            setattr(pipeline, name, clock.wrap(label, getattr(pipeline, name)))
        else:
            missing.append(f"qdocs.pipeline.{name}")
    for cls_attr, label in (("load", "manifest load"), ("save", "manifest save")):
        fn = getattr(manifest_mod.Manifest, cls_attr, None)
        if fn is None:
            missing.append(f"Manifest.{cls_attr}")
            continue
        wrapped = clock.wrap(label, fn.__func__ if cls_attr == "load" else fn)
        setattr(manifest_mod.Manifest, cls_attr,
                classmethod(wrapped) if cls_attr == "load" else wrapped)
    if hasattr(pipeline, "_page_images"):
        make = pipeline._page_images

        def page_images(*args, **kwargs):
            imager = make(*args, **kwargs)
            if imager is not None:
                clock.imagers.append(imager)
            return imager
        pipeline._page_images = page_images
    else:
        missing.append("qdocs.pipeline._page_images")
    if hasattr(pipeline, "run_jobs"):
        pipeline.run_jobs = _timed_generator(clock, "render+write (wait)", pipeline.run_jobs)
    else:
        missing.append("qdocs.pipeline.run_jobs")
    os.environ[workers.LOG_ENV] = str(worker_log)   # the fork server and its workers inherit it
    missing += workers.install(runner)
    return missing


def _timed_generator(clock: Clock, label: str, fn):
    """Time what happens inside the generator (waiting for the workers' results) as
    `label`, and its whole life, from the first job to the last outcome, as "run phase"
    (which also holds what the caller does between outcomes: saving the manifest)."""
    @functools.wraps(fn)
    def timed(*args, **kwargs):
        started = time.perf_counter()
        gen = fn(*args, **kwargs)
        try:
            while True:
                t = time.perf_counter()
                try:
                    item = next(gen)
                except StopIteration:
                    clock.seconds[label] += time.perf_counter() - t
                    return
                clock.seconds[label] += time.perf_counter() - t
                clock.calls[label] += 1
                yield item
        finally:
            clock.seconds["run phase"] += time.perf_counter() - started
    return timed


class WorkerMemory:
    """Sample each worker process's VmHWM/VmRSS from /proc while the build runs."""

    def __init__(self, interval: float = 0.05, every: float = 1.0) -> None:
        self.interval = interval
        self.every = every          # one point of the RSS series per worker this often
        self.peak: dict[int, dict[str, int]] = {}
        self.series: dict[int, list[tuple[float, int, int]]] = {}   # (s, VmRSS, RssAnon)
        self._t0 = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if Path("/proc/self/task").is_dir():
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in _children(os.getpid()):
                status = _status(pid)
                if not status:
                    continue
                seen = self.peak.setdefault(pid, {})
                for key in ("VmHWM", "VmRSS", "RssAnon"):
                    if key in status:
                        seen[key] = max(seen.get(key, 0), status[key])
                now = time.perf_counter() - self._t0
                points = self.series.setdefault(pid, [])
                if not points or now - points[-1][0] >= self.every:
                    points.append((round(now, 2), status.get("VmRSS", 0),
                                   status.get("RssAnon", 0)))
                    # Pss shares the font files and libraries out among the processes
                    # mapping them; Private is what this worker alone holds.
                    rollup = _status(pid, "smaps_rollup")
                    if rollup:
                        private = rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0)
                        seen["Pss"] = max(seen.get("Pss", 0), rollup.get("Pss", 0))
                        seen["Private"] = max(seen.get("Private", 0), private)


def _children(pid: int, *, workers: bool = True) -> list[int]:
    """The pool's workers: direct children, or the children of a fork server in their
    place (their own short-lived helpers are not workers: WeasyPrint's import runs
    ldconfig through ctypes.util.find_library)."""
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            found = [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except OSError:
            continue
        for child in found:
            if workers and _is_fork_server(child):
                out += _children(child, workers=False)
            else:
                out.append(child)
    return out


def _is_fork_server(pid: int) -> bool:
    try:
        return b"multiprocessing.forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _status(pid: int, name: str = "status") -> dict[str, int]:
    """kB values of /proc/<pid>/<name> (empty when the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/{name}").read_text()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            out[key] = int(value.split()[0])
    return out


def _worker_summary(log: Path) -> dict:
    """Per step: total seconds, CPU seconds and count; per target: its total in a worker."""
    steps: dict[str, dict[str, float]] = {}
    targets: dict[str, float] = {}
    targets_cpu: dict[str, float] = {}
    pids = set()
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            pids.add(r["pid"])
            s = steps.setdefault(r["step"], {"seconds": 0.0, "cpu": 0.0, "count": 0})
            s["seconds"] += r["s"]
            s["cpu"] += r.get("cpu", 0.0)
            s["count"] += 1
            if r["step"] == "target total":
                targets[r["target"]] = r["s"]
                targets_cpu[r["target"]] = r.get("cpu", 0.0)
    return {"steps": steps, "targets": targets, "targets_cpu": targets_cpu,
            "processes": len(pids), "pids": sorted(pids)}


def run(request: dict) -> dict:
    """Build as the request says; return timings, outcomes, memory and CPU."""
    imports_started = time.perf_counter()
    from qdocs import pipeline

    clock = Clock()
    log = Path(request["worker_log"])
    log.unlink(missing_ok=True)
    missing = _instrument(clock, log) if request.get("instrument", True) else []
    imports = time.perf_counter() - imports_started
    t = time.perf_counter()
    with WorkerMemory() as memory:
        report = pipeline.build(Path(request["content"]), Path(request["build_dir"]),
                                formats=request.get("formats"), targets=request.get("targets"),
                                force=request.get("force", False), jobs=request["jobs"])
        seconds = time.perf_counter() - t
        # The build does not wait for its workers to exit; wait here (not timed), and
        # for the fork server, so that RUSAGE_CHILDREN holds all their CPU.
        from qdocs.build import runner

        if hasattr(runner, "wait_for_workers"):
            runner.wait_for_workers(stop_server=True)
    self_usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "jobs": request["jobs"],
        "build_seconds": seconds,
        "report_seconds": report.seconds,
        "import_seconds": imports,
        "rebuilt": [[j.name, j.reason] for j in report.rebuilt],
        "skipped": len(report.skipped),
        "failed": report.failed,
        "stages": dict(clock.seconds),
        "stages_cpu": dict(clock.cpu),
        "stage_calls": dict(clock.calls),
        "page_images_cpu": sum(i.cpu for i in clock.imagers),
        "missing_hooks": missing,
        "workers": _worker_summary(log),
        "parent_maxrss_kb": self_usage.ru_maxrss,
        "children_maxrss_kb": children.ru_maxrss,
        "worker_peaks_kb": {str(pid): v for pid, v in memory.peak.items()},
        "worker_rss_series_kb": {str(pid): v for pid, v in memory.series.items()},
        "cpu_seconds": (self_usage.ru_utime + self_usage.ru_stime
                        + children.ru_utime + children.ru_stime),
    }


def main(argv: list[str]) -> None:
    request = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = run(request)
    Path(request["result"]).write_text(json.dumps(result, ensure_ascii=False),
                                       encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
