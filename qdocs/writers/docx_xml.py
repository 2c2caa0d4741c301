"""The raw WordprocessingML python-docx has no API for, in one place.

East Asian font names, theme-font removal, character-based indents, the document grid,
odd/even footers, PAGE fields, borders, repeating table header rows, merged cells and
section breaks are all written here, by small functions that each set one thing.
Word rejects a file whose child elements are out of schema order, so every child is
inserted through `_child`, which follows the order of ECMA-376 Part 1 (§17.3.1.26 pPr,
§17.3.2.28 rPr, §17.6.17 sectPr, §17.4.60 tblPr, §17.4.70 tcPr).
"""

from __future__ import annotations

import copy
import functools
import math

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

PT_PER_MM = 72 / 25.4

_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
    "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
)
_SECTPR_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
    "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
    "printerSettings", "sectPrChange",
)
_TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook",
)
_TRPR_ORDER = ("cantSplit", "trHeight", "tblHeader")
_TCPR_ORDER = (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark",
)
_PBDR_ORDER = ("top", "left", "bottom", "right", "between", "bar")
_BORDERS_ORDER = ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV")

# Characters whose width Word decides by the run's hint: without w:hint="eastAsia"
# Word sets “” ‘’ — … · × in the Latin font, half-width, next to CJK text (the PDF's
# CJK faces draw them full-width).
AMBIGUOUS_WIDTH = frozenset("“”‘’—…·×")


def twips(pt: float) -> int:
    """Points to twentieths of a point, the unit of most WordprocessingML lengths."""
    return round(pt * 20)


def mm_twips(mm: float) -> int:
    """Millimetres to twips."""
    return twips(mm * PT_PER_MM)


def border_eighths(mm: float) -> int:
    """A border width in eighths of a point (w:sz), at least the 2 Word accepts."""
    return max(2, round(mm * PT_PER_MM * 8))


def border_eighths_at_most(mm: float) -> int:
    """A border width in eighths of a point no wider than `mm` (at least 2): a table's
    rules, so that its rows, each one rule taller, never add up taller than the PDF's
    (0.25 mm rounds to 0.75 pt, 0.015 mm over, which LibreOffice adds up row by row)."""
    return max(2, math.floor(mm * PT_PER_MM * 8 + 1e-9))


def _child(parent, tag: str, order: tuple[str, ...]):
    """The `w:tag` child of `parent`, created in schema order when missing."""
    found = parent.find(qn(f"w:{tag}"))
    if found is not None:
        return found
    el = OxmlElement(f"w:{tag}")
    later = order[order.index(tag) + 1:]
    for sibling in parent:
        if etree.QName(sibling).localname in later:
            sibling.addprevious(el)
            return el
    parent.append(el)
    return el


def _set(el, **attrs) -> None:
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), str(value))


# --- fonts -------------------------------------------------------------------------


def set_fonts(rPr, face: str) -> None:
    """Name `face` for every script, so Word and WPS use it for CJK and Latin alike,
    and drop theme-font attributes, which would win over the explicit names."""
    fonts = _child(rPr, "rFonts", _RPR_ORDER)
    for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{name}"), None)
    _set(fonts, ascii=face, hAnsi=face, eastAsia=face, cs=face)


def set_east_asia_hint(rPr) -> None:
    """Mark a run so ambiguous-width punctuation (“” —) is set full-width in the CJK font."""
    _set(_child(rPr, "rFonts", _RPR_ORDER), hint="eastAsia")


def strip_theme_fonts(root) -> None:
    """Remove every theme-font attribute below `root` (styles.xml): Word lets
    w:asciiTheme / w:eastAsiaTheme override w:ascii / w:eastAsia."""
    for fonts in root.iter(qn("w:rFonts")):
        for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{name}"), None)


