"""Environment faults and bugs are messages, never tracebacks; outputs stay intact.

Each case breaks the machine around a build the way it happens in an office (a file
where the output folder should be, a read-only or full disk, a closed pipe, an ASCII
terminal, a damaged manifest, a broken PDF handed to `check`) and asserts the exit
status, the message, and that the previous outputs and manifest are as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hardening import (
    clone,
    command,
    env_with_repo,
    intact,
    manifest,
    mismatches,
    no_traceback,
    qdocs,
    run,
    snapshot,
)

BUILD = ["build", "--content", "content", "--out", "build", "--format", "html", "-j", "1"]


@pytest.fixture
def project(built_html, tmp_path, monkeypatch) -> Path:
    root = clone(built_html, tmp_path / "p")
    monkeypatch.chdir(root)
    return root


# --- a file or folder in the way ---------------------------------------------------------------

@pytest.mark.parametrize("out", ["a-file", "/dev/null"])
def test_an_output_folder_that_is_a_file(project, capsys, out):
    Path("a-file").write_text("mine", encoding="utf-8")
    code, stdout, err = run([*BUILD[:4], out, *BUILD[5:]], capsys)
    assert (code, stdout) == (2, "")
    assert err == (f"error: the output folder {out} is not a folder: move the file away or "
                   "choose another output folder with --out\n")
    assert Path("a-file").read_text(encoding="utf-8") == "mine"


def test_a_format_folder_that_is_a_file(project, capsys):
    shutil.rmtree("build/html")
    Path("build/html").write_text("mine", encoding="utf-8")
    before = snapshot(Path("build"))
    code, out, err = run(BUILD, capsys)
    assert (code, out) == (2, "")
    assert err == ("error: the html output folder build/html is not a folder: move the file "
                   "away or choose another output folder with --out\n")
    assert snapshot(Path("build")) == before


def test_an_output_path_that_is_a_folder(project, capsys):
    Path("build/html/notice.html").unlink()
    Path("build/html/notice.html").mkdir()
    before = snapshot(Path("build"))
    code, out, err = run(BUILD, capsys)
    assert (code, out) == (2, "")
    assert err == ("error: build/html/notice.html is a folder (or another non-file) where qdocs "
                   "writes an output: move it away\n")
    assert snapshot(Path("build")) == before


# --- read-only and full disks (real mounts; skipped where the sandbox cannot mount) ------------

@contextlib.contextmanager
def mounted(*argv_sets: list[str], at: Path):
    for argv in argv_sets:
        done = subprocess.run(["mount", *argv], capture_output=True, text=True)
        if done.returncode:
            subprocess.run(["umount", str(at)], capture_output=True)
            pytest.skip(f"cannot mount here ({done.stderr.strip()})")
    try:
        yield
    finally:
        subprocess.run(["umount", str(at)], check=True)


def test_a_read_only_output_folder(project, capsys):
    before = snapshot(Path("build"))
    build = str(project / "build")
    with mounted(["--bind", build, build], ["-o", "remount,bind,ro", build], at=project / "build"):
        code, out, err = run([*BUILD, "--force"], capsys)
        assert snapshot(Path("build")) == before
    assert (code, out) == (1, "")
    assert err == "error: cannot write to the output folder build: Read-only file system\n"
    intact(Path("build"), before)


@pytest.fixture
def open_project(built_html):
    """A copy of the built project that the user `nobody` can read (pytest's folders are
    private to root)."""
    root = Path(tempfile.mkdtemp(prefix="qdocs-nobody-"))
    clone(built_html, root / "p")
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield root / "p"
    shutil.rmtree(root)


def as_nobody(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run as an unprivileged user")
    return subprocess.run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
                           *command(*args)], cwd=cwd, capture_output=True, text=True,
                          env={**env_with_repo(), "HOME": str(cwd)}, timeout=120)


def test_an_output_folder_the_user_may_not_write(open_project):
    before = snapshot(open_project / "build")
    done = as_nobody(*BUILD, "--force", cwd=open_project)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("error: cannot write to the output folder build: "
                           "Permission denied\n")
    intact(open_project / "build", before)


def test_an_unreadable_content_file(open_project):
    (open_project / "content" / "notice.yaml").chmod(0o000)
    before = snapshot(open_project / "build")
    for argv in (["validate", "--content", "content"], BUILD):
        done = as_nobody(*argv, cwd=open_project)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == ("error: content/notice.yaml: cannot read the file: "
                               "Permission denied\n")
    intact(open_project / "build", before)


def test_a_full_disk(project, capsys):
    shutil.rmtree("build")
    Path("build").mkdir()
    with mounted(["-t", "tmpfs", "-o", "size=2m", "tmpfs", str(project / "build")],
                 at=project / "build"):
        assert run(BUILD, capsys)[0] == 0                         # the previous build
        before = snapshot(Path("build"))
        # Fill the disk, leaving room for the manifest but not for the notice's HTML.
        room = len(Path("build/manifest.json").read_bytes()) + 8192
        st = os.statvfs("build")
        with open("build/filler", "wb") as f:
            f.write(b"\0" * max(st.f_bavail * st.f_frsize - room, 0))
        code, out, err = run([*BUILD, "--force", "notice"], capsys)
        Path("build/filler").unlink()
        assert code == 1
        assert "No space left on device" in err and err.startswith("error: ")
        no_traceback(out, err)
        assert outputs(snapshot(Path("build"))) == outputs(before)
        assert mismatches(Path("build")) == []
        assert not list(Path("build").rglob(".*.tmp"))           # no temporary file left


def outputs(files: dict[str, str]) -> dict[str, str]:
    """The targets' outputs of a snapshot (index.html and the review site under html/review/
    show the last build's changes)."""
    return {k: v for k, v in files.items() if k.startswith("html/") and k != "html/index.html"
            and not k.startswith("html/review/")}


