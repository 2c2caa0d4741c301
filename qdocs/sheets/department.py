"""The verifying departments' sheets (核查表): rows = regions, columns = the department's items.

Each item gets three columns: the region's reported input (locked), the 核定值
(verified input, empty unless this department already set one) and 核查说明
(the reason). Read back, a 核定值 that differs from the report becomes an
adjustment (input replaced, with the reason and the department); one equal to
the report is recorded as verified (核实无误).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from qdocs.content.numbers import num
from qdocs.content.scoring_models import Adjustment, Item, ItemInput, Verification
from qdocs.errors import UsageError
from qdocs.sheets import layout as L
from qdocs.sheets.inputs import CellError, blank, input_kind
from qdocs.sheets.project import SheetsProject
from qdocs.sheets.style import (
    BODY,
    BOLD,
    BORDER,
    CENTRE,
    HEAD_FILL,
    INPUT_FILL,
    LEFT,
    LINE_PT,
    OPEN,
    TITLE,
    WRAP,
    Validations,
    protect_and_print,
    text_lines,
)
from qdocs.sheets.workbook import Grid, SheetProblems
from qdocs.sheets.write import save_workbook

SHEET = "核查表"
CELL_DEPARTMENT, CELL_YEAR, CELL_FINGERPRINT = "B2", "D2", "F2"
KEY_ROW, FIRST_ROW = 6, 7       # row 6 (hidden) holds each column's item id
FIRST_COL = 3                   # A: code, B: region; then three columns per item
SUBHEADS = ("自报值", "核定值", "核查说明")
WIDTHS = (9, 11, 14, 12, 20)


def department_items(project: SheetsProject) -> dict[str, list[Item]]:
    """Department → the items it verifies, in scheme order (departments with none left out)."""
    out: dict[str, list[Item]] = {}
    for item in L.scheme_items(project.rules):
        for dept in getattr(item, "departments", None) or ():
            out.setdefault(dept, []).append(item)
    return out


def department_workbook(project: SheetsProject, dept: str, items: list[Item]) -> Workbook:
    rules = project.rules
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    last = FIRST_COL + 3 * len(items) - 1
    ws.cell(1, 1, f"{rules.title}　核查表（{dept}）").font = TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(last, 6))
    ws.row_dimensions[1].height = 26
    for ref, text in (("A2", "部门"), ("C2", "年度"), ("E2", "方案指纹")):
        ws[ref], ws[ref].font = text, BOLD
    ws[CELL_DEPARTMENT], ws[CELL_YEAR] = dept, project.settings.year
    ws[CELL_YEAR].alignment = LEFT
    ws[CELL_FINGERPRINT] = L.scheme_fingerprint(rules)
    ws.cell(3, 1, "填写说明：核实无误的，核定值照填自报值；核定值与自报值不同的，"
                  "须在核查说明写明依据。只填黄色单元格，不要增删行列。")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=max(last, 6))
    ws.cell(3, 1).alignment, ws.cell(3, 1).font = WRAP, BODY
    ws.row_dimensions[3].height = 30
    for c, text in ((1, "代码"), (2, "地区")):
        cell = ws.cell(4, c, text)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTRE
        ws.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = WIDTHS[0], WIDTHS[1]
    ws.cell(KEY_ROW, 1, "key")
    checks = Validations(ws)
    regions = project.regions.regions
    lines = {FIRST_ROW + n: 1 for n in range(len(regions))}
    for k, item in enumerate(items):
        col = FIRST_COL + 3 * k
        head = ws.cell(4, col, f"{item.id} {item.name}（{num(item.points)}分）")
        ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 2)
        for j, sub in enumerate(SUBHEADS):
            cell = ws.cell(5, col + j, sub)
            ws.cell(KEY_ROW, col + j, item.id)
            for c in (cell, ws.cell(4, col + j)):
                c.font, c.fill, c.border, c.alignment = BOLD, HEAD_FILL, BORDER, CENTRE
            ws.column_dimensions[get_column_letter(col + j)].width = WIDTHS[2 + j]
        head.alignment = CENTRE
        kind = input_kind(item)
        rule = kind.one_rule(item.method)[0]
        for n, region in enumerate(regions):
            r = FIRST_ROW + n
            a = project.assessments.get(region.code)
            reported = a.items.get(item.id) if a is not None else None
            shown = kind.show(item.method, reported) if reported is not None else "（未报）"
            adj = next((x for x in (a.adjustments if a else ()) if x.item == item.id
                        and x.department == dept), None)
            cells = (ws.cell(r, col, shown),
                     ws.cell(r, col + 1, kind.one_fill(item.method, adj.input) if adj else None),
                     ws.cell(r, col + 2, adj.reason if adj else None))
            for j, cell in enumerate(cells):
                cell.border, cell.font = BORDER, BODY
                cell.alignment = CENTRE if j < 2 else WRAP
                if j:
                    cell.fill, cell.protection = INPUT_FILL, OPEN
            checks.add(rule, cells[1].coordinate)
            for j, cell in enumerate(cells):
                lines[r] = max(lines[r], text_lines(cell.value, WIDTHS[2 + j]))
    ws.row_dimensions[4].height = 30
    for n, region in enumerate(regions):
        r = FIRST_ROW + n
        for c, text in ((1, region.code), (2, region.name)):
            cell = ws.cell(r, c, text)
            cell.border, cell.font, cell.alignment = BORDER, BODY, CENTRE
        ws.row_dimensions[r].height = max(lines[r] * LINE_PT + 6, 22)
    ws.row_dimensions[KEY_ROW].hidden = True
    ws.freeze_panes = ws.cell(FIRST_ROW, FIRST_COL)
    protect_and_print(ws, "4:5")
    return wb


def write_department_sheets(project: SheetsProject, out_dir: Path) -> list[Path]:
    """One <department>.xlsx per verifying department in `out_dir`."""
    paths = []
    for dept, items in department_items(project).items():
        if any(ch in dept for ch in '/\\:*?"<>|') or dept.startswith("."):
            raise UsageError(f"department name {dept!r} cannot be a file name")
        path = out_dir / f"{dept}.xlsx"
        save_workbook(department_workbook(project, dept, items), path)
        paths.append(path)
    return paths


@dataclass(frozen=True)
class Finding:
    """One verified cell: the region, and either an adjustment or a verification."""

    code: str
    change: Adjustment | Verification
    where: str


def read_department(grid: Grid, project: SheetsProject,
                    report: SheetProblems) -> list[Finding] | None:
    """The department's findings, or None with every problem reported."""
    dept = grid.text(2, 2)
    owned = department_items(project)
    if dept not in owned:
        report.at(grid.name, CELL_DEPARTMENT, (
            f"department {dept!r} verifies no item of the scheme; known: "
            f"{', '.join(owned)}" if dept else "the department is missing"))
        return None
    now = L.scheme_fingerprint(project.rules)
    found = grid.text(2, 6)
    items = owned[dept]
    if found != now:
        ids = {grid.text(KEY_ROW, FIRST_COL + 3 * k) for k in range(len(items) + 50)} - {""}
        mine = [i.id for i in items]
        report.at(grid.name, CELL_FINGERPRINT, (
            f"this sheet was made for another version of the scheme (fingerprint "
            f"{found or 'none'}, now {now}) — its items: {', '.join(sorted(ids)) or 'none'}; "
            f"now: {', '.join(mine)}; send a new sheet (qdocs sheets out --by-department)"))
        return None
    problems_before = len(report.problems)
    for k, item in enumerate(items):
        col = FIRST_COL + 3 * k
        if grid.text(KEY_ROW, col) != item.id or grid.text(KEY_ROW, col + 2) != item.id:
            report.at(grid.name, f"{get_column_letter(col)}{KEY_ROW}", (
                f"the columns of {item.id} {item.name} are not where sheets out put them: "
                "columns were inserted, deleted or moved; put them back"))
            return None
    for n, region in enumerate(project.regions.regions):
        r = FIRST_ROW + n
        if grid.text(r, 1) != region.code:
            report.at(grid.name, f"A{r}", (
                f"row {r} should be {region.code} {region.name}, found "
                f"{grid.text(r, 1) or 'nothing'}: rows were inserted, deleted or moved"))
            return None
    out: list[Finding] = []
    for n, region in enumerate(project.regions.regions):
        r = FIRST_ROW + n
        for k, item in enumerate(items):
            col = FIRST_COL + 3 * k
            finding = _read_cell(grid, project, dept, region.code, item, r, col, report)
            if finding is not None:
                out.append(finding)
    return out if len(report.problems) == problems_before else None


