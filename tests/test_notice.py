"""The notice and its action plan as a reader sees them: tasks in order, numbered, with
their lead departments, in the PDF, the DOCX and the HTML alike."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pdfplumber
import yaml

NUMBERS = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四".split()
PLAN = Path(__file__).resolve().parent.parent / "content" / "action_plan.yaml"


def _pdf_text(path: Path) -> str:
    """The running text: page numbers (— N —) left out."""
    with pdfplumber.open(path) as pdf:
        lines = [line for p in pdf.pages for line in (p.extract_text() or "").splitlines()
                 if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line)]
    return re.sub(r"\s+", "", "".join(lines))


def _docx_text(path: Path) -> str:
    return re.sub(r"\s+", "", "".join(p.text for p in docx.Document(str(path)).paragraphs))


def _tasks():
    return yaml.safe_load(PLAN.read_text(encoding="utf-8"))["tasks"]


def test_fourteen_tasks_in_order_with_their_departments(built_example):
    tasks = _tasks()
    assert len(tasks) == 14
    for name, text in (("pdf", _pdf_text(built_example / "pdf" / "annex-1.pdf")),
                       ("docx", _docx_text(built_example / "docx" / "annex-1.docx"))):
        at = 0
        for number, task in zip(NUMBERS, tasks, strict=True):
            heading = f"{number}、{task['heading']}"
            found = text.find(heading, at)
            assert found >= at, f"{name}: {heading} missing or out of order"
            departments = "（" + "、".join(task["departments"]) + task.get(
                "departments_note", "等负责") + "）"
            end = text.find(departments, found)
            assert end > found, f"{name}: {number}、 lacks {departments}"
            at = end


def test_the_notice_binds_both_annexes_with_continuous_page_numbers(built_example):
    with pdfplumber.open(built_example / "pdf" / "notice.pdf") as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    numbers = [int(m.group(1)) for page in pages
               for m in [re.search(r"—\s*(\d+)\s*—\s*$", page.strip())] if m]
    assert numbers == list(range(1, len(numbers) + 1))
    # 7.5 read literally: every page numbered, unless a blank page stands before the 版记
    # page (then both go without)
    assert len(pages) % 2 == 0 and len(pages) - len(numbers) in (0, 2)
    text = re.sub(r"\s+", "", "".join(pages))
    assert text.index("附件1") < text.index("附件2") < text.index("抄送：")
    assert "鄂政办发〔2014〕××号" in text
