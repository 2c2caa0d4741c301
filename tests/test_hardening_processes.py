"""Processes: one build at a time per folder, no worker outlives its build, a worker
killed by the system fails only the targets it held.

The kill tests run a real `qdocs build -j 2` in its own session, kill it mid-build
(SIGKILL, SIGTERM), then require that within 5 s no process of its session is left
(read from /proc) and that a caller reading its stdout and stderr gets EOF.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hardening import (
    CARDS,
    clone,
    command,
    env_with_repo,
    intact,
    manifest,
    mismatches,
    no_traceback,
    run,
    snapshot,
)

from qdocs.build.outputs import build_lock
from qdocs.build.runner import WORKER_DIED


@pytest.fixture
def project(built_html, tmp_path, monkeypatch) -> Path:
    root = clone(built_html, tmp_path / "p")
    monkeypatch.chdir(root)
    return root


# --- /proc -------------------------------------------------------------------------------------

def _stat(pid: str) -> tuple[str, int, int] | None:
    """(state, ppid, process group) of a process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[2])


def session_processes(pgid: int) -> list[int]:
    """Live (not zombie) processes of the process group `pgid`."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(entry)) and st[2] == pgid and st[0] != "Z":
            out.append(int(entry))
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def start_build(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(command("build", "--content", "content", "--out", "build", *args),
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, env=env_with_repo())


def wait_for(condition, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"the build ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def fork_servers(pid: int) -> list[int]:
    return [p for p in session_processes(pid) if "forkserver" in cmdline(p)
            and _stat(str(p)) and _stat(str(p))[1] == pid]


def workers(pid: int) -> list[int]:
    """The pool's workers: the fork server's children, seen twice 10 ms apart (the
    ldconfig that its import of WeasyPrint runs has the server's command line too, for
    the moment between its fork and its exec)."""
    def forked() -> set[int]:
        servers = fork_servers(pid)
        return {p for p in session_processes(pid) if (st := _stat(str(p)))
                and st[1] in servers and "forkserver" in cmdline(p)}

    first = forked()
    if not first:
        return []
    time.sleep(0.01)
    return sorted(first & forked())


def working(pid: int) -> bool:
    """Both workers of the build started: each ignores SIGINT (its initializer ran, so it
    holds a target now; a process forked from the fork server catches SIGINT until then)."""
    found = workers(pid)
    return len(found) == 2 and all(_ignores_sigint(w) for w in found)


def _ignores_sigint(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    ignored = next(int(line.split()[1], 16) for line in status.splitlines()
                   if line.startswith("SigIgn:"))
    return bool(ignored & (1 << (signal.SIGINT - 1)))


# --- killing the build -------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_a_parallel_build_leaves_no_process_and_closes_its_output(project, sig):
    proc = start_build(project, "--force", "-j", "2", "--format", "html,pdf", *CARDS)
    wait_for(lambda: working(proc.pid), proc)       # mid-build: both workers render
    time.sleep(0.3)
    assert any("resource_tracker" in cmdline(p) for p in session_processes(proc.pid))
    os.kill(proc.pid, sig)
    killed = time.monotonic()
    out, err = proc.communicate(timeout=5)           # EOF on both pipes, within 5 s
    while session_processes(proc.pid) and time.monotonic() - killed < 5:
        time.sleep(0.05)
    assert session_processes(proc.pid) == [], [cmdline(p) for p in session_processes(proc.pid)]
    assert time.monotonic() - killed < 5
    if sig == signal.SIGTERM:                        # handled as Ctrl-C
        assert proc.returncode == 128 + signal.SIGTERM
        assert err.decode().strip().endswith(
            "interrupted: earlier outputs and the manifest are intact")
    else:
        assert proc.returncode == -signal.SIGKILL
    no_traceback(out.decode(), err.decode())
    assert mismatches(Path("build")) == []           # the manifest vouches for true files
    assert len(list(Path("build").rglob(".*.tmp"))) <= 2   # at most one per worker


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT] * 3, ids=["SIGTERM", "Ctrl-C"] * 3)
def test_stopping_a_build_while_its_workers_start_prints_no_traceback(project, sig):
    """The stop falls while a worker is being spawned, before its initializer ran: once,
    the worker was left reading a closed pipe and printed multiprocessing's EOFError
    traceback (Ctrl-C, sent to the whole group as a terminal does, a KeyboardInterrupt one).
    """
    proc = start_build(project, "--force", "-j", "2", "--format", "html", *CARDS)
    deadline = time.monotonic() + 120
    while not workers(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert workers(proc.pid), "no worker appeared"
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else os.kill(proc.pid, sig)
    out, err = proc.communicate(timeout=30)
    no_traceback(out.decode(), err.decode())
    assert proc.returncode in (130, 128 + signal.SIGTERM), err.decode()
    stopped = time.monotonic()
    while session_processes(proc.pid) and time.monotonic() - stopped < 5:
        time.sleep(0.05)
    assert session_processes(proc.pid) == []


def test_a_worker_killed_by_the_system_fails_its_targets_and_the_build_goes_on(project):
    before = snapshot(Path("build"))
    proc = start_build(project, "--force", "-j", "2", "--format", "pdf", *CARDS[:5])
    wait_for(lambda: working(proc.pid), proc)
    os.kill(workers(proc.pid)[0], signal.SIGKILL)    # as the out-of-memory killer does
    killed = time.time()
    out, err = (b.decode() for b in proc.communicate(timeout=120))
    no_traceback(out, err)
    assert proc.returncode == 1
    failed = [t for t in CARDS[:5] if f"error: {t}: {WORKER_DIED}" in err]
    built = [t for t in CARDS[:5] if f"  built {t}: forced" in out]
    assert failed and built and sorted(failed + built) == sorted(CARDS[:5]), (out, err)
    assert f"{len(built)} built, 0 skipped, {len(failed)} failed" in out
    # The build went on after the kill, on a fresh pool.
    assert any(Path(f"build/pdf/{t}.pdf").stat().st_mtime > killed for t in built)
    entries = manifest(Path("build"))["targets"]
    for target in failed:       # their previous entry (HTML only) and files are untouched
        assert set(entries[target]["outputs"]) == {"html"}
        assert snapshot(Path("build"))[f"html/{target}.html"] == before[f"html/{target}.html"]
    for target in built:
        assert set(entries[target]["outputs"]) == {"pdf"}
    assert mismatches(Path("build")) == []


# --- the build lock ----------------------------------------------------------------------------

def test_no_wait_names_the_process_that_holds_the_build_folder(project, capsys):
    before = snapshot(Path("build"))
    with build_lock(Path("build"), wait=False):
        code, out, err = run(["build", "--content", "content", "--out", "build", "--format",
                              "html", "-j", "1", "--force", "--no-wait", "notice"], capsys)
    assert (code, out) == (2, "")
    assert err == (f"error: another build (process {os.getpid()}) is writing to build; wait "
                   "for it, or run again without --no-wait to wait\n")
    intact(Path("build"), before)


def test_a_second_build_waits_for_the_first(project):
    before = snapshot(Path("build"))
    with build_lock(Path("build"), wait=False):
        proc = start_build(project, "--force", "-j", "1", "--format", "html", "notice")
        ready, _, _ = select.select([proc.stderr], [], [], 60)
        assert ready, "no message while waiting"
        line = proc.stderr.readline().decode()
        assert line == (f"waiting for another build (process {os.getpid()}) to finish writing "
                        "to build …\n")
        time.sleep(0.5)
        assert proc.poll() is None                   # still waiting, nothing written
        assert snapshot(Path("build")) == before
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"1 built, 0 skipped, 0 failed" in out
    assert mismatches(Path("build")) == []


def test_two_builds_at_once_leave_a_true_manifest(project):
    procs = [start_build(project, "--force", "-j", "1", "--format", "html", "notice",
                         CARDS[0]) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    for out, err in results:
        no_traceback(out.decode(), err.decode())
    assert mismatches(Path("build")) == []
    assert set(manifest(Path("build"))["targets"]) == {"notice", "annex-1", *CARDS}


# --- builds one after another in one process (`qdocs serve`) -----------------------------------

REPEATED_BUILDS = """
import os, sys, time
from pathlib import Path
from qdocs.pipeline import build

