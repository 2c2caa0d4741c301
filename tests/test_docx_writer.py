"""The DOCX writer, read back as WordprocessingML.

The standard's numbers are restated here (GB/T 9704-2012 §5.2, §7), not read from the
profile, so a wrong profile value fails a test. test_docx_rendering.py measures the
sample as LibreOffice lays it out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from qdocs.errors import QdocsError
from qdocs.fonts import resolve_fonts
from qdocs.writers.docx import DocxError, UnknownElementError, write_docx

FIXTURE = Path(__file__).parent / "fixtures" / "html" / "sample-notice.html"
CREATED = dt.datetime(2014, 5, 4, 9, 30)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MM = 1440 / 25.4  # twips per millimetre


def twips(mm: float) -> int:
    return round(mm * MM)


def page(body: str, *, sample: bool = False) -> str:
    mark = '<p class="sample-mark">示例数据</p>' if sample else ""
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>'
            f'</head><body class="gongwen">{mark}{body}</body></html>')


def write(tmp_path: Path, html: str, name: str = "out.docx") -> Path:
    dest = tmp_path / name
    write_docx(html, dest, title="测试", created=CREATED)
    return dest


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("docx") / "notice.docx"
    write_docx(FIXTURE.read_text(encoding="utf-8"), dest, title="通知", created=CREATED)
    return dest


@pytest.fixture(scope="module")
def document(sample):
    return docx.Document(str(sample))


def style_of(document, name: str):
    return document.styles[name].element


def attr(el, path: str, name: str):
    found = el.find(path.replace("w:", W))
    return None if found is None else found.get(W + name)


# --- page setup ------------------------------------------------------------------------


def test_page_is_a4_with_gbt9704_margins(document):
    for section in document.sections:
        sectPr = section._sectPr
        assert attr(sectPr, "w:pgSz", "w") == str(twips(210))
        assert attr(sectPr, "w:pgSz", "h") == str(twips(297))
        assert attr(sectPr, "w:pgMar", "top") == str(twips(37))
        assert attr(sectPr, "w:pgMar", "left") == str(twips(28))
        assert attr(sectPr, "w:pgMar", "right") == str(twips(26))
        assert attr(sectPr, "w:pgMar", "bottom") == str(twips(35))


def test_grid_holds_22_lines_of_28_characters(document):
    sectPr = document.sections[0]._sectPr
    pitch = int(attr(sectPr, "w:docGrid", "linePitch"))
    assert attr(sectPr, "w:docGrid", "type") in ("lines", "linesAndChars")
    assert 22 * pitch <= twips(225) < 23 * pitch
    # charSpace: the character pitch less the 16 pt default size, in 4096ths of a point.
    char_pt = 16 + int(attr(sectPr, "w:docGrid", "charSpace")) / 4096
    text_pt = (twips(210) - twips(28) - twips(26)) / 20
    assert 28 * char_pt <= text_pt < 28 * char_pt + 0.5
    # Condensed body text: 28 characters fit the 156 mm line, 29 do not.
    spacing = int(attr(style_of(document, "QD Body"), "w:rPr/w:spacing", "val")) / 20
    assert 28 * (16 + spacing) <= 156 * 72 / 25.4 < 29 * (16 + spacing)


def test_page_numbers_odd_right_even_left_with_page_fields(sample, document):
    settings = document.settings.element
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    main = document.sections[0]
    for footer, jc, side in ((main.footer, "right", "right"),
                             (main.even_page_footer, "left", "left")):
        assert not footer.is_linked_to_previous
        p = footer.paragraphs[0]
        assert attr(p._p, "w:pPr/w:jc", "val") == jc
        assert attr(p._p, "w:pPr/w:ind", side) == str(round(14 * 20))  # one 4号 character
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        kinds = [f.get(qn("w:fldCharType")) for f in p._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert p.text.startswith("— ") and p.text.endswith(" —")
    number = style_of(document, "QD Page Number")
    assert attr(number, "w:rPr/w:rFonts", "eastAsia") == "宋体"
    assert attr(number, "w:rPr/w:sz", "val") == "28"
    # The em-dash's middle 7 mm below the type area: footer distance 35 − 7 mm less
    # half a 14 pt line.
    assert int(attr(main._sectPr, "w:pgMar", "footer")) == pytest.approx(
        twips(35 - 7) - 14 * 20 / 2, abs=2)


def test_imprint_after_a_text_page_has_its_own_even_page_numbered_on(document):
    # no data-place: the 版记 on the next even page, which follows a text page (7.5)
    assert len(document.sections) == 2
    last = document.sections[1]
    assert attr(last._sectPr, "w:type", "val") == "evenPage"
    assert attr(last._sectPr, "w:vAlign", "val") == "bottom"
    for footer in (last.footer, last.even_page_footer):
        assert footer.is_linked_to_previous         # the numbered footers carry on


def _imprint_doc(tmp_path, attrs: str):
    body = ('<p class="body">正文。</p><div class="imprint"' + attrs + '>'
            '<p class="cc">抄送：省委各部门。</p><p class="printer"><span class="printer-name">'
            '湖北省人民政府办公厅</span><span class="print-date">2014年5月6日印发</span></p></div>')
    return docx.Document(write(tmp_path, page(body)))


def test_imprint_after_a_blank_page_makes_the_blank_page_real(tmp_path):
    """7.5 and finding 6: the blank page is a paragraph of its own (LibreOffice's PDF
    export drops a blank page that exists only through an even-page section break), then
    the 版记's page; both without page numbers."""
    document = _imprint_doc(tmp_path, ' data-place="after-blank"')
    last = document.sections[1]
    assert attr(last._sectPr, "w:type", "val") == "nextPage"
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous
        assert not list(footer._element.iter(qn("w:instrText")))
    body = list(document.element.body)
    section_end = next(i for i, el in enumerate(body)
                       if el.find(".//" + qn("w:sectPr")) is not None)
    blank, spacer = body[section_end + 1], body[section_end + 2]
    assert blank.xpath("string(.)") == "" and blank.find(".//" + qn("w:pageBreakBefore")) is None
    assert spacer.find(".//" + qn("w:pageBreakBefore")) is not None
    assert body[section_end + 3].tag == qn("w:tbl")


