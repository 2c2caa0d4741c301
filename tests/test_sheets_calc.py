"""Sheets through a real office suite: filled, re-saved by LibreOffice Calc, read back.

What must survive Calc's own writer: the dropdown lists and number rules of the input
cells, the sheet protection (without a password), the open input cells, the hidden keys,
the values typed, the A4 page and the repeated header row.
"""

from __future__ import annotations

import openpyxl
from cli_run import run

from tests.sheets_helpers import calc_resave, edit, needs_calc, rows_by_key

pytestmark = needs_calc


def test_calc_keeps_validation_protection_and_values(example, tmp_path, capsys):
    sheets = tmp_path / "s"
    run(["sheets", "out", "--content", str(example), "--out", str(sheets), "420500"], capsys)
    run(["sheets", "out", "--by-department", "--content", str(example), "--out",
         str(sheets / "dept")], capsys)
    edit(sheets / "420500.xlsx", {"T1": 94, "M1-3": "较好", "M1-1/2": "无", "M2-2": 2,
                                  "bonus:B1": 1, "veto:V1": "否"}, {"bonus:B1": "获奖一项"})
    wb = openpyxl.load_workbook(sheets / "dept" / "省统计局.xlsx")
    ws = wb["核查表"]
    assert [ws.cell(6, c).value for c in (3, 4, 5)] == ["T1", "T1", "T1"]
    ws["D8"], ws["E8"] = 92, "统计年报核定"         # 420200 黄石市, T1 核定值 and reason
    wb.save(sheets / "dept" / "省统计局.xlsx")
    region, dept = calc_resave([sheets / "420500.xlsx", sheets / "dept" / "省统计局.xlsx"],
                               tmp_path / "calc")

    ws = openpyxl.load_workbook(region)["考核表"]
    where = rows_by_key(ws)
    assert ws.protection.sheet is True and not ws.protection.password
    rules = {(dv.type, dv.formula1): str(dv.sqref) for dv in ws.data_validations.dataValidation}
    level_cell = f"E{where['M1-3']}"
    assert any(level_cell in refs.split() or _within(level_cell, refs)
               for (kind, f1), refs in rules.items() if f1 == '"好,较好,一般,差"')
    assert ("list", '"是,否"') in rules and ("list", '"有,无"') in rules
    assert any(kind == "decimal" for kind, _ in rules)
    assert any(kind == "whole" for kind, _ in rules)
    assert ws.cell(where["T1"], 5).value == 94
    assert ws.cell(where["M1-3"], 5).value == "较好"
    assert ws.cell(where["T1"], 5).protection.locked is False
    assert ws.cell(where["T1"], 4).protection.locked is True
    assert ws.column_dimensions["I"].hidden
    assert ws.page_setup.paperSize == 9          # A4 in SpreadsheetML's numbering
    assert ws.print_title_rows == "$4:$4"

    code, out, err = run(["sheets", "in", "--content", str(example), str(region), str(dept)],
                         capsys)
    assert code == 0, err
    assert "  T1 制造业产品质量合格率: 93.2% → 94%" in out
    assert "  M1-3 质量兴市战略实施: 好 → 较好" in out
    assert "  M2-2 食品农产品质量安全监管: 0起 → 2起" in out
    assert "  bonus B1: — → 1 (“获奖一项”)" in out
    assert "  adjustment T1 by 省统计局: — → 92%" in out
    text = (example / "assessments" / "420200.yaml").read_text(encoding="utf-8")
    assert "    reason: 统计年报核定\n    department: 省统计局\n" in text


def _within(cell: str, refs: str) -> bool:
    """Whether `cell` (E17) lies in one of the ranges of `refs` (E12:E15 E17 …)."""
    row = int(cell[1:])
    for ref in refs.split():
        first, _, last = ref.partition(":")
        last = last or first
        if first[0] == cell[0] and int(first[1:]) <= row <= int(last[1:]):
            return True
    return False


def test_the_fast_cell_scan_reads_what_elementtree_reads(example, tmp_path, capsys,
                                                         monkeypatch):
    """xlsxread scans cells with a regular expression and falls back to ElementTree; on
    openpyxl's and Calc's files both must give the same cells."""
    from qdocs.sheets import xlsxread

    sheets = tmp_path / "s"
    run(["sheets", "out", "--content", str(example), "--out", str(sheets), "420500"], capsys)
    edit(sheets / "420500.xlsx", {"T1": "９４．５", "M1-3": "较好"}, {"T1": "a < b & c"})
    calc = calc_resave([sheets / "420500.xlsx"], tmp_path / "calc")[0]
    for path in (sheets / "420500.xlsx", calc):
        scanned = xlsxread.read_cells(path)
        with monkeypatch.context() as m:
            m.setattr(xlsxread, "_scan", lambda *args: None)
            parsed = xlsxread.read_cells(path)
        assert scanned == parsed
        cells = scanned["考核表"]
        assert cells[(5, 8)].value == "a < b & c" and cells[(5, 5)].value == "９４．５"
