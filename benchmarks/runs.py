"""Run one measured build: in a fresh interpreter (`benchmarks.child`) or as `qdocs build`.

Both wait for the process and time it from the outside, so the wall time covers
interpreter start and imports, as a user sees them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.machine import CpuMeter, Load, settle
from benchmarks.synth import REPO

# Where measured processes run from: the working tree, or a snapshot of its code (see
# use_snapshot). Others edit qdocs while a run goes on, and a changed file changes the
# build key ("qdocs code changed"), so a no-op would rebuild everything.
_CODE = {"root": REPO, "env": None, "settle": 0.0}


def use_snapshot(dest: Path) -> str:
    """Copy qdocs/, templates/ and benchmarks/ to `dest`, compile them, and run every
    measured process from there; return a description of the code measured."""
    for name in ("qdocs", "templates", "benchmarks"):
        shutil.copytree(REPO / name, dest / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # A user's interpreter caches bytecode; PYTHONDONTWRITEBYTECODE (set here) would make
    # every process compile qdocs from source, so compile once, as an install does.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest / "qdocs"),
                    str(dest / "benchmarks")], check=False, capture_output=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(dest) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    _CODE.update(root=dest, env=env)
    return f"a snapshot of the working tree ({_git_state()}) copied to {dest}"


def live_code() -> str:
    return f"the working tree as it is during the run ({_git_state()})"


def set_settle(seconds: float) -> None:
    """Before each measured process, wait up to `seconds` for other processes to go quiet."""
    _CODE["settle"] = seconds


def _git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "qdocs", "templates"],
                               cwd=REPO, capture_output=True, text=True,
                               check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"HEAD {head}" + (f", {len(dirty)} changed or new paths under qdocs/ and "
                             "templates/" if dirty else ", clean")


def _prepare() -> None:
    if _CODE["settle"]:
        settle(_CODE["settle"])


@dataclass
class ChildRun:
    """An instrumented `build()` run in its own interpreter."""

    wall: float                 # the whole process: start, imports, build, exit
    result: dict                # what benchmarks.child reports
    load: Load = field(default_factory=Load)

    @property
    def build_seconds(self) -> float:
        return self.result["build_seconds"]

    @property
    def ok(self) -> bool:
        return not self.result["failed"]


def run_child(content: Path, build_dir: Path, *, jobs: int, targets: list[str] | None = None,
              formats: list[str] | None = None, force: bool = False,
              timeout: float | None = None) -> ChildRun:
    """`pipeline.build()` in a fresh interpreter, its stages timed (see benchmarks.child)."""
    with tempfile.TemporaryDirectory(prefix="qdocs-bench-run-") as tmp:
        request = {"content": str(content), "build_dir": str(build_dir), "jobs": jobs,
                   "targets": targets, "formats": formats, "force": force,
                   "worker_log": str(Path(tmp) / "workers.jsonl"),
                   "result": str(Path(tmp) / "result.json")}
        req = Path(tmp) / "request.json"
        req.write_text(json.dumps(request), encoding="utf-8")
        _prepare()
        with CpuMeter() as load:
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "benchmarks.child", str(req)],
                                  cwd=_CODE["root"], env=_CODE["env"], capture_output=True,
                                  text=True, timeout=timeout)
            wall = time.perf_counter() - t
        if proc.returncode != 0:
            raise RuntimeError(f"benchmark child failed ({proc.returncode}):\n"
                               f"{proc.stderr[-3000:]}")
        result = json.loads(Path(request["result"]).read_text(encoding="utf-8"))
    return ChildRun(wall, result, load)


@dataclass
class CliRun:
    """`qdocs build` as a subprocess."""

    wall: float
    returncode: int
    output: str
    load: Load = field(default_factory=Load)


def run_plain(cmd: list[str]) -> float:
    """Wall time of `cmd` run like the measured processes (same code, same folder)."""
    t = time.perf_counter()
    subprocess.run(cmd, cwd=_CODE["root"], env=_CODE["env"], capture_output=True, check=False)
    return time.perf_counter() - t


def qdocs_command() -> list[str]:
    """The installed `qdocs` script beside this interpreter, else the CLI through -c."""
    script = Path(sys.executable).parent / "qdocs"
    if script.exists() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("qdocs")
    if found:
        return [found]
    return [sys.executable, "-c", "from qdocs.cli import main; main()"]


def run_cli(content: Path, build_dir: Path, *, jobs: int | None = None,
            extra: list[str] | None = None) -> CliRun:
    """`qdocs build --content … --out …` (default -j: the cores), timed from outside."""
    cmd = qdocs_command() + ["build", "--content", str(content), "--out", str(build_dir)]
    if jobs:
        cmd += ["-j", str(jobs)]
    cmd += extra or []
    _prepare()
    with CpuMeter() as load:
        t = time.perf_counter()
        proc = subprocess.run(cmd, cwd=_CODE["root"], env=_CODE["env"], capture_output=True,
                              text=True)
        wall = time.perf_counter() - t
    return CliRun(wall, proc.returncode, (proc.stdout + proc.stderr).strip(), load)


def run_engine(html_files: list[Path], base_url: str, *, qdocs_pdf: bool = True,
               docx: bool = True, timeout: float | None = None) -> dict:
    """The engines' own times for `html_files`, sequential, in a fresh interpreter."""
    with tempfile.TemporaryDirectory(prefix="qdocs-bench-engine-") as tmp:
        request = {"files": [str(f) for f in html_files], "base_url": base_url,
                   "qdocs_pdf": qdocs_pdf, "docx": docx,
                   "result": str(Path(tmp) / "result.json")}
        req = Path(tmp) / "request.json"
        req.write_text(json.dumps(request), encoding="utf-8")
        _prepare()
        with CpuMeter() as load:
            proc = subprocess.run([sys.executable, "-m", "benchmarks.engine", str(req)],
                                  cwd=_CODE["root"], env=_CODE["env"], capture_output=True,
                                  text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"engine measurement failed ({proc.returncode}):\n"
                               f"{proc.stderr[-3000:]}")
        result = json.loads(Path(request["result"]).read_text(encoding="utf-8"))
    result["load"] = load.describe()
    return result
