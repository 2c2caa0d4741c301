"""The no-op fast path: skips only what the full path would skip; falls back on any change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qdocs.build.stamp import STAMP_NAME, guess_build_dir, up_to_date
from qdocs.pipeline import build

TARGETS = ["annex-1"]


@pytest.fixture
def stamped(example: Path) -> tuple[Path, Path]:
    out = example.parent / "build"
    report = build(example, out, targets=TARGETS, formats=["html"], jobs=1)
    assert report.ok
    assert (out / STAMP_NAME).is_file()
    return example, out


def test_unchanged_project_is_up_to_date(stamped):
    content, out = stamped
    assert up_to_date(content, out, ["html"], TARGETS) == {"targets": 1}


@pytest.mark.parametrize("change", ["content", "comment", "new-file", "output", "output-gone",
                                    "epoch", "formats", "targets", "template"])
def test_any_difference_falls_back(stamped, monkeypatch, change):
    content, out = stamped
    formats, targets = ["html"], TARGETS
    if change == "content":
        path = content / "action_plan.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    elif change == "comment":   # the full path would skip this; the stamp is merely cautious
        with (content / "regions.yaml").open("a", encoding="utf-8") as f:
            f.write("# a comment\n")
    elif change == "new-file":
        (content / "templates").mkdir()
        (content / "templates" / "extra.html.j2").write_text("x", encoding="utf-8")
    elif change == "output":
        path = out / "html" / "annex-1.html"
        path.write_bytes(path.read_bytes() + b" ")
    elif change == "output-gone":
        (out / "html" / "annex-1.html").unlink()
    elif change == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    elif change == "formats":
        formats = ["html", "pdf"]
    elif change == "targets":
        targets = ["annex-1", "annex-2"]
    elif change == "template":
        (content / "templates").mkdir()
        (content / "templates" / "annex.html.j2").write_text("{{ 1 }}", encoding="utf-8")
    assert up_to_date(content, out, formats, targets) is None


def test_a_failed_build_leaves_no_stamp(stamped):
    content, out = stamped
    (content / "templates").mkdir()
    (content / "templates" / "annex.html.j2").write_text("{{ no_such_thing }}", encoding="utf-8")
    report = build(content, out, targets=TARGETS, formats=["html"], jobs=1)
    assert not report.ok
    assert not (out / STAMP_NAME).exists()
    assert up_to_date(content, out, ["html"], TARGETS) is None


def test_build_dir_guessed_from_qdocs_yaml(example):
    assert guess_build_dir(example) == example.parent / "build"
    path = example / "qdocs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("build_dir: build", "build_dir: 'out/x'  # moved")
                    if "build_dir:" in text else text + "build_dir: 'out/x'  # moved\n",
                    encoding="utf-8")
    assert guess_build_dir(example) == example.parent / "out/x"


def test_cli_noop_imports_no_engine(stamped):
    """The fast path answers before pydantic, PyYAML, Jinja2 or WeasyPrint are imported."""
    content, out = stamped
    code = ("import sys; from qdocs.cli import main\n"
            "try:\n"
            f"    main(['build', '--content', {str(content)!r}, '--out', {str(out)!r},"
            " '--format', 'html', 'annex-1'])\n"
            "finally:\n"
            "    heavy = [m for m in ('pydantic', 'yaml', 'jinja2', 'weasyprint', 'docx')"
            " if m in sys.modules]\n"
            "    print('HEAVY', heavy)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
                         timeout=60)
    assert "0 built, 1 skipped, 0 failed" in run.stdout, run.stdout + run.stderr
    assert "HEAVY []" in run.stdout, run.stdout
