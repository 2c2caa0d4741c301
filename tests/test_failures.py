"""Failures lose nothing: a failing target, an interruption, a SIGKILL mid-build.

A target that fails keeps its previous outputs, the other targets still build,
the summary names the failure and the exit status is 1. A build stopped part way
(Ctrl-C, or SIGKILL in a real subprocess) leaves a manifest that parses and
describes files that really exist, and the next build finishes the work.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hardening import manifest, mismatches
from test_bad_input import run, snapshot, sub

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "templates"


def build(capsys, *args: str) -> tuple[int, str, str]:
    """`qdocs build --content content --out build -j 1 …` in the current directory."""
    return run(["build", "--content", "content", "--out", "build", "-j", "1", *args], capsys)




def override(content: Path, template: str, after: str, line: str) -> int:
    """Copy a bundled template into the project, add `line` after the line `after`;
    return the added line's number."""
    lines = (BUNDLED / template).read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(after + "\n") + 1
    lines.insert(at, line + "\n")
    dest = content / "templates" / template
    dest.parent.mkdir(exist_ok=True)
    dest.write_text("".join(lines), encoding="utf-8")
    return at + 1


# --- a target that fails -----------------------------------------------------------------------

def test_a_failing_target_keeps_its_outputs_and_the_others_build(example, monkeypatch, capsys):
    monkeypatch.chdir(example.parent)
    assert build(capsys, "--format", "html")[0] == 0
    before, old = snapshot(Path("build")), manifest(Path("build"))

    line = override(example, "bulletin.html.j2", "{% block content %}", "{{ no_such_variable }}")
    sub("notice.yaml", "title: 湖北省", "title: （修订）湖北省")(example)
    code, out, err = build(capsys, "--format", "html", "--force", "-j", "2")

    assert code == 1
    assert err == ("error: bulletin: content/templates/bulletin.html.j2:"
                   f"{line}: UndefinedError: 'no_such_variable' is undefined\n")
    assert " FAILED bulletin: forced\n" in out
    assert re.search(r"^20 built, 0 skipped, 1 failed in \d+\.\d\d s$", out, re.M)
    # the failing target: its previous output and its manifest entry, untouched
    assert Path("build/html/bulletin.html").read_bytes() == before["html/bulletin.html"]
    assert manifest(Path("build"))["targets"]["bulletin"] == old["targets"]["bulletin"]
    # the others were built, with the edit, and recorded
    assert "（修订）" in Path("build/html/notice.html").read_text(encoding="utf-8")
    assert manifest(Path("build"))["targets"]["notice"] != old["targets"]["notice"]
    assert mismatches(Path("build")) == []

    # mended: the kept output is the bulletin of the inputs as they are now, so nothing runs
    shutil.rmtree(example / "templates")
    code, out, err = build(capsys, "--format", "html")
    assert (code, err) == (0, "")
    assert re.search(r"^0 built, 21 skipped, 0 failed in", out, re.M)
    assert Path("build/html/bulletin.html").read_bytes() == before["html/bulletin.html"]
    assert mismatches(Path("build")) == []


def test_a_target_failing_in_one_format_keeps_all_its_previous_outputs(
        example, monkeypatch, capsys):
    pytest.importorskip("qdocs.writers.docx", reason="the DOCX writer is not importable yet")
    monkeypatch.chdir(example.parent)
    assert build(capsys, "--format", "html", "annex-1")[0] == 0
    before = snapshot(Path("build"))

    # an element the DOCX writer does not know: the HTML renders, the DOCX fails
    override(example, "annex.html.j2", "{% block content %}", "<marquee>滚动</marquee>")
    code, _, err = build(capsys, "--format", "html,docx", "annex-1")

    assert code == 1
    assert err.startswith("error: annex-1: ")
    assert Path("build/html/annex-1.html").read_bytes() == before["html/annex-1.html"]


# --- interrupted builds ------------------------------------------------------------------------

class _StopAt:
    """os.replace that raises KeyboardInterrupt at its n-th call: Ctrl-C at an exact point."""

    def __init__(self, n: int):
        self.n, self.calls, self.real = n, [], os.replace

    def __call__(self, src, dst):
        self.calls.append(Path(dst).name)
        if len(self.calls) == self.n:
            raise KeyboardInterrupt
        return self.real(src, dst)


