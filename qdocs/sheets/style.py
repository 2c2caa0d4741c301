"""Cell styles and sheet settings shared by the region and department sheets.

Protection without a password: the locked cells are a guide against slips, not
a lock-out (Excel, WPS and Calc all lift it from the menu). A4, landscape,
fit to the page width, the header rows repeated on every printed page.
"""

from __future__ import annotations

import math
import unicodedata

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from qdocs.sheets.inputs import Rule

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
LEFT = Alignment(horizontal="left")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")     # the cells to fill in: pale yellow
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
BODY = Font(size=10)
BOLD = Font(bold=True, size=10)
TITLE = Font(bold=True, size=14)
OPEN = Protection(locked=False)


def protect_and_print(ws, header_rows: str, landscape: bool = True) -> None:
    """Lock the sheet (no password), set A4 and repeat `header_rows` ("4:4") on each page."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False     # widening a column is harmless; allow it
    ws.protection.formatRows = False
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


class Validations:
    """One DataValidation per distinct rule, each holding every cell it applies to."""

    def __init__(self, ws):
        self.ws, self.by_rule = ws, {}

    def add(self, rule: Rule, ref: str) -> None:
        dv = self.by_rule.get(rule)
        if dv is None:
            dv = DataValidation(type=rule.type, formula1=rule.formula1, formula2=rule.formula2,
                                operator=rule.operator, allow_blank=True, showErrorMessage=True,
                                showInputMessage=True, errorStyle="stop",
                                errorTitle="不符合要求", error=rule.hint or "请按填报要求填写",
                                promptTitle="填报要求", prompt=rule.hint or None)
            self.ws.add_data_validation(dv)
            self.by_rule[rule] = dv
        dv.add(ref)


def text_lines(text: object, width: float) -> int:
    """Lines a wrapped cell of `width` characters needs (a CJK character is two wide).

    Calc and WPS do not grow rows on opening an .xlsx, so the sheet sets each height.
    """
    if text is None:
        return 1
    total = 0
    for para in str(text).split("\n"):
        wide = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in para)
        total += max(1, math.ceil(wide / max(width - 1.5, 1)))
    return total


LINE_PT = 13.0     # one line of 10-point text, with leading


def row_heights(single: dict[int, int], merged: list[tuple[int, int, int]]) -> dict[int, float]:
    """Heights in points: `single` row → lines its own cells need; `merged` (first row, rows
    spanned, lines) for cells merged down several rows, whose extra lines are spread over them."""
    lines = dict(single)
    for first, span, need in merged:
        rows = range(first, first + span)
        short = need - sum(lines.get(r, 1) for r in rows)
        for k in range(max(short, 0)):
            lines[first + k % span] = lines.get(first + k % span, 1) + 1
    return {r: n * LINE_PT + 4 for r, n in lines.items()}
