"""Bad scoring input gives located messages (`file:line:col field.path: message`), all at once.

The YAML below is small on purpose: its line and column numbers are counted by
hand in the expectations. Columns count characters, so 合格率 is three columns.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from qdocs.content.located import validate_document
from qdocs.content.scoring_load import load_scoring
from qdocs.content.scoring_models import Assessment, ItemInput
from qdocs.content.yamlsource import read_yaml
from qdocs.errors import ContentError

MINI_RULES = """\
notice: 测试用评分细则（示例）
title: 测试细则
full_score: 10
precision: "0.01"
grades:
  - {code: A, name: 优秀, min: 9}
  - {code: D, name: 不合格, min: 0}
blocks:
  - id: T
    name: 质量目标
    points: 10
    categories:
      - id: TA
        name: 产品质量
        points: 10
        items:
          - id: T1
            name: 合格率
            points: 6
            content: 合格率达到98%
            method: {kind: target_deduct, measure: 率, unit: "%", target: 98, step: 0.5, deduct: 1}
            evidence: [统计数据]
            assessment: [数据核对]
            departments: [省质监局]
            tasks: [1]
          - id: M1
            name: 工作成效
            points: 4
            content: 工作成效
            method: {kind: tiered, levels: {好: 4, 一般: 2}}
            evidence: [工作总结]
            assessment: [材料审核]
            departments: [省质监局]
            tasks: [2]
bonus:
  cap: 2
  items:
    - {id: B1, name: 获奖, content: 获奖, points: 1, evidence: [文件], departments: [省质监局]}
penalty:
  cap: 3
  items:
    - {id: P1, name: 事故, content: 事故, points: 2, evidence: [报告], departments: [省质监局]}
veto:
  placement: unranked
  conditions:
    - {id: V1, name: 系统性事件, content: 系统性事件, departments: [省质监局]}
"""

MINI_ASSESSMENT = """\
sample: true
region: "{code}"
items:
  T1: {{value: 97.2}}
  M1: {{level: 好}}
bonuses:
  - {{item: B1, note: 获奖}}
