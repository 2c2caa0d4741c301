"""The manifest: what the last build made, kept in `<build>/manifest.json`.

For each target: its key, the key's components (to explain a rebuild) and the
hash of every output. Saved atomically after each finished target, so an
interrupted build leaves a manifest that describes files that really exist.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qdocs.writers.files import write_atomic

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 2


@dataclass
class Manifest:
    """Targets by name: {"key", "components", "outputs": {format: {"sha256"}}}; the content
    files' hashes at the last complete build (`inputs`, to say which file changed); each
    region's score summary (`scores`, to say whose score moved)."""

    path: Path
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)  # region → summary
    discarded: str | None = None     # why a manifest file found was not used
    _saved_at: float = field(default=0.0, repr=False)
    _save_cost: float = field(default=0.0, repr=False)

    @classmethod
    def load(cls, build_dir: Path) -> Manifest:
        """The previous manifest, or an empty one when there is none or it cannot be
        trusted (damaged, of another shape or format version): then `discarded` says why,
        and every target is rebuilt."""
        path = build_dir / MANIFEST_NAME
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError) as exc:
            return cls(path, discarded=f"it cannot be read ({exc})")
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            version = data.get("format") if isinstance(data, dict) else None
            return cls(path, discarded=f"it is of another format version ({version!r}, "
                                       f"this qdocs writes {FORMAT_VERSION})")
        targets, inputs, scores = (data.get(k, {}) for k in ("targets", "inputs", "scores"))
        fault = _shape_fault(targets, inputs, scores)
        if fault:
            return cls(path, discarded=f"it is damaged ({fault})")
        return cls(path, targets, inputs, scores)

    def save_now_and_then(self) -> None:
        """Save during a build, but spend at most about a tenth of the time on it.

        A save rewrites the whole file, so saving after every target is quadratic
        (measured: 74 s of 83 with 3,000 regions). Entries not yet saved only mean an
        interrupted build redoes those targets; an entry is never saved before its files.
        """
        if time.perf_counter() - self._saved_at >= 10 * self._save_cost:
            self.save()

    def save(self) -> None:
        """Write atomically, and not at all when nothing changed (a no-op build writes nothing)."""
        started = time.perf_counter()
        data = {"format": FORMAT_VERSION, "inputs": self.inputs, "scores": self.scores,
                "targets": dict(sorted(self.targets.items()))}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode("utf-8")
        try:
            if self.path.read_bytes() == text + b"\n":
                return
        except OSError:
            pass
        write_atomic(self.path, text + b"\n")
        self._saved_at = time.perf_counter()
        self._save_cost = self._saved_at - started


def _shape_fault(targets: Any, inputs: Any, scores: Any) -> str | None:
    """What in a parsed manifest is not of the shape this module writes, or None."""
    if not _mapping(inputs, str) or not _mapping(scores, dict):
        return "inputs or scores"
    if not _mapping(targets, dict):
        return "targets"
    for name, entry in targets.items():
        outputs = entry.get("outputs")
        components = entry.get("components")
        if not (isinstance(entry.get("key"), str) and isinstance(components, dict)
                and isinstance(components.get("templates", {}), dict)
                and _mapping(outputs, dict)
                and all(isinstance(o.get("sha256"), str) for o in outputs.values())):
            return f"the entry of {name}"
    return None


def _mapping(value: Any, kind: type) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, kind) for k, v in value.items())
