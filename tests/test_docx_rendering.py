"""The DOCX writer's output as LibreOffice lays it out, measured on the PDF it exports.

The expensive end of the DOCX tests (STYLE.md 10): each test converts a DOCX with
LibreOffice (a few seconds) and reads text positions with pdftotext. Skipped, and so
not verified, when LibreOffice, poppler-utils or a 仿宋 substitute is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from test_docx_writer import FIXTURE, page, write

from qdocs.fonts import resolve_fonts

pytestmark = [
    pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                       reason="LibreOffice or poppler-utils not installed: layout not verified"),
    pytest.mark.skipif(not resolve_fonts()["fang"].file, reason="no 仿宋 substitute installed"),
]

FONTCONFIG = """<?xml version="1.0"?>
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>{}</fontconfig>"""
ALIAS = ('<match target="pattern"><test name="family"><string>{}</string></test>'
         '<edit name="family" mode="assign" binding="strong"><string>{}</string></edit>'
         '<edit name="weight" mode="assign"><const>{}</const></edit></match>')


def _render(docx_path: Path, tmp_path: Path) -> Path:
    """The DOCX as PDF through LibreOffice, the standard faces mapped to what is
    installed (as the PDF writer resolves them), blank pages kept."""
    fonts = resolve_fonts()
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTCONFIG.format("".join(
        ALIAS.format(f.requested, f.family, f.weight) for f in fonts.values())),
        encoding="utf-8")
    pdf_filter = ('pdf:writer_pdf_Export:{"IsSkipEmptyPages":'
                  '{"type":"boolean","value":"false"}}')
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", pdf_filter, "--outdir", str(tmp_path), str(docx_path)],
        check=True, timeout=120, capture_output=True,
        env={"FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    return tmp_path / (docx_path.stem + ".pdf")


def _lines(pdf: Path, number: int) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1 in mm, text) of each text line on a page, from pdftotext."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(number), "-l", str(number),
                          str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = []
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                         r'yMax="([\d.]+)">(.*?)</line>', out, re.S):
        box = [float(v) * 25.4 / 72 for v in m.groups()[:4]]
        lines.append((*box, "".join(re.findall(r">([^<]+)</word>", m.group(5)))))
    return lines


def test_libreoffice_rendering_follows_gbt9704(tmp_path):
    sample = write(tmp_path, FIXTURE.read_text(encoding="utf-8"), "notice.docx")
    pdf = _render(sample, tmp_path)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
    assert pages % 2 == 0  # the 版记 is on an even last page
    with pdfplumber.open(pdf) as doc:  # the red 版头: issuer mark centred, rule 156 mm
        first = doc.pages[0]
        red = [c for c in first.chars if tuple(c["non_stroking_color"] or ()) == (1, 0, 0)]
        rules = [r for r in first.lines + first.rects
                 if tuple(r.get("stroking_color") or ()) == (1, 0, 0)]
    mm = 25.4 / 72
    assert "".join(c["text"] for c in red) == "湖北省人民政府办公厅文件"
    assert (red[0]["x0"] + red[-1]["x1"]) / 2 * mm == pytest.approx(28 + 156 / 2, abs=0.5)
    assert rules[0]["x0"] * mm == pytest.approx(28, abs=0.3)
    assert rules[0]["x1"] * mm == pytest.approx(184, abs=0.3)
    numbers = {n: [line for line in _lines(pdf, n) if line[1] > 262] for n in range(1, pages)}
    assert numbers[1][0][2] == pytest.approx(184 - 14 * 25.4 / 72, abs=0.3)  # odd: right
    assert numbers[2][0][0] == pytest.approx(28 + 14 * 25.4 / 72, abs=0.3)  # even: left
    last = _lines(pdf, pages)
    assert any(line[4].startswith("抄送") for line in last)
    # the 版记 page follows a text page (no data-place: the next even page), so 7.5 read
    # literally numbers it
    foot = [line for line in last if line[1] > 262]
    assert foot and re.sub(r"\s", "", foot[0][4]) == f"—{pages}—", foot
    # LibreOffice 7.4 ignores w:vAlign; the spacer sets the 版记 at the foot.
    printer = next(line for line in last if line[4].startswith("湖北省人民政府办公厅"))
    assert 262 - 225 / 22 < printer[3] < 262


def test_libreoffice_sets_22_full_lines_of_28_characters(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    paragraphs = re.findall(r'<p class="body">([^<]+)</p>', text)
    docx_path = write(tmp_path, page("".join(f'<p class="body">{p}</p>' for p in paragraphs * 4)))
    body = [line for line in _lines(_render(docx_path, tmp_path), 1) if line[1] < 262]
    assert len(body) == 22
    slots = [(line[1] - body[0][1]) / (225 / 22) for line in body]
    assert all(abs(slot - round(slot)) < 0.05 for slot in slots)  # on the grid, ± 0.5 mm
    # Full lines hold 28 characters and end at the type area's right edge.
    full = [line for line in body if not line[4].endswith("。")]
    assert all(abs(line[2] - 184) < 0.5 for line in full)
    worth = [(line[0] - 28) / (156 / 28) + sum(
        1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in line[4])
        for line in full]  # characters, the first-line indent counted
    # 28, or 27 where 避头 pushed a character down; fewer only before an unbreakable
    # Latin run ("2014"); never 29.
    assert max(worth) < 28.5
    assert sum(w > 26.5 for w in worth) >= len(full) * 3 // 4, worth
