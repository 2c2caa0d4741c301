"""The DOCX page: A4 setup and grid, page-number footers, the 示例数据 header and the
版记's own last section.

GB/T 9704 §5.2 and §7.5 fix the page: margins, 22 lines, "— N —" odd pages right and
even pages left, 7 mm below the type area; the 版记 page and a blank page before it
carry no number. Word gets that from sections: the body's section has odd and even
footers with PAGE fields; the 版记's section starts on an even page, puts its text at
the foot (w:vAlign bottom) and has empty footers of its own.
"""

from __future__ import annotations

import math
import unicodedata

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.section import Section
from docx.shared import Twips
from docx.text.paragraph import Paragraph

from qdocs.profile import Profile
from qdocs.writers import docx_xml as X
from qdocs.writers.docx_styles import SPACER_PT
from qdocs.writers.layout import AFTER_BLANK, FOOT, NEXT_PAGE

# Calibration: the em-dash of 宋体 lies on the middle of its em box, and the footer
# line is set exactly one em tall, so the dash's middle is half an em above its foot
# (the stylesheet's DASH_CENTRE_EM; measured 7.0 mm below the type area in the
# LibreOffice rendering of the sample notice).
DASH_CENTRE_EM = 0.5

# Calibration: the 版记 spacer leaves this much of the type area free below the 版记's
# estimated height, so an estimate a little short never pushes the 版记's last paragraph
# onto a new page (LibreOffice 7.4 sets the 版记's rows 0.4 mm shorter than estimated).
IMPRINT_SLACK_PT = 0.5

# Calibration: a 版记 at the foot of a text page stands below a spacer as tall as the space
# the PDF's layout left above it, less this much, so a text that ends a little lower in
# Word or LibreOffice does not push the 版记 onto a new page (measured on the sample
# notice in LibreOffice 7.4: the full space overflowed by about 0.1 mm; with tables' rules
# no wider than the PDF's, 1 pt less puts the last rule 0.4 mm above the foot).
FOOT_SLACK_PT = 1.0

# The paragraph that must follow the 版记's table, as thin as Word allows (twips).
TRAILER_TWIPS = 2

# Calibration: on a page with a line grid LibreOffice 7.4 sets a table 2.37 mm below
# where the text above it ends (measured on the sample notice's 版记 page); the spacer
# is that much shorter. Word, which aligns the section to the bottom, is not affected.
GRID_TABLE_DROP_MM = 2.37

# Calibration: after a page break within the section (`after-blank`) the table follows
# the spacer with next to no drop (measured on the second example's bulletin in
# LibreOffice 7.4: 2.4 mm high with the drop above, over the page's foot with none).
BREAK_TABLE_DROP_MM = 0.2


def add_imprint(body, rows: list[tuple[str, list]], p: Profile, styles: dict[str, str],
                runs, *, place: str = NEXT_PAGE, pad_pt: float = 0.0) -> None:
    """The 版记 as a one-column table between rules the width of the type area, text one
    4号 character in, 印发日期 at a right tab; `rows` are ("cc" | "printer", segments)
    and `runs(p, segments)` writes a paragraph's runs.

    A spacer paragraph above it, as tall as the type area less the 版记's estimated
    height, sets it at the foot for readers that ignore w:vAlign (LibreOffice 7.4);
    Word and WPS align the section to the bottom either way.

    `place` (qdocs/writers/layout.py): `foot` floats the table to the foot of the page the
    text ends on; `after-blank` first fills the blank page with an empty paragraph, so the
    page exists in the file and not only in Word's section logic (LibreOffice's PDF export
    drops an automatic blank page); `next-page` is the 版记's own section."""
    im, ta = p.imprint, p.type_area
    width = X.mm_twips(ta.width_mm)
    pad = X.twips(im.indent_chars * im.font_size_pt)
    chars = math.floor((width - 2 * pad) / 20 / im.font_size_pt) - 1  # one for kinsoku
    lines = sum(_lines("".join(seg[0] for seg in segs), chars) for _, segs in rows)
    rules = 2 * X.border_eighths(im.outer_rule_mm) + (len(rows) - 1) * X.border_eighths(
        im.inner_rule_mm)
    height = lines * X.twips(im.line_pitch_pt) + math.ceil(rules * 20 / 8) + TRAILER_TWIPS
    drop = GRID_TABLE_DROP_MM if place == NEXT_PAGE else BREAK_TABLE_DROP_MM
    free = X.mm_twips(ta.height_mm - drop) - height - X.twips(IMPRINT_SLACK_PT)
    if place == AFTER_BLANK:
        _spacer(body, styles, X.twips(SPACER_PT))          # the blank page, its own paragraph
    if place == FOOT:
        # the space the PDF's layout left above the 版记 (LibreOffice 7.4 does not float a
        # table as wide as the type area, and Word has no "foot of this page" for a table)
        _spacer(body, styles, max(X.twips(SPACER_PT), X.twips(pad_pt - FOOT_SLACK_PT)))
    else:
        spacer = _spacer(body, styles, max(X.twips(SPACER_PT), free))
        if place == AFTER_BLANK:
            X.set_page_break_before(spacer.get_or_add_pPr())
    tbl = X.new_table([width])

    X.set_table_rules(tbl, im.outer_rule_mm, im.inner_rule_mm, pad)
    for kind, segments in rows:
        tr = X.new_row(header=False)
        tc = X.new_cell(width, valign="top")
        par = tc[-1]
        par.get_or_add_pPr().style = styles["QD Imprint"]
        if kind == "printer":
            Paragraph(par, None).paragraph_format.tab_stops.add_tab_stop(
                Twips(width - 2 * pad), WD_TAB_ALIGNMENT.RIGHT)
        runs(par, segments)
        tr.append(tc)
        tbl.append(tr)
    body.sectPr.addprevious(tbl)
    _spacer(body, styles, TRAILER_TWIPS)  # a table may not end a section