def test_imprint_at_the_foot_of_the_last_page_stays_in_its_section(tmp_path):
    document = _imprint_doc(tmp_path, ' data-place="foot" data-pad-pt="100.00"')
    assert len(document.sections) == 1             # no page of its own, numbered as its page
    body = list(document.element.body)
    table = body.index(document.element.body.findall(qn("w:tbl"))[-1])
    spacer = body[table - 1]
    # the space the PDF's layout measured above it, less 1 pt of slack
    assert int(attr(spacer, "w:pPr/w:spacing", "line")) == round((100 - 1.0) * 20)


def test_a_wrong_imprint_place_is_refused(tmp_path):
    with pytest.raises(DocxError, match="data-place must be one of"):
        _imprint_doc(tmp_path, ' data-place="top"')


def test_imprint_spacer_leaves_room_for_the_imprint(document):
    body = list(document.element.body)
    imprint = body.index(document.element.body.findall(qn("w:tbl"))[-1])
    spacer = body[imprint - 1]
    height = int(attr(spacer, "w:pPr/w:spacing", "line"))
    assert attr(spacer, "w:pPr/w:spacing", "lineRule") == "exact"
    # Three lines of 版记 (抄送 wraps once) and its rules fit below the spacer.
    assert height + 3 * round(28.95 * 20) + 60 <= twips(225)
    assert height > twips(225) - 5 * round(28.95 * 20)
    assert body[imprint + 1].tag == qn("w:p") and body[imprint + 2].tag == qn("w:sectPr")


def test_imprint_rules_span_the_type_area(document):
    tables = document.element.body.findall(qn("w:tbl"))
    imprint = tables[-1]
    assert attr(imprint, "w:tblPr/w:tblW", "w") == str(twips(156))
    eighths = lambda mm: str(round(mm * 72 / 25.4 * 8))  # noqa: E731
    assert attr(imprint, "w:tblPr/w:tblBorders/w:top", "sz") == eighths(0.35)
    assert attr(imprint, "w:tblPr/w:tblBorders/w:bottom", "sz") == eighths(0.35)
    assert attr(imprint, "w:tblPr/w:tblBorders/w:insideH", "sz") == eighths(0.25)
    # One 4号 character in on both sides; the 印发日期 at a right tab.
    assert attr(imprint, "w:tblPr/w:tblCellMar/w:left", "w") == "280"
    assert attr(imprint, "w:tblPr/w:tblCellMar/w:right", "w") == "280"
    tab = imprint.findall(".//" + qn("w:tab") + "[@" + qn("w:val") + "='right']")
    assert tab and tab[0].get(qn("w:pos")) == str(twips(156) - 2 * 280)
    assert attr(style_of(document, "QD Imprint"), "w:rPr/w:sz", "val") == "28"


