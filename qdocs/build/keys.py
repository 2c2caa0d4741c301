"""Build keys: a hash of exactly what a target is made from, kept per component.

A target's key covers its context data, every template it uses (through extends
and include), the stylesheet, the layout profile, the font files, the metadata
date and the qdocs code. The components are kept apart in the manifest so a
rebuild can say which one changed. Content is hashed, never modification times.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import qdocs


def hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_file(path: Path) -> str:
    return hash_bytes(path.read_bytes())


def hash_data(data: Any) -> str:
    """Canonical JSON of plain data (sorted keys), hashed."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hash_bytes(text.encode("utf-8"))


# The parts of qdocs whose code decides what an output holds; a change elsewhere (the CLI,
# the checker, the build planner) rebuilds nothing.
OUTPUT_CODE = ("content", "scoring", "render", "writers", "profile", "fonts.py")


def code_fingerprint() -> str:
    """The qdocs version and the hash of the code that makes outputs, so a change rebuilds."""
    root = Path(qdocs.__file__).parent
    h = hashlib.sha256(qdocs.__version__.encode())
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).parts
        if (path.suffix in (".py", ".yaml") and "__pycache__" not in rel
                and rel[0] in OUTPUT_CODE):
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def target_components(context: dict[str, Any], templates: dict[str, Path],
                      shared: dict[str, str]) -> dict[str, Any]:
    """The key's components for one target: its own, plus those all targets share."""
    return {
        "context": hash_data(context),
        "templates": {name: hash_file(path) for name, path in templates.items()},
        **shared,
    }


def key_of(components: dict[str, Any]) -> str:
    return hash_data(components)
