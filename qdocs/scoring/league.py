"""The league table as plain rows: for `qdocs scores` and scripts (--json).

Each row carries the whole computation of its region — every item's input, score,
points lost and reason, the subtotals, the bonus and penalty lines with the caps
applied, the vetoes, the final score exact and as published, grade and rank — so
a script can check every figure a card prints.
"""

from __future__ import annotations

from typing import Any

from qdocs.scoring.engine import display, exact_text


def league_rows(project, results) -> list[dict[str, Any]]:
    """One row per region in ranking order (unranked last); scores as printed (half-up)."""
    names = {r.code: r.name for r in project.regions.regions}
    p = results.precision
    rows = []
    for code in results.ranking:
        r = results.by_code[code]
        rows.append({
            "rank": r.rank, "code": code, "region": names[code],
            "final": str(r.final_display), "final_exact": exact_text(r.final),
            "grade": r.grade.code, "grade_name": r.grade.name,
            "base": str(display(r.base, p)), "bonus": str(display(r.bonus.total, p)),
            "penalty": str(display(r.penalty.total, p)), "vetoed": r.vetoed,
            **region_detail(project, r, p),
        })
    return rows


def region_detail(project, r, p) -> dict[str, Any]:
    """Items, subtotals, claims and vetoes of one region, figures as text (exact and shown)."""
    inputs = project.assessments[r.code]

    def figure(value) -> dict[str, str]:
        return {"published": str(display(value, p)), "exact": exact_text(value)}

    def given(item_id: str) -> dict[str, Any]:
        for adj in inputs.adjustments:
            if adj.item == item_id:
                return _input(adj.input)
        return _input(inputs.items[item_id])

    def claims(c) -> dict[str, Any]:
        return {"lines": [{"id": ln.id, "name": ln.name, "count": ln.count,
                           "each": str(ln.each), "claimed": str(ln.raw),
                           "counted": str(ln.points), "cut_at_item_max": ln.capped,
                           "note": ln.note} for ln in c.lines],
                "claimed": str(c.raw), "cap": None if c.cap is None else str(c.cap),
                "total": str(c.total), "cut_at_cap": c.capped}

    return {
        "items": [{"id": i.id, "name": i.name, "block": i.block_id, "category": i.category_id,
                   "method": i.method, "input": given(i.id), "shown": i.shown,
                   "points": str(i.points), "score": figure(i.score), "lost": figure(i.lost),
                   "reason": i.reason, "item_rank": i.rank, "note": i.note,
                   "adjusted": i.adjusted} for i in r.items],
        "blocks": [{"id": b.id, "name": b.name, "points": str(b.points),
                    "score": figure(b.score), "lost": figure(b.lost)} for b in r.blocks],
        "categories": [{"id": c.id, "name": c.name, "points": str(c.points),
                        "score": figure(c.score), "lost": figure(c.lost)} for c in r.categories],
        "bonus_lines": claims(r.bonus), "penalty_lines": claims(r.penalty),
        "vetoes": [{"condition": v.id, "name": v.name, "event": v.event} for v in r.vetoes],
        "adjustments": [{"item": a.item_id, "reported": a.reported, "verified": a.verified,
                         "reason": a.reason} for a in r.adjustments],
    }


def _input(given) -> dict[str, Any]:
    """The fields of an input the user wrote, as text (numbers exactly as given)."""
    out: dict[str, Any] = {}
    for key in ("value", "level", "done", "missing", "present", "count"):
        value = getattr(given, key)
        if value is not None:
            out[key] = str(value) if key == "value" else value
    return out
