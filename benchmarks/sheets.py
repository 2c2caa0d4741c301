"""Score sheets at scale: N synthetic regions' sheets out, then every one read back in.

`bench_sheets` generates a synthetic project (benchmarks.synth), then runs the
measurement in a fresh interpreter (`python -m benchmarks.sheets CONTENT OUT`), as
the other figures do. The child times `qdocs sheets out` for every region, then
deletes the assessments and times `qdocs sheets in` of all the sheets — every cell
checked, every file written anew, the whole province scored — and checks that
the inputs read back equal the ones written out. Per sheet it reports wall time
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
                  f"{raw['load']}")))
    return figures, raw


def _child(content: Path, out: Path) -> dict:
    from qdocs.sheets.apply import sheets_in, sheets_out
    from qdocs.sheets.project import load_sheets_project

    before = load_sheets_project(content).assessments
    result = {}
    t, c = time.perf_counter(), time.process_time()
    paths = sheets_out(content, out, [], False, lambda line: None)
    result["out"] = _per(len(paths), t, c)
    shutil.rmtree(content / "assessments")
    (content / "assessments").mkdir()
    t, c = time.perf_counter(), time.process_time()
    sheets_in(content, paths, False, lambda line: None)
    result["in"] = _per(len(paths), t, c)
    after = load_sheets_project(content).assessments
    fields = ("items", "bonuses", "penalties", "vetoes")
    wrong = [code for code, a in before.items()
             if any(getattr(a, f) != getattr(after[code], f) for f in fields)]
    if wrong or len(after) != len(before):
        raise SystemExit(f"round trip differs for {len(wrong)} regions, e.g. {wrong[:3]}")
    result["regions"] = len(paths)
    return result


def _per(n: int, t: float, c: float) -> dict:
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return {"wall_s": wall, "wall_ms": 1000 * wall / n, "cpu_ms": 1000 * cpu / n}


if __name__ == "__main__":
    print(json.dumps(_child(Path(sys.argv[1]), Path(sys.argv[2]))))
