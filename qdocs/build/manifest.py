"""The manifest: what the last build made, kept in `<build>/manifest.json`.

For each target: its key, the key's components (to explain a rebuild) and the
hash of every output. Saved atomically after each finished target, so an
interrupted build leaves a manifest that describes files that really exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qdocs.writers.files import write_atomic

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


@dataclass
class Manifest:
    """Targets by name: {"key", "components", "outputs": {format: {"path", "sha256"}}}."""

    path: Path
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)  # region → summary

    @classmethod
    def load(cls, build_dir: Path) -> Manifest:
        """The previous manifest, or an empty one (a damaged file counts as none)."""
        path = build_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT_VERSION:
                return cls(path)
            return cls(path, data.get("targets", {}), data.get("scores", {}))
        except (OSError, ValueError, AttributeError):
            return cls(path)

    def save(self) -> None:
        """Write atomically, and not at all when nothing changed (a no-op build writes nothing)."""
        data = {"format": FORMAT_VERSION, "scores": self.scores,
                "targets": dict(sorted(self.targets.items()))}
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        try:
            if self.path.read_bytes() == text + b"\n":
                return
        except OSError:
            pass
        write_atomic(self.path, text + b"\n")
