"""A wheel built from this checkout works on its own: `qdocs init` + `qdocs build` in an empty
folder, from a fresh virtual environment that holds the wheel (its dependencies are borrowed
from the test's environment through a .pth file, so nothing is downloaded but the build
backend, which pip takes from its cache or index)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(argv: list, cwd: Path, env: dict, timeout: int = 180) -> str:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{argv}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_init_and_build_from_an_installed_wheel(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, REPO],
         tmp_path, env)
    (wheel,) = dist.glob("qdocs-*.whl")

    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(fresh)
    python = fresh / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     tmp_path, env).strip())
    # Dependencies from this environment; its editable qdocs is not seen, since .pth
    # files in a folder added by a .pth are not read.
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n",
                                       encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q",
          "--no-index", wheel], tmp_path, env)
    where = _run([python, "-c", "import qdocs; print(qdocs.__file__)"], tmp_path, env)
    assert Path(where.strip()).is_relative_to(site), where

    qdocs = fresh / "bin" / "qdocs"
    empty = tmp_path / "empty"
    empty.mkdir()
    _run([qdocs, "init", "office"], empty, env)
    project = empty / "office"
    _run([qdocs, "validate"], project, env)
    _run([qdocs, "build", "--format", "html", "-j", "2"], project, env)
    for target in ("notice", "annex-1", "annex-2", "card-100001", "bulletin"):
        assert (project / "build" / "html" / f"{target}.html").stat().st_size > 1000
    # One PDF proves the print path (profile, fonts, stylesheet) is in the wheel; the
    # skeleton's other PDFs are built in test_init.py.
    _run([qdocs, "build", "--format", "pdf", "card-100001"], project, env)
    assert (project / "build" / "pdf" / "card-100001.pdf").read_bytes()[:4] == b"%PDF"

    # The bundled example travels inside the wheel too (test_init.py validates and builds it).
    _run([qdocs, "init", "--example", "example"], empty, env)
    shipped = sorted(p.name for p in (empty / "example" / "content" / "assessments").iterdir())
    assert shipped == sorted(p.name for p in (REPO / "content" / "assessments").iterdir())
