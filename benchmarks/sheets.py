"""Score sheets at scale: N synthetic regions' sheets out, then every one read back in.

`bench_sheets` generates a synthetic project (benchmarks.synth), then runs the
measurement in a fresh interpreter (`python -m benchmarks.sheets CONTENT OUT`), as
the other figures do. The child runs the stages of `qdocs sheets out` for every
region, then deletes the assessments and runs those of `qdocs sheets in` on all
the sheets — every cell checked, every file written anew, the whole province
scored — timing each stage, and checks that the inputs read back equal the ones
written out. Per sheet it reports wall time
and this process's CPU time: on a shared machine the wall time includes waiting
for the CPU, the CPU time does not.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.machine import CpuMeter
from benchmarks.report import Figure
from benchmarks.runs import _CODE, _prepare
from benchmarks.synth import make_synthetic

TARGET_MS = 20.0


def bench_sheets(tmp: Path, count: int, log) -> tuple[list[Figure], dict]:
    """Sheets out and back in for `count` synthetic regions; figures per sheet each way."""
    content = tmp / f"sheets-{count}"
    make_synthetic(content, count)
    log(f"sheets: {count} regions out and back in")
    with tempfile.TemporaryDirectory(prefix="qdocs-bench-sheets-") as out:
        _prepare()
        with CpuMeter() as load:
            proc = subprocess.run([sys.executable, "-m", "benchmarks.sheets", str(content), out],
                                  cwd=_CODE["root"], env=_CODE["env"], capture_output=True,
                                  text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"sheets benchmark failed:\n{proc.stderr[-3000:]}")
    raw = json.loads(proc.stdout)
    raw["load"] = load.describe()
    figures = []
    for way in ("out", "in"):
        r = raw[way]
        figures.append(Figure(
            f"sheets {way}, {count} regions: per sheet", r["wall_ms"], "ms", "<=", TARGET_MS,
            note=(f"{r['cpu_ms']:.1f} ms CPU a sheet; {r['wall_s']:.1f} s for {count}; "
                  f"{raw['load']}; " + "; ".join(r["stages"]))))
    return figures, raw


def _child(content: Path, out: Path) -> dict:
    """Both commands, stage by stage, as `qdocs sheets out` and `qdocs sheets in` run them."""
    from qdocs.sheets.apply import merge, read_files
    from qdocs.sheets.diff import score_movements
    from qdocs.sheets.out import write_region_sheets
    from qdocs.sheets.project import load_sheets_project
    from qdocs.sheets.write import write_text
    from qdocs.sheets.yamlwrite import assessment_yaml

    clock = _Clock()
    with clock("out", "load the project and its assessments"):
        project = load_sheets_project(content)
    before = project.assessments
    with clock("out", "write the sheets"):
        paths = write_region_sheets(project, project.codes, out)
    shutil.rmtree(content / "assessments")
    (content / "assessments").mkdir()
    with clock("in", "load the project"):
        project = load_sheets_project(content)
    with clock("in", "read and check every cell"):
        intake, problems = read_files(project, paths)
    if problems:
        raise SystemExit(f"{len(problems)} problems, e.g. {problems[0]}")
    with clock("in", "merge, score, write the YAML"):
        new = merge(project, intake)
        score_movements(project, new)
        for code, a in new.items():
            write_text(project.assessment_path(code), assessment_yaml(None, None, a, code))
    after = load_sheets_project(content).assessments
    fields = ("items", "bonuses", "penalties", "vetoes")
    wrong = [code for code, a in before.items()
             if any(getattr(a, f) != getattr(after[code], f) for f in fields)]
    if wrong or len(after) != len(before):
        raise SystemExit(f"round trip differs for {len(wrong)} regions, e.g. {wrong[:3]}")
    return clock.result(len(paths))


class _Clock:
    """Wall and CPU seconds per stage, grouped by direction."""

    def __init__(self) -> None:
        self.stages: dict[str, list[tuple[str, float, float]]] = {"out": [], "in": []}

    def __call__(self, way: str, label: str):
        clock = self

        class _Span:
            def __enter__(self):
                self.t, self.c = time.perf_counter(), time.process_time()

            def __exit__(self, *exc):
                clock.stages[way].append((label, time.perf_counter() - self.t,
                                          time.process_time() - self.c))

        return _Span()

    def result(self, n: int) -> dict:
        out: dict = {"regions": n}
        for way, stages in self.stages.items():
            wall = sum(w for _, w, _ in stages)
            cpu = sum(c for _, _, c in stages)
            out[way] = {"wall_s": wall, "wall_ms": 1000 * wall / n, "cpu_ms": 1000 * cpu / n,
                        "stages": [f"{label}: {1000 * w / n:.1f} ms wall, {1000 * c / n:.1f} ms "
                                   "CPU a sheet" for label, w, c in stages]}
        return out


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]), Path(sys.argv[2]))))
