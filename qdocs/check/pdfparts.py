"""Geometry → the parts of a 公文: which lines are the masthead, the 附件说明, the
署名 and 成文日期, an annex's label and title, the 版记, the page numbers.

Parts are recognised the way a reader recognises them: by colour (the red masthead
and rule), size, text (附件N, a date, 抄送 … 印发) and place (the foot margin holds
the page number). The sibling HTML, when there is one, says which parts the document
should have, so a part that vanished from the PDF is a failure, not a skipped check.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from qdocs.check.pdfmeasure import Band, PdfGeometry, Segment
from qdocs.profile import Profile

# Tolerances of recognition (not layout numbers).
SIZE_TOL_PT = 0.1        # glyph sizes are written with 1e-4 pt noise
COLOUR_TOL = 0.1         # per channel, 0–1
NEXT_LINE_PITCHES = 1.5  # a line this close below another continues the same block
ATTACHMENT_GAP_PITCHES = 2.5  # 附件说明 items are recognised across one blank line

ANNEX_LABEL_RE = re.compile(r"^附件\s*(\d*)$")   # 附件 alone when there is one annex
ATTACHMENT_RE = re.compile(r"^附件[：:]")
DATE_RE = re.compile(r"^\S{4}年\S{1,3}月\S{1,3}日$")
IMPRINT_DATE_RE = re.compile(r"印发$")

# Every part a check can look for: the classes of docs/html-subset.md.
PARTS = ("issuer-mark", "doc-number", "red-rule", "attachments", "signature", "date",
         "annex-label", "annex-title", "imprint")

# Which parts a document of each kind has when there is no HTML to say so.
DEFAULT_PARTS = {
    "notice": set(PARTS) - {"annex-label", "annex-title"},
    "bulletin": {"issuer-mark", "doc-number", "red-rule", "signature", "date", "imprint"},
    "annex": {"annex-label", "annex-title"},
    "card": set(),
    "other": set(),
}


def document_kind(name: str) -> str:
    """The kind of a target from its stable output name (DESIGN.md, "The documents")."""
    if name == "notice":
        return "notice"
    if name == "bulletin":
        return "bulletin"
    if re.fullmatch(r"annex-\d+", name):
        return "annex"
    if name.startswith("card-"):
        return "card"
    return "other"


def source_parts(html_path: Path | None, kind: str) -> set[str]:
    """The parts the document's HTML source holds (its classes), or the kind's usual
    parts when there is no HTML beside the output."""
    if html_path is None or not html_path.is_file():
        return set(DEFAULT_PARTS[kind])
    text = html_path.read_text(encoding="utf-8", errors="replace")
    classes = set()
    for value in re.findall(r'class="([^"]*)"', text):
        classes.update(value.split())
    return {p for p in PARTS if p in classes}


@dataclass
class Annex:
    """One annex as printed: its 附件N label and its title lines."""

    number: int
    label: Segment
    title: list[Segment]


@dataclass
class Imprint:
    """The 版记: its page, its text rows and its rules (top to bottom)."""

    page: int
    segments: list[Segment]
    rules: list[Band]


@dataclass
class Parts:
    """The recognised parts of one PDF."""

    geometry: PdfGeometry
    kind: str
    expected: set[str]
    page_numbers: dict[int, list[Segment]] = field(default_factory=dict)
    content: dict[int, list[Segment]] = field(default_factory=dict)
    bands: dict[int, list[Band]] = field(default_factory=dict)
    pictures: dict[int, list[Band]] = field(default_factory=dict)
    tables: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    blank_pages: list[int] = field(default_factory=list)
    masthead: list[Segment] = field(default_factory=list)
    doc_number: Segment | None = None
    red_rule: Band | None = None
    attachments: list[Segment] = field(default_factory=list)
    signature: Segment | None = None
    date: Segment | None = None
    text_above_signature: Segment | None = None
    annexes: list[Annex] = field(default_factory=list)
    imprint: Imprint | None = None
    running: list[Segment] = field(default_factory=list)

    def reading_order(self) -> list[Segment]:
        """Every content segment, page by page, top to bottom, left to right."""
        return [s for page in sorted(self.content) for s in self.content[page]]

    def imprint_alone(self) -> bool:
        """Whether the 版记's page holds nothing but the 版记."""
        imp = self.imprint
        if imp is None:
            return False
        own, rules = {id(s) for s in imp.segments}, {id(b) for b in imp.rules}
        return (all(id(s) in own for s in self.content.get(imp.page, []))
                and all(id(b) in rules for b in self.bands.get(imp.page, []))
                and not self.pictures.get(imp.page))

    def in_table(self, seg: Segment) -> bool:
        """Whether the segment sits inside a ruled table."""
        return any(x0 - 1 <= seg.x0 and seg.x1 <= x1 + 1 and top <= seg.baseline <= bottom
                   for x0, top, x1, bottom in self.tables.get(seg.page, []))


