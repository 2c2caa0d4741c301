"""`qdocs check`: find the outputs, judge each file, print the report, exit 1 on failure.

Each PDF is measured from the file; each DOCX gets its static XML checks, then (when
LibreOffice is installed and not switched off) its rendering is measured by the same
PDF checks and compared with the target's PDF (parity). Exit status: 0 when nothing
failed, 1 when a check failed, 2 for a usage problem (no such path, nothing to check).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from qdocs.check.docxrules import docx_checks
from qdocs.check.office import convert_to_pdf, find_office
from qdocs.check.parity import parity_checks
from qdocs.check.pdfcheck import check_pdf
from qdocs.check.pdfparts import document_kind, source_parts
from qdocs.check.records import (
    FAIL,
    NOT_VERIFIED,
    PASS,
    Check,
    DocumentReport,
)
from qdocs.check.report import write_json, write_tables
from qdocs.errors import EXIT_BAD_INPUT, EXIT_FAILED, display_path
from qdocs.profile import Profile, load_profile

SUFFIXES = (".pdf", ".docx")
_KIND_ORDER = {"notice": 0, "annex": 1, "bulletin": 2, "card": 3, "other": 4}


class _Usage(Exception):
    """A bad command line: its message is for the user."""


def run_check_command(paths: list[Path], build_dir: Path, *, as_json: bool,
                      office: bool) -> int:
    """Check `paths` (files or directories; default: the PDFs and DOCX files of
    `build_dir`), print the report, and return the exit status."""
    try:
        files = collect_files(paths, build_dir)
    except _Usage as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    reports = check_files(files, office=office)
    from qdocs.review.site import save_check_report

    save_check_report(build_dir, files, reports)    # for the review site's check page
    if as_json:
        write_json(reports)
    else:
        write_tables(reports)
    return EXIT_FAILED if any(r.failed for r in reports) else 0


def collect_files(paths: list[Path], build_dir: Path) -> list[Path]:
    """The PDF and DOCX files to check, notice first, then annexes, bulletin, cards."""
    if not paths:
        if not build_dir.is_dir():
            raise _Usage(f"no build directory {display_path(build_dir)}: build first, "
                         "or name the files to check")
        paths = [build_dir]
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise _Usage(f"no such path: {display_path(path)}")
        if path.is_dir():
            found += [p for p in sorted(path.rglob("*"))
                      if p.suffix.lower() in SUFFIXES and p.is_file()
                      and not p.name.startswith((".", "~$"))]
        elif path.suffix.lower() in SUFFIXES:
            found.append(path)
        else:
            raise _Usage(f"not a PDF or DOCX file: {display_path(path)}")
    if not found:
        raise _Usage("nothing to check: no PDF or DOCX file in "
                     + ", ".join(display_path(p) for p in paths))
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return sorted(unique, key=lambda p: (_KIND_ORDER[document_kind(p.stem)], p.stem,
                                         p.suffix != ".pdf"))


def sibling(path: Path, folder: str, suffix: str) -> Path | None:
    """The file of the same target in another format: build/<folder>/<name><suffix>, or
    beside `path` when the files are not in a build directory's layout."""
    for candidate in (path.parent.parent / folder / (path.stem + suffix),
                      path.with_suffix(suffix)):
        if candidate.is_file() and candidate != path:
            return candidate
    return None


def check_files(files: list[Path], *, office: bool,
                profile: Profile | None = None) -> list[DocumentReport]:
    """A report for every PDF, and for every DOCX one for its XML and one for its
    LibreOffice rendering (when LibreOffice is used)."""
    profile = profile or load_profile()
    docx_files = [f for f in files if f.suffix.lower() == ".docx"]
    workdir = Path(tempfile.mkdtemp(prefix="qdocs-check-"))
    try:
        conversions = {}
        if office and docx_files:
            conversions = convert_to_pdf(docx_files, workdir)
        reports = []
        for path in files:
            kind = document_kind(path.stem)
            html = sibling(path, "html", ".html")
            try:
                if path.suffix.lower() == ".pdf":
                    reports.append(DocumentReport(display_path(path), kind,
                                                  check_pdf(path, kind, html, profile)))
                else:
                    reports += _docx_reports(path, kind, html, profile, office,
                                             conversions.get(path))
            except Exception as exc:  # noqa: BLE001 - a file that cannot be read fails its row
                reports.append(DocumentReport(display_path(path), kind, [unreadable(path, exc)]))
        return reports

    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def unreadable(path: Path, exc: Exception) -> Check:
    """The one failed check of a file that cannot be opened as what its name says (empty,
    not a PDF, encrypted, truncated, not a DOCX)."""
    what = "PDF" if path.suffix.lower() == ".pdf" else "DOCX"
    size = path.stat().st_size if path.exists() else 0
    if size == 0:
        why = "the file is empty"
    elif what == "PDF" and b"/Encrypt" in path.read_bytes():
        why = "the PDF is encrypted (password-protected): remove the password to check it"
    else:
        why = f"{type(exc).__name__}: {exc}".strip(": ")
    return Check("file.readable", "—", f"a readable {what} file", "cannot be read", FAIL, why)


def _docx_reports(path: Path, kind: str, html: Path | None, profile: Profile, office: bool,
                  conversion) -> list[DocumentReport]:
    expected = source_parts(html, kind)
    checks = docx_checks(path, profile, expected)
    rendering, why = None, ""
    exp = "LibreOffice renders the DOCX"
    if not office:
        why = "LibreOffice rendering switched off (--no-office)"
        checks.append(Check("docx.rendering", "—", exp, "—", NOT_VERIFIED, why))
    elif find_office() is None or conversion is None:
        why = "LibreOffice (soffice) is not installed"
        checks.append(Check("docx.rendering", "—", exp, "—", NOT_VERIFIED, why))
    elif conversion.pdf is None:
        why = f"LibreOffice failed: {conversion.error}"
        checks.append(Check("docx.rendering", "—", exp, "no PDF", FAIL, conversion.error))
    else:
        rendering = conversion.pdf
        checks.append(Check("docx.rendering", "—", exp, "rendered", PASS))
    checks += parity_checks(sibling(path, "pdf", ".pdf"), rendering, kind, profile, html, why)
    reports = [DocumentReport(display_path(path), kind, checks)]
    if rendering is not None:
        reports.append(DocumentReport(f"{display_path(path)} (LibreOffice)", kind,
                                      check_pdf(rendering, kind, html, profile,
                                                office_rendering=True)))
    return reports