penalties: []
vetoes: []
adjustments: []
"""
CODES = ["420100", "420200"]
TASKS = 14  # the bundled action plan's tasks (task numbers 1–14 are valid)
DEPARTMENTS = {"省质监局"}
ITEM = "blocks[0].categories[0].items"


def problems(root: Path, rules: str = MINI_RULES, assessments: dict | None = None) -> list[str]:
    """Write a project under `root`, load it, return the problems as the user reads them."""
    (root / "assessments").mkdir()
    (root / "scoring_rules.yaml").write_text(rules, encoding="utf-8")
    if assessments is None:
        assessments = {code: MINI_ASSESSMENT.format(code=code) for code in CODES}
    for name, text in assessments.items():
        (root / "assessments" / f"{name}.yaml").write_text(text, encoding="utf-8")
    try:
        load_scoring(root, CODES, DEPARTMENTS, TASKS)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return []


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)      # file names are shown relative to the working directory
    return tmp_path


def broken(old: str, new: str, text: str = MINI_RULES) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def assessment(old: str, new: str, code: str = "420100") -> dict:
    good = {c: MINI_ASSESSMENT.format(code=c) for c in CODES}
    good[code] = broken(old, new, good[code])
    return good


def test_the_mini_project_is_valid(root):
    assert problems(root) == []


def test_yaml_numbers_arrive_exact(root):
    problems(root)
    doc = read_yaml(root / "assessments" / "420100.yaml")
    a = validate_document(doc, Assessment)
    assert type(a.items["T1"].value) is Decimal and a.items["T1"].value == Decimal("97.2")


# --- one file, one model -----------------------------------------------------------------------

def test_misspelt_field(root):
    assert problems(root, broken("            points: 6\n", "            pionts: 6\n")) == [
        f"scoring_rules.yaml:19:13: {ITEM}[0].pionts: unknown field (did you mean 'points'?)",
    ]


def test_misspelt_method_parameter_inside_the_tagged_union(root):
    # pydantic says ('method', 'target_deduct', 'stpe'); the user's file has no 'target_deduct'
    assert problems(root, broken("step: 0.5", "stpe: 0.5")) == [
        f"scoring_rules.yaml:21:78: {ITEM}[0].method.stpe: unknown field (did you mean 'step'?)",
    ]


def test_non_positive_parameter(root):
    assert problems(root, broken("step: 0.5", "step: 0")) == [
        f"scoring_rules.yaml:21:78: {ITEM}[0].method.step: must be greater than 0"]


def test_unknown_method(root):
    assert problems(root, broken("kind: target_deduct", "kind: linear")) == [
        f"scoring_rules.yaml:21:22: {ITEM}[0].method.kind: must be one of 'binary', 'tiered', "
        "'per_missing', 'target_deduct', 'proportional', 'per_occurrence', 'rank'; got 'linear'"]


def test_wrong_types(root):
    text = broken("            points: 6\n", "            points: yes\n")
    text = broken('precision: "0.01"', 'precision: "0.05"', text)
    assert problems(root, text) == [
        'scoring_rules.yaml:4:1: precision: must be "1", "0.1", "0.01" or another power of ten '
        "≤ 1; "
        "got 0.05",
        f"scoring_rules.yaml:19:13: {ITEM}[0].points: must be a number; got true",
    ]


# --- across places and files -------------------------------------------------------------------

def test_items_must_add_up_to_their_category(root):
    text = broken("            points: 6\n", "            points: 5\n")
    assert problems(root, text) == [
        "scoring_rules.yaml:15:9: blocks[0].categories[0].points: items of 产品质量 add up to 9, "
        "not 10"]


def test_categories_and_blocks_must_add_up(root):
    text = broken("\n    points: 10\n", "\n    points: 12\n")
    assert problems(root, text) == [
        "scoring_rules.yaml:3:1: full_score: blocks add up to 12, not 10",
        "scoring_rules.yaml:11:5: blocks[0].points: categories of 质量目标 add up to 10, not 12",
    ]


def test_duplicate_id(root):
    found = problems(root, broken("- id: M1", "- id: T1"))
    assert [p for p in found if p.startswith("scoring_rules.yaml")] == [
        f"scoring_rules.yaml:26:13: {ITEM}[1].id: duplicate id 'T1' (first used on line 17)"]


def test_unknown_department_and_task(root):
    text = broken("departments: [省质监局]\n            tasks: [1]",
                  "departments: [省质检局]\n            tasks: [15]")
    assert problems(root, text) == [
        f"scoring_rules.yaml:24:27: {ITEM}[0].departments[0]: unknown department '省质检局'; "
        "add it to departments.yaml or fix the name",
        f"scoring_rules.yaml:25:21: {ITEM}[0].tasks[0]: no task 15 in the action plan; tasks "
        "are numbered 1–14",
    ]


def test_tiered_level_above_the_item_points(root):
    assert problems(root, broken("levels: {好: 4,", "levels: {好: 5,")) == [
        f"scoring_rules.yaml:30:45: {ITEM}[1].method.levels.好: 5 points exceed the item's 4"]


def test_unknown_level(root):
    assert problems(root, assessments=assessment("{level: 好}", "{level: 很好}")) == [
        "assessments/420100.yaml:5:8: items.M1.level: no level '很好' in item M1; expected one "
        "of: 好, 一般"]


def test_value_of_the_wrong_kind_for_the_method(root):
    assert problems(root, assessments=assessment("{level: 好}", "{value: 3}")) == [
        "assessments/420100.yaml:5:8: items.M1.value: item M1 is scored by tiered, which reads "
        "level: (one of the item's levels), not value:",
        "assessments/420100.yaml:5:3: items.M1: item M1 is scored by tiered, which reads "
        "level: (one of the item's levels); none given",
    ]


def test_misspelt_input_field(root):
    assert problems(root, assessments=assessment("{value: 97.2}", "{valeu: 97.2}")) == [
        "assessments/420100.yaml:4:8: items.T1.valeu: unknown field (did you mean 'value'?)"]


def test_unknown_and_missing_item(root):
    assert problems(root, assessments=assessment("  T1: {", "  T2: {")) == [
        "assessments/420100.yaml:4:3: items.T2: no item 'T2' (did you mean 'T1'?)",
        "assessments/420100.yaml:3:1: items: missing item T1 (合格率)",
    ]


def test_percentage_out_of_range(root):
    assert problems(root, assessments=assessment("value: 97.2", "value: 197.2")) == [
        "assessments/420100.yaml:4:8: items.T1.value: a percentage must lie between 0 and 100; "
        "got 197.2"]


def test_unknown_bonus_item(root):
    assert problems(root, assessments=assessment("item: B1", "item: B9")) == [
        "assessments/420100.yaml:7:6: bonuses[0].item: no bonus item 'B9' (did you mean 'B1'?)"]


def test_region_code_must_be_quoted_text(root):
    assert problems(root, assessments=assessment('region: "420100"', "region: 420100")) == [
        'assessments/420100.yaml:2:1: region: must be the region code in quotes, e.g. '
        '"420100"; got 420100']


def test_assessment_for_an_unknown_region_or_under_another_name(root):
    files = {"420100": MINI_ASSESSMENT.format(code="420100"),
             "420200": MINI_ASSESSMENT.format(code="420100"),
             "420400": MINI_ASSESSMENT.format(code="420400")}
    assert problems(root, assessments=files) == [
        "assessments/420200.yaml:2:1: region: says 420100 but the file is named 420200.yaml; "
        "name each file after its region code",
        "assessments/420400.yaml: no region 420400 in regions.yaml; name each assessment file "
        "after a region code",
    ]


def test_missing_assessment_file(root):
    files = {"420100": MINI_ASSESSMENT.format(code="420100")}
    assert problems(root, assessments=files) == [
        "assessments/420200.yaml: missing: region 420200 has no assessment file"]


def test_adjustment_and_claims_are_checked_too(root):
    text = broken("adjustments: []", (
        "adjustments:\n"
        "  - {{item: M1, input: {{level: 极好}}, reason: 核查}}\n"
        "  - {{item: M1, input: {{level: 一般}}, reason: 再次核查}}"), MINI_ASSESSMENT)
    text = broken("  - {{item: B1, note: 获奖}}", "  - {{item: B1, note: 获奖}}\n"
                  "  - {{item: B1, note: 又获奖}}", text)
    files = {c: text.format(code=c) for c in CODES}
    assert problems(root, assessments=files)[:3] == [
        "assessments/420100.yaml:8:6: bonuses[1].item: B1 is claimed twice (first at "
        "bonuses[0]); give one line with count:",
        "assessments/420100.yaml:12:24: adjustments[0].input.level: no level '极好' in item M1; "
        "expected one of: 好, 一般",
        "assessments/420100.yaml:13:6: adjustments[1].item: item M1 is adjusted twice (first "
        "at adjustments[0])",
    ]


def test_every_problem_of_a_run_is_reported_once(root):
    text = broken("            points: 6\n", "            points: 5\n")
    files = assessment("{level: 好}", "{level: 很好}")
    files["420200"] = broken("value: 97.2", "value: -1", files["420200"])
    with pytest.raises(ContentError) as caught:
        load_scoring(_write(root, text, files), CODES, DEPARTMENTS, TASKS)
    assert [f"{p.file}:{p.line}" for p in caught.value.problems] == [
        "scoring_rules.yaml:15", "assessments/420100.yaml:5", "assessments/420200.yaml:4"]
    assert str(caught.value).count("\n") == 2


def _write(root: Path, rules: str, files: dict) -> Path:
    (root / "assessments").mkdir()
    (root / "scoring_rules.yaml").write_text(rules, encoding="utf-8")
    for name, text in files.items():
        (root / "assessments" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def test_a_binary_float_is_refused(root):
    # YAML gives Decimal for 97.2; only .inf/.nan still arrive as float, and a caller in Python
    # could pass one: neither may reach the engine.
    assert problems(root, assessments=assessment("value: 97.2", "value: .inf")) == [
        "assessments/420100.yaml:4:8: items.T1.value: must be an exact number such as 97.2, "
        "not a binary float; got inf"]
    with pytest.raises(ValidationError, match="not a binary float; got 97.2"):
        ItemInput(value=97.2)
