"""One source, three formats: the PDF, the DOCX and the HTML of a target hold the same text."""

from __future__ import annotations

import re
from collections import Counter

import docx
import lxml.html
import pdfplumber
import pytest

TARGETS = ["notice", "annex-1", "annex-2", "bulletin", "card-420100", "card-429006"]
SPACE = re.compile(r"\s+")
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
SAMPLE = "示例数据"


def table_headers(path) -> list[Counter]:
    """The characters of each table's header row, which the PDF repeats on every page."""
    root = lxml.html.fromstring(path.read_bytes())
    return [Counter(SPACE.sub("", head.text_content())) for head in root.xpath("//thead")
            if not head.xpath('ancestor::div[@class="screen-only"]')]


def html_text(path) -> tuple[str, str]:
    """(document text, chart text): the chart is an image in the DOCX, so kept apart."""
    root = lxml.html.fromstring(path.read_bytes())
    for mark in root.xpath('//p[@class="sample-mark"]'):
        mark.drop_tree()
    for part in root.xpath('//div[@class="screen-only"]'):  # the preview's alone, by design
        part.drop_tree()
    charts = "".join(svg.text_content() for svg in root.xpath("//figure//*[local-name()='svg']"))
    for svg in root.xpath("//figure//*[local-name()='svg']"):
        svg.getparent().remove(svg)
    body = root.xpath("//body")[0]
    for style in body.xpath(".//style"):
        style.drop_tree()
    return SPACE.sub("", body.text_content()), SPACE.sub("", charts)


def docx_text(path) -> str:
    """Body paragraphs and table cells in document order; footers (page numbers) left out."""
    document = docx.Document(str(path))
    parts = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(t.text or "" for t in block.iter(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
        elif tag == "tbl":
            for cell in block.iter(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc"):
                parts.append("".join(t.text or "" for t in cell.iter(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
    return SPACE.sub("", "".join(parts)).replace(SAMPLE, "")


def pdf_text(path) -> str:
    lines = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for line in (page.extract_text() or "").splitlines():
                line = line.strip()
                if PAGE_NUMBER.match(line) or line == SAMPLE:
                    continue
                lines.append(line)
    return SPACE.sub("", "".join(lines))


@pytest.mark.parametrize("target", TARGETS)
def test_docx_and_html_hold_the_same_text_in_the_same_order(built_example, target):
    html, _ = html_text(built_example / "html" / f"{target}.html")
    assert docx_text(built_example / "docx" / f"{target}.docx") == html.replace(SAMPLE, "")


@pytest.mark.parametrize("target", TARGETS)
def test_pdf_holds_the_same_characters_as_the_html(built_example, target):
    """Table cells wrap, so a PDF's reading order differs inside tables: compare what
    characters, and how many of each, the two hold (the chart's labels are in the PDF;
    a table's header row is repeated on each page it spans, and nothing else is extra)."""
    source = built_example / "html" / f"{target}.html"
    html, chart = html_text(source)
    pdf = Counter(pdf_text(built_example / "pdf" / f"{target}.pdf"))
    expected = Counter(html.replace(SAMPLE, "")) + Counter(chart)
    assert expected - pdf == Counter()  # nothing of the source is missing
    extra = pdf - expected
    for header in table_headers(source):
        while header and all(extra[ch] >= n for ch, n in header.items()):
            extra -= header
    assert extra == Counter()


def test_pdf_of_a_text_only_annex_reads_in_order(built_example):
    html, _ = html_text(built_example / "html" / "annex-1.html")
    assert pdf_text(built_example / "pdf" / "annex-1.pdf") == html
