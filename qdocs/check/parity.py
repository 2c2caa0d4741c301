"""Parity: the DOCX (as LibreOffice renders it) says what the PDF says.

One HTML source feeds both writers, so the text of the two renderings must be the
same, character for character, whitespace aside; for the notice and the annexes the
page count must match too (cards and the bulletin may paginate their tables
differently).

Text is read in reading order: lines top to bottom, and inside a ruled table cell by
cell (row by row, left to right), so a cell that wraps differently in Word does not
shuffle the text. Drawing order is no guide: LibreOffice draws a line's runs font by
font. Left out on both sides: page numbers, the 示例数据 mark (WeasyPrint repeats it
on every page), the text of charts (an image in the DOCX), and a table's header row
where it repeats on a following page (how often depends on the pagination).
"""

from __future__ import annotations

import difflib
import html as html_mod
import re
from dataclasses import dataclass
from pathlib import Path

from qdocs.check.pdfmeasure import RULE_MAX_PT, Band, PdfGeometry, measure_pdf
from qdocs.check.pdfparts import close_colour, hex_rgb
from qdocs.check.records import FAIL, PASS, Check, na, unverified, verdict
from qdocs.profile import Profile

# Characters of context shown around a difference.
CONTEXT = 12

PAGE_COUNT_KINDS = ("notice", "annex")

# A chart's labels sit beside its bars, at most this far above or below them.
CHART_MARGIN_PT = 12.0

_WHITE = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class PdfText:
    """The text of a PDF without whitespace, the page of each character, page count."""

    text: str
    pages: tuple[int, ...]
    page_count: int


def table_headers(html: Path | None) -> list[str]:
    """The header row text of each table of the HTML source, whitespace removed."""
    if html is None or not html.is_file():
        return []
    source = html.read_text(encoding="utf-8", errors="replace")
    out = []
    for head in re.findall(r"<thead>(.*?)</thead>", source, re.S):
        text = re.sub(r"<[^>]+>", "", head)
        text = re.sub(r"\s+", "", _unescape(text))
        if text:
            out.append(text)
    return out


def _unescape(text: str) -> str:
    return html_mod.unescape(text)


def read_text(geometry: PdfGeometry, profile: Profile, headers: list[str]) -> PdfText:
    """The document text of a measured PDF (see the module docstring)."""
    foot = (profile.type_area.top_mm + profile.type_area.height_mm) * 72 / 25.4
    sample = hex_rgb(profile.sample_mark.color)
    keyed: list[tuple[tuple, str, int]] = []
    for page in geometry.pages:
        verticals = [b for b in page.bands if b.is_vrule]
        horizontals = [b for b in page.bands if b.is_hrule]
        charts = _chart_ranges(page.bands, sample)
        for seg in page.segments:
            if seg.em_top >= foot:
                continue                      # the page number
            for g in seg.glyphs:
                if not g.text.strip() or close_colour(g.color, sample):
                    continue
                if any(top <= g.baseline <= bottom for top, bottom in charts):
                    continue
                cell = _cell(g.x0, g.x1, g.baseline, verticals, horizontals)
                block = cell if cell is not None else (g.baseline, 0.0)
                key = (page.index, round(block[0], 1), round(block[1], 1),
                       round(g.baseline, 1), g.x0)
                keyed.append((key, g.text, page.index + 1))
    keyed.sort(key=lambda k: k[0])
    chars = [t for _, t, _ in keyed]
    pages = [p for _, t, p in keyed for _ in t]
    text = "".join(chars)
    text, pages = _drop_repeats(text, pages, headers)
    return PdfText(text, tuple(pages), len(geometry.pages))


def _chart_ranges(bands: list[Band], sample) -> list[tuple[float, float]]:
    """Vertical ranges of charts: filled areas (bars), not rules, in a colour."""
    areas = [b for b in bands if b.width > RULE_MAX_PT and b.height > RULE_MAX_PT
             and b.color is not None and not close_colour(b.color, _WHITE)
             and not close_colour(b.color, sample)]
    if not areas:
        return []
    return [(min(b.top for b in areas) - CHART_MARGIN_PT,
             max(b.bottom for b in areas) + CHART_MARGIN_PT)]


