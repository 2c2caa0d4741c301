"""The targets of a project: name, template and plain-data context of each document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qdocs.content import Project
from qdocs.profile import Profile
from qdocs.render import contexts, scoring_contexts, titles


@dataclass(frozen=True)
class TargetSpec:
    """One document to build: picklable, so it can go to a worker process."""

    name: str          # stable ASCII output name: notice, annex-1, card-420100, …
    template: str      # the template file rendered
    context: dict[str, Any]
    sample: bool
    sources: tuple[str, ...]   # content files its context is made from (to explain rebuilds)


def plan_targets(project: Project, profile: Profile, results: Any = None) -> list[TargetSpec]:
    """Every target of the project, in publication order."""
    extra = {}
    if project.scoring is not None and results is not None:
        extra = scoring_contexts.scoring_annex(project, results)
    annexes = contexts.annexes(project, extra)
    # 示例数据 marks every document made (even in part) from sample data.
    sample_of: dict[str, bool] = {}
    sources: dict[str, tuple[str, ...]] = {}
    if project.action_plan is not None:
        sample_of[project.action_plan.id] = False
        sources[project.action_plan.id] = ("action_plan.yaml",)
    if project.scoring is not None:
        sample_of[project.scoring.id] = project.scoring.sample
    if project.scoring is not None:
        sources[project.scoring.id] = ("scoring_rules.yaml", "departments.yaml")
    bound = tuple(f for a in project.notice.attachments for f in sources.get(a, ()))
    specs = [TargetSpec("notice", "notice.html.j2",
                        contexts.notice_context(project, profile, annexes),
                        project.notice.sample
                        or any(sample_of.get(a, False) for a in project.notice.attachments),
                        ("notice.yaml",) + bound)]
    for annex in annexes.values():
        specs.append(TargetSpec(annex["id"], "annex.html.j2", contexts.annex_context(annex),
                                sample_of.get(annex["id"], False), sources.get(annex["id"], ())))
    if project.scoring is not None and results is not None:
        scored = ("scoring_rules.yaml", "regions.yaml", "assessments/")
        for name, template, context in scoring_contexts.cards_and_bulletin(
                project, profile, results):
            sample = project.scoring_sample
            sources = scored
            if name == "bulletin":
                sample = sample or project.bulletin.sample
                sources = scored + ("bulletin.yaml",)
            specs.append(TargetSpec(name, template, context, sample, sources))
    terms = titles.project_terms(project)
    for spec in specs:
        spec.context["title_terms"] = titles.terms_in(_titles_of(spec.context), terms)
    return specs


def _titles_of(context: dict[str, Any]) -> list[str]:
    """The titles a target prints: its own, its notice's, its annexes'."""
    found = [context.get("doc_title", "")]
    if "notice" in context:
        found.append(context["notice"]["title"])
    found += [a["title"] for a in context.get("annexes", [])]
    if "annex" in context:
        found.append(context["annex"]["title"])
    return found
