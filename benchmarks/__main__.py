"""`python -m benchmarks [--quick] [--scale 300,3000] [--json FILE]` from the repository root.

Prints the machine, then one table of every figure beside its target, then where
the time went in the measured builds. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.example import bench_example
from benchmarks.machine import describe_machine, machine_info
from benchmarks.report import Figure, print_table, write_json
from benchmarks.routes import bench_routes
from benchmarks.runs import live_code, set_settle, use_snapshot
from benchmarks.scale import bench_scale
from benchmarks.sheets import bench_sheets
from benchmarks.synth import MAX_REGIONS

QUICK_SIZES = "20,60"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from qdocs.build.runner import default_jobs

    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true",
                   help=f"a smoke run: one repeat, scale sizes {QUICK_SIZES}, a small engine "
                        "sample")
    p.add_argument("--scale", default=None, metavar="N,N",
                   help="synthetic region counts, comma-separated; 0 skips the scale run "
                        f"[default: 300,3000; with --quick {QUICK_SIZES}]")
    p.add_argument("--repeat", type=int, default=None,
                   help="runs of each short figure; the best counts [default: 3; --quick 1]")
    p.add_argument("-j", "--jobs", type=int, default=default_jobs(),
                   help="worker processes, as `qdocs build -j` [default: the cores]")
    p.add_argument("--cards", default="auto", metavar="auto|all|K",
                   help="cards built per scale size: auto (all unless estimated over the "
                        "budget, then the first 200), all, or the first K")
    p.add_argument("--budget", type=float, default=600.0,
                   help="seconds a scale size may take before auto builds a subset [600]")
    p.add_argument("--engine-sample", type=int, default=None,
                   help="cards per scale size timed in the engines alone [20; --quick 5]")
    p.add_argument("--only", choices=("example", "routes", "scale", "sheets"), default=None,
                   help="run only the example figures, the other routes (LibreOffice, "
                        "--version, Dask), the scale run or the score sheets")
    p.add_argument("--sheets", type=int, default=None, metavar="N",
                   help="regions whose score sheets go out and back in [3000; --quick 100; "
                        "0 skips]")
    p.add_argument("--json", type=Path, default=None, metavar="FILE",
                   help="also write every figure (and the raw timings) as JSON to FILE")
    p.add_argument("--keep", type=Path, default=None, metavar="DIR",
                   help="work in DIR and keep the generated content and builds")
    p.add_argument("--live", action="store_true",
                   help="measure the working tree as it is, not a snapshot taken at the start "
                        "(others' edits during the run then change build keys)")
    p.add_argument("--settle", type=float, default=15.0, metavar="S",
                   help="before each measured process, wait up to S seconds for other "
                        "processes to leave the CPUs [15; 0: do not wait]")
    args = p.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.engine_sample = args.engine_sample or (5 if args.quick else 20)
    if args.sheets is None:
        args.sheets = 100 if args.quick else 3000
    sizes = args.scale if args.scale is not None else (QUICK_SIZES if args.quick else "300,3000")
    try:
        args.sizes = sorted({int(x) for x in sizes.split(",") if x.strip() and int(x) > 0})
    except ValueError:
        p.error(f"--scale wants numbers like 300,3000; got {sizes!r}")
    if any(n > MAX_REGIONS for n in args.sizes):
        p.error(f"at most {MAX_REGIONS} synthetic regions")
    if args.cards == "auto":
        args.subset = None
    elif args.cards == "all":
        args.subset = 0
    elif args.cards.isdigit() and int(args.cards) > 0:
        args.subset = int(args.cards)
    else:
        p.error("--cards wants auto, all or a positive number")
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine_info()
    for line in describe_machine(info):
        print(line)
    print(f"runs: best of {args.repeat} for the short figures; -j {args.jobs}; "
          f"scale sizes {', '.join(map(str, args.sizes)) or 'none'}; each measured process "
          f"waits up to {args.settle:.0f} s for the CPUs to go quiet")
    work = args.keep or Path(tempfile.mkdtemp(prefix="qdocs-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    code = live_code() if args.live else use_snapshot(work / "code")
    set_settle(args.settle)
    print(f"code measured: {code}")
    info["code"] = code
    figures: list[Figure] = []
    raw: dict = {}
    started = time.perf_counter()
    try:
        if args.only in (None, "sheets") and args.sheets:
            found, raw["sheets"] = bench_sheets(work / "sheets", args.sheets, log=log)
            figures += found
        if args.only in (None, "example"):
            found, raw["example"] = bench_example(work / "example", repeat=args.repeat,
                                                  jobs=args.jobs, log=log)
            figures += found
        if args.only in (None, "routes"):
            found, raw["routes"] = bench_routes(work / "routes", repeat=args.repeat,
                                                jobs=args.jobs, log=log)
            figures += found
        if args.only in (None, "scale") and args.sizes:
            found, raw["scale"] = bench_scale(work / "scale", args.sizes, jobs=args.jobs,
                                              subset=args.subset, budget=args.budget,
                                              engine_sample=args.engine_sample, log=log)
            figures += found
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print_table(figures)
    _print_breakdown(raw)
    missed = [f.name for f in figures if f.status == "NOT MET"]
    print(f"\n{len(missed)} of {sum(f.status in ('met', 'NOT MET') for f in figures)} targets "
          f"missed; the run took {time.perf_counter() - started:.0f} s")
    if args.json:
        options = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
        write_json(args.json, info, options, figures, {"raw": raw})
        print(f"figures written to {args.json}")
    return 0


def _print_breakdown(raw: dict) -> None:
    """Where the time went: parent stages and worker steps of each measured build."""
    print("\nwhere the time went (seconds; worker steps summed over the workers):")
    example = raw.get("example", {}).get("breakdown", {})
    for label in ("cold", "no-op", "edit"):
        if label in example:
            print(f"  example {label}:")
            for line in example[label]:
                print(f"    {line}")
    for size, data in raw.get("scale", {}).items():
        if not size.isdigit():
            continue
        for label, lines in data["breakdown"].items():
            print(f"  {size} regions {label}:")
            for line in lines:
                print(f"    {line}")


if __name__ == "__main__":
    sys.exit(main())