def _interrupted(example, monkeypatch, capsys, n: int) -> tuple[dict[str, bytes], _StopAt]:
    """A finished HTML build, an edit of the notice, then a build stopped at rename `n`."""
    monkeypatch.chdir(example.parent)
    assert build(capsys, "--format", "html")[0] == 0
    before = snapshot(Path("build"))
    sub("notice.yaml", "title: 湖北省", "title: （修订）湖北省")(example)
    stop = _StopAt(n)
    monkeypatch.setattr(os, "replace", stop)
    code, _, err = build(capsys, "--format", "html")
    monkeypatch.setattr(os, "replace", stop.real)
    assert code == 130
    assert err.strip() == "interrupted: earlier outputs and the manifest are intact"
    return before, stop


def test_an_interruption_before_any_rename_changes_nothing(example, monkeypatch, capsys):
    before, stop = _interrupted(example, monkeypatch, capsys, 1)
    assert stop.calls == ["manifest.json"]        # the notice leaves the manifest first
    assert snapshot(Path("build")) == before      # no temporary file left either


def test_the_build_after_an_interruption_repairs_everything(example, monkeypatch, capsys):
    _, stop = _interrupted(example, monkeypatch, capsys, 3)
    # The third rename is the manifest or changes.json, as the manifest's timing decides.
    assert stop.calls[:2] == ["manifest.json", "notice.html"]
    code, out, _ = build(capsys, "--format", "html")
    assert code == 0
    assert "  built notice: " in out
    assert mismatches(Path("build")) == []
    assert "（修订）" in Path("build/html/notice.html").read_text(encoding="utf-8")


def test_an_interruption_never_leaves_the_manifest_describing_a_replaced_file(
        example, monkeypatch, capsys):
    _interrupted(example, monkeypatch, capsys, 2)
    assert mismatches(Path("build")) == []


# --- SIGKILL, in a real subprocess -------------------------------------------------------------

KILL_TARGETS = ["annex-1", "card-420100", "card-420200", "card-420300", "card-420500",
                "card-420600"]


def test_sigkill_part_way_leaves_outputs_and_manifest_valid(example, monkeypatch, capsys):
    monkeypatch.chdir(example.parent)
    assert build(capsys, "--format", "html")[0] == 0          # the previous build
    old = manifest(Path("build"))

    proc = subprocess.Popen(
        [sys.executable, "-c", "from qdocs.cli import main; main()", "build",
         "--content", "content", "--out", "build", "--force", "-j", "1",
         "--format", "html,pdf", *KILL_TARGETS],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    pdf = Path("build/pdf")
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if pdf.is_dir() and len(list(pdf.glob("*.pdf"))) >= 2:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"finished before the kill: {stderr}"

    now = manifest(Path("build"))                       # parses: saved atomically
    assert mismatches(Path("build")) == []              # it vouches only for true files
    # Targets being rebuilt leave the manifest until their new outputs exist; the others
    # stay, and no output file is lost.
    assert set(now["targets"]) <= set(old["targets"])
    assert set(old["targets"]) - set(KILL_TARGETS) <= set(now["targets"])
    done = [t for t in KILL_TARGETS if "pdf" in now["targets"].get(t, {}).get("outputs", {})]
    assert 1 <= len(done) < len(KILL_TARGETS), "killed part way"
    for target in KILL_TARGETS:
        assert Path(f"build/html/{target}.html").is_file()
    # A temporary file may remain from the write the kill interrupted: hidden, never
    # listed in the manifest, and at most one (one job).
    leftovers = sorted(p.name for p in Path("build").rglob(".*.tmp"))
    assert len(leftovers) <= 1, leftovers
    assert all(p.startswith(".") for p in leftovers)

    code, out, err = build(capsys, "--format", "html,pdf", *KILL_TARGETS)
    assert (code, err) == (0, "")
    assert re.search(rf"^{len(KILL_TARGETS) - len(done)} built, {len(done)} skipped, "
                     r"0 failed in", out, re.M)
    assert mismatches(Path("build")) == []
    assert all("pdf" in manifest(Path("build"))["targets"][t]["outputs"] for t in KILL_TARGETS)
