"""Semantic HTML → DOCX: walk the tree of docs/html-subset.md, one named Word style a part.

The DOCX is the same document as the PDF, for colleagues who edit it in Word or WPS, so
it carries the GB/T 9704 page setup (margins, a 22-line grid with 28 characters a line,
odd/even footers with PAGE fields, the 版记 at the foot of an even last page) and the
standard faces by name. Every number comes from the profile. The pieces: docx_html reads
the HTML (an element the writer does not know raises `UnknownElementError`: dropping it
would lose text the PDF shows), docx_styles makes the QD styles, docx_page the page and
the 版记, docx_chart the charts, docx_xml the WordprocessingML python-docx cannot write,
docx_package the zip. The same input gives a byte-identical file (fixed properties,
dates and zip entries).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
from pathlib import Path

import lxml.etree
import lxml.html
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.text.paragraph import Paragraph

from qdocs.fonts import STANDARD_FACES, resolve_fonts
from qdocs.profile import Profile, load_profile
from qdocs.writers import docx_html as H
from qdocs.writers import docx_xml as X
from qdocs.writers.docx_chart import draw_chart
from qdocs.writers.docx_html import DocxError, UnknownElementError
from qdocs.writers.docx_package import byte_parts, freeze_part, zip_bytes
from qdocs.writers.docx_page import add_imprint, set_up_pages
from qdocs.writers.docx_styles import PARAGRAPH_STYLES, add_styles
from qdocs.writers.files import write_atomic
from qdocs.writers.layout import FOOT, NEXT_PAGE, PLACES

# The widths inside a 附件说明 item, in body characters: "附件：" and "1." (as the
# stylesheet's .att-label and .att-num); the name starts after both.
ATT_LABEL_CHARS = 3
ATT_NUM_CHARS = 1

# Windows ships 仿宋 and 楷体 but not the _GB2312 faces government PCs add: Word
# substitutes the fontTable altName when the named face is missing.
WORD_ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}

# Calibration: a chart picture is this much narrower than the type area on each side.
# LibreOffice 7.4 sets an inline picture 3.2 mm right of the left margin on a page with a
# character grid, centred or not (measured: a 156 mm chart inked 31.2–187.2 mm, past the
# type area's 184 mm); at 150 mm it stands within the type area in Word and LibreOffice.
CHART_INSET_MM = 3

_WS = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; no-break and ideographic spaces stay

# Which parts each container may hold (docs/html-subset.md, "Block parts").
_MASTHEAD = frozenset({("p", "issuer-mark"), ("p", "doc-number"), ("hr", "red-rule")})
_ANNEX_PARTS = frozenset({
    ("h1", "title"), ("p", "addressee"), ("p", "body"), ("h2", "heading-1"),
    ("h3", "heading-2"), ("h4", "heading-3"), ("h5", "heading-4"), ("p", "note"),
    ("p", "annex-label"), ("h1", "annex-title"), ("p", "centered"), ("hr", "red-rule"),
    ("div", "masthead"), ("div", "attachments"), ("div", "signature-block"),
    ("table", "grid"), ("table", "grid compact"), ("figure", "chart"), ("div", "page-break"),
    ("div", "screen-only")})
_BODY_PARTS = _ANNEX_PARTS | {("p", "sample-mark"), ("section", "annex"), ("div", "imprint")}
_INLINE_STYLES = {"lead-1": "QD Lead 1", "lead-2": "QD Lead 2"}
_CELL_ALIGN = {"": None, "num": "right", "center": "center"}  # w:jc values


def write_docx(html: str, dest: Path, *, title: str, created: dt.datetime) -> None:
    """Write the semantic HTML `html` as a GB/T 9704 DOCX at `dest` (atomically)."""
    write_atomic(dest, docx_bytes(html, title=title, created=created))


def docx_bytes(html: str, *, title: str, created: dt.datetime) -> bytes:
    """The semantic HTML `html` as the bytes of a GB/T 9704 DOCX.

    `title` and `created` become the core properties (created and modified alike; a
    naive `created` is taken as UTC), so the bytes depend on the arguments only.
    """
    profile = load_profile()
    try:
        root = lxml.html.document_fromstring(html)
    except lxml.etree.ParserError as exc:
        raise DocxError(f"the HTML cannot be read: {exc}") from None
    template, styles, repeated = _styled_template(profile)
    document = copy.deepcopy(template)
    _Builder(document, profile, dict(styles)).build(root.body)
    _set_properties(document, title, created)
    return _package_bytes(document, repeated)


@functools.cache
def _styled_template(profile: Profile) -> tuple[DocxDocument, dict[str, str], frozenset[str]]:
    """python-docx's template with the QD styles added, once a process: adding ~30
    styles costs more than the walk of a whole notice. Its styles part becomes fixed
    bytes (docx_package), since reading, copying and writing its 9,000 elements cost
    more than the rest; nothing else of it is touched, so each document's copy of it
    is whole (no proxy holds an element inside a part)."""
    document = Document()
    styles = add_styles(document, profile, att_label_chars=ATT_LABEL_CHARS,
                        att_num_chars=ATT_NUM_CHARS)
    freeze_part(document.part, RT.STYLES)
    return document, styles, byte_parts(document.part.package)


class _Builder:
    """One document's walk: appends paragraphs and tables to the body as it goes."""

    def __init__(self, document, profile: Profile, styles: dict[str, str]):
        self.doc = document
        self.p = profile
        self.styles = styles  # style name -> style id
        self.body = document.element.body
        self.sample_mark: str | None = None
        self.break_before = False
        self.section_end = None  # the paragraph that closes the main section
        self.imprint_place = NEXT_PAGE

    # --- blocks -----------------------------------------------------------------------

    def build(self, body) -> None:
        """Walk `body`, then set up the page, the footers and the 版记 section."""
        self.blocks(body, _BODY_PARTS, "<body>")
        self.finish()

    def blocks(self, parent, allowed: frozenset, where: str) -> None:
        """Each child of a block container, by its (tag, class)."""
        for el in H.elements(parent):
            key = H.key(el)
            if key not in allowed:
                raise H.unknown(el, where)
            handler = self._HANDLERS.get(key)
            if handler:
                handler(self, el)
            else:
                self.paragraph(el, PARAGRAPH_STYLES[key])

    def new_p(self, style: str):
        """An empty body paragraph of `style`; it takes a pending page break."""
        p = self.body.add_p()
        X.set_paragraph_style(p, self.styles[style])
        if self.break_before:
            X.set_page_break_before(p.pPr)
            self.break_before = False
        return p

    def paragraph(self, el, style: str):
        """A body paragraph of `style` holding the inline content of `el`."""
        p = self.new_p(style)
        self.runs(p, self.inline(el))
        if el.get("data-tight"):
            self.tighten(p)
        return p

    def tighten(self, p) -> None:
        """7.3.5.1 remedy (qdocs/writers/layout.py): the profile's tighter line pitch, off
        the 22-line grid, and its tighter letter-spacing."""
        pPr = p.get_or_add_pPr()
        X.set_snap_to_grid(pPr, False)
        fmt = Paragraph(p, self.doc).paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(X.twips(self.p.remedy_line_pitch_pt))
        for r in p.iterchildren(qn("w:r")):
            X.set_character_spacing(r.get_or_add_rPr(), X.twips(self.p.remedy_letter_spacing_pt))

    def masthead(self, el) -> None:
        self.blocks(el, _MASTHEAD, "div.masthead")

    def red_rule(self, el) -> None:
        if len(el) or (el.text or "").strip():
            raise UnknownElementError(f"{H.describe(el)} must be empty")
        self.new_p("QD Red Rule")

    def attachments(self, el) -> None:
        """附件说明: a blank line above, then items whose names align on wrapped lines."""
        for i, item in enumerate(H.elements(el)):
            if H.key(item) != ("p", "attachment"):
                raise H.unknown(item, "div.attachments")
            p = self.new_p("QD Attachment")
            # 7.3.5: the 署名 stands on the page of the text above it, and the 附件说明
            # between them keeps with both
            X.set_keep_with_next(p.get_or_add_pPr())
            if i == 0:
                self.space_before(p, self.p.attachments.blank_lines_before)
                before = p.getprevious()
                if before is not None and before.tag == qn("w:p"):
                    X.set_keep_with_next(before.get_or_add_pPr())
            label, num, name = H.spans(item, ("att-label", "att-num", "att-name"))
            # "附件：1." then a tab to the name's stop, so names align whatever the
            # width of "1." (CJK/Latin autospacing varies by reader); an empty label
            # (later items) is a tab to the number's stop.
            tab = [("\t", None)]
            lead = self.inline(label) or tab
            number = self.inline(num)
            # one annex: no number and no tab; the name follows 附件： (7.3.4)
            self.runs(p, lead + (number + tab if number else []) + self.inline(name))

    def signature_block(self, el) -> None:
        """署名 and 成文日期, each its data-right-chars from the type area's right edge."""
        defaults = {"date": self.p.signature.date_right_chars}
        for i, item in enumerate(H.elements(el)):
            tag, cls = H.key(item)
            if (tag, cls) not in {("p", "signature"), ("p", "date")}:
                raise H.unknown(item, "div.signature-block")
            p = self.paragraph(item, PARAGRAPH_STYLES[(tag, cls)])
            right = H.chars_attr(item, "data-right-chars", defaults.get(cls))
            X.set_char_indents(p.get_or_add_pPr(), self.p.char_pt, right=right)
            if i == 0:
                self.space_before(p, self.p.signature.blank_lines_before)
                X.set_keep_with_next(p.get_or_add_pPr())   # 署名 and 成文日期 stand together
                # 7.3.5: the seal stands within a line of the text above it, so the
                # text's last paragraph goes to the next page with the signature.
                before = p.getprevious()
                if before is not None and before.tag == qn("w:p"):
                    X.set_keep_with_next(before.get_or_add_pPr())

    def space_before(self, p, lines: int) -> None:
        Paragraph(p, self.doc).paragraph_format.space_before = Twips(
            X.twips(lines * self.p.body.line_pitch_pt))

    def sample_mark_part(self, el) -> None:
        """示例数据 goes into every page header, as the PDF prints it on every page."""
        self.sample_mark = "".join(s[0] for s in self.inline(el))

    def annex(self, el) -> None:
        self.break_before = True
        self.blocks(el, _ANNEX_PARTS, f"section.annex (line {el.sourceline})")

    def screen_only(self, el) -> None:
        """div.screen-only: shown in the HTML card, left out of PDF and DOCX by design."""

    def page_break(self, el) -> None:
        list(H.elements(el))
        self.break_before = True

    def figure(self, el) -> None:
        """A chart: the picture drawn from data-chart (the SVG is for PDF and HTML)."""
        if el.get("data-chart") is None:
            raise DocxError(f"{H.describe(el)}: figure.chart needs data-chart for the DOCX")
        font = next((resolve_fonts()[r].file for r in ("hei", "fang")
                     if resolve_fonts()[r].file), None)
        try:
            png = draw_chart(el.get("data-chart"), self.p, font)
        except ValueError as exc:
            raise DocxError(f"{H.describe(el)}: {exc}") from None
        run = Paragraph(self.new_p("QD Figure"), self.doc).add_run()
        width_mm = self.p.type_area.width_mm - 2 * CHART_INSET_MM
        run.add_picture(io.BytesIO(png), width=Twips(X.mm_twips(width_mm)))
        for child in H.elements(el):
            if child.tag == "figcaption" and not child.get("class"):
                self.paragraph(child, "QD Caption")
            elif child.tag != "svg":
                raise H.unknown(child, "figure.chart")

    # --- tables -----------------------------------------------------------------------

    def table(self, el) -> None:
        """table.grid: header rows repeat, colspan → gridSpan, rowspan → vMerge."""
        try:
            widths = [X.mm_twips(float(w)) for w in el.get("data-widths-mm", "").split(",")]
        except ValueError:
            raise DocxError(f"{H.describe(el)}: data-widths-mm must list widths in mm") from None
        if sum(widths) > X.mm_twips(self.p.type_area.width_mm) + len(widths):
            raise DocxError(f"{H.describe(el)}: columns wider than the type area")
        if self.break_before:
            self.new_p("QD Spacer")
        tbl = X.new_table(widths, style_id=self.styles["QD Grid"])
        covered: dict[int, list[int]] = {}  # column -> [colspan, rows still covered]
        kind = "Compact" if "compact" in H.key(el)[1].split() else "Table"
        for tr, header in H.rows(el):
            tbl.append(self.row(tr, header, widths, covered, kind))
        if covered:
            raise DocxError(f"{H.describe(el)}: a rowspan runs past the last row")
        self.body.sectPr.addprevious(tbl)

    def row(self, tr, header: bool, widths: list[int], covered: dict, kind: str = "Table"):
        cls = H.key(tr)[1]
        if cls not in ("", "subtotal", "total"):
            raise H.unknown(tr, "table.grid")
        row = X.new_row(header=header)
        col = 0

        def cover_until(limit: int) -> int:
            nonlocal col
            while col in covered and col < limit:
                span = covered[col][0]
                row.append(X.new_cell(sum(widths[col:col + span]), span=span,
                                      vmerge="continue"))
                covered[col][1] -= 1
                if covered[col][1] == 0:
                    del covered[col]
                col += span
            return col

        for cell in H.elements(tr):
            tag, ccls = H.key(cell)
            if tag not in ("th", "td") or ccls not in _CELL_ALIGN:
                raise H.unknown(cell, "tr")
            cover_until(len(widths))
            span, down = H.int_attr(cell, "colspan", 1), H.int_attr(cell, "rowspan", 1)
            if col + span > len(widths):
                raise DocxError(f"{H.describe(cell)}: the row is wider than data-widths-mm")
            style = (f"QD {kind} Header" if tag == "th" or header
                     else f"QD {kind} Total" if cls else f"QD {kind} Text")
            # a group heading row (one cell across the table: （一）产品质量…) never
            # ends a page: Word keeps a row with the next when its paragraphs keep
            tc = X.new_cell(sum(widths[col:col + span]), span=span,
                            vmerge="restart" if down > 1 else None,
                            style_id=self.styles[style], jc=_CELL_ALIGN[ccls],
                            keep_next=not header and span == len(widths))
            self.runs(tc[-1], self.inline(cell))
            row.append(tc)
            if down > 1:
                covered[col] = [span, down - 1]
            col += span
        if cover_until(len(widths)) != len(widths):
            raise DocxError(f"{H.describe(tr)}: {col} columns, data-widths-mm gives "
                            f"{len(widths)}")
        return row

    # --- the 版记 and the sections -----------------------------------------------------

    def imprint(self, el) -> None:
        """版记: closes the main section; its own section starts on an even page with
        its text at the foot and no page number (7.4, 7.5)."""
        following = el.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is not None:
            raise DocxError(f"{H.describe(el)}: the 版记 must be the last part")
        last = self.body[-2] if len(self.body) > 1 else None
        self.section_end = last if last is not None and last.tag == qn("w:p") else (
            self.new_p("QD Spacer"))
        self.break_before = False
        rows = []
        for item in H.elements(el):
            if H.key(item) == ("p", "printer"):
                name, date = H.spans(item, ("printer-name", "print-date"))
                rows.append(("printer", self.inline(name) + [("\t", None)] + self.inline(date)))
            elif H.key(item) == ("p", "cc"):
                rows.append(("cc", self.inline(item)))
            else:
                raise H.unknown(item, "div.imprint")
        place = el.get("data-place") or NEXT_PAGE
        if place not in PLACES:
            raise DocxError(f"{H.describe(el)}: data-place must be one of {', '.join(PLACES)}")
        self.imprint_place = place
        if place == FOOT:
            self.section_end = None   # no page of its own: it floats to this page's foot
        try:
            pad_pt = float(el.get("data-pad-pt", "0"))
        except ValueError:
            raise DocxError(f"{H.describe(el)}: data-pad-pt must be a length in pt") from None
        add_imprint(self.body, rows, self.p, self.styles, self.runs, place=place,
                    pad_pt=max(0.0, pad_pt))

    def finish(self) -> None:
        """Page setup, footers, and the 版记's own last section (docx_page)."""
        set_up_pages(self.doc, self.p, self.styles, sample_mark=self.sample_mark,
                     section_end=self.section_end, imprint_place=self.imprint_place)

    # --- inline content ------------------------------------------------------------------

    def inline(self, el, style: str | None = None, nowrap: bool = False) -> list[tuple]:
        """The inline content of `el` as (text, character style[, nowrap]) segments,
        whitespace collapsed as HTML does (runs of it to one space, none at the ends)."""
        raw: list[tuple] = []
        self._collect(el, style, nowrap, raw)
        out: list[list] = []
        at_start = True
        for text, seg_style, seg_nowrap, is_break in raw:
            if not is_break:
                text = _WS.sub(" ", text)
                text = text.lstrip(" ") if at_start else text
            elif out:
                out[-1][0] = out[-1][0].rstrip(" ")
            if not text:
                continue
            if out and out[-1][1:] == [seg_style, seg_nowrap]:
                out[-1][0] += text
            else:
                out.append([text, seg_style, seg_nowrap])
            at_start = is_break or text.endswith(" ")
        if out:
            out[-1][0] = out[-1][0].rstrip(" ")
        return [tuple(seg) for seg in out if seg[0]]

    def _collect(self, el, style, nowrap, raw: list) -> None:
        if H.NOT_XML.search(el.text or "") or H.NOT_XML.search(el.tail or ""):
            raise DocxError(f"{H.describe(el)}: a control character Word cannot store")
        if el.text:
            raw.append((el.text, style, nowrap, False))
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag == "br" and child.get("class") in (None, "title-break"):
                raw.append(("\n", style, nowrap, True))
            elif child.tag == "span" and child.get("class") in _INLINE_STYLES:
                self._collect(child, _INLINE_STYLES[child.get("class")], nowrap, raw)
            elif child.tag == "span" and child.get("class") == "nowrap":
                self._collect(child, style, True, raw)
            elif child.tag == "span" and child.get("class") and not H.key(child)[1]:
                self._collect(child, style, nowrap, raw)  # marker classes only
            else:
                raise H.unknown(child, H.describe(el))
            if child.tail:
                raw.append((child.tail, style, nowrap, False))

    def runs(self, p, segments) -> None:
        """Append one run a segment; ambiguous-width punctuation gets the CJK hint."""
        for text, style, *nowrap in segments:
            r = X.add_run(p, self.styles[style] if style else None,
                          east_asia_hint=not X.AMBIGUOUS_WIDTH.isdisjoint(text))
            X.add_text(r, text, nowrap=bool(nowrap and nowrap[0]))

    _HANDLERS = {
        ("div", "masthead"): masthead, ("hr", "red-rule"): red_rule,
        ("div", "attachments"): attachments, ("div", "signature-block"): signature_block,
        ("p", "sample-mark"): sample_mark_part, ("section", "annex"): annex,
        ("div", "page-break"): page_break, ("figure", "chart"): figure,
        ("div", "screen-only"): screen_only,
        ("table", "grid"): table, ("table", "grid compact"): table, ("div", "imprint"): imprint,
    }


