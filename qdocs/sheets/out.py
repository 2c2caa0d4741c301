"""Sheets out: one region's score sheet (考核表) as an .xlsx, pre-filled from its assessment.

A row per item with its id, name, points, the 评分方法 exactly as annex 2 prints
it and the evidence required; the input cells take the shape the method needs
(`inputs.py`); then bonus and penalty claims and veto events. Only the input and
note cells are open. Rows 1–2 carry the region, the year and the scheme's
fingerprint, which sheets in checks before reading a single value.

The sheet is the same for every region but for its values, so openpyxl styles it
once (`RegionSheet`) and each region's values go into that template (`patch.py`):
styling cells is what costs time in openpyxl.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from qdocs.content.numbers import num
from qdocs.content.scoring_models import Assessment
from qdocs.scoring.describe import describe_claim_item, describe_item
from qdocs.sheets import layout as L
from qdocs.sheets.inputs import CLAIM_RULE, NO, YES, choices_rule, input_kind
from qdocs.sheets.patch import Template
from qdocs.sheets.project import SheetsProject
from qdocs.sheets.style import (
    BODY,
    BOLD,
    BORDER,
    CENTRE,
    HEAD_FILL,
    INPUT_FILL,
    LEFT,
    OPEN,
    SECTION_FILL,
    TITLE,
    WRAP,
    Validations,
    protect_and_print,
    row_heights,
    text_lines,
)
from qdocs.sheets.write import write_bytes

INSTRUCTIONS = ("填写说明：只填黄色单元格（填报值、备注），其余单元格已锁定；不要增删行、改动表名或"
                "编号。百分数填数值（95表示95%）。加分、扣分项填项数或次数并在备注写明依据；"
                "否决项选“是”的须在备注写明事件。")


class RegionSheet:
    """The styled, validated, protected sheet of a scheme; `fill` puts one region's values in."""

    def __init__(self, project: SheetsProject):
        self.project = project
        rules = project.rules
        self.rows = L.region_rows(rules)
        self.wb = Workbook()
        ws = self.ws = self.wb.active
        ws.title = L.SHEET
        self._header()
        checks = Validations(ws)
        self.lines: dict[int, int] = {}
        self.merged: list[tuple[int, int, int]] = []
        for row in self.rows:
            r = row.number
            ws.cell(r, L.COL_KEY, row.key)
            if row.kind == "section":
                self._section(row)
                continue
            texts = self._static(row, rules)
            for c in range(1, 9):
                cell = ws.cell(r, c)
                cell.border = BORDER
                cell.alignment = CENTRE if c in (L.COL_ID, L.COL_POINTS, L.COL_INPUT) else WRAP
                cell.font = BODY
            for c in (L.COL_INPUT, L.COL_NOTE):
                if c == L.COL_INPUT or row.part == 0:
                    ws.cell(r, c).fill, ws.cell(r, c).protection = INPUT_FILL, OPEN
            checks.add(self._rule(row), ws.cell(r, L.COL_INPUT).coordinate)
            single = [(L.COL_PROMPT, row.prompt)] + ([] if row.parts > 1 else texts)
            self.lines[r] = max(text_lines(t, L.WIDTHS[c - 1]) for c, t in single)
            if row.parts > 1 and row.part == 0:
                need = max(text_lines(t, L.WIDTHS[c - 1]) for c, t in texts)
                self.merged.append((r, row.parts, need))
                for col in (L.COL_ID, L.COL_NAME, L.COL_POINTS, L.COL_METHOD, L.COL_EVIDENCE,
                            L.COL_NOTE):
                    ws.merge_cells(start_row=r, start_column=col, end_row=r + row.parts - 1,
                                   end_column=col)
        ws.column_dimensions[get_column_letter(L.COL_KEY)].hidden = True
        ws.column_dimensions[get_column_letter(L.COL_HASH)].hidden = True
        protect_and_print(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")
        for r, height in row_heights(self.lines, self.merged).items():
            ws.row_dimensions[r].height = height
        varying = [L.CELL_REGION, L.CELL_CODE]
        for row in self.rows:
            if row.kind != "section":
                varying.append(f"E{row.number}")
                if row.part == 0:
                    varying.append(f"H{row.number}")
        buf = io.BytesIO()
        self.wb.save(buf)
        self.template = Template(buf.getvalue(), varying,
                                 [r.number for r in self.rows if r.kind != "section"])

    def fill(self, code: str) -> bytes:
        """The .xlsx of region `code`: its header and current inputs (or blanks)."""
        a = self.project.assessments.get(code)
        values: dict[str, object] = {L.CELL_REGION: self.project.region_name(code),
                                     L.CELL_CODE: code}
        lines = dict(self.lines)
        for row in self.rows:
            if row.kind == "section":
                continue
            value, note = _values(row, a)
            values[f"E{row.number}"] = value
            if row.part == 0:
                values[f"H{row.number}"] = note
                if note and row.parts == 1:
                    lines[row.number] = max(lines[row.number],
                                            text_lines(note, L.WIDTHS[L.COL_NOTE - 1]))
        return self.template.render(values, row_heights(lines, self.merged))

    def _header(self) -> None:
        ws, rules = self.ws, self.project.rules
        ws.cell(1, 1, f"{rules.title}　自评表").font = TITLE
        ws.merge_cells("A1:H1")
        ws.row_dimensions[1].height = 26
        for ref, text in (("A2", "地区"), ("C2", "代码"), ("E2", "年度"), ("G2", "方案指纹")):
            ws[ref] = text
            ws[ref].font = BOLD
        ws[L.CELL_YEAR], ws[L.CELL_FINGERPRINT] = self.project.settings.year, \
            L.scheme_fingerprint(rules)
        for ref in (L.CELL_REGION, L.CELL_CODE):      # filled per region (see fill)
            ws[ref].font = BODY
        ws[L.CELL_YEAR].alignment = LEFT
        ws.cell(3, 1, INSTRUCTIONS).alignment = WRAP
        ws.cell(3, 1).font = BODY
        ws.merge_cells("A3:H3")
        ws.row_dimensions[3].height = 2 * 13 + 6
        for c, (title, width) in enumerate(zip(L.COLUMNS, L.WIDTHS, strict=True), start=1):
            cell = ws.cell(L.HEADER_ROW, c, title)
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTRE
            ws.column_dimensions[get_column_letter(c)].width = width

    def _section(self, row: L.Row) -> None:
        ws, r = self.ws, row.number
        ws.cell(r, 1, row.title).font = BOLD
        for c in range(1, 9):
            ws.cell(r, c).fill = SECTION_FILL
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=8)
        self.lines[r] = text_lines(row.title, sum(L.WIDTHS))

    def _static(self, row: L.Row, rules) -> list[tuple[int, object]]:
        """Write the locked text of a row (first row of an item only); return (column, text)."""
        ws, r, item = self.ws, row.number, row.item
        ws.cell(r, L.COL_PROMPT, row.prompt)
        if row.part:
            return []
        if row.kind == "item":
            method = describe_item(item, rules.precision, *_rounding(rules))
            points = num(item.points)
            ws.cell(r, L.COL_HASH, L.item_fingerprint(item))
        elif row.kind == "veto":
            method, points = item.content, None
        else:
            sign = "加" if row.kind == "bonus" else "扣"
            method = f"{item.content}（{describe_claim_item(item, sign)}）"
            points = num(item.points)
            ws.cell(r, L.COL_HASH, L.claim_fingerprint(row.kind, item))
        evidence = "；".join(getattr(item, "evidence", None) or ())
        texts = [(L.COL_ID, item.id), (L.COL_NAME, item.name), (L.COL_POINTS, points),
                 (L.COL_METHOD, method), (L.COL_EVIDENCE, evidence or None)]
        for c, text in texts:
            ws.cell(r, c, text)
        return texts

    def _rule(self, row: L.Row):
        if row.kind == "item":
            return input_kind(row.item).rules(row.item.method)[row.part]
        return choices_rule((YES, NO)) if row.kind == "veto" else CLAIM_RULE