def children(pid):
    return sorted(int(c) for t in os.listdir(f"/proc/{pid}/task")
                  for c in Path(f"/proc/{pid}/task/{t}/children").read_text().split())

for _ in range(3):
    report = build(Path("content"), Path("build"), formats=["html"], targets=sys.argv[1:],
                   force=True, jobs=2)
    assert report.ok, report.failed
    deadline = time.monotonic() + 10
    while True:     # the build did not wait for its workers: they exit on their own
        left = [g for c in children(os.getpid()) for g in children(c)]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    print(children(os.getpid()), left, flush=True)
"""


def test_builds_in_one_process_reuse_the_fork_server_and_leave_no_worker(project):
    done = subprocess.run([*command()[:1], "-c", REPEATED_BUILDS, *CARDS[:4]], cwd=project,
                          capture_output=True, text=True, env=env_with_repo(), timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    # The same two children after every build (the fork server, the resource tracker),
    # and none of the workers they forked is left.
    assert len(set(lines)) == 1 and lines[0].endswith(" []"), lines
    assert lines[0].count(",") == 1, lines


def test_a_worker_from_the_fork_server_takes_the_builds_environment(tmp_path, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor
    from datetime import UTC, datetime

    from qdocs.build import runner

    runner.start_workers()          # the server starts without the variable
    monkeypatch.setenv("QDOCS_TEST_LATER", "set after the fork server started")
    config = runner.WorkerConfig((tmp_path,), "", tmp_path.as_uri(), datetime.now(UTC))
    with ProcessPoolExecutor(1, mp_context=runner._pool_context(),
                             initializer=runner._init_worker,
                             initargs=(config, os.getpid(), dict(os.environ))) as pool:
        seen = pool.submit(os.getenv, "QDOCS_TEST_LATER").result(timeout=60)
    assert seen == "set after the fork server started"
