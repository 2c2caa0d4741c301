"""Figures against other routes to the same documents: LibreOffice, `--version`, Dask.

- PDFs sooner than LibreOffice: a cold `qdocs build --format pdf` ÷ one `soffice
  --headless --convert-to pdf` run over the example's own DOCX (what a user of the
  python-docx → LibreOffice route would run).
- No-op `qdocs build` ÷ `qdocs --version`: the fast path against the interpreter floor.
- Dask on a LocalCluster: per-task overhead (Dask wall − the pool's wall, over the
  targets) and the speed-up from one worker to two.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.report import Figure
from benchmarks.runs import qdocs_command, run_cli, run_plain
from benchmarks.synth import copy_example

LIBREOFFICE_RATIO_TARGET = 0.8
NOOP_VERSION_TARGET = 2.0
DASK_OVERHEAD_TARGET_MS = 15.0


def bench_routes(tmp: Path, *, repeat: int, jobs: int, log) -> tuple[list[Figure], dict]:
    content = copy_example(tmp / "content")
    figures: list[Figure] = []
    raw: dict = {}

    log(f"routes: cold `qdocs build --format pdf` ×{repeat}")
    pdf_runs = [run_cli(content, tmp / f"pdf-{i}", jobs=jobs, extra=["--format", "pdf"])
                for i in range(repeat)]
    pdf_wall = min(r.wall for r in pdf_runs)
    docx_build = tmp / "docx"
    run_cli(content, docx_build, jobs=jobs, extra=["--format", "docx"])
    docx_files = sorted((docx_build / "docx").glob("*.docx"))
    office = shutil.which("soffice")
    if office and docx_files:
        log(f"routes: soffice --convert-to pdf of {len(docx_files)} DOCX ×{repeat}")
        lo = [_soffice(office, docx_files, tmp / f"lo-{i}") for i in range(repeat)]
        lo_wall = min(lo)
        figures.append(Figure(
            "cold PDFs: `qdocs build --format pdf` ÷ LibreOffice converting qdocs's DOCX",
            pdf_wall / lo_wall, "×", "<=", LIBREOFFICE_RATIO_TARGET,
            f"qdocs {pdf_wall:.2f} s (-j {jobs}) ÷ one soffice run {lo_wall:.2f} s over "
            f"{len(docx_files)} files (start-up included, own profile)"))
        raw["libreoffice"] = {"qdocs_pdf": pdf_wall, "soffice": lo}
    else:
        figures.append(Figure("cold PDFs ÷ LibreOffice", None, "×", "<=",
                              LIBREOFFICE_RATIO_TARGET, "soffice not installed"))

    log(f"routes: no-op `qdocs build` and `qdocs --version` ×{repeat}")
    built = tmp / "pdf-0"
    noop = min(run_cli(content, built, extra=["--format", "pdf"]).wall for _ in range(repeat))
    version = min(run_plain(qdocs_command() + ["--version"]) for _ in range(repeat))
    figures.append(Figure("no-op `qdocs build` ÷ `qdocs --version`", noop / version, "×", "<=",
                          NOOP_VERSION_TARGET, f"{noop:.3f} s ÷ {version:.3f} s"))
    raw["noop"] = {"build": noop, "version": version}

    log("routes: Dask LocalCluster against the local pool")
    figures += _dask_figures(content, tmp, raw)
    return figures, raw


def _soffice(office: str, files: list[Path], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qdocs-bench-lo-") as profile:
        cmd = [office, f"-env:UserInstallation=file://{profile}", "--headless",
               "--convert-to", "pdf", "--outdir", str(out)] + [str(f) for f in files]
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, timeout=600)
        return time.perf_counter() - t


def _dask_figures(content: Path, tmp: Path, raw: dict) -> list[Figure]:
    """Build every card in-process on the pool (-j 1, -j 2) and on Dask (1 and 2 workers)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        return [Figure("Dask overhead per task", None, "ms", "<=", DASK_OVERHEAD_TARGET_MS,
                       "dask.distributed not installed")]
    from qdocs.build import dask_executor
    from qdocs.pipeline import build

    cards = [f"card-{p.stem}" for p in sorted((content / "assessments").glob("*.yaml"))]
    times: dict[str, float] = {}
    for jobs in (1, 2):
        t = time.perf_counter()
        build(content, tmp / f"pool-{jobs}", targets=cards, formats=["pdf"], jobs=jobs)
        times[f"pool-{jobs}"] = time.perf_counter() - t
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            # Warm the workers (imports, fonts) as the pool's start-up is warmed by its
            # first target: the overhead asked for is per task, not per worker start.
            client.run(dask_executor.font_fingerprint, ())
            t = time.perf_counter()
            build(content, tmp / f"dask-{workers}", targets=cards, formats=["pdf"],
                  executor="dask", scheduler=cluster.scheduler_address)
            times[f"dask-{workers}"] = time.perf_counter() - t
    raw["dask"] = times
    overhead = (times["dask-1"] - times["pool-1"]) / len(cards) * 1000
    return [
        Figure("Dask overhead per task (1 worker vs -j 1)", overhead, "ms", "<=",
               DASK_OVERHEAD_TARGET_MS,
               f"{len(cards)} cards, PDF: Dask 1 worker {times['dask-1']:.2f} s, "
               f"pool -j 1 {times['pool-1']:.2f} s (both include their worker start-up)"),
        Figure("Dask speed-up, 1 → 2 workers", times["dask-1"] / times["dask-2"], "×",
               note=f"{times['dask-1']:.2f} s → {times['dask-2']:.2f} s on this machine's "
                    f"2 cores; the pool: -j 1 {times['pool-1']:.2f} s, -j 2 "
                    f"{times['pool-2']:.2f} s"),
    ]