def set_doc_defaults(styles_root, face: str, size_pt: float, lang: str) -> None:
    """docDefaults: the body face and size (the document grid's character pitch is
    reckoned from this size), the East Asian language, no paragraph spacing."""
    rpr = styles_root.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    set_fonts(rpr, face)
    _set(_child(rpr, "sz", _RPR_ORDER), val=round(size_pt * 2))
    _set(_child(rpr, "szCs", _RPR_ORDER), val=round(size_pt * 2))
    _set(_child(rpr, "lang", _RPR_ORDER), val="en-US", eastAsia=lang, bidi="ar-SA")
    ppr = styles_root.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr"))
    spacing = _child(ppr, "spacing", _PPR_ORDER)
    spacing.attrib.clear()
    _set(spacing, before=0, after=0, line=240, lineRule="auto")


def set_run_size(rPr, size_pt: float) -> None:
    """Font size for Latin and complex scripts alike (w:sz, w:szCs in half-points)."""
    _set(_child(rPr, "sz", _RPR_ORDER), val=round(size_pt * 2))
    _set(_child(rPr, "szCs", _RPR_ORDER), val=round(size_pt * 2))


def set_character_spacing(rPr, twips_: int) -> None:
    """Spacing added after each character (negative: condensed), in twips."""
    _set(_child(rPr, "spacing", _RPR_ORDER), val=twips_)


def set_run_border(rPr, width_mm: float, color: str) -> None:
    """A box around the run's text (w:bdr): the 示例数据 mark."""
    _set(_child(rPr, "bdr", _RPR_ORDER), val="single", sz=border_eighths(width_mm),
         space=1, color=color.lstrip("#").upper())


# --- paragraphs ---------------------------------------------------------------------


def set_char_indents(pPr, char_pt: float, *, first: float | None = None,
                     hanging: float | None = None, left: float | None = None,
                     right: float | None = None) -> None:
    """Indents in body characters: w:firstLineChars etc. (hundredths of a character,
    what Word's 字符 unit writes and WPS expects) plus the same length in twips for
    readers that ignore the character units."""
    given = {name: chars for name, chars in (("firstLine", first), ("hanging", hanging),
                                             ("left", left), ("right", right))
             if chars is not None}
    if given:
        ind = _child(pPr, "ind", _PPR_ORDER)
        for name, chars in given.items():
            _set(ind, **{name: twips(chars * char_pt), f"{name}Chars": round(chars * 100)})


def set_indents_twips(pPr, *, left: int | None = None, right: int | None = None) -> None:
    """Indents in twips, for lengths not measured in body characters (4号 page numbers)."""
    ind = _child(pPr, "ind", _PPR_ORDER)
    if left is not None:
        _set(ind, left=left)
    if right is not None:
        _set(ind, right=right)


def set_snap_to_grid(pPr, on: bool) -> None:
    """Whether the paragraph sits on the document grid. Off for text that is not
    3号: a 2号 title on a 3号 character grid would get two grid cells a character."""
    _set(_child(pPr, "snapToGrid", _PPR_ORDER), val=1 if on else 0)


def set_no_hanging_punctuation(pPr) -> None:
    """Keep line-end punctuation inside the type area, so full lines end flush with its
    edge as in the PDF: w:overflowPunct w:val="1".

    The value is the one LibreOffice 7.4 reads as "no hanging punctuation" (its DOCX
    import maps w:overflowPunct to ParaIsHangingPunctuation = (val == 0), the reverse of
    ECMA-376 §17.3.1.21; with val="0" it hangs "。" in the margin, measured). Word cannot
    be run here: if it follows the standard, val="1" lets punctuation hang there, which
    is also Word's default for Chinese text; if LibreOffice mirrors Word, neither hangs.
    """
    _set(_child(pPr, "overflowPunct", _PPR_ORDER), val=1)


def set_no_autospace(pPr) -> None:
    """No extra space between CJK and Latin text or digits (w:autoSpaceDE/DN off): the
    PDF sets none, so lines hold the same characters. (LibreOffice 7.4 ignores both.)"""
    _set(_child(pPr, "autoSpaceDE", _PPR_ORDER), val=0)
    _set(_child(pPr, "autoSpaceDN", _PPR_ORDER), val=0)


