"""What the sheets need from a project, loaded without requiring every assessment.

`load_content` refuses a project in which a region has no assessment yet, but
that is exactly the state sheets are sent out in. Here the settings, regions,
departments and the scheme must be valid; each assessment that exists is read
and checked on its own, and the missing ones are simply absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qdocs.content.located import validate_document
from qdocs.content.models import ActionPlan, Departments, Regions, Settings
from qdocs.content.scoring_checks import check_assessment, check_rules
from qdocs.content.scoring_models import Assessment, ScoringRules
from qdocs.content.yamlsource import read_yaml
from qdocs.errors import ContentError, Problem, display_path

RULES_FILE = "scoring_rules.yaml"
ASSESSMENTS_DIR = "assessments"


@dataclass(frozen=True)
class SheetsProject:
    """The scheme, the regions in publication order and the assessments found (by code)."""

    root: Path
    settings: Settings
    regions: Regions
    departments: Departments
    rules: ScoringRules
    assessments: dict[str, Assessment]

    def assessment_path(self, code: str) -> Path:
        return self.root / ASSESSMENTS_DIR / f"{code}.yaml"

    def region_name(self, code: str) -> str:
        return next(r.name for r in self.regions.regions if r.code == code)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.regions.regions]


def load_sheets_project(root: Path, *, assessments: bool = True) -> SheetsProject:
    """Settings, regions, departments and the checked scheme; each existing assessment checked."""
    if not (root / "qdocs.yaml").is_file():
        raise ContentError([Problem(display_path(root), None, None, "", (
            "no qdocs.yaml here; give --content the folder of the project"))])
    problems: list[Problem] = []
    models = {}
    for key, name, model in (("settings", "qdocs.yaml", Settings),
                             ("regions", "regions.yaml", Regions),
                             ("departments", "departments.yaml", Departments),
                             ("plan", "action_plan.yaml", ActionPlan),
                             ("rules", RULES_FILE, ScoringRules)):
        if key == "plan" and not (root / name).exists():
            continue    # the action plan is optional; items then name no tasks
        try:
            doc = read_yaml(root / name)
            models[key] = (doc, validate_document(doc, model))
        except ContentError as exc:
            problems += exc.problems
    if problems:
        raise ContentError(problems)
    rules_doc, rules = models["rules"]
    names = {d.name for d in models["departments"][1].departments}
    tasks = len(models["plan"][1].tasks) if "plan" in models else None
    problems += check_rules(rules_doc, rules, names, tasks)
    if problems:
        raise ContentError(problems)
    codes = [r.code for r in models["regions"][1].regions]
    found: dict[str, Assessment] = {}
    if assessments:
        for code in codes:
            path = root / ASSESSMENTS_DIR / f"{code}.yaml"
            if not path.is_file():
                continue
            try:
                doc = read_yaml(path)
                a = validate_document(doc, Assessment)
            except ContentError as exc:
                problems += exc.problems
                continue
            here = check_assessment(doc, a, rules, code)
            problems += here
            if not here:
                found[code] = a
    if problems:
        raise ContentError(problems)
    return SheetsProject(root, models["settings"][1], models["regions"][1],
                         models["departments"][1], rules, found)
