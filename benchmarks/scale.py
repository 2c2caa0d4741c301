"""Scale runs: synthetic projects of N regions, built cold, then rebuilt with no change.

Each size is generated into a temporary folder, built in a fresh interpreter with
its stages timed, then rebuilt with nothing changed. Every region is always loaded,
validated, scored and planned; when building every card would take longer than the
budget (estimated from the previous size), only the first `subset` cards are built,
through explicit targets, and the figures say so; the bulletin (whose ranking table
grows with N) is then built on its own, so its time shows apart from the cards'.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.example import engine_figures
from benchmarks.report import Figure
from benchmarks.runs import run_child, run_cli
from benchmarks.summary import memory_note, stage_groups, stage_lines, worker_memory
from benchmarks.synth import make_synthetic

CARDS_PER_SECOND_TARGET = 10.0
MEMORY_TARGET_MB = 250.0   # issue 13: "≤ 250 MB at 3,000 regions (today ~200: keep it)"
BULLETIN_TARGET = 1.2   # `build --format pdf bulletin` ÷ WeasyPrint alone on its HTML
NOOP_CLI_TARGET = 0.5   # seconds: `qdocs build` with nothing changed (the stamp's fast path)
FLAT_TARGET = 1.25     # time per region (or per card) at the largest size ÷ at the smallest
UNPLANNED_SUBSET = 500  # with no earlier size to estimate from, larger sizes build a subset
DEFAULT_SUBSET = 200    # cards built when all would take longer than the budget


def bench_scale(tmp: Path, sizes: list[int], *, jobs: int, subset: int | None, budget: float,
                engine_sample: int, log) -> tuple[list[Figure], dict]:
    """Figures per size, then the flatness figures between the smallest and largest size."""
    figures: list[Figure] = []
    raw: dict = {}
    per_size: dict[int, dict] = {}
    previous: dict | None = None
    for n in sizes:
        content = tmp / f"scale-{n}"
        t = time.perf_counter()
        codes = make_synthetic(content, n)
        generated = time.perf_counter() - t
        targets, why = _choose_targets(n, codes, subset, budget, previous)
        log(f"scale {n}: generated in {generated:.1f} s; building "
            f"{'all targets' if targets is None else f'{len(targets)} targets'} ({why})")
        build_dir = tmp / f"scale-{n}-build"
        cold = run_child(content, build_dir, jobs=jobs, targets=targets)
        log(f"scale {n}: cold build() {cold.build_seconds:.1f} s; no-op rebuild")
        noop = run_child(content, build_dir, jobs=jobs, targets=targets)
        cli_noop = run_cli(content, build_dir, jobs=jobs, extra=targets or [])
        bulletin = None
        if targets is not None:
            log(f"scale {n}: the bulletin on its own")
            bulletin = run_child(content, build_dir, jobs=jobs, targets=["bulletin"])
        log(f"scale {n}: the bulletin alone as PDF, cold")
        bulletin_pdf = run_child(content, tmp / f"scale-{n}-bulletin", jobs=jobs,
                                 targets=["bulletin"], formats=["pdf"])
        built = [name for name, _ in cold.result["rebuilt"]
                 if name not in cold.result["failed"]]
        built_apart = []
        if bulletin is not None and not bulletin.result["failed"]:
            built_apart = ["bulletin"]
        cards = [name for name in built if name.startswith("card-")]
        groups = stage_groups(cold.result)
        count = max(1, len(built))
        stats = {
            "regions": n, "cards_built": len(cards), "targets_built": len(built),
            "subset": targets is not None, "why": why, "generate_seconds": generated,
            "build_seconds": cold.build_seconds, "groups": groups,
            "load_per_region": groups["load+validate+score"] / n,
            "load_cpu_per_region": groups["load_cpu"] / n,
            "plan_per_target": groups["plan+keys+manifest"] / count,
            "plan_cpu_per_target": groups["plan_cpu"] / count,
            "render_per_target": groups["render+write"] / count,
            "worker_cpu_per_target": groups["worker_cpu"] / count,
            "manifest_save": groups["manifest save"],
            "noop_seconds": noop.build_seconds,
            "noop_cpu": noop.result["cpu_seconds"],
            "bulletin_seconds": bulletin.build_seconds if bulletin else None,
        }
        per_size[n] = stats
        raw[str(n)] = {"stats": stats, "cold": cold.result, "noop": noop.result,
                       "bulletin": bulletin.result if bulletin else None,
                       "breakdown": {"cold": stage_lines(cold.result, ""),
                                     "no-op": stage_lines(noop.result, "")}}
        figures += _size_figures(n, cold, noop, stats)
        figures.append(Figure(
            f"{n} regions: no-op `qdocs build` wall", cli_noop.wall, "s", "<=", NOOP_CLI_TARGET,
            f"the CLI as a user runs it, after the cold build: "
            f"{cli_noop.output.splitlines()[-1] if cli_noop.output else 'no output'}"
            + ("" if "nothing changed" in cli_noop.output else " (NOT the fast path)")))
        sample = cards[:engine_sample] + [b for b in built + built_apart if b == "bulletin"]
        log(f"scale {n}: the engines' own time on {len(sample)} of the documents")
        figures += engine_figures(cold, build_dir, content, label=f"{n} regions", raw=raw,
                                  names=sample)
        figures += _per_document(n, cold, bulletin, raw["engine"].get(f"{n} regions"),
                                 bulletin_pdf)
        previous = stats
    if len(per_size) >= 2:
        figures += _flatness(per_size[min(per_size)], per_size[max(per_size)])
    raw["per_size"] = per_size
    return figures, raw


def _choose_targets(n: int, codes: list[str], subset: int | None, budget: float,
                    previous: dict | None) -> tuple[list[str] | None, str]:
    """All targets, or the first `subset` cards and the bulletin, with the reason."""
    def first(k: int) -> list[str]:
        return [f"card-{c}" for c in codes[:k]]

    if subset == 0:
        return None, "all cards: asked for"
    if subset is not None:
        if subset >= n:
            return None, "all cards"
        return first(subset), f"the first {subset} cards: asked for"
    if previous is None:
        if n <= UNPLANNED_SUBSET:
            return None, "all cards"
        return first(DEFAULT_SUBSET), (f"no earlier size to estimate from: the first "
                                       f"{DEFAULT_SUBSET} cards")
    scale = n / previous["regions"]
    estimate = (previous["render_per_target"] * n
                + previous["load_per_region"] * n
                + (previous["groups"]["plan+keys+manifest"] - previous["manifest_save"]) * scale
                + previous["manifest_save"] * scale * scale)   # saved once per target: O(n²)
    if estimate <= budget:
        return None, f"all cards: estimated {estimate:.0f} s ≤ budget {budget:.0f} s"
    k = DEFAULT_SUBSET
    return first(k), (f"all {n} cards estimated at {estimate:.0f} s > budget {budget:.0f} s "
                      f"(from {previous['regions']} regions): the first {k} cards, "
                      f"every region still loaded, scored and planned")


def _size_figures(n: int, cold, noop, s: dict) -> list[Figure]:
    g = s["groups"]
    st = cold.result["stages"]
    calls = cold.result["stage_calls"]
    subset = (f"SUBSET: {s['cards_built']} of {n} cards" if s["subset"]
              else f"all {s['cards_built']} cards")
    rate = s["cards_built"] / g["render+write"] if g["render+write"] else None
    jobs = cold.result.get("jobs", 1)
    bound = (f"; at most {jobs / s['worker_cpu_per_target']:.1f} cards/s with -j {jobs} at "
             f"the workers' {s['worker_cpu_per_target']:.2f} s CPU per target"
             if s["worker_cpu_per_target"] else "")
    mem = worker_memory(cold.result)
    failed = cold.result["failed"]
    fail_note = (f"; {len(failed)} FAILED, e.g. {next(iter(failed))}: "
                 f"{next(iter(failed.values()))[:160]}" if failed else "")
    return [
        Figure(f"{n} regions: cards/s, all formats", rate, "cards/s", ">=",
               CARDS_PER_SECOND_TARGET,
               f"{subset} over the render+write phase ({g['render+write']:.1f} s wall); "
               f"end to end build() {s['build_seconds']:.1f} s{bound}; {cold.load.describe()}"
               + fail_note),
        Figure(f"{n} regions: load+validate+score", g["load+validate+score"], "s",
               note=f"CPU {1000 * s['load_cpu_per_region']:.2f} ms per region (load+validate "
                    f"{st.get('load+validate', 0):.2f} s, score "
                    f"{st.get('load+validate+score', 0) - st.get('load+validate', 0):.2f} s "
                    "wall)"),
        Figure(f"{n} regions: plan+keys+manifest", g["plan+keys+manifest"], "s",
               note=f"CPU {1000 * s['plan_cpu_per_target']:.1f} ms per built target: contexts "
                    f"{st.get('contexts', 0):.2f} s, keys {st.get('keys', 0):.2f} s "
                    f"(×{calls.get('keys', 0)}), plan {st.get('plan', 0):.2f} s, manifest "
                    f"saves {st.get('manifest save', 0):.2f} s (×{calls.get('manifest save', 0)};"
                    f" done between outcomes, inside the render+write phase), report "
                    f"{st.get('report', 0):.2f} s"),
        Figure(f"{n} regions: render+write", g["render+write"], "s",
               note=f"wall from the first job to the last outcome, -j; the workers' CPU "
                    f"{s['worker_cpu_per_target']:.2f} s per target (html+pdf+docx+writes)"),
        Figure(f"{n} regions: no-op rebuild, build()", s["noop_seconds"], "s",
               note="; ".join(stage_lines(noop.result, "")).replace("parent: ", "")),
        Figure(f"{n} regions: peak RSS per worker", mem["peak_mb"], "MB", "<=", MEMORY_TARGET_MB,
               memory_note(mem)),
    ]


def _per_document(n: int, cold, bulletin, engine: dict | None,
                  bulletin_pdf=None) -> list[Figure]:
    """A card's CPU in a worker (all formats) beside WeasyPrint's alone, and the bulletin."""
    if engine is None:
        return []
    out = []
    cpu = dict(cold.result["workers"].get("targets_cpu", {}))
    wall = dict(cold.result["workers"]["targets"])
    if bulletin is not None:
        cpu.update(bulletin.result["workers"].get("targets_cpu", {}))
        wall.update(bulletin.result["workers"]["targets"])
    cards = [k for k in engine["files"] if k.startswith("card-") and k in cpu]
    if cards:
        worker = sum(cpu[c] for c in cards) / len(cards)
        alone = sum(engine["files"][c]["weasyprint_cpu"] for c in cards) / len(cards)
        out.append(Figure(
            f"{n} regions: a card's CPU in a worker ÷ WeasyPrint alone", worker / alone, "×",
            note=f"{worker:.2f} s CPU per card in a worker (html+pdf+docx+writes) vs "
                 f"{alone:.2f} s for write_pdf alone, over {len(cards)} cards "
                 f"(wall in the worker {sum(wall[c] for c in cards) / len(cards):.2f} s)"))
    if "bulletin" in engine["files"]:
        b = engine["files"]["bulletin"]
        out.append(Figure(
            f"{n} regions: bulletin, WeasyPrint alone", b["weasyprint"], "s",
            note=f"{n}-row ranking table; qdocs PDF writer {b.get('qdocs_pdf', 0):.1f} s, "
                 f"DOCX writer {b.get('qdocs_docx', 0):.1f} s; in a worker "
                 f"{wall.get('bulletin', 0):.1f} s"
                 + (f"; built on its own: build() {bulletin.build_seconds:.1f} s"
                    if bulletin else "")))
        if bulletin_pdf is not None and not bulletin_pdf.result["failed"]:
            st = bulletin_pdf.result["stages"]
            out.append(Figure(
                f"{n} regions: the bulletin alone, `build --format pdf` ÷ WeasyPrint alone",
                bulletin_pdf.wall / b["weasyprint"], "×", "<=", BULLETIN_TARGET,
                f"a fresh process building only the bulletin, cold, -j "
                f"{bulletin_pdf.result['jobs']}: {bulletin_pdf.wall:.1f} s (build() "
                f"{bulletin_pdf.build_seconds:.1f} s: "
                f"load+validate+score {st.get('load+validate+score', 0):.1f} s, contexts "
                f"{st.get('contexts', 0):.1f} s, keys {st.get('keys', 0):.1f} s) ÷ "
                f"{b['weasyprint']:.1f} s write_pdf alone (import not counted)"))
    return out


def _flatness(small: dict, large: dict) -> list[Figure]:
    """Per region (or per built target) at the largest size ÷ at the smallest, in CPU
    seconds where they can be had, so that others' load on the machine does not count."""
    a, b = small["regions"], large["regions"]
    rows = [
        ("load+validate+score CPU per region", small["load_cpu_per_region"],
         large["load_cpu_per_region"]),
        ("plan+keys+manifest CPU per built target", small["plan_cpu_per_target"],
         large["plan_cpu_per_target"]),
        ("render+write worker CPU per built target", small["worker_cpu_per_target"],
         large["worker_cpu_per_target"]),
        ("no-op rebuild CPU per region", small["noop_cpu"] / a, large["noop_cpu"] / b),
    ]
    out = []
    for label, x, y in rows:
        out.append(Figure(
            f"flat {a}→{b}: {label}", y / x if x else None, "×", "<=", FLAT_TARGET,
            f"{1000 * x:.2f} → {1000 * y:.2f} ms"))
    return out