def set_keep_with_next(pPr) -> None:
    """Keep the paragraph on the page of the next one."""
    _child(pPr, "keepNext", _PPR_ORDER)


def set_page_break_before(pPr) -> None:
    """Start the paragraph on a new page (an annex, a div.page-break)."""
    _child(pPr, "pageBreakBefore", _PPR_ORDER)


def set_outline_level(pPr, level: int) -> None:
    """Outline level 0–8, so headings show in Word's navigation pane."""
    _set(_child(pPr, "outlineLvl", _PPR_ORDER), val=level)


def set_paragraph_border(pPr, side: str, width_mm: float, color: str,
                         space_pt: int = 0) -> None:
    """A single rule on one side of the paragraph, spanning its indents."""
    border = _child(_child(pPr, "pBdr", _PPR_ORDER), side, _PBDR_ORDER)
    _set(border, val="single", sz=border_eighths(width_mm), space=space_pt,
         color=color.lstrip("#").upper())


def end_section(p, sectPr) -> None:
    """Close a section at paragraph `p`: its sectPr goes into the paragraph's pPr."""
    pPr = p.get_or_add_pPr()
    pPr.append(copy.deepcopy(sectPr))  # sectPr is last but for pPrChange, never present


# --- runs ----------------------------------------------------------------------------