def close_colour(a, b) -> bool:
    """Whether two RGB colours are the same to the eye (within COLOUR_TOL a channel)."""
    return a is not None and b is not None and all(
        abs(x - y) <= COLOUR_TOL for x, y in zip(a, b, strict=True))


def hex_rgb(value: str) -> tuple[float, float, float]:
    """"#FF0000" → (1.0, 0.0, 0.0)."""
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def is_size(seg: Segment, size_pt: float) -> bool:
    """Whether the segment is set in `size_pt`."""
    return abs(seg.size - size_pt) <= SIZE_TOL_PT


def find_parts(geometry: PdfGeometry, profile: Profile, kind: str,
               expected: set[str]) -> Parts:
    """Recognise the parts of `geometry` (see the module docstring)."""
    parts = Parts(geometry, kind, expected)
    pt = 72 / 25.4
    area_bottom = (profile.type_area.top_mm + profile.type_area.height_mm) * pt
    sample_rgb = hex_rgb(profile.sample_mark.color)
    for page in geometry.pages:
        content, footer = [], []
        for seg in page.segments:
            if close_colour(seg.color, sample_rgb) and seg.text == profile.sample_mark.text:
                continue
            (footer if seg.em_top >= area_bottom else content).append(seg)
        parts.content[page.index] = content
        parts.page_numbers[page.index] = footer
        parts.bands[page.index] = [b for b in page.bands if not close_colour(b.color, sample_rgb)]
        parts.tables[page.index] = _tables(parts.bands[page.index])
        parts.pictures[page.index] = list(page.pictures)
        if not content and not parts.bands[page.index] and not page.pictures:
            parts.blank_pages.append(page.index)
    _find_masthead(parts, profile)
    _find_annexes(parts, profile)
    _find_imprint(parts, profile)
    _find_signature(parts, profile)
    _find_running(parts, profile)
    return parts


def _tables(bands: list[Band]) -> list[tuple[float, float, float, float]]:
    """Regions ruled by vertical rules: WeasyPrint's table cell borders."""
    verticals = sorted((b for b in bands if b.is_vrule), key=lambda b: b.top)
    regions: list[list[float]] = []
    for b in verticals:
        for r in regions:
            if b.top <= r[3] + 2 and b.bottom >= r[1] - 2:
                r[0], r[1], r[2], r[3] = (min(r[0], b.x0), min(r[1], b.top),
                                          max(r[2], b.x1), max(r[3], b.bottom))
                break
        else:
            regions.append([b.x0, b.top, b.x1, b.bottom])
    return [tuple(r) for r in regions]  # type: ignore[misc]


def _find_masthead(parts: Parts, profile: Profile) -> None:
    first = parts.content.get(0, [])
    mark_rgb = hex_rgb(profile.masthead.color)
    parts.masthead = [s for s in first if close_colour(s.color, mark_rgb)
                      and s.size > profile.body.font_size_pt + SIZE_TOL_PT]
    rule_rgb = hex_rgb(profile.red_rule.color)
    rules = [b for b in parts.bands.get(0, []) if b.is_hrule and close_colour(b.color, rule_rgb)]
    parts.red_rule = rules[0] if rules else None
    if not parts.masthead:
        return
    below = max(s.em_bottom for s in parts.masthead)
    limit = parts.red_rule.top if parts.red_rule else float("inf")
    candidates = [s for s in first if below < s.baseline < limit
                  and is_size(s, profile.body.font_size_pt)]
    parts.doc_number = candidates[0] if candidates else None


