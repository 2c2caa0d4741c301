"""Helpers for the review and serve tests: a small copy of the example (a few regions,
so a build with PDFs takes seconds) and a rule edit that moves every region's score.

Imported by tests/test_review_*.py and tests/test_serve_browser.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content"
KEEP = ("420100", "420200", "420300", "420500")


def small_example(dest: Path, keep: tuple[str, ...] = KEEP, *, bind_annexes: bool = True) -> Path:
    """The bundled example with only the regions `keep` (and their assessments); without
    `bind_annexes` the notice does not bind the annexes (4 pages, not 22, and a rule edit
    does not rebuild it)."""
    content = dest / "content"
    shutil.copytree(EXAMPLE, content)
    if not bind_annexes:
        notice = content / "notice.yaml"
        text = notice.read_text(encoding="utf-8")
        bound = "attachments: [annex-1, annex-2]\n"
        assert bound in text, "the example's notice.yaml changed shape"
        notice.write_text(text.replace(bound, "attachments: []\n"), encoding="utf-8")
    text = (content / "regions.yaml").read_text(encoding="utf-8")
    head, rest = text.split("regions:\n", 1)
    entries = rest.split("  - code: ")
    kept = [e for e in entries[1:] if e.strip('"')[:6] in keep]
    assert len(kept) == len(keep), "the example's regions.yaml changed shape"
    (content / "regions.yaml").write_text(
        head + "regions:\n" + "".join("  - code: " + e for e in kept), encoding="utf-8")
    for path in (content / "assessments").glob("*.yaml"):
        if path.stem not in keep:
            path.unlink()
    return content


def move_a_point(content: Path) -> None:
    """Scoring rules: one point from 制造业产品质量合格率 (8) to 食品安全监督抽检合格率 (6,
    scored in proportion), so every region's score and card change."""
    rules = content / "scoring_rules.yaml"
    text = rules.read_text(encoding="utf-8")
    for name, old, new in (("制造业产品质量合格率", 8, 7), ("食品安全监督抽检合格率", 6, 7)):
        before = f"name: {name}\n            points: {old}\n"
        assert before in text
        text = text.replace(before, f"name: {name}\n            points: {new}\n", 1)
    rules.write_text(text, encoding="utf-8")
