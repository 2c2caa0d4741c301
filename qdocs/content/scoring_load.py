"""Read scoring_rules.yaml and assessments/*.yaml, validate, check, and report every fault once.

Each file is parsed with the project's YAML reader (positions kept), validated
into its model with located errors, then checked across files. Problems of all
files are collected before anything is raised, so the user fixes them in one go.
"""

from __future__ import annotations

from pathlib import Path

from qdocs.content.located import validate_document
from qdocs.content.scoring_checks import check_assessment, check_rules
from qdocs.content.scoring_models import Assessment, ScoringRules
from qdocs.content.yamlsource import YamlDocument, read_yaml
from qdocs.errors import ContentError, Problem, display_path

RULES_FILE = "scoring_rules.yaml"
ASSESSMENTS_DIR = "assessments"


def load_scoring(
    content_dir: Path,
    region_codes: list[str] | None,
    department_names: set[str] | None,
    task_count: int | None,
) -> tuple[ScoringRules, dict[str, Assessment]]:
    """The checked scheme and one assessment per region (in `region_codes` order).

    A None argument is a file that did not validate: the checks that need it are left
    out, the others still run, so its problems do not hide these.
    """
    problems: list[Problem] = []
    rules_doc, rules = _read(content_dir / RULES_FILE, ScoringRules, problems)
    if rules is not None:
        problems += check_rules(rules_doc, rules, department_names, task_count)
    folder = content_dir / ASSESSMENTS_DIR
    found: dict[str, Assessment] = {}
    known = set(region_codes or ())  # a set: 30,000 regions are not a quadratic search
    for path in sorted(folder.glob("*.yaml")):
        doc, assessment = _read(path, Assessment, problems)
        if region_codes is not None and path.stem not in known:
            problems.append(Problem(display_path(path), None, None, "", (
                f"no region {path.stem} in regions.yaml; name each assessment file after "
                "a region code")))
            continue
        if assessment is None:
            continue
        found[path.stem] = assessment
        if rules is not None:
            problems += check_assessment(doc, assessment, rules, path.stem)
    for code in region_codes or ():
        if code not in found and (folder / f"{code}.yaml").is_file() is False:
            problems.append(Problem(display_path(folder / f"{code}.yaml"), None, None, "", (
                f"missing: region {code} has no assessment file")))
    if problems or region_codes is None:   # None: regions.yaml's own problems are reported
        raise ContentError(problems)
    assert rules is not None
    return rules, {code: found[code] for code in region_codes}


def _read(path: Path, model, problems: list[Problem]) -> tuple[YamlDocument | None, object]:
    """(document, validated model) or (document or None, None) with problems appended."""
    doc = None
    try:
        doc = read_yaml(path)
        return doc, validate_document(doc, model)
    except ContentError as exc:
        problems.extend(exc.problems)
        return doc, None