def _cell(x0: float, x1: float, y: float, verticals: list[Band],
          horizontals: list[Band]) -> tuple[float, float] | None:
    """(top, left) of the ruled cell holding the point, or None outside any table."""
    mid = (x0 + x1) / 2
    spanning = [b for b in verticals if b.top <= y <= b.bottom]
    lefts = [b.x1 for b in spanning if b.x1 <= mid]
    rights = [b.x0 for b in spanning if b.x0 >= mid]
    if not lefts or not rights:
        return None
    left, right = max(lefts), min(rights)
    tops = [b.bottom for b in horizontals if b.bottom <= y and b.x1 > left and b.x0 < right]
    return (max(tops) if tops else y, left)


def _drop_repeats(text: str, pages: list[int], headers: list[str]):
    """Remove every occurrence of a header text but the first."""
    for header in headers:
        first = text.find(header)
        if first < 0:
            continue
        start = first + len(header)
        while (at := text.find(header, start)) >= 0:
            text = text[:at] + text[at + len(header):]
            pages = pages[:at] + pages[at + len(header):]
            start = at
    return text, pages


def parity_checks(pdf: Path | None, rendering: Path | None, kind: str, profile: Profile,
                  html: Path | None = None, why_unverified: str = "") -> list[Check]:
    """parity.text and parity.pages between the WeasyPrint PDF and the DOCX rendering."""
    exp_text = "the DOCX's text equals the PDF's"
    exp_pages = "the same page count as the PDF"
    if pdf is None or not pdf.is_file():
        reason = "no PDF of this target to compare with"
        return [unverified("parity.text", "—", exp_text, reason),
                unverified("parity.pages", "—", exp_pages, reason)]
    if rendering is None:
        reason = why_unverified or "no LibreOffice rendering of the DOCX"
        return [unverified("parity.text", "—", exp_text, reason),
                unverified("parity.pages", "—", exp_pages, reason)]
    headers = table_headers(html)
    ours = read_text(measure_pdf(pdf), profile, headers)
    theirs = read_text(measure_pdf(rendering), profile, headers)
    return [compare_text(ours, theirs), _pages(ours, theirs, kind, exp_pages)]


def compare_text(ours: PdfText, theirs: PdfText) -> Check:
    """parity.text: equal, or where the first difference is."""
    expected = "the DOCX's text equals the PDF's"
    if ours.text == theirs.text:
        return Check("parity.text", "—", expected, f"equal ({len(ours.text)} characters)",
                     PASS)
    matcher = difflib.SequenceMatcher(None, ours.text, theirs.text, autojunk=False)
    diffs = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    _tag, i1, i2, j1, j2 = diffs[0]
    page_pdf = ours.pages[min(i1, len(ours.pages) - 1)] if ours.pages else 0
    page_docx = theirs.pages[min(j1, len(theirs.pages) - 1)] if theirs.pages else 0
    detail = (f"{len(diffs)} differing runs; first at PDF page {page_pdf} / DOCX page "
              f"{page_docx}: PDF “{_around(ours.text, i1, i2)}” vs DOCX "
              f"“{_around(theirs.text, j1, j2)}”")
    return Check("parity.text", "—", expected,
                 f"{len(ours.text)} vs {len(theirs.text)} characters", FAIL, detail)


def _around(text: str, start: int, end: int) -> str:
    before = text[max(0, start - CONTEXT):start]
    changed = text[start:end][:CONTEXT * 2]
    after = text[end:end + CONTEXT]
    return f"{before}[{changed}]{after}"


def _pages(ours: PdfText, theirs: PdfText, kind: str, expected: str) -> Check:
    measured = f"PDF {ours.page_count}, DOCX {theirs.page_count}"
    if kind not in PAGE_COUNT_KINDS:
        return na("parity.pages", "—", expected,
                  f"{measured}: only the notice and annexes must match")
    return Check("parity.pages", "—", expected, measured,
                 verdict(ours.page_count == theirs.page_count))