# --- styles ------------------------------------------------------------------------------


EXPECTED_FACES = {
    "QD Body": "仿宋_GB2312", "QD Title": "方正小标宋简体", "QD Issuer Mark": "方正小标宋简体",
    "QD Heading 1": "黑体", "QD Heading 2": "楷体_GB2312", "QD Heading 3": "仿宋_GB2312",
    "QD Heading 4": "仿宋_GB2312", "QD Annex Label": "黑体", "QD Annex Title": "方正小标宋简体",
    "QD Imprint": "仿宋_GB2312", "QD Lead 1": "黑体", "QD Lead 2": "楷体_GB2312",
    "QD Table Header": "黑体", "QD Page Number": "宋体",
}


@pytest.mark.parametrize("name, face", sorted(EXPECTED_FACES.items()))
def test_styles_name_the_standard_faces_for_every_script(document, name, face):
    fonts = style_of(document, name).find(qn("w:rPr")).find(qn("w:rFonts"))
    for script in ("ascii", "hAnsi", "eastAsia"):
        assert fonts.get(qn(f"w:{script}")) == face


def test_no_theme_fonts_in_defaults_or_used_styles(sample):
    with zipfile.ZipFile(sample) as z:
        styles = lxml.etree.fromstring(z.read("word/styles.xml"))
        used = set(re.findall(rb'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"',
                              z.read("word/document.xml")))
    scopes = [styles.find(qn("w:docDefaults"))] + [
        s for s in styles.findall(qn("w:style"))
        if s.get(qn("w:styleId")).encode() in used or s.get(qn("w:styleId")) == "Normal"]
    for scope in scopes:
        for fonts in scope.iter(qn("w:rFonts")):
            assert not [k for k in fonts.attrib if k.endswith("Theme") or k.endswith("theme")]


def test_body_style_is_3hao_exact_pitch_two_character_indent_justified(document):
    body = style_of(document, "QD Body")
    assert attr(body, "w:rPr/w:sz", "val") == "32"
    assert attr(body, "w:pPr/w:spacing", "lineRule") == "exact"
    assert attr(body, "w:pPr/w:spacing", "line") == str(round(28.95 * 20))
    assert attr(body, "w:pPr/w:ind", "firstLineChars") == "200"
    assert attr(body, "w:pPr/w:jc", "val") == "both"
    title = style_of(document, "QD Title")
    assert attr(title, "w:rPr/w:sz", "val") == "44"
    assert attr(title, "w:pPr/w:jc", "val") == "center"


def test_masthead_red_rule_and_title_spacing(document):
    mark = style_of(document, "QD Issuer Mark")
    assert attr(mark, "w:rPr/w:color", "val") == "FF0000"
    assert attr(mark, "w:pPr/w:jc", "val") == "center"
    # 35 mm to the glyph's top, less a measured calibration of at most 1 mm.
    assert int(attr(mark, "w:pPr/w:spacing", "before")) == pytest.approx(twips(35), abs=twips(1))
    rule = style_of(document, "QD Red Rule")
    assert attr(rule, "w:pPr/w:pBdr/w:bottom", "color") == "FF0000"
    assert attr(rule, "w:pPr/w:ind", "left") in (None, "0")
    # The rule paragraph: 4 mm from the 发文字号's foot to the rule, less the calibrated
    # distance of that foot above its line's foot (measured by the rendering test).
    assert 0 < int(attr(rule, "w:pPr/w:spacing", "line")) <= twips(4)
    assert int(attr(rule, "w:pPr/w:spacing", "after")) == 2 * round(28.95 * 20)
    annex_title = style_of(document, "QD Annex Title")
    assert attr(annex_title, "w:pPr/w:spacing", "before") == str(round(28.95 * 20))


def test_parts_map_to_named_styles(document):
    styles = [p.style.name for p in document.paragraphs if p.text.strip()]
    assert styles[:4] == ["QD Issuer Mark", "QD Doc Number", "QD Title", "QD Addressee"]
    for name in ("QD Body", "QD Heading 1", "QD Heading 2", "QD Attachment",
                 "QD Signature", "QD Date", "QD Note", "QD Annex Label", "QD Annex Title",
                 "QD Centered"):
        assert name in styles
    lead = next(p for p in document.paragraphs if p.text.startswith("二、深入"))
    assert lead.runs[0].style.name == "QD Lead 1"
    assert lead.runs[0].text == "二、深入开展重点产品质量安全整治提升行动。"


