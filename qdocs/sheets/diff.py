"""What an import changes, in words: per item old → new, and how the scores move."""

from __future__ import annotations

from qdocs.content.scoring_models import Assessment
from qdocs.scoring.engine import score_all
from qdocs.sheets.inputs import input_kind
from qdocs.sheets.layout import scheme_items
from qdocs.sheets.project import SheetsProject

NONE = "—"


def describe_changes(project: SheetsProject, code: str, old: Assessment | None,
                     new: Assessment) -> list[str]:
    """`T1 制造业产品质量合格率: 93.2% → 94%` for every input, claim, veto and adjustment that
    differs between `old` (None: no file yet) and `new`."""
    lines = []
    for item in scheme_items(project.rules):
        kind = input_kind(item)
        then = old.items.get(item.id) if old is not None else None
        now = new.items.get(item.id)
        if then == now:
            continue
        a = kind.show(item.method, then) if then is not None else NONE
        b = kind.show(item.method, now) if now is not None else NONE
        if a == b:
            lines.append(f"{item.id} {item.name}: note {_q(then and then.note)} → "
                         f"{_q(now and now.note)}")
        else:
            lines.append(f"{item.id} {item.name}: {a} → {b}")
    for key, label in (("bonuses", "bonus"), ("penalties", "penalty")):
        then = {c.item: c for c in (getattr(old, key) if old else [])}
        now = {c.item: c for c in getattr(new, key)}
        for cid in sorted(set(then) | set(now)):
            if then.get(cid) != now.get(cid):
                lines.append(f"{label} {cid}: {_claim(then.get(cid))} → {_claim(now.get(cid))}")
    then = {v.condition: v.event for v in (old.vetoes if old else [])}
    now = {v.condition: v.event for v in new.vetoes}
    for cid in sorted(set(then) | set(now)):
        if then.get(cid) != now.get(cid):
            lines.append(f"veto {cid}: {_q(then.get(cid))} → {_q(now.get(cid))}")
    items = {i.id: i for i in scheme_items(project.rules)}
    then = {x.item: x for x in (old.adjustments if old else [])}
    now = {x.item: x for x in new.adjustments}
    for iid in sorted(set(then) | set(now)):
        if then.get(iid) != now.get(iid):
            kind = input_kind(items[iid])
            a = kind.show(items[iid].method, then[iid].input) if iid in then else NONE
            b = kind.show(items[iid].method, now[iid].input) if iid in now else NONE
            by = now[iid].department if iid in now and now[iid].department else ""
            lines.append(f"adjustment {iid}{f' by {by}' if by else ''}: {a} → {b}")
    then = {(v.item, v.department) for v in (old.verified if old else [])}
    for v in new.verified:
        if (v.item, v.department) not in then:
            lines.append(f"verified {v.item} by {v.department}: as reported")
    return lines


def _q(text: str | None) -> str:
    return f"“{text}”" if text else NONE


def _claim(c) -> str:
    if c is None:
        return NONE
    return f"{c.count} (“{c.note}”)" if c.note else str(c.count)


def score_movements(project: SheetsProject, changed: dict[str, Assessment]) -> list[str]:
    """How final scores, grades and ranks move once `changed` replaces what is on file."""
    if not changed:
        return []
    codes = project.codes
    after = {**project.assessments, **changed}
    missing = [c for c in codes if c not in after]
    if missing:
        return [f"scores: not computed — {len(missing)} region(s) have no assessment yet "
                f"({', '.join(missing[:5])}{'…' if len(missing) > 5 else ''})"]
    new = score_all(project.rules, codes, after)
    old = None
    if all(c in project.assessments for c in codes):
        old = score_all(project.rules, codes, project.assessments)
    lines = ["scores:"]
    for code in codes:
        b = new.by_code[code]
        shown_b = _standing(b)
        if old is None:
            if code in changed:
                lines.append(f"  {code} {project.region_name(code)}: {NONE} → {shown_b}")
            continue
        a = old.by_code[code]
        if (a.final, a.grade.code, a.rank) != (b.final, b.grade.code, b.rank):
            lines.append(f"  {code} {project.region_name(code)}: {_standing(a)} → {shown_b}")
    if len(lines) == 1:
        lines[0] = "scores: no final score, grade or rank moves"
    return lines


def _standing(r) -> str:
    rank = f"第{r.rank}名" if r.rank is not None else "不排名"
    return f"{r.final_display} {r.grade.name} {rank}"
