"""Figures on the bundled example: cold build, no-op rebuild, one-rule edit, engine ratio.

Everything runs on a private copy of `content/` (others may be editing it) with
build directories in a temporary folder. Short figures are the best of `repeat`
runs, since other processes share the machine; the load each best run saw is noted.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import Figure
from benchmarks.runs import ChildRun, qdocs_command, run_child, run_cli, run_engine, run_plain
from benchmarks.summary import memory_note, stage_groups, stage_lines, worker_memory
from benchmarks.synth import copy_example, edit_one_rule

COLD_TARGET = 3.0
NOOP_TARGET = 0.3
EDIT_TARGET = 2.0
ENGINE_RATIO_TARGET = 1.2  # issue 13: cold build ≤ 1.2 × WeasyPrint alone
DOCX_FLOOR_TARGET = 1.3  # issue 13: the DOCX writer ≤ 1.3 × python-docx alone
REVIEW_SHARE_TARGET = 20.0     # % of the build: the review site's page images and pages


def bench_example(tmp: Path, *, repeat: int, jobs: int, log) -> tuple[list[Figure], dict]:
    """All figures of the example project; `log` prints progress."""
    content = copy_example(tmp / "content")
    figures: list[Figure] = []
    raw: dict = {}

    log(f"example: cold build, `qdocs build` ×{repeat}")
    cli = [run_cli(content, tmp / f"cold-cli-{i}") for i in range(repeat)]
    best_cli = min(cli, key=lambda r: r.wall)
    figures.append(Figure(
        f"cold build, `qdocs build` wall (-j {jobs})", best_cli.wall if best_cli.returncode == 0
        else None, "s", "<=", COLD_TARGET,
        _runs_note([r.wall for r in cli], best_cli.load.describe())
        + ("" if best_cli.returncode == 0 else f"; FAILED: {best_cli.output[-300:]}")))

    log(f"example: cold build, build() in-process ×{repeat}")
    cold = [run_child(content, tmp / f"cold-{i}", jobs=jobs) for i in range(repeat)]
    best = min(cold, key=lambda r: r.build_seconds)
    build_dir = tmp / f"cold-{cold.index(best)}"
    figures.append(Figure(
        "cold build, build() in-process", best.build_seconds, "s", "<=", COLD_TARGET,
        _runs_note([r.build_seconds for r in cold], best.load.describe())
        + f"; {len(best.result['rebuilt'])} targets × 3 formats; process wall {best.wall:.2f} s"
        + _failures(best)))
    raw["cold"] = [r.result for r in cold]
    figures.append(review_figure(best, "cold build"))

    log(f"example: no-op rebuild ×{repeat} (in-process and `qdocs build`)")
    noop = [run_child(content, build_dir, jobs=jobs) for _ in range(repeat)]
    best_noop = min(noop, key=lambda r: r.build_seconds)
    rebuilt = {n for r in noop for n, _ in r.result["rebuilt"]}
    figures.append(Figure(
        "no-op rebuild, build() in-process", best_noop.build_seconds, "s", "<=", NOOP_TARGET,
        _runs_note([r.build_seconds for r in noop], best_noop.load.describe())
        + (f"; REBUILT {sorted(rebuilt)}" if rebuilt else "; rebuilt nothing")))
    noop_cli = [run_cli(content, build_dir) for _ in range(repeat)]
    best_noop_cli = min(noop_cli, key=lambda r: r.wall)
    floor = _interpreter_floor(repeat)
    figures.append(Figure(
        "no-op rebuild, `qdocs build` wall", best_noop_cli.wall, "s", "<=", NOOP_TARGET,
        _runs_note([r.wall for r in noop_cli], best_noop_cli.load.describe())
        + f"; of which interpreter start + imports ≈ {floor['import qdocs.pipeline']:.2f} s"))
    figures.append(Figure(
        "  floor: `qdocs --version` wall", floor["qdocs --version"], "s",
        note="interpreter start and the CLI's imports only"))
    raw["noop"] = [r.result for r in noop]
    raw["floor"] = floor

    log(f"example: one-rule edit ×{repeat}")
    edit_content = copy_example(tmp / "edit-content")
    edit_build = tmp / "edit-build"
    run_child(edit_content, edit_build, jobs=jobs)
    edits: list[ChildRun] = []
    for i in range(repeat):
        what = edit_one_rule(edit_content, forward=i % 2 == 0)
        edits.append(run_child(edit_content, edit_build, jobs=jobs))
    best_edit = min(edits, key=lambda r: r.build_seconds)
    names = [n for n, _ in best_edit.result["rebuilt"]]
    cards = sum(n.startswith("card-") for n in names)
    others = [n for n in names if not n.startswith("card-")]
    edit_note = (f"{what}; rebuilt {len(names)} targets ({cards} cards + {', '.join(others)})"
                 f"; skipped {best_edit.result['skipped']}")
    figures.append(Figure(
        "one-rule edit, build() in-process", best_edit.build_seconds, "s", "<=", EDIT_TARGET,
        _runs_note([r.build_seconds for r in edits], best_edit.load.describe())
        + "; " + edit_note + _failures(best_edit)))
    figures.append(Figure(
        "one-rule edit, process wall", best_edit.wall, "s", "<=", EDIT_TARGET,
        "the same runs timed from outside (interpreter start and imports included)"))
    raw["edit"] = [r.result for r in edits]
    figures.append(review_figure(best_edit, "one-rule edit"))

    log("example: the engines' own time on the same HTML (sequential)")
    figures += engine_figures(best, build_dir, content, label="example", raw=raw)

    mem = worker_memory(best.result)
    figures.append(Figure("peak RSS per worker, example cold build", mem["peak_mb"], "MB",
                          note=memory_note(mem)))
    steps = best.result["workers"]["steps"]
    init, spawn = steps.get("worker init"), steps.get("worker spawn")
    if init:
        start = init["seconds"] / init["count"]
        note = (f"runner._init_worker (profile, templates, fetcher; WeasyPrint imported "
                f"already by the fork server, or here by a spawned worker) "
                f"{start:.2f} s (CPU {init.get('cpu', 0) / init['count']:.2f} s)")
        if spawn:
            start += spawn["seconds"] / spawn["count"]
            note += (f" after {spawn['seconds'] / spawn['count']:.2f} s from the process's "
                     f"start (a fork from the fork server, or a spawned interpreter's start "
                     f"and imports; CPU {spawn['cpu'] / spawn['count']:.2f} s)")
        figures.append(Figure(
            "worker start-up, per worker", start, "s",
            note=note + f"; paid by each of {init['count']} workers of a build with work"))
    raw["breakdown"] = {"cold": stage_lines(best.result, ""),
                        "cold_groups": stage_groups(best.result),
                        "no-op": stage_lines(best_noop.result, ""),
                        "edit": stage_lines(best_edit.result, "")}
    return figures, raw


def engine_figures(run: ChildRun, build_dir: Path, content: Path, *, label: str, raw: dict,
                   names: list[str] | None = None) -> list[Figure]:
    """WeasyPrint alone (and qdocs' writers) on the HTML of `run`, against the pipeline."""
    names = names or [n for n, _ in run.result["rebuilt"]]
    files = [build_dir / "html" / f"{n}.html" for n in names]
    files = [f for f in files if f.exists()]
    if not files:
        return [Figure(f"{label}: pipeline ÷ WeasyPrint alone", None, "×", "<=",
                       ENGINE_RATIO_TARGET, "no HTML output to measure")]
    engine = run_engine(files, content.resolve().as_uri() + "/")
    raw.setdefault("engine", {})[label] = engine
    t = engine["totals"]
    pipeline = run.build_seconds
    whole = len(files) == len(run.result["rebuilt"])
    figures = [
        Figure(f"{label}: WeasyPrint write_pdf alone, {len(files)} docs", t["weasyprint"], "s",
               note=f"HTML(string=html).write_pdf() on each target's HTML, sequentially in one "
                    f"warm process (import {engine['import_seconds']:.2f} s and first document "
                    f"{engine['warmup_seconds']:.2f} s not counted; {engine['load']})"),
        Figure(f"{label}: qdocs PDF writer alone (2 layouts)", t["qdocs_pdf"], "s",
               note=f"render_pdf on the same HTML: {t['qdocs_pdf'] / t['weasyprint']:.2f}× "
                    "WeasyPrint's single layout"),
        Figure(f"{label}: qdocs DOCX writer alone", t["qdocs_docx"], "s"),
    ]
    if t.get("python_docx"):
        figures.append(Figure(
            f"{label}: qdocs DOCX writer ÷ python-docx alone", t["qdocs_docx"] / t["python_docx"],
            "×", "<=", DOCX_FLOOR_TARGET,
            f"{t['qdocs_docx']:.2f} s ÷ {t['python_docx']:.2f} s: python-docx writing the same "
            "paragraphs, tables and chart pictures in its default styles"))
    if whole:
        cpu = run.result["cpu_seconds"]
        figures.append(Figure(
            f"{label}: pipeline ÷ WeasyPrint alone", pipeline / t["weasyprint"], "×", "<=",
            ENGINE_RATIO_TARGET,
            f"cold build() {pipeline:.2f} s wall (-j {run.result['workers']['processes']}, "
            f"all formats) ÷ {t['weasyprint']:.2f} s write_pdf alone, sequential; "
            f"pipeline ÷ (qdocs PDF + DOCX writers alone) = "
            f"{pipeline / (t['qdocs_pdf'] + t['qdocs_docx']):.2f}×"))
        figures.append(Figure(
            f"{label}: pipeline CPU ÷ WeasyPrint CPU", cpu / t["weasyprint_cpu"], "×",
            note=f"all processes of the cold build {cpu:.1f} s CPU ÷ {t['weasyprint_cpu']:.1f} s "
                 f"(qdocs PDF writer alone {t['qdocs_pdf_cpu']:.1f} s, DOCX writer alone "
                 f"{t['qdocs_docx_cpu']:.1f} s); CPU does not count others' load"))
    return figures


def review_figure(run: ChildRun, label: str) -> Figure:
    """The review site's share of a build's CPU: page images of the rebuilt PDFs (rendered
    in a thread while the workers run), comparisons and the site's pages; the note gives
    the wall time it adds after the last worker finished."""
    tail = run.result["stages"].get("review site")
    if tail is None or not run.result.get("cpu_seconds"):
        return Figure(f"{label}: review site, share of CPU", None, "%", "<=",
                      REVIEW_SHARE_TARGET, "not measured: qdocs.pipeline._write_index "
                      "was not called")
    images = run.result.get("page_images_cpu", 0.0)
    cpu = images + run.result.get("stages_cpu", {}).get("review site", 0.0)
    return Figure(
        f"{label}: review site, share of CPU", 100 * cpu / run.result["cpu_seconds"], "%",
        "<=", REVIEW_SHARE_TARGET,
        f"{cpu:.2f} s CPU of the build's {run.result['cpu_seconds']:.2f} s (page images "
        f"{images:.2f} s for {len(run.result['rebuilt'])} rebuilt targets, rendered while "
        f"the workers run; then comparisons and pages); wall after the workers "
        f"{tail:.2f} s of {run.build_seconds:.2f} s")


def _interpreter_floor(repeat: int) -> dict[str, float]:
    """Best wall of `qdocs --version` and of `python -c 'import qdocs.pipeline'`."""
    import sys

    out = {}
    for label, cmd in (("qdocs --version", qdocs_command() + ["--version"]),
                       ("import qdocs.pipeline", [sys.executable, "-c", "import qdocs.pipeline"])):
        out[label] = min(run_plain(cmd) for _ in range(repeat))
    return out


def _runs_note(values: list[float], load: str) -> str:
    if len(values) == 1:
        return f"1 run ({load})"
    return f"best of {len(values)}: " + ", ".join(f"{v:.2f}" for v in values) + f" s ({load})"


def _failures(run: ChildRun) -> str:
    failed = run.result["failed"]
    if not failed:
        return ""
    name, error = next(iter(failed.items()))
    return f"; {len(failed)} FAILED, e.g. {name}: {error[:200]}"
