"""Run stale targets on a dask.distributed cluster, for batches larger than one machine.

The planner, keys and manifest stay in this process, as with the local pool. Each
stale target is one task: its inputs are the target spec (plain data), the template
files and the settings (sent once, as a scattered bundle); its result is the bytes
of each format. This process writes them atomically and hashes them, as the local
pool's workers do, so the outputs and the manifest are the same whichever executor
made them.

A worker that has other fonts would lay out other PDFs, so every worker's fonts are
fingerprinted (the font files' contents) and a worker whose fingerprint differs
from this machine's is given no target; a task that lands on such a worker anyway
(one that joined later) fails with a message instead of writing a different PDF.
Tasks are retried when a worker is lost; Ctrl-C cancels what is queued.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from qdocs.build.runner import Outcome, WorkerConfig, write_outputs
from qdocs.build.targets import TargetSpec
from qdocs.errors import QdocsError

RETRIES = 2                      # a task is run again this often when its worker is lost
CONNECT_TIMEOUT_S = 20


@dataclass(frozen=True)
class Bundle:
    """What every task needs besides its spec: the settings and the template files' bytes."""

    config: WorkerConfig
    templates: tuple[tuple[tuple[str, bytes], ...], ...]   # per search-path folder: (name, bytes)
    fonts: str                                              # the client's font fingerprint
    digest: str                                             # identifies the bundle on workers


def make_bundle(config: WorkerConfig) -> Bundle:
    """Read the template folders once; the worker recreates them in a folder of its own."""
    folders = []
    for folder in config.template_dirs:
        files = sorted((p.relative_to(folder).as_posix(), p.read_bytes())
                       for p in Path(folder).rglob("*") if p.is_file())
        folders.append(tuple(files))
    fonts = font_fingerprint(config.font_overrides)
    h = hashlib.sha256(fonts.encode())
    for files in folders:
        for name, data in files:
            h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        h.update(b"\1")
    h.update(repr((config.font_overrides, config.base_url, config.created)).encode())
    h.update(config.stylesheet.encode())
    return Bundle(config, tuple(folders), fonts, h.hexdigest()[:16])


_font_prints: dict[tuple, str] = {}


def font_fingerprint(overrides: tuple) -> str:
    """A hash of the resolved font files' contents (paths and dates differ between machines)."""
    if overrides not in _font_prints:
        from qdocs.fonts import font_files, resolve_fonts

        fonts = resolve_fonts(overrides)
        h = hashlib.sha256()
        files = font_files(fonts)
        for role, font in sorted(fonts.items()):
            h.update(f"{role}\0{font.family}\0".encode())
        for file in files:
            with open(file, "rb") as f:
                h.update(hashlib.file_digest(f, "sha256").digest())
        _font_prints[overrides] = h.hexdigest()
    return _font_prints[overrides]


_ready: dict[str, str] = {}       # bundle digest → "" when initialised here, else the refusal


def _prepare(bundle: Bundle) -> str:
    """On a worker: recreate the template folders and initialise the renderer, once per bundle.

    Returns "" when ready, or why this worker must not build (other fonts)."""
    if bundle.digest in _ready:
        return _ready[bundle.digest]
    mine = font_fingerprint(bundle.config.font_overrides)
    if mine != bundle.fonts:
        _ready[bundle.digest] = (
            "this Dask worker has other fonts than the machine that planned the build "
            f"(fingerprint {mine[:12]} ≠ {bundle.fonts[:12]}); its PDFs would differ: install "
            "the same fonts there (scripts/setup.sh) or stop that worker")
        return _ready[bundle.digest]
    from qdocs.build.runner import _init_worker

    root = Path(tempfile.gettempdir()) / f"qdocs-dask-{bundle.digest}"
    dirs = []
    for n, files in enumerate(bundle.templates):
        folder = root / str(n)
        for name, data in files:
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_file() or path.read_bytes() != data:
                path.write_bytes(data)
        dirs.append(folder)
    _init_worker(replace(bundle.config, template_dirs=tuple(dirs)))
    _ready.clear()                # the renderer holds one bundle at a time
    _ready[bundle.digest] = ""
    return ""


def dask_task(spec: TargetSpec, formats: tuple[str, ...],
              bundle: Bundle) -> tuple[dict[str, bytes] | None, str | None]:
    """One target on a worker: (format → bytes, None) or (None, message). Never raises for a
    target's own fault, so Dask's retries are left for lost workers."""
    from qdocs.build.runner import make_outputs

    refusal = _prepare(bundle)
    if refusal:
        return None, refusal
    return make_outputs(spec, formats)


def _worker_fonts(overrides: tuple) -> str:
    return font_fingerprint(overrides)


def run_jobs_dask(specs: list[TargetSpec], config: WorkerConfig, build_dir: Path,
                  formats: tuple[str, ...], scheduler: str | None) -> Iterator[Outcome]:
    """Yield an Outcome per spec as its task finishes on the cluster at `scheduler`.

    `scheduler` None starts a LocalCluster on this machine (for tests and trials)."""
    if not specs:
        return
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise QdocsError("the Dask executor needs dask.distributed: "
                         "pip install 'distributed>=2024.1'") from None
    bundle = make_bundle(config)
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise QdocsError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    futures = []
    try:
        prints = client.run(_worker_fonts, config.font_overrides)
        good = [w for w, fp in prints.items() if fp == bundle.fonts]
        if not good:
            raise QdocsError(
                f"no Dask worker at {scheduler or 'the local cluster'} has this machine's fonts "
                f"({len(prints)} worker(s) checked); install the same fonts on the workers")
        shared = client.scatter(bundle, broadcast=True)
        futures = [client.submit(dask_task, spec, formats, shared, key=f"qdocs-{spec.name}-"
                                 f"{bundle.digest}", workers=good, allow_other_workers=False,
                                 retries=RETRIES, pure=False)
                   for spec in specs]
        names = {f.key: spec.name for f, spec in zip(futures, specs, strict=True)}
        for future in as_completed(futures):
            name = names[future.key]
            try:
                made, error = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost task fails its target only
                yield Outcome(name, None, f"Dask task failed: {type(exc).__name__}: {exc}")
                continue
            if made is None:
                yield Outcome(name, None, error)
                continue
            try:
                yield write_outputs(name, made, build_dir)
            except OSError as exc:
                yield Outcome(name, None, f"cannot write {name}: {exc}")
    except KeyboardInterrupt:
        client.cancel(futures)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
