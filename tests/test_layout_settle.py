"""Layout decisions written into the HTML (qdocs/writers/layout.py): where the 版记 goes
(7.4.1, 7.5 read literally) and the 7.3.5.1 remedy, on documents made to need each.

Restated from the standard: 22 lines of 28 characters a page; the 版记 on an even page,
at the foot of the last text page when it fits; a blank page before it only when it
does not, and then neither page numbered.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import pdfplumber
import pytest

from qdocs.fonts import resolve_fonts
from qdocs.profile import load_profile
from qdocs.render.stylesheet import stylesheet_context
from qdocs.render.templates import bundled_templates_dir, make_environment
from qdocs.writers.docx import docx_bytes
from qdocs.writers.fetcher import make_url_fetcher
from qdocs.writers.layout import settle_html
from qdocs.writers.pdf import render_pdf

PROFILE = load_profile()
FETCHER = make_url_fetcher([bundled_templates_dir()])
IMPRINT = ('<div class="imprint"><p class="cc">抄送：省委各部门。</p><p class="printer">'
           '<span class="printer-name">湖北省人民政府办公厅</span>'
           '<span class="print-date">2014年5月6日印发</span></p></div>')
SIGNATURE = ('<div class="signature-block"><p class="signature" data-right-chars="5">'
             '湖北省人民政府办公厅</p><p class="date" data-right-chars="4">2014年5月6日</p></div>')
CHARS = "质量发展是兴国之道强国之策质量反映一个国家的综合实力"   # 26 characters


@pytest.fixture(scope="module")
def css() -> str:
    env = make_environment([bundled_templates_dir()])
    return env.get_template("print.css.j2").render(
        **stylesheet_context(PROFILE, resolve_fonts()))


def _doc(css: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>'
            f'<style>{css}</style></head><body class="gongwen">{body}</body></html>')


def _settle(html: str) -> str:
    return settle_html(html, PROFILE, base_url=".", url_fetcher=FETCHER)


def _pages(html: str) -> list[str]:
    pdf = render_pdf(html, PROFILE, base_url=".", url_fetcher=FETCHER)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def _lines(n: int, text: str = "正文。") -> str:
    return "".join(f'<p class="body">{text}</p>' for _ in range(n))


def _place(html: str) -> str:
    return re.search(r'<div class="imprint" data-place="([^"]+)"', html).group(1)


def test_text_ending_on_an_odd_page_puts_the_banji_on_the_next_page_numbered(css):
    html = _settle(_doc(css, _lines(5) + IMPRINT))
    assert _place(html) == "next-page"
    pages = _pages(html)
    assert len(pages) == 2
    assert "抄送" in pages[1] and re.search(r"—\s*2\s*—", pages[1])   # 7.5 read literally


def test_text_ending_high_on_an_even_page_takes_the_banji_at_its_foot(css):
    html = _settle(_doc(css, _lines(22 + 5) + IMPRINT))
    assert _place(html) == "foot"
    pages = _pages(html)
    assert len(pages) == 2                                     # no page added
    assert "抄送" in pages[1] and "正文" in pages[1] and re.search(r"—\s*2\s*—", pages[1])


def test_text_filling_an_even_page_puts_the_banji_after_a_blank_page_unnumbered(css):
    html = _settle(_doc(css, _lines(22 + 21) + IMPRINT))
    assert _place(html) == "after-blank"
    pages = _pages(html)
    assert len(pages) == 4
    assert pages[2].strip() == "" and "抄送" in pages[3]
    assert not re.search(r"—\s*[34]\s*—", pages[2] + pages[3])  # neither page numbered
    assert re.search(r"—\s*2\s*—", pages[1])


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_the_blank_page_survives_libreoffice_default_export(css, tmp_path):
    """Finding 6: with the blank page a paragraph of its own, LibreOffice's default PDF
    export (which drops empty pages) keeps it, and the 版记 stands on page 4."""
    html = _settle(_doc(css, _lines(22 + 21) + IMPRINT))
    docx = tmp_path / "blank.docx"
    docx.write_bytes(docx_bytes(html, title="t", created=dt.datetime(2014, 1, 1)))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, timeout=180, capture_output=True,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    with pdfplumber.open(tmp_path / "blank.pdf") as doc:
        pages = [p.extract_text() or "" for p in doc.pages]
    assert len(pages) == 4, pages
    assert "抄送" in pages[3] and "抄送" not in pages[2]


def test_the_remedy_tightens_spacing_when_that_brings_the_signature_up(css):
    # 9 paragraphs of 27 characters: with the 2-character indent each takes 2 lines of 28
    # (18 lines) and the 署名 block (3 blank lines, 2 lines) does not fit under them; at 29
    # characters a line each takes one, and all stands on one page
    body = _lines(9, CHARS + "。") + SIGNATURE
    plain = _pages(_doc(css, body))
    assert len(plain) == 2 and "湖北省人民政府办公厅" not in plain[0]  # carried over
    html = _settle(_doc(css, body))
    assert html.count('data-tight="1"') == 9
    pages = _pages(html)
    assert len(pages) == 1 and "2014年5月6日" in pages[0]


def test_the_remedy_falls_back_when_the_bounds_do_not_suffice(css):
    # 19 one-line paragraphs and the 署名 block need 24 lines: more than the remedy's 23
    body = _lines(19) + SIGNATURE
    html = _settle(_doc(css, body))
    assert ' data-tight="' not in html
    pages = _pages(html)
    assert len(pages) == 2 and "正文" in pages[1] and "2014年5月6日" in pages[1]


def test_a_tightened_paragraph_is_tightened_in_the_docx(css):
    html = _doc(css, '<p class="body" data-tight="1">正文。</p>')
    data = docx_bytes(html, title="t", created=dt.datetime(2014, 1, 1))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    pitch = round(PROFILE.remedy_line_pitch_pt * 20)
    assert f'w:line="{pitch}"' in xml and 'w:lineRule="exact"' in xml
    assert f'w:spacing w:val="{round(PROFILE.remedy_letter_spacing_pt * 20)}"' in xml


def test_the_remedy_bounds_are_23_lines_and_29_characters():
    # 225 mm = 637.8 pt over 23 lines, less the grid rounding 28.95 has against 637.8 / 22
    assert PROFILE.remedy_line_pitch_pt == pytest.approx(637.795 / 23 - (637.795 / 22 - 28.95),
                                                         abs=0.001)
    # 29 characters fill 156 mm = 442.205 pt
    assert 29 * (16 + PROFILE.remedy_letter_spacing_pt) <= 442.205
    assert 29 * (16 + PROFILE.remedy_letter_spacing_pt) > 442.205 - 1


def test_the_check_accepts_the_remedys_bounds_only_where_the_source_applied_it(css, tmp_path):
    from qdocs.check.pdfcheck import check_pdf

    html = _settle(_doc(css, _lines(9, CHARS + "。") + SIGNATURE))
    assert ' data-tight="' in html
    pdf = tmp_path / "tight.pdf"
    pdf.write_bytes(render_pdf(html, PROFILE, base_url=".", url_fetcher=FETCHER))
    source = tmp_path / "tight.html"
    source.write_text(html, encoding="utf-8")
    told = {c.rule: c for c in check_pdf(pdf, "other", source, PROFILE)}
    blind = {c.rule: c for c in check_pdf(pdf, "other", None, PROFILE)}
    # 27.69 pt lines of 29 characters: within the remedy's bounds, not the body's
    assert told["body.line_pitch"].status == "pass", told["body.line_pitch"]
    assert blind["body.line_pitch"].status == "fail"
    assert blind["body.line_pitch"].measured.startswith("27.6")