def _spacer(body, styles: dict[str, str], height: int) -> None:
    """An empty paragraph exactly `height` twips tall."""
    p = body.add_p()
    p.get_or_add_pPr().style = styles["QD Spacer"]
    fmt = Paragraph(p, None).paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(height)
    return p


def _lines(text: str, chars: int) -> int:
    """Lines a row of the 版记 takes at most: CJK characters full width, others half."""
    width = sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)
    return max(1, math.ceil(width / chars))


def set_up_pages(document, profile: Profile, styles: dict[str, str], *,
                 sample_mark: str | None, section_end, imprint_place: str = NEXT_PAGE) -> None:
    """Page setup and footers of the body's section; with `section_end` (the last
    paragraph before the 版记), close that section there and make the rest the 版记's:
    numbered on from the text when it follows a text page (`next-page`), unnumbered
    after a blank page (`after-blank`, 7.5)."""
    main = document.sections[0]
    _page_setup(main, profile)
    _page_numbers(main, profile, styles["QD Page Number"])
    if sample_mark:
        for header in (main.header, main.even_page_header):
            p = header.paragraphs[0]._p
            p.get_or_add_pPr().style = styles["QD Sample Mark"]
            X.add_text(p.add_r(), sample_mark)
    X.set_east_asian_settings(document.settings.element, "zh-CN")
    if section_end is None:
        return
    X.end_section(section_end, main._sectPr)
    last = Section(document.element.body.sectPr, document.part)
    X.drop_header_footer_refs(last._sectPr)  # headers (示例数据) and numbers carry on
    X.set_vertical_alignment(last._sectPr, "bottom")
    if imprint_place != AFTER_BLANK:
        # the text ends on an odd page: the 版记 page is the next, an even one
        X.set_section_start(last._sectPr, "evenPage")
        return
    # the blank page is a page of this section (its own paragraph), then the 版记's page
    X.set_section_start(last._sectPr, "nextPage")
    for footer in (last.footer, last.even_page_footer):
        footer.is_linked_to_previous = False
        footer.paragraphs[0]._p.get_or_add_pPr().style = styles["QD Page Number"]


def _page_setup(section, p: Profile) -> None:
    """A4, the GB/T 9704 margins and the 22-line, 28-character document grid."""
    ta, page, pn = p.type_area, p.page, p.page_number
    section.page_width = Twips(X.mm_twips(page.width_mm))
    section.page_height = Twips(X.mm_twips(page.height_mm))
    section.top_margin = Twips(X.mm_twips(ta.top_mm))
    section.bottom_margin = Twips(X.mm_twips(ta.bottom_mm))
    section.left_margin = Twips(X.mm_twips(ta.left_mm))
    section.right_margin = Twips(X.mm_twips(ta.right_mm))
    section.gutter = Twips(0)
    # The sample mark sits halfway up the top margin, as in the print stylesheet.
    section.header_distance = Twips(X.mm_twips(ta.top_mm / 2))
    # Word measures the footer from the page's foot to the foot of its last line.
    dash_mm = ta.bottom_mm - pn.below_type_area_mm
    section.footer_distance = Twips(
        X.mm_twips(dash_mm) - X.twips(pn.font_size_pt * DASH_CENTRE_EM))
    # The pitch Word derives from the margins as written, in whole twips.
    text_twips = section.page_width.twips - section.left_margin.twips - (
        section.right_margin.twips)
    char_pt = text_twips / 20 / p.body.chars_per_line
    X.set_doc_grid(section._sectPr, X.twips(p.body.line_pitch_pt),
                   X.char_space(char_pt, p.body.font_size_pt))


def _page_numbers(section, p: Profile, style_id: str) -> None:
    """— N —: odd pages right, even pages left, one 4号 character in (7.5)."""
    pn = p.page_number
    inset = X.twips(pn.inset_chars * pn.font_size_pt)
    for footer, align, indent in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, {"right": inset}),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, {"left": inset})):
        p_el = footer.paragraphs[0]._p
        pPr = p_el.get_or_add_pPr()
        pPr.style = style_id
        pPr.jc_val = align
        X.set_indents_twips(pPr, **indent)
        _dash_run(p_el, f"{pn.dash} ")
        X.add_page_field(p_el, p_el.add_r)
        _dash_run(p_el, f" {pn.dash}")


def _dash_run(p, text: str) -> None:
    r = p.add_r()
    X.set_east_asia_hint(r.get_or_add_rPr())  # the em-dash full-width, in 宋体
    X.add_text(r, text)
