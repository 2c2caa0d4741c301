"""The whole pipeline in one function: load → validate → score → plan → render → write.

`build()` gathers everything before writing anything (as MkDocs' build does): a
content error stops the run before a single output is touched.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qdocs.build import manifest as manifest_mod
from qdocs.build import stamp
from qdocs.build.keys import code_fingerprint, hash_file, key_of, target_components
from qdocs.build.outputs import (
    build_lock,
    check_out_dir,
    check_outputs,
    outside_project,
    prepare_folders,
)
from qdocs.build.plan import Job, output_path, plan_jobs
from qdocs.build.report import (
    ITEM_SCORES,
    changes_data,
    changes_json,
    diff_items,
    diff_scores,
    item_summary,
    item_summary_json,
    load_item_summary,
    score_summary,
    write_if_changed,
)
from qdocs.build.runner import Outcome, WorkerConfig, run_jobs, start_workers
from qdocs.build.targets import TargetSpec, plan_targets, target_names
from qdocs.content import Project, load_content
from qdocs.errors import ContentError, Problem, QdocsError, UsageError, display_path
from qdocs.fonts import font_files, fonts_fingerprint, resolve_fonts
from qdocs.profile import PROFILE_PATH, load_profile
from qdocs.render.html import render_html
from qdocs.render.stylesheet import stylesheet_context
from qdocs.render.templates import (
    compile_problems,
    make_environment,
    template_closure,
    template_dirs,
    template_problem,
)
from qdocs.writers.glyphs import docx_font_files

FORMATS = ("pdf", "docx", "html")


@dataclass
class BuildReport:
    """What a build did: rebuilt targets with reasons, skipped, failed, and the time."""

    rebuilt: list[Job] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    score_changes: list[dict[str, Any]] = field(default_factory=list)
    item_changes: list[dict[str, Any]] = field(default_factory=list)   # item by item
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def load_and_score(content_dir: Path) -> tuple[Project, Any]:
    """Load and validate the content, then score it (None when it has no scoring rules)."""
    project = load_content(content_dir)
    # The loaded content lives to the end of the run: moved out of the collector's sight,
    # it is not traversed again and again while scoring allocates (measured: scoring and
    # contexts grew 1.3–1.6× per region from 300 to 3,000 regions with it in sight).
    gc.freeze()
    results = None
    if project.scoring is not None:
        from qdocs.scoring.engine import score_all

        results = score_all(project.scoring, [r.code for r in project.regions.regions],
                            project.assessments)
        gc.freeze()
    return project, results


def check_templates(content_dir: Path, project: Project, results: Any) -> None:
    """Compile every template the project's targets use and render one target of each
    template, so a fault that shows only when compiling (an unknown filter, a loop of
    includes) or rendering (the sandbox's refusal) is found before a build."""
    env = make_environment(template_dirs(content_dir))
    refs: dict[str, list[str]] = {}
    profile = load_profile()
    specs = plan_targets(project, profile, results)
    files: dict[str, Path] = {}
    for name in ("print.css.j2", "index.html.j2", *dict.fromkeys(s.template for s in specs)):
        files |= template_closure(env, name, refs)
    problems = compile_problems(env, files)
    if problems:
        raise ContentError(problems)
    css = render_stylesheet(env, profile, resolve_fonts(_font_overrides(project)))
    created = metadata_date(project.settings.year)
    for spec in {s.template: s for s in reversed(specs)}.values():
        try:
            render_html(env, spec.template, spec.context, css, profile, spec.sample, created)
        except Exception as exc:  # noqa: BLE001 - located below, or reported as it is
            problems.append(template_problem(exc) or Problem(
                spec.template, None, None, "", f"{type(exc).__name__}: {exc}"))
    if problems:
        raise ContentError(problems)


def render_stylesheet(env, profile, fonts) -> str:
    """print.css.j2 rendered once (by the parent; workers receive the text)."""
    try:
        return env.get_template("print.css.j2").render(**stylesheet_context(profile, fonts))
    except Exception as exc:  # noqa: BLE001 - a project's stylesheet override failed
        raise ContentError([template_problem(exc) or Problem(
            "print.css.j2", None, None, "", f"{type(exc).__name__}: {exc}")]) from None


def output_folder(content_dir: Path, project: Project, out_dir: Path | None) -> Path:
    """`--out` when given (the user's choice), else the project's build_dir, which must
    stay inside the project (a located error in qdocs.yaml otherwise)."""
    if out_dir is not None:
        check_out_dir(content_dir, out_dir)
        return out_dir
    out_dir = content_dir.parent / project.settings.build_dir
    why = outside_project(content_dir, project.settings.build_dir)
    try:
        check_out_dir(content_dir, out_dir)
    except UsageError as exc:
        why = why or str(exc)
    if why:
        from qdocs.content.yamlsource import read_yaml

        raise ContentError([read_yaml(content_dir / "qdocs.yaml").problem(("build_dir",), why)])
    return out_dir


def metadata_date(year: int) -> datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else 1 January of the plan's year:
    never the wall clock, so two builds of the same content are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime(year, 1, 1, tzinfo=UTC)


def build(content_dir: Path, build_dir: Path | None = None, *, formats: list[str] | None = None,
          targets: list[str] | None = None, force: bool = False, jobs: int = 1,
          on_start: Callable[[list[Job], list[str]], None] | None = None,
          on_outcome: Callable[[Outcome], None] | None = None, wait: bool = True,
          on_wait: Callable[[str], None] | None = None,
          executor: str = "local", scheduler: str | None = None) -> BuildReport:
    """Build the project in `content_dir` into `build_dir`; rebuild only what changed.

    `wait`: when another build holds the output folder, wait for it (telling `on_wait`)
    rather than fail. `executor` "local" runs stale targets on a process pool of `jobs`
    workers; "dask" on the dask.distributed scheduler at `scheduler` (None: a LocalCluster
    here).
    """
    started = time.perf_counter()
    if executor == "local" and jobs > 1:
        start_workers()          # the fork server imports the engines while this loads
    project, results = load_and_score(content_dir)                       # load, validate, score
    build_dir = output_folder(content_dir, project, build_dir)
    formats_asked = formats
    formats = _check_formats(list(project.settings.formats) if formats is None else formats)
    profile = load_profile()
    names = target_names(project, results)
    wanted = _select(names, targets)
    specs = plan_targets(project, profile, results, wanted)               # one context a target
    # The index lists every target; one not planned this time shows its output name.
    planned = {s.name: s for s in specs}
    all_specs = [planned.get(n) or TargetSpec(n, "", {}, False, ()) for n in names]
    dirs = template_dirs(content_dir)
    env = make_environment(dirs)
    fonts = resolve_fonts(_font_overrides(project))
    created = metadata_date(project.settings.year)
    refs: dict[str, list[str]] = {}    # template → the templates it names, parsed once
    css = render_stylesheet(env, profile, fonts)
    shared = {
        "stylesheet": {n: hash_file(p)
                       for n, p in template_closure(env, "print.css.j2", refs).items()},
        "profile": hash_file(PROFILE_PATH),
        "fonts": fonts_fingerprint(fonts),
        "created": created.isoformat(),
        "code": code_fingerprint(),
    }
    components = {s.name: target_components(s.context, template_closure(env, s.template, refs),
                                            shared) for s in specs}
    keys = {name: key_of(c) for name, c in components.items()}
    inputs = _content_hashes(content_dir)
    prepare_folders(build_dir, formats)                                  # nothing written yet
    with build_lock(build_dir, wait=wait, on_wait=on_wait):   # one build at a time
        manifest = manifest_mod.Manifest.load(build_dir)
        sources = {s.name: s.sources for s in specs}
        job_list = plan_jobs([s.name for s in specs], components, keys, sources,  # what is stale
                             inputs, manifest, build_dir, formats, force)
        check_outputs([output_path(build_dir, fmt, j.name) for j in job_list for fmt in formats]
                      + [build_dir / n for n in (manifest_mod.MANIFEST_NAME, "changes.json")]
                      + [build_dir / "html" / "index.html"])
        report = BuildReport(rebuilt=job_list, seconds=0.0)
        if manifest.discarded:
            report.notes.append(f"{display_path(manifest.path)} not used: {manifest.discarded}; "
                                "every target is rebuilt")
        stale = {j.name for j in job_list}
        report.skipped = [s.name for s in specs if s.name not in stale]
        if on_start:
            on_start(job_list, report.skipped)
        # A target about to be rewritten leaves the manifest first: between the rename of its
        # outputs and its new entry, the manifest never vouches for a replaced file.
        previous = {j.name: manifest.targets.pop(j.name) for j in job_list
                    if j.name in manifest.targets}
        manifest.save()
        if job_list:
            stamp.remove_stamp(build_dir)
        config = WorkerConfig(tuple(template_dirs(content_dir)), css,
                              content_dir.resolve().as_uri(), created, docx_font_files(fonts),
                              _font_overrides(project))
        imager = _page_images(build_dir, formats) if job_list else None  # while workers run
        stale_specs = [s for s in specs if s.name in stale]
        if executor == "dask":
            from qdocs.build.dask_executor import run_jobs_dask

            outcomes = run_jobs_dask(stale_specs, config, build_dir, tuple(formats), scheduler)
        else:
            outcomes = run_jobs(stale_specs, config, build_dir, tuple(formats), jobs)
        for outcome in outcomes:                                          # render, write
            if outcome.outputs is None:
                report.failed[outcome.name] = outcome.error or "failed"
                if outcome.name in previous:   # its old outputs are untouched: vouch for them again
                    manifest.targets[outcome.name] = previous[outcome.name]
            else:
                manifest.targets[outcome.name] = {          # only after all its outputs exist
                    "key": keys[outcome.name], "components": components[outcome.name],
                    "outputs": {fmt: {"sha256": h} for fmt, h in outcome.outputs.items()}}
                if imager is not None and "pdf" in outcome.outputs:
                    imager.add(outcome.name, build_dir / "pdf" / f"{outcome.name}.pdf",
                               outcome.outputs["pdf"])
            manifest.save_now_and_then()
            if on_outcome:
                on_outcome(outcome)
        staged = imager.finish() if imager is not None else {}
        scores = score_summary(project, results)
        items = item_summary(project, results)
        if job_list:                       # a build that changes nothing writes nothing
            report.score_changes = diff_scores(manifest.scores, scores)
            report.item_changes = diff_items(load_item_summary(build_dir), items)
            write_if_changed(build_dir / "changes.json", changes_json(report))
            if "html" in formats:
                _write_index(env, build_dir, project, results, all_specs, formats, report,
                             manifest, staged)
        if not report.failed:
            manifest.scores = scores
            write_if_changed(build_dir / ITEM_SCORES, item_summary_json(items))
            if not targets:  # a failed or unselected target still says which inputs it missed
                manifest.inputs = inputs
        manifest.save()
        if report.ok:
            _write_stamp(content_dir, build_dir, formats_asked, targets, manifest, fonts,
                         len(specs))
        report.seconds = time.perf_counter() - started
        return report


def _write_stamp(content_dir: Path, build_dir: Path, formats: list[str] | None,
                 targets: list[str] | None, manifest, fonts, count: int) -> None:
    """The no-op fast path's record of this build (qdocs/build/stamp.py)."""
    files = [build_dir / manifest_mod.MANIFEST_NAME, build_dir / "changes.json",
             build_dir / "html" / "index.html"]
    files += [output_path(build_dir, fmt, name) for name, entry in manifest.targets.items()
              for fmt in entry.get("outputs", {})]
    font_list = font_files(fonts)
    print_ = stamp.fingerprint(content_dir, build_dir, formats, targets, font_list)
    stamp.write_stamp(build_dir, print_, [f for f in files if f.exists()],
                      {"targets": count}, font_list)


def _write_index(env, build_dir: Path, project: Project, results: Any,
                 specs: list[TargetSpec], formats: list[str], report: BuildReport,
                 manifest: manifest_mod.Manifest, staged: dict[str, str]) -> None:
    """build/html/index.html and the review site: every output with its first page, the
    league table, the pages and scores the last build changed (qdocs/review)."""
    from qdocs.review import write_review_site

    try:
        write_review_site(env, build_dir, project, results, specs, formats,
                          changes_data(report), manifest.targets, staged=staged)
    except Exception as exc:  # noqa: BLE001 - a project's override of a site page failed
        problem = template_problem(exc)
        if problem is None and isinstance(exc, (OSError, QdocsError)):
            raise
        report.failed["index"] = str(problem or f"{type(exc).__name__}: {exc}")


def _page_images(build_dir: Path, formats: list[str]):
    """The review site's page images, rendered in a thread as the PDFs arrive."""
    from qdocs.review import start_page_images

    return start_page_images(build_dir, formats)


def _select(known: list[str], names: list[str] | None) -> set[str] | None:
    """The targets asked for (None: all), each checked to exist."""
    if not names:
        return None
    known_set = set(known)
    unknown = [n for n in names if n not in known_set]
    if unknown:
        raise UsageError(f"unknown target {unknown[0]!r}; known targets: " + ", ".join(known))
    return set(names)


def _check_formats(formats: list[str]) -> list[str]:
    if not formats:
        raise UsageError(f"no format given; choose from {', '.join(FORMATS)}")
    for fmt in formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def _font_overrides(project: Project) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((role, tuple(fams)) for role, fams in project.settings.fonts.items()))


def _content_hashes(content_dir: Path) -> dict[str, str]:
    out = {}
    for path in sorted(content_dir.rglob("*.yaml")):
        out[path.relative_to(content_dir).as_posix()] = hash_file(path)
    return out



