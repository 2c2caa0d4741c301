"""Unit tests of the checker: forms of the 发文字号 and dates, font roles, records, the
report formats, usage errors, and "not verified" when a measurement cannot be made."""

from __future__ import annotations

import io
import json

import pytest
from check_fixtures import run_check

from qdocs.check import office
from qdocs.check.command import check_files
from qdocs.check.fontrules import font_roles
from qdocs.check.parity import PdfText, compare_text
from qdocs.check.partrules import DATE_FORM_RE, DOC_NUMBER_RE
from qdocs.check.pdfparts import document_kind
from qdocs.check.records import Check, DocumentReport
from qdocs.check.report import summary, write_json


@pytest.mark.parametrize("text, ok", [
    ("鄂政办发〔2014〕5号", True),
    ("鄂政办发〔2014〕12号", True),
    ("鄂政办发〔2014〕××号", True),            # a lost serial, marked
    ("鄂政办发[2014]5号", False),               # square brackets
    ("鄂政办发（2014）5号", False),             # round brackets
    ("鄂政办发〔2014〕05号", False),            # a leading zero
    ("鄂政办发〔2014〕第5号", False),           # 第
    ("鄂政办发〔14〕5号", False),               # the year not in full
])
def test_doc_number_forms(text, ok):
    assert (DOC_NUMBER_RE.match(text) is not None) is ok


@pytest.mark.parametrize("text, ok", [
    ("2014年7月1日", True),
    ("2014年12月31日", True),
    ("2014年×月×日", True),
    ("2014年7月1日印发", True),
    ("2014年07月01日", False),
    ("二〇一四年七月一日", False),
    ("14年7月1日", False),
    ("2014年13月1日", False),
])
def test_date_forms(text, ok):
    assert (DATE_FORM_RE.match(text) is not None) is ok


@pytest.mark.parametrize("name, role, substitute", [
    ("FandolFang", "fang", True),
    ("FandolFang-Regular", "fang", True),
    ("FandolSong", "song", True),
    ("FandolKai-Regular", "kai", True),
    ("Noto-Serif-CJK-SC-Bold", "xiaobiaosong", True),
    ("NotoSerifCJKjp-Bold-VKana", "xiaobiaosong", True),
    ("FandolHei-Regular", "hei", True),
    ("SimHei", "hei", False),
    ("FangSong_GB2312", "fang", False),
    ("仿宋_GB2312", "fang", False),
])
def test_font_roles_from_pdf_names(name, role, substitute):
    assert font_roles(name)[0] == (role, substitute)


def test_a_font_no_role_asks_for_has_none():
    assert font_roles("DejaVuSans") == []
    assert font_roles("Helvetica") == []


@pytest.mark.parametrize("name, kind", [
    ("notice", "notice"), ("annex-1", "annex"), ("annex-12", "annex"),
    ("bulletin", "bulletin"), ("card-420100", "card"), ("index", "other")])
def test_document_kinds_come_from_the_stable_names(name, kind):
    assert document_kind(name) == kind


def test_a_check_has_a_known_status():
    with pytest.raises(ValueError):
        Check("page.size", "5.1", "210 × 297 mm", "210 × 297 mm", "ok")


def test_the_json_report_lists_documents_with_their_checks():
    report = DocumentReport("pdf/notice.pdf", "notice", [
        Check("page.size", "5.1", "210 × 297 mm ± 0.5", "210.0 × 297.0 mm", "pass"),
        Check("masthead.top", "7.2.2", "72.0 mm ± 1.0", "70.3 mm", "fail", "ink top")])
    out = io.StringIO()
    write_json([report], out)
    data = json.loads(out.getvalue())
    assert data == [{"document": "pdf/notice.pdf", "kind": "notice", "checks": [
        {"rule": "page.size", "clause": "5.1", "expected": "210 × 297 mm ± 0.5",
         "measured": "210.0 × 297.0 mm", "status": "pass", "detail": ""},
        {"rule": "masthead.top", "clause": "7.2.2", "expected": "72.0 mm ± 1.0",
         "measured": "70.3 mm", "status": "fail", "detail": "ink top"}]}]
    assert summary([report]) == ("1 document, 2 checks: 1 pass, 1 fail, 0 not verified, "
                                 "0 n/a\nfailing: pdf/notice.pdf")


def test_no_such_path_is_a_usage_error(tmp_path, capsys):
    status, report = run_check([tmp_path / "missing.pdf"], tmp_path)
    assert status == 2 and report is None
    assert capsys.readouterr().err.startswith("error: no such path: ")


def test_a_file_that_is_not_a_document_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("x")
    status, _ = run_check([tmp_path / "notes.txt"], tmp_path)
    assert status == 2
    assert "not a PDF or DOCX file" in capsys.readouterr().err


def test_a_missing_build_directory_is_a_usage_error(tmp_path, capsys):
    status, _ = run_check([], tmp_path / "build")
    assert status == 2
    assert "no build directory" in capsys.readouterr().err


