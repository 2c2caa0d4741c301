"""The league table as plain rows: for `qdocs scores` and scripts (--json)."""

from __future__ import annotations

from typing import Any


def league_rows(project, results) -> list[dict[str, Any]]:
    """One row per region in ranking order (unranked last); scores as printed (half-up)."""
    from qdocs.scoring.engine import display

    names = {r.code: r.name for r in project.regions.regions}
    p = results.precision
    rows = []
    for code in results.ranking:
        r = results.by_code[code]
        rows.append({
            "rank": r.rank, "code": code, "region": names[code],
            "final": str(r.final_display), "grade": r.grade.code, "grade_name": r.grade.name,
            "base": str(display(r.base, p)), "bonus": str(display(r.bonus.total, p)),
            "penalty": str(display(r.penalty.total, p)), "vetoed": r.vetoed,
        })
    return rows
