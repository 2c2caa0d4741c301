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


def target_names(project: Project, results: Any = None) -> list[str]:
    """The name of every target plan_targets would make, in the same order, without
    building a single context (to check the names a user asks for)."""
    scored = project.scoring is not None and results is not None
    ids = ([project.action_plan.id] if project.action_plan is not None else []) + (
        [project.scoring.id] if scored else [])
    attached = [a for a in project.notice.attachments if a in ids]
    names = ["notice"] + attached + [a for a in ids if a not in attached]
    if scored:
        names += [f"card-{r.code}" for r in results.regions]
        if project.bulletin is not None:
            names.append("bulletin")
    return names


def plan_targets(project: Project, profile: Profile, results: Any = None,
                 only: set[str] | None = None) -> list[TargetSpec]:
    """Every target of the project (or those named in `only`), in publication order.

    A card's context is made only for a card asked for: a bulletin-only build of
    thousands of regions does not make thousands of contexts it would throw away."""
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
                project, profile, results, only):
            sample = project.scoring_sample
            sources = scored
            if name == "bulletin":
                sample = sample or project.bulletin.sample
                sources = scored + ("bulletin.yaml",)
            specs.append(TargetSpec(name, template, context, sample, sources))
    specs = [s for s in specs if only is None or s.name in only]
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
