"""Content: the YAML files of a project → one validated, frozen `Project`.

Every file is read and validated before anything is reported, so a user sees all
problems of a run at once; then one `ContentError` carries them (exit status 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qdocs.content.located import validate_document
from qdocs.content.models import ActionPlan, Bulletin, Departments, Notice, Regions, Settings
from qdocs.content.scoring_load import load_scoring
from qdocs.content.yamlsource import YamlDocument, read_yaml
from qdocs.errors import ContentError, Problem, display_path


@dataclass(frozen=True)
class Project:
    """Everything a build needs from `content/`, validated."""

    root: Path
    settings: Settings
    notice: Notice
    departments: Departments
    regions: Regions
    action_plan: ActionPlan | None = None      # action_plan.yaml, optional
    bulletin: Bulletin | None = None           # bulletin.yaml, optional
    scoring: Any = None                      # qdocs.content.scoring_models.ScoringRules
    assessments: dict[str, Any] = field(default_factory=dict)   # region code → Assessment

    @property
    def scoring_sample(self) -> bool:
        """True when the scheme or any assessment is sample data."""
        return (self.scoring is not None and self.scoring.sample) or any(
            a.sample for a in self.assessments.values())


_FILES = {
    "settings": ("qdocs.yaml", Settings),
    "notice": ("notice.yaml", Notice),
    "departments": ("departments.yaml", Departments),
    "regions": ("regions.yaml", Regions),
}


def load_content(root: Path) -> Project:
    """Read and validate every content file under `root`; raise ContentError listing all faults."""
    if not root.is_dir():
        raise ContentError([Problem(display_path(root), None, None, "", (
            "no such folder; give --content the folder that holds qdocs.yaml"))])
    problems: list[Problem] = []
    docs: dict[str, YamlDocument] = {}
    models: dict[str, Any] = {}
    for key, (name, model) in _FILES.items():
        try:
            docs[key] = read_yaml(root / name)
            models[key] = validate_document(docs[key], model)
        except ContentError as exc:
            problems.extend(exc.problems)
    for key, name, model in (("bulletin", "bulletin.yaml", Bulletin),
                             ("action_plan", "action_plan.yaml", ActionPlan)):
        if not (root / name).exists():
            continue
        try:
            docs[key] = read_yaml(root / name)
            models[key] = validate_document(docs[key], model)
        except ContentError as exc:
            problems.extend(exc.problems)
    if not problems:
        problems.extend(_cross_check(docs, models))
    scoring, assessments = None, {}
    if not problems and (root / "scoring_rules.yaml").exists():
        try:
            scoring, assessments = load_scoring(
                root,
                [r.code for r in models["regions"].regions],
                {d.name for d in models["departments"].departments},
                len(models["action_plan"].tasks) if "action_plan" in models else None,
            )
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    project = Project(root=root, scoring=scoring, assessments=assessments, **models)
    missing = [a for a in project.notice.attachments if a not in annex_ids(project)]
    if missing:
        doc = docs["notice"]
        i = project.notice.attachments.index(missing[0])
        raise ContentError([doc.problem(("attachments", i), (
            f"unknown annex {missing[0]!r}; known: {', '.join(annex_ids(project))}"))])
    return project


def annex_ids(project: Project) -> list[str]:
    """The annexes this project can build, in their natural order."""
    ids = [project.action_plan.id] if project.action_plan is not None else []
    if project.scoring is not None:
        ids.append(project.scoring.id)
    return ids


def _cross_check(docs: dict[str, YamlDocument], models: dict[str, Any]) -> list[Problem]:
    """Checks across files: departments named exist, codes and names are unique."""
    problems = []
    known = {}
    for i, dept in enumerate(models["departments"].departments):
        if dept.name in known:
            problems.append(docs["departments"].problem(
                ("departments", i, "name"), f"duplicate department {dept.name!r}"))
        known[dept.name] = i
    plan = models.get("action_plan")
    for t, task in enumerate(plan.tasks if plan else []):
        for d, name in enumerate(task.departments):
            if name not in known:
                problems.append(docs["action_plan"].problem(
                    ("tasks", t, "departments", d),
                    f"unknown department {name!r}; add it to departments.yaml or fix the name"))
    seen: dict[str, int] = {}
    for i, region in enumerate(models["regions"].regions):
        if region.code in seen:
            problems.append(docs["regions"].problem(
                ("regions", i, "code"),
                f"duplicate region code {region.code!r} (first at regions[{seen[region.code]}])"))
        seen.setdefault(region.code, i)
    return problems
