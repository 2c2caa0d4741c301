"""Department verification sheets and `qdocs status`."""

from __future__ import annotations

import json

import openpyxl
import pytest
from cli_run import run

HEAD = "省统计局.xlsx!核查表!"


@pytest.fixture
def dept_sheets(example, tmp_path, capsys):
    out = tmp_path / "d"
    code, text, _ = run(["sheets", "out", "--by-department", "--content", str(example),
                         "--out", str(out)], capsys)
    assert code == 0
    return out


def test_a_department_sheet_has_regions_by_its_items(dept_sheets):
    ws = openpyxl.load_workbook(dept_sheets / "省统计局.xlsx")["核查表"]
    assert ws["B2"].value == "省统计局"
    # 省统计局 verifies T1 (target_deduct) and M1-4 (per_missing): three columns each
    assert ws["C4"].value == "T1 制造业产品质量合格率（8分）"
    assert ws["F4"].value.startswith("M1-4 ")
    assert [ws.cell(5, c).value for c in range(3, 9)] == ["自报值", "核定值", "核查说明"] * 2
    assert [ws.cell(r, 1).value for r in range(7, 10)] == ["420100", "420200", "420300"]
    assert ws["C7"].value == "95.1%" and ws["D7"].value is None and ws["E7"].value is None
    assert ws["F7"].value == "齐全"
    assert ws.protection.sheet and ws["D7"].protection.locked is False
    assert ws["C7"].protection.locked is True
    assert ws.row_dimensions[6].hidden


@pytest.mark.parametrize("cells, expected", [
    ({"D8": 92}, f"{HEAD}E8: T1 of 420200: the 核定值 differs from the reported 93.4%; give "
                 "the reason in 核查说明"),
    ({"G8": "年报", "H8": "核查"}, f"{HEAD}G8: '年报' is not a required element; expected some "
     "of: 年度质量状况分析报告、季度质量形势分析、质量统计信息公开, or 齐全"),
    ({"D8": "0.9", "E8": "x"}, f"{HEAD}D8: 0.9 is ambiguous: type 90 for 90%, or 0.9% if you "
     "mean 0.9 per cent"),
    ({"D10": 91, "E10": "核查"}, f"{HEAD}D10: T1 of 420500 was already adjusted by hand "
     "(省质兴办数据核对：自报93.2%含未纳入监督抽查的免检批次，核定为92.2%); one verified value per "
     "item"),
    ({"A8": "420300"}, f"{HEAD}A8: row 8 should be 420200 黄石市, found 420300: rows were "
     "inserted, deleted or moved"),
])
def test_bad_department_cells(cells, expected, example, dept_sheets, monkeypatch, capsys):
    path = dept_sheets / "省统计局.xlsx"
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb["核查表"][ref] = value
    wb.save(path)
    monkeypatch.chdir(dept_sheets)
    code, _, err = run(["sheets", "in", "--content", str(example), path.name], capsys)
    assert code == 2
    assert err.splitlines() == [f"error: {expected}"]


def test_verification_and_adjustment_show_in_status(example, dept_sheets, capsys):
    code, out, _ = run(["status", "--content", str(example), "--json"], capsys)
    before = {r["code"]: r for r in json.loads(out)}
    assert before["420200"]["submitted"] is True
    assert "T1" in before["420200"]["awaiting_verification"]
    assert before["420500"]["adjustments"][0]["item"] == "T1"
    path = dept_sheets / "省统计局.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["核查表"]
    ws["D8"], ws["E8"] = 92, "统计年报核定"      # 420200: adjusted
    assert (ws["C9"].value, ws["F9"].value) == ("94%", "缺：季度质量形势分析")   # 420300
    ws["D9"], ws["G9"] = "94", "缺：季度质量形势分析"   # typed as reported → confirmed
    wb.save(path)
    code, out, err = run(["sheets", "in", "--content", str(example), str(path)], capsys)
    assert code == 0, err
    assert "  verified T1 by 省统计局: as reported" in out
    assert "  verified M1-4 by 省统计局: as reported" in out
    code, out, _ = run(["status", "--content", str(example), "--json"], capsys)
    after = {r["code"]: r for r in json.loads(out)}
    assert after["420200"]["adjustments"] == [
        {"item": "T1", "department": "省统计局", "reason": "统计年报核定"}]
    waiting = set(before["420300"]["awaiting_verification"]) - {"T1", "M1-4"}
    assert set(after["420300"]["awaiting_verification"]) == waiting
    # reading the same sheet again changes nothing
    code, out, _ = run(["sheets", "in", "--content", str(example), str(path)], capsys)
    assert "420200 黄石市: unchanged" in out and "420300 十堰市: unchanged" in out


def test_status_before_collection(example, capsys):
    for name in ("420500.yaml", "420600.yaml"):
        (example / "assessments" / name).unlink()
    code, out, _ = run(["status", "--content", str(example)], capsys)
    assert code == 0
    lines = out.splitlines()
    row = next(line for line in lines if line.startswith("420500"))
    assert row.split()[2:4] == ["no", "22"]
    assert lines[-1].startswith("15 of 17 regions submitted;")


def test_status_shows_an_invalid_file_with_its_problem(example, capsys):
    path = example / "assessments" / "420500.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{value: 93.2}", "{value: abc}"),
                    encoding="utf-8")
    code, out, _ = run(["status", "--content", str(example), "--json"], capsys)
    assert code == 0
    row = next(r for r in json.loads(out) if r["code"] == "420500")
    assert row["submitted"] is True
    assert row["problem"].endswith(
        "assessments/420500.yaml:8:8: items.T1.value: must be a number; got 'abc'")
    code, out, _ = run(["status", "--content", str(example)], capsys)
    assert "420500  宜昌市" in out and " invalid " in out


def test_sheets_out_refuses_an_unknown_region(example, tmp_path, capsys):
    code, _, err = run(["sheets", "out", "--content", str(example), "--out",
                        str(tmp_path / "s"), "420500", "999999"], capsys)
    assert code == 2
    assert err.strip() == "error: no region 999999 in regions.yaml"
    assert not (tmp_path / "s").exists()


def test_a_new_report_reopens_a_confirmation_but_keeps_an_adjustment(
        example, dept_sheets, tmp_path, capsys):
    path = dept_sheets / "省统计局.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["核查表"]
    ws["D9"], ws["G9"] = "94", "缺：季度质量形势分析"   # 420300: T1 and M1-4 confirmed
    wb.save(path)
    assert run(["sheets", "in", "--content", str(example), str(path)], capsys)[0] == 0
    run(["sheets", "out", "--content", str(example), "--out", str(tmp_path / "r"), "420300"],
        capsys)
    sheet = tmp_path / "r" / "420300.xlsx"
    wb = openpyxl.load_workbook(sheet)
    ws = wb["考核表"]
    keys = {ws.cell(r, 9).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(keys["T1"], 5).value = 95          # T1 reported anew; M1-4 as before
    wb.save(sheet)
    code, out, err = run(["sheets", "in", "--content", str(example), str(sheet)], capsys)
    assert code == 0, err
    _, out, _ = run(["status", "--content", str(example), "--json"], capsys)
    row = next(r for r in json.loads(out) if r["code"] == "420300")
    assert row["verified"] == [{"item": "M1-4", "department": "省统计局"}]
    assert "T1" in row["awaiting_verification"]