def _read_cell(grid, project, dept, code, item, r, col, report) -> Finding | None:
    cell = grid.get(r, col + 1)
    ref, why_ref = f"{get_column_letter(col + 1)}{r}", f"{get_column_letter(col + 2)}{r}"
    if blank(cell):
        return None
    a = project.assessments.get(code)
    if a is None:
        report.at(grid.name, ref, (
            f"{code} has no assessment yet; read its region sheet before verifying it"))
        return None
    kind, notes = input_kind(item), []
    try:
        value = kind.one_read(item.method, cell, notes)
    except CellError as exc:
        report.at(grid.name, ref, exc.message)
        return None
    for _, text in notes:
        report.note(grid.name, ref, text)
    field = kind.field_of(item.method)
    verified = ItemInput(**{field: value})
    reported = a.items[item.id]
    where = f"{report.shown}!{grid.name}!{ref}"
    if getattr(reported, field) == value:
        return Finding(code, Verification(item=item.id, department=dept), where)
    reason = grid.text(r, col + 2)
    if not reason:
        report.at(grid.name, why_ref, (
            f"{item.id} of {code}: the 核定值 differs from the reported "
            f"{kind.show(item.method, reported)}; give the reason in 核查说明"))
        return None
    return Finding(code, Adjustment(item=item.id, input=verified, reason=reason,
                                    department=dept), where)