def _set_properties(document, title: str, created: dt.datetime) -> None:
    """Core properties from the arguments only; no thumbnail of python-docx's template."""
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    props = document.core_properties
    props.title = title
    props.author = "qdocs"
    props.last_modified_by = "qdocs"
    props.comments = ""
    props.revision = 1
    props.created = props.modified = created.replace(microsecond=0)
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]


def _package_bytes(document, repeated: frozenset[str]) -> bytes:
    """The .docx bytes with a fixed date and order (python-docx stamps the current time),
    fontTable.xml naming the CJK faces: python-docx's parts zipped once, here, instead of
    saved by python-docx, read back and zipped again. The members named in `repeated`
    hold the template's bytes (docx_package)."""
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, parts)
    names = sorted(members.blobs,
                   key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    return zip_bytes([(name, _font_table(members.blobs[name]) if name == "word/fontTable.xml"
                       else members.blobs[name]) for name in names], repeated)


@functools.lru_cache(maxsize=4)
def _font_table(xml: bytes) -> bytes:
    """fontTable.xml naming the CJK faces (the template's, so once a process)."""
    return X.font_table(xml, {face: WORD_ALT_NAMES.get(face)
                              for face in STANDARD_FACES.values()})


class _Members:
    """Stands in for python-docx's zip writer: keeps each member's bytes by name."""

    def __init__(self):
        self.blobs: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.blobs[pack_uri.membername] = blob