# --- the terminal and the pipe -----------------------------------------------------------------

def test_an_ascii_terminal(project):
    env = {**env_with_repo(), "PYTHONIOENCODING": "ascii"}
    done = qdocs("scores", "--content", "content", cwd=project, env=env)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("error: the output encoding ascii cannot show ")
    assert done.stderr.endswith("; run with PYTHONIOENCODING=utf-8 or in a UTF-8 locale "
                                "(LANG=C.UTF-8)\n")
    no_traceback(done.stderr)
    # JSON is for scripts, and JSON is UTF-8: click writes it so whatever the terminal.
    done = subprocess.run(command("scores", "--json", "--content", "content"), cwd=project,
                          env=env, capture_output=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, b"")
    assert json.loads(done.stdout.decode("utf-8"))[0]["rank"] == 1


def test_a_reader_that_goes_away(project):
    before = snapshot(Path("build"))
    shell = subprocess.run(
        " ".join(f"'{a}'" for a in command(*BUILD, "--force", "annex-1")) + " 2>err.txt | head -1",
        shell=True, cwd=project, capture_output=True, text=True, env=env_with_repo(),
        timeout=120)
    assert shell.stdout.count("\n") == 1
    no_traceback(Path("err.txt").read_text(encoding="utf-8"))
    # A pipe closed before the build writes a word: the build finishes, then exits quietly.
    proc = subprocess.Popen(command(*BUILD, "--force", "annex-1"), cwd=project,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env_with_repo())
    proc.stdout.close()
    err = proc.communicate(timeout=120)[1].decode()
    assert (proc.returncode, err) == (1, "")
    assert outputs(snapshot(Path("build"))) == outputs(before)   # rebuilt byte-identical
    assert mismatches(Path("build")) == []
    assert manifest(Path("build"))["targets"]["annex-1"]["outputs"]["html"]


# --- a damaged manifest ------------------------------------------------------------------------

MANIFESTS = {
    "a list": ("[]", "of another format version (None, this qdocs writes 2)"),
    "format 1": ('{"format": 1, "targets": {}}',
                 "of another format version (1, this qdocs writes 2)"),
    "format as text": ('{"format": "2"}', "of another format version ('2', this qdocs writes 2)"),
    "targets a list": ('{"format": 2, "targets": []}', "damaged (targets)"),
    "entry a list": ('{"format": 2, "targets": {"notice": []}}', "damaged (targets)"),
    "output a string": ('{"format": 2, "targets": {"notice": {"key": "k", "components": {}, '
                        '"outputs": {"html": "abc"}}}}', "damaged (the entry of notice)"),
    "no key": ('{"format": 2, "targets": {"notice": {"components": {}, "outputs": {}}}}',
               "damaged (the entry of notice)"),
    "templates a list": ('{"format": 2, "targets": {"notice": {"key": "k", "components": '
                         '{"templates": []}, "outputs": {}}}}', "damaged (the entry of notice)"),
    "inputs a list": ('{"format": 2, "inputs": []}', "damaged (inputs or scores)"),
    "a score a number": ('{"format": 2, "scores": {"420100": 5}}', "damaged (inputs or scores)"),
}


