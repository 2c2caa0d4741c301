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
from qdocs.content.scoring_checks import TASKS_UNCHECKED
from qdocs.content.scoring_load import load_scoring
from qdocs.content.unique import keyed
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
    # Every check that its inputs allow runs, so one bad file hides nothing in the others.
    problems.extend(_cross_check(docs, models))
    scoring, assessments = None, {}
    has_rules = (root / "scoring_rules.yaml").exists()
    if has_rules:
        try:
            scoring, assessments = load_scoring(
                root,
                _given(models, "regions", lambda m: [r.code for r in m.regions]),
                _given(models, "departments", lambda m: {d.name for d in m.departments}),
                _task_count(root, models),
            )
        except ContentError as exc:
            problems.extend(exc.problems)
    if "notice" in models and "action_plan" in models and (scoring or not has_rules):
        known = [models["action_plan"].id] + ([scoring.id] if scoring else [])
        for i, annex in enumerate(models["notice"].attachments):
            if annex not in known:
                problems.append(docs["notice"].problem(("attachments", i), (
                    f"unknown annex {annex!r}; known: {', '.join(known)}")))
    if problems:
        raise ContentError(problems)
    return Project(root=root, scoring=scoring, assessments=assessments, **models)


def _task_count(root: Path, models: dict[str, Any]) -> int | None:
    """How many tasks items may name: None without an action plan; TASKS_UNCHECKED when
    action_plan.yaml is there but did not validate (its own problems are reported)."""
    if "action_plan" in models:
        return len(models["action_plan"].tasks)
    return TASKS_UNCHECKED if (root / "action_plan.yaml").exists() else None


def _given(models: dict[str, Any], key: str, read):
    """What `read` takes from a file's model; None when that file did not validate."""
    return read(models[key]) if key in models else None


def annex_ids(project: Project) -> list[str]:
    """The annexes this project can build, in their natural order."""
    ids = [project.action_plan.id] if project.action_plan is not None else []
    if project.scoring is not None:
        ids.append(project.scoring.id)
    return ids


def _cross_check(docs: dict[str, YamlDocument], models: dict[str, Any]) -> list[Problem]:
    """Checks across files and entries: departments named exist, codes and names are unique."""
    problems = []
    if "departments" in models:
        problems += keyed(docs["departments"], ("departments",),
                          models["departments"].departments, {"name": "department"})
    if "action_plan" in models:
        plan = models["action_plan"]
        problems += keyed(docs["action_plan"], ("tasks",), plan.tasks, {"heading": "task heading"})
        if "departments" in models:
            known = {d.name for d in models["departments"].departments}
            for t, task in enumerate(plan.tasks):
                for d, name in enumerate(task.departments):
                    if name not in known:
                        problems.append(docs["action_plan"].problem(
                            ("tasks", t, "departments", d),
                            f"unknown department {name!r}; add it to departments.yaml or fix "
                            "the name"))
    if "regions" in models:
        problems += keyed(docs["regions"], ("regions",), models["regions"].regions, {
            "code": "region code", "name": "region name", "full_name": "region full name"})
    return problems
