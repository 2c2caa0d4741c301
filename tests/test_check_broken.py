"""The checker can fail: documents built wrong on purpose are caught by the right check.

Each case appends one wrong rule to the project's own copy of the print stylesheet
(or edits the built file) and compares the failures with those of the same document
built right, so the assertion is about what the breakage changed, whatever else the
current layout gets wrong. The standard's numbers are restated here (28, 184, 37,
22 lines, 28.95 pt …), not read from the profile.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pydyf
import pytest
from check_fixtures import (
    build,
    build_broken,
    checks_of,
    copy_content,
    describe,
    failing,
    run_check,
)
from pypdf import PdfReader, PdfWriter

# Checks that measure a horizontal place from the left edge of the type area: moving
# the left margin moves all of these, and nothing else.
HORIZONTAL = {"type_area.left", "type_area.right", "body.chars_per_line", "body.flush_right",
              "masthead.centred", "red_rule.width", "attachments.place", "annex.label",
              "annex.title", "page_number.side", "imprint.rules", "imprint.indent",
              "ink.type_area"}


@pytest.fixture(scope="module")
def right(tmp_path_factory) -> dict:
    """The notice built right (PDF, HTML, DOCX) and its checks."""
    root = tmp_path_factory.mktemp("check-right")
    out = build(copy_content(root), root / "build", formats=("pdf", "html", "docx"),
                targets=["notice"])
    status, report = run_check([out / "pdf" / "notice.pdf"], out)
    docx_status, docx_report = run_check([out / "docx" / "notice.docx"], out)
    return {"build": out, "pdf": checks_of(report, "notice.pdf"),
            "docx": checks_of(docx_report, "notice.docx")}


def _new_failures(right_checks: dict, checks: dict) -> set[str]:
    return failing(checks) - failing(right_checks)


def _check_broken(tmp_path: Path, css: str) -> dict:
    out = build_broken(tmp_path, css)
    status, report = run_check([], out)
    assert status == 1
    return checks_of(report, "notice.pdf")


def test_a_margin_3_mm_off_is_caught_by_the_left_edge(right, tmp_path):
    checks = _check_broken(tmp_path, "@page { margin-left: 31mm; }")
    new = _new_failures(right["pdf"], checks)
    assert "type_area.left" in new, describe(checks, failing(checks))
    assert checks["type_area.left"]["measured"] == "31.0 mm"
    assert checks["type_area.left"]["expected"] == "28.0 mm ± 1.0"
    # only checks of horizontal places follow it; nothing vertical moved
    assert new <= HORIZONTAL, describe(checks, new - HORIZONTAL)
    assert "type_area.top" not in failing(checks)
    assert "body.line_pitch" not in failing(checks)


def test_21_lines_a_page_are_caught_by_pitch_and_line_count(right, tmp_path):
    # 30.3 pt lines: 21 of them fill the 225 mm type area, a 22nd does not fit
    css = ("p.body, h2.heading-1, h3.heading-2, h4.heading-3, h5.heading-4 "
           "{ line-height: 30.3pt; }")
    checks = _check_broken(tmp_path, css)
    assert _new_failures(right["pdf"], checks) == {"body.line_pitch", "body.lines_per_page"}, \
        describe(checks, failing(checks))
    assert checks["body.lines_per_page"]["measured"] == "21 on 5 full pages"
    assert checks["body.line_pitch"]["measured"] == "28.95–30.30 pt"


def test_centred_page_numbers_are_caught_by_the_side_check(right, tmp_path):
    # the bundled macro, placed in the centre box: same size, same height
    css = """
