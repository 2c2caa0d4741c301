"""Sheets out and back in: unchanged sheets change nothing; edited sheets score like edited YAML."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from cli_run import run

from qdocs.content import load_content
from qdocs.content.scoring_models import Claim, ItemInput, VetoEvent
from qdocs.scoring.engine import score_all
from qdocs.sheets.layout import scheme_items
from tests.conftest import REPO
from tests.sheets_helpers import edit, rows_by_key

# Every example project: the bundled one and any under examples/ (another shape of scheme).
EXAMPLES = [REPO / "content"] + sorted((REPO / "examples").glob("*/content"))


@pytest.fixture(params=EXAMPLES, ids=lambda p: p.parent.name)
def any_example(request, tmp_path) -> Path:
    return Path(shutil.copytree(request.param, tmp_path / "content"))


def _snapshot(content: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((content / "assessments").glob("*.yaml"))}


def test_unchanged_sheets_leave_every_assessment_byte_identical(any_example, tmp_path, capsys):
    example = any_example
    before = _snapshot(example)
    regions = len(before)
    code, out, _ = run(["sheets", "out", "--content", str(example), "--out",
                        str(tmp_path / "s")], capsys)
    assert code == 0 and f"wrote {regions} sheet(s)" in out
    code, out, _ = run(["sheets", "out", "--by-department", "--content", str(example),
                        "--out", str(tmp_path / "d")], capsys)
    assert code == 0
    files = sorted(str(p) for p in (tmp_path / "s").glob("*.xlsx"))
    depts = sorted(str(p) for p in (tmp_path / "d").glob("*.xlsx"))
    assert len(files) == regions and depts
    code, out, err = run(["sheets", "in", "--content", str(example), *files, *depts], capsys)
    assert code == 0, err
    assert out.count(": unchanged") == regions
    assert _snapshot(example) == before


def test_a_sheet_for_a_region_without_assessment_is_blank_and_fills_a_new_file(
        example, tmp_path, capsys):
    """Before collection starts there is no assessment: the sheet is empty, and reading it
    back filled in writes a new file that validates."""
    project = load_content(example)
    wanted = project.assessments["420500"]
    (example / "assessments" / "420500.yaml").unlink()
    run(["sheets", "out", "--content", str(example), "--out", str(tmp_path / "s"), "420500"],
        capsys)
    sheet = tmp_path / "s" / "420500.xlsx"
    ws = openpyxl.load_workbook(sheet)["考核表"]
    where = rows_by_key(ws)
    assert ws.cell(where["T1"], 5).value is None and ws.cell(where["M1-3"], 5).value is None
    # fill it with what the deleted file said
    changes, notes = _cells_for(wanted, project.scoring)
    edit(sheet, changes, notes)
    code, out, err = run(["sheets", "in", "--content", str(example), str(sheet)], capsys)
    assert code == 0, err
    written = (example / "assessments" / "420500.yaml").read_text(encoding="utf-8")
    assert written.startswith("# 宜昌市 2014年度考核填报数据")
    after = load_content(example).assessments["420500"]
    assert after.items == wanted.items
    assert after.bonuses == wanted.bonuses
    assert after.penalties == wanted.penalties
    assert after.adjustments == [] and after.sample is False


def _missing(method, given: ItemInput) -> list[str]:
    """The elements missing, whichever list the scheme has assessments give."""
    if getattr(method, "input", "missing") == "present":
        return [e for e in method.elements if e not in (given.present or [])]
    return list(given.missing or [])


def _cells_for(a, rules):
    """The cell values a user would type to say what assessment `a` says."""
    changes, notes = {}, {}
    for item in scheme_items(rules):
        given = a.items[item.id]
        m = item.method
        if m.kind == "per_missing":
            for k, element in enumerate(m.elements):
                key = item.id if k == 0 else f"{item.id}/{k + 1}"
                changes[key] = "无" if element in _missing(m, given) else "有"
        elif m.kind == "binary":
            changes[item.id] = "是" if given.done else "否"
        elif m.kind == "tiered":
            changes[item.id] = given.level
        elif m.kind == "per_occurrence":
            changes[item.id] = given.count
        else:
            changes[item.id] = float(given.value)
        if given.note:
            notes[item.id] = given.note
    for key, lines in (("bonus", a.bonuses), ("penalty", a.penalties)):
        for c in lines:
            changes[f"{key}:{c.item}"] = c.count
            notes[f"{key}:{c.item}"] = c.note
    for v in a.vetoes:
        changes[f"veto:{v.condition}"] = "是"
        notes[f"veto:{v.condition}"] = v.event
    return changes, notes


def _edited(item, given: ItemInput) -> ItemInput:
    """Another valid input for `item`: the field its method reads, changed, with a note."""
    m, note = item.method, f"改{item.id}"
    if m.kind == "binary":
        return ItemInput(done=not given.done, note=note)
    if m.kind == "tiered":
        return ItemInput(level=next(x for x in m.levels if x != given.level), note=note)
    if m.kind == "per_missing":
        missing = set(_missing(m, given)) ^ {m.elements[0]}
        if getattr(m, "input", "missing") == "present":
            return ItemInput(present=[e for e in m.elements if e not in missing], note=note)
        return ItemInput(missing=[e for e in m.elements if e in missing], note=note)
    if m.kind == "per_occurrence":
        return ItemInput(count=given.count + 1, note=note)
    step = Decimal("1.5")
    return ItemInput(value=given.value - step if given.value >= step else given.value + 1,
                     note=note)


def _claims(claims, count: int, word: str) -> list[Claim]:
    return [Claim(item=c.id, count=count, note=f"{word}{c.id}") for c in claims.items] \
        if claims is not None else []


def test_every_cell_edited_scores_like_the_same_edits_in_yaml(any_example, tmp_path, capsys):
    example = any_example
    project = load_content(example)
    rules = project.scoring
    code = project.regions.regions[0].code
    a = project.assessments[code]
    run(["sheets", "out", "--content", str(example), "--out", str(tmp_path / "s"), code],
        capsys)
    veto = getattr(rules, "veto", None)
    edited = a.model_copy(update={
        "items": {i.id: _edited(i, a.items[i.id]) for i in scheme_items(rules)},
        "bonuses": _claims(getattr(rules, "bonus", None), 2, "加"),
        "penalties": _claims(getattr(rules, "penalty", None), 1, "扣"),
        "vetoes": [VetoEvent(condition=veto.conditions[0].id, event="发生事件")] if veto else [],
    })
    changes, notes = _cells_for(edited, rules)
    edit(tmp_path / "s" / f"{code}.xlsx", changes, notes)
    original = (example / "assessments" / f"{code}.yaml").read_text(encoding="utf-8")
    status, out, err = run(["sheets", "in", "--content", str(example),
                            str(tmp_path / "s" / f"{code}.xlsx")], capsys)
    assert status == 0, err
    codes = [r.code for r in project.regions.regions]
    expected = score_all(rules, codes, {**project.assessments, code: edited})
    after = load_content(example)
    got = score_all(after.scoring, codes, after.assessments)
    assert after.assessments[code] == edited
    for r_exp, r_got in zip(expected.regions, got.regions, strict=True):
        assert (r_got.code, r_got.final, r_got.grade.code, r_got.rank) == (
            r_exp.code, r_exp.final, r_exp.grade.code, r_exp.rank)
    assert [i.score for i in got.by_code[code].items] == \
        [i.score for i in expected.by_code[code].items]
    # the edit really moved the score (this test could fail)
    before = score_all(rules, codes, project.assessments)
    assert [i.score for i in expected.by_code[code].items] != \
        [i.score for i in before.by_code[code].items]
    # every comment line of the file survives the edit
    text = (example / "assessments" / f"{code}.yaml").read_text(encoding="utf-8")
    comments = [line.split("#", 1)[1] for line in original.splitlines() if "#" in line]
    assert all(c in text for c in comments)


def test_dry_run_prints_old_to_new_and_score_movements_and_writes_nothing(
        example, tmp_path, capsys):
    run(["sheets", "out", "--content", str(example), "--out", str(tmp_path / "s"), "420500"],
        capsys)
    before = _snapshot(example)
    edit(tmp_path / "s" / "420500.xlsx", {"T1": "94%", "M1-3": "较好"})
    code, out, _ = run(["sheets", "in", "--dry-run", "--content", str(example),
                        str(tmp_path / "s" / "420500.xlsx")], capsys)
    assert code == 0
    assert "  T1 制造业产品质量合格率: 93.2% → 94%" in out
    assert "  M1-3 质量兴市战略实施: 好 → 较好" in out
    assert "read '94%' as 94 (%)" in out
    # T1 was adjusted on verification (92.2), so only M1-3 moves the score: 5 → 4 points
    assert "  420500 宜昌市: 92.20 优秀 第4名 → 91.20 优秀 第4名" in out
    assert "nothing written" in out
    assert _snapshot(example) == before
