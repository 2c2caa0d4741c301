"""A corpus of bad sheets: each is refused with its exact message, exit 2, nothing written.

Row numbers are restated from the example's layout (T1 on row 5, M1-1's four elements on
rows 12–15, M1-3 on 17, M2-2 on 23, the bonus rows from 41, the veto rows from 51).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from cli_run import run

from tests.sheets_helpers import edit

HEAD = "420500.xlsx!考核表!"


def _cell(ref: str, value, number_format: str | None = None):
    def change(path: Path) -> list[Path]:
        wb = openpyxl.load_workbook(path)
        ws = wb["考核表"]
        ws[ref].value = value
        if number_format:
            ws[ref].number_format = number_format
        wb.save(path)
        return [path]
    return change


def _keys(changes, notes=None):
    def change(path: Path) -> list[Path]:
        edit(path, changes, notes)
        return [path]
    return change


def _delete_row(n: int):
    def change(path: Path) -> list[Path]:
        wb = openpyxl.load_workbook(path)
        wb["考核表"].delete_rows(n)
        wb.save(path)
        return [path]
    return change


def _insert_row(n: int):
    def change(path: Path) -> list[Path]:
        wb = openpyxl.load_workbook(path)
        wb["考核表"].insert_rows(n)
        wb.save(path)
        return [path]
    return change


def _swap_rows(a: int, b: int):
    def change(path: Path) -> list[Path]:
        wb = openpyxl.load_workbook(path)
        ws = wb["考核表"]
        for c in range(1, 11):
            ws.cell(a, c).value, ws.cell(b, c).value = ws.cell(b, c).value, ws.cell(a, c).value
        wb.save(path)
        return [path]
    return change


def _rename_sheet(path: Path) -> list[Path]:
    wb = openpyxl.load_workbook(path)
    wb["考核表"].title = "Sheet1"
    wb.save(path)
    return [path]


def _filed_under(code: str):
    def change(path: Path) -> list[Path]:
        target = path.with_name(f"{code}.xlsx")
        path.rename(target)
        return [target]
    return change


def _twice(path: Path) -> list[Path]:
    copy = path.with_name("420500-copy.xlsx")
    shutil.copy(path, copy)
    return [path, copy]


def _not_a_workbook(path: Path) -> list[Path]:
    path.write_text("代码,地区\n", encoding="utf-8")
    return [path]


def _xls(path: Path) -> list[Path]:
    target = path.with_name("420500.xls")
    path.rename(target)
    return [target]


def _missing(path: Path) -> list[Path]:
    return [path.with_name("420599.xlsx")]


CASES = {
    "text in a number cell": (_cell("E5", "九十五"), [
        f"{HEAD}E5: not a number: '九十五'; type digits such as 95.5"]),
    "fraction for a percentage": (_cell("E5", 0.95), [
        f"{HEAD}E5: 0.95 is ambiguous: type 95 for 95%, or 0.95% if you mean 0.95 per cent"]),
    "fraction as text": (_cell("E5", "0.95"), [
        f"{HEAD}E5: 0.95 is ambiguous: type 95 for 95%, or 0.95% if you mean 0.95 per cent"]),
    "percentage over 100": (_cell("E5", 120), [
        f"{HEAD}E5: a percentage must lie between 0 and 100; got 120"]),
    "percentage text over 100": (_cell("E5", "120%"), [
        f"{HEAD}E5: a percentage must lie between 0 and 100; got 120"]),
    "empty number": (_cell("E5", None), [f"{HEAD}E5: empty; a number is required (in %)"]),
    "blank text number": (_cell("E5", "   "), [f"{HEAD}E5: empty; a number is required (in %)"]),
    "two decimal points": (_cell("E5", "93.2.1"), [
        f"{HEAD}E5: not a number: '93.2.1'; type digits such as 95.5"]),
    "a TRUE in a number cell": (_cell("E5", True), [f"{HEAD}E5: TRUE is not a number"]),
    "level not in the list": (_cell("E17", "优"), [
        f"{HEAD}E17: '优' is not in the list; choose one of: 好, 较好, 一般, 差"]),
    "empty level": (_cell("E17", None), [f"{HEAD}E17: empty; choose one of: 好, 较好, 一般, 差"]),
    "binary not 是/否": (_cell("E16", "完成"), [
        f"{HEAD}E16: '完成' is not in the list; choose one of: 是, 否"]),
    "element cell empty": (_cell("E14", None), [f"{HEAD}E14: empty; choose one of: 有, 无"]),
    "element cell not 有/无": (_cell("E13", "缺"), [
        f"{HEAD}E13: '缺' is not in the list; choose one of: 有, 无"]),
    "count with a fraction": (_cell("E23", 2.5), [
        f"{HEAD}E23: must be a whole number of 起 (0 or more); got 2.5"]),
    "negative count": (_cell("E23", -1), [f"{HEAD}E23: must be 0 or more; got -1"]),
    "% sign on a non-percentage": (_cell("E9", "0.3%"), [
        f"{HEAD}E9: '0.3%' has a % sign but the unit is 人"]),
    "percentage-formatted non-percentage": (_cell("E9", 0.003, "0.0%"), [
        f"{HEAD}E9: the cell shows 0.3% but the unit is 人; type the number without %"]),
    "negative value": (_cell("E10", -5), [f"{HEAD}E10: must be 0 or more; got -5"]),
    "bonus count in words": (_cell("E41", "两"), [
        f"{HEAD}E41: not a number: '两'; type digits such as 95.5"]),
    "veto without its event": (_cell("E51", "是"), [
        f"{HEAD}H51: veto V1 is marked 是 without the event; describe it in 备注"]),
    "veto not 是/否": (_cell("E51", "有"), [
        f"{HEAD}E51: '有' is not in the list; choose one of: 是, 否"]),
    "several bad cells, all reported": (_keys({"T1": "abc", "M1-3": "优", "M2-2": 1.5}), [
        f"{HEAD}E5: not a number: 'abc'; type digits such as 95.5",
        f"{HEAD}E17: '优' is not in the list; choose one of: 好, 较好, 一般, 差",
        f"{HEAD}E23: must be a whole number of 起 (0 or more); got 1.5"]),
    "row deleted": (_delete_row(17), [
        f"{HEAD}A17: the row of M1-3 质量兴市战略实施 is missing (deleted?); restore it or "
        "write a new sheet with qdocs sheets out"]),
    "rows swapped": (_swap_rows(5, 6), [
        f"{HEAD}A5: the row of T1 制造业产品质量合格率 is at row 6, not row 5: rows were "
        "inserted, deleted or moved; put them back as sheets out wrote them"]),
    "row inserted": (_insert_row(8), [
        f"{HEAD}A8: the row of T4 建筑工程竣工验收合格率 is at row 9, not row 8: rows were "
        "inserted, deleted or moved; put them back as sheets out wrote them"]),
    "sheet renamed": (_rename_sheet, [
        "420500.xlsx: no sheet named 考核表 (region sheet) or 核查表 (department sheet); "
        "found: Sheet1 — was the sheet renamed? name it back"]),
    "filed under another region": (_filed_under("420600"), [
        "420600.xlsx!考核表!D2: this is the sheet of 420500 宜昌市, but the file is named "
        "420600.xlsx (襄阳市); file it under 420500.xlsx or send 420600 its own sheet"]),
    "region code changed": (_cell("D2", "999999"), [
        f"{HEAD}D2: region code '999999' is not in regions.yaml"]),
    "the same region twice": (_twice, [
        "420500-copy.xlsx!考核表!D2: region 420500 is also read from 420500.xlsx; "
        "give one sheet per region"]),
    "not a workbook": (_not_a_workbook, [
        "420500.xlsx: cannot read it as an .xlsx workbook (BadZipFile: File is not a zip "
        "file); save it from Excel, WPS or Calc as .xlsx"]),
    "an .xls": (_xls, [
        "420500.xls: an .xls (Excel 97–2003) file; save it as .xlsx (Excel 工作簿) and read "
        "that"]),
    "no such file": (_missing, ["420599.xlsx: file not found"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_sheet_is_refused_with_its_message(case, example, tmp_path, monkeypatch, capsys):
    change, expected = CASES[case]
    sheets = tmp_path / "s"
    run(["sheets", "out", "--content", str(example), "--out", str(sheets), "420500"], capsys)
    before = {p.name: p.read_bytes() for p in (example / "assessments").glob("*.yaml")}
    files = change(sheets / "420500.xlsx")
    monkeypatch.chdir(sheets)
    code, out, err = run(["sheets", "in", "--content", str(example),
                          *[p.name for p in files]], capsys)
    assert code == 2
    assert err.splitlines() == [f"error: {m}" for m in expected]
    after = {p.name: p.read_bytes() for p in (example / "assessments").glob("*.yaml")}
    assert after == before


def test_a_sheet_of_another_scheme_version_names_the_changed_items(
        example, tmp_path, monkeypatch, capsys):
    sheets = tmp_path / "s"
    run(["sheets", "out", "--content", str(example), "--out", str(sheets), "420500"], capsys)
    old = openpyxl.load_workbook(sheets / "420500.xlsx")["考核表"]["H2"].value
    rules = example / "scoring_rules.yaml"
    text = rules.read_text(encoding="utf-8")
    # T1's target 93 → 94 and B1's points: both score-relevant, nothing else changes
    text = text.replace("              target: 93\n", "              target: 94\n", 1)
    rules.write_text(text, encoding="utf-8")
    run(["sheets", "out", "--content", str(example), "--out", str(tmp_path / "new"), "420500"],
        capsys)
    new = openpyxl.load_workbook(tmp_path / "new" / "420500.xlsx")["考核表"]["H2"].value
    assert new != old
    monkeypatch.chdir(sheets)
    code, _, err = run(["sheets", "in", "--content", str(example), "420500.xlsx"], capsys)
    assert code == 2
    assert err.splitlines() == [
        f"error: {HEAD}H2: this sheet was made for another version of the scheme (fingerprint "
        f"{old}, now {new}) — changed: T1; send a new sheet (qdocs sheets out) and copy the "
        "inputs over"]


@pytest.mark.parametrize("typed, read, notice", [
    ("94%", "94", "read '94%' as 94 (%)"),
    ("９４．５", "94.5", "read full-width '９４．５' as '94.5'"),
    ("９４．５％", "94.5", "read '94.5%' as 94.5 (%)"),
])
def test_unambiguous_forms_are_read_and_said(typed, read, notice, example, tmp_path,
                                             monkeypatch, capsys):
    sheets = tmp_path / "s"
    run(["sheets", "out", "--content", str(example), "--out", str(sheets), "420500"], capsys)
    edit(sheets / "420500.xlsx", {"T1": typed})
    monkeypatch.chdir(sheets)
    code, out, err = run(["sheets", "in", "--content", str(example), "420500.xlsx"], capsys)
    assert code == 0, err
    assert f"note: {HEAD}E5: {notice}" in out
    assert f"T1 制造业产品质量合格率: 93.2% → {read}%" in out


def test_a_percentage_formatted_cell_reads_as_its_percentage(example, tmp_path, monkeypatch,
                                                             capsys):
    sheets = tmp_path / "s"
    run(["sheets", "out", "--content", str(example), "--out", str(sheets), "420500"], capsys)
    _cell("E5", 0.945, "0.0%")(sheets / "420500.xlsx")
    monkeypatch.chdir(sheets)
    code, out, _ = run(["sheets", "in", "--content", str(example), "420500.xlsx"], capsys)
    assert code == 0
    assert f"note: {HEAD}E5: read 94.5% (a cell formatted as a percentage) as 94.5" in out
    assert "T1 制造业产品质量合格率: 93.2% → 94.5%" in out
    text = (example / "assessments" / "420500.yaml").read_text(encoding="utf-8")
    assert "  T1: {value: 94.5}" in text


def test_a_claim_without_a_note_is_refused_only_where_the_model_needs_one(
        example, tmp_path, monkeypatch, capsys):
    """The scheme's models say whether a claim needs its note; the sheet follows them."""
    from qdocs.content.scoring_models import Claim

    sheets = tmp_path / "s"
    run(["sheets", "out", "--content", str(example), "--out", str(sheets), "420500"], capsys)
    _cell("E41", 1)(sheets / "420500.xlsx")
    monkeypatch.chdir(sheets)
    code, out, err = run(["sheets", "in", "--dry-run", "--content", str(example),
                          "420500.xlsx"], capsys)
    if Claim.model_fields["note"].is_required():
        assert code == 2
        assert err.splitlines() == [f"error: {HEAD}H41: 1项 of bonus B1 claimed without a "
                                    "note; say in 备注 what it is for"]
    else:
        assert code == 0
        assert "  bonus B1: — → 1" in out
