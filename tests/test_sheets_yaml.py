"""New assessment files written without ruamel read back as the same assessment."""

from __future__ import annotations

import pytest

from qdocs.content import load_content
from qdocs.content.located import validate_document
from qdocs.content.scoring_models import Assessment, Claim, ItemInput
from qdocs.content.yamlsource import read_yaml
from qdocs.sheets.yamlwrite import assessment_yaml, new_assessment_yaml


def _reread(tmp_path, text: str) -> Assessment:
    path = tmp_path / "420500.yaml"
    path.write_text(text, encoding="utf-8")
    return validate_document(read_yaml(path), Assessment)


def test_every_example_assessment_survives_a_new_file(example, tmp_path):
    for code, a in load_content(example).assessments.items():
        text = new_assessment_yaml(a, f"{code} 填报数据")
        assert text.startswith(f"# {code} 填报数据\n")
        assert _reread(tmp_path, text) == a


@pytest.mark.parametrize("note", [
    "yes", "No", "123", "1.5", "a: b", "x #y", "#开头", " 前导空格", "- 横线", '"引号"', "null",
    "2014-01-01", "[列表]", "{映射}", "冒号：全角", "百分号%", "*星号", "&符号", "!叹号", "~",
    "反斜杠\\n", "'单引号'",
])
def test_awkward_notes_are_quoted_so_they_stay_text(note, example, tmp_path):
    a = load_content(example).assessments["420500"]
    items = dict(a.items)
    items["T1"] = ItemInput(value=items["T1"].value, note=note)
    edited = a.model_copy(update={"items": items,
                                  "bonuses": [Claim(item="B1", count=2, note=note)]})
    assert _reread(tmp_path, new_assessment_yaml(edited, "h")) == edited
    # and through the round-trip editor of an existing file
    text = (example / "assessments" / "420500.yaml").read_text(encoding="utf-8")
    assert _reread(tmp_path, assessment_yaml(text, a, edited, "h")) == edited
