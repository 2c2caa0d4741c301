"""One PDF → its report: measure the file, recognise its parts, run every PDF check.

The same function judges a WeasyPrint PDF and LibreOffice's rendering of a DOCX, so
the DOCX is held to the standard as a reader sees it.
"""

from __future__ import annotations

from pathlib import Path

from qdocs.check.breakrules import break_checks
from qdocs.check.fontrules import font_checks
from qdocs.check.footrules import foot_checks
from qdocs.check.inkrules import ink_checks
from qdocs.check.partrules import part_checks
from qdocs.check.pdfink import InkReader
from qdocs.check.pdfmeasure import PdfGeometry, measure_pdf
from qdocs.check.pdfparts import Parts, find_parts, source_parts
from qdocs.check.pdfrules import page_checks, text_checks
from qdocs.check.records import Check
from qdocs.check.titlerules import title_checks
from qdocs.profile import Profile, load_profile


def read_parts(pdf: Path, kind: str, html: Path | None,
               profile: Profile | None = None) -> Parts:
    """Measure `pdf` and recognise its parts (the parts expected come from `html`)."""
    profile = profile or load_profile()
    geometry: PdfGeometry = measure_pdf(pdf)
    return find_parts(geometry, profile, kind, source_parts(html, kind))


def check_pdf(pdf: Path, kind: str, html: Path | None,
              profile: Profile | None = None, *, office_rendering: bool = False) -> list[Check]:
    """Every PDF check of `pdf`, a document of `kind` whose source HTML is `html`.

    `office_rendering`: `pdf` is LibreOffice's rendering of a DOCX, whose line breaks are
    LibreOffice's, not Word's (see text_checks).
    """
    profile = profile or load_profile()
    parts = read_parts(pdf, kind, html, profile)
    remedy = html is not None and html.is_file() and ' data-tight="' in html.read_text(
        encoding="utf-8", errors="replace")
    with InkReader(pdf) as ink:
        return [*page_checks(parts, profile),
                *text_checks(parts, profile, office_rendering=office_rendering,
                             remedy=remedy),
                *part_checks(parts, profile, ink), *foot_checks(parts, profile, ink),
                *title_checks(parts, profile, html), *ink_checks(parts, profile, ink),
                *break_checks(parts, profile),
                *font_checks(parts.geometry)]