def _find_annexes(parts: Parts, profile: Profile) -> None:
    for segments in parts.content.values():
        if not segments:
            continue
        head = segments[0]
        match = ANNEX_LABEL_RE.match(head.text)
        if not match or not is_size(head, profile.body.font_size_pt):
            continue
        title = []
        for seg in segments[1:]:
            if not is_size(seg, profile.title.font_size_pt):
                break
            title.append(seg)
        parts.annexes.append(Annex(int(match.group(1) or 1), head, title))


def _find_imprint(parts: Parts, profile: Profile) -> None:
    dates = [s for s in parts.reading_order()
             if IMPRINT_DATE_RE.search(s.text) and is_size(s, profile.imprint.font_size_pt)]
    if not dates:
        return
    page = dates[-1].page
    segments = [s for s in parts.content[page] if is_size(s, profile.imprint.font_size_pt)
                and not parts.in_table(s)] or [dates[-1]]
    # The 版记 may share its page with text and tables above it (7.4.1 at the foot of the
    # last page): its rules are the ones beside its own rows, within a row's pitch.
    pitch = profile.imprint.line_pitch_pt
    top = min(s.em_top for s in segments) - pitch
    bottom = max(s.em_bottom for s in segments) + pitch
    rules = [b for b in parts.bands.get(page, []) if b.is_hrule and top <= b.top <= bottom
             and not close_colour(b.color, hex_rgb(profile.red_rule.color))]
    parts.imprint = Imprint(page, segments, sorted(rules, key=lambda b: b.top))


def _first_annex_page(parts: Parts) -> int:
    return min((a.label.page for a in parts.annexes), default=len(parts.geometry.pages))


def _find_signature(parts: Parts, profile: Profile) -> None:
    """附件说明, 署名 and 成文日期 of the main text (before the first annex)."""
    body = profile.body.font_size_pt
    pitch = profile.body.line_pitch_pt
    order = [s for s in parts.reading_order()
             if s.page < _first_annex_page(parts) and is_size(s, body) and not parts.in_table(s)]
    dates = [i for i, s in enumerate(order) if DATE_RE.match(s.text)
             and s.x1 > parts.geometry.pages[s.page].width / 2]
    end = max(dates[0] - 1, 0) if dates else len(order)   # the 署名 ends the 附件说明
    for i, seg in enumerate(order[:end]):
        if ATTACHMENT_RE.match(seg.text) and not ANNEX_LABEL_RE.match(seg.text):
            block = [seg]
            for nxt in order[i + 1:end]:
                # a blank line between items is a fault the checks report, not an end
                if not _follows(block[-1], nxt, pitch, parts, ATTACHMENT_GAP_PITCHES):
                    break
                block.append(nxt)
            parts.attachments = block
            break
    if not dates:
        return
    i = dates[0]
    parts.date = order[i]
    if i > 0:
        parts.signature = order[i - 1]
    if i > 1:
        parts.text_above_signature = order[i - 2]


def _follows(above: Segment, below: Segment, pitch: float, parts: Parts,
             pitches: float = NEXT_LINE_PITCHES) -> bool:
    """Whether `below` is the next line of the block `above` ends (same page, less than
    `pitches` lines down; or the top line of the next page)."""
    if below.page == above.page:
        return 0 < below.baseline - above.baseline < pitches * pitch
    if below.page == above.page + 1:
        later = [s for s in parts.content[above.page] if s.baseline > above.baseline]
        return not later and parts.content[below.page][0] is below
    return False


def _find_running(parts: Parts, profile: Profile) -> None:
    """Running text: body-size lines outside tables and outside the recognised parts."""
    taken = {id(s) for s in parts.masthead + parts.attachments}
    for seg in (parts.doc_number, parts.signature, parts.date):
        if seg is not None:
            taken.add(id(seg))
    for annex in parts.annexes:
        taken.add(id(annex.label))
    if parts.imprint is not None:
        taken.update(id(s) for s in parts.imprint.segments)
    parts.running = [s for s in parts.reading_order()
                     if id(s) not in taken and is_size(s, profile.body.font_size_pt)
                     and not parts.in_table(s)]


def body_lines_by_page(parts: Parts, profile: Profile) -> dict[int, list[Segment]]:
    """Body-size lines outside tables, every part included, grouped by page: what a
    reader counts as the lines of a page."""
    out: dict[int, list[Segment]] = defaultdict(list)
    for seg in parts.reading_order():
        if is_size(seg, profile.body.font_size_pt) and not parts.in_table(seg):
            out[seg.page].append(seg)
    return out
