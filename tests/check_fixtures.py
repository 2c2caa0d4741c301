"""Helpers for the `qdocs check` tests: build the example (or a deliberately broken copy
of it) into a temporary folder and run the checker on the result.

Imported by tests/test_check_*.py (not a conftest: the lead owns tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

from qdocs.check.command import run_check_command

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content"
BUNDLED_CSS = REPO / "templates" / "print.css.j2"


def copy_content(dest: Path) -> Path:
    """A private copy of the bundled example project."""
    target = dest / "content"
    shutil.copytree(EXAMPLE, target)
    return target


def build(content: Path, out: Path, *, formats=("pdf", "html"), targets=None) -> Path:
    """Build `content` into `out` and return `out` (the build must succeed)."""
    from qdocs.pipeline import build as run_build

    report = run_build(content, out, formats=list(formats),
                       targets=list(targets) if targets else None, jobs=2)
    assert report.ok, report.failed
    return out


def build_broken(tmp: Path, css: str, *, targets=("notice",)) -> Path:
    """The example with `css` appended to its own copy of the print stylesheet (a project
    overrides a bundled template with a file of the same name in content/templates/)."""
    content = copy_content(tmp)
    (content / "templates").mkdir()
    (content / "templates" / "print.css.j2").write_text(
        BUNDLED_CSS.read_text(encoding="utf-8") + "\n" + css + "\n", encoding="utf-8")
    return build(content, tmp / "build", targets=targets)


def run_check(paths: list[Path], build_dir: Path, *, office: bool = False):
    """Run `qdocs check --json` in-process: (exit status, the JSON report)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = run_check_command(paths, build_dir, as_json=True, office=office)
    text = out.getvalue()
    return status, (json.loads(text) if text.strip() else None)


def checks_of(report: list[dict], document_suffix: str) -> dict[str, dict]:
    """rule → check record of the one document whose name ends with `document_suffix`."""
    found = [d for d in report if d["document"].endswith(document_suffix)]
    assert len(found) == 1, [d["document"] for d in report]
    return {c["rule"]: c for c in found[0]["checks"]}


def failing(checks: dict[str, dict]) -> set[str]:
    """The rules that failed."""
    return {rule for rule, c in checks.items() if c["status"] == "fail"}


def describe(checks: dict[str, dict], rules) -> str:
    """The failing rows, readable in an assertion message."""
    return "\n".join(f"{r}: expected {checks[r]['expected']}; measured {checks[r]['measured']};"
                     f" {checks[r]['detail']}" for r in sorted(rules))


def card_pages(build_dir: Path, tmp: Path, *, office: bool) -> dict[str, int]:
    """Pages of every report card in `build_dir`: its PDF's, or (office) those of
    LibreOffice's rendering of its DOCX (converted into `tmp`)."""
    import pypdfium2

    from qdocs.check.office import convert_to_pdf

    def count(pdf: Path) -> int:
        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            return len(doc)
        finally:
            doc.close()

    if not office:
        return {p.stem: count(p) for p in sorted((build_dir / "pdf").glob("card-*.pdf"))}
    docx = sorted((build_dir / "docx").glob("card-*.docx"))
    done = convert_to_pdf(docx, tmp)
    assert all(c.pdf is not None for c in done.values()), [c.error for c in done.values()]
    return {c.source.stem: count(c.pdf) for c in done.values()}
