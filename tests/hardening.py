"""Helpers of the hardening tests: a small built project, the CLI in a subprocess,
and what "outputs and manifest intact" means."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_example

from qdocs.cli import main

# Small targets (HTML only where the format does not matter): fast, but every kind.
SMALL = ["notice", "annex-1", "card-420100"]
CARDS = ["card-420100", "card-420200", "card-420300", "card-420500", "card-420600",
         "card-420700", "card-420800", "card-420900", "card-421000", "card-421100"]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """The CLI in-process: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
        raise SystemExit(0)
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def qdocs(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    """The CLI in a real process (for signals, pipes, encodings, other users)."""
    return subprocess.run(command(*args), cwd=cwd, capture_output=True, text=True,
                          timeout=kw.pop("timeout", 120), **kw)


def command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from qdocs.cli import main; main()", *args]


def env_with_repo() -> dict[str, str]:
    """The environment for a subprocess that must import this checkout's qdocs."""
    return {**os.environ, "PYTHONPATH": str(REPO)}


def small_build(root: Path, *formats: str, targets: list[str] = SMALL) -> Path:
    """root/content (the example) built as `formats` into root/build; returns root."""
    copy_example(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        try:
            main(["build", "--content", "content", "--out", "build", "--format",
                  ",".join(formats or ("html",)), "-j", "1", *targets])
        except SystemExit as exc:
            assert not exc.code, "the example must build"
    return root


def clone(src: Path, dest: Path) -> Path:
    """A private copy of a built project (content and build), symlinks kept as they are."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes (the lock file aside: it holds
    the pid of the last build)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.name != ".qdocs.lock"}


def manifest(build_dir: Path) -> dict:
    return json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))


def mismatches(build_dir: Path) -> list[str]:
    """Outputs the manifest lists whose file is missing or holds other bytes than recorded."""
    out = []
    for name, entry in manifest(build_dir)["targets"].items():
        for fmt, recorded in entry["outputs"].items():
            path = build_dir / fmt / f"{name}.{fmt}"
            if not path.is_file() or (
                    hashlib.sha256(path.read_bytes()).hexdigest() != recorded["sha256"]):
                out.append(f"{fmt}/{name}.{fmt}")
    return out


def intact(build_dir: Path, before: dict[str, str]) -> None:
    """The build folder holds exactly what it held, and its manifest vouches only for true
    files."""
    assert snapshot(build_dir) == before
    assert mismatches(build_dir) == []


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text and "Exception ignored" not in text, text