def test_attachments_hang_so_wrapped_lines_align_with_the_name(document):
    items = [p for p in document.paragraphs if p.style.name == "QD Attachment"]
    assert len(items) == 2
    att = style_of(document, "QD Attachment")
    assert attr(att, "w:pPr/w:ind", "leftChars") == "600"  # 2 + "附件：" + "1."
    assert attr(att, "w:pPr/w:ind", "hangingChars") == "400"
    assert items[0].text == ("附件：1.\t湖北省贯彻实施质量发展纲要2014年行动计划"
                             "（含各项任务牵头单位和配合单位分工表）")
    assert items[1].text == "\t2.\t2014年度湖北省质量工作考核评分细则"
    assert items[0].paragraph_format.space_before.pt == pytest.approx(28.95, abs=0.05)


def test_signature_and_date_right_indents(document):
    for name in ("QD Signature", "QD Date"):
        p = next(p for p in document.paragraphs if p.style.name == name)
        assert attr(p._p, "w:pPr/w:ind", "rightChars") == "400"
        assert attr(style_of(document, name), "w:pPr/w:jc", "val") == "right"


def test_annex_starts_on_a_new_page(document):
    labels = [p for p in document.paragraphs if p.style.name == "QD Annex Label"]
    assert [p.text for p in labels] == ["附件1", "附件2"]
    for p in labels:
        assert p._p.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None


def test_quotes_get_the_east_asian_hint(document):
    p = next(p for p in document.paragraphs if "“查农资" in p.text)
    run = next(r for r in p.runs if "“" in r.text)
    assert attr(run._r, "w:rPr/w:rFonts", "hint") == "eastAsia"


# --- tables ------------------------------------------------------------------------------


def grid_table(document):
    return document.element.body.findall(qn("w:tbl"))[0]


