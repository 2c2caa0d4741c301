"""`qdocs status`: how far the collection has come, per region.

Submitted means the region's assessment file exists; inputs missing counts the
scheme's items it gives no input for (all of them before submission); awaiting
verification counts the items some department verifies that no department has
yet adjusted or confirmed; adjustments are those on file, with their department.
A file that does not validate is shown as such, with its first problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qdocs.content.located import validate_document
from qdocs.content.scoring_models import Assessment
from qdocs.content.yamlsource import read_yaml
from qdocs.errors import ContentError
from qdocs.sheets.layout import scheme_items
from qdocs.sheets.project import load_sheets_project


def collection_status(content_dir: Path) -> list[dict[str, Any]]:
    """One row per region in publication order (plain data: the table and --json share it)."""
    project = load_sheets_project(content_dir, assessments=False)
    items = list(scheme_items(project.rules))
    verifiable = [i.id for i in items if getattr(i, "departments", None)]
    rows = []
    for region in project.regions.regions:
        path = project.assessment_path(region.code)
        row: dict[str, Any] = {"code": region.code, "region": region.name,
                               "submitted": path.is_file(), "problem": None,
                               "inputs_missing": [i.id for i in items],
                               "awaiting_verification": [], "adjustments": [],
                               "verified": []}
        if path.is_file():
            try:
                a = validate_document(read_yaml(path), Assessment)
            except ContentError as exc:
                row["problem"] = str(exc.problems[0])
                rows.append(row)
                continue
            done = {x.item for x in a.adjustments} | {v.item for v in a.verified}
            row["inputs_missing"] = [i.id for i in items if i.id not in a.items]
            row["awaiting_verification"] = [i for i in verifiable
                                             if i in a.items and i not in done]
            row["adjustments"] = [{"item": x.item, "department": x.department,
                                   "reason": x.reason} for x in a.adjustments]
            row["verified"] = [{"item": v.item, "department": v.department}
                               for v in a.verified]
        rows.append(row)
    return rows


def status_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The status as a plain table, then a one-line summary."""
    out = [f"{'code':<7} {'region':<10} {'submitted':<9} {'missing':>7} {'awaiting':>8} "
           f"{'adjusted':>8}"]
    for r in rows:
        sub = "invalid" if r["problem"] else ("yes" if r["submitted"] else "no")
        out.append(f"{r['code']:<7} {r['region']:<10} {sub:<9} {len(r['inputs_missing']):>7} "
                   f"{len(r['awaiting_verification']):>8} {len(r['adjustments']):>8}")
        if r["problem"]:
            out.append(f"  {r['problem']}")
    submitted = sum(r["submitted"] and not r["problem"] for r in rows)
    waiting = sum(len(r["awaiting_verification"]) for r in rows)
    adjusted = sum(len(r["adjustments"]) for r in rows)
    out.append(f"{submitted} of {len(rows)} regions submitted; {waiting} item(s) awaiting "
               f"verification; {adjusted} adjustment(s)")
    return out
