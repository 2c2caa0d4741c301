"""docs/content.md and the JSON Schemas agree with the models, and the worked examples with a
hand calculation."""

from __future__ import annotations

import json
import re
import typing
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest
from pydantic import BaseModel

from qdocs.cli import main
from qdocs.content.scoring_models import Method
from qdocs.content.yamlsource import read_yaml
from qdocs.init import SKELETON_DIR
from qdocs.reference.markdown import reference_text
from qdocs.reference.methods import FORMULAS, worked_examples
from qdocs.reference.schemas import CONTENT_FILES, file_schema

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO / "docs" / "content.md"


def test_docs_content_md_is_what_the_models_generate():
    assert REFERENCE.read_text(encoding="utf-8") == reference_text(), (
        "docs/content.md is out of date: run `python -m qdocs.reference` and commit it")


def _models(annotation) -> list[type[BaseModel]]:
    """Every model inside a type annotation (lists, dicts, unions, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _all_fields(model: type[BaseModel], seen: set) -> list[tuple[str, str]]:
    """(model name, field name) of `model` and every model nested in it, from pydantic."""
    if model in seen:
        return []
    seen.add(model)
    out = []
    for name, info in model.model_fields.items():
        out.append((model.__name__, name))
        for inner in _models(info.annotation):
            out += _all_fields(inner, seen)
    return out


def test_every_field_of_every_model_has_a_row_in_the_reference():
    # Walks the models themselves (not the JSON Schema the reference is made from).
    text = REFERENCE.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([A-Za-z_]+)` \|", text, flags=re.MULTILINE))
    for spec in CONTENT_FILES:
        for model_name, field in _all_fields(spec.model, set()):
            assert field in rows, f"{spec.pattern}: {model_name}.{field} is not in the reference"
    for spec in CONTENT_FILES:
        assert f"## `{spec.pattern}`" in text


def test_every_method_has_a_formula_naming_all_its_parameters():
    kinds = {}
    for model in _models(Method):
        kinds[model.model_fields["kind"].annotation.__args__[0]] = model
    assert set(kinds) == set(FORMULAS)
    for kind, model in kinds.items():
        formula, reads = FORMULAS[kind]
        for name in model.model_fields:
            if name != "kind" and name != "bands":
                assert f"`{name}`" in formula, f"{kind}: the formula does not explain `{name}`"
        assert f"### `{kind}`" in REFERENCE.read_text(encoding="utf-8")


# Hand calculations of the worked examples in qdocs/reference/worked_examples.yaml, in order.
BY_HAND = {
    "binary": ["0"],                        # not done → 0
    "tiered": ["10"],                       # 较好 → 10 of 15
    "per_missing": ["2",                    # 10 − 4 × 2 missing
                    "0"],                   # nothing present, zero_if_none → 0
    "target_deduct": ["14",                 # 95 − 93.8 = 1.2 = 2.4 steps of 0.5: whole → 3
                      "16",                 # ignore → 2 steps: 20 − 2×2
                      "15.2"],              # pro_rata → 2.4 steps: 20 − 2×2.4
    "proportional": ["10.275",              # 15 × 13.7 / 20, exact
                     "10.28"],              # rounding.items half_up
    "per_occurrence": ["5"],                # 15 − 5 × 2
    "rank": ["10"],                         # 91, 92.3 better → 3rd (tied) → band ≤3: 10
}


@pytest.mark.parametrize("kind", sorted(BY_HAND))
def test_worked_examples_agree_with_the_hand_calculation(kind):
    worked = worked_examples()[kind]
    assert [w.score for w in worked] == [Fraction(Decimal(v)) for v in BY_HAND[kind]]
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split(f"### `{kind}`", 1)[1].split("\n### ", 1)[0]
    for w, shown in zip(worked, BY_HAND[kind], strict=True):
        assert f"The engine gives **{shown}** of {w.points}" in section


def test_schemas_list_exactly_the_models_fields():
    for spec in CONTENT_FILES:
        schema = file_schema(spec)
        fields = spec.model.model_fields
        assert list(schema["properties"]) == list(fields), spec.pattern
        assert set(schema.get("required", [])) == {n for n, f in fields.items()
                                                   if f.is_required()}
        assert schema["additionalProperties"] is False


def _check(spec, data):
    jsonschema.Draft202012Validator(file_schema(spec)).validate(data)


@pytest.mark.parametrize("root", [REPO / "content", SKELETON_DIR / "content"],
                         ids=["bundled example", "skeleton"])
def test_content_files_pass_their_schema(root, tmp_path):
    checked = 0
    for spec in CONTENT_FILES:
        for path in sorted(root.glob(spec.pattern)):
            copy = tmp_path / path.name      # the skeleton's year mark filled as init does
            copy.write_text(path.read_text(encoding="utf-8").replace("__YEAR__", "2030"),
                            encoding="utf-8")
            _check(spec, read_yaml(copy).data)
            checked += 1
    assert checked >= 8


@pytest.mark.parametrize("pattern, change, where", [
    ("scoring_rules.yaml", lambda d: d["blocks"][0].update(pionts=5), "pionts"),
    ("scoring_rules.yaml", lambda d: d["bonus"].update(cap=0), "cap"),
    ("regions.yaml", lambda d: d["regions"][0].update(code=100001), "code"),
    ("scoring_rules.yaml", lambda d: d.update(precision=Decimal("0.01")), "precision"),
    ("assessments/*.yaml", lambda d: d["items"].update({"X": {"counts": 2}}), "counts"),
])
def test_a_wrong_file_fails_its_schema(pattern, change, where):
    spec = next(s for s in CONTENT_FILES if s.pattern == pattern)
    path = sorted((REPO / "content").glob(pattern))[0]
    data = read_yaml(path).data
    change(data)
    with pytest.raises(jsonschema.ValidationError) as info:
        _check(spec, data)
    assert where in str(info.value)


def test_schema_command_writes_one_schema_per_file_and_the_reference(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["schema", "--out", str(tmp_path / "s"), "--reference", str(tmp_path / "c.md")])
        raise SystemExit(0)
    assert info.value.code == 0
    written = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert written == sorted(spec.schema_name for spec in CONTENT_FILES)
    for name in written:
        assert json.loads((tmp_path / "s" / name).read_text(encoding="utf-8"))["properties"]
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == reference_text()


def _validate(content: Path) -> int:
    with pytest.raises(SystemExit) as info:
        main(["validate", "--content", str(content)])
        raise SystemExit(0)
    return info.value.code


def test_the_file_table_says_what_the_loader_requires(tmp_path, capsys):
    import shutil

    for spec in CONTENT_FILES:
        project = tmp_path / spec.schema_name
        shutil.copytree(SKELETON_DIR / "content", project)
        for path in project.rglob("*.yaml"):      # the year mark filled as init does
            path.write_text(path.read_text(encoding="utf-8").replace("__YEAR__", "2030"),
                            encoding="utf-8")
        for path in project.glob(spec.pattern):
            path.unlink()
        notice = project / "notice.yaml"
        if spec.pattern == "action_plan.yaml":    # nothing may then refer to its tasks
            rules = project / "scoring_rules.yaml"
            rules.write_text(re.sub(r"\n *tasks: \[.*\]", "", rules.read_text(
                encoding="utf-8")), encoding="utf-8")
            notice.write_text(notice.read_text(encoding="utf-8").replace(
                "[annex-1, annex-2]", "[annex-2]"), encoding="utf-8")
        if spec.pattern == "scoring_rules.yaml" and notice.exists():
            notice.write_text(notice.read_text(encoding="utf-8").replace(
                "[annex-1, annex-2]", "[annex-1]"), encoding="utf-8")
        code = _validate(project)
        capsys.readouterr()
        if spec.needed == "required":
            assert code == 2, f"{spec.pattern} is required but a project without it validates"
        elif spec.needed == "optional":
            assert code == 0, f"{spec.pattern} is optional but a project without it fails"
        else:   # one per region with scoring rules: without the rules, none is needed
            assert code == 2
            (project / "scoring_rules.yaml").unlink()
            notice.write_text(notice.read_text(encoding="utf-8").replace(
                "[annex-1, annex-2]", "[annex-1]"), encoding="utf-8")
            assert _validate(project) == 0


def test_every_model_and_field_says_what_it_is():
    # The reference and the editors show these descriptions; a field without one is a
    # field a new user has to guess.
    for spec in CONTENT_FILES:
        seen: set = set()
        for model_name, name in _all_fields(spec.model, seen):
            model = next(m for m in seen if m.__name__ == model_name)
            assert model.__doc__, f"{model_name} has no docstring"
            assert model.model_fields[name].description, f"{model_name}.{name}: no description"


def test_every_scoring_policy_setting_has_its_annex_sentence():
    from qdocs.content.scoring_models import ScoringRules
    from qdocs.reference.policy import settings

    spec = next(s for s in CONTENT_FILES if s.model is ScoringRules)
    found = {".".join(path): values for path, values in settings(file_schema(spec))}
    assert found["rounding.items"] == ["exact", "half_up"]
    assert found["basis"] == ["published", "exact"]
    assert found["veto.placement"] == ["unranked", "last", "in_place"]
    text = REFERENCE.read_text(encoding="utf-8").split("## Totals, grades and ranks")[1]
    assert "| `basis: exact` | " in text and "按未经四舍五入的得分评定" in text
    assert "| `veto.placement: last` | " in text and "排名列于末位" in text
    assert "| `rounding.items: half_up` | " in text
