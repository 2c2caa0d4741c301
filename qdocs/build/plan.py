"""Decide which targets are stale, and say why (doit's dependency.py, for documents).

Pure: takes the targets' keys and the previous manifest, returns jobs with reasons;
it reads output files only to hash them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qdocs.build.keys import hash_file
from qdocs.build.manifest import Manifest


@dataclass(frozen=True)
class Job:
    name: str
    reason: str


def output_path(build_dir: Path, fmt: str, name: str) -> Path:
    """`build/<format>/<target>.<ext>`: stable ASCII names that scripts and links rely on."""
    return build_dir / fmt / f"{name}.{fmt}"


def source_hashes(inputs: dict[str, str], sources: tuple[str, ...]) -> dict[str, str]:
    """The content files (of `inputs`) that a target's sources name: files or folders/."""
    return {f: h for f, h in inputs.items()
            if any(f == s or (s.endswith("/") and f.startswith(s)) for s in sources)}


def changed_files(inputs: dict[str, str], old: dict[str, str]) -> list[str]:
    return [f for f in sorted(set(inputs) | set(old)) if inputs.get(f) != old.get(f)]


def plan_jobs(names: list[str], components: dict[str, dict[str, Any]], keys: dict[str, str],
              sources: dict[str, tuple[str, ...]], inputs: dict[str, str],
              manifest: Manifest, build_dir: Path, formats: list[str],
              force: bool) -> list[Job]:
    """Targets to rebuild, each with the first reason found.

    Which content files changed is worked out once per distinct source list (all cards
    share one), against the inputs the manifest recorded at the last complete build.
    """
    changed_by_sources: dict[tuple[str, ...], list[str]] = {}
    jobs = []
    for name in names:
        src = sources[name]
        if src not in changed_by_sources:
            changed_by_sources[src] = changed_files(source_hashes(inputs, src),
                                                    source_hashes(manifest.inputs, src))
        reason = "forced" if force else _reason(
            name, components[name], keys[name], changed_by_sources[src],
            manifest, build_dir, formats)
        if reason:
            jobs.append(Job(name, reason))
    return jobs


def _reason(name, comps, key, changed, manifest, build_dir, formats) -> str | None:
    old = manifest.targets.get(name)
    if old is None:
        return "new target"
    if old.get("key") != key:
        return _what_changed(comps, old.get("components", {}), changed)
    for fmt in formats:
        recorded = old.get("outputs", {}).get(fmt)
        path = output_path(build_dir, fmt, name)
        if recorded is None or not path.is_file():
            return f"{fmt} output missing"
        if hash_file(path) != recorded["sha256"]:
            return f"{fmt} output altered since the last build"
    return None


def _what_changed(new: dict, old: dict, changed: list[str]) -> str:
    if new.get("context") != old.get("context"):
        if changed:
            return "content changed: " + ", ".join(changed)
        return "content changed"
    changed_templates = [t for t in sorted(set(new["templates"]) | set(old.get("templates", {})))
                         if new["templates"].get(t) != old.get("templates", {}).get(t)]
    if changed_templates:
        return "template changed: " + ", ".join(changed_templates)
    for part, label in (("stylesheet", "stylesheet changed"), ("profile", "layout profile changed"),
                        ("fonts", "font files changed"), ("created", "metadata date changed"),
                        ("formats", "formats changed"), ("code", "qdocs code changed")):
        if new.get(part) != old.get(part):
            return label
    return "key changed"