def _rounding(rules) -> tuple:
    """describe_item's rounding argument, for schemes whose policy names one."""
    rounding = getattr(rules, "rounding", None)
    return (rounding.items,) if rounding is not None else ()


def _values(row: L.Row, a: Assessment | None) -> tuple[object, str | None]:
    """The input and note a row shows for assessment `a` (blanks when there is none)."""
    item = row.item
    if row.kind == "item":
        given = a.items.get(item.id) if a is not None else None
        value = input_kind(item).fill(item.method, given)[row.part]
        return value, given.note if given is not None else None
    if a is None:
        return None, None
    if row.kind == "veto":
        event = next((v for v in a.vetoes if v.condition == item.id), None)
        return (YES, event.event) if event else (NO, None)
    lines = a.bonuses if row.kind == "bonus" else a.penalties
    claim = next((c for c in lines if c.item == item.id), None)
    return (claim.count, claim.note) if claim else (None, None)


def write_region_sheets(project: SheetsProject, codes: list[str], out_dir: Path) -> list[Path]:
    """One <code>.xlsx per region in `out_dir`; returns the paths written."""
    sheet = RegionSheet(project)
    paths = []
    for code in codes:
        path = out_dir / f"{code}.xlsx"
        write_bytes(path, sheet.fill(code))
        paths.append(path)
    return paths
