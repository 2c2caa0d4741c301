"""Read a measured build (benchmarks.child's result): stage groups, worker steps, memory."""

from __future__ import annotations

# Parent-side stages grouped as the issue asks: load+validate+score | plan+keys+manifest |
# render+write. "report" (score summary, changes.json, index.html) is bookkeeping, so it
# goes with the manifest.
PLAN_STAGES = ("setup", "contexts", "keys", "manifest load", "plan", "manifest save", "report")


def stage_groups(result: dict) -> dict[str, float]:
    """A build's time in three groups, wall and CPU.

    - load+validate+score, and plan+keys+manifest: the parent's own work (CPU of its
      main thread, so others' load does not count);
    - render+write: the run phase, from the first job to the last outcome (wall); the
      parent saves the manifest inside it, between outcomes, so those saves overlap the
      workers' rendering and are counted in plan+keys+manifest as well;
    - worker CPU/wall: the workers' own time over all targets (html, pdf, docx, writes).
    """
    s, c = result["stages"], result.get("stages_cpu", {})
    workers = result["workers"]
    return {
        "load+validate+score": s.get("load+validate+score", 0.0),
        "plan+keys+manifest": sum(s.get(k, 0.0) for k in PLAN_STAGES),
        "render+write": s.get("run phase", s.get("render+write (wait)", 0.0)),
        "manifest save": s.get("manifest save", 0.0),
        "load_cpu": c.get("load+validate+score", 0.0),
        "plan_cpu": sum(c.get(k, 0.0) for k in PLAN_STAGES),
        "worker_cpu": sum(workers.get("targets_cpu", {}).values()),
        "worker_wall": sum(workers.get("targets", {}).values()),
    }


def stage_lines(result: dict, indent: str = "    ") -> list[str]:
    """Where a build's time went: parent stages (wall, and CPU where it differs), then
    the workers' steps summed over the workers."""
    s, c = result["stages"], result.get("stages_cpu", {})
    order = ["load+validate", "load+validate+score", "setup", "contexts", "keys",
             "manifest load", "plan", "run phase", "render+write (wait)", "manifest save",
             "report", "review site"]
    parts = []
    for key in order:
        if key not in s:
            continue
        wall, cpu, shown = s[key], c.get(key), key
        if key == "load+validate+score":
            shown = "score"
            wall -= s.get("load+validate", 0.0)
            cpu = None if cpu is None else cpu - c.get("load+validate", 0.0)
        text = f"{shown} {wall:.3f}"
        if cpu is not None and wall > 0.05 and abs(wall - cpu) > 0.1 * wall:
            text += f" (cpu {cpu:.3f})"
        calls = result["stage_calls"].get(key)
        parts.append(text + (f" ×{calls}" if calls and calls > 1 else ""))
    lines = [f"{indent}parent: " + ", ".join(parts)]
    steps = result["workers"]["steps"]
    if steps:
        shown = []
        for key in ("worker spawn", "worker init", "html (jinja)", "pdf", "docx", "html",
                    "write+fsync", "target total"):
            if key in steps:
                st = steps[key]
                shown.append(f"{key} {st['seconds']:.2f} (cpu {st.get('cpu', 0):.2f})"
                             f" ×{st['count']}")
        lines.append(f"{indent}workers (summed over {result['workers']['processes']} "
                     f"processes): " + ", ".join(shown))
    if result.get("missing_hooks"):
        lines.append(f"{indent}not timed (hooks missing): " + ", ".join(result["missing_hooks"]))
    return lines


def worker_memory(result: dict) -> dict:
    """Peak RSS per worker (VmHWM, MB), getrusage's max over children, the parent's peak,
    and each worker's anonymous RSS at its first and last sample (growth over its jobs)."""
    peaks = result.get("worker_peaks_kb", {})
    series = result.get("worker_rss_series_kb", {})
    growth = {}
    for pid, points in series.items():
        if len(points) >= 2 and pid in peaks:
            growth[pid] = {"first_anon_mb": points[0][2] / 1024,
                           "last_anon_mb": points[-1][2] / 1024,
                           "seconds": points[-1][0] - points[0][0]}
    # Workers are the children that logged work (others, e.g. a font lister, are not);
    # a worker that ended before the first sample has nothing to report.
    workers = {str(pid) for pid in result["workers"].get("pids", [])}
    peaks = {pid: v for pid, v in peaks.items()
             if v.get("VmHWM") and (not workers or pid in workers)}
    hwm = [v.get("VmHWM", 0) / 1024 for v in peaks.values()]
    anon = [v.get("RssAnon", 0) / 1024 for v in peaks.values()]
    pss = [v.get("Pss", 0) / 1024 for v in peaks.values()]
    private = [v.get("Private", 0) / 1024 for v in peaks.values()]
    return {
        "workers": len(peaks),
        "peak_mb": max(hwm) if hwm else None,
        "peak_anon_mb": max(anon) if anon else None,
        "peak_pss_mb": max(pss) if pss else None,
        "peak_private_mb": max(private) if private else None,
        "per_worker_peak_mb": sorted(hwm, reverse=True),
        "children_maxrss_mb": result["children_maxrss_kb"] / 1024,
        "parent_maxrss_mb": result["parent_maxrss_kb"] / 1024,
        "growth": growth,
    }


def memory_note(mem: dict) -> str:
    if mem["peak_mb"] is None:
        return ("no worker sampled (ran in-process?); getrusage children max "
                f"{mem['children_maxrss_mb']:.0f} MB")
    text = (f"VmHWM per worker {', '.join(f'{m:.0f}' for m in mem['per_worker_peak_mb'])} MB "
            f"(of which anonymous {mem['peak_anon_mb']:.0f} MB; Pss ≤ "
            f"{mem['peak_pss_mb']:.0f} MB, private ≤ {mem['peak_private_mb']:.0f} MB, sampled "
            f"each second; getrusage children max "
            f"{mem['children_maxrss_mb']:.0f} MB; parent peak {mem['parent_maxrss_mb']:.0f} MB, "
            "which a worker forked from the fork server does not start with)")
    if mem["growth"]:
        g = max(mem["growth"].values(), key=lambda v: v["last_anon_mb"] - v["first_anon_mb"])
        text += (f"; a worker's anonymous RSS went {g['first_anon_mb']:.0f} → "
                 f"{g['last_anon_mb']:.0f} MB over {g['seconds']:.0f} s")
    return text
