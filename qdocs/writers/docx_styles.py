"""The named Word styles of the DOCX, each derived from the GB/T 9704 profile.

A colleague who edits the DOCX in Word or WPS finds every part under a `QD …` style
(docs/html-subset.md names them), so changing, say, the body face is one style edit.
Every style names its standard face for all scripts and carries no theme-font
attribute (they would win over the explicit names); lines are exact multiples of the
profile's pitch so the 22-line pages of the PDF hold in Word.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import RGBColor, Twips
from docx.styles.style import StyleFactory

from qdocs.fonts import STANDARD_FACES
from qdocs.profile import Profile
from qdocs.writers import docx_xml as X

# Calibration, measured on the sample notice in LibreOffice 7.4 with the substitutes
# (FandolFang, Noto Serif CJK SC Bold), the only layout engine for DOCX here: in a line
# set "exactly", the em box of a CJK glyph does not touch the line's edges. The 36 pt
# 发文机关标志 in a 36 pt line has its glyph top 0.50 mm (0.04 em) above the line's top;
# the 3号 发文字号 in a 28.95 pt line has its em box's foot 1.72 mm (0.305 em) above
# the line's foot.
GLYPH_TOP_EM = -0.04
GLYPH_FOOT_EM = 0.305

# Paragraphs that carry no text of their own (the red rule, spacers) are this small,
# so their exact height is what the profile says and not the height of a 3号 line.
SPACER_PT = 1.0

# The 示例数据 mark's line, in ems of its size: room for its box.
SAMPLE_MARK_LINE_EM = 2

# The border of the 示例数据 mark (the stylesheet draws it 1 pt wide).
SAMPLE_MARK_RULE_MM = 1 / X.PT_PER_MM

# The parts written as one paragraph of one style (docs/html-subset.md).
PARAGRAPH_STYLES = {
    ("p", "issuer-mark"): "QD Issuer Mark", ("p", "doc-number"): "QD Doc Number",
    ("h1", "title"): "QD Title", ("p", "addressee"): "QD Addressee",
    ("p", "body"): "QD Body", ("h2", "heading-1"): "QD Heading 1",
    ("h3", "heading-2"): "QD Heading 2", ("h4", "heading-3"): "QD Heading 3",
    ("h5", "heading-4"): "QD Heading 4", ("p", "signature"): "QD Signature",
    ("p", "date"): "QD Date", ("p", "note"): "QD Note",
    ("p", "annex-label"): "QD Annex Label", ("h1", "annex-title"): "QD Annex Title",
    ("p", "centered"): "QD Centered",
}

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "both": WD_ALIGN_PARAGRAPH.JUSTIFY}


@dataclass(frozen=True)
class _Style:
    """One paragraph style: lengths in points, indents in body characters."""

    name: str
    role: str
    size_pt: float
    line_pt: float | None  # exact line height; None: single spacing (pictures)
    align: str = "both"
    first: float | None = None
    left: float | None = None
    right: float | None = None
    hanging: float | None = None
    before_pt: float = 0
    after_pt: float = 0
    snap: bool = True  # on the document grid (3号 text only)
    keep_next: bool = False
    color: str | None = None
    outline: int | None = None
    rule: tuple[float, str] | None = None  # bottom border: width mm, colour
    tabs: tuple[float, ...] = ()  # left tab stops, in body characters
    tracking: bool = False  # condensed so 28 characters fill a line (body text)


def _specs(p: Profile, att_label_chars: int, att_num_chars: int) -> list[_Style]:
    """Every paragraph style, from the profile."""
    size, pitch, mm = p.body.font_size_pt, p.body.line_pitch_pt, X.PT_PER_MM
    m, rule, table = p.masthead, p.red_rule, p.table
    indent = p.body.first_line_indent_chars
    att = p.attachments.indent_chars
    heading = dict(size_pt=size, line_pt=pitch, first=indent, keep_next=True, tracking=True)
    title = dict(role=p.title.role, size_pt=p.title.font_size_pt, line_pt=pitch,
                 align="center", snap=False, keep_next=True,
                 after_pt=p.title.blank_lines_after * pitch)
    cell = dict(size_pt=table.font_size_pt, line_pt=table.line_pitch_pt, snap=False)
    compact = dict(size_pt=table.compact_font_size_pt, line_pt=table.compact_line_pitch_pt,
                   snap=False)
    return [
        _Style("QD Body", p.body.role, size, pitch, first=indent, tracking=True),
        _Style("QD Addressee", p.body.role, size, pitch, tracking=True),
        # 7.2.2: the mark's top 35 mm below the type area's top, two lines above 发文字号.
        _Style("QD Issuer Mark", m.role, m.font_size_pt, m.font_size_pt, "center",
               before_pt=m.top_below_type_area_mm * mm - m.font_size_pt * GLYPH_TOP_EM,
               after_pt=m.blank_lines_after * pitch, snap=False, color=m.color),
        _Style("QD Doc Number", p.doc_number.role, size, pitch, "center"),
        # 7.2.5: the rule 4 mm below the 发文字号's glyphs, then two blank lines.
        _Style("QD Red Rule", p.body.role, SPACER_PT,
               rule.below_doc_number_mm * mm - size * GLYPH_FOOT_EM, "left",
               after_pt=rule.blank_lines_after * pitch, snap=False,
               rule=(rule.thickness_mm, rule.color)),
        _Style("QD Title", **title),
        _Style("QD Heading 1", p.headings.level1.role, outline=0, **heading),
        _Style("QD Heading 2", p.headings.level2.role, outline=1, **heading),
        _Style("QD Heading 3", p.headings.level3.role, outline=2, **heading),
        _Style("QD Heading 4", p.headings.level4.role, outline=3, **heading),
        # 7.3.4: "附件：" two characters in; wrapped lines align with the name, at the
        # tab stop after the number. Not justified (as in the PDF); kept together and
        # with the signature below.
        _Style("QD Attachment", p.body.role, size, pitch, "left", keep_next=True,
               left=att + att_label_chars + att_num_chars,
               hanging=att_label_chars + att_num_chars,
               tabs=(att + att_label_chars, att + att_label_chars + att_num_chars),
               tracking=True),
        _Style("QD Signature", p.body.role, size, pitch, "right"),
        _Style("QD Date", p.body.role, size, pitch, "right",
               right=p.signature.date_right_chars),
        _Style("QD Note", p.body.role, size, pitch, left=p.note.indent_chars, tracking=True),
        _Style("QD Annex Label", p.annex.label_role, size, pitch, "left", keep_next=True,
               tracking=True),
        # 7.3.7: 附件N on line 1, a blank line, the annex title on line 3.
        _Style("QD Annex Title", before_pt=(p.annex.title_line - 2) * pitch, **title),
        _Style("QD Centered", p.body.role, size, pitch, "center", tracking=True),
        _Style("QD Table Text", p.body.role, align="left", **cell),
        _Style("QD Table Header", table.header_role, align="center", **cell),
        _Style("QD Table Total", table.header_role, align="left", **cell),
        _Style("QD Compact Text", p.body.role, align="left", **compact),
        _Style("QD Compact Header", table.header_role, align="center", **compact),
        _Style("QD Compact Total", table.header_role, align="left", **compact),
        # The figure keeps half a line above and below, as the stylesheet's margin.
        _Style("QD Figure", p.body.role, size, None, "center", snap=False, keep_next=True,
               before_pt=pitch / 2),
        _Style("QD Caption", p.body.role, align="center", after_pt=pitch / 2, **cell),
        _Style("QD Imprint", p.imprint.role, p.imprint.font_size_pt,
               p.imprint.line_pitch_pt, "left", snap=False),
        _Style("QD Page Number", p.page_number.role, p.page_number.font_size_pt,
               p.page_number.font_size_pt, "left", snap=False),
        # In the header, halfway up the top margin (docx_page); the space after it fills
        # the header to the type area's top, which LibreOffice 7.4 needs to start the
        # 版记's section there rather than right below the header.
        _Style("QD Sample Mark", "hei", p.sample_mark.font_size_pt,
               p.sample_mark.font_size_pt * SAMPLE_MARK_LINE_EM, "right", snap=False,
               color=p.sample_mark.color, after_pt=p.type_area.top_mm / 2 * mm
               - p.sample_mark.font_size_pt * SAMPLE_MARK_LINE_EM),
        _Style("QD Spacer", p.body.role, SPACER_PT, SPACER_PT, "left", snap=False),
    ]


def add_styles(document, profile: Profile, *, att_label_chars: int,
               att_num_chars: int) -> dict[str, str]:
    """Add the QD styles to `document`, clean docDefaults and Normal of theme fonts,
    and return style name → style id."""
    styles = document.styles
    body_face = STANDARD_FACES[profile.body.role]
    X.strip_theme_fonts(styles.element)
    X.set_doc_defaults(styles.element, body_face, profile.body.font_size_pt, "zh-CN")
    normal = styles["Normal"]
    X.set_fonts(normal.element.get_or_add_rPr(), body_face)
    X.set_run_size(normal.element.get_or_add_rPr(), profile.body.font_size_pt)
    normal.paragraph_format.widow_control = False  # 22 lines a page, no pulled lines
    X.set_no_hanging_punctuation(normal.element.get_or_add_pPr())
    X.set_no_autospace(normal.element.get_or_add_pPr())
    ids = {}
    taken = {style.name_val for style in styles.element.style_lst}
    # Condensed spacing, rounded down to whole twips so 28 characters always fit.
    tracking = math.floor(profile.body.letter_spacing_pt * 20)
    for spec in _specs(profile, att_label_chars, att_num_chars):
        style = _add_style(styles, taken, spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        _apply(style, spec, profile.char_pt, tracking if spec.tracking else None)
        ids[spec.name] = style.style_id
    leads = (("QD Lead 1", profile.headings.level1.role),
             ("QD Lead 2", profile.headings.level2.role))
    for name, role in leads:
        style = _add_style(styles, taken, name, WD_STYLE_TYPE.CHARACTER)
        X.set_fonts(style.element.get_or_add_rPr(), STANDARD_FACES[role])
        ids[name] = style.style_id
    grid = _add_style(styles, taken, "QD Grid", WD_STYLE_TYPE.TABLE)
    t = profile.table
    X.set_table_style_borders(grid.element, t.rule_mm, t.cell_padding_mm / 2,
                              t.cell_padding_mm)
    ids["QD Grid"] = grid.style_id
    return ids


def _add_style(styles, taken: set[str], name: str, kind: WD_STYLE_TYPE):
    """styles.add_style(name, kind), the name checked against `taken`: python-docx
    looks through every style's name for each one added, most of the template's cost."""
    if name in taken:
        raise ValueError(f"the template already has a style {name!r}")
    taken.add(name)
    return StyleFactory(styles.element.add_style_of_type(name, kind, False))


def _apply(style, spec: _Style, char_pt: float, tracking: int | None) -> None:
    fmt = style.paragraph_format
    fmt.alignment = _ALIGN[spec.align]
    if spec.line_pt is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing = Twips(X.twips(spec.line_pt))
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.space_before = Twips(X.twips(spec.before_pt))
    fmt.space_after = Twips(X.twips(spec.after_pt))
    fmt.widow_control = False
    if spec.keep_next:
        fmt.keep_with_next = True
    for chars in spec.tabs:
        fmt.tab_stops.add_tab_stop(Twips(X.twips(chars * char_pt)))
    pPr = style.element.get_or_add_pPr()
    X.set_char_indents(pPr, char_pt, first=spec.first, hanging=spec.hanging,
                       left=spec.left, right=spec.right)
    X.set_snap_to_grid(pPr, spec.snap)
    if spec.outline is not None:
        X.set_outline_level(pPr, spec.outline)
    if spec.rule:
        X.set_paragraph_border(pPr, "bottom", *spec.rule)
    rPr = style.element.get_or_add_rPr()
    X.set_fonts(rPr, STANDARD_FACES[spec.role])
    X.set_run_size(rPr, spec.size_pt)
    if tracking is not None:
        X.set_character_spacing(rPr, tracking)
    if spec.name == "QD Sample Mark":
        X.set_run_border(rPr, SAMPLE_MARK_RULE_MM, spec.color)
    if spec.color:
        style.font.color.rgb = RGBColor.from_string(spec.color.lstrip("#").upper())