def test_table_header_rows_repeat_and_spans_merge(document):
    tbl = grid_table(document)
    rows = tbl.findall(qn("w:tr"))
    header = [r.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for r in rows]
    assert header == [True, True, False, False, False, False, False]
    widths = [int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid"))]
    assert widths == [twips(w) for w in (14, 36, 16, 50, 40)]
    first = rows[0].findall(qn("w:tc"))
    assert attr(first[0], "w:tcPr/w:vMerge", "val") == "restart"  # 序号 rowspan=2
    assert attr(first[3], "w:tcPr/w:gridSpan", "val") == "2"  # 考核方法 colspan=2
    second = rows[1].findall(qn("w:tc"))
    assert len(second) == 5 and second[0].find(qn("w:tcPr")).find(qn("w:vMerge")) is not None
    assert attr(second[0], "w:tcPr/w:vMerge", "val") is None  # continue
    # 质量工作组织领导 spans rows 3 and 4 in column 2.
    third, fourth = rows[2].findall(qn("w:tc")), rows[3].findall(qn("w:tc"))
    assert attr(third[1], "w:tcPr/w:vMerge", "val") == "restart"
    assert fourth[1].find(qn("w:tcPr")).find(qn("w:vMerge")) is not None
    num = Paragraph(third[2].find(qn("w:p")), None)
    assert num.text == "5" and attr(num._p, "w:pPr/w:jc", "val") == "right"


def test_table_rules_are_no_wider_than_the_profiles(sample):
    """0.25 mm is 0.709 pt: rounded to eighths it would be 0.75 pt, and a renderer that
    adds a rule to each row (LibreOffice) sets a long table taller than the PDF, enough to
    push a 署名 or a row onto the next page; the rules round down to 0.625 pt."""
    styles = zipfile.ZipFile(sample).read("word/styles.xml").decode()
    grid = styles[styles.index('w:styleId="QDGrid"'):]
    grid = grid[:grid.index("</w:style>")]
    sizes = set(re.findall(r'w:sz="(\d+)"', grid))
    assert sizes == {"5"}
    assert int(sizes.pop()) / 8 <= 0.25 * 72 / 25.4


def test_large_table_is_quick(tmp_path):
    rows = "".join(f'<tr><td>{i}</td><td class="num">{i * 3}</td></tr>' for i in range(3000))
    html = page(f'<table class="grid" data-widths-mm="50,50"><thead><tr><th>a</th>'
                f'<th>b</th></tr></thead><tbody>{rows}</tbody></table>')
    start = time.perf_counter()
    write(tmp_path, html)
    assert time.perf_counter() - start < 10


# --- text ------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\t", "")).strip()


def html_paragraphs(html: str) -> list[str]:
    root = lxml.html.document_fromstring(html)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    out = []
    for el in root.body.iter("p", "h1", "h2", "h3", "h4", "h5", "th", "td", "figcaption"):
        if "sample-mark" not in el.get("class", ""):
            out.append(_norm("".join(el.itertext())))
    return [t for t in out if t]


def docx_paragraphs(path: Path) -> list[str]:
    document = docx.Document(str(path))
    out = []
    for block in document.element.body:
        if block.tag == qn("w:p"):
            out.append(Paragraph(block, document).text)
        elif block.tag == qn("w:tbl"):
            for tc in block.iter(qn("w:tc")):
                merge = tc.find(qn("w:tcPr")).find(qn("w:vMerge"))
                if merge is not None and merge.get(qn("w:val")) != "restart":
                    continue
                out.extend(Paragraph(p, document).text for p in tc.findall(qn("w:p")))
    return [t for t in map(_norm, out) if t]


def test_docx_text_equals_html_text_paragraph_by_paragraph(sample):
    assert docx_paragraphs(sample) == html_paragraphs(FIXTURE.read_text(encoding="utf-8"))


def test_text_is_text_and_whitespace_collapses(tmp_path):
    html = page('<p class="body">  a &lt; b &amp; {{ c }}\n  <span class="lead-1"> 甲 </span>'
                ' 乙<br>丙 <span class="nowrap">GB/T 9704-2012</span></p>')
    dest = write(tmp_path, html)
    p = docx.Document(str(dest)).paragraphs[0]
    assert p.text == "a < b & {{ c }} 甲 乙\n丙 GB/T\u00a09704-2012"
    assert [r.style.name for r in p.runs if r.text.strip() == "甲"] == ["QD Lead 1"]


def test_marker_classes_and_colgroup_pass_without_changing_the_text(tmp_path):
    html = page('<p class="body">最终得分<span class="final-score">92.20</span>分。</p>'
                '<table class="grid items" data-widths-mm="40,40"><colgroup><col><col>'
                '</colgroup><tr class="item"><td>甲</td><td class="num">1</td></tr>'
                '<tr class="subtotal block"><td>小计</td><td class="num">1</td></tr></table>')
    dest = write(tmp_path, html)
    assert docx_paragraphs(dest) == ["最终得分92.20分。", "甲", "1", "小计", "1"]
    rows = docx.Document(str(dest)).element.body.findall(".//" + qn("w:tr"))
    styles = [attr(r, "w:tc/w:p/w:pPr/w:pStyle", "val") for r in rows]
    assert styles == ["QDTableText", "QDTableTotal"]


def test_signature_right_indent_may_be_fractional_and_keeps_the_text_above(tmp_path):
    html = page('<p class="body">正文。</p><div class="signature-block">'
                '<p class="signature" data-right-chars="2.5">某某机关</p>'
                '<p class="date" data-right-chars="4">2014年5月4日</p></div>')
    document = docx.Document(str(write(tmp_path, html)))
    body, signature, date = document.paragraphs
    assert attr(signature._p, "w:pPr/w:ind", "rightChars") == "250"
    assert body.paragraph_format.keep_with_next
    # 署名 and 成文日期 never part at a page's foot (a renderer that sets the text a little
    # longer carries both over, with the text's last paragraph, 7.3.5.1)
    assert signature.paragraph_format.keep_with_next
    assert signature.paragraph_format.space_before.pt == pytest.approx(3 * 28.95, abs=0.05)


# --- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    '<p class="bogus">x</p>',
    "<blink>x</blink>",
    '<p class="body">a<span class="unknown">b</span></p>',
    '<p class="body">a<em>b</em></p>',
    "loose text",
    '<p class="body extra">x</p>',
    '<div class="masthead"><p class="body">x</p></div>',
    '<table class="grid" data-widths-mm="10"><caption>x</caption></table>',
    '<p class="signature" data-right-chars="4">x</p>',
    '<table class="grid" data-widths-mm="10"><tr class="weird"><td>x</td></tr></table>',
    '<p class="body"><span class="final-score nowrap">x</span></p>',
])
def test_unknown_element_raises(tmp_path, body):
    with pytest.raises(UnknownElementError) as info:
        write(tmp_path, page(body))
    assert isinstance(info.value, QdocsError)
    assert "line " in str(info.value)
    assert not (tmp_path / "out.docx").exists()


