"""What a build changed: score movements, `changes.json` and the HTML index page.

Written only when their content differs from what is on disk, so a build that
changes nothing writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qdocs.writers.files import write_atomic

ITEM_SCORES = "item-scores.json"   # <build>/: each region's items at the last good build


def score_summary(project, results) -> dict[str, dict[str, Any]]:
    """Per region: final score (as printed), grade and rank, to compare across builds."""
    if results is None:
        return {}
    names = {r.code: r.name for r in project.regions.regions}
    return {r.code: {"name": names[r.code], "final": str(r.final_display),
                     "grade": r.grade.code, "rank": r.rank} for r in results.regions}


def item_summary(project, results) -> dict[str, dict[str, Any]]:
    """Per region: every item's score, points, input, reason and name, and the bonus and
    penalty totals (kept beside the manifest, not in it: it is ten times its size)."""
    if results is None:
        return {}
    names = {r.code: r.name for r in project.regions.regions}
    return {r.code: {"name": names[r.code],
                     "items": {i.id: [str(i.score), str(i.points), i.shown, i.reason, i.name]
                               for i in r.items},
                     "bonus": str(r.bonus.total), "penalty": str(r.penalty.total)}
            for r in results.regions}


def load_item_summary(build_dir: Path) -> dict[str, dict[str, Any]]:
    """The item summary of the last good build (none when missing or damaged)."""
    try:
        data = json.loads((build_dir / ITEM_SCORES).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def item_summary_json(items: dict[str, dict[str, Any]]) -> bytes:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def diff_scores(old: dict[str, dict], new: dict[str, dict]) -> list[dict[str, Any]]:
    """Regions whose final score, grade or rank changed, old → new; none that did not."""
    changes = []
    if not old:
        return changes
    for code, now in new.items():
        before = old.get(code)
        if before is None:
            changes.append({"region": code, "name": now["name"], "field": "region",
                            "old": None, "new": "added",
                            "text": f"{now['name']} ({code}): new region"})
            continue
        for field, label in (("final", "final score"), ("grade", "grade"), ("rank", "rank")):
            if before.get(field) != now.get(field):
                changes.append({
                    "region": code, "name": now["name"], "field": field,
                    "old": before.get(field), "new": now.get(field),
                    "text": f"{now['name']} ({code}): {label} "
                            f"{_show(before.get(field))} → {_show(now.get(field))}"})
    return changes


def diff_items(old: dict[str, dict], new: dict[str, dict]) -> list[dict[str, Any]]:
    """Item by item, per region, what moved and why (its points, its input, the reason it
    loses points), then bonus and penalty totals; a summary saved before items were
    recorded has none to compare."""
    moves = []
    for code, now in new.items():
        before = old.get(code)
        if before is not None:
            moves += _item_moves(code, now, before)
    return moves


def _item_moves(code: str, now: dict, before: dict) -> list[dict[str, Any]]:
    moves = []
    if not isinstance(before, dict):
        return moves
    old_items = before.get("items") or {}
    for item_id, (score, points, shown, reason, name) in (now.get("items") or {}).items():
        was = old_items.get(item_id)
        if was is None or was[0] == score:
            continue
        why = []
        if was[1] != points:
            why.append(f"points {was[1]} → {points}")
        if was[2] != shown:
            why.append(f"input {was[2]} → {shown}")
        if reason:
            why.append(reason)
        moves.append({"region": code, "name": now["name"], "field": "item", "item": item_id,
                      "item_name": name, "old": was[0], "new": score, "why": "; ".join(why),
                      "text": f"{now['name']} ({code}): {item_id} {name} {was[0]} → {score}"
                              + (f" ({'; '.join(why)})" if why else "")})
    for field, label in (("bonus", "bonus"), ("penalty", "penalty")):
        if field in before and before[field] != now.get(field):
            moves.append({"region": code, "name": now["name"], "field": field,
                          "old": before[field], "new": now.get(field),
                          "text": f"{now['name']} ({code}): {label} "
                                  f"{before[field]} → {now.get(field)}"})
    return moves


def _show(value) -> str:
    return "unranked" if value is None else str(value)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` atomically unless the file already holds exactly it."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def changes_data(report) -> dict[str, Any]:
    """What the last build did, as plain data (changes.json and the index page)."""
    return {
        "rebuilt": [{"target": j.name, "reason": j.reason,
                     "status": "failed" if j.name in report.failed else "built"}
                    for j in report.rebuilt],
        "skipped": report.skipped,
        "failed": report.failed,
        "score_changes": report.score_changes,
        "item_changes": report.item_changes,
    }


def changes_json(report) -> bytes:
    return json.dumps(changes_data(report), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
