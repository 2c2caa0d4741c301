"""The HTML preview: the semantic HTML as rendered, with its stylesheet inline."""

from __future__ import annotations

from pathlib import Path

from qdocs.writers.files import write_atomic


def write_html(html: str, dest: Path) -> None:
    """Write the single-source HTML as is (UTF-8)."""
    write_atomic(dest, html.encode("utf-8"))