def test_unknown_element_message_names_the_element(tmp_path):
    with pytest.raises(UnknownElementError, match=r"<p class='bogus'> is not part of the HTML"):
        write(tmp_path, page('<p class="bogus">x</p>'))


@pytest.mark.parametrize("body, message", [
    ('<figure class="chart"><figcaption>x</figcaption></figure>', "needs data-chart"),
    ('<figure class="chart" data-chart="{"><figcaption>x</figcaption></figure>', "not JSON"),
    ('<table class="grid" data-widths-mm="10,10"><tr><td>a</td></tr></table>', "1 columns"),
    ('<table class="grid" data-widths-mm="100,100"><tr><td>a</td><td>b</td></tr></table>',
     "wider than the type area"),
    ('<div class="imprint"><p class="cc">x</p></div><p class="body">y</p>', "last part"),
])
def test_malformed_parts_raise(tmp_path, body, message):
    with pytest.raises(DocxError, match=message):
        write(tmp_path, page(body))


# --- figures and the sample mark ---------------------------------------------------------

CHART = ('{"kind": "bar", "labels": ["组织领导", "监督抽查"], "max": "10",'
         ' "series": [{"name": "得分", "values": ["4.5", "8"]}]}')


@pytest.mark.skipif(not any(resolve_fonts()[r].file for r in ("hei", "fang")),
                    reason="no CJK font installed to draw chart labels")
def test_chart_becomes_a_picture_with_its_caption(tmp_path):
    html = page(f"<figure class=\"chart\" data-chart='{CHART}'><svg viewBox=\"0 0 1 1\">"
                "<rect width=\"1\" height=\"1\"/></svg><figcaption>图1　得分</figcaption>"
                "</figure>")
    document = docx.Document(str(write(tmp_path, html)))
    assert len(document.inline_shapes) == 1
    # 3 mm in from each side of the 156 mm type area: LibreOffice sets an inline picture
    # 3.2 mm right of the margin (finding 5: a 156 mm chart inked to 187.2 mm)
    assert document.inline_shapes[0].width.mm == pytest.approx(150, abs=0.02)
    assert [p.text for p in document.paragraphs if p.text] == ["图1　得分"]


def test_sample_mark_is_a_red_mark_on_every_page(tmp_path):
    document = docx.Document(str(write(tmp_path, page('<p class="body">x</p>', sample=True))))
    main = document.sections[0]
    for header in (main.header, main.even_page_header):
        assert header.paragraphs[0].text == "示例数据"
        assert header.paragraphs[0].style.name == "QD Sample Mark"
    mark = style_of(document, "QD Sample Mark")
    assert attr(mark, "w:rPr/w:color", "val") == "C00000"
    assert attr(mark, "w:rPr/w:bdr", "val") == "single"
    assert [p.text for p in document.paragraphs] == ["x"]


# --- the file --------------------------------------------------------------------------


def test_two_writes_are_byte_identical(tmp_path, monkeypatch):
    html = FIXTURE.read_text(encoding="utf-8")
    first = write(tmp_path, html, "a.docx").read_bytes()
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)  # another wall clock
    second = write(tmp_path, html, "b.docx").read_bytes()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert not [n for n in names if "thumbnail" in n]


def test_core_properties_come_from_the_arguments(document):
    props = document.core_properties
    assert props.title == "通知"
    # A naive `created` is taken as UTC (core properties are W3CDTF in UTC).
    assert props.created == props.modified == CREATED.replace(tzinfo=dt.UTC)


def test_write_replaces_atomically(tmp_path):
    dest = tmp_path / "out.docx"
    dest.write_bytes(b"old")
    write_docx(page('<p class="body">x</p>'), dest, title="t", created=CREATED)
    assert zipfile.is_zipfile(dest)
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def test_a_screen_only_part_is_left_out_of_the_docx(tmp_path):
    """div.screen-only (the card's full table) is for the HTML preview: not in Word."""
    html = page('<p class="body">印在纸上</p><div class="screen-only">'
                '<p class="body">只在网页上</p></div><p class="body">也印在纸上</p>')
    text = "".join(p.text for p in docx.Document(str(write(tmp_path, html))).paragraphs)
    assert "印在纸上" in text and "也印在纸上" in text
    assert "只在网页上" not in text