_W_R, _W_T, _W_PPR, _W_PSTYLE, _W_VAL = (qn(f"w:{t}") for t in ("r", "t", "pPr", "pStyle", "val"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def add_run(p, style_id: str | None = None, *, east_asia_hint: bool = False):
    """A new run at the end of paragraph `p`, of character style `style_id`, with the
    East Asian hint (set_east_asia_hint) when asked; lxml directly, since tables have
    many, and a formatted run is a copy of one made once."""
    if style_id is None and not east_asia_hint:
        return etree.SubElement(p, _W_R)
    r = copy.deepcopy(_run_template(style_id, east_asia_hint))
    p.append(r)
    return r


@functools.lru_cache(maxsize=64)
def _run_template(style_id: str | None, east_asia_hint: bool):
    r = OxmlElement("w:r")
    if style_id is not None:
        r.get_or_add_rPr().style = style_id
    if east_asia_hint:
        set_east_asia_hint(r.get_or_add_rPr())
    return r


def set_paragraph_style(p, style_id: str) -> None:
    """Give paragraph `p` the style `style_id` (w:pStyle leads w:pPr)."""
    pPr = p.find(_W_PPR)
    if pPr is None:
        pPr = etree.Element(_W_PPR)
        p.insert(0, pPr)
    style = pPr.find(_W_PSTYLE)
    if style is None:
        style = etree.Element(_W_PSTYLE)
        pPr.insert(0, style)
    style.set(_W_VAL, style_id)


def add_text(r, text: str, *, nowrap: bool = False) -> None:
    """Text into run `r`: tabs and line breaks as w:tab / w:br; with `nowrap`, spaces
    become no-break spaces and hyphens w:noBreakHyphen, so Word keeps it on one line."""
    if not nowrap and "\t" not in text and "\n" not in text:
        t = etree.SubElement(r, _W_T)
        t.text = text
        if text != text.strip():
            t.set(_XML_SPACE, "preserve")
        return
    if not nowrap:
        r.text = text
        return
    for i, part in enumerate(text.replace(" ", "\u00a0").split("-")):
        if i:
            r.append(OxmlElement("w:noBreakHyphen"))
        if part:
            t = OxmlElement("w:t")
            t.text = part
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)


def add_page_field(p, make_run) -> None:
    """A PAGE field (begin, instruction, separate, cached result, end) in paragraph `p`;
    `make_run()` returns a new formatted run. Complex fields, not w:fldSimple: WPS
    and older Word versions update only these in footers."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        r = make_run()
        if kind:
            fld = OxmlElement("w:fldChar")
            _set(fld, fldCharType=kind)
            r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.text = text
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(instr)
        else:
            r.text = text


# --- sections and settings -------------------------------------------------------------


def set_doc_grid(sectPr, line_pitch_twips: int, char_space: int) -> None:
    """The 22-line grid (w:linePitch in twips) and the 28-character pitch (w:charSpace:
    the pitch minus the docDefaults font size, in 4096ths of a point).

    The type is "lines", not "linesAndChars": on a character grid Word squeezes a 16 pt
    character into a 15.79 pt cell but LibreOffice gives it two cells (14 characters a
    line, seen in LibreOffice 7.4), so 28 characters come from condensed character
    spacing in the styles instead, which every reader honours; w:charSpace stays as the
    record of the intended pitch."""
    grid = _child(sectPr, "docGrid", _SECTPR_ORDER)
    grid.attrib.clear()
    _set(grid, type="lines", linePitch=line_pitch_twips, charSpace=char_space)


def char_space(char_pt: float, font_pt: float) -> int:
    """w:charSpace for a character pitch; rounded down so 28 characters always fit."""
    return math.floor((char_pt - font_pt) * 4096)


def set_section_start(sectPr, kind: str) -> None:
    """Section break kind: nextPage, evenPage, oddPage, continuous."""
    _set(_child(sectPr, "type", _SECTPR_ORDER), val=kind)


def set_vertical_alignment(sectPr, where: str) -> None:
    """Vertical alignment of the section's text on the page (top, center, bottom)."""
    _set(_child(sectPr, "vAlign", _SECTPR_ORDER), val=where)


def drop_header_footer_refs(sectPr) -> None:
    """Remove header and footer references: the section inherits its predecessor's."""
    for tag in ("w:headerReference", "w:footerReference"):
        for ref in sectPr.findall(qn(tag)):
            sectPr.remove(ref)


def set_east_asian_settings(settings, lang: str) -> None:
    """settings.xml: odd/even headers and footers (w:evenAndOddHeaders), the theme's
    East Asian language, and Word 2013+ layout (compatibilityMode 15), so Word does
    not open the file in compatibility mode."""
    settings.get_or_add_evenAndOddHeaders()  # python-docx knows its place in the order
    lang_el = settings.find(qn("w:themeFontLang"))
    if lang_el is not None:
        _set(lang_el, eastAsia=lang)
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            _set(compat, val=15)


def font_table(xml: bytes, faces: dict[str, str | None]) -> bytes:
    """fontTable.xml with an entry for each CJK face (charset 86 = GB2312) and, where
    given, an altName Word substitutes when the face is not installed."""
    root = etree.fromstring(xml)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for face, alt in faces.items():
        if face in known:
            continue
        font = OxmlElement("w:font")
        _set(font, name=face)
        if alt:
            _set(_append(font, "altName"), val=alt)
        _set(_append(font, "charset"), val="86")
        _set(_append(font, "family"), val="modern")
        _set(_append(font, "pitch"), val="fixed")
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _append(parent, tag: str):
    el = OxmlElement(f"w:{tag}")
    parent.append(el)
    return el


# --- tables --------------------------------------------------------------------------


def set_table_style_borders(style_el, rule_mm: float, pad_v_mm: float,
                            pad_h_mm: float) -> None:
    """A table style's tblPr: single rules everywhere and the cell padding."""
    tblPr = _child(style_el, "tblPr", ("name", "basedOn", "next", "uiPriority", "qFormat",
                                       "pPr", "rPr", "tblPr"))
    _set_borders(_child(tblPr, "tblBorders", _TBLPR_ORDER), rule_mm,
                 ("top", "left", "bottom", "right", "insideH", "insideV"),
                 sz=border_eighths_at_most(rule_mm))
    _set_cell_margins(_child(tblPr, "tblCellMar", _TBLPR_ORDER), mm_twips(pad_v_mm),
                      mm_twips(pad_h_mm))


def _set_borders(borders, width_mm: float, sides, *, color: str = "000000",
                 sz: int | None = None) -> None:
    for side in sides:
        _set(_child(borders, side, _BORDERS_ORDER), val="single",
             sz=sz or border_eighths(width_mm), space=0, color=color)


def _set_cell_margins(mar, vertical: int, horizontal: int) -> None:
    for side, value in (("top", vertical), ("left", horizontal), ("bottom", vertical),
                        ("right", horizontal)):
        _set(_child(mar, side, _BORDERS_ORDER), w=value, type="dxa")


def new_table(widths: list[int], *, style_id: str | None = None):
    """A centred, fixed-layout w:tbl with its column grid (widths in twips)."""
    tbl = OxmlElement("w:tbl")
    tblPr = _append(tbl, "tblPr")
    if style_id:
        _set(_child(tblPr, "tblStyle", _TBLPR_ORDER), val=style_id)
    _set(_child(tblPr, "tblW", _TBLPR_ORDER), w=sum(widths), type="dxa")
    _set(_child(tblPr, "jc", _TBLPR_ORDER), val="center")
    _set(_child(tblPr, "tblLayout", _TBLPR_ORDER), type="fixed")
    _set(_child(tblPr, "tblLook", _TBLPR_ORDER), val="0000", firstRow=0, lastRow=0,
         firstColumn=0, lastColumn=0, noHBand=1, noVBand=1)
    grid = _append(tbl, "tblGrid")
    for width in widths:
        _set(_append(grid, "gridCol"), w=width)
    return tbl


def set_table_rules(tbl, outer_mm: float, inner_mm: float, pad_h: int) -> None:
    """Horizontal rules only, outer and inner widths apart, with `pad_h` twips of
    cell padding left and right (the 版记)."""
    tblPr = tbl.find(qn("w:tblPr"))
    borders = _child(tblPr, "tblBorders", _TBLPR_ORDER)
    _set_borders(borders, outer_mm, ("top", "bottom"))
    _set_borders(borders, inner_mm, ("insideH",))
    for side in ("left", "right", "insideV"):
        _set(_child(borders, side, _BORDERS_ORDER), val="nil")
    _set_cell_margins(_child(tblPr, "tblCellMar", _TBLPR_ORDER), 0, pad_h)


def new_row(*, header: bool):
    """A w:tr that never splits across pages; a header row repeats on every page."""
    tr = OxmlElement("w:tr")
    trPr = _append(tr, "trPr")
    _child(trPr, "cantSplit", _TRPR_ORDER)
    if header:
        _child(trPr, "tblHeader", _TRPR_ORDER)
    return tr


def new_cell(width: int, *, span: int = 1, vmerge: str | None = None,
             valign: str = "center", style_id: str | None = None, jc: str | None = None,
             keep_next: bool = False):
    """A w:tc holding one empty paragraph, of paragraph style `style_id`, aligned `jc`
    (w:jc's value), kept with the next (set_keep_with_next) when asked. `vmerge`:
    "restart" opens a row span, "continue" is a covered cell below it. Copied from a
    template: tables can be long."""
    return copy.deepcopy(_cell_template(width, span, vmerge, valign, style_id, jc, keep_next))


@functools.lru_cache(maxsize=256)
def _cell_template(width: int, span: int, vmerge: str | None, valign: str,
                   style_id: str | None = None, jc: str | None = None,
                   keep_next: bool = False):
    tc = OxmlElement("w:tc")
    tcPr = _append(tc, "tcPr")
    _set(_child(tcPr, "tcW", _TCPR_ORDER), w=width, type="dxa")
    if span > 1:
        _set(_child(tcPr, "gridSpan", _TCPR_ORDER), val=span)
    if vmerge == "restart":
        _set(_child(tcPr, "vMerge", _TCPR_ORDER), val="restart")
    elif vmerge == "continue":
        _child(tcPr, "vMerge", _TCPR_ORDER)
    _set(_child(tcPr, "vAlign", _TCPR_ORDER), val=valign)
    p = _append(tc, "p")
    if style_id is not None:
        set_paragraph_style(p, style_id)
    if keep_next:
        set_keep_with_next(p.get_or_add_pPr())
    if jc is not None:
        _set(_child(p.get_or_add_pPr(), "jc", _PPR_ORDER), val=jc)
    return tc