def test_an_empty_folder_is_nothing_to_check(tmp_path, capsys):
    status, _ = run_check([tmp_path], tmp_path)
    assert status == 2
    assert "nothing to check" in capsys.readouterr().err


def test_an_unreadable_docx_fails_and_without_libreoffice_nothing_passes(tmp_path,
                                                                         monkeypatch):
    """A check never passes by default: no LibreOffice means "not verified"."""
    monkeypatch.setenv("QDOCS_SOFFICE", "qdocs-no-such-office")
    assert office.find_office() is None
    docx = tmp_path / "docx" / "notice.docx"
    docx.parent.mkdir()
    docx.write_bytes(b"not a zip")
    (report,) = check_files([docx], office=True)
    statuses = {c.rule: c.status for c in report.checks}
    assert statuses["docx.page_setup"] == "fail"
    assert statuses["docx.rendering"] == "not verified"
    assert statuses["parity.text"] == "not verified"
    assert "pass" not in statuses.values()


def _text(text: str) -> PdfText:
    return PdfText(text, tuple(1 for _ in text), 1)


def test_parity_names_the_first_difference():
    same = compare_text(_text("湖北省质量工作"), _text("湖北省质量工作"))
    assert same.status == "pass" and same.measured == "equal (7 characters)"
    diff = compare_text(_text("基本分93.40分−扣分1.00分"), _text("基本分93.40分扣分−1.00分"))
    assert diff.status == "fail"
    assert "PDF page 1 / DOCX page 1" in diff.detail
    assert "[−]" in diff.detail


def _page_parts(pages: list[tuple[list[tuple[float, float]], list[tuple[float, float]]]]):
    """Parts of a card-like PDF: per page, (text lines as (baseline mm, size pt), pictures
    as (top mm, bottom mm)), all in the type area's width (28–184 mm)."""
    from qdocs.check.pdfmeasure import Band, Glyph, PageGeometry, PdfGeometry, Segment
    from qdocs.check.pdfparts import Parts

    pt = 72 / 25.4
    geometry = PdfGeometry("card.pdf", [], [])
    parts = Parts(geometry, "card", set())
    for i, (lines, pictures) in enumerate(pages):
        geometry.pages.append(PageGeometry(i, 210 * pt, 297 * pt))
        parts.content[i] = [Segment(i, (Glyph("考", 28 * pt, 28 * pt + size, base * pt, size,
                                               "FandolFang", (0, 0, 0)),))
                            for base, size in lines]
        parts.bands[i], parts.tables[i] = [], []
        parts.pictures[i] = [Band(i, 30 * pt, top * pt, 180 * pt, bottom * pt, None)
                             for top, bottom in pictures]
    return parts


def _top_check(parts):
    from qdocs.check.pdfrules import page_checks
    from qdocs.profile import load_profile

    return next(c for c in page_checks(parts, load_profile()) if c.rule == "type_area.top")


# GB/T 9704 5.2.1: the type area's top is 37 mm below the paper's. A 3号 line on the first
# grid line has its baseline at 37 mm + (28.95 pt − 16 pt) / 2 + 0.88 × 16 pt ≈ 44.2 mm;
# a 2号 title on the same line at 37 + (28.95 − 22) / 2 + 0.88 × 22 pt ≈ 45.0 mm.
def test_every_page_must_open_at_the_top_its_picture_counted():
    title, body = (45.0, 22), (44.2, 16)
    # page 2 opens with the chart picture at the top: it reaches the edge
    ok = _top_check(_page_parts([([title], []), ([(120.0, 16)], [(37.1, 80)])]))
    assert ok.status == "pass", ok
    # the same page without the picture opens with its line at 120 mm: caught, though
    # page 1 is right (its line box: 120 − 0.38 × 16 pt − 28.95 pt / 2 ≈ 112.7 mm)
    low = _top_check(_page_parts([([title], []), ([(120.0, 16)], [])]))
    assert low.status == "fail"
    assert low.detail == "below the top: page 2 opens at 112.7 mm"
    # a title measured by its line box, not by its glyphs (em top 38.5 mm)
    assert _top_check(_page_parts([([title, body], [])])).status == "pass"
    # ink above the type area
    high = _top_check(_page_parts([([(40.0, 16)], [])]))
    assert high.status == "fail" and high.detail == "content beyond the edge on page 1"


def test_a_page_under_a_masthead_is_placed_by_its_own_rule():
    # 7.2.2: the 发文机关标志's top 35 mm below the type area's: page 1 opens at ~72 mm
    parts = _page_parts([([(100.0, 36)], [])])
    assert _top_check(parts).status == "fail"        # read as a card: it opens low
    parts.masthead = list(parts.content[0])
    top = _top_check(parts)
    assert top.status == "pass" and top.detail.startswith("no page must open at the top")
