"""The machine the figures were measured on, and how busy other processes kept it.

Figures from a shared machine mean little without the load beside them, so every
measurement can be wrapped in a `CpuMeter`: the CPU time all processes used
(/proc/stat) minus what this harness and its children used (getrusage) is the
time others took, reported in cores.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
from dataclasses import dataclass
from importlib import metadata

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_info() -> dict:
    """nproc, CPU model, memory, Python, WeasyPrint and friends, load, relevant env."""
    info = {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_mb": _meminfo("MemTotal") // 1024 if _meminfo("MemTotal") else None,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
    for dist in ("qdocs", "weasyprint", "pydyf", "python-docx", "jinja2", "pydantic", "pyyaml"):
        try:
            info[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info[dist] = None
    try:
        import yaml

        info["libyaml"] = bool(yaml.__with_libyaml__)
    except ImportError:
        info["libyaml"] = None
    from qdocs.fonts import harfbuzz_subset_available

    info["harfbuzz_subset"] = harfbuzz_subset_available()
    # Set here, it makes every interpreter recompile qdocs' modules at start (no .pyc).
    info["PYTHONDONTWRITEBYTECODE"] = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return info


def _cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _meminfo(key: str) -> int | None:
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _proc_stat() -> tuple[float, float] | None:
    """(busy, steal) seconds of all CPUs since boot."""
    try:
        with open("/proc/stat", encoding="utf-8") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    steal = fields[7] if len(fields) > 7 else 0
    # guest time is already counted in user time
    busy = sum(fields[:8]) - idle - steal
    return busy / _TICK, steal / _TICK


def _own_cpu() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


@dataclass
class Load:
    """Other processes' CPU use during a measurement, in cores (0 = the machine was ours)."""

    wall: float = 0.0
    others_cores: float | None = None
    steal_cores: float | None = None

    def describe(self) -> str:
        if self.others_cores is None:
            return "load unknown"
        text = f"others {self.others_cores:.2f} cores"
        if self.steal_cores:
            text += f", steal {self.steal_cores:.2f}"
        return text


class CpuMeter:
    """`with CpuMeter() as load: …` — afterwards `load` says how busy others kept the CPUs."""

    def __enter__(self) -> Load:
        self.load = Load()
        self._t = time.perf_counter()
        self._stat = _proc_stat()
        self._own = _own_cpu()
        return self.load

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self._t
        self.load.wall = wall
        stat = _proc_stat()
        if stat is None or self._stat is None or wall <= 0:
            return
        busy = stat[0] - self._stat[0]
        own = _own_cpu() - self._own
        # Children still running are not in getrusage yet; the harness waits for all.
        self.load.others_cores = max(0.0, (busy - own) / wall)
        self.load.steal_cores = (stat[1] - self._stat[1]) / wall


def describe_machine(info: dict) -> list[str]:
    """Lines for the report header."""
    lines = [
        f"machine: {info['nproc']} cores ({info['cpu_model']}), "
        f"{info['memory_mb']} MB, {info['platform']}",
        f"python {info['python']} ({sys.executable}); weasyprint {info['weasyprint']}, "
        f"pydyf {info['pydyf']}, python-docx {info['python-docx']}, jinja2 {info['jinja2']}, "
        f"pydantic {info['pydantic']}, pyyaml {info['pyyaml']} "
        f"(libyaml {'yes' if info['libyaml'] else 'no'}), "
        f"harfbuzz-subset {'yes' if info['harfbuzz_subset'] else 'NO'}",
    ]
    if info["loadavg"]:
        lines.append("load average at start: " + ", ".join(f"{x:.2f}" for x in info["loadavg"]))
    if info["PYTHONDONTWRITEBYTECODE"]:
        lines.append("note: PYTHONDONTWRITEBYTECODE is set, so each `qdocs` process compiles "
                     "qdocs' own modules from source (no .pyc cache)")
    return lines


def settle(max_wait: float, quiet_cores: float = 0.3, window: float = 1.0) -> float:
    """Wait (at most `max_wait` s) until other processes use under `quiet_cores` CPUs over a
    `window`; return the seconds waited. Called while this harness runs nothing."""
    waited = 0.0
    while waited < max_wait:
        with CpuMeter() as load:
            time.sleep(window)
        waited += load.wall
        if load.others_cores is None or load.others_cores < quiet_cores:
            break
    return waited