@page :right { @bottom-right { content: none; } {{ page_number("center") }} }
@page :left { @bottom-left { content: none; } {{ page_number("center") }} }
@page :blank { @bottom-center { content: none; } }
@page imprint { @bottom-center { content: none; } }
"""
    checks = _check_broken(tmp_path, css)
    assert _new_failures(right["pdf"], checks) == {"page_number.side"}, \
        describe(checks, failing(checks))
    assert "odd: right end at 179.1 mm" in checks["page_number.side"]["expected"]


def test_a_banji_on_an_odd_page_is_caught(right, tmp_path):
    # on a page of its own, pushed to the foot as when it follows an odd text page
    css = ("div.imprint, div.imprint[data-place] { break-before: right; height: 225mm; "
           "display: flex; padding-top: 0 !important; }")
    checks = _check_broken(tmp_path, css)
    # the 版记 fitted below the text of the even page before: a page wasted too
    assert _new_failures(right["pdf"], checks) == {"imprint.page", "pages.no_waste"}, \
        describe(checks, failing(checks))
    number = int(re.match(r"page (\d+) of", checks["imprint.page"]["measured"]).group(1))
    assert number % 2 == 1


def _strip_font_program(src: Path, dest: Path, family: str) -> None:
    """Copy `src` with the font program of `family` removed (the font stays named)."""
    writer = PdfWriter(clone_from=PdfReader(src))
    for page in writer.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if family not in str(font["/BaseFont"]):
                continue
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        del descriptor[key]
    with open(dest, "wb") as f:
        writer.write(f)


def test_an_unembedded_font_is_caught_by_the_font_check(right, tmp_path):
    build_dir = tmp_path / "build"
    (build_dir / "pdf").mkdir(parents=True)
    shutil.copytree(right["build"] / "html", build_dir / "html")
    _strip_font_program(right["build"] / "pdf" / "notice.pdf",
                        build_dir / "pdf" / "notice.pdf", "FandolFang")
    status, report = run_check([], build_dir)
    checks = checks_of(report, "notice.pdf")
    assert status == 1
    assert _new_failures(right["pdf"], checks) == {"fonts.embedded"}, \
        describe(checks, failing(checks))
    assert "FandolFang" in checks["fonts.embedded"]["detail"]


def test_a_standard_font_left_out_is_caught(tmp_path):
    """A small PDF whose text is in Helvetica, which it does not carry."""
    document = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1",
                             "BaseFont": "/Helvetica", "Encoding": "/WinAnsiEncoding"})
    document.add_object(font)
    stream = pydyf.Stream()
    stream.begin_text()
    stream.set_font_size("F1", 16)
    stream.set_text_matrix(1, 0, 0, 1, 80, 700)
    stream.show_text_string("qdocs")
    stream.end_text()
    document.add_object(stream)
    page = pydyf.Dictionary({
        "Type": "/Page", "Parent": document.pages.reference,
        "MediaBox": pydyf.Array([0, 0, 595.28, 841.89]),
        "Contents": stream.reference,
        "Resources": pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})}),
    })
    document.add_page(page)
    pdf = tmp_path / "plain.pdf"
    with open(pdf, "wb") as f:
        document.write(f)
    status, report = run_check([pdf], tmp_path)
    checks = checks_of(report, "plain.pdf")
    assert status == 1
    assert checks["fonts.embedded"]["status"] == "fail"
    assert checks["fonts.embedded"]["measured"] == "0 of 1 embedded"
    assert "Helvetica" in checks["fonts.embedded"]["detail"]
    assert checks["fonts.roles"]["status"] == "fail"         # no role asks for Helvetica
    assert checks["page.size"]["status"] == "pass"


def _edit_docx(src: Path, dest: Path, part: str, edit) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)


DOCX_BREAKAGES = {
    # part, edit, the check that must catch it
    "a left margin of 31 mm": ("word/document.xml",
                               lambda x: x.replace('w:left="1587"', 'w:left="1757"'),
                               "docx.page_setup"),
    "a grid of 30 pt lines": ("word/document.xml",
                              lambda x: x.replace('w:linePitch="579"', 'w:linePitch="600"'),
                              "docx.grid"),
    "no odd/even footers": ("word/settings.xml",
                            lambda x: x.replace("<w:evenAndOddHeaders/>", ""), "docx.footers"),
    "the body in 宋体": ("word/styles.xml",
                         lambda x: re.sub(r'(w:styleId="QDBody".*?w:eastAsia=")[^"]+', r"\1宋体",
                                          x, count=1, flags=re.S), "docx.styles"),
    "header rows that do not repeat": ("word/document.xml",
                                       lambda x: x.replace("<w:tblHeader/>", ""),
                                       "docx.table_headers"),
}


@pytest.mark.parametrize("name", list(DOCX_BREAKAGES))
def test_a_docx_built_wrong_is_caught_in_its_xml(right, tmp_path, name):
    part, edit, rule = DOCX_BREAKAGES[name]
    (tmp_path / "docx").mkdir()
    shutil.copytree(right["build"] / "html", tmp_path / "html")
    docx = tmp_path / "docx" / "notice.docx"
    _edit_docx(right["build"] / "docx" / "notice.docx", docx, part, edit)
    status, report = run_check([docx], tmp_path)
    checks = checks_of(report, "notice.docx")
    assert status == 1
    assert _new_failures(right["docx"], checks) == {rule}, describe(checks, failing(checks))