@pytest.mark.parametrize("name", list(MANIFESTS))
def test_a_manifest_of_the_wrong_shape_is_set_aside(project, capsys, name):
    text, why = MANIFESTS[name]
    Path("build/manifest.json").write_text(text, encoding="utf-8")
    code, out, err = run([*BUILD, "annex-1"], capsys)
    assert code == 0
    assert err == (f"note: build/manifest.json not used: it is {why}; every target is "
                   "rebuilt\n")
    assert "  built annex-1: new target" in out
    assert manifest(Path("build"))["format"] == 2 and mismatches(Path("build")) == []
    if name == "a list":                                       # the new manifest is trusted
        code, out, err = run([*BUILD, "annex-1"], capsys)
        assert (code, err) == (0, "") and out.startswith("0 built, 1 skipped, 0 failed in ")


@pytest.mark.parametrize("data", [b"\xff\xfe{", b'{"format": 2, "targ'])
def test_an_unreadable_manifest_is_set_aside(project, capsys, data):
    Path("build/manifest.json").write_bytes(data)
    code, out, err = run([*BUILD, "annex-1"], capsys)
    assert code == 0
    assert err.startswith("note: build/manifest.json not used: it cannot be read (")
    assert mismatches(Path("build")) == []


# --- qdocs check on files that are not what they say --------------------------------------------

def _pdf(tmp: Path) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    path = tmp / "blank.pdf"
    writer.write(path)
    return path.read_bytes()


def test_check_reports_broken_files_as_failed_rows(tmp_path, capsys, monkeypatch):
    from pypdf import PdfWriter

    monkeypatch.chdir(tmp_path)
    Path("empty.pdf").write_bytes(b"")
    Path("text.pdf").write_text("not a PDF\n", encoding="utf-8")
    Path("truncated.pdf").write_bytes(_pdf(tmp_path)[:300])
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    writer.write("encrypted.pdf")
    Path("empty.docx").write_bytes(b"")
    files = ["empty.pdf", "text.pdf", "truncated.pdf", "encrypted.pdf", "empty.docx"]
    code, out, err = run(["check", "--no-office", "--json", *files], capsys)
    assert (code, err) == (1, "")
    rows = {r["document"]: r for r in json.loads(out)}
    assert set(rows) == set(files)
    why = {f: next(c for c in rows[f]["checks"] if c["rule"] == "file.readable")["detail"]
           for f in files[:4]}
    assert why["empty.pdf"] == "the file is empty"
    assert why["encrypted.pdf"] == ("the PDF is encrypted (password-protected): remove the "
                                    "password to check it")
    assert why["text.pdf"].startswith("PdfminerException")
    assert why["truncated.pdf"].startswith("PdfminerException")
    assert all(c["status"] == "fail" for f in files[:4] for c in rows[f]["checks"])
    assert any(c["status"] == "fail" for c in rows["empty.docx"]["checks"])


# --- the command line ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["", " , "])
def test_an_empty_format_list_is_an_error(project, capsys, value):
    before = snapshot(Path("build"))
    code, out, err = run([*BUILD[:6], value, "-j", "1"], capsys)
    assert (code, out) == (2, "")
    assert err == "error: no format given; choose from pdf, docx, html\n"
    intact(Path("build"), before)


def test_a_bug_is_one_line_and_exit_70(project, capsys, monkeypatch):
    import qdocs.pipeline

    def broken(content_dir):
        raise RuntimeError("boom")

    monkeypatch.setattr(qdocs.pipeline, "load_and_score", broken)
    code, out, err = run(["validate", "--content", "content"], capsys)
    assert (code, out) == (70, "")
    assert err == ("internal error: RuntimeError: boom (please report, with --debug for the "
                   "traceback)\n")
    code, out, err = run(["--debug", "validate", "--content", "content"], capsys)
    assert code == 70
    assert err.startswith("Traceback (most recent call last):\n")
    assert 'raise RuntimeError("boom")' in err
    assert err.endswith("internal error: RuntimeError: boom (please report, with --debug for "
                        "the traceback)\n")
